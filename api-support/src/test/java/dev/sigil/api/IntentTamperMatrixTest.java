package dev.sigil.api;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.spec.Xdp;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field a signed intent binds, changed one at a time: the library's verdict for each. */
class IntentTamperMatrixTest {
    private final SpecVerifier verifier = new SpecVerifier(SignedFixtures.trust(), Clock.systemUTC());

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.testing.IntentTamperCases#all")
    void givesEachChangeItsVerdict(IntentTamperCases tamper) throws Exception {
        var spec = tamper.resource("tampered").getSpec();
        if (tamper.verdict().isEmpty()) {
            assertThat(verifier.verify(spec).bound()).isTrue();
            return;
        }
        assertRefused(() -> verifier.verify(spec), tamper.verdict().get())
                .message().contains(tamper.mentions()).doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.IntentTamperMatrixTest#untouched")
    void acceptsTheSignedFixturesAsTheyAre(String base) throws Exception {
        var resource = base.equals("counter") ? SignedFixtures.counter("c") : SignedFixtures.attachKinds("k");
        assertThat(verifier.verify(resource.getSpec()).bound()).isTrue();
    }

    static List<String> untouched() {
        return List.of("counter", "attachKinds");
    }

    @Test
    void thePrimaryInterfaceIsLeftToTheNodeAndHasNoExactNameToSign() throws Exception {
        var resource = SignedFixtures.attachKinds("primary");
        Xdp xdp = resource.getSpec().getPrograms().get(5).getAttach().getXdp();
        xdp.setInterfaceName(null);
        xdp.setPrimaryInterface(true);

        AttachPoint claim = SignedSpecs.claims(resource.getSpec()).programs().get(5).attach();
        assertThat(claim.target()).containsOnlyKeys("mode");
        assertThat(claim.resolvedOnNode()).containsExactly("interface");
        assertThatThrownBy(() -> SpecIntents.exactly(resource.getSpec(), SignedSpecs.read(resource.getSpec()).bundle(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primary interface has no name to bind");
    }
}
