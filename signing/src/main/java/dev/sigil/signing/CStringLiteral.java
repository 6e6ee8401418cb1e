package dev.sigil.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes C string literals exactly as a C compiler reads them: backslash-newline splices anywhere
 * (translation phase 2), octal ({@code \0}..{@code \377}), hex ({@code \xNN}) and simple escapes, and
 * adjacent literals concatenated. bpftool prints loader bytes this way ({@code print_hex} in gen.c).
 */
final class CStringLiteral {
    private static final int END = -1;

    /** The bytes of the literal(s) and the offset just after the last closing quote. */
    record Decoded(byte[] bytes, int end) {
    }

    private final String text;
    private final String sourceName;
    private int position;
    private int line;

    private CStringLiteral(String text, int start, int line, String sourceName) {
        this.text = text;
        this.sourceName = sourceName;
        this.position = start;
        this.line = line;
    }

    /**
     * Decodes the literal whose opening quote is at {@code quoteOffset}, plus any literals adjacent to it.
     *
     * @param line 1-based line of {@code quoteOffset}, for error messages
     */
    static Decoded decode(String text, int quoteOffset, int line, String sourceName) throws SkeletonFormatException {
        return new CStringLiteral(text, quoteOffset, line, sourceName).decodeAll();
    }

    /** 1-based line number of {@code offset} in {@code text}. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private Decoded decodeAll() throws SkeletonFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (next() != '"') {
            throw error(line, "expected a string literal");
        }
        while (true) {
            int c = next();
            switch (c) {
                case END -> throw error(line, "string literal is not terminated (the file ends inside it)");
                case '\n' -> throw error(line - 1, "string literal is not terminated before the end of the line");
                case '"' -> {
                    if (!continuesWithAnotherLiteral()) {
                        return new Decoded(out.toByteArray(), position);
                    }
                }
                case '\\' -> out.write(escape());
                default -> writeCharacter(out, c);
            }
        }
    }

    private int escape() throws SkeletonFormatException {
        int escapeLine = line;
        int c = next();
        if (c >= '0' && c <= '7') {
            int value = c - '0';
            for (int digits = 1; digits < 3 && isOctal(peek()); digits++) {
                value = value * 8 + (next() - '0');
            }
            if (value > 0xff) {
                throw error(escapeLine, "octal escape \\" + Integer.toOctalString(value) + " does not fit in a byte");
            }
            return value;
        }
        return switch (c) {
            case 'x' -> hexEscape(escapeLine);
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'a' -> 0x07;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> 0x0b;
            case '\\', '\'', '"', '?' -> c;
            case END -> throw error(escapeLine, "escape sequence cut off by the end of the file");
            default -> throw error(escapeLine, "unknown escape sequence \\" + (char) c);
        };
    }

    private int hexEscape(int escapeLine) throws SkeletonFormatException {
        if (Character.digit(peek(), 16) < 0) {
            throw error(escapeLine, "\\x escape without hex digits");
        }
        int value = 0;
        while (Character.digit(peek(), 16) >= 0) {
            value = value * 16 + Character.digit(next(), 16);
            if (value > 0xff) {
                throw error(escapeLine, "hex escape does not fit in a byte");
            }
        }
        return value;
    }

    private boolean continuesWithAnotherLiteral() {
        int save = position;
        int saveLine = line;
        int c = next();
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            c = next();
        }
        if (c == '"') {
            return true;
        }
        position = save;
        line = saveLine;
        return false;
    }

    private void writeCharacter(ByteArrayOutputStream out, int c) {
        if (c < 0x80) {
            out.write(c);
        } else {
            // A source character outside ASCII becomes its UTF-8 bytes, as GCC and Clang do.
            out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Next character after removing backslash-newline splices; counts lines. */
    private int next() {
        skipSplices();
        if (position >= text.length()) {
            return END;
        }
        int c = text.codePointAt(position);
        position += Character.charCount(c);
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private int peek() {
        skipSplices();
        return position < text.length() ? text.codePointAt(position) : END;
    }

    private void skipSplices() {
        while (position < text.length() && text.charAt(position) == '\\') {
            if (text.startsWith("\n", position + 1)) {
                position += 2;
            } else if (text.startsWith("\r\n", position + 1)) {
                position += 3;
            } else {
                return;
            }
            line++;
        }
    }

    private static boolean isOctal(int c) {
        return c >= '0' && c <= '7';
    }

    private SkeletonFormatException error(int atLine, String problem) {
        return new SkeletonFormatException(sourceName, atLine, problem);
    }
}
