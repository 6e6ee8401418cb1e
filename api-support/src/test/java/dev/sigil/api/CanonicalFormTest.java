package dev.sigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.intent.CanonicalJson;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The signed bytes are RFC 8785 canonical JSON of {@code spec.intent}: the adapter's encoding of the intent
 * equals the RFC's reference implementation applied to the intent as any other tool serialises it (YAML
 * written and read back, members reordered, characters escaped differently), so a third party can check the
 * signature from {@code kubectl get -o json} alone.
 */
class CanonicalFormTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoIndependentSerializationsOfTheSameIntentGiveIdenticalBytes() throws Exception {
        for (SignedBpfProgram resource : List.of(SignedFixtures.counter("c"), SignedFixtures.attachKinds("k"),
                SignedFixtures.podTargeted("p"))) {
            byte[] ours = SignedSpecs.intent(resource.getSpec().getIntent()).canonicalBytes();

            String yaml = SERIALIZATION.asYaml(resource);
            JsonNode intent = SERIALIZATION.unmarshal(yaml, JsonNode.class).path("spec").path("intent");
            String reordered = escapeLetters(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reversed(intent)));
            byte[] reference = new JsonCanonicalizer(reordered).getEncodedUTF8();

            assertThat(reordered).isNotEqualTo(new String(ours, StandardCharsets.UTF_8));
            assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(reference, StandardCharsets.UTF_8));
            assertThat(ours).isEqualTo(reference);
        }
    }

    @Test
    void theSameIntentBuiltInAnotherOrderSignsTheSameBytes() throws Exception {
        var first = SignedFixtures.counter("a").getSpec();
        var second = SignedFixtures.counter("b").getSpec();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z.example/last", "1");
        labels.put("a.example/first", "2");
        first.getIntent().setRequiredNodeLabels(labels);
        second.getIntent().setRequiredNodeLabels(new TreeMap<>(labels).descendingMap());

        assertThat(SignedSpecs.intent(first.getIntent()).canonicalBytes())
                .isEqualTo(SignedSpecs.intent(second.getIntent()).canonicalBytes());
    }

    @Test
    void encodesStringsAndMemberOrderAsTheReferenceImplementation() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("\u20ac", "euro \u20ac and \uD83D\uDE00");
        value.put("\r", "carriage\r\nreturn\ttab\u0001\u001f\"quote\" \\back/slash");
        value.put("1", List.of(true, false, 0, -9007199254740991L, 9007199254740991L));
        value.put("\u00e9", Map.of());
        value.put("A", List.of());

        String json = JSON.writeValueAsString(value);

        assertThat(new String(CanonicalJson.encode(value), StandardCharsets.UTF_8))
                .isEqualTo(new String(new JsonCanonicalizer(json).getEncodedUTF8(), StandardCharsets.UTF_8));
    }

    @Test
    void theCanonicalFormOfTheExampleReadsAsDocumented() throws Exception {
        String canonical = new String(SignedSpecs.intent(SignedFixtures.counter("c").getSpec().getIntent()).canonicalBytes(),
                StandardCharsets.UTF_8);

        assertThat(canonical).startsWith("{\"format\":\"SigilIntentV1\",\"loaderHash\":\"sha256:")
                .contains(",\"maps\":[{\"name\":\"counts\",\"pin\":false},{\"name\":\"data\",\"pin\":false}],"
                        + "\"metadataHash\":\"sha256:")
                .contains("\"minimumEnforcement\":\"Auto\",\"programs\":[{\"attach\":{\"rawTracepoint\":{\"name\":\"sys_enter\"},"
                        + "\"type\":\"RawTracepoint\"},\"name\":\"count_sys_enter\"}],\"protocol\":\"LoaderHashV1\","
                        + "\"requiredNodeLabels\":{\"sigil.dev/pool\":\"bpf\"}}")
                .doesNotContain(" ", "\n");
    }

    /** The same JSON with every object's members in reverse order. */
    private static JsonNode reversed(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            Collections.reverse(members);
            members.forEach(member -> copy.set(member.getKey(), reversed(member.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(reversed(element)));
            return copy;
        }
        return node;
    }

    /** Writes every 'e' inside strings as \u0065: the same JSON value, other bytes. */
    private static String escapeLetters(String json) {
        return json.replace("e", "\\u0065").replace("tru\\u0065", "true").replace("fals\\u0065", "false");
    }
}
