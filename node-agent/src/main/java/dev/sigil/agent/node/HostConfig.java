package dev.sigil.agent.node;

import dev.sigil.signing.TrustBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ProgramHost} runs: where it pins (one directory per resource below {@code pinRoot}),
 * whom it trusts, its clock (certificate validity, status timestamps), how often callers should run
 * {@link ProgramHost#repairDrift()}, and whom it tells how long each step of a deploy took.
 */
public record HostConfig(Path pinRoot, TrustBundle trust, Clock clock, Duration driftInterval, StepTimer stepTimer) {
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf/sigil");
    public static final Duration DEFAULT_DRIFT_INTERVAL = Duration.ofSeconds(30);

    public HostConfig {
        Objects.requireNonNull(pinRoot, "pinRoot");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(driftInterval, "driftInterval");
        Objects.requireNonNull(stepTimer, "stepTimer");
        if (!pinRoot.isAbsolute()) {
            throw new IllegalArgumentException("pin root must be an absolute path, got " + pinRoot);
        }
        if (driftInterval.isNegative() || driftInterval.isZero()) {
            throw new IllegalArgumentException("drift interval must be positive, got " + driftInterval);
        }
    }

    /** A host whose steps nobody times. */
    public HostConfig(Path pinRoot, TrustBundle trust, Clock clock, Duration driftInterval) {
        this(pinRoot, trust, clock, driftInterval, StepTimer.NONE);
    }

    public HostConfig withStepTimer(StepTimer timer) {
        return new HostConfig(pinRoot, trust, clock, driftInterval, timer);
    }

    /** The default pin root and drift interval, the system clock. */
    public static HostConfig defaults(TrustBundle trust) {
        return new HostConfig(DEFAULT_PIN_ROOT, trust, Clock.systemUTC(), DEFAULT_DRIFT_INTERVAL);
    }
}
