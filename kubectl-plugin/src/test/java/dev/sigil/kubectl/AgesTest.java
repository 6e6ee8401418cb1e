package dev.sigil.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ages read as kubectl's: the same precision at the same sizes. */
class AgesTest {
    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({
        "-5, 0s",
        "0, 0s",
        "119, 119s",
        "120, 2m",
        "125, 2m5s",
        "599, 9m59s",
        "600, 10m",
        "10799, 179m",
        "10800, 3h",
        "11100, 3h5m",
        "28800, 8h",
        "172799, 47h",
        "172800, 2d",
        "180000, 2d2h",
        "691200, 8d",
        "63071999, 729d",
        "63072000, 2y",
    })
    void printsAgesAsKubectlDoes(long seconds, String expected) {
        assertThat(Ages.of(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"not a time", "2030-13-01T00:00:00Z"})
    void anUnreadableTimeHasNoAge(String time) {
        assertThat(Ages.since(time, Instant.EPOCH)).isEqualTo(Ages.UNKNOWN);
        assertThat(Ages.since(Optional.empty(), Instant.EPOCH)).isEqualTo(Ages.UNKNOWN);
    }
}
