package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.schema.LabelSelectorSchema;
import dev.sigil.crds.schema.SchemaMergePatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * The pods of a cgroup program: on each node, the cgroup of every pod running there whose labels {@link #selector}
 * matches, in a namespace whose labels {@link #namespaceSelector} matches (every namespace when absent). The
 * agent finds each pod's cgroup by the kubelet's conventions and follows pods as they start and stop.
 */
@SchemaCustomizer(value = SchemaMergePatch.class, input = "{\"properties\": {\"selector\": "
        + LabelSelectorSchema.POD_SELECTOR + ", \"namespaceSelector\": " + LabelSelectorSchema.POD_SELECTOR + "}}")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTarget {
    @Required
    @JsonPropertyDescription("Pod labels to match; an empty selector matches every pod of the selected namespaces on the node.")
    private LabelSelector selector;

    @JsonPropertyDescription("Namespace labels to match; absent matches every namespace.")
    private LabelSelector namespaceSelector;

    public PodTarget() {
    }

    public PodTarget(LabelSelector selector, LabelSelector namespaceSelector) {
        this.selector = selector;
        this.namespaceSelector = namespaceSelector;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }
}
