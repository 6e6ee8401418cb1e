package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcxIntent {
    @Required
    @JsonProperty("interface")
    @JsonPropertyDescription("The network interface: exact name or glob.")
    private TargetConstraint interfaceName;

    @Required
    @JsonPropertyDescription("Ingress or Egress, bound exactly.")
    private TcxDirection direction;

    public TcxIntent() {
    }

    public TcxIntent(TargetConstraint interfaceName, TcxDirection direction) {
        this.interfaceName = interfaceName;
        this.direction = direction;
    }

    @JsonProperty("interface")
    public TargetConstraint getInterfaceName() {
        return interfaceName;
    }

    @JsonProperty("interface")
    public void setInterfaceName(TargetConstraint interfaceName) {
        this.interfaceName = interfaceName;
    }

    public TcxDirection getDirection() {
        return direction;
    }

    public void setDirection(TcxDirection direction) {
        this.direction = direction;
    }
}
