package dev.sigil.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.TrustBundleCases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator reads each shared trust bundle from a ConfigMap exactly as the agents read its volume mount. */
class TrustConfigMapAgreementTest {
    private static final ObjectRef REF = new ObjectRef("sigil-system", "sigil-trust");

    static List<TrustBundleCases.Case> cases() {
        return TrustBundleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theOperatorAgreesWithTheMountedDirectory(TrustBundleCases.Case bundle, @TempDir Path dir) throws Exception {
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(REF.name()).withNamespace(REF.namespace()).endMetadata()
                .withData(TrustBundleCases.configMapData(bundle, false))
                .withBinaryData(TrustBundleCases.configMapData(bundle, true))
                .build();
        Path mounted = TrustBundleCases.mount(bundle, dir);

        String operator = switch (TrustConfigMap.parse(REF, configMap)) {
            case TrustState.Loaded loaded -> TrustBundleCases.describe(loaded.bundle());
            case TrustState.Unavailable unavailable -> TrustBundleCases.outcome(() -> {
                throw new IllegalStateException(unavailable.message());
            }, "trust ConfigMap " + REF);
        };

        assertThat(operator).startsWith(bundle.expected())
                .isEqualTo(TrustBundleCases.outcome(() -> TrustBundle.load(mounted), mounted.toString()));
    }
}
