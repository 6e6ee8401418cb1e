package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SkLookup {
    @Required
    @Size(min = 1, max = 1024)
    @Pattern(AttachUnion.NODE_PATH)
    @JsonPropertyDescription("Absolute path of a file that holds the network namespace on the node, e.g. /var/run/netns/NAME or /proc/PID/ns/net.")
    private String netns;

    public SkLookup() {
    }

    public SkLookup(String netns) {
        this.netns = netns;
    }

    public String getNetns() {
        return netns;
    }

    public void setNetns(String netns) {
        this.netns = netns;
    }
}
