package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One map the loader creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MapSpec {
    @Required
    @Size(min = 1, max = ObjectNames.MAX_LENGTH)
    @Pattern(ObjectNames.MAP_PATTERN)
    @JsonPropertyDescription("Map name as the skeleton knows it (e.g. 'counts', 'data' for .data): letters, digits, '_' and single dots, at most 15 characters (BPF_OBJ_NAME_LEN).")
    private String name;

    @JsonPropertyDescription("Pin the map under the program's bpffs directory so other tools can read it.")
    private boolean pin;

    public MapSpec() {
    }

    public MapSpec(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isPin() {
        return pin;
    }

    public void setPin(boolean pin) {
        this.pin = pin;
    }
}
