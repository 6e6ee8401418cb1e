package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code helm package} of the chart with the real Helm, into charts/target: the archive bin/release
 * ships is the one this test checked (its name, version and appVersion are the build's version, and
 * it carries the CRDs, the values schema and the dashboard).
 */
class ChartPackageTest {
    private static final String VERSION = System.getProperty("sigil.version");

    @Test
    void packagesTheChartUnderTheBuildsVersion() throws Exception {
        Path target = Files.createDirectories(RenderedChart.repositoryRoot().resolve("charts/target"));
        Path archive = target.resolve("sigil-" + VERSION + ".tgz");
        Files.deleteIfExists(archive);

        new Helm(RenderedChart.chartDirectory()).packageIt().withDestination(target).call();

        assertThat(archive).isRegularFile();
        List<String> entries = tar("-tzf", archive.toString()).lines().toList();
        assertThat(entries).contains("sigil/Chart.yaml", "sigil/values.yaml", "sigil/values.schema.json",
                "sigil/crds/signedbpfprograms.sigil.dev-v1.yml", "sigil/crds/bpfnodestates.sigil.dev-v1.yml",
                "sigil/dashboards/sigil.json", "sigil/templates/crd-upgrade-job.yaml");
        JsonNode chart = RenderedChart.yaml(tar("-xzOf", archive.toString(), "sigil/Chart.yaml"));
        assertThat(chart.path("version").asText()).isEqualTo(VERSION);
        assertThat(chart.path("appVersion").asText()).isEqualTo(VERSION);
    }

    private static String tar(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("tar"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
