package dev.sigil.crds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigil.crds.schema.CrdSchemaValidator;
import dev.sigil.crds.schema.Violation;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The CRDs the server was given, each with the validator that admits writes of its kind. */
final class CustomResources {
    /** Compiling a CRD's schema and CEL rules takes a while; tests start many servers with the same CRDs. */
    private static final Map<JsonNode, CrdSchemaValidator> COMPILED = new ConcurrentHashMap<>();

    private final Map<String, CrdSchemaValidator> validators = new ConcurrentHashMap<>();

    /** Compiles the CRD's validator now, on the caller's thread, so that registering it later is quick. */
    static void precompile(CustomResourceDefinition crd) {
        compiled(Serialization.jsonMapper().valueToTree(crd));
    }

    private static CrdSchemaValidator compiled(JsonNode crdJson) {
        return COMPILED.computeIfAbsent(crdJson.path("spec"), spec -> new CrdSchemaValidator(
                Serialization.jsonMapper().convertValue(crdJson, CustomResourceDefinition.class)));
    }

    /**
     * A created or updated CRD, checked as the API server checks one (every default must be valid for its
     * own schema), then enforced on every later write of its kind.
     */
    void register(JsonNode crdJson) {
        CrdSchemaValidator validator = compiled(crdJson);
        List<Violation> invalidDefaults = validator.invalidDefaults();
        if (!invalidDefaults.isEmpty()) {
            throw ApiErrors.invalid("CustomResourceDefinition", "apiextensions.k8s.io",
                    crdJson.path("metadata").path("name").asText(), invalidDefaults);
        }
        JsonNode spec = crdJson.path("spec");
        validators.put(key(spec.path("group").asText(), spec.path("names").path("plural").asText()), validator);
    }

    void unregister(JsonNode crdJson) {
        validators.remove(key(crdJson.path("spec").path("group").asText(), crdJson.path("spec").path("names").path("plural").asText()));
    }

    Optional<CrdSchemaValidator> validator(String group, String plural) {
        return Optional.ofNullable(validators.get(key(group, plural)));
    }

    private static String key(String group, String plural) {
        return plural + "." + group;
    }
}
