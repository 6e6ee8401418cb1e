package dev.sigil.agent.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's cache that keeps of each object only what the agent reads. What others attach to an object is
 * most of it on a real cluster: a Node carries the list of every image on it, every object its {@code
 * managedFields}, and a resource applied with client-side {@code kubectl apply} a second copy of itself in an
 * annotation (for a SignedBpfProgram, the signed loader twice). Fabric8 hands the informer's handlers the cached
 * object as the "before" of an update, so whatever a handler compares must be kept.
 */
final class TrimmedStore<T extends HasMetadata> implements ItemStore<T> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> trim;

    private TrimmedStore(UnaryOperator<T> trim) {
        this.trim = trim;
    }

    /** Whole objects less the API server's and kubectl's bookkeeping, which the agent never reads. */
    static <T extends HasMetadata> TrimmedStore<T> withoutBookkeeping() {
        return new TrimmedStore<>(TrimmedStore::withoutBookkeeping);
    }

    /**
     * Untyped objects reduced to their identity (name, namespace, UID, resource version), their labels and the
     * fields at these paths (each a list of keys).
     */
    static TrimmedStore<GenericKubernetesResource> keeping(List<List<String>> paths) {
        return new TrimmedStore<>(resource -> keeping(resource, paths));
    }

    static <T extends HasMetadata> T withoutBookkeeping(T resource) {
        ObjectMeta metadata = resource.getMetadata();
        metadata.setManagedFields(null);
        if (metadata.getAnnotations() != null && metadata.getAnnotations().containsKey(LAST_APPLIED)) {
            Map<String, String> annotations = new LinkedHashMap<>(metadata.getAnnotations());
            annotations.remove(LAST_APPLIED);
            metadata.setAnnotations(annotations);
        }
        return resource;
    }

    static GenericKubernetesResource keeping(GenericKubernetesResource resource, List<List<String>> paths) {
        ObjectMeta full = resource.getMetadata();
        ObjectMeta identity = new ObjectMeta();
        identity.setName(full.getName());
        identity.setNamespace(full.getNamespace());
        identity.setUid(full.getUid());
        identity.setResourceVersion(full.getResourceVersion());
        identity.setLabels(full.getLabels());
        GenericKubernetesResource trimmed = new GenericKubernetesResource();
        trimmed.setApiVersion(resource.getApiVersion());
        trimmed.setKind(resource.getKind());
        trimmed.setMetadata(identity);
        for (List<String> path : paths) {
            Object value = resource.get(path.toArray());
            if (value != null) {
                putAt(trimmed.getAdditionalProperties(), path, value);
            }
        }
        return trimmed;
    }

    @SuppressWarnings("unchecked")
    private static void putAt(Map<String, Object> root, List<String> path, Object value) {
        Map<String, Object> parent = root;
        for (String key : path.subList(0, path.size() - 1)) {
            parent = (Map<String, Object>) parent.computeIfAbsent(key, absent -> new LinkedHashMap<String, Object>());
        }
        parent.put(path.getLast(), value);
    }

    @Override
    public String getKey(T resource) {
        return items.getKey(resource);
    }

    @Override
    public T put(String key, T resource) {
        return items.put(key, trim.apply(resource));
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<T> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }
}
