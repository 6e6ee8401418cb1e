package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final Map<String, CrdSchemaValidator> VALIDATORS = GeneratedCrds.all().stream()
            .collect(Collectors.toMap(crd -> crd.getSpec().getNames().getKind(), CrdSchemaValidator::new));

    /** Fixture file name to the violations it must produce: each "path: message fragment". */
    private static final Map<String, List<String>> EXPECTED_VIOLATIONS = Map.ofEntries(
            Map.entry("bad-hash-pattern.yaml", List.of("$.spec.hash: does not match the regex pattern ^sha256:[0-9a-f]{64}$")),
            Map.entry("missing-signature.yaml", List.of("$.spec: required property 'signature' not found")),
            Map.entry("loader-not-base64.yaml", List.of("$.spec.loader: does not match the regex pattern")),
            Map.entry("two-attach-members.yaml", List.of("$.spec.programs[0].attach: xdp must be set exactly when type is Xdp")),
            Map.entry("attach-member-mismatch.yaml", List.of(
                    "$.spec.programs[0].attach: tcx must be set exactly when type is Tcx",
                    "$.spec.programs[0].attach: xdp must be set exactly when type is Xdp")),
            Map.entry("unknown-attach-type.yaml", List.of("$.spec.programs[0].attach.type: does not have a value in the enumeration")),
            Map.entry("interface-name-too-long.yaml", List.of(
                    "$.spec.programs[0].attach.xdp.interface: must be at most 15 characters long",
                    "$.spec.programs[0].attach.xdp.interface: does not match the regex pattern")),
            Map.entry("duplicate-program-names.yaml", List.of("$.spec.programs[1]: Duplicate value: {\"name\":\"count_sys_enter\"}")),
            Map.entry("no-programs.yaml", List.of("$.spec.programs: must have at least 1 items but found 0")),
            Map.entry("too-many-programs.yaml", List.of("$.spec.programs: must have at most 64 items but found 65")),
            Map.entry("bad-enforcement.yaml", List.of("$.spec.enforcement: does not have a value in the enumeration [\"Agent\", \"Auto\", \"Kernel\"]")),
            Map.entry("unknown-protocol.yaml", List.of("$.spec.protocol: does not have a value in the enumeration")),
            Map.entry("misspelt-field.yaml", List.of("$.spec: property 'enforcment' is not defined in the schema")),
            Map.entry("selector-in-without-values.yaml", List.of(
                    "$.spec.nodeSelector.matchExpressions[0]: values must be non-empty for In and NotIn")),
            Map.entry("relative-cgroup-path.yaml", List.of("$.spec.programs[0].attach.cgroup.path: does not match the regex pattern ^/")),
            Map.entry("uprobe-path-escapes.yaml", List.of("$.spec.programs[0].attach.uprobe.binary: does not match the regex pattern")),
            Map.entry("tracepoint-path-in-name.yaml", List.of(
                    "$.spec.programs[0].attach.tracepoint.category: does not match the regex pattern")),
            Map.entry("uprobe-negative-offset.yaml", List.of(
                    "$.spec.programs[0].attach.uprobe.offset: must have a minimum value of 0",
                    "$.spec.programs[0].attach.uprobe.pid: must have a minimum value of 1")),
            Map.entry("sk-lookup-relative-netns.yaml", List.of(
                    "$.spec.programs[0].attach.skLookup.netns: does not match the regex pattern")),
            Map.entry("uprobe-member-missing.yaml", List.of(
                    "$.spec.programs[0].attach: uprobe must be set exactly when type is Uprobe",
                    "$.spec.programs[0].attach: uretprobe must be set exactly when type is Uretprobe")),
            Map.entry("intent-without-signature.yaml", List.of("$.spec: intent and intentSignature come together")),
            Map.entry("intent-reserved-glob.yaml", List.of(
                    "$.spec.intent.programs[0].attach.xdp.interface.glob: does not match the regex pattern")),
            Map.entry("intent-exact-and-glob.yaml", List.of(
                    "$.spec.intent.programs[0].attach.xdp.interface: exactly one of exact or glob must be set")),
            Map.entry("bad-condition-status.yaml", List.of("$.status.conditions[0].status: does not have a value in the enumeration")),
            Map.entry("node-state-bad-phase.yaml", List.of("$.status.programs[0].phase: does not have a value in the enumeration")),
            Map.entry("node-state-duplicate-program.yaml", List.of("$.status.programs[1]: Duplicate value: {\"name\":\"counter\"}")));

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

        assertThat(actual).as("violations of invalid/%s", fixture).hasSameSizeAs(expected);
        expected.forEach(fragment -> assertThat(actual).as("violations of invalid/%s", fixture)
                .anySatisfy(violation -> assertThat(violation).contains(fragment)));
    }

    @Test
    void acceptsTheSignedProgramOfTheGitOpsExample() {
        JsonNode program = Fixtures.read(CommittedCrdsTest.repositoryRoot().resolve("examples/gitops/programs/counter.yaml"));

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
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("$.spec.loader: must be at most ")
                .endsWith(" characters long");
    }

    @Test
    void compilesEveryCelRuleOfTheCrds() {
        assertThat(VALIDATORS.get("SignedBpfProgram").celRules())
                .hasSize(16)
                .contains("has(self.xdp) == (self.type == 'Xdp')", "has(self.exact) != has(self.glob)",
                        "has(self.intent) == has(self.intentSignature)");
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
