package dev.sigil.crds.signedbpfprogram.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * The interface of an XDP or tcx target: one named interface, the node's primary interface, or every interface whose
 * name matches a pattern; the agent resolves the latter two on each node, again as interfaces come and go (the schema
 * takes exactly one of the three, {@link AttachUnion#ONE_INTERFACE}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class NetworkInterfaceTarget {
    public static final int MAX_PATTERN = 32;

    @JsonProperty("interface")
    @Size(min = 1, max = 15)
    @Pattern("^[A-Za-z0-9_.:@-]{1,15}$")
    @JsonPropertyDescription("Network interface name on the node (at most 15 characters, as IFNAMSIZ allows); "
            + "or set primaryInterface instead.")
    private String interfaceName;

    @JsonPropertyDescription("true: the node's primary interface, the one holding its default route (IPv4, else IPv6), "
            + "resolved by the agent on each node when it applies the resource. The signed intent's interface constraint "
            + "must admit the name it resolves to.")
    private Boolean primaryInterface;

    @JsonPropertyDescription("Every interface of the node whose name matches this glob ('*': any run of characters,"
            + " '?': one character), e.g. veth*; resolved by the agent on each node, and again as interfaces come and go."
            + " The signed intent's interface constraint must be this very glob, or admit it as a name without wildcards;"
            + " every interface it resolves to must satisfy the constraint.")
    @Size(min = 1, max = MAX_PATTERN)
    @Pattern("^[A-Za-z0-9_.:@*?-]{1,32}$")
    private String interfacePattern;

    protected NetworkInterfaceTarget() {
    }

    protected NetworkInterfaceTarget(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    /** Whether the agent resolves the node's primary interface instead of a named one. */
    @JsonIgnore
    public boolean onPrimaryInterface() {
        return Boolean.TRUE.equals(primaryInterface);
    }

    /** The interface in words: its name, {@code primary interface}, or {@code interfaces matching 'veth*'}. */
    @JsonIgnore
    public String describeInterface() {
        if (interfacePattern != null) {
            return "interfaces matching '" + interfacePattern + "'";
        }
        return onPrimaryInterface() ? "primary interface" : interfaceName;
    }

    public String getInterfacePattern() {
        return interfacePattern;
    }

    public void setInterfacePattern(String interfacePattern) {
        this.interfacePattern = interfacePattern;
    }

    @JsonProperty("interface")
    public String getInterfaceName() {
        return interfaceName;
    }

    @JsonProperty("interface")
    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    public Boolean getPrimaryInterface() {
        return primaryInterface;
    }

    public void setPrimaryInterface(Boolean primaryInterface) {
        this.primaryInterface = primaryInterface;
    }
}
