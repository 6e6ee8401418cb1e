package dev.sigil.operator.trust;

import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.TrustBundleReader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the trust ConfigMap with the signing library's {@link TrustBundleReader}, the reader the agents use on
 * the same ConfigMap mounted as a directory: its {@code data} and {@code binaryData} keys are the directory's
 * files, so {@code *.pem} and {@code *.crt} anchors, the revocation lists, unbound-programs and every refusal are the same on both
 * sides. Parsing happens once per resourceVersion; every program reconcile asks for the current state.
 */
public final class TrustConfigMap {
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
        Optional<TrustState> cached = cached(current);
        if (cached.isPresent()) {
            return cached.get();
        }
        // Reconciles that start together (the operator's start) wait for one parse instead of each parsing.
        synchronized (this) {
            cached = cached(current);
            if (cached.isPresent()) {
                return cached.get();
            }
            TrustState state = parse(ref, current);
            last.set(new Parsed(current.getMetadata().getUid(), current.getMetadata().getResourceVersion(), state));
            return state;
        }
    }

    private Optional<TrustState> cached(ConfigMap current) {
        Parsed cached = last.get();
        return cached != null && cached.uid().equals(current.getMetadata().getUid())
                && cached.resourceVersion().equals(current.getMetadata().getResourceVersion())
                ? Optional.of(cached.state()) : Optional.empty();
    }

    /** Parses one ConfigMap; every problem names the key it was found in. */
    public static TrustState parse(ObjectRef ref, ConfigMap configMap) {
        String source = "trust ConfigMap " + ref;
        try {
            return new TrustState.Loaded(TrustBundleReader.read(entries(configMap, source), source));
        } catch (KeyMaterialException e) {
            return new TrustState.Unavailable(e.getMessage());
        }
    }

    /** What a volume mount of the ConfigMap shows as files: text keys in UTF-8 and binary keys as they are. */
    private static Map<String, byte[]> entries(ConfigMap configMap, String source) throws KeyMaterialException {
        Map<String, byte[]> entries = new HashMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((key, text) -> entries.put(key, text.getBytes(StandardCharsets.UTF_8)));
        }
        if (configMap.getBinaryData() != null) {
            for (Map.Entry<String, String> binary : configMap.getBinaryData().entrySet()) {
                try {
                    entries.put(binary.getKey(), Base64.getDecoder().decode(binary.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new KeyMaterialException(source + ": binaryData key " + binary.getKey() + " is not base64: " + e.getMessage(), e);
                }
            }
        }
        return entries;
    }
}
