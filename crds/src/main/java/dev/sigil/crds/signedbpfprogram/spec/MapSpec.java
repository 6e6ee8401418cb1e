package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One map the loader creates. */
public class MapSpec {
    @Required
    @Pattern("^[A-Za-z0-9_.]{1,64}$")
    @JsonPropertyDescription("Map name as the skeleton knows it (e.g. 'counts', 'data' for .data).")
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
