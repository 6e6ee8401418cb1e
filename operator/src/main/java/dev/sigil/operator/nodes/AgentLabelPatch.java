package dev.sigil.operator.nodes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigil.crds.SigilApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The operator's only writes to a Node: a JSON merge patch that names the label {@code sigil.dev/agent} and
 * nothing else, so the request cannot change another field whatever the operator's cached copy holds. The
 * chart's admission policy {@code sigil-operator-node-agent-label} refuses any other change by the operator's
 * service account; these bodies are what it must admit.
 */
public final class AgentLabelPatch {
    private AgentLabelPatch() {
    }

    public static void add(KubernetesClient client, String node) {
        patch(client, node, adding());
    }

    public static void remove(KubernetesClient client, String node) {
        patch(client, node, removing());
    }

    /** {@code {"metadata":{"labels":{"sigil.dev/agent":"true"}}}} */
    static String adding() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        labels(body).put(SigilApi.AGENT_NODE_LABEL, Nodes.AGENT_LABEL_VALUE);
        return body.toString();
    }

    /** {@code {"metadata":{"labels":{"sigil.dev/agent":null}}}}: a merge patch's null removes the key, if there. */
    static String removing() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        labels(body).putNull(SigilApi.AGENT_NODE_LABEL);
        return body.toString();
    }

    private static ObjectNode labels(ObjectNode body) {
        return body.putObject("metadata").putObject("labels");
    }

    private static void patch(KubernetesClient client, String node, String body) {
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }
}
