package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.PodAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ObjectNames;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.FailingNode;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.signedbpfprogram.status.SignerStatus;
import dev.sigil.crds.signedbpfprogram.status.StaleNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every string, list and map in the schemas has an upper bound (the API server needs them to cost
 * CEL rules, and etcd needs the object to stay small), the largest SignedBpfProgram the schema
 * admits still fits in one etcd request, and so does a node that reports the most programs the schema admits
 * with every one of them failed at the longest texts.
 */
class SchemaBoundsTest {
    /** etcd's default --max-request-bytes. */
    private static final int ETCD_REQUEST_LIMIT = 1536 * 1024;
    /** Left for metadata, managedFields and the request envelope. */
    private static final int METADATA_HEADROOM = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void boundsEveryStringListAndMap() {
        List<String> unbounded = new ArrayList<>();
        for (var crd : GeneratedCrds.all()) {
            JsonNode schema = JSON.valueToTree(crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema());
            collectUnbounded(schema, crd.getSpec().getNames().getKind(), unbounded);
        }
        assertThat(unbounded).as("schema nodes without maxLength/enum/maxItems/maxProperties").isEmpty();
    }

    @Test
    void largestAdmissibleSignedBpfProgramFitsInOneEtcdRequest() throws Exception {
        SignedBpfProgram largest = largestSignedBpfProgram();
        JsonNode json = JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(largest));

