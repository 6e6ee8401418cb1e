package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.IntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.MapIntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.ProgramIntentSpec;
import dev.sigil.signing.IntentSignatures;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.SigilIntent;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writing a signed intent into a spec, as {@code sigil sign} does: first the intent (by default binding
 * exactly what the spec says), then its signature over the canonical bytes {@link SignedSpecs} reads back,
 * so signer and verifiers canonicalise through the same adapter.
 */
public final class SpecIntents {
    private SpecIntents() {
    }

    /**
     * An intent binding the spec as it is: its programs and attach points exactly, its maps and pin flags, its
     * enforcement as the minimum, and {@code requiredNodeLabels} (which must also be in the node selector).
     */
    public static IntentSpec exactly(SignedBpfProgramSpec spec, SignedBundle bundle, Map<String, String> requiredNodeLabels) {
        IntentSpec intent = new IntentSpec();
        intent.setFormat(SigilIntent.FORMAT);
        intent.setProtocol(spec.getProtocol());
        intent.setLoaderHash(bundle.loaderHash());
        intent.setMetadataHash(bundle.hash());
        intent.setPrograms(spec.getPrograms().stream()
                .map(program -> new ProgramIntentSpec(program.getName(), AttachPoints.exactly(program.getAttach())))
                .toList());
        List<MapIntentSpec> maps = spec.getMaps().stream().map(map -> new MapIntentSpec(map.getName(), map.isPin())).toList();
        intent.setMaps(maps.isEmpty() ? null : maps);
        intent.setMinimumEnforcement(spec.getEnforcement());
        intent.setRequiredNodeLabels(requiredNodeLabels.isEmpty() ? null : new TreeMap<>(requiredNodeLabels));
        return intent;
    }

    /** Signs {@code spec.intent} with the loader's key and stores the signature in {@code spec.intentSignature}. */
    public static void sign(SignedBpfProgramSpec spec, SigningKey key) throws VerificationException {
        byte[] canonical = SignedSpecs.intent(spec.getIntent()).canonicalBytes();
        spec.setIntentSignature(Base64.getEncoder().encodeToString(IntentSignatures.sign(canonical, key)));
    }

    /** {@link #exactly} (no required labels) then {@link #sign}: the binding of a pipeline that gives no pattern. */
    public static void bindExactly(SignedBpfProgramSpec spec, SignedBundle bundle, SigningKey key) throws VerificationException {
        spec.setIntent(exactly(spec, bundle, Map.of()));
        sign(spec, key);
    }
}
