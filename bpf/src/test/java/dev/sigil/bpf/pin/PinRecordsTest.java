package dev.sigil.bpf.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.testing.GoldenPinRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pin records' format: version 2 round-trips every attach kind and stays byte for byte what it is
 * (a golden sample), and records written by agents before it (version 1, golden samples made with that
 * code) are still read, so an upgraded agent re-adopts what an old one pinned.
 */
class PinRecordsTest {
    private static PinnedResource readSamples(String version) throws IOException {
        return PinRecords.read("golden.v1", GoldenPinRecords.sample(version, "meta"),
                program -> GoldenPinRecords.sample(version, "meta_" + program));
    }

    @Test
    void readsTheRecordsAgentsWroteBeforeVersion2() throws Exception {
        assertThat(readSamples("v1")).isEqualTo(GoldenPinRecords.resource("golden.v1"));
    }

    @Test
    void writesVersion2ExactlyAsTheGoldenSample() {
        PinnedResource resource = GoldenPinRecords.resource("golden.v1");
        assertThat(PinRecords.resource(resource)).isEqualTo(GoldenPinRecords.sample("v2", "meta"));
        for (PinnedProgram program : resource.programs()) {
            assertThat(PinRecords.program(program)).as(program.name()).isEqualTo(GoldenPinRecords.sample("v2", "meta_" + program.name()));
        }
    }

    @Test
    void writesAndReadsTheProbeKindsAddedWithinVersion2AsTheGoldenSample() throws Exception {
        PinnedResource resource = GoldenPinRecords.probes("probes");
        assertThat(PinRecords.resource(resource)).isEqualTo(GoldenPinRecords.sample("v2-probes", "meta"));
        for (PinnedProgram program : resource.programs()) {
            assertThat(PinRecords.program(program)).as(program.name())
                    .isEqualTo(GoldenPinRecords.sample("v2-probes", "meta_" + program.name()));
        }
        assertThat(PinRecords.read("probes", GoldenPinRecords.sample("v2-probes", "meta"),
                program -> GoldenPinRecords.sample("v2-probes", "meta_" + program))).isEqualTo(resource);
    }

    @Test
    void readsRecordsWithoutAnExpectedAttachTypeAsZero() throws Exception {
        PinnedProgram read = PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=agent&programs=p",
                program -> "v=2&programId=1&tag=00&linkId=2&attach=fentry&function=vfs_read").programs().getFirst();
        assertThat(read.expectedAttachType()).isZero();
    }

    @Test
    void refusesProbeTargetsOutOfTheirGrammar() {
        assertThatThrownBy(() -> readProgram("attach=tracepoint&category=..&name=id"))
                .isInstanceOf(IOException.class).hasMessageContaining("tracepoint category '..'");
        assertThatThrownBy(() -> readProgram("attach=uprobe&binary=usr%2Fbin%2Fapp&symbol=main&offset=0"))
                .isInstanceOf(IOException.class).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> readProgram("attach=uprobe&binary=%2Fbin%2F..%2Fapp&symbol=main&offset=0"))
                .isInstanceOf(IOException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> readProgram("attach=uretprobe&binary=%2Fbin%2Fapp&symbol=main&offset=-1"))
                .isInstanceOf(IOException.class).hasMessageContaining("offset -1");
        assertThatThrownBy(() -> readProgram("attach=uprobe&binary=%2Fbin%2Fapp&symbol=main&offset=0&pid=x"))
                .isInstanceOf(IOException.class).hasMessageContaining("field 'pid' is not a number");
        assertThatThrownBy(() -> readProgram("attach=sk_lookup&netns=netns"))
                .isInstanceOf(IOException.class).hasMessageContaining("not absolute");
    }

    private static PinnedResource readProgram(String attach) throws IOException {
        return PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=agent&programs=p",
                program -> "v=2&programId=1&tag=00&linkId=2&" + attach);
    }

    @Test
    void roundTripsEveryAttachKindAndEnforcement() throws Exception {
        for (AppliedEnforcement enforcement : AppliedEnforcement.values()) {
            PinnedResource golden = GoldenPinRecords.resource("round.trip");
            PinnedResource resource = new PinnedResource(golden.name(), golden.generation(), golden.loaderHash(),
                    enforcement, golden.mapIds(), golden.pinnedMaps(), golden.programs());
            Map<String, String> programs = new LinkedHashMap<>();
            resource.programs().forEach(program -> programs.put(program.name(), PinRecords.program(program)));
            assertThat(PinRecords.read("round.trip", PinRecords.resource(resource), programs::get)).isEqualTo(resource);
        }
        for (CgroupAttach hook : CgroupAttach.values()) {
            PinnedProgram program = new PinnedProgram("p", 1, "00", 2,
                    new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/a&b=c"), hook));
            PinnedResource resource = new PinnedResource("r", 1, "sha256:00", AppliedEnforcement.Agent, Map.of(),
                    List.of(), List.of(program));
            assertThat(PinRecords.read("r", PinRecords.resource(resource), name -> PinRecords.program(program)))
                    .isEqualTo(resource);
        }
    }

    @Test
    void readsADirectoryHalfMovedToVersion2() throws Exception {
        // Program records are written before the resource record: a crash in between leaves both versions.
        PinnedResource resource = GoldenPinRecords.resource("golden.v1");
        PinnedResource read = PinRecords.read("golden.v1", GoldenPinRecords.sample("v1", "meta"),
                program -> PinRecords.program(resource.programs().stream()
                        .filter(p -> p.name().equals(program)).findFirst().orElseThrow()));
        assertThat(read).isEqualTo(resource);
    }

    @Test
    void refusesAFormatFromANewerAgent() {
        assertThatThrownBy(() -> PinRecords.read("r", "v=3&generation=1", program -> ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field 'v' is '3'").hasMessageContaining("newer agent");
    }

    @Test
    void namesTheRecordAndFieldThatIsWrong() {
        assertThatThrownBy(() -> PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=agent&programs=p",
                program -> "v=2&programId=1&tag=00&linkId=x&attach=raw_tracepoint&name=sys_enter"))
                .isInstanceOf(IOException.class)
                .hasMessage("pin record meta_p of r: field 'linkId' is not a number: 'x'");
        assertThatThrownBy(() -> PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=sometimes",
                program -> ""))
                .isInstanceOf(IOException.class)
                .hasMessage("pin record meta of r: field 'enforcement' is 'sometimes', expected kernel, agent or compat");
        assertThatThrownBy(() -> PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=agent&programs=p",
                program -> "v=2&programId=1&tag=00&linkId=2&attach=usdt"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field 'attach' is 'usdt'");
        assertThatThrownBy(() -> PinRecords.read("r", "generation=1&loaderHash=x&enforcement=Agent&programs=p",
                program -> "programId=1&tag=00&linkId=2&attach=bm90IGpzb24"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 1 pin record of program p");
        assertThatThrownBy(() -> PinRecords.read("r", "garbage", program -> ""))
                .isInstanceOf(IOException.class)
                .hasMessage("pin record meta of r is malformed: 'garbage'");
    }
}
