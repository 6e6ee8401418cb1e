package dev.sigil.signing;

import java.util.Locale;

/**
 * Messages are one line: a status condition, an event, a log line or a CLI error shows them whole, and a value a
 * resource's author wrote must not start a line of its own there (a forged log line or condition).
 */
public final class Messages {
    private static final int MAX_LENGTH = 300;
    private static final int MAX_SHOWN_VALUE = 40;

    private Messages() {
    }

    /** The throwable's message (or its type when it has none) on one line, shortened to a readable length. */
    static String oneLine(Throwable throwable) {
        String message = throwable.getMessage();
        return oneLine(message == null || message.isBlank() ? throwable.getClass().getSimpleName() : message);
    }

    static String oneLine(String text) {
        String line = text.replaceAll("\\s*\\R\\s*", " ").strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "…";
    }

    /** A value someone wrote, as a message shows it: at most 40 characters, control characters as escapes. */
    public static String shown(String value) {
        return escaped(value, MAX_SHOWN_VALUE);
    }

    /** {@code text} on one line: control characters as {@code \xNN} escapes, at most {@code limit} code points. */
    public static String escaped(String text, int limit) {
        StringBuilder line = new StringBuilder();
        text.codePoints().limit(limit).forEach(c -> {
            if (Character.isISOControl(c)) {
                line.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > limit ? line + "…" : line.toString();
    }
}
