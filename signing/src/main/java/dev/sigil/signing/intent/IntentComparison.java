package dev.sigil.signing.intent;

import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import dev.sigil.signing.intent.ResourceClaims.MapClaim;
import dev.sigil.signing.intent.ResourceClaims.ProgramClaim;
import dev.sigil.signing.intent.SigilIntent.MapIntent;
import dev.sigil.signing.intent.SigilIntent.ProgramIntent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a resource does what its signed intent approves. Everything binds exactly except constrained
 * targets (a glob admits the values it matches), the enforcement (the resource may choose a stronger one)
 * and the node selector (the cluster's own choice, as long as it requires the intent's labels). The first
 * difference is reported as {@link ReasonCode#IntentMismatch}, its message starting with the resource field.
 */
public final class IntentComparison {
    /** Weakest first: Agent (the agent's check), Auto (Kernel where the node can), Kernel (always the kernel). */
    static final List<String> ENFORCEMENT_STRENGTH = List.of("Agent", "Auto", "Kernel");

    private IntentComparison() {
    }

    public static void requireSatisfied(SigilIntent intent, SignedBundle bundle, ResourceClaims claims)
            throws VerificationException {
        same("spec.protocol", bundle.protocol(), intent.protocol());
        same("spec.loader (its SHA-256)", bundle.loaderHash(), intent.loaderHash());
        same("spec.hash", bundle.hash(), intent.metadataHash());
        programs(intent.programs(), claims.programs());
        maps(intent.maps(), claims.maps());
        enforcement(intent.minimumEnforcement(), claims.enforcement());
        for (Map.Entry<String, String> label : intent.requiredNodeLabels().entrySet()) {
            if (!claims.nodeSelector().requires(label.getKey(), label.getValue())) {
                throw mismatch("spec.nodeSelector does not require label " + label.getKey() + "=" + label.getValue()
                        + ", which the signed intent requires (matchLabels, or matchExpressions In with that one value)");
            }
        }
    }

    private static void programs(List<ProgramIntent> signed, List<ProgramClaim> claimed) throws VerificationException {
        List<String> signedNames = signed.stream().map(ProgramIntent::name).toList();
        List<String> claimedNames = claimed.stream().map(ProgramClaim::name).toList();
        if (!signedNames.equals(claimedNames)) {
            throw mismatch("spec.programs lists " + claimedNames + " but the signed intent binds " + signedNames);
        }
        for (int i = 0; i < signed.size(); i++) {
            attach("spec.programs[" + i + "].attach", signed.get(i).attach(), claimed.get(i).attach());
        }
    }

    private static void attach(String path, AttachIntent signed, AttachPoint claimed) throws VerificationException {
        same(path + ".type", claimed.type(), signed.type());
        String member = path + "." + signed.member();
        Set<String> fields = new TreeSet<>(signed.target().keySet());
        fields.addAll(claimed.target().keySet());
        fields.removeAll(claimed.resolvedOnNode());
        for (String field : claimed.resolvedOnNode()) {
            Target binding = signed.target().get(field);
            if (!(binding instanceof Target.Exact || binding instanceof Target.Pattern)) {
                throw mismatch(member + "." + field + " is left to the node, but the signed intent "
                        + (binding == null ? "does not bind it" : "binds it to " + binding.describe()
                        + " without a constraint a node's value could be checked against"));
            }
            String pattern = claimed.patterns().get(field);
            if (pattern != null && !covers(binding, pattern)) {
                throw mismatch(member + "." + field + "Pattern is '" + pattern + "', wider than the signed intent's "
                        + binding.describe() + ": a pattern must be the signed one or a name it admits");
            }
        }
        for (String field : fields) {
            Target binding = signed.target().get(field);
            String value = claimed.target().get(field);
            if (binding == null) {
                throw mismatch(member + "." + field + " is '" + value + "', a field the signed intent does not bind");
            }
            if (value == null) {
                throw mismatch(member + "." + field + " is missing but the signed intent binds " + binding.describe());
            }
            if (!binding.admits(value)) {
                throw mismatch(member + "." + field + " is '" + value + "' but the signed intent binds "
                        + binding.describe());
            }
        }
    }

    /**
     * Whether a resource's pattern is no wider than the signed binding: the signed glob itself, or a name without
     * wildcards that the binding admits. (Every interface the agent resolves is checked against the binding again.)
     */
    private static boolean covers(Target binding, String pattern) {
        return binding instanceof Target.Pattern(Glob glob) && glob.toString().equals(pattern)
                || !Glob.hasWildcard(pattern) && binding.admits(pattern);
    }

    /**
     * What the agent resolved on its node for a field the resource left to it ({@link AttachPoint#resolvedOnNode()})
     * must satisfy the signed constraint, as a value given in the resource must.
     */
    public static void requireAdmitsResolved(SigilIntent intent, String program, String field, String resolved)
            throws VerificationException {
        for (int i = 0; i < intent.programs().size(); i++) {
            ProgramIntent signed = intent.programs().get(i);
            if (signed.name().equals(program)) {
                Target binding = signed.attach().target().get(field);
                String path = "spec.programs[" + i + "].attach." + signed.attach().member() + "." + field;
                if (binding == null || !binding.admits(resolved)) {
                    throw mismatch(path + " resolved to '" + resolved + "' on this node, but the signed intent binds "
                            + (binding == null ? "no such field" : binding.describe()));
                }
                return;
            }
        }
        throw mismatch("spec.programs has " + program + ", which the signed intent does not bind");
    }

    private static void maps(List<MapIntent> signed, List<MapClaim> claimed) throws VerificationException {
        List<String> signedNames = signed.stream().map(MapIntent::name).toList();
        List<String> claimedNames = claimed.stream().map(MapClaim::name).toList();
        if (!signedNames.equals(claimedNames)) {
            throw mismatch("spec.maps lists " + claimedNames + " but the signed intent binds " + signedNames);
        }
        for (int i = 0; i < signed.size(); i++) {
            if (signed.get(i).pin() != claimed.get(i).pin()) {
                throw mismatch("spec.maps[" + i + "].pin is " + claimed.get(i).pin() + " but the signed intent binds "
                        + signed.get(i).pin() + " for map " + signed.get(i).name());
            }
        }
    }

    private static void enforcement(String minimum, String claimed) throws VerificationException {
        int required = ENFORCEMENT_STRENGTH.indexOf(minimum);
        int chosen = ENFORCEMENT_STRENGTH.indexOf(claimed);
        if (required < 0) {
            throw new VerificationException(ReasonCode.MalformedIntent, "the signed intent's minimumEnforcement '"
                    + minimum + "' is none of " + ENFORCEMENT_STRENGTH);
        }
        if (chosen < required) {
            throw mismatch("spec.enforcement is " + claimed + " but the signed intent requires at least " + minimum
                    + " (weakest to strongest: " + String.join(", ", ENFORCEMENT_STRENGTH) + ")");
        }
    }

    private static void same(String field, String claimed, String signed) throws VerificationException {
        if (!signed.equals(claimed)) {
            throw mismatch(field + " is " + claimed + " but the signed intent binds " + signed);
        }
    }

    private static VerificationException mismatch(String message) {
        return new VerificationException(ReasonCode.IntentMismatch, message);
    }
}
