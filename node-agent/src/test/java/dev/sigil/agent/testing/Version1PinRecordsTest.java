package dev.sigil.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.testing.GoldenPinRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade test's stand-in for an earlier agent writes what that agent wrote, byte for byte. */
class Version1PinRecordsTest {
    @TempDir
    Path directory;

    @Test
    void writesTheGoldenSamplesOfVersion1() throws Exception {
        PinnedResource golden = GoldenPinRecords.resource("golden.v1");

        Version1PinRecords.write(directory, golden);

        assertThat(Files.readSymbolicLink(directory.resolve("meta")).toString())
                .isEqualTo(GoldenPinRecords.sample("v1", "meta"));
        for (PinnedProgram program : golden.programs()) {
            assertThat(Files.readSymbolicLink(directory.resolve("meta_" + program.name())).toString()).as(program.name())
                    .isEqualTo(GoldenPinRecords.sample("v1", "meta_" + program.name()));
        }
    }
}
