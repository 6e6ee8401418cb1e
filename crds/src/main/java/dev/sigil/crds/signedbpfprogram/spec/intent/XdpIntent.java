package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import io.fabric8.generator.annotation.Required;

/** XDP binding: no schema default for the mode, so what is stored is what was signed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XdpIntent extends InterfaceIntent {
    @Required
    @JsonPropertyDescription("Generic or Driver, bound exactly.")
    private XdpMode mode;

    public XdpIntent() {
    }

    public XdpIntent(TargetConstraint interfaceName, XdpMode mode) {
        super(interfaceName);
        this.mode = mode;
    }

    public XdpMode getMode() {
        return mode;
    }

    public void setMode(XdpMode mode) {
        this.mode = mode;
    }
}
