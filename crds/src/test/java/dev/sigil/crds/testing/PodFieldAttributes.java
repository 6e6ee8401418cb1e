package dev.sigil.crds.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * The stock mock answers field selectors on {@code metadata.name} and {@code metadata.namespace} only; kube-apiserver
 * also selects pods by {@code spec.nodeName}, which node agents watch their own node's pods by. This extractor indexes
 * a stored pod's node as that field, so a list or watch with {@code fieldSelector=spec.nodeName=X} gets the pods of X.
 */
final class PodFieldAttributes extends KubernetesAttributesExtractor {
    static final String NODE_NAME = "spec.nodeName";

    @Override
    public AttributeSet extract(HasMetadata resource) {
        AttributeSet attributes = super.extract(resource);
        String node = nodeName(resource);
        return node == null ? attributes : attributes.add(new Attribute(NODE_NAME, node));
    }

    private static String nodeName(HasMetadata resource) {
        if (resource instanceof Pod pod) {
            return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        }
        if (resource instanceof GenericKubernetesResource generic && "Pod".equals(generic.getKind())
                && generic.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("nodeName") instanceof String node) {
            return node;
        }
        return null;
    }

    /**
     * Puts this extractor in the dispatcher's place: Fabric8 creates its own in the constructor and offers no way to
     * pass another, so both fields holding it are set (test code only, on classes of the unnamed module).
     */
    static void install(KubernetesCrudDispatcher dispatcher) {
        PodFieldAttributes extractor = new PodFieldAttributes();
        try {
            Field processor = KubernetesCrudDispatcher.class.getDeclaredField("crdProcessor");
            processor.setAccessible(true);
            extractor.setCustomResourceDefinitionProcessor((CustomResourceDefinitionProcessor) processor.get(dispatcher));
            set(CrudDispatcher.class.getDeclaredField("attributeExtractor"), dispatcher, extractor);
            set(KubernetesCrudDispatcher.class.getDeclaredField("kubernetesAttributesExtractor"), dispatcher, extractor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot index pods by node in the mock: " + e, e);
        }
    }

    private static void set(Field field, Object target, Object value) throws IllegalAccessException {
        field.setAccessible(true);
        field.set(target, value);
    }
}
