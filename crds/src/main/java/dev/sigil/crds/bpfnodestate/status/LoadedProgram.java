package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One kernel program and its link. */
public class LoadedProgram {
    @JsonPropertyDescription("Program name from the skeleton.")
    private String name;

    @JsonPropertyDescription("Kernel program id.")
    private Long programId;

    @JsonPropertyDescription("Kernel program tag (hex), a hash of its instructions.")
    private String tag;

    @JsonPropertyDescription("Kernel link id, when attached.")
    private Long linkId;

    @JsonPropertyDescription("What it is attached to, e.g. RawTracepoint(sys_enter).")
    private String attachedTo;

    @JsonPropertyDescription("bpffs path of the pinned link.")
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
