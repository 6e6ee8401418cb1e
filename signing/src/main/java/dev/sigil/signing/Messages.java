package dev.sigil.signing;

/** Library messages become one-line reasons: a status condition, a log line or a CLI error shows them whole. */
final class Messages {
    private static final int MAX_LENGTH = 300;

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
}
