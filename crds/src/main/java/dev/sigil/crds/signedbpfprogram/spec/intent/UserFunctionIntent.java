package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** uprobe and uretprobe binding: no schema defaults, so what is stored is what was signed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserFunctionIntent {
    @Required
    @JsonPropertyDescription("The binary: exact path or glob.")
    private TargetConstraint binary;

    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}$")
    @JsonPropertyDescription("Function symbol, bound exactly.")
    private String symbol;

    @Required
    @Min(0)
    @Max(1048576)
    @JsonPropertyDescription("Byte offset into the function, bound exactly (0: the entry).")
    private Long offset;

    @Min(1)
    @Max(4194304)
    @JsonPropertyDescription("Process id filter, bound exactly; absent: the resource may not filter by process.")
    private Integer pid;

    public UserFunctionIntent() {
    }

    public UserFunctionIntent(TargetConstraint binary, String symbol, Long offset, Integer pid) {
        this.binary = binary;
        this.symbol = symbol;
        this.offset = offset;
        this.pid = pid;
    }

    public TargetConstraint getBinary() {
        return binary;
    }

    public void setBinary(TargetConstraint binary) {
        this.binary = binary;
    }

    public String getSymbol() {
        return symbol;
    }

    public void setSymbol(String symbol) {
        this.symbol = symbol;
    }

    public Long getOffset() {
        return offset;
    }

    public void setOffset(Long offset) {
        this.offset = offset;
    }

    public Integer getPid() {
        return pid;
    }

    public void setPid(Integer pid) {
        this.pid = pid;
    }
}
