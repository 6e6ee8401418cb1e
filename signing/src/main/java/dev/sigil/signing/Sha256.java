package dev.sigil.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests and the {@code sha256:<hex>} notation Sigil's resources and revocation lists use. */
public final class Sha256 {
    public static final String PREFIX = "sha256:";
    public static final int LENGTH = 32;
    /** Cloned for each new digest: looking SHA-256 up among the security providers each time costs more than hashing a loader. */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** A SHA-256 digest to feed piece by piece. */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Lowercase hex of the digest. */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** {@code sha256:} followed by the lowercase hex digest. */
    public static String tagged(byte[] data) {
        return PREFIX + hex(data);
    }

    /** The digest a {@code sha256:<hex>} notation names. */
    public static byte[] parseTagged(String tagged) {
        if (!isTagged(tagged)) {
            throw new IllegalArgumentException("not sha256: followed by 64 lowercase hex digits: " + tagged);
        }
        return HexFormat.of().parseHex(tagged, PREFIX.length(), tagged.length());
    }

    /** Whether {@code text} is 64 lowercase hex digits. */
    public static boolean isHex(String text) {
        return text != null && text.length() == 2 * LENGTH && lowercaseHex(text, 0);
    }

    /** Whether {@code text} is {@code sha256:} followed by 64 lowercase hex digits. */
    public static boolean isTagged(String text) {
        return text != null && text.length() == PREFIX.length() + 2 * LENGTH && text.startsWith(PREFIX)
                && lowercaseHex(text, PREFIX.length());
    }

    /** Checked by hand: the loader path parses two of these per apply, and a regular expression costs more. */
    private static boolean lowercaseHex(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
