package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KernelFunction {
    @Required
    @Size(min = 1, max = 128)
    @Pattern("^[A-Za-z_][A-Za-z0-9_.]{0,127}$")
    @JsonPropertyDescription("Kernel function or LSM hook name.")
    private String function;

    public KernelFunction() {
    }

    public KernelFunction(String function) {
        this.function = function;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }
}
