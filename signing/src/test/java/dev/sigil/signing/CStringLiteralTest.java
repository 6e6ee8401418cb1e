package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CStringLiteralTest {

    private static byte[] decode(String source) throws SkeletonFormatException {
        int quote = source.indexOf('"');
        return CStringLiteral.decode(source, quote, CStringLiteral.lineOf(source, quote), "t.h").bytes();
    }

    @Test
    void decodesOctalEscapesOfOneToThreeDigits() throws Exception {
        assertThat(decode("\"\\0\\7\\12\\377\\1234\"")).containsExactly(0, 7, 10, 0xff, 0123, '4');
    }

    @Test
    void decodesHexEscapesOfAnyLength() throws Exception {
        assertThat(decode("\"\\x9f\\xEB\\x1\\x0041\"")).containsExactly(0x9f, 0xeb, 0x01, 0x41);
    }

    @Test
    void decodesSimpleEscapes() throws Exception {
        assertThat(decode("\"\\n\\t\\r\\a\\b\\f\\v\\\\\\'\\\"\\?\"")).containsExactly(10, 9, 13, 7, 8, 12, 11, '\\', '\'', '"', '?');
    }

    @Test
    void keepsPlainCharactersAndEncodesNonAsciiAsUtf8() throws Exception {
        assertThat(decode("\"ab c\u00e9\"")).containsExactly('a', 'b', ' ', 'c', 0xc3, 0xa9);
    }

    @Test
    void removesLineContinuationsEvenInsideAnEscape() throws Exception {
        assertThat(decode("x = \"\\\n\\x9f\\\n\\0\\x\\\n41\\\r\n\\n\";")).containsExactly(0x9f, 0, 0x41, 0x0a);
    }

    @Test
    void hexEscapesRunOnAcrossLineContinuationsAsInC() {
        assertThatThrownBy(() -> decode("\"\\x4\\\n1\\\n2\"")).hasMessage("t.h:1: hex escape does not fit in a byte");
    }

    @Test
    void concatenatesAdjacentLiterals() throws Exception {
        String source = "\"ab\"  \n\t\"\\x63\";";
        CStringLiteral.Decoded decoded = CStringLiteral.decode(source, 0, 1, "t.h");
        assertThat(decoded.bytes()).containsExactly('a', 'b', 'c');
        assertThat(source.substring(decoded.end())).isEqualTo(";");
    }

    @Test
    void namesTheLineOfAnUnknownEscape() {
        assertThatThrownBy(() -> decode("a\nb = \"\\\n\\x01\\q\";"))
                .isInstanceOf(SkeletonFormatException.class).hasMessage("t.h:3: unknown escape sequence \\q")
                .extracting(e -> ((SkeletonFormatException) e).line()).isEqualTo(3);
    }

    @Test
    void rejectsEscapesThatDoNotFitInAByte() {
        assertThatThrownBy(() -> decode("\"\\x100\"")).hasMessage("t.h:1: hex escape does not fit in a byte");
        assertThatThrownBy(() -> decode("\"\\400\"")).hasMessage("t.h:1: octal escape \\400 does not fit in a byte");
        assertThatThrownBy(() -> decode("\"\\xg\"")).hasMessage("t.h:1: \\x escape without hex digits");
    }

    @Test
    void rejectsTruncatedLiterals() {
        assertThatThrownBy(() -> decode("x\n\"\\x01\\\n\\x02")).isInstanceOf(SkeletonFormatException.class)
                .hasMessage("t.h:3: string literal is not terminated (the file ends inside it)");
        assertThatThrownBy(() -> decode("\"\\x01\n\";"))
                .hasMessage("t.h:1: string literal is not terminated before the end of the line");
        assertThatThrownBy(() -> decode("\"\\")).hasMessage("t.h:1: escape sequence cut off by the end of the file");
    }
}
