package dev.sigil.signing.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a signed intent lets a program attach, in the resource's union form: {@code type} plus one member
 * named after it in lower camel case, e.g. {@code {"type": "Xdp", "xdp": {"interface": {"glob": "eth*"},
 * "mode": "Generic"}}}. A future attach kind is a new type with a new member: existing documents keep
 * their bytes.
 *
 * @param type   the attach type, e.g. {@code RawTracepoint}, {@code TpBtf}, {@code Xdp}
 * @param target the member's fields
 */
public record AttachIntent(String type, SortedMap<String, Target> target) {
    public AttachIntent {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("an attach type is needed");
        }
        target = Collections.unmodifiableSortedMap(new TreeMap<>(target));
    }

    /** The member holding the target: the type in lower camel case ({@code TpBtf} → {@code tpBtf}). */
    public String member() {
        return member(type);
    }

    static String member(String type) {
        return Character.toLowerCase(type.charAt(0)) + type.substring(1);
    }

    Map<String, Object> json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        target.forEach((name, value) -> fields.put(name, value.json()));
        return Map.of("type", type, member(), fields);
    }
}