        assertThat(CustomResourceFixturesTest.validate(json)).as("the largest object is still valid").isEmpty();
        int size = JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("largest SignedBpfProgram: %d bytes (%.2f MiB)%n", size, size / 1024.0 / 1024.0);
        assertThat(size + METADATA_HEADROOM).as("bytes of the largest SignedBpfProgram plus metadata headroom")
                .isLessThanOrEqualTo(ETCD_REQUEST_LIMIT);
    }

    @Test
    void nodeReportingEveryProgramFailedAtTheLongestTextsFitsInOneEtcdRequest() throws Exception {
        assertThat(BpfNodeStateStatus.MAX_PROGRAMS).as("a node may report 1,000 programs").isGreaterThanOrEqualTo(1000);
        BpfNodeState largest = largestBpfNodeState(BpfNodeStateStatus.MAX_PROGRAMS);
        JsonNode json = JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(largest));

        assertThat(CustomResourceFixturesTest.validate(json)).as("the largest report is still valid").isEmpty();
        int size = JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("largest BpfNodeState: %d entries, %d bytes (%.2f MiB)%n", BpfNodeStateStatus.MAX_PROGRAMS, size,
                size / 1024.0 / 1024.0);
        assertThat(size + METADATA_HEADROOM).as("bytes of the largest BpfNodeState plus metadata headroom")
                .isLessThanOrEqualTo(ETCD_REQUEST_LIMIT);
    }

    @Test
    void schemaRefusesOneEntryMoreAndTextsBeyondTheBounds() throws Exception {
        JsonNode tooMany = JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(
                largestBpfNodeState(BpfNodeStateStatus.MAX_PROGRAMS + 1)));
        BpfNodeState longer = largestBpfNodeState(1);
        NodeProgramState entry = longer.getStatus().getPrograms().getFirst();
        entry.setMessage(entry.getMessage() + "m");
        entry.setVerifierLogTail(entry.getVerifierLogTail() + "l");

        assertThat(CustomResourceFixturesTest.validate(tooMany)).extracting(Violation::field).contains("status.programs");
        assertThat(CustomResourceFixturesTest.validate(JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(longer))))
                .extracting(Violation::field)
                .containsExactlyInAnyOrder("status.programs[0].message", "status.programs[0].verifierLogTail");
    }

    @Test
    void aProgramListsAtMostItsCapOfAttachmentsAtTheLongestTextsAndCountsTheRest() throws Exception {
        BpfNodeState state = largestBpfNodeState(1);
        NodeProgramState entry = state.getStatus().getPrograms().getFirst();
        LoadedProgram program = new LoadedProgram();
        program.setName("p".repeat(64));
        program.setAttachedCount(Integer.MAX_VALUE);
        program.setAttachmentsNotShown(Integer.MAX_VALUE);
        program.setAttachments(IntStream.range(0, LoadedProgram.MAX_ATTACHMENTS).mapToObj(i -> {
            ProgramAttachment attachment = new ProgramAttachment();
            attachment.setTarget("t".repeat(4352));
            attachment.setState(AttachmentState.Failed);
            attachment.setReason("R".repeat(128));
            attachment.setMessage("m".repeat(ProgramAttachment.MAX_MESSAGE));
            return attachment;
        }).toList());
        entry.setPrograms(List.of(program));
        JsonNode json = JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(state));

        assertThat(CustomResourceFixturesTest.validate(json)).isEmpty();
        assertThat(JSON.writeValueAsString(json.path("status").path("programs").get(0).path("programs").get(0)).length())
                .as("one program's entry at its longest").isLessThan(80 * 1024);

        List<ProgramAttachment> oneMore = new ArrayList<>(program.getAttachments());
        oneMore.add(program.getAttachments().getFirst());
        program.setAttachments(oneMore);
        program.getAttachments().getFirst().setMessage("m".repeat(ProgramAttachment.MAX_MESSAGE + 1));
        assertThat(CustomResourceFixturesTest.validate(JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(state))))
                .extracting(Violation::field).contains("status.programs[0].programs[0].attachments",
                        "status.programs[0].programs[0].attachments[0].message");
    }

    /** Every entry failed (a first load: nothing left running) with every text at its longest. */
    private static BpfNodeState largestBpfNodeState(int entries) {
        KernelCapabilities kernel = new KernelCapabilities();
        kernel.setRelease("r".repeat(256));
        kernel.setSignatureVerification("s".repeat(256));
        kernel.setAttachTypes(IntStream.range(0, 32).mapToObj(i -> name('a', i, 64)).toList());
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setKernel(kernel);
        status.setProgramCount(entries);
        status.setLastUpdateTime("t".repeat(64));
        status.setHeartbeatIntervalSeconds(BpfNodeStateStatus.MAX_HEARTBEAT_INTERVAL_SECONDS);
        status.setPrograms(IntStream.range(0, entries).mapToObj(i -> {
            NodeProgramState entry = new NodeProgramState();
            entry.setName(name('p', i, 253));
            entry.setGeneration(Long.MAX_VALUE);
            entry.setLoaderHash("sha256:" + "f".repeat(64));
            entry.setPhase(ProgramPhase.Failed);
            entry.setEnforcement(AppliedEnforcement.Compat);
            entry.setReason("R".repeat(128));
            entry.setMessage("m".repeat(NodeProgramState.MAX_MESSAGE));
            entry.setVerifierLogTail("l".repeat(NodeProgramState.MAX_VERIFIER_LOG_TAIL));
            entry.setLastTransitionTime("t".repeat(64));
            entry.setAttachedPods(NodeProgramState.MAX_ATTACHED_PODS);
            return entry;
        }).toList());
        status.setPods(IntStream.range(0, BpfNodeStateStatus.MAX_PODS).mapToObj(i -> {
            PodAttachment pod = new PodAttachment(name('p', i, 253), name('p', i, ObjectNames.MAX_LENGTH), name('n', i, 63),
                    name('q', i, 253), "0".repeat(36), "/" + "c".repeat(PodAttachment.MAX_CGROUP - 1));
            pod.setLinkId(Long.MAX_VALUE);
            pod.setPhase(ProgramPhase.Failed);
            pod.setReason("R".repeat(PodAttachment.MAX_REASON));
            return pod;
        }).toList());
        status.setPodsOmitted(Integer.MAX_VALUE);
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName(name('n', 0, 253))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(name('n', 0, 253)).withUid("0".repeat(36)).build())
                .build());
        state.setStatus(status);
        return state;
    }

    private static void collectUnbounded(JsonNode schema, String path, List<String> unbounded) {
        switch (schema.path("type").asText()) {
            case "string" -> {
                boolean bounded = schema.has("maxLength") || schema.has("enum") || "date-time".equals(schema.path("format").asText());
                if (!bounded) {
                    unbounded.add(path + " (string)");
                }
            }
            case "array" -> {
                if (!schema.has("maxItems")) {
                    unbounded.add(path + " (array)");
                }
                collectUnbounded(schema.path("items"), path + "[]", unbounded);
            }
            case "object" -> {
                schema.path("properties").properties().forEach(p ->
                        collectUnbounded(p.getValue(), path + "." + p.getKey(), unbounded));
                if (schema.path("additionalProperties").isObject()) {
                    if (!schema.has("maxProperties")) {
                        unbounded.add(path + " (map)");
                    }
                    collectUnbounded(schema.path("additionalProperties"), path + "{}", unbounded);
                }
            }
            default -> {
                // integers and booleans have a fixed size
            }
        }
    }

    private static SignedBpfProgram largestSignedBpfProgram() {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader("A".repeat(SignedBpfProgramSpec.MAX_LOADER_BASE64));
        spec.setMetadata("A".repeat(SignedBpfProgramSpec.MAX_METADATA_BASE64));
        spec.setSignature("A".repeat(SignedBpfProgramSpec.MAX_SIGNATURE_BASE64));
        spec.setHash("sha256:" + "0".repeat(64));
        spec.setPrograms(IntStream.range(0, SignedBpfProgramSpec.MAX_PROGRAMS)
                .mapToObj(i -> new ProgramSpec(name('p', i, ObjectNames.MAX_LENGTH), i < SignedBpfProgramSpec.MAX_POD_TARGETS
                        ? largestPodTarget() : AttachSpec.cgroup("/" + "c".repeat(1023), CgroupAttachType.InetSockCreate)))
                .toList());
        spec.setMaps(IntStream.range(0, SignedBpfProgramSpec.MAX_MAPS).mapToObj(i -> new MapSpec(name('m', i, ObjectNames.MAX_LENGTH))).toList());
        spec.setNodeSelector(largestSelector(LabelSelectorSchema.NODE_MAX_LABELS, LabelSelectorSchema.NODE_MAX_EXPRESSIONS,
                LabelSelectorSchema.NODE_MAX_VALUES));

        SignedBpfProgramStatus status = new SignedBpfProgramStatus();
        status.setObservedGeneration(Long.MAX_VALUE);
        status.setConditions(IntStream.range(0, 4).mapToObj(SchemaBoundsTest::largestCondition).toList());
        status.setSigner(new SignerStatus("C".repeat(1024), "a".repeat(128), "f".repeat(64), "2026-11-20T10:00:00Z"));
        status.setLoaderHash("sha256:" + "f".repeat(64));
        status.setTargetedNodes(Integer.MAX_VALUE);
        status.setAttachedNodes(Integer.MAX_VALUE);
        status.setAttachedPods(Integer.MAX_VALUE);
        status.setFailedNodes(Integer.MAX_VALUE);
        status.setStaleNodes(Integer.MAX_VALUE);
        status.setFailingNodes(IntStream.range(0, SignedBpfProgramStatus.MAX_FAILING_NODES)
                .mapToObj(i -> new FailingNode(name('n', i, 253), "R".repeat(128), "m".repeat(1024)))
                .toList());
        status.setStaleNodeReports(IntStream.range(0, SignedBpfProgramStatus.MAX_STALE_NODES)
                .mapToObj(i -> new StaleNode(name('s', i, 253), "t".repeat(64)))
                .toList());

        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName("largest").build());
        resource.setSpec(spec);
        resource.setStatus(status);
        return resource;
    }

    /** A cgroup target by pods, larger than one by path: both selectors at their bounds, every text at its longest. */
    private static AttachSpec largestPodTarget() {
        AttachSpec attach = AttachSpec.cgroup(null, CgroupAttachType.InetSockCreate);
        attach.getCgroup().setPods(new PodTarget(largestSelector(LabelSelectorSchema.POD_MAX_LABELS,
                LabelSelectorSchema.POD_MAX_EXPRESSIONS, LabelSelectorSchema.POD_MAX_VALUES),
                largestSelector(LabelSelectorSchema.POD_MAX_LABELS, LabelSelectorSchema.POD_MAX_EXPRESSIONS,
                        LabelSelectorSchema.POD_MAX_VALUES)));
        return attach;
    }

    private static LabelSelector largestSelector(int labelCount, int expressionCount, int valueCount) {
        Map<String, String> labels = new LinkedHashMap<>();
        IntStream.range(0, labelCount).forEach(i -> labels.put(labelKey(i), "v".repeat(63)));
        List<LabelSelectorRequirement> expressions = IntStream.range(0, expressionCount)
                .mapToObj(i -> new LabelSelectorRequirement(labelKey(i), "NotIn",
                        IntStream.range(0, valueCount).mapToObj(j -> name('v', j, 63)).toList()))
                .toList();
        return new LabelSelector(expressions, labels);
    }

    private static Condition largestCondition(int index) {
        return new ConditionBuilder()
                .withType(name('T', index, 316))
                .withStatus("Unknown")
                .withReason("R".repeat(1024))
                .withMessage("m".repeat(4096))
                .withLastTransitionTime("2025-11-20T10:15:00Z")
                .withObservedGeneration(Long.MAX_VALUE)
                .build();
    }

    /** A label key at the longest Kubernetes allows: a 253-character DNS prefix, '/', a 63-character name. */
    private static String labelKey(int index) {
        return "k".repeat(253) + "/" + name('k', index, 63);
    }

    private static String name(char filler, int index, int length) {
        String suffix = Integer.toString(index);
        return String.valueOf(filler).repeat(length - suffix.length()) + suffix;
    }
}
