package dev.sigil.api;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.resource.ResourceRules;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.ReasonCode;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A label value that is not Kubernetes label syntax in a pod target (the API server checks none in a custom
 * resource's selector) could pose as separators of the canonical terms a signed pod target is compared by: the
 * resource rules refuse it in one line, and verification, should a resource reach it unchecked, refuses it as a
 * mismatch of the pod target rather than reading it as more terms.
 */
class PodTargetLabelSyntaxTest {
    private static SignedBpfProgram forged() {
        SignedBpfProgram resource = SignedFixtures.podTargeted("forged");
        resource.getSpec().getPrograms().get(7).getAttach().getCgroup().getPods().getSelector().getMatchLabels()
                .put("app", "web; zone=a");
        return resource;
    }

    @Test
    void theResourceRulesRefuseAValueThatIsNotLabelSyntax() {
        assertThat(ResourceRules.firstViolation(SignedFixtures.podTargeted("fine"))).isEmpty();
        assertThat(ResourceRules.firstViolation(forged())).hasValueSatisfying(violation -> assertThat(violation)
                .isEqualTo("spec.programs[7].attach.cgroup.pods.selector: the value of label app is not a Kubernetes label value"));
    }

    @Test
    void aKeyOrOperatorWithALineBreakIsShownEscapedOnOneLine() {
        SignedBpfProgram badKey = SignedFixtures.podTargeted("bad-key");
        badKey.getSpec().getPrograms().get(7).getAttach().getCgroup().getPods().getSelector().getMatchLabels()
                .put("app\nforged", "web");
        SignedBpfProgram badOperator = SignedFixtures.podTargeted("bad-operator");
        badOperator.getSpec().getPrograms().get(7).getAttach().getCgroup().getPods().getSelector().getMatchExpressions()
                .getFirst().setOperator("In\r\nforged");

        assertThat(ResourceRules.firstViolation(badKey)).hasValue("spec.programs[7].attach.cgroup.pods.selector: "
                + "label key 'app\\x0aforged' is not a Kubernetes label key");
        assertThat(ResourceRules.firstViolation(badOperator)).hasValue("spec.programs[7].attach.cgroup.pods.selector: "
                + "label selector operator 'In\\x0d\\x0aforged' is none of In, NotIn, Exists, DoesNotExist");
    }

    @Test
    void verificationRefusesItAsAPodTargetMismatch() {
        SpecVerifier verifier = new SpecVerifier(SignedFixtures.trust(), Clock.systemUTC());
        assertRefused(() -> verifier.verify(forged().getSpec()), ReasonCode.IntentMismatch)
                .hasMessageStartingWith("spec.programs[7].attach.cgroup.pods is missing but the signed intent binds pods with "
                        + "app=web, tier in (a,b) (or more) in namespaces with team=pay (or more)");
    }
}
