package dev.sigil.signing.intent;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import dev.sigil.signing.intent.ResourceClaims.ProgramClaim;
import dev.sigil.signing.intent.SigilIntent.ProgramIntent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A target the resource leaves to each node (the node's primary interface): verification lets it through only
 * where the signer bound that field by a constraint, and the agent checks what it resolves against that constraint.
 */
class IntentComparisonTest {
    private static final SignedBundle BUNDLE = new SignedBundle("LoaderHashV1", new byte[] {1}, new byte[] {2},
            "sha256:" + "ab".repeat(32), new byte[] {3});

    private static SigilIntent intentBinding(Target interfaceBinding) {
        AttachIntent xdp = new AttachIntent("Xdp", new TreeMap<>(Map.of("interface", interfaceBinding,
                "mode", new Target.Fixed("Generic"))));
        return new SigilIntent("LoaderHashV1", BUNDLE.loaderHash(), BUNDLE.hash(),
                List.of(new ProgramIntent("xdp_count", xdp)), List.of(), "Auto", new TreeMap<>());
    }

    private static ResourceClaims onPrimaryInterface() {
        AttachPoint primary = new AttachPoint("Xdp", new TreeMap<>(Map.of("mode", "Generic")), new TreeSet<>(List.of("interface")));
        return new ResourceClaims(List.of(new ProgramClaim("xdp_count", primary)), List.of(), "Auto",
                LabelSelectorTerms.EVERYTHING);
    }

    private static void assertMismatch(ThrowingCallable check, String... mentions) {
        assertRefused(check, ReasonCode.IntentMismatch).hasMessageContainingAll(mentions);
    }

    @Test
    void thePrimaryInterfaceVerifiesUnderAGlobOrAnExactNameAndTheNodesValueMustMatchIt() throws Exception {
        SigilIntent glob = intentBinding(new Target.Pattern(Glob.parse("veth*")));
        SigilIntent exact = intentBinding(new Target.Exact("eth0"));

        assertThatCode(() -> IntentComparison.requireSatisfied(glob, BUNDLE, onPrimaryInterface())).doesNotThrowAnyException();
        assertThatCode(() -> IntentComparison.requireSatisfied(exact, BUNDLE, onPrimaryInterface())).doesNotThrowAnyException();

        IntentComparison.requireAdmitsResolved(glob, "xdp_count", "interface", "veth7");
        IntentComparison.requireAdmitsResolved(exact, "xdp_count", "interface", "eth0");
        assertMismatch(() -> IntentComparison.requireAdmitsResolved(glob, "xdp_count", "interface", "eth0"),
                "spec.programs[0].attach.xdp.interface resolved to 'eth0' on this node", "pattern 'veth*'");
        assertMismatch(() -> IntentComparison.requireAdmitsResolved(exact, "xdp_count", "interface", "eth1"),
                "resolved to 'eth1'", "'eth0'");
        assertMismatch(() -> IntentComparison.requireAdmitsResolved(exact, "other", "interface", "eth0"),
                "other, which the signed intent does not bind");
    }

    @Test
    void aFieldLeftToTheNodeNeedsAConstraintTheNodesValueCanBeCheckedAgainst() {
        SigilIntent fixed = intentBinding(new Target.Fixed("eth0"));
        assertMismatch(() -> IntentComparison.requireSatisfied(fixed, BUNDLE, onPrimaryInterface()),
                "spec.programs[0].attach.xdp.interface is left to the node", "binds it to 'eth0' without a constraint");

        AttachIntent noInterface = new AttachIntent("Xdp", new TreeMap<>(Map.of("mode", new Target.Fixed("Generic"))));
        SigilIntent unbound = new SigilIntent("LoaderHashV1", BUNDLE.loaderHash(), BUNDLE.hash(),
                List.of(new ProgramIntent("xdp_count", noInterface)), List.of(), "Auto", new TreeMap<>());
        assertMismatch(() -> IntentComparison.requireSatisfied(unbound, BUNDLE, onPrimaryInterface()),
                "xdp.interface is left to the node, but the signed intent does not bind it");
    }

    @Test
    void aFieldIsEitherGivenOrLeftToTheNodeNeverBoth() {
        assertThatThrownBy(() -> new AttachPoint("Xdp", new TreeMap<>(Map.of("interface", "eth0")),
                new TreeSet<>(List.of("interface")))).isInstanceOf(IllegalArgumentException.class);
    }
}
