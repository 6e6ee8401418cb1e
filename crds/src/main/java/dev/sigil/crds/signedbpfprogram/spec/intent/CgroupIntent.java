package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.AttachUnion;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A signed cgroup binding: a path constraint, or a pod target whose selectors the resource's must be at least as
 * narrow as (each signed requirement also in the resource's).
 */
@ValidationRule(value = AttachUnion.ONE_CGROUP, message = AttachUnion.ONE_CGROUP_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CgroupIntent {
    @JsonPropertyDescription("The cgroup v2 directory: exact path or glob.")
    private TargetConstraint path;

    @JsonPropertyDescription("The pods whose cgroups the program may attach to: the resource's selectors must require every term of these.")
    private PodTarget pods;

    @Required
    @JsonPropertyDescription("Cgroup attach type, bound exactly.")
    private CgroupAttachType attachType;

    public CgroupIntent() {
    }

    public CgroupIntent(TargetConstraint path, CgroupAttachType attachType) {
        this.path = path;
        this.attachType = attachType;
    }

    public TargetConstraint getPath() {
        return path;
    }

    public void setPath(TargetConstraint path) {
        this.path = path;
    }

    public static CgroupIntent ofPods(PodTarget pods, CgroupAttachType attachType) {
        CgroupIntent intent = new CgroupIntent(null, attachType);
        intent.pods = pods;
        return intent;
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
