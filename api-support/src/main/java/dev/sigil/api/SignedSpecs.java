package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.IntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.MapIntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.ProgramIntentSpec;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.ResourceClaims;
import dev.sigil.signing.intent.ResourceClaims.MapClaim;
import dev.sigil.signing.intent.LabelSelectorTerms;
import dev.sigil.signing.intent.ResourceClaims.ProgramClaim;
import dev.sigil.signing.intent.LabelSelectorTerms.Requirement;
import dev.sigil.signing.intent.SigilIntent;
import dev.sigil.signing.intent.SignedProgram;
import dev.sigil.signing.intent.SignedProgram.SignedIntent;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one reading of a {@code SignedBpfProgram} spec for verification, used by {@code sigil verify} and
 * {@code inspect}, the operator and every agent: the signed pieces ({@link SignedBundle}), the signed intent
 * and its signature if present, and what the resource asks a node to do ({@link ResourceClaims}). A field
 * that cannot be decoded is a {@link VerificationException} with its own reason code, never a runtime error.
 */
public final class SignedSpecs {
    private SignedSpecs() {
    }

    public static SignedProgram read(SignedBpfProgramSpec spec) throws VerificationException {
        if (spec == null) {
            throw new VerificationException(ReasonCode.MalformedLoader, "the resource has no spec");
        }
        SignedBundle bundle = SignedBundle.fromBase64(spec.getProtocol() == null ? null : spec.getProtocol().name(),
                spec.getLoader(), spec.getMetadata(), spec.getHash(), spec.getSignature());
        return new SignedProgram(bundle, signedIntent(spec), claims(spec));
    }

    /** What the resource asks: programs and attach points, maps, enforcement, node selector. */
    public static ResourceClaims claims(SignedBpfProgramSpec spec) {
        List<ProgramClaim> programs = new ArrayList<>();
        for (ProgramSpec program : listOf(spec.getPrograms())) {
            programs.add(new ProgramClaim(String.valueOf(program.getName()), AttachPoints.claim(program.getAttach())));
        }
        List<MapClaim> maps = listOf(spec.getMaps()).stream()
                .map(map -> new MapClaim(String.valueOf(map.getName()), map.isPin())).toList();
        return new ResourceClaims(programs, maps, String.valueOf(spec.getEnforcement()), terms(spec.getNodeSelector()));
    }

    /**
     * The signed intent as the signing library canonicalises and compares it.
     *
     * @throws VerificationException {@link ReasonCode#MalformedIntent} naming the field that is missing or
     *     out of its grammar
     */
    public static SigilIntent intent(IntentSpec intent) throws VerificationException {
        if (!SigilIntent.FORMAT.equals(intent.getFormat())) {
            throw malformed("spec.intent.format is '" + intent.getFormat() + "'; this verifier knows " + SigilIntent.FORMAT);
        }
        List<SigilIntent.ProgramIntent> programs = new ArrayList<>();
        List<ProgramIntentSpec> programSpecs = listOf(intent.getPrograms());
        for (int i = 0; i < programSpecs.size(); i++) {
            String path = "spec.intent.programs[" + i + "]";
            ProgramIntentSpec program = programSpecs.get(i);
            programs.add(new SigilIntent.ProgramIntent(required(path + ".name", program.getName()),
                    AttachPoints.intent(program.getAttach(), path + ".attach")));
        }
        List<SigilIntent.MapIntent> maps = new ArrayList<>();
        List<MapIntentSpec> mapSpecs = listOf(intent.getMaps());
        for (int i = 0; i < mapSpecs.size(); i++) {
            MapIntentSpec map = mapSpecs.get(i);
            if (map.getPin() == null) {
                throw malformed("spec.intent.maps[" + i + "].pin is missing");
            }
            maps.add(new SigilIntent.MapIntent(required("spec.intent.maps[" + i + "].name", map.getName()), map.getPin()));
        }
        if (programs.isEmpty()) {
            throw malformed("spec.intent.programs is empty; an intent binds at least one program");
        }
        return new SigilIntent(
                required("spec.intent.protocol", intent.getProtocol() == null ? null : intent.getProtocol().name()),
                required("spec.intent.loaderHash", intent.getLoaderHash()),
                required("spec.intent.metadataHash", intent.getMetadataHash()),
                programs, maps,
                required("spec.intent.minimumEnforcement",
                        intent.getMinimumEnforcement() == null ? null : intent.getMinimumEnforcement().name()),
                new TreeMap<>(intent.getRequiredNodeLabels() == null ? Map.of() : intent.getRequiredNodeLabels()));
    }

    private static Optional<SignedIntent> signedIntent(SignedBpfProgramSpec spec) throws VerificationException {
        if (spec.getIntent() == null && spec.getIntentSignature() == null) {
            return Optional.empty();
        }
        if (spec.getIntent() == null || spec.getIntentSignature() == null || spec.getIntentSignature().isEmpty()) {
            throw malformed("spec.intent and spec.intentSignature come together; the resource has only one of them");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(spec.getIntentSignature());
        } catch (IllegalArgumentException e) {
            throw new VerificationException(ReasonCode.IntentSignatureInvalid, "spec.intentSignature is not valid base64: "
                    + e.getMessage(), e);
        }
        return Optional.of(new SignedIntent(intent(spec.getIntent()), signature));
    }

    /** A label selector's terms as the signing library compares them; absent selects everything. */
    public static LabelSelectorTerms terms(LabelSelector selector) {
        if (selector == null) {
            return LabelSelectorTerms.EVERYTHING;
        }
        List<Requirement> requirements = listOf(selector.getMatchExpressions()).stream()
                .map(expression -> new Requirement(String.valueOf(expression.getKey()), String.valueOf(expression.getOperator()),
                        listOf(expression.getValues())))
                .toList();
        return new LabelSelectorTerms(new TreeMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels()),
                requirements);
    }

    private static String required(String path, String value) throws VerificationException {
        if (value == null) {
            throw malformed(path + " is missing");
        }
        return value;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static VerificationException malformed(String message) {
        return new VerificationException(ReasonCode.MalformedIntent, message);
    }
}
