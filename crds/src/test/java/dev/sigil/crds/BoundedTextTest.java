package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedTextTest {
    private static final String BEE = "\uD83D\uDC1D";

    @Test
    void keepsTextThatFitsAsItIs() {
        assertThat(BoundedText.cut("abcde", 5)).isEqualTo("abcde");
        assertThat(BoundedText.cut(BEE.repeat(5), 5)).as("five code points, ten UTF-16 units").isEqualTo(BEE.repeat(5));
        assertThat(BoundedText.cut(null, 5)).isNull();
    }

    @Test
    void keepsTheStartAndMarksTheCut() {
        assertThat(BoundedText.cut("abcdef", 5)).isEqualTo("abcd" + BoundedText.MARKER);
        assertThat(BoundedText.cut("abcdef", 1)).isEqualTo(BoundedText.MARKER);
    }

    @Test
    void neverSplitsASurrogatePair() {
        assertThat(BoundedText.cut("ab" + BEE.repeat(4), 5)).isEqualTo("ab" + BEE + BEE + BoundedText.MARKER);
    }

    @Test
    void aTailKeepsTheLastWholeLinesThatFitBehindTheMarker() {
        String log = "0: r1 = ctx\n1: r0 = *(u64 *)(r1 +1000)\ninvalid bpf_context access off=1000\nprocessed 2 insns";

        assertThat(BoundedText.tail(log, log.length())).isEqualTo(log);
        assertThat(BoundedText.tail(log, 60)).isEqualTo(BoundedText.MARKER + "invalid bpf_context access off=1000\nprocessed 2 insns");
        assertThat(BoundedText.tail("x".repeat(10), 5)).isEqualTo(BoundedText.MARKER + "xxxx");
        assertThat(BoundedText.tail("a" + BEE.repeat(4), 3)).as("never splits a surrogate pair").isEqualTo(BoundedText.MARKER + BEE + BEE);
        assertThat(BoundedText.tail(null, 5)).isNull();
    }

    @Test
    void rejectsALimitWithNoRoomForTheMarker() {
        assertThatThrownBy(() -> BoundedText.cut("abc", 0)).hasMessageContaining("maxLength must leave room");
    }
}
