package dev.sigil.api.resource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Long base64 runs set aside while SnakeYAML parses. SnakeYAML reads a scalar in time quadratic in its length (its
 * StreamReader copies its whole look-ahead window for every 1 KiB it reads further), so a legitimate 1 MB metadata
 * field would take seconds. Every run of at least {@value #SHORTEST} characters of {@code [A-Za-z0-9+/=]} keeps its
 * first and last {@value #KEEP} characters and has the rest replaced by a short placeholder of private-use
 * characters, which YAML allows wherever the run was; after composing, the placeholders are replaced by what they
 * stand for and plain scalars resolved again. Such a run holds no newline, space, quote, backslash, comment or flow
 * indicator, so the document keeps its structure and its line numbers; the characters kept at each end keep any
 * escape sequence that starts just before a run whole. Identical runs share a placeholder (anchors stay aliasable).
 */
final class LongRuns {
    static final int SHORTEST = 256;
    private static final int KEEP = 16;
    private static final char FIRST_MARKER = '\ue000';
    private static final int MARKER_CHOICES = 256;
    private static final Resolver RESOLVER = new Resolver();

    private final String text;
    private final char marker;
    private final List<String> middles;

    private LongRuns(String text, char marker, List<String> middles) {
        this.text = text;
        this.marker = marker;
        this.middles = middles;
    }

    static LongRuns shrink(String document) throws ResourceException {
        char marker = unusedMarker(document);
        StringBuilder shrunk = new StringBuilder(Math.min(document.length(), 1 << 16));
        List<String> middles = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        int i = 0;
        while (i < document.length()) {
            int end = i;
            while (end < document.length() && isRunCharacter(document.charAt(end))) {
                end++;
            }
            if (end - i >= SHORTEST) {
                String middle = document.substring(i + KEEP, end - KEEP);
                int id = ids.computeIfAbsent(middle, m -> {
                    middles.add(m);
                    return middles.size() - 1;
                });
                shrunk.append(document, i, i + KEEP).append(marker).append(id).append(marker)
                        .append(document, end - KEEP, end);
            } else {
                shrunk.append(document, i, end);
            }
            if (end < document.length()) {
                shrunk.append(document.charAt(end));
            }
            i = end + 1;
        }
        return new LongRuns(shrunk.toString(), marker, middles);
    }

    /** The document with its long runs replaced, for SnakeYAML. */
    String text() {
        return text;
    }

    /** The composed tree with every placeholder replaced by its run. */
    Node restore(Node node) {
        if (middles.isEmpty() || node == null) {
            return node;
        }
        switch (node) {
            case ScalarNode scalar -> {
                return scalar.getValue().indexOf(marker) < 0 ? scalar : restored(scalar);
            }
            case SequenceNode sequence -> sequence.getValue().replaceAll(this::restore);
            case MappingNode mapping -> mapping.setValue(new ArrayList<>(mapping.getValue().stream()
                    .map(tuple -> new NodeTuple(restore(tuple.getKeyNode()), restore(tuple.getValueNode()))).toList()));
            default -> {
            }
        }
        return node;
    }

    private ScalarNode restored(ScalarNode scalar) {
        String value = scalar.getValue();
        StringBuilder restored = new StringBuilder(value.length() + 1024);
        int i = 0;
        int open;
        while ((open = value.indexOf(marker, i)) >= 0) {
            int close = value.indexOf(marker, open + 1);
            restored.append(value, i, open).append(middles.get(Integer.parseInt(value.substring(open + 1, close))));
            i = close + 1;
        }
        restored.append(value, i, value.length());
        String original = restored.toString();
        // A plain scalar's type is resolved from its text: resolve the real text, as it would have been.
        Tag tag = scalar.getScalarStyle() == ScalarStyle.PLAIN && scalar.getTag().equals(Tag.STR)
                ? RESOLVER.resolve(NodeId.scalar, original, true) : scalar.getTag();
        return new ScalarNode(tag, original, scalar.getStartMark(), scalar.getEndMark(), scalar.getScalarStyle());
    }

    private static boolean isRunCharacter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '=';
    }

    /** A private-use character the document does not hold, so a placeholder is never mistaken for its text. */
    private static char unusedMarker(String document) throws ResourceException {
        BitSet used = new BitSet(MARKER_CHOICES);
        for (int i = 0; i < document.length(); i++) {
            int offset = document.charAt(i) - FIRST_MARKER;
            if (offset >= 0 && offset < MARKER_CHOICES) {
                used.set(offset);
            }
        }
        int free = used.nextClearBit(0);
        if (free >= MARKER_CHOICES) {
            throw new ResourceException("holds every private-use character from U+E000 to U+E0FF, which no"
                    + " SignedBpfProgram field takes");
        }
        return (char) (FIRST_MARKER + free);
    }
}
