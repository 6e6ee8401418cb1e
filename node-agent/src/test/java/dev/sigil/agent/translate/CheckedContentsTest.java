package dev.sigil.agent.translate;

import static dev.sigil.signing.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.testing.TestPrograms;
import dev.sigil.api.resource.ResourceContent;
import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.intent.BoundProgramVerifier;
import dev.sigil.signing.intent.SignedProgram;
import dev.sigil.signing.intent.VerifiedProgramCache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translation remembers what it derives per resource content: an unchanged resource (or a copy of it) is neither
 * checked against the API's rules nor read again; a changed one always is, whatever its metadata claims, and the
 * node's verification (remembered too) gives it the verdict an uncached check gives.
 */
class CheckedContentsTest {
    private final Clock clock = Clock.systemUTC();
    private final List<SignedProgram> checked = new ArrayList<>();
    private final BoundProgramVerifier verifier = new BoundProgramVerifier(SignedFixtures.trust(), clock);
    /** The node's verification as the host keeps it, the checks it makes recorded. */
    private final VerifiedProgramCache verification = new VerifiedProgramCache(SignedFixtures.trust(), clock, program -> {
        checked.add(program);
        return verifier.verify(program);
    });

    @Test
    void anUnchangedResourceAndItsCopiesAreReadOnce() throws Exception {
        SignedBpfProgram resource = SignedFixtures.counter("counter");
        SignedProgram first = SpecTranslation.deployRequest(resource).signed().read();

        assertThat(SpecTranslation.deployRequest(resource).signed().read()).isSameAs(first);
        assertThat(SpecTranslation.deployRequest(Serialization.clone(resource)).signed().read())
                .as("the same content, as a relist or a second file brings it").isSameAs(first);
        verification.verify(SpecTranslation.deployRequest(resource).signed().read());
        verification.verify(SpecTranslation.deployRequest(resource).signed().read());
        assertThat(checked).hasSize(1);
    }

    /** Verified first, then changed in place, as a file edited or an object updated: read and checked afresh. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.testing.IntentTamperCases#all")
    void aChangeAfterAVerifiedApplyIsReadAndCheckedAfresh(IntentTamperCases tamper) throws Exception {
        SignedBpfProgram resource = tamper.base().apply("tampered");
        SignedProgram verifiedRead = SpecTranslation.deployRequest(resource).signed().read();
        verification.verify(verifiedRead);
        tamper.mutation().accept(resource);

        DeployRequest changed = SpecTranslation.deployRequest(resource);
        if (tamper.verdict().isEmpty()) {
            assertThat(verification.verify(changed.signed().read()).binding())
                    .isEqualTo(verifier.verify(changed.signed().read()).binding());
            return;
        }
        AtomicReference<SignedProgram> read = new AtomicReference<>();
        assertRefused(() -> {
            read.set(changed.signed().read());
            verification.verify(read.get());
        }, tamper.verdict().get());
        if (read.get() != null) {
            assertThat(read.get()).isNotSameAs(verifiedRead);
            assertThat(checked).as("the changed resource was checked, not remembered").hasSize(2);
        }
    }

    @Test
    void aResourceClaimingAVerifiedOnesIdentityGetsNothingOfItsChecks() throws Exception {
        SignedBpfProgram genuine = SignedFixtures.counter("counter");
        genuine.getMetadata().setUid("0b6c6a4e-2f1d-4c59-9d0e-6f1e8d2a7b10");
        genuine.getMetadata().setResourceVersion("1234");
        verification.verify(SpecTranslation.deployRequest(genuine).signed().read());
        // A second file (or a forged object) with the very same name, uid, resourceVersion and generation: its
        // loader is another one, and a program name breaks the API's rules.
        SignedBpfProgram impostor = Serialization.clone(genuine);
        byte[] loader = Base64.getDecoder().decode(impostor.getSpec().getLoader());
        loader[loader.length - 1] ^= 1;
        impostor.getSpec().setLoader(Base64.getEncoder().encodeToString(loader));
        impostor.getSpec().getPrograms().getFirst().setName("not a C name!");

        DeployRequest request = SpecTranslation.deployRequest(impostor);

        assertThat(request.invalid()).hasValueSatisfying(violation -> assertThat(violation).contains("not a C name!"));
        assertThat(request.signed().read().bundle().loader()).isEqualTo(loader);
        assertRefused(() -> verification.verify(request.signed().read()), ReasonCode.SignatureInvalid);
        assertThat(SpecTranslation.deployRequest(genuine).invalid()).as("the genuine one is as it was").isEmpty();
    }

    @Test
    void aRuleBrokenAfterACleanCheckIsReported() {
        SignedBpfProgram resource = SignedFixtures.counter("counter");
        assertThat(SpecTranslation.deployRequest(resource).invalid()).isEmpty();

        resource.getSpec().getMaps().getFirst().setName("no spaces");

        assertThat(SpecTranslation.deployRequest(resource).invalid())
                .hasValueSatisfying(violation -> assertThat(violation).startsWith("spec.maps[0].name"));
    }

    @Test
    void whatCannotBeReadIsReadAgainEachTimeAndReadOnceMended() throws Exception {
        SignedBpfProgram resource = SignedFixtures.counter("counter");
        String loader = resource.getSpec().getLoader();
        resource.getSpec().setLoader("not base64!");
        for (int i = 0; i < 2; i++) {
            DeployRequest unreadable = SpecTranslation.deployRequest(resource);
            assertRefused(() -> unreadable.signed().read(), ReasonCode.MalformedLoader);
        }

        resource.getSpec().setLoader(loader);

        assertThat(SpecTranslation.deployRequest(resource).signed().read().bundle().loader())
                .isEqualTo(Base64.getDecoder().decode(loader));
    }

    @Test
    void keepsAtMostItsEntriesAndCharactersTheLeastRecentlyUsedGoingFirst() {
        CheckedContents contents = new CheckedContents();
        ResourceContent kept = content("kept", 16);
        contents.put(kept, checked());
        for (int i = 0; i < CheckedContents.MAX_ENTRIES + 10; i++) {
            contents.get(kept);
            contents.put(content("small-" + i, 16), checked());
        }
        assertThat(contents.size()).isEqualTo(CheckedContents.MAX_ENTRIES);
        assertThat(contents.get(kept)).as("used all along").isPresent();

        int large = (int) (CheckedContents.MAX_CHARACTERS / 3);
        for (int i = 0; i < 4; i++) {
            contents.put(content("large-" + i, large), checked());
        }
        assertThat(contents.get(content("large-0", large))).as("over the characters held: gone").isEmpty();
        assertThat(contents.get(content("large-3", large))).isPresent();
        contents.put(content("too-large", (int) CheckedContents.MAX_CHARACTERS + 1), checked());
        assertThat(contents.get(content("too-large", (int) CheckedContents.MAX_CHARACTERS + 1))).isEmpty();
        assertThat(contents.get(content("large-3", large))).as("not pushed out by what is never kept").isPresent();
    }

    private static ResourceContent content(String name, int loaderLength) {
        SignedBpfProgram resource = TestPrograms.program(name, "loader", null);
        resource.getSpec().setLoader("A".repeat(loaderLength));
        return ResourceContent.of(resource).orElseThrow();
    }

    private static CheckedContents.Checked checked() {
        return new CheckedContents.Checked(java.util.Optional.empty(), null);
    }
}
