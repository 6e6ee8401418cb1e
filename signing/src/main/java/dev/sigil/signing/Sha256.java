package dev.sigil.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests and the {@code sha256:<hex>} notation Sigil's resources and revocation lists use. */
public final class Sha256 {
    public static final String PREFIX = "sha256:";
    public static final int LENGTH = 32;
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** A SHA-256 digest to feed piece by piece. */
    public static MessageDigest newDigest() {
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
        return text != null && HEX_64.matcher(text).matches();
    }

    /** Whether {@code text} is {@code sha256:} followed by 64 lowercase hex digits. */
    public static boolean isTagged(String text) {
        return text != null && text.startsWith(PREFIX) && isHex(text.substring(PREFIX.length()));
    }
}
