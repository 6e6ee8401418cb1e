package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole rendered manifest for the default values and for values/custom.yaml, compared with
 * golden files, so every change to what the chart produces shows up in review. Refresh them with
 * {@code ./mvnw -B -q -pl charts verify -Dsigil.updateGolden=true} and review the diff. The chart's
 * version stands as {@value #VERSION_PLACEHOLDER} in them, so a release does not rewrite them
 * (ChartVersionTest checks the version itself).
 */
class GoldenManifestsTest {
    static final String UPDATE_PROPERTY = "sigil.updateGolden";
    static final String VERSION_PLACEHOLDER = "VERSION";

    @ParameterizedTest
    @ValueSource(strings = {"default", "custom"})
    void rendersExactlyTheGoldenManifest(String name) throws IOException {
        List<Path> values = name.equals("default") ? List.of() : List.of(RenderedChart.valuesFile(name + ".yaml"));
        String rendered = RenderedChart.render(values, Map.of()).manifest()
                .replace(RenderedChart.chartMetadata().path("version").asText(), VERSION_PLACEHOLDER);
        Path golden = RenderedChart.repositoryRoot().resolve("charts/src/test/resources/golden").resolve(name + ".yaml");

        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(golden, rendered, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file %s; create it with ./mvnw -B -q -pl charts verify -D%s=true", golden, UPDATE_PROPERTY)
                .exists();
        assertThat(rendered).as("charts/src/test/resources/golden/%s.yaml is out of date; if the change is intended, "
                        + "refresh it with ./mvnw -B -q -pl charts verify -D%s=true and review the diff", name, UPDATE_PROPERTY)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
