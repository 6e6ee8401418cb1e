package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Cgroup {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^/")
    @JsonPropertyDescription("Absolute path of a cgroup v2 directory on the node, e.g. /sys/fs/cgroup/system.slice (at most 1024 characters).")
    private String path;

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

    public CgroupAttachType getAttachType() {
        return attachType;
    }

    public void setAttachType(CgroupAttachType attachType) {
        this.attachType = attachType;
    }
}
