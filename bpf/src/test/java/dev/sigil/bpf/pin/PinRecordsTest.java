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
 * The pin records' format: version 3 round-trips every attach kind and several links per program, and records
 * written by agents before it (versions 1 and 2, golden samples made with that code) are still read, so an upgraded
 * agent re-adopts what an old one pinned.
 */
class PinRecordsTest {
    private static PinnedResource readSamples(String version) throws IOException {
        return PinRecords.read("golden.v1", GoldenPinRecords.sample(version, "meta"),
                record -> GoldenPinRecords.sample(version, record)).resource();
    }

    @Test
    void readsTheRecordsAgentsWroteBeforeVersion2() throws Exception {
        assertThat(readSamples("v1")).isEqualTo(GoldenPinRecords.resource("golden.v1"));
    }

    @Test
    void readsTheVersion2GoldenSamplesAsOneLinkPerProgramInTheOldLayout() throws Exception {
        PinRecords.Stored v2 = PinRecords.read("golden.v1", GoldenPinRecords.sample("v2", "meta"),
                record -> GoldenPinRecords.sample("v2", record));
        assertThat(v2.resource()).isEqualTo(GoldenPinRecords.resource("golden.v1"));
        assertThat(v2.oneLinkPerProgram()).isTrue();
        PinnedResource probes = GoldenPinRecords.probes("probes");
        assertThat(PinRecords.read("probes", GoldenPinRecords.sample("v2-probes", "meta"),
                record -> GoldenPinRecords.sample("v2-probes", record)).resource()).isEqualTo(probes);
    }

    @Test
    void writesVersion3WithOneRecordPerLinkNamedByItsKey() throws Exception {
        PinnedProgram program = new PinnedProgram("xdp_count", 103, "2233445566778899", 0, List.of(
                new PinnedLink(new AttachTarget.Xdp("veth0", AttachTarget.Xdp.Mode.Generic), 203),
                new PinnedLink(new AttachTarget.Xdp("veth1.100", AttachTarget.Xdp.Mode.Generic), 204)));
        assertThat(PinRecords.program(program))
                .isEqualTo("v=3&programId=103&tag=2233445566778899&links=veth0-9c19c7ff55%2Cveth1_100-4b4915b1b4");
        assertThat(PinRecords.link(program.links().getFirst()))
                .isEqualTo("v=3&linkId=203&attach=xdp&interface=veth0&mode=generic");
        PinnedResource resource = new PinnedResource("r", 1, "sha256:00", AppliedEnforcement.Agent, Map.of(), List.of(),
                List.of(program));
        PinRecords.Stored read = PinRecords.read("r", PinRecords.resource(resource), texts(resource)::get);
        assertThat(read.resource()).isEqualTo(resource);
        assertThat(read.oneLinkPerProgram()).isFalse();
    }

    @Test
    void refusesALinkRecordWhoseTargetIsNotTheOneItsKeyNames() {
        PinnedProgram program = new PinnedProgram("p", 1, "00", 2, new AttachTarget.Xdp("veth0", AttachTarget.Xdp.Mode.Generic));
        PinnedResource resource = new PinnedResource("r", 1, "sha256:00", AppliedEnforcement.Agent, Map.of(), List.of(),
                List.of(program));
        Map<String, String> texts = texts(resource);
        texts.replaceAll((record, text) -> text.replace("interface=veth0", "interface=eth0"));
        assertThatThrownBy(() -> PinRecords.read("r", PinRecords.resource(resource), texts::get))
                .isInstanceOf(IOException.class).hasMessageContaining("field 'attach' is 'Xdp(eth0");
    }

    /** Every record of the resource as version 3 writes it, by record name. */
    private static Map<String, String> texts(PinnedResource resource) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (PinnedProgram program : resource.programs()) {
            texts.put("meta_" + program.name(), PinRecords.program(program));
            for (PinnedLink link : program.links()) {
                texts.put("target_" + program.name() + "-" + LinkKeys.of(link.target()), PinRecords.link(link));
            }
        }
        return texts;
    }

    @Test
    void readsRecordsWithoutAnExpectedAttachTypeAsZero() throws Exception {
        PinnedProgram read = PinRecords.read("r", "v=2&generation=1&loaderHash=x&enforcement=agent&programs=p",
                record -> "v=2&programId=1&tag=00&linkId=2&attach=fentry&function=vfs_read").resource().programs().getFirst();
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
                record -> "v=2&programId=1&tag=00&linkId=2&" + attach).resource();
    }

    @Test
    void roundTripsEveryAttachKindAndEnforcement() throws Exception {
        for (AppliedEnforcement enforcement : AppliedEnforcement.values()) {
            PinnedResource golden = GoldenPinRecords.resource("round.trip");
            PinnedResource resource = new PinnedResource(golden.name(), golden.generation(), golden.loaderHash(),
                    enforcement, golden.mapIds(), golden.pinnedMaps(), golden.programs());
            assertThat(PinRecords.read("round.trip", PinRecords.resource(resource), texts(resource)::get).resource())
                    .isEqualTo(resource);
        }
        for (CgroupAttach hook : CgroupAttach.values()) {
            PinnedProgram program = new PinnedProgram("p", 1, "00", 2,
                    new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/a&b=c"), hook));
            PinnedResource resource = new PinnedResource("r", 1, "sha256:00", AppliedEnforcement.Agent, Map.of(),
                    List.of(), List.of(program));
            assertThat(PinRecords.read("r", PinRecords.resource(resource), texts(resource)::get).resource())
                    .isEqualTo(resource);
        }
    }

    @Test
    void readsADirectoryHalfMovedToVersion3() throws Exception {
        // Program records are written before the resource record: a crash in between leaves both versions.
        PinnedResource resource = GoldenPinRecords.resource("golden.v1");
        PinnedResource read = PinRecords.read("golden.v1", GoldenPinRecords.sample("v1", "meta"),
                record -> texts(resource).get(record)).resource();
        assertThat(read).isEqualTo(resource);
    }

    @Test
    void refusesAFormatFromANewerAgent() {
        assertThatThrownBy(() -> PinRecords.read("r", "v=4&generation=1", program -> ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("field 'v' is '4'").hasMessageContaining("newer agent");
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
