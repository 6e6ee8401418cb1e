package dev.sigil.bpf.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.loader.AppliedEnforcement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    /** The resource the golden samples describe: one program of every attach kind, dots in a map name. */
    static PinnedResource golden(String name) {
        Map<String, Integer> maps = new LinkedHashMap<>();
        maps.put("counts", 41);
        maps.put("data", 42);
        maps.put("my.map", 43);
        return new PinnedResource(name, 7, "sha256:" + "ab".repeat(32), AppliedEnforcement.Agent, maps,
                List.of("counts", "my.map"), List.of(
                        new PinnedProgram("count_sys_enter", 101, "0011223344556677", 201,
                                new AttachTarget.RawTracepoint("sys_enter")),
                        new PinnedProgram("tp_btf_count", 102, "1122334455667788", 202, new AttachTarget.TpBtf("sched_switch")),
                        new PinnedProgram("xdp_count", 103, "2233445566778899", 203,
                                new AttachTarget.Xdp("veth0", AttachTarget.Xdp.Mode.Generic)),
                        new PinnedProgram("xdp_native", 104, "33445566778899aa", 204,
                                new AttachTarget.Xdp("eth0", AttachTarget.Xdp.Mode.Driver)),
                        new PinnedProgram("tcx_count", 105, "445566778899aabb", 205,
                                new AttachTarget.Tcx("eth1", AttachTarget.Tcx.Direction.Egress)),
                        new PinnedProgram("cgroup_count", 106, "5566778899aabbcc", 206,
                                new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/my app"), CgroupAttach.InetIngress)),
                        new PinnedProgram("fentry_count", 107, "66778899aabbccdd", 207, new AttachTarget.Fentry("bpf_fentry_test1")),
                        new PinnedProgram("fexit_count", 108, "778899aabbccddee", 208, new AttachTarget.Fexit("vfs_read")),
                        new PinnedProgram("lsm_check", 109, "8899aabbccddeeff", 209, new AttachTarget.Lsm("file_open")),
                        new PinnedProgram("kprobe_count", 110, "99aabbccddeeff00", 210, new AttachTarget.Kprobe("tcp_connect"))));
    }

    private static String sample(String version, String record) {
        String resource = "pin-records/" + version + "/" + record;
        try (InputStream in = PinRecordsTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PinnedResource readSamples(String version) throws IOException {
        return PinRecords.read("golden.v1", sample(version, "meta"), program -> sample(version, "meta_" + program));
    }

    @Test
    void readsTheRecordsAgentsWroteBeforeVersion2() throws Exception {
        assertThat(readSamples("v1")).isEqualTo(golden("golden.v1"));
    }

    @Test
    void writesVersion2ExactlyAsTheGoldenSample() {
        PinnedResource resource = golden("golden.v1");
        assertThat(PinRecords.resource(resource)).isEqualTo(sample("v2", "meta"));
        for (PinnedProgram program : resource.programs()) {
            assertThat(PinRecords.program(program)).as(program.name()).isEqualTo(sample("v2", "meta_" + program.name()));
        }
    }

    @Test
    void roundTripsEveryAttachKindAndEnforcement() throws Exception {
        for (AppliedEnforcement enforcement : AppliedEnforcement.values()) {
            PinnedResource golden = golden("round.trip");
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
        PinnedResource resource = golden("golden.v1");
        PinnedResource read = PinRecords.read("golden.v1", sample("v1", "meta"),
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
                program -> "v=2&programId=1&tag=00&linkId=2&attach=uprobe"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field 'attach' is 'uprobe'");
        assertThatThrownBy(() -> PinRecords.read("r", "generation=1&loaderHash=x&enforcement=Agent&programs=p",
                program -> "programId=1&tag=00&linkId=2&attach=bm90IGpzb24"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 1 pin record of program p");
        assertThatThrownBy(() -> PinRecords.read("r", "garbage", program -> ""))
                .isInstanceOf(IOException.class)
                .hasMessage("pin record meta of r is malformed: 'garbage'");
    }
}
