package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.SchemaMergePatch;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.intent}: the signed intent (document format {@code SigilIntentV1}). The release pipeline's
 * signer approves it with {@code spec.intentSignature}, a CMS signature over its RFC 8785 canonical JSON.
 * No field has a schema default and empty lists and maps are refused: what the API server stores must be
 * exactly what was signed.
 */
@SchemaCustomizer(value = SchemaMergePatch.class, input = """
        {"properties": {
           "programs": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
           "maps": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]},
           "requiredNodeLabels": {"additionalProperties": {"maxLength": 63}}}}
        """)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IntentSpec {
    @Required
    @Size(max = 20)
    @Pattern("^SigilIntentV[1-9][0-9]{0,3}$")
    @JsonPropertyDescription("Document format: SigilIntentV1. A verifier refuses formats it does not know (MalformedIntent).")
    private String format;

    @Required
    @JsonPropertyDescription("The signed-loader protocol the intent binds; must equal spec.protocol.")
    private Protocol protocol;

    @Required
    @Size(max = 71)
    @Pattern("^sha256:[0-9a-f]{64}$")
    @JsonPropertyDescription("SHA-256 of the signed loader (spec.loader, decoded), as 'sha256:' plus 64 lowercase hex digits.")
    private String loaderHash;

    @Required
    @Size(max = 71)
    @Pattern("^sha256:[0-9a-f]{64}$")
    @JsonPropertyDescription("The metadata hash the intent binds; must equal spec.hash.")
    private String metadataHash;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Every program, in skeleton order, with where it may attach; spec.programs must list the same programs in the same order, each attach point satisfying its binding.")
    private List<ProgramIntentSpec> programs;

    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Every map, in skeleton order, with its pin flag; spec.maps must be the same. Absent when the program has no maps.")
    private List<MapIntentSpec> maps;

    @Required
    @JsonPropertyDescription("The weakest enforcement the resource may ask for (Agent < Auto < Kernel): spec.enforcement must be this or stronger.")
    private Enforcement minimumEnforcement;

    @Size(min = 1, max = 32)
    @JsonPropertyDescription("Node labels spec.nodeSelector must require (in matchLabels, or matchExpressions 'In' with exactly that value). Which nodes run the program is otherwise the cluster's choice.")
    private Map<String, String> requiredNodeLabels;

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public String getLoaderHash() {
        return loaderHash;
    }

    public void setLoaderHash(String loaderHash) {
        this.loaderHash = loaderHash;
    }

    public String getMetadataHash() {
        return metadataHash;
    }

    public void setMetadataHash(String metadataHash) {
        this.metadataHash = metadataHash;
    }

    public List<ProgramIntentSpec> getPrograms() {
        return programs;
    }

    public void setPrograms(List<ProgramIntentSpec> programs) {
        this.programs = programs;
    }

    public List<MapIntentSpec> getMaps() {
        return maps;
    }

    public void setMaps(List<MapIntentSpec> maps) {
        this.maps = maps;
    }

    public Enforcement getMinimumEnforcement() {
        return minimumEnforcement;
    }

    public void setMinimumEnforcement(Enforcement minimumEnforcement) {
        this.minimumEnforcement = minimumEnforcement;
    }

    public Map<String, String> getRequiredNodeLabels() {
        return requiredNodeLabels;
    }

    public void setRequiredNodeLabels(Map<String, String> requiredNodeLabels) {
        this.requiredNodeLabels = requiredNodeLabels;
    }
}
