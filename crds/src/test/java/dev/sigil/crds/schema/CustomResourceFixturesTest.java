package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Example resources checked against the generated CRDs as the API server would check them. Each
 * invalid example names the violations it must produce, so a fixture that fails for some other
 * reason (a typo in it, a loosened rule) is caught.
 */
class CustomResourceFixturesTest {
    private static final Map<String, CrdSchemaValidator> VALIDATORS = CommittedCrds.all().stream()
            .collect(Collectors.toMap(crd -> crd.getSpec().getNames().getKind(), CrdSchemaValidator::new));

    /** Fixture file name to the violations it must produce: each "path: message fragment". */
    private static final Map<String, List<String>> EXPECTED_VIOLATIONS = Map.ofEntries(
            Map.entry("bad-hash-pattern.yaml", List.of(
                    "spec.hash: Invalid value: \"sha256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\": spec.hash in body should match '^sha256:[0-9a-f]{64}$'")),
            Map.entry("missing-signature.yaml", List.of("spec.signature: Required value", "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("loader-not-base64.yaml", List.of("spec.loader: Invalid value: ", "spec.loader in body should match")),
            Map.entry("two-attach-members.yaml", List.of(
                    "spec.programs[0].attach: Invalid value: \"object\": xdp must be set exactly when type is Xdp")),
            Map.entry("attach-member-mismatch.yaml", List.of(
                    "spec.programs[0].attach: Invalid value: \"object\": tcx must be set exactly when type is Tcx",
                    "spec.programs[0].attach: Invalid value: \"object\": xdp must be set exactly when type is Xdp")),
            Map.entry("unknown-attach-type.yaml", List.of("spec.programs[0].attach.type: Unsupported value: ", "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("interface-name-too-long.yaml", List.of(
                    "spec.programs[0].attach.xdp.interface: Too long: may not be more than 15 bytes",
                    "spec.programs[0].attach.xdp.interface in body should match",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("duplicate-program-names.yaml", List.of(
                    "spec.programs[1]: Duplicate value: map[string]interface {}{\"name\":\"count_sys_enter\"}")),
            Map.entry("duplicate-map-names.yaml", List.of(
                    "spec.maps[1]: Duplicate value: map[string]interface {}{\"name\":\"counts\"}")),
            Map.entry("program-name-too-long.yaml", List.of("spec.programs[0].name: Too long: may not be more than 15 bytes",
                    "spec.programs[0].name in body should match", "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("program-name-with-slash.yaml", List.of("spec.programs[0].name in body should match")),
            Map.entry("map-name-leaves-pin-root.yaml", List.of("spec.maps[0].name in body should match")),
            Map.entry("map-name-with-two-dots.yaml", List.of("spec.maps[0].name in body should match")),
            // The API server prunes a null it does not allow, as if the field were left out: programs are required.
            Map.entry("programs-null.yaml", List.of("spec.programs: Required value", "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("raw-tracepoint-without-name.yaml", List.of("spec.programs[0].attach.rawTracepoint.name: Required value",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("no-programs.yaml", List.of(
                    "spec.programs: Invalid value: 0: spec.programs in body should have at least 1 items")),
            Map.entry("too-many-programs.yaml", List.of("spec.programs: Too many: 65: must have at most 64 items", "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("bad-enforcement.yaml", List.of(
                    "spec.enforcement: Unsupported value: \"Strict\": supported values: \"Agent\", \"Auto\", \"Kernel\"",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("unknown-protocol.yaml", List.of("spec.protocol: Unsupported value: ",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("misspelt-field.yaml", List.of("spec.enforcment: unknown field \"spec.enforcment\"")),
            Map.entry("selector-in-without-values.yaml", List.of(
                    "spec.nodeSelector.matchExpressions[0]: Invalid value: \"object\": values must be non-empty for In and NotIn")),
            Map.entry("relative-cgroup-path.yaml", List.of(
                    "spec.programs[0].attach.cgroup.path: Invalid value: ", "cgroup.path in body should match '^/'")),
            Map.entry("uprobe-path-escapes.yaml", List.of(
                    "spec.programs[0].attach.uprobe.binary: Invalid value: ", "uprobe.binary in body should match")),
            Map.entry("tracepoint-path-in-name.yaml", List.of(
                    "spec.programs[0].attach.tracepoint.category: Invalid value: ", "tracepoint.category in body should match")),
            Map.entry("uprobe-negative-offset.yaml", List.of(
                    "spec.programs[0].attach.uprobe.offset: Invalid value: -1: spec.programs[0].attach.uprobe.offset in body should be greater than or equal to 0",
                    "spec.programs[0].attach.uprobe.pid: Invalid value: 0: spec.programs[0].attach.uprobe.pid in body should be greater than or equal to 1")),
            Map.entry("sk-lookup-relative-netns.yaml", List.of(
                    "spec.programs[0].attach.skLookup.netns: Invalid value: ", "skLookup.netns in body should match")),
            Map.entry("uprobe-member-missing.yaml", List.of(
                    "spec.programs[0].attach: Invalid value: \"object\": uprobe must be set exactly when type is Uprobe",
                    "spec.programs[0].attach: Invalid value: \"object\": uretprobe must be set exactly when type is Uretprobe")),
            Map.entry("cgroup-path-and-pods.yaml", List.of(
                    "spec.programs[0].attach.cgroup: Invalid value: \"object\": exactly one of path or pods must be set")),
            Map.entry("cgroup-neither-path-nor-pods.yaml", List.of(
                    "spec.programs[0].attach.cgroup: Invalid value: \"object\": exactly one of path or pods must be set")),
            Map.entry("cgroup-pods-without-selector.yaml", List.of(
                    "spec.programs[0].attach.cgroup.pods.selector: Required value",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("cgroup-pods-too-many-labels.yaml", List.of(
                    "spec.programs[0].attach.cgroup.pods.selector.matchLabels: Too many: 5: must have at most 3 items",
                    "<nil>: Invalid value: \"null\": some validation rules were not checked")),
            Map.entry("too-many-pod-targets.yaml", List.of(
                    "spec: Invalid value: \"object\": at most 4 programs may target pods")),
            Map.entry("interface-and-primary.yaml", List.of(
                    "spec.programs[0].attach.xdp: Invalid value: \"object\": exactly one of interface, primaryInterface: true or interfacePattern must be set",
                    "spec.programs[1].attach.tcx: Invalid value: \"object\": exactly one of interface, primaryInterface: true or interfacePattern must be set",
                    "spec.programs[2].attach.xdp: Invalid value: \"object\": exactly one of interface, primaryInterface: true or interfacePattern must be set")),
            Map.entry("interface-pattern-with-class.yaml", List.of(
                    "spec.programs[0].attach.xdp.interfacePattern: Invalid value: ", "in body should match")),
            Map.entry("intent-without-signature.yaml", List.of(
                    "spec: Invalid value: \"object\": intent and intentSignature come together")),
            Map.entry("intent-reserved-glob.yaml", List.of(
                    "spec.intent.programs[0].attach.xdp.interface.glob: Invalid value: ", "in body should match")),
            Map.entry("intent-exact-and-glob.yaml", List.of(
                    "spec.intent.programs[0].attach.xdp.interface: Invalid value: \"object\": exactly one of exact or glob must be set")),
            Map.entry("bad-condition-status.yaml", List.of(
                    "status.conditions[0].status: Unsupported value: ", "supported values: \"True\", \"False\", \"Unknown\"")),
            Map.entry("bad-transition-time.yaml", List.of("status.conditions[0].lastTransitionTime: Invalid value: \"yesterday\": "
                    + "status.conditions[0].lastTransitionTime in body must be of type date-time: \"yesterday\"")),
            Map.entry("node-state-bad-phase.yaml", List.of("status.programs[0].phase: Unsupported value: ")),
            Map.entry("node-state-duplicate-program.yaml", List.of(
                    "status.programs[1]: Duplicate value: map[string]interface {}{\"name\":\"counter\"}")));

    static List<String> validFixtures() {
        return Fixtures.names("valid");
    }

    static List<String> invalidFixtures() {
        return Fixtures.names("invalid");
    }

    @ParameterizedTest
    @MethodSource("validFixtures")
    void acceptsValidExample(String fixture) {
        assertThat(validate(Fixtures.read("valid", fixture))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidFixtures")
    void rejectsInvalidExampleWithItsSpecificError(String fixture) {
        List<String> expected = EXPECTED_VIOLATIONS.get(fixture);
        assertThat(expected).as("expected violations for invalid/%s (add them to EXPECTED_VIOLATIONS)", fixture).isNotNull();

        List<String> actual = validate(Fixtures.read("invalid", fixture)).stream().map(Violation::toString).toList();

        expected.forEach(fragment -> assertThat(actual).as("violations of invalid/%s", fixture)
                .anySatisfy(violation -> assertThat(violation).contains(fragment)));
        assertThat(actual).as("violations of invalid/%s", fixture).hasSizeLessThanOrEqualTo(expected.size());
    }

    @Test
    void acceptsTheSignedProgramOfTheGitOpsExample() {
        JsonNode program = Fixtures.read(CommittedCrds.repositoryRoot().resolve("examples/gitops/programs/counter.yaml"));

        assertThat(program.path("kind").asText()).isEqualTo("SignedBpfProgram");
        assertThat(validate(program)).isEmpty();
    }

    @Test
    void everyExpectationHasItsFixture() {
        assertThat(invalidFixtures()).containsExactlyInAnyOrderElementsOf(EXPECTED_VIOLATIONS.keySet());
    }

    @Test
    void acceptsLoaderAtItsSizeLimit() {
        assertThat(validate(counterWithLoader(SignedBpfProgramSpec.MAX_LOADER_BASE64))).isEmpty();
    }

    @Test
    void rejectsLoaderBeyondItsSizeLimit() {
        assertThat(validate(counterWithLoader(SignedBpfProgramSpec.MAX_LOADER_BASE64 + 4)))
                .extracting(Violation::toString)
                .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .isEqualTo("spec.loader: Too long: may not be more than " + SignedBpfProgramSpec.MAX_LOADER_BASE64 + " bytes");
    }

    @Test
    void compilesEveryCelRuleOfTheCrds() {
        assertThat(VALIDATORS.get("SignedBpfProgram").celRules())
                .hasSize(19)
                .contains("has(self.xdp) == (self.type == 'Xdp')", "has(self.exact) != has(self.glob)",
                        "has(self.intent) == has(self.intentSignature)",
                        AttachUnion.ONE_INTERFACE, AttachUnion.ONE_CGROUP);
        assertThat(VALIDATORS.get("BpfNodeState").celRules()).isEmpty();
    }

    private static ObjectNode counterWithLoader(int length) {
        ObjectNode counter = (ObjectNode) Fixtures.read("valid", "counter.yaml");
        ((ObjectNode) counter.get("spec")).put("loader", "A".repeat(length));
        return counter;
    }

    static List<Violation> validate(JsonNode object) {
        CrdSchemaValidator validator = VALIDATORS.get(object.path("kind").asText());
        assertThat(validator).as("a CRD for kind %s", object.path("kind").asText()).isNotNull();
        return validator.validate(object);
    }
}
