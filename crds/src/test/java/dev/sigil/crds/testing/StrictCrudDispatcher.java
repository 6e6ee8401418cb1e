package dev.sigil.crds.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.crds.schema.CrdSchemaValidator;
import dev.sigil.crds.schema.Violation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Fabric8's CRUD mock, made to admit writes as a real API server does. Every create, update, patch, status
 * write and delete passes through {@link #processEvent} just before it is stored; there the object is
 * checked and shaped the way kube-apiserver would: namespace must exist, metadata rules, the built-in kinds'
 * rules Sigil depends on, and for custom resources their CRD (defaults, pruning, schema, CEL, generation).
 * A refused write changes nothing and answers with the API server's Status body.
 *
 * <p>JSON merge patches are applied as RFC 7386 says and API servers do (arrays replaced, {@code null}
 * deletes); the stock mock merges arrays by appending.
 */
final class StrictCrudDispatcher extends KubernetesCrudDispatcher {
    private static final String CRD_RESOURCE = "apiextensions.k8s.io/customresourcedefinitions";
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubject";

    private final CustomResources customResources = new CustomResources();
    private final StoredNames storedNames = new StoredNames();
    private final ThreadLocal<Write> currentWrite = new ThreadLocal<>();
    private final OpenWatches openWatches = new OpenWatches();
    // Lists served, by collection path (without the query): how often a client listed afresh.
    private final Map<String, LongAdder> lists = new ConcurrentHashMap<>();

    private enum Operation { CREATE, UPDATE, PATCH, DELETE }

    StrictCrudDispatcher() {
        PodFieldAttributes.install(this);
    }

    /** One request being handled: what it is, and what admission decided to store and to warn about. */
    private static final class Write {
        final Operation operation;
        final boolean statusSubresource;
        final boolean strictFields;
        final List<String> warnings = new ArrayList<>();
        String stored;

        Write(Operation operation, String path) {
            this.operation = operation;
            this.statusSubresource = path.split("\\?")[0].endsWith("/status");
            this.strictFields = path.contains("fieldValidation=Strict");
        }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (request.getPath().startsWith(ACCESS_REVIEWS)) {
            return AccessReviews.answer(request);
        }
        return write(new Write(Operation.CREATE, request.getPath()), () -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return write(new Write(Operation.UPDATE, request.getPath()), () -> {
            requireResourceVersionOfCustomResource(request);
            return super.handleUpdate(request);
        });
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return write(new Write(Operation.PATCH, request.getPath()), () -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return write(new Write(Operation.DELETE, path), () -> super.handleDelete(path));
    }

    @Override
    public JsonNode merge(JsonNode baseResource, String patch) throws KubernetesCrudDispatcherException {
        try {
            return mergePatch(baseResource.deepCopy(), Serialization.jsonMapper().readTree(patch));
        } catch (JsonProcessingException e) {
            throw new KubernetesCrudDispatcherException(e.getMessage(), KubernetesCrudDispatcherHandler.HTTP_UNPROCESSABLE_ENTITY);
        }
    }

    /** A read of one object, answered as the stock mock answers it, without a scan of the whole store. */
    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = getKey(path);
        if (path.contains("watch=")) {
            return super.handleGet(path);
        }
        if (storedNames.candidates(query) == null) {
            lists.computeIfAbsent(path.split("\\?")[0], collection -> new LongAdder()).increment();
            return super.handleGet(path);
        }
        Map.Entry<AttributeSet, String> found = findResource(query);
        return found == null ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
    }

    @Override
    public MockResponse handleWatch(String path) {
        return openWatches.track(super.handleWatch(path));
    }

    OpenWatches openWatches() {
        return openWatches;
    }

    /** How many lists of this collection (a path without its query) were served. */
    long lists(String collectionPath) {
        LongAdder served = lists.get(collectionPath);
        return served == null ? 0 : served.sum();
    }

    /** As the stock mock finds the object a request names, from the candidates that bear its name. */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        Set<AttributeSet> candidates = storedNames.candidates(query);
        if (candidates == null) {
            return super.findResource(query);
        }
        Map.Entry<AttributeSet, String> found = null;
        for (AttributeSet key : candidates) {
            String stored = map.get(key);
            if (stored != null && key.matches(query)) {
                if (found != null) {
                    return super.findResource(query); // several match: the store's order decides, as in the stock mock
                }
                found = Map.entry(key, stored);
            }
        }
        return found;
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        Write write = currentWrite.get();
        String oldState = oldAttributes == null ? null : map.get(oldAttributes);
        if (write == null || newState == null) {
            if (newState == null && oldState != null && resourceOf(path).equals(CRD_RESOURCE)) {
                customResources.unregister(parse(oldState));
            }
            store(path, pathAttributes, oldAttributes, resource, newState);
            return;
        }
        write.stored = admit(path, write, oldState, newState);
        store(path, pathAttributes, oldAttributes, null, write.stored);
    }

    /** Stores the new state under the key the stock mock gives it, and keeps {@link #storedNames} in step. */
    private void store(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        if (oldAttributes != null) {
            storedNames.removed(oldAttributes);
        }
        GenericKubernetesResource stored = resource != null || newState == null ? resource
                : Serialization.unmarshal(newState, GenericKubernetesResource.class);
        super.processEvent(path, pathAttributes, oldAttributes, stored, newState);
        if (stored != null) {
            AttributeSet key = extractor().extract(stored);
            storedNames.stored(key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key));
        }
    }

    private MockResponse write(Write write, Supplier<MockResponse> handler) {
        currentWrite.set(write);
        try {
            MockResponse response = handler.get();
            if (write.stored != null && write.operation != Operation.DELETE) {
                // The stock mock answers a patch with 202; an API server answers 200 with the stored object.
                response.setBody(write.stored).setResponseCode(write.operation == Operation.CREATE ? 201 : 200);
            }
            write.warnings.forEach(warning -> response.addHeader("Warning", "299 - " + Violation.quote(warning)));
            return response;
        } catch (ApiErrors refused) {
            return refused.response();
        } finally {
            currentWrite.remove();
        }
    }

    private String admit(String path, Write write, String oldState, String newState) {
        Map<String, String> target = attributes(path);
        String group = target.getOrDefault(KubernetesAttributesExtractor.API, "");
        String plural = target.getOrDefault(KubernetesAttributesExtractor.PLURAL, "");
        ObjectNode object = (ObjectNode) parse(newState);
        JsonNode old = oldState == null ? null : parse(oldState);
        if (write.operation == Operation.DELETE) {
            return Serialization.asJson(markedForDeletion(object, old));
        }
        if (old == null) {
            requireNamespace(target.get(KubernetesAttributesExtractor.NAMESPACE));
        }
        List<Violation> violations = new ArrayList<>(ObjectMetaRules.check(plural, object, old));
        violations.addAll(CoreKindRules.check(group, plural, object));
        Optional<CrdSchemaValidator> crd = customResources.validator(group, plural);
        if (crd.isPresent()) {
            CrdSchemaValidator.Admission admission = crd.get().admit(object, old);
            if (write.strictFields && !admission.prunedFields().isEmpty()) {
                throw ApiErrors.badRequest(object.path("kind").asText() + " in version " + Violation.quote(version(object))
                        + " cannot be handled as a " + object.path("kind").asText() + ": strict decoding error: "
                        + admission.prunedFields().stream().map(field -> "unknown field " + Violation.quote(field))
                                .collect(Collectors.joining(", ")));
            }
            admission.prunedFields().forEach(field -> write.warnings.add("unknown field " + Violation.quote(field)));
            object = (ObjectNode) admission.object();
            violations.addAll(admission.violations());
            if (old != null && !write.statusSubresource) {
                object.withObject("metadata").put("generation", generationAfter(object, old));
            }
        }
        if (!violations.isEmpty()) {
            throw ApiErrors.invalid(object.path("kind").asText(), group, object.path("metadata").path("name").asText(), violations);
        }
        if ((group + "/" + plural).equals(CRD_RESOURCE)) {
            customResources.register(object);
        }
        if (old != null && unchangedButResourceVersion(object, old)) {
            return oldState;
        }
        return Serialization.asJson(object);
    }

    /**
     * A delete that finalizers hold up: as the API server marks it, with its generation bumped and a grace
     * period of zero, besides the deletion timestamp the stock mock sets.
     */
    private static JsonNode markedForDeletion(ObjectNode object, JsonNode old) {
        ObjectNode metadata = object.withObject("metadata");
        boolean newlyMarked = old != null && !old.path("metadata").hasNonNull("deletionTimestamp");
        long generation = metadata.path("generation").asLong(0);
        if (newlyMarked && generation > 0) {
            metadata.put("generation", generation + 1);
        }
        metadata.put("deletionGracePeriodSeconds", 0);
        return object;
    }

    /** A custom resource's generation moves when anything but its metadata and status changed. */
    private static long generationAfter(JsonNode object, JsonNode old) {
        long before = old.path("metadata").path("generation").asLong(1);
        return withoutMetadataAndStatus(object).equals(withoutMetadataAndStatus(old)) ? before : before + 1;
    }

    private static JsonNode withoutMetadataAndStatus(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove(List.of("metadata", "status"));
        return copy;
    }

    /** A write that changes nothing (once pruned and defaulted) is no write: same resourceVersion, no watch event. */
    private static boolean unchangedButResourceVersion(JsonNode object, JsonNode old) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = old.deepCopy();
        a.withObject("metadata").remove("resourceVersion");
        b.withObject("metadata").remove("resourceVersion");
        return a.equals(b);
    }

    /** The NamespaceLifecycle admission plugin: nothing is created in a namespace that does not exist. */
    private void requireNamespace(String namespace) {
        if (namespace != null && findResource(getKey("/api/v1/namespaces/" + namespace)) == null) {
            throw ApiErrors.notFound("namespaces", namespace);
        }
    }

    /** A custom resource's strategy allows no unconditional update: a PUT must name the version it replaces. */
    private void requireResourceVersionOfCustomResource(RecordedRequest request) {
        Map<String, String> target = attributes(request.getPath());
        String group = target.getOrDefault(KubernetesAttributesExtractor.API, "");
        if (customResources.validator(group, target.getOrDefault(KubernetesAttributesExtractor.PLURAL, "")).isEmpty()) {
            return;
        }
        JsonNode body = parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
        if (body.path("metadata").path("resourceVersion").asText("").isEmpty()) {
            throw ApiErrors.invalid(body.path("kind").asText(), group, body.path("metadata").path("name").asText(),
                    List.of(Violation.invalidGoValue("metadata.resourceVersion", "0x0", "must be specified for an update")));
        }
    }

    private Map<String, String> attributes(String path) {
        return extractor().fromKubernetesPath(path);
    }

    private KubernetesAttributesExtractor extractor() {
        return (KubernetesAttributesExtractor) getAttributeExtractor();
    }

    private String resourceOf(String path) {
        Map<String, String> target = attributes(path);
        return target.getOrDefault(KubernetesAttributesExtractor.API, "") + "/" + target.getOrDefault(KubernetesAttributesExtractor.PLURAL, "");
    }

    private static String version(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    private static JsonNode parse(String json) {
        try {
            return Serialization.jsonMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw ApiErrors.badRequest("cannot parse the object: " + e.getOriginalMessage());
        }
    }

    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode merged = target != null && target.isObject() ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
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
