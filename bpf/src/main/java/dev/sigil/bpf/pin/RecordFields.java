package dev.sigil.bpf.pin;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pin record as the symlink holds it: {@code key=value&key=value}, each value percent-encoded (so
 * '&', '=' and '/' inside values survive). Every record version uses this shape; they differ in fields.
 */
final class RecordFields {
    private final String record;
    private final Map<String, String> fields;

    private RecordFields(String record, Map<String, String> fields) {
        this.record = record;
        this.fields = fields;
    }

    /** {@code record} names the record in errors, e.g. {@code meta_count_sys_enter}. */
    static RecordFields parse(String record, String text) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IOException("pin record " + record + " is malformed: '" + text + "'");
            }
            try {
                fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException("pin record " + record + " has a malformed value in '" + pair + "'", e);
            }
        }
        return new RecordFields(record, fields);
    }

    Optional<String> optional(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    String require(String key) throws IOException {
        String value = fields.get(key);
        if (value == null) {
            throw new IOException("pin record " + record + " has no field '" + key + "'");
        }
        return value;
    }

    int requireInt(String key) throws IOException {
        return (int) requireNumber(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    long requireLong(String key) throws IOException {
        return requireNumber(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long requireNumber(String key, long min, long max) throws IOException {
        String value = require(key);
        try {
            long number = Long.parseLong(value);
            if (number < min || number > max) {
                throw new NumberFormatException("out of range");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IOException("pin record " + record + ": field '" + key + "' is not a number: '" + value + "'", e);
        }
    }

    /** A comma-separated list; an absent or empty field is an empty list. */
    List<String> list(String key) {
        String value = fields.get(key);
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }

    /** {@code name:id} pairs, comma-separated, in their order. */
    Map<String, Integer> ids(String key) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String entry : list(key)) {
            int colon = entry.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no NAME: before the id");
                }
                ids.put(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IOException("pin record " + record + ": '" + entry + "' in field '" + key
                        + "' is not NAME:ID", e);
            }
        }
        return ids;
    }

    IOException invalid(String key, String value, String expected) {
        return new IOException("pin record " + record + ": field '" + key + "' is '" + value + "', expected "
                + expected);
    }

    /** Appends {@code key=value}, percent-encoding the value; the first field goes without '&'. */
    static StringBuilder append(StringBuilder record, String key, String value) {
        if (!record.isEmpty()) {
            record.append('&');
        }
        return record.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
