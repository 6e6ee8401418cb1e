package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name part that tells a program's links apart ({@code link_PROGRAM-KEY}): a readable label (the interface, the
 * cgroup's last directory, else the attach kind), cut to {@value #MAX_LABEL} characters of {@code [A-Za-z0-9_-]}, then
 * the first {@value #HASH_HEX} hex digits of the SHA-256 of the target as its pin record spells it. Bounded (at most
 * {@value #MAX_KEY} characters), safe as one bpffs entry whatever the target says, and the same for the same target in
 * every agent; two targets of one program that would share one are refused ({@link PinPaths#linkPins}).
 */
final class LinkKeys {
    private static final int MAX_LABEL = 15;
    private static final int HASH_HEX = 10;
    static final int MAX_KEY = MAX_LABEL + 1 + HASH_HEX;

    private LinkKeys() {
    }

    static String of(AttachTarget target) {
        String spelled = PinRecords.target(target);
        String label = label(target, spelled).replaceAll("[^A-Za-z0-9_-]", "_");
        label = label.substring(0, Math.min(MAX_LABEL, label.length()));
        String hash = HexFormat.of().formatHex(sha256(spelled)).substring(0, HASH_HEX);
        return label.isEmpty() ? hash : label + "-" + hash;
    }

    private static String label(AttachTarget target, String spelled) {
        return switch (target) {
            case AttachTarget.Xdp xdp -> xdp.interfaceName();
            case AttachTarget.Tcx tcx -> tcx.interfaceName();
            case AttachTarget.Cgroup cgroup -> cgroup.path().getFileName() == null
                    ? "root" : cgroup.path().getFileName().toString();
            default -> spelled.substring("attach=".length(), spelled.indexOf('&'));
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
