package dev.sigil.kubectl;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Ages as kubectl prints them (its HumanDuration): 45s, 3m12s, 25m, 5h3m, 27h, 3d4h, 45d, 2y. */
final class Ages {
    static final String UNKNOWN = "-";

    private Ages() {
    }

    static String since(Optional<Instant> then, Instant now) {
        return then.map(instant -> of(Duration.between(instant, now))).orElse(UNKNOWN);
    }

    static String since(String rfc3339, Instant now) {
        return since(parse(rfc3339), now);
    }

    static Optional<Instant> parse(String rfc3339) {
        if (rfc3339 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(rfc3339));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String of(Duration age) {
        if (age.isNegative()) {
            return "0s";
        }
        long seconds = age.toSeconds();
        long minutes = age.toMinutes();
        long hours = age.toHours();
        long days = age.toDays();
        if (seconds < 120) {
            return seconds + "s";
        }
        if (minutes < 10) {
            return minutes + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        if (hours < 3) {
            return minutes + "m";
        }
        if (hours < 8) {
            return hours + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (days < 8) {
            return days + "d" + (hours % 24 == 0 ? "" : hours % 24 + "h");
        }
        if (days < 730) {
            return days + "d";
        }
        return days / 365 + "y";
    }
}
