package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** The XDP target of an attach spec: a named interface, the node's primary interface, or a pattern. */
@ValidationRule(value = AttachUnion.ONE_INTERFACE, message = AttachUnion.ONE_INTERFACE_MESSAGE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Xdp extends NetworkInterfaceTarget {
    @Default("Generic")
    @JsonPropertyDescription("Generic (skb mode, works on any interface) or Driver (native XDP; needs driver support).")
    private XdpMode mode = XdpMode.Generic;

    public Xdp() {
    }

    public Xdp(String interfaceName, XdpMode mode) {
        super(interfaceName);
        this.mode = mode;
    }

    /** On the node's primary interface, with the given mode. */
    public static Xdp onPrimaryInterface(XdpMode mode) {
        Xdp target = new Xdp(null, mode);
        target.setPrimaryInterface(true);
        return target;
    }

    /** On every interface whose name matches {@code pattern}, with the given mode. */
    public static Xdp matching(String pattern, XdpMode mode) {
        Xdp target = new Xdp(null, mode);
        target.setInterfacePattern(pattern);
        return target;
    }

    public XdpMode getMode() {
        return mode;
    }

    public void setMode(XdpMode mode) {
        this.mode = mode;
    }
}
