package dev.sigil.signing;

import java.util.Arrays;

/**
 * The lines of a source text, indexed once: line {@code i} (0-based) and the line holding an offset are
 * found without rescanning the text, which keeps every pass over a header linear in its size.
 */
final class SourceLines {
    private final String text;
    private final int[] starts;

    SourceLines(String text) {
        this.text = text;
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        starts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[line++] = i + 1;
            }
        }
    }

    int count() {
        return starts.length;
    }

    /** Offset of the first character of line {@code index} (0-based). */
    int start(int index) {
        return starts[index];
    }

    /** Line {@code index} (0-based) without its line terminator. */
    String line(int index) {
        int end = index + 1 < starts.length ? starts[index + 1] - 1 : text.length();
        if (end > starts[index] && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(starts[index], Math.max(starts[index], end));
    }

    /** 0-based index of the line holding {@code offset}. */
    int indexOf(int offset) {
        int found = Arrays.binarySearch(starts, offset);
        return found >= 0 ? found : -found - 2;
    }

    /** 1-based line number of {@code offset}, as error messages name it. */
    int numberOf(int offset) {
        return indexOf(offset) + 1;
    }
}
