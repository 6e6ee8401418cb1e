package dev.sigil.signing;

import java.util.List;
import java.util.Locale;

/**
 * What a trust bundle says about resources without a signed intent (made before intents existed): by
 * default they are refused ({@link ReasonCode#IntentMissing}); a bundle may admit them, and they then run
 * unbound (their attach points, maps and enforcement are the resource's alone) with a status that says so.
 * On disk: the optional file {@link TrustBundle#UNBOUND_PROGRAMS} holding {@code Reject} or {@code Admit}.
 */
public enum UnboundPrograms {
    Reject,
    Admit;

    /** Reads the file's text: empty (or only comments) means {@link #Reject}. */
    public static UnboundPrograms parse(String text) {
        List<String> words = text.lines().map(line -> line.replaceFirst("#.*", "").strip())
                .filter(line -> !line.isEmpty()).toList();
        if (words.size() > 1) {
            throw new IllegalArgumentException(TrustBundle.UNBOUND_PROGRAMS + " must say Reject or Admit, once");
        }
        String value = words.isEmpty() ? Reject.name() : words.getFirst();
        for (UnboundPrograms policy : values()) {
            if (policy.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException(TrustBundle.UNBOUND_PROGRAMS + " must say Reject or Admit, not '" + value + "'");
    }
}
