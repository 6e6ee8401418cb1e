package dev.sigil.agent.translate;

import dev.sigil.api.resource.ResourceContent;
import dev.sigil.signing.intent.SignedProgram;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What translation derives from a resource's content, remembered per content ({@link ResourceContent}): the first of
 * the API's rules it breaks, and its signed pieces, signed intent and claims as read for verification. An agent
 * applies the same resources again and again (resyncs, retries, node and pod changes), and each content is checked and
 * read once. Nothing is keyed on the resource's name, uid, generation or resourceVersion, which a resource file can
 * claim at will: a resource that says anything else is another content, checked and read afresh.
 *
 * <p>Bounded by entries and by the characters they hold (the strings are the resources' own, the decoded pieces are
 * about three quarters of them again); the least recently used goes first.
 */
final class CheckedContents {
    static final int MAX_ENTRIES = 1024;
    static final long MAX_CHARACTERS = 8L << 20;

    /** A content checked against the API's rules and read: the first rule it breaks, and its read. */
    record Checked(Optional<String> violation, SignedProgram read) {
    }

    private final Map<ResourceContent, Checked> checked = new LinkedHashMap<>(16, 0.75f, true);
    private long characters;

    synchronized Optional<Checked> get(ResourceContent content) {
        return Optional.ofNullable(checked.get(content));
    }

    synchronized void put(ResourceContent content, Checked result) {
        if (content.characters() > MAX_CHARACTERS) {
            return;
        }
        Checked replaced = checked.put(content, result);
        if (replaced == null) {
            characters += content.characters();
        }
        Iterator<ResourceContent> eldest = checked.keySet().iterator();
        while (checked.size() > MAX_ENTRIES || characters > MAX_CHARACTERS) {
            characters -= eldest.next().characters();
            eldest.remove();
        }
    }

    synchronized int size() {
        return checked.size();
    }
}
