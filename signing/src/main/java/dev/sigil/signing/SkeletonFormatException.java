package dev.sigil.signing;

/** A light-skeleton header Sigil cannot import; the message names the source and, where known, the line. */
public final class SkeletonFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;

    /** @param line 1-based line of the problem, or 0 when it concerns the whole file */
    public SkeletonFormatException(String sourceName, int line, String problem) {
        super(line > 0 ? sourceName + ":" + line + ": " + problem : sourceName + ": " + problem);
        this.sourceName = sourceName;
        this.line = line;
    }

    public String sourceName() {
        return sourceName;
    }

    /** 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
