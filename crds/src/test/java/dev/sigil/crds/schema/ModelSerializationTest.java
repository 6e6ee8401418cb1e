package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java model reads and writes the resources exactly as the schema describes them. */
class ModelSerializationTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<? extends HasMetadata>> MODEL_BY_KIND = Map.of(
            "SignedBpfProgram", SignedBpfProgram.class,
            "BpfNodeState", BpfNodeState.class);

    static List<String> validFixtures() {
        return Fixtures.names("valid");
    }

    @ParameterizedTest
    @MethodSource("validFixtures")
    void roundTripsEveryFieldOfAValidExample(String fixture) throws Exception {
        JsonNode original = Fixtures.read("valid", fixture);
        HasMetadata model = SERIALIZATION.unmarshal(JSON.writeValueAsString(original),
                MODEL_BY_KIND.get(original.path("kind").asText()));

        JsonNode written = JSON.readTree(SERIALIZATION.asJson(model));

        assertThat(written).isEqualTo(original);
    }

    @Test
    void omitsUnsetFieldsInsteadOfWritingNulls() {
        SignedBpfProgram resource = minimalResource(List.of(new ProgramSpec("count", AttachSpec.rawTracepoint("sys_enter"))));

        String yaml = SERIALIZATION.asYaml(resource);

        assertThat(yaml).doesNotContain("null").doesNotContain("status").doesNotContain("nodeSelector");
    }

    @Test
    void factoryBuiltAttachSpecsSatisfyTheSchemaAndItsCelRules() throws Exception {
        List<AttachSpec> everyKind = List.of(
                AttachSpec.rawTracepoint("sys_enter"),
                AttachSpec.tpBtf("sched_switch"),
                AttachSpec.xdp("eth0", XdpMode.Generic),
                AttachSpec.tcx("eth0", TcxDirection.Ingress),
                AttachSpec.cgroup("/sys/fs/cgroup", CgroupAttachType.InetEgress),
                AttachSpec.function(AttachType.Fentry, "tcp_connect"),
                AttachSpec.function(AttachType.Fexit, "tcp_close"),
                AttachSpec.function(AttachType.Lsm, "file_open"),
                AttachSpec.function(AttachType.Kprobe, "do_unlinkat"));
        List<ProgramSpec> programs = IntStream.range(0, everyKind.size())
                .mapToObj(i -> new ProgramSpec("on_kind_" + i, everyKind.get(i)))
                .toList();
        SignedBpfProgram resource = minimalResource(programs);
        resource.getSpec().setMaps(List.of(new MapSpec("counts")));

        JsonNode json = JSON.readTree(SERIALIZATION.asJson(resource));

        assertThat(CustomResourceFixturesTest.validate(json)).isEmpty();
        assertThat(json.at("/spec/programs/2/attach/xdp/interface").asText()).isEqualTo("eth0");
        assertThat(json.at("/spec/programs/2/attach").has("tcx")).isFalse();
    }

    private static SignedBpfProgram minimalResource(List<ProgramSpec> programs) {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader("GAAAAAAAAAA=");
        spec.setMetadata("f0VMRg==");
        spec.setHash("sha256:" + "ab".repeat(32));
        spec.setSignature("MIIBZQ==");
        spec.setPrograms(programs);
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName("minimal").build());
        resource.setSpec(spec);
        return resource;
    }
}
