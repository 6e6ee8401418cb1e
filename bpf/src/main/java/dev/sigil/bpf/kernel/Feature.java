package dev.sigil.bpf.kernel;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One capability, probed on first use and remembered, as cilium/ebpf's {@code internal.FeatureTest}:
 * the probe runs at most once (a probe that throws runs again next time), whoever asks first.
 */
final class Feature {
    private static final Logger LOG = LoggerFactory.getLogger(Feature.class);

    private final String name;
    private final Supplier<Support> probe;
    private Support answer;

    private Feature(String name, Supplier<Support> probe, Support answer) {
        this.name = name;
        this.probe = probe;
        this.answer = answer;
    }

    static Feature probed(String name, Supplier<Support> probe) {
        return new Feature(name, probe, null);
    }

    static Feature known(String name, Support answer) {
        return new Feature(name, null, answer);
    }

    synchronized Support get() {
        if (answer == null) {
            answer = probe.get();
            LOG.info("kernel probe: {}: {}", name, answer.describe());
        }
        return answer;
    }
}
