package dev.sigil.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.operator.TestPrograms;
import dev.sigil.signing.Certificates;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TrustConfigMapTest {
    private static final ObjectRef REF = new ObjectRef("sigil-system", "sigil-trust");
    private static final SigningKey RELEASE = TestPrograms.newSigner("release");
    private static final SigningKey STAGING = TestPrograms.newSigner("staging");

    @Test
    void everyPemKeyIsAnAnchorAndTheListsAreRevocations() {
        String loader = "sha256:" + "ab".repeat(32);
        TrustState state = TrustConfigMap.parse(REF, configMap("1", Map.of(
                "release.pem", SignedFixtures.pem(RELEASE.certificate()),
                "staging.pem", SignedFixtures.pem(STAGING.certificate()),
                "revoked-certificates", "# rotated\n" + Certificates.fingerprintSha256(STAGING.certificate()) + "\n",
                "revoked-loaders", loader + "\n",
                "README", "not a certificate, ignored")));

        assertThat(state).isInstanceOfSatisfying(TrustState.Loaded.class, loaded -> {
            assertThat(loaded.bundle().anchors()).containsExactlyInAnyOrder(RELEASE.certificate(), STAGING.certificate());
            assertThat(loaded.bundle().revocations().isCertificateRevoked(
                    Certificates.fingerprintSha256(STAGING.certificate()))).isTrue();
            assertThat(loaded.bundle().revocations().isLoaderRevoked(loader)).isTrue();
        });
    }

    @Test
    void unusableConfigMapsFailClosedNamingTheKey() {
        assertThat(TrustConfigMap.parse(REF, configMap("1", Map.of("release.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n"
                + "-----END CERTIFICATE-----\n"))))
                .isInstanceOfSatisfying(TrustState.Unavailable.class, unavailable ->
                        assertThat(unavailable.message()).contains("sigil-system/sigil-trust").contains("release.pem"));
        assertThat(TrustConfigMap.parse(REF, configMap("1", Map.of("revoked-loaders", ""))))
                .isInstanceOfSatisfying(TrustState.Unavailable.class, unavailable ->
                        assertThat(unavailable.message()).contains("no certificate in any *.pem or *.crt entry"));
        assertThat(TrustConfigMap.parse(REF, configMap("1", Map.of(
                "release.pem", SignedFixtures.pem(RELEASE.certificate()),
                "revoked-loaders", "md5:1234\n"))))
                .isInstanceOfSatisfying(TrustState.Unavailable.class, unavailable ->
                        assertThat(unavailable.message()).contains("revoked-loaders line 1"));
        assertThat(new TrustConfigMap(REF).state(Optional.empty()))
                .isEqualTo(new TrustState.Unavailable("trust ConfigMap sigil-system/sigil-trust not found"));
    }

    @Test
    void parsesEachResourceVersionOnce() {
        TrustConfigMap trust = new TrustConfigMap(REF);
        ConfigMap v1 = configMap("1", Map.of("release.pem", SignedFixtures.pem(RELEASE.certificate())));

        TrustState first = trust.state(Optional.of(v1));

        assertThat(trust.state(Optional.of(configMap("1", Map.of("release.pem", SignedFixtures.pem(RELEASE.certificate()))))))
                .isSameAs(first);
        assertThat(trust.state(Optional.of(configMap("2", Map.of("release.pem", SignedFixtures.pem(STAGING.certificate()))))))
                .isNotSameAs(first)
                .isInstanceOfSatisfying(TrustState.Loaded.class, loaded ->
                        assertThat(loaded.bundle().anchors()).containsExactly(STAGING.certificate()));
    }

    @Test
    void reconcilesThatAskTogetherShareOneParse() throws Exception {
        TrustConfigMap trust = new TrustConfigMap(REF);
        ConfigMap v1 = configMap("1", Map.of("release.pem", SignedFixtures.pem(RELEASE.certificate())));
        int threads = 8;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<TrustState>> states;
        try (ExecutorService reconciles = Executors.newFixedThreadPool(threads)) {
            states = reconciles.invokeAll(Collections.nCopies(threads, () -> {
                together.await();
                return trust.state(Optional.of(v1));
            }));
        }

        TrustState first = states.getFirst().get();
        for (Future<TrustState> state : states) {
            assertThat(state.get()).isSameAs(first);
        }
    }

    private static ConfigMap configMap(String resourceVersion, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(REF.name()).withNamespace(REF.namespace())
                    .withUid("9a3c").withResourceVersion(resourceVersion).endMetadata()
                .withData(data)
                .build();
    }
}
