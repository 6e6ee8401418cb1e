package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The tcx target of an attach spec: a named interface, the node's primary interface, or a pattern. */
@ValidationRule(value = AttachUnion.ONE_INTERFACE, message = AttachUnion.ONE_INTERFACE_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tcx extends NetworkInterfaceTarget {
    @Required
    @JsonPropertyDescription("Ingress or Egress.")
    private TcxDirection direction;

    public Tcx() {
    }

    public Tcx(String interfaceName, TcxDirection direction) {
        super(interfaceName);
        this.direction = direction;
    }

    /** On every interface whose name matches {@code pattern}, in the given direction. */
    public static Tcx matching(String pattern, TcxDirection direction) {
        Tcx target = new Tcx(null, direction);
        target.setInterfacePattern(pattern);
        return target;
    }

    /** On the node's primary interface, with the given direction. */
    public static Tcx onPrimaryInterface(TcxDirection direction) {
        Tcx target = new Tcx(null, direction);
        target.setPrimaryInterface(true);
        return target;
    }

    public TcxDirection getDirection() {
        return direction;
    }

    public void setDirection(TcxDirection direction) {
        this.direction = direction;
    }
}
