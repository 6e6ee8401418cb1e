package dev.sigil.crds.testing;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of the mock's store by object name. The stock mock finds the object a write names by testing
 * every stored key against the request's; with thousands of objects that scan was most of a write's cost.
 * This index only narrows the search: the caller still tests each candidate against the request and the
 * store, so a stale entry is never an answer.
 */
final class StoredNames {
    private final Map<Attribute, Set<AttributeSet>> keysByName = new ConcurrentHashMap<>();

    void stored(AttributeSet key) {
        Attribute name = key.getAttribute(KubernetesAttributesExtractor.NAME);
        if (name != null) {
            keysByName.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    void removed(AttributeSet key) {
        Attribute name = key.getAttribute(KubernetesAttributesExtractor.NAME);
        if (name != null) {
            keysByName.computeIfPresent(name, (n, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    /** The stored keys that may answer a query naming one object, or {@code null} if the query names none. */
    Set<AttributeSet> candidates(AttributeSet query) {
        Attribute name = query.getAttribute(KubernetesAttributesExtractor.NAME);
        if (name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1) {
            return null;
        }
        return keysByName.getOrDefault(name, Set.of());
    }
}
