package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The cgroup target of an attach spec: one cgroup v2 directory, or the cgroups of the node's matching pods. */
@ValidationRule(value = AttachUnion.ONE_CGROUP, message = AttachUnion.ONE_CGROUP_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Cgroup {
    @Size(min = 1, max = 1024)
    @Pattern("^/")
    @JsonPropertyDescription("Absolute path of a cgroup v2 directory on the node, e.g. /sys/fs/cgroup/system.slice (at most 1024 characters).")
    private String path;

    @JsonPropertyDescription("The cgroups of the pods on the node that match these selectors, instead of a path.")
    private PodTarget pods;

    @Required
    @JsonPropertyDescription("Cgroup attach type.")
    private CgroupAttachType attachType;

    public Cgroup() {
    }

    public Cgroup(String path, CgroupAttachType attachType) {
        this.path = path;
        this.attachType = attachType;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    /** The cgroups of the node's pods that match, with the given attach type. */
    public static AttachSpec onPods(PodTarget pods, CgroupAttachType attachType) {
        AttachSpec attach = AttachSpec.cgroup(null, attachType);
        attach.getCgroup().pods = pods;
        return attach;
    }

    /** The target in words, e.g. {@code /sys/fs/cgroup/x} or {@code pods {app=web}}, for status tables and logs. */
    public String describeTarget() {
        if (pods == null) {
            return String.valueOf(path);
        }
        LabelSelector selector = pods.getSelector();
        return "pods " + (selector == null || selector.getMatchLabels() == null ? "{}" : selector.getMatchLabels())
                + (selector != null && selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()
                        ? " +" + selector.getMatchExpressions().size() + " requirements" : "")
                + (pods.getNamespaceSelector() == null ? "" : " in selected namespaces");
    }

    public PodTarget getPods() {
        return pods;
    }

    public void setPods(PodTarget pods) {
        this.pods = pods;
    }

    public CgroupAttachType getAttachType() {
        return attachType;
    }

    public void setAttachType(CgroupAttachType attachType) {
        this.attachType = attachType;
    }
}
