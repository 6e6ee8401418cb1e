package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** One kernel program and its link. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadedProgram {
    @JsonPropertyDescription("Program name from the skeleton.")
    @Size(max = 64)
    private String name;

    @JsonPropertyDescription("Kernel program id.")
    @Min(0)
    private Long programId;

    @JsonPropertyDescription("Kernel program tag (hex), a hash of its instructions.")
    @Size(max = 64)
    @Pattern("^[0-9a-f]{0,64}$")
    private String tag;

    @JsonPropertyDescription("Kernel link id, when attached.")
    @Min(0)
    private Long linkId;

    @JsonPropertyDescription("What it is attached to, e.g. RawTracepoint(sys_enter).")
    @Size(max = 4352) // a cgroup path (PATH_MAX) plus the attach kind
    private String attachedTo;

    @JsonPropertyDescription("bpffs path of the pinned link.")
    @Size(max = 4096)
    private String pinPath;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Long getProgramId() {
        return programId;
    }

    public void setProgramId(Long programId) {
        this.programId = programId;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public Long getLinkId() {
        return linkId;
    }

    public void setLinkId(Long linkId) {
        this.linkId = linkId;
    }

    public String getAttachedTo() {
        return attachedTo;
    }

    public void setAttachedTo(String attachedTo) {
        this.attachedTo = attachedTo;
    }

    public String getPinPath() {
        return pinPath;
    }

    public void setPinPath(String pinPath) {
        this.pinPath = pinPath;
    }
}
