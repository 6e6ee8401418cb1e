package dev.sigil.signing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding whose error names the source and the offending byte, not "Input length = 1". */
public final class Utf8 {
    private Utf8() {
    }

    /** @throws KeyMaterialException naming {@code sourceName}, the byte and its offset when the bytes are not UTF-8 */
    public static String decode(byte[] bytes, String sourceName) throws KeyMaterialException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new KeyMaterialException(sourceName + ": not UTF-8 text: byte 0x"
                    + String.format("%02x", bytes[Math.min(offset, bytes.length - 1)] & 0xff) + " at offset " + offset
                    + " does not start a valid UTF-8 sequence");
        }
        return out.flip().toString();
    }
}
