package dev.sigil.api.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the one resource reader reads, and how it refuses everything else: in one line, before the costly work. */
class ResourceReaderTest {
    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"counter", "attach-kinds"})
    void readsWhatSignWritesAsYamlAndAsJson(String which) throws Exception {
        SignedBpfProgram signed = which.equals("counter") ? SignedFixtures.counter("counter")
                : SignedFixtures.attachKinds("attach-kinds");

        SignedBpfProgram fromYaml = ResourceReader.read(FABRIC8.asYaml(signed).getBytes(StandardCharsets.UTF_8), "y");
        SignedBpfProgram fromJson = ResourceReader.read(FABRIC8.asJson(signed).getBytes(StandardCharsets.UTF_8), "j");

        assertThat(json(fromYaml)).isEqualTo(json(signed));
        assertThat(json(fromJson)).isEqualTo(json(signed));
    }

    @Test
    void readsWhatKubectlGetPrintsLeavingTheServersFieldsAside() throws Exception {
        SignedBpfProgram signed = SignedFixtures.counter("counter");
        ObjectNode fromServer = (ObjectNode) json(signed);
        ObjectNode metadata = (ObjectNode) fromServer.get("metadata");
        metadata.put("uid", "0b5e4f4c-1111-2222-3333-444455556666").put("resourceVersion", "4711")
                .put("creationTimestamp", "2025-11-20T10:15:00Z").putNull("deletionTimestamp");
        metadata.putArray("managedFields").addObject().put("manager", "kubectl").put("operation", "Apply")
                .putObject("fieldsV1").putObject("f:spec").putObject("f:programs").putObject("k:{\"name\":\"x\"}");
        fromServer.putObject("status").put("targetedNodes", 3).putArray("conditions").addObject().put("type", "Ready");

        SignedBpfProgram read = ResourceReader.read(fromServer.toString().getBytes(StandardCharsets.UTF_8), "kubectl");

        assertThat(json(read).get("spec")).isEqualTo(json(signed).get("spec"));
        assertThat(read.getMetadata().getName()).isEqualTo("counter");
        assertThat(read.getStatus()).isNull();
    }

    @Test
    void readsTheCommittedGitOpsExample() throws Exception {
        SignedBpfProgram example = ResourceReader.read(repositoryRoot().resolve("examples/gitops/programs/counter.yaml"));

        assertThat(example.getSpec().getPrograms()).singleElement()
                .satisfies(program -> assertThat(program.getName()).isEqualTo("count_sys_enter"));
    }

    @Test
    void refusesAFileLargerThanAnyResourceBeforeReadingIt() throws IOException {
        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(50L << 20);
        }

        assertThatThrownBy(() -> ResourceReader.read(huge))
                .isInstanceOf(ResourceException.class)
                .hasMessage(huge + ": is 52428800 bytes; a SignedBpfProgram file holds at most 3145728 (the largest the"
                        + " schema admits is about 1.4 MB)");
    }

    @Test
    void readsNoMoreOfAStreamThanAResourceMayHold() {
        CountingStream endless = new CountingStream("spec:\n  loader: ", 'A');

        assertThatThrownBy(() -> ResourceReader.read(endless, "-"))
                .hasMessage("-: is 3145729 bytes; a SignedBpfProgram file holds at most 3145728 (the largest the schema"
                        + " admits is about 1.4 MB)");
        assertThat(endless.read).isEqualTo(ResourceLimits.MAX_DOCUMENT_BYTES + 1);
    }

    @Test
    void refusesAnOversizedBase64FieldByItsLengthBeforeAnythingDecodesIt() {
        String yaml = counterYaml().replaceFirst("loader: \"[^\"]*\"",
                "loader: \"" + "A".repeat(SignedBpfProgramSpec.MAX_LOADER_BASE64 + 4) + "\"");

        assertThatThrownBy(() -> read(yaml)).hasMessage("counter.yaml: spec.loader: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…'"
                + " is 262148 characters, more than the 262144 allowed (base64)");
    }

    @Test
    void refusesTenThousandLevelsOfNestingInOneLine() {
        String deep = "spec:\n  programs: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

        assertThatThrownBy(() -> read(deep)).hasMessage("counter.yaml: lists and maps nest more than 32 levels deep"
                + " (a SignedBpfProgram needs 8)");
    }

    @Test
    void expandsNoAliasOfAListOrMap() {
        StringBuilder laughs = new StringBuilder("apiVersion: sigil.dev/v1alpha1\nkind: SignedBpfProgram\n"
                + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            String previous = "*a" + (i - 1);
            laughs.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", List.of(previous, previous, previous, previous, previous, previous,
                            previous, previous, previous))).append("]\n");
        }

        assertThatThrownBy(() -> read(laughs.toString())).hasMessage("counter.yaml: a YAML alias of a list or map: the"
                + " reader expands none (each could expand without bound)");
    }

    @Test
    void namesTheFirstByteThatIsNotUtf8() {
        byte[] latin1 = "apiVersion: sigil.dev/v1alpha1\nkind: Sign\u00e9dBpfProgram\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> ResourceReader.read(latin1, "latin1.yaml")).hasMessage("latin1.yaml: not UTF-8 text:"
                + " byte 0xe9 at offset 41 does not start a valid UTF-8 sequence");
    }

    @Test
    void refusesANumberBeyondSixtyFourBits() {
        String yaml = counterYaml().replaceFirst("generation: 1", "generation: 99999999999999999999");

        assertThatThrownBy(() -> read(yaml)).hasMessage("counter.yaml: line 5: metadata.generation is"
                + " 99999999999999999999, beyond what a 64-bit integer holds");
    }

    @Test
    void namesANullListInsteadOfFailingOnIt() {
        assertThatThrownBy(() -> read(counterYaml().replaceFirst("(?s)  programs:\n.*?\n  maps:", "  programs: null\n  maps:")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.programs is null: leave it out or give it a value");
        assertThatThrownBy(() -> read(counterYaml().replaceFirst("(?s)  maps:\n.*?\n  nodeSelector:", "  maps: null\n  nodeSelector:")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.maps is null: leave it out or give it a value");
    }

    @Test
    void namesARawTracepointWithoutItsName() {
        assertThatThrownBy(() -> read(counterYaml().replaceFirst("rawTracepoint:\n\\s*name: \"sys_enter\"", "rawTracepoint: {}")))
                .hasMessageStartingWith("counter.yaml: spec.programs[0].attach.rawTracepoint.name is required");
        assertThatThrownBy(() -> read(counterYaml().replaceFirst("(?s)      rawTracepoint:\n\\s*name: \"sys_enter\"\n", "")))
                .hasMessageStartingWith("counter.yaml: spec.programs[0].attach: type RawTracepoint needs "
                        + "spec.programs[0].attach.rawTracepoint");
    }

    @Test
    void refusesProgramAndMapNamesThatWouldLeaveThePinDirectory() {
        assertThatThrownBy(() -> read(counterYaml().replace("- name: \"count_sys_enter\"", "- name: \"count_sys_enter/x\"")))
                .hasMessageStartingWith("counter.yaml: spec.programs[0].name: 'count_sys_enter/x' is 17 characters,"
                        + " more than the 15 allowed (a program name: letters, digits and '_'");
        assertThatThrownBy(() -> read(counterYaml().replace("- name: \"count_sys_enter\"", "- name: \"/../../..\"")))
                .hasMessageStartingWith("counter.yaml: spec.programs[0].name: '/../../..' is not a program name");
        assertThatThrownBy(() -> read(counterYaml().replace("- name: \"counts\"\n    pin: false",
                "- name: \"../../x\"\n    pin: true")))
                .hasMessageStartingWith("counter.yaml: spec.maps[0].name: '../../x' is not a map name");
    }

    @Test
    void refusesTwoProgramsOrMapsOfOneName() {
        assertThatThrownBy(() -> read(counterYaml().replace("- name: \"data\"", "- name: \"counts\"")))
                .hasMessageStartingWith("counter.yaml: spec.maps[1].name: 'counts' is already the name of spec.maps[0];"
                        + " names must be unique");
    }

    @Test
    void refusesUnknownFieldsDuplicateKeysAndWrongTypesByLine() {
        assertThatThrownBy(() -> read(counterYaml().replace("  enforcement:", "  enforcment:")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.enforcment is not a field here; the fields are "
                        + "loader, metadata, hash, signature, protocol, programs, maps, nodeSelector, intent, "
                        + "intentSignature, enforcement");
        assertThatThrownBy(() -> read(counterYaml().replace("  enforcement: \"Auto\"", "  enforcement: \"Auto\"\n  enforcement: \"Kernel\"")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.enforcement appears twice");
        assertThatThrownBy(() -> read(counterYaml().replace("pin: false", "pin: \"false\"")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.maps\\[0]\\.pin must be true or false, not the string 'false'");
        assertThatThrownBy(() -> read(counterYaml().replace("  enforcement: \"Auto\"", "  enforcement: Automatic")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.enforcement is 'Automatic', not one of Auto, Kernel, Agent");
        assertThatThrownBy(() -> read(counterYaml().replace("name: \"counter\"", "name: 12")))
                .hasMessageMatching("counter\\.yaml: line \\d+: metadata\\.name must be a string, not the number 12 \\(quote it\\)");
    }

    @Test
    void refusesWhatIsNotOneSignedBpfProgram() {
        assertThatThrownBy(() -> read("")).hasMessage("counter.yaml: empty; expected a SignedBpfProgram");
        assertThatThrownBy(() -> read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"))
                .hasMessage("counter.yaml: a Pod (v1), not a SignedBpfProgram (sigil.dev/v1alpha1)");
        assertThatThrownBy(() -> read("- a\n- b\n")).hasMessage("counter.yaml: line 1: the document must be a map, not a list");
        assertThatThrownBy(() -> read(counterYaml() + "---\n" + counterYaml()))
                .hasMessageMatching("counter\\.yaml: line \\d+: not YAML or JSON: expected a single document in the stream:"
                        + " but found another document");
        assertThatThrownBy(() -> read("{ not: [yaml")).hasMessageStartingWith("counter.yaml: line 1: not YAML or JSON: ");
        assertThatThrownBy(() -> read("!d%a")).hasMessage("counter.yaml: not YAML or JSON: Tag must not contain leading or trailing spaces.");
        assertThatThrownBy(() -> read(counterYaml().replace("kind: \"SignedBpfProgram\"", "kind: \"SignedBpfProgram\"\nextra: 1")))
                .hasMessageMatching("counter\\.yaml: line \\d+: extra is not a field of a SignedBpfProgram; the fields are"
                        + " apiVersion, kind, metadata, spec and status");
    }

    @Test
    void showsKeysAndValuesTheDocumentWroteOnOneLine() {
        assertThatThrownBy(() -> read(counterYaml().replace("  enforcement:", "  \"enforce\\nment: forged\":")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.enforce\\\\x0ament: forged is not a field here; .*")
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> read(counterYaml().replace("kind: \"SignedBpfProgram\"", "kind: \"SignedBpfProgram\"\n\"ex\\rtra\": 1")))
                .hasMessageMatching("counter\\.yaml: line \\d+: ex\\\\x0dtra is not a field of a SignedBpfProgram; .*");
        assertThatThrownBy(() -> read(counterYaml().replace("kind: \"SignedBpfProgram\"", "kind: \"Pod\\nnot\"")))
                .hasMessage("counter.yaml: a Pod\\x0anot (sigil.dev/v1alpha1), not a SignedBpfProgram (sigil.dev/v1alpha1)");
        assertThatThrownBy(() -> read(counterYaml().replace("  enforcement:", "  \"" + "k".repeat(60) + "\": 1\n  enforcement:")))
                .hasMessageMatching("counter\\.yaml: line \\d+: spec\\.k{40}… is not a field here; .*");
        assertThatThrownBy(() -> read(counterYaml().replaceFirst("generation: \\d+", "generation: !!int \"1\\\\n2\"")))
                .hasMessageMatching("counter\\.yaml: line \\d+: metadata\\.generation must be a decimal integer, not '1\\\\x0a2'");
    }

    @Test
    void namesAMissingFile() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> ResourceReader.read(missing)).hasMessage(missing + ": no such file or directory");
    }

    @Test
    void readsEachFileOnItsOwnAndRefusesASecondResourceOfOneName() throws IOException {
        Path first = Files.writeString(dir.resolve("a.yaml"), counterYaml());
        Path junk = Files.writeString(dir.resolve("junk.yaml"), "{ not: [yaml");
        Path second = Files.writeString(dir.resolve("b.yaml"), counterYaml());

        List<ResourceFile> results = ResourceReader.readEach(List.of(first, junk, second));

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOf(ResourceFile.Read.class);
        assertThat(results.get(1)).isInstanceOfSatisfying(ResourceFile.Refused.class, refused ->
                assertThat(refused.message()).startsWith(junk + ": line 1: not YAML or JSON"));
        assertThat(results.get(2)).isEqualTo(new ResourceFile.Refused(second,
                second + ": a second resource named 'counter' (the first is in " + first + ")"));
    }

    private static String counterYaml() {
        return FABRIC8.asYaml(SignedFixtures.counter("counter"));
    }

    private static SignedBpfProgram read(String yaml) throws ResourceException {
        return ResourceReader.read(yaml.getBytes(StandardCharsets.UTF_8), "counter.yaml");
    }

    private static JsonNode json(SignedBpfProgram resource) {
        return FABRIC8.unmarshal(FABRIC8.asJson(resource), JsonNode.class);
    }

    static Path repositoryRoot() {
        String root = System.getenv("SIGIL_ROOT");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /** A prefix, then the same byte for ever, counting what is read. */
    private static final class CountingStream extends InputStream {
        private final byte[] prefix;
        private final byte filler;
        long read;

        CountingStream(String prefix, char filler) {
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.filler = (byte) filler;
        }

        @Override
        public int read() {
            int next = read < prefix.length ? prefix[(int) read] : filler;
            read++;
            return next;
        }
    }
}
