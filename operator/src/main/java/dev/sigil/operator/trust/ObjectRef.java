package dev.sigil.operator.trust;

import io.fabric8.kubernetes.client.utils.KubernetesResourceUtil;

/** A namespaced object named as {@code NAMESPACE/NAME}, the form flags and env vars use. */
public record ObjectRef(String namespace, String name) {
    public ObjectRef {
        if (!KubernetesResourceUtil.isValidName(namespace)) {
            throw new IllegalArgumentException("'" + namespace + "' is not a valid namespace name (RFC 1123 label)");
        }
        if (!KubernetesResourceUtil.isValidSubdomainName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid object name (RFC 1123 subdomain)");
        }
    }

    /** Parses {@code NAMESPACE/NAME}; the message says what was expected. */
    public static ObjectRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash != text.lastIndexOf('/') || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected NAMESPACE/NAME, got '" + text + "'");
        }
        return new ObjectRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
