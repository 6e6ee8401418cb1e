package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CgroupIntent {
    @Required
    @JsonPropertyDescription("The cgroup v2 directory: exact path or glob.")
    private TargetConstraint path;

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

    public CgroupAttachType getAttachType() {
        return attachType;
    }

    public void setAttachType(CgroupAttachType attachType) {
        this.attachType = attachType;
    }
}
