package dev.sigil.agent.cluster;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;

/** Whether a program's {@code nodeSelector} picks a node, by the Kubernetes label-selector rules. */
final class NodeSelectors {
    static final String OS_LABEL = "kubernetes.io/os";

    private NodeSelectors() {
    }

    static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /**
     * A program runs only on Linux nodes; a node that does not say its OS is taken to be Linux, as
     * the kubelet always sets the label and only hand-made test nodes lack it.
     */
    static boolean selects(SignedBpfProgram program, Map<String, String> nodeLabels) {
        String os = nodeLabels.get(OS_LABEL);
        if (os != null && !os.equals("linux")) {
            return false;
        }
        return program.getSpec() != null && matches(program.getSpec().getNodeSelector(), nodeLabels);
    }

    /** An absent or empty selector matches every node; requirements are ANDed. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> matchLabels = selector.getMatchLabels();
        if (matchLabels != null) {
            for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (LabelSelectorRequirement requirement : expressions) {
                if (!matches(requirement, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An operator the API does not define matches nothing, so a typo never widens a selector. */
    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (String.valueOf(requirement.getOperator())) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            default -> false;
        };
    }
}
