package dev.sigil.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EventLimiterTest {
    private Instant now = Instant.parse("2026-12-02T05:00:00Z");
    private final Clock clock = new Clock() {
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
    };
    private final EventLimiter limiter = new EventLimiter(clock, 3, Duration.ofMinutes(5));

    @Test
    void passesABurstThenHoldsBackAndCountsWhatItHeld() {
        List<OptionalInt> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            decisions.add(limiter.admit("counter", "LoadFailed"));
        }

        assertThat(decisions.subList(0, 3)).containsOnly(OptionalInt.of(1));
        assertThat(decisions.subList(3, 10)).containsOnly(OptionalInt.empty());

        now = now.plus(Duration.ofMinutes(5));
        assertThat(limiter.admit("counter", "LoadFailed")).as("the next one carries the 7 held back").hasValue(8);
        assertThat(limiter.admit("counter", "LoadFailed")).isEmpty();
    }

    @Test
    void refillsOneTokenPerPeriodUpToTheBurst() {
        for (int i = 0; i < 3; i++) {
            limiter.admit("counter", "LoadFailed");
        }
        now = now.plus(Duration.ofMinutes(4));
        assertThat(limiter.admit("counter", "LoadFailed")).isEmpty();

        now = now.plus(Duration.ofHours(1));
        assertThat(limiter.admit("counter", "LoadFailed")).hasValue(2);
        assertThat(limiter.admit("counter", "LoadFailed")).hasValue(1);
        assertThat(limiter.admit("counter", "LoadFailed")).hasValue(1);
        assertThat(limiter.admit("counter", "LoadFailed")).as("never more than the burst").isEmpty();
    }

    @Test
    void eachProgramAndReasonHasItsOwnBucket() {
        for (int i = 0; i < 5; i++) {
            limiter.admit("counter", "LoadFailed");
        }

        assertThat(limiter.admit("counter", "AttachFailed")).hasValue(1);
        assertThat(limiter.admit("gateway", "LoadFailed")).hasValue(1);
    }

    @Test
    void aForgottenProgramStartsAfresh() {
        for (int i = 0; i < 5; i++) {
            limiter.admit("counter", "LoadFailed");
        }

        limiter.forget("counter");

        assertThat(limiter.admit("counter", "LoadFailed")).hasValue(1);
    }

    @Test
    void refusesALimitThatLimitsNothing() {
        assertThatThrownBy(() -> new EventLimiter(clock, 0, Duration.ofMinutes(1))).hasMessageContaining("burst >= 1");
        assertThatThrownBy(() -> new EventLimiter(clock, 1, Duration.ZERO)).hasMessageContaining("positive refill");
    }
}
