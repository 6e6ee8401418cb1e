package dev.sigil.operator;

import java.util.regex.Pattern;

/** A namespaced object named as {@code NAMESPACE/NAME}, the form flags and env vars use. */
public record ObjectRef(String namespace, String name) {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    public ObjectRef {
        if (namespace == null || namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("'" + namespace + "' is not a valid namespace name (RFC 1123 label)");
        }
        if (name == null || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
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
