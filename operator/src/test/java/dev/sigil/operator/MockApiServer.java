package dev.sigil.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;

/**
 * The Fabric8 mock API server in CRUD mode with Sigil's generated CRDs registered, so the status
 * subresource and cluster scope behave as on a real server. JSON merge patches are applied as RFC 7386
 * says and API servers do: the stock mock merges arrays by appending, so a node agent's status patch
 * would pile up every report it ever made.
 */
public final class MockApiServer implements AutoCloseable {
    public static final List<String> CRDS = List.of(
            "META-INF/fabric8/signedbpfprograms.sigil.dev-v1.yml",
            "META-INF/fabric8/bpfnodestates.sigil.dev-v1.yml");

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    public MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new Rfc7386CrudDispatcher(), false);
        server.init();
        client = server.createClient();
        for (String crd : CRDS) {
            try (InputStream yaml = MockApiServer.class.getClassLoader().getResourceAsStream(crd)) {
                if (yaml == null) {
                    throw new IllegalStateException(crd + " is not on the test classpath; build the crds module first");
                }
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class))
                        .create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Rfc7386CrudDispatcher extends KubernetesCrudDispatcher {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public JsonNode merge(JsonNode baseResource, String patch) throws KubernetesCrudDispatcherException {
            try {
                return mergePatch(baseResource.deepCopy(), JSON.readTree(patch));
            } catch (JsonProcessingException e) {
                throw new KubernetesCrudDispatcherException(e.getMessage(), 422);
            }
        }

        private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
            if (!patch.isObject()) {
                return patch;
            }
            ObjectNode merged = target != null && target.isObject()
                    ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
            patch.properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), mergePatch(merged.get(field.getKey()), field.getValue()));
                }
            });
            return merged;
        }
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
