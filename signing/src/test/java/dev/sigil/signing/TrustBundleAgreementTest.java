package dev.sigil.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared table read as entries and as a mounted ConfigMap directory (the CLI's and the agents' path). */
class TrustBundleAgreementTest {
    static List<TrustBundleCases.Case> cases() {
        return TrustBundleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void entriesAndAMountedDirectoryGiveTheTablesOutcome(TrustBundleCases.Case bundle, @TempDir Path dir) throws Exception {
        Path mounted = TrustBundleCases.mount(bundle, Files.createDirectory(dir.resolve("trust")));

        String fromEntries = TrustBundleCases.outcome(() -> TrustBundleReader.read(bundle.entries(), "bundle"), "bundle");

        assertThat(fromEntries).startsWith(bundle.expected());
        assertThat(TrustBundleCases.outcome(() -> TrustBundle.load(mounted), mounted.toString())).isEqualTo(fromEntries);
    }
}
