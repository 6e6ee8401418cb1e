package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A function of a user-space binary, for uprobes and uretprobes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserFunction {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern(AttachUnion.NODE_PATH)
    @JsonPropertyDescription("Absolute path of the ELF binary or shared library on the node (no '.' or '..' segments), e.g. /usr/lib/x86_64-linux-gnu/libc.so.6.")
    private String binary;

    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[A-Za-z_.$][A-Za-z0-9_.$@()*<>,~-]{0,255}$")
    @JsonPropertyDescription("Function symbol as the binary's .symtab or .dynsym names it (mangled for C++ and Rust), e.g. malloc.")
    private String symbol;

    @Min(0)
    @Max(1048576)
    @JsonPropertyDescription("Byte offset into the function (0, the entry, when absent; at most 1 MiB); must lie inside the function.")
    private Long offset;

    @Min(1)
    @Max(4194304)
    @JsonPropertyDescription("Only this process id fires the probe; absent: every process that runs the binary.")
    private Integer pid;

    public UserFunction() {
    }

    public UserFunction(String binary, String symbol, Long offset, Integer pid) {
        this.binary = binary;
        this.symbol = symbol;
        this.offset = offset;
        this.pid = pid;
    }

    /** E.g. {@code /usr/bin/app:main+0x10, pid 42}. */
    @JsonIgnore
    public String describe() {
        return binary + ":" + symbol + (offset == null || offset == 0 ? "" : "+0x" + Long.toHexString(offset))
                + (pid == null ? "" : ", pid " + pid);
    }

    public String getBinary() {
        return binary;
    }

    public void setBinary(String binary) {
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
