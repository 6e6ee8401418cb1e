package dev.sigil.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.TrustBundleCases;
import dev.sigil.signing.TrustBundleReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code --trust}, as {@code sigil agent run} and {@code sigil agent cluster} read the mounted trust ConfigMap,
 * agrees with the operator's reading of the same ConfigMap (the shared table's entries).
 */
class TrustOptionAgreementTest {
    @Command(name = "agent-under-test")
    static final class Agent {
        @Mixin
        TrustOption trust;
    }

    static List<TrustBundleCases.Case> cases() {
        return TrustBundleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAgentsTrustOptionAgreesWithTheConfigMapEntries(TrustBundleCases.Case bundle, @TempDir Path dir) throws Exception {
        Path mounted = TrustBundleCases.mount(bundle, dir);
        Agent agent = new Agent();
        new CommandLine(agent).parseArgs("--trust", mounted.toString());

        String agents = TrustBundleCases.outcome(agent.trust::load, mounted.toString());

        assertThat(agents).startsWith(bundle.expected())
                .isEqualTo(TrustBundleCases.outcome(() -> TrustBundleReader.read(bundle.entries(), "entries"), "entries"));
    }
}
