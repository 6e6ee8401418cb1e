package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.ObjectNames;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One map a signed intent binds, with whether the agent pins it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MapIntentSpec {
    @Required
    @Size(min = 1, max = ObjectNames.MAX_LENGTH)
    @Pattern(ObjectNames.MAP_PATTERN)
    @JsonPropertyDescription("Map name as the skeleton knows it.")
    private String name;

    @Required
    @JsonPropertyDescription("Whether the map is pinned (readable by other tools); spec.maps must say the same.")
    private Boolean pin;

    public MapIntentSpec() {
    }

    public MapIntentSpec(String name, boolean pin) {
        this.name = name;
        this.pin = pin;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getPin() {
        return pin;
    }

    public void setPin(Boolean pin) {
        this.pin = pin;
    }
}
