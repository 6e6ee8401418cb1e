package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One program the loader creates, and where the agent attaches it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgramSpec {
    @Required
    @Size(min = 1, max = ObjectNames.MAX_LENGTH)
    @Pattern(ObjectNames.PROGRAM_PATTERN)
    @JsonPropertyDescription("Program name as the skeleton and the kernel know it (the C function name): letters, digits and '_', at most 15 characters (BPF_OBJ_NAME_LEN).")
    private String name;

    @Required
    @JsonPropertyDescription("Where to attach the program on each node.")
    private AttachSpec attach;

    public ProgramSpec() {
    }

    public ProgramSpec(String name, AttachSpec attach) {
        this.name = name;
        this.attach = attach;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public AttachSpec getAttach() {
        return attach;
    }

    public void setAttach(AttachSpec attach) {
        this.attach = attach;
    }
}
