package dev.sigil.agent.pods;

import dev.sigil.api.LabelMatcher;
import dev.sigil.api.LabelMatcher.InvalidLabelSelectorException;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of this node's pods a pod target selects, each with its cgroup: pods whose labels its selector matches, in a
 * namespace whose labels its namespace selector matches, that have a QoS class and whose cgroup the kubelet has made.
 * A pod not yet that far is left for the next pass (its status change queues one).
 */
public final class PodSelection {
    private final LabelMatcher pods;
    private final Optional<LabelMatcher> namespaces;

    private PodSelection(LabelMatcher pods, Optional<LabelMatcher> namespaces) {
        this.pods = pods;
        this.namespaces = namespaces;
    }

    /** @throws InvalidLabelSelectorException naming the requirement of either selector that cannot be evaluated */
    public static PodSelection of(PodTarget target, String where) throws InvalidLabelSelectorException {
        LabelMatcher namespaces = target.getNamespaceSelector() == null ? null
                : LabelMatcher.of(target.getNamespaceSelector(), where + ".namespaceSelector");
        return new PodSelection(LabelMatcher.of(target.getSelector(), where + ".selector"), Optional.ofNullable(namespaces));
    }

    /** Whether namespace labels are read at all: only a namespace selector needs them. */
    public boolean readsNamespaces() {
        return namespaces.isPresent();
    }

    /**
     * The selected pods with their cgroups, ordered by namespace and name.
     *
     * @param namespaceLabels a namespace's labels by its name; a namespace not in it is not selected when a
     *                        namespace selector is given
     */
    public List<PodCgroup> select(Collection<NodePod> nodePods, Map<String, Map<String, String>> namespaceLabels,
            KubeletCgroups cgroups) {
        List<PodCgroup> selected = new ArrayList<>();
        for (NodePod pod : nodePods) {
            if (!pods.matches(pod.labels()) || pod.qos().isEmpty() || !inSelectedNamespace(pod, namespaceLabels)) {
                continue;
            }
            Optional<Path> cgroup;
            try {
                cgroup = cgroups.existing(pod.uid(), pod.qos().get());
            } catch (IllegalArgumentException notAUuid) {
                continue;
            }
            cgroup.ifPresent(path -> selected.add(new PodCgroup(pod.namespace(), pod.name(), pod.uid(), path)));
        }
        selected.sort(Comparator.comparing(PodCgroup::namespace).thenComparing(PodCgroup::name));
        return selected;
    }

    private boolean inSelectedNamespace(NodePod pod, Map<String, Map<String, String>> namespaceLabels) {
        return namespaces.isEmpty() || (namespaceLabels.containsKey(pod.namespace())
                && namespaces.get().matches(namespaceLabels.get(pod.namespace())));
    }
}
