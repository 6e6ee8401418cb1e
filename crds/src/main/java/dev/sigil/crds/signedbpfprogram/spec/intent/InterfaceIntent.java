package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The signed interface of a network attach kind (XDP, tcx): an exact name or a glob the node's interface must satisfy. */
public abstract class InterfaceIntent {
    @Required
    @JsonProperty("interface")
    @JsonPropertyDescription("The network interface: exact name or glob.")
    private TargetConstraint interfaceName;

    protected InterfaceIntent() {
    }

    protected InterfaceIntent(TargetConstraint interfaceName) {
        this.interfaceName = interfaceName;
    }

    @JsonProperty("interface")
    public TargetConstraint getInterfaceName() {
        return interfaceName;
    }

    @JsonProperty("interface")
    public void setInterfaceName(TargetConstraint interfaceName) {
        this.interfaceName = interfaceName;
    }
}
