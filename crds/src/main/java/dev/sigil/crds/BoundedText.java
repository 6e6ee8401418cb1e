package dev.sigil.crds;

/**
 * Shortens text that Sigil copies into API objects whose schema bounds its length, such as
 * failure messages. The start is kept (it names the error; later text is detail) and a
 * visible marker shows that something was cut.
 *
 * <p>Lengths count Unicode code points, as the API server's {@code maxLength} check does, so a cut never
 * splits a surrogate pair into text the server would garble.
 */
public final class BoundedText {
    public static final String MARKER = "…";

    private BoundedText() {
    }

    /**
     * @return {@code text} itself when it fits (or is null), else its first {@code maxLength - 1} code
     *     points followed by {@link #MARKER}
     */
    public static String cut(String text, int maxLength) {
        if (maxLength < MARKER.length()) {
            throw new IllegalArgumentException("maxLength must leave room for the marker, got " + maxLength);
        }
        if (text == null || text.codePointCount(0, text.length()) <= maxLength) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxLength - 1)) + MARKER;
    }

    /**
     * For logs, whose end says why: {@code text} itself when it fits (or is null), else the marker followed by
     * its last lines that fit (the last {@code maxLength - 1} code points when a single line is longer).
     */
    public static String tail(String text, int maxLength) {
        if (maxLength < MARKER.length()) {
            throw new IllegalArgumentException("maxLength must leave room for the marker, got " + maxLength);
        }
        if (text == null || text.codePointCount(0, text.length()) <= maxLength) {
            return text;
        }
        String end = text.substring(text.offsetByCodePoints(text.length(), -(maxLength - 1)));
        int newline = end.indexOf('\n');
        return MARKER + (newline >= 0 && newline < end.length() - 1 ? end.substring(newline + 1) : end);
    }
}
