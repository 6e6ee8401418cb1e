package dev.sigil.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventSpamFilterTest {
    private Instant now = Instant.parse("2026-12-02T08:00:00Z");
    private final EventSpamFilter filter = new EventSpamFilter(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void anObjectGetsABurstThenOneEventPerRefill() {
        long allowed = IntStream.range(0, 40).filter(i -> filter.allow("uid-a")).count();
        assertThat(allowed).isEqualTo(EventSpamFilter.BURST);

        now = now.plus(EventSpamFilter.REFILL.minusSeconds(1));
        assertThat(filter.allow("uid-a")).as("not a whole token yet").isFalse();
        now = now.plusSeconds(1);
        assertThat(filter.allow("uid-a")).isTrue();
        assertThat(filter.allow("uid-a")).isFalse();
    }

    @Test
    void objectsHaveAllowancesOfTheirOwnAndAForgottenOneStartsAfresh() {
        IntStream.range(0, EventSpamFilter.BURST).forEach(i -> filter.allow("uid-a"));
        assertThat(filter.allow("uid-a")).isFalse();
        assertThat(filter.allow("uid-b")).isTrue();

        filter.forget("uid-a");
        assertThat(filter.allow("uid-a")).isTrue();
    }

    @Test
    void aLongQuietSpellRefillsNoMoreThanTheBurst() {
        IntStream.range(0, EventSpamFilter.BURST).forEach(i -> filter.allow("uid-a"));
        now = now.plus(Duration.ofDays(1));
        assertThat(IntStream.range(0, 40).filter(i -> filter.allow("uid-a")).count()).isEqualTo(EventSpamFilter.BURST);
    }
}
