package dev.sigil.api.resource;

import dev.sigil.signing.Messages;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One YAML document (JSON is YAML) composed into SnakeYAML's node tree under {@link ResourceLimits}: its size is
 * checked before anything is decoded, its bytes must be UTF-8, lists and maps nest at most so deep and are never
 * aliased. Only the node tree is built, never Java objects from tags. Every refusal is one line.
 */
final class YamlDocument {
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    private static final int MAX_PROBLEM_LENGTH = 160;

    private YamlDocument() {
    }

    /** The document's root node; null for an empty document. */
    static Node compose(byte[] bytes) throws ResourceException {
        if (bytes.length > ResourceLimits.MAX_DOCUMENT_BYTES) {
            throw tooLarge(bytes.length);
        }
        LongRuns text = LongRuns.shrink(utf8(bytes));
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ResourceLimits.MAX_DOCUMENT_BYTES);
        options.setNestingDepthLimit(ResourceLimits.MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(ResourceLimits.MAX_COLLECTION_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setProcessComments(false);
        try {
            return text.restore(new Composer(new ParserImpl(new StreamReader(text.text()), options), new Resolver(), options)
                    .getSingleNode());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ": ";
            String problem = e.getContext() == null ? e.getProblem()
                    : e.getProblem() == null ? e.getContext() : e.getContext() + ": " + e.getProblem();
            throw new ResourceException(where + "not YAML or JSON: " + oneLine(problem), e);
        } catch (YAMLException e) {
            throw new ResourceException(limitBroken(oneLine(e.getMessage())), e);
        } catch (IllegalArgumentException e) {
            // SnakeYAML's node tags refuse some tags its parser accepts (a %-escape decoding to a space) this way
            throw new ResourceException("not YAML or JSON: " + oneLine(e.getMessage()), e);
        }
    }

    static ResourceException tooLarge(long size) {
        return new ResourceException("is " + size + " bytes; a SignedBpfProgram file holds at most "
                + ResourceLimits.MAX_DOCUMENT_BYTES + " (the largest the schema admits is about 1.4 MB)");
    }

    /** Strict UTF-8 (a leading byte-order mark dropped); the error names the first byte that is not. */
    private static String utf8(byte[] bytes) throws ResourceException {
        int start = startsWithByteOrderMark(bytes) ? BYTE_ORDER_MARK.length : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new ResourceException("not UTF-8 text: byte 0x" + String.format(Locale.ROOT, "%02x",
                    bytes[offset] & 0xff) + " at offset " + offset + " does not start a valid UTF-8 sequence");
        }
        return out.flip().toString();
    }

    private static boolean startsWithByteOrderMark(byte[] bytes) {
        return bytes.length >= BYTE_ORDER_MARK.length && bytes[0] == BYTE_ORDER_MARK[0]
                && bytes[1] == BYTE_ORDER_MARK[1] && bytes[2] == BYTE_ORDER_MARK[2];
    }

    /** SnakeYAML's own words for a limit, in the reader's. */
    private static String limitBroken(String problem) {
        if (problem.startsWith("Nesting Depth exceeded")) {
            return "lists and maps nest more than " + ResourceLimits.MAX_NESTING_DEPTH
                    + " levels deep (a SignedBpfProgram needs 8)";
        }
        if (problem.startsWith("Number of aliases for non-scalar nodes")) {
            return "a YAML alias of a list or map: the reader expands none (each could expand without bound)";
        }
        if (problem.contains("exceeds the limit")) {
            return "more than " + ResourceLimits.MAX_DOCUMENT_BYTES + " characters";
        }
        return "not YAML or JSON: " + problem;
    }

    /** One line, control characters shown as escapes, at most {@value #MAX_PROBLEM_LENGTH} characters. */
    static String oneLine(String text) {
        return text == null || text.isBlank() ? "unreadable" : Messages.escaped(text, MAX_PROBLEM_LENGTH);
    }
}
