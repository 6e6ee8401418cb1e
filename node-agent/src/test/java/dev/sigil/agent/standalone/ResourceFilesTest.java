package dev.sigil.agent.standalone;

import static dev.sigil.agent.testing.TestPrograms.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceFilesTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path dir;

    @Test
    void readsWhatSignWrites() throws IOException {
        Path file = Files.writeString(dir.resolve("counter.yaml"), SERIALIZATION.asYaml(program("counter", "loader", null)));

        assertThat(ResourceFiles.read(List.of(file))).singleElement().satisfies(resource -> {
            assertThat(resource.getMetadata().getName()).isEqualTo("counter");
            assertThat(resource.getSpec().getPrograms()).hasSize(1);
        });
    }

    @Test
    void refusesOtherKindsNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");

        assertThatThrownBy(() -> ResourceFiles.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": a Pod (v1), not a SignedBpfProgram (sigil.dev/v1alpha1)");
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> ResourceFiles.read(missing)).hasMessage(missing + ": no such file or directory");
    }

    @Test
    void refusesSomethingThatIsNotYaml() throws IOException {
        Path file = Files.writeString(dir.resolve("junk.yaml"), "{ not: [yaml");

        assertThatThrownBy(() -> ResourceFiles.read(file)).hasMessageStartingWith(file + ": not YAML or JSON");
    }

    @Test
    void refusesTwoResourcesOfTheSameName() throws IOException {
        String yaml = SERIALIZATION.asYaml(program("counter", "loader", null));
        Path first = Files.writeString(dir.resolve("a.yaml"), yaml);
        Path second = Files.writeString(dir.resolve("b.yaml"), yaml);

        assertThatThrownBy(() -> ResourceFiles.read(List.of(first, second)))
                .hasMessage(second + ": a second resource named 'counter'");
    }
}
