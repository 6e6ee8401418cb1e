package dev.sigil.crds.bpfnodestate.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One kernel program and its links: {@code linkId}, {@code attachedTo} and {@code pinPath} name its first attached link
 * (the only one of a program with one target); {@code attachments} every target, up to {@link #MAX_ATTACHMENTS}, the
 * rest counted in {@code attachmentsNotShown}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadedProgram {
    /** Attachments listed per program; with its targets' texts at their longest, a program's entry stays under 80 KiB. */
    public static final int MAX_ATTACHMENTS = 16;

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

    @JsonPropertyDescription("Each target of the program on this node (attached, failed or detached), failed and"
            + " detached ones first, at most " + MAX_ATTACHMENTS + ".")
    @Size(max = MAX_ATTACHMENTS)
    private List<ProgramAttachment> attachments;

    @JsonPropertyDescription("How many more attachments the program has than attachments lists.")
    @Min(0)
    private Integer attachmentsNotShown;

    @JsonPropertyDescription("How many of the program's targets are attached.")
    @Min(0)
    private Integer attachedCount;

    public List<ProgramAttachment> getAttachments() {
        return attachments;
    }

    public void setAttachments(List<ProgramAttachment> attachments) {
        this.attachments = attachments;
    }

    public Integer getAttachmentsNotShown() {
        return attachmentsNotShown;
    }

    public void setAttachmentsNotShown(Integer attachmentsNotShown) {
        this.attachmentsNotShown = attachmentsNotShown;
    }

    public Integer getAttachedCount() {
        return attachedCount;
    }

    public void setAttachedCount(Integer attachedCount) {
        this.attachedCount = attachedCount;
    }

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
