package dev.sigil.operator.trust;

import dev.sigil.operator.ObjectRef;
import dev.sigil.signing.Revocations;
import dev.sigil.signing.TrustBundle;
import dev.sigil.signing.UnboundPrograms;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the trust ConfigMap: every {@code *.pem} key holds trust-anchor certificates, {@code
 * revoked-certificates} lists SHA-256 certificate fingerprints and {@code revoked-loaders} loader
 * hashes, one per line (the layout of a mounted trust directory). Parsing happens once per
 * resourceVersion; every program reconcile asks for the current state.
 */
public final class TrustConfigMap {
    public static final String ANCHOR_SUFFIX = ".pem";

    private record Parsed(String uid, String resourceVersion, TrustState state) {
    }

    private final ObjectRef ref;
    private final AtomicReference<Parsed> last = new AtomicReference<>();

    public TrustConfigMap(ObjectRef ref) {
        this.ref = ref;
    }

    public ObjectRef ref() {
        return ref;
    }

    /** The trust state for the ConfigMap as currently cached, or its absence. */
    public TrustState state(Optional<ConfigMap> configMap) {
        if (configMap.isEmpty()) {
            return new TrustState.Unavailable("trust ConfigMap " + ref + " not found");
        }
        ConfigMap current = configMap.get();
        Parsed cached = last.get();
        if (cached != null && cached.uid().equals(current.getMetadata().getUid())
                && cached.resourceVersion().equals(current.getMetadata().getResourceVersion())) {
            return cached.state();
        }
        TrustState state = parse(ref, current);
        last.set(new Parsed(current.getMetadata().getUid(), current.getMetadata().getResourceVersion(), state));
        return state;
    }

    /** Parses one ConfigMap; every problem names the key it was found in. */
    public static TrustState parse(ObjectRef ref, ConfigMap configMap) {
        Map<String, String> data = new TreeMap<>(configMap.getData() == null ? Map.of() : configMap.getData());
        List<X509Certificate> anchors = new ArrayList<>();
        for (Map.Entry<String, String> entry : data.entrySet()) {
            if (!entry.getKey().endsWith(ANCHOR_SUFFIX)) {
                continue;
            }
            try {
                Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(entry.getValue().getBytes(StandardCharsets.US_ASCII)));
                if (certificates.isEmpty()) {
                    return new TrustState.Unavailable("trust ConfigMap " + ref + " key " + entry.getKey()
                            + " holds no PEM certificate");
                }
                certificates.forEach(certificate -> anchors.add((X509Certificate) certificate));
            } catch (CertificateException e) {
                return new TrustState.Unavailable("trust ConfigMap " + ref + " key " + entry.getKey()
                        + " is not a PEM X.509 certificate: " + e.getMessage());
            }
        }
        if (anchors.isEmpty()) {
            return new TrustState.Unavailable("trust ConfigMap " + ref + " has no *" + ANCHOR_SUFFIX
                    + " key, so it names no trust anchor");
        }
        try {
            Revocations revocations = Revocations.parse(
                    data.getOrDefault(TrustBundle.REVOKED_CERTIFICATES, ""), data.getOrDefault(TrustBundle.REVOKED_LOADERS, ""));
            return new TrustState.Loaded(TrustBundle.of(anchors, revocations).withUnboundPrograms(
                    UnboundPrograms.parse(data.getOrDefault(TrustBundle.UNBOUND_PROGRAMS, ""))));
        } catch (IllegalArgumentException e) {
            return new TrustState.Unavailable("trust ConfigMap " + ref + " revocation lists or unbound-programs: "
                    + e.getMessage());
        }
    }
}
