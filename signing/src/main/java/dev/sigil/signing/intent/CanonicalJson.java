package dev.sigil.signing.intent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values a signed intent holds: objects, arrays, strings,
 * booleans and integers of at most 2^53 - 1 in magnitude. Object members are sorted by the UTF-16 code units
 * of their names, nothing is indented, strings are escaped as ECMAScript's {@code JSON.stringify} does
 * ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control characters as lowercase {@code \\u} plus four hex digits,
 * everything else literal) and the result is UTF-8. An integer in that range prints as its plain decimal,
 * which is what the scheme's ECMAScript number serialisation gives for it. No floating point, no nulls:
 * an intent leaves absent what it does not bind.
 */
public final class CanonicalJson {
    /** The largest integer JSON numbers carry exactly (I-JSON, RFC 7493). */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private CanonicalJson() {
    }

    /**
     * @param value a {@code Map<String, ?>}, {@code List<?>}, {@code String}, {@code Boolean}, {@code Integer}
     *     or {@code Long}, nested
     * @throws IllegalArgumentException for anything else, a null, or an integer out of range
     */
    public static byte[] encode(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> throw new IllegalArgumentException("canonical JSON here has no null: leave the member out");
            case String text -> string(out, text);
            case Boolean flag -> out.append(flag);
            case Integer number -> integer(out, number);
            case Long number -> integer(out, number);
            case Map<?, ?> object -> object(out, object);
            case List<?> array -> {
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, array.get(i));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("canonical JSON here has no " + value.getClass().getSimpleName());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> object) {
        List<String> names = new ArrayList<>();
        for (Object name : object.keySet()) {
            if (!(name instanceof String text)) {
                throw new IllegalArgumentException("object member names are strings, got " + name);
            }
            names.add(text);
        }
        // String.compareTo orders by UTF-16 code units, as RFC 8785 section 3.2.3 asks.
        names.sort(String::compareTo);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(out, names.get(i));
            out.append(':');
            write(out, object.get(names.get(i)));
        }
        out.append('}');
    }

    private static void integer(StringBuilder out, long number) {
        if (number > MAX_SAFE_INTEGER || number < -MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("integer " + number + " is beyond what JSON numbers carry exactly (2^53 - 1)");
        }
        out.append(number);
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !wellFormedPair(text, i)) {
                        throw new IllegalArgumentException("string holds a lone UTF-16 surrogate at index " + i);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean wellFormedPair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
