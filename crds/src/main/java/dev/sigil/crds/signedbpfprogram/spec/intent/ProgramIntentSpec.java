package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.ObjectNames;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One program a signed intent binds, and where it may attach. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgramIntentSpec {
    @Required
    @Size(min = 1, max = ObjectNames.MAX_LENGTH)
    @Pattern(ObjectNames.PROGRAM_PATTERN)
    @JsonPropertyDescription("Program name as the skeleton knows it.")
    private String name;

    @Required
    @JsonPropertyDescription("Where the program may attach: exactly, or within a declared pattern for interfaces and cgroup paths.")
    private AttachIntentSpec attach;

    public ProgramIntentSpec() {
    }

    public ProgramIntentSpec(String name, AttachIntentSpec attach) {
        this.name = name;
        this.attach = attach;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public AttachIntentSpec getAttach() {
        return attach;
    }

    public void setAttach(AttachIntentSpec attach) {
        this.attach = attach;
    }
}
