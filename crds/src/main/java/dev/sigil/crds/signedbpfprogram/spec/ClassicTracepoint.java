package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClassicTracepoint {
    @Required
    @Size(min = 1, max = 128)
    @Pattern("^[A-Za-z0-9_]{1,128}$")
    @JsonPropertyDescription("Tracepoint category (tracefs events/ directory), e.g. syscalls or sched.")
    private String category;

    @Required
    @Size(min = 1, max = 128)
    @Pattern("^[A-Za-z0-9_]{1,128}$")
    @JsonPropertyDescription("Tracepoint name within the category, e.g. sys_enter_openat or sched_switch.")
    private String name;

    public ClassicTracepoint() {
    }

    public ClassicTracepoint(String category, String name) {
        this.category = category;
        this.name = name;
    }

    public String getCategory() {
        return category;
    }

    public void setCategory(String category) {
        this.category = category;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
