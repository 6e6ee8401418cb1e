package dev.sigil.crds.signedbpfprogram.spec.intent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TcxIntent extends InterfaceIntent {
    @Required
    @JsonPropertyDescription("Ingress or Egress, bound exactly.")
    private TcxDirection direction;

    public TcxIntent() {
    }

    public TcxIntent(TargetConstraint interfaceName, TcxDirection direction) {
        super(interfaceName);
        this.direction = direction;
    }

    public TcxDirection getDirection() {
        return direction;
    }

    public void setDirection(TcxDirection direction) {
        this.direction = direction;
    }
}
