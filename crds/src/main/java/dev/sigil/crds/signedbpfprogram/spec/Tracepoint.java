package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tracepoint {
    @Required
    @Size(min = 1, max = 128)
    @Pattern("^[A-Za-z0-9_]{1,128}$")
    @JsonPropertyDescription("Tracepoint name, e.g. sys_enter or sched_switch.")
    private String name;

    public Tracepoint() {
    }

    public Tracepoint(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
