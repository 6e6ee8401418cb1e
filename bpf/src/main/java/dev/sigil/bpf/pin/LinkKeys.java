package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.signing.Sha256;
import java.nio.charset.StandardCharsets;
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
        String label = safe(label(target, spelled));
        String hash = HexFormat.of().formatHex(Sha256.digest(spelled.getBytes(StandardCharsets.UTF_8)), 0, HASH_HEX / 2);
        return label.isEmpty() ? hash : label + "-" + hash;
    }

    /**
     * Each code point not in {@code [A-Za-z0-9_-]} replaced by one '_' (as the regular expression of earlier agents
     * did), then cut to {@value #MAX_LABEL} characters: keys must stay what earlier agents pinned under.
     */
    private static String safe(String label) {
        StringBuilder safe = new StringBuilder(MAX_LABEL);
        for (int i = 0; i < label.length() && safe.length() < MAX_LABEL; ) {
            int c = label.codePointAt(i);
            i += Character.charCount(c);
            safe.append(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    ? (char) c : '_');
        }
        return safe.toString();
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
}
