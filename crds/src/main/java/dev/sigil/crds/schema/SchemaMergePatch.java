package dev.sigil.crds.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Applies an RFC 7386 JSON merge patch to a class's generated schema, for what annotations cannot
 * express: descriptions of the root, spec and status, list-map keys, bounds on Kubernetes' own types.
 *
 * <p>Used only by the CRD generator at build time ({@code @SchemaCustomizer(SchemaMergePatch.class)}).
 * Fabric8's own {@code MergePatchCustomizer} updates the schema through Jackson, which replaces a
 * nested property wholesale instead of merging into it.
 */
public final class SchemaMergePatch implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String patch, KubernetesSerialization serialization) {
        JsonNode merged = merge(serialization.convertValue(schema, JsonNode.class),
                serialization.unmarshal(patch, JsonNode.class));
        return serialization.convertValue(merged, JSONSchemaProps.class);
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (var field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
