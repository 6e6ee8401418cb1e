package dev.sigil.crds;

/** Names shared by every Sigil resource, label and annotation. */
public final class SigilApi {
    public static final String GROUP = "sigil.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** Set by the operator on nodes that run at least one verified program; the agent DaemonSet selects it. */
    public static final String AGENT_NODE_LABEL = GROUP + "/agent";

    private SigilApi() {
    }
}
