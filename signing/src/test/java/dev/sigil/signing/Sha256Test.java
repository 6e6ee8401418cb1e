package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code sha256:<hex>} notation is exact: 64 lowercase hex digits, nothing around them. */
class Sha256Test {
    private static final String HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void digestsAsTheStandardSays() {
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(HEX);
        assertThat(Sha256.tagged("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo("sha256:" + HEX);
        assertThat(Sha256.parseTagged("sha256:" + HEX)).isEqualTo(HexFormat.of().parseHex(HEX));
    }

    @Test
    void eachNewDigestStartsEmptyAndOnItsOwn() {
        MessageDigest first = Sha256.newDigest();
        first.update("a".getBytes(StandardCharsets.US_ASCII));
        MessageDigest second = Sha256.newDigest();
        second.update("abc".getBytes(StandardCharsets.US_ASCII));
        first.update("bc".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(first.digest())).isEqualTo(HEX);
        assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(HEX);
        assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
    }

    static List<String> notTagged() {
        String rest = HEX.substring(1);
        return List.of("", "sha256:", "sha256:" + HEX + "0", "sha256:A" + rest, "sha256:g" + rest, "sha256:/" + rest,
                "sha256::" + rest, "sha256:`" + rest, "SHA256:" + HEX, "sha512:" + HEX, " sha256:" + HEX,
                "sha256:" + HEX + " ", "sha256:" + HEX.substring(2));
    }

    @ParameterizedTest
    @MethodSource("notTagged")
    void refusesAnythingButSha256AndSixtyFourLowercaseHexDigits(String text) {
        assertThat(Sha256.isTagged(text)).isFalse();
        assertThatThrownBy(() -> Sha256.parseTagged(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not sha256: followed by 64 lowercase hex digits");
    }

    @Test
    void tellsHexFromAnythingElse() {
        assertThat(Sha256.isTagged("sha256:" + HEX)).isTrue();
        assertThat(Sha256.isHex(HEX)).isTrue();
        assertThat(Sha256.isHex("0123456789abcdef".repeat(4))).isTrue();
        assertThat(Sha256.isHex(null)).isFalse();
        assertThat(Sha256.isHex(HEX.toUpperCase())).isFalse();
        assertThat(Sha256.isHex(HEX + "0")).isFalse();
        assertThat(Sha256.isHex("sha256:" + HEX)).isFalse();
    }
}
