package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A signed binding of a target that legitimately differs between clusters or nodes: an exact value, or a
 * glob. Glob grammar (the signing library's {@code Glob}): printable ASCII; {@code *} any run of characters
 * other than '/', {@code ?} one such character; {@code [ ] { } \} reserved.
 */
@ValidationRule(value = "has(self.exact) != has(self.glob)", message = "exactly one of exact or glob must be set")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetConstraint {
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("The value the resource must use.")
    private String exact;

    @Size(min = 1, max = 1024)
    @Pattern("^[!-Z^-z|~]{1,1024}$")
    @JsonPropertyDescription("A glob the resource's value must match: '*' is any run of characters other than '/', '?' one such character; '[', ']', '{', '}' and '\\' are reserved. Path segments '.' and '..' never match.")
    private String glob;

    public static TargetConstraint exact(String value) {
        TargetConstraint constraint = new TargetConstraint();
        constraint.exact = value;
        return constraint;
    }

    public static TargetConstraint glob(String pattern) {
        TargetConstraint constraint = new TargetConstraint();
        constraint.glob = pattern;
        return constraint;
    }

    public String getExact() {
        return exact;
    }

    public void setExact(String exact) {
        this.exact = exact;
    }

    public String getGlob() {
        return glob;
    }

    public void setGlob(String glob) {
        this.glob = glob;
    }
}
