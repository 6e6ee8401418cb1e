package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import io.fabric8.generator.annotation.Required;

/** XDP binding: no schema default for the mode, so what is stored is what was signed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XdpIntent {
    @Required
    @JsonProperty("interface")
    @JsonPropertyDescription("The network interface: exact name or glob.")
    private TargetConstraint interfaceName;

    @Required
    @JsonPropertyDescription("Generic or Driver, bound exactly.")
    private XdpMode mode;

    public XdpIntent() {
    }

    public XdpIntent(TargetConstraint interfaceName, XdpMode mode) {
        this.interfaceName = interfaceName;
        this.mode = mode;
    }

    @JsonProperty("interface")
    public TargetConstraint getInterfaceName() {
        return interfaceName;
    }

    @JsonProperty("interface")
    public void setInterfaceName(TargetConstraint interfaceName) {
        this.interfaceName = interfaceName;
    }

    public XdpMode getMode() {
        return mode;
    }

    public void setMode(XdpMode mode) {
        this.mode = mode;
    }
}
