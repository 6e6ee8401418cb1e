package dev.sigil.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A resource's content: equal for copies, different after any change to what a reader of it could look at. */
class ResourceContentTest {
    private static final SignedBpfProgram SIGNED = SignedFixtures.counter("counter");

    @Test
    void aCopyHasTheSameContentAndSoDoesTheResourceWithOtherMetadata() {
        SignedBpfProgram copy = copy();
        copy.getMetadata().setResourceVersion("42");
        copy.getMetadata().setUid("another-uid");

        assertThat(ResourceContent.of(copy)).isEqualTo(ResourceContent.of(SIGNED)).isPresent();
        assertThat(ResourceContent.of(copy).orElseThrow().hashCode())
                .isEqualTo(ResourceContent.of(SIGNED).orElseThrow().hashCode());
        assertThat(ResourceContent.of(copy).orElseThrow().characters()).isGreaterThan(
                SIGNED.getSpec().getLoader().length() + SIGNED.getSpec().getMetadata().length());
    }

    record Change(String name, Consumer<SignedBpfProgram> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Change> changes() {
        return Stream.of(
                new Change("metadata.name", resource -> resource.getMetadata().setName("other")),
                new Change("one character of the loader", resource -> resource.getSpec().setLoader(
                        flipped(resource.getSpec().getLoader()))),
                new Change("one character of the metadata", resource -> resource.getSpec().setMetadata(
                        flipped(resource.getSpec().getMetadata()))),
                new Change("the signature", resource -> resource.getSpec().setSignature(
                        flipped(resource.getSpec().getSignature()))),
                new Change("the intent's signature", resource -> resource.getSpec().setIntentSignature(
                        flipped(resource.getSpec().getIntentSignature()))),
                new Change("the hash", resource -> resource.getSpec().setHash("sha256:" + "0".repeat(64))),
                new Change("a program's attach point", resource -> resource.getSpec().getPrograms().getFirst()
                        .setAttach(AttachSpec.rawTracepoint("sys_exit"))),
                new Change("a program's name", resource -> resource.getSpec().getPrograms().getFirst().setName("other")),
                new Change("a program more", resource -> {
                    List<ProgramSpec> programs = new ArrayList<>(resource.getSpec().getPrograms());
                    programs.add(new ProgramSpec("other", AttachSpec.rawTracepoint("sys_exit")));
                    resource.getSpec().setPrograms(programs);
                }),
                new Change("the maps' order", resource -> resource.getSpec().setMaps(
                        resource.getSpec().getMaps().reversed())),
                new Change("a map pinned", resource -> {
                    MapSpec pinned = new MapSpec(resource.getSpec().getMaps().getFirst().getName());
                    pinned.setPin(true);
                    List<MapSpec> maps = new ArrayList<>(resource.getSpec().getMaps());
                    maps.set(0, pinned);
                    resource.getSpec().setMaps(maps);
                }),
                new Change("no maps instead of an empty list", resource -> resource.getSpec().setMaps(null)),
                new Change("the enforcement", resource -> resource.getSpec().setEnforcement(Enforcement.Kernel)),
                new Change("a node selector", resource -> resource.getSpec().setNodeSelector(
                        new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "edge")).build())),
                new Change("the intent's required labels", resource -> resource.getSpec().getIntent()
                        .setRequiredNodeLabels(Map.of("tier", "edge"))),
                new Change("the intent's minimum enforcement", resource -> resource.getSpec().getIntent()
                        .setMinimumEnforcement(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void anyChangeIsAnotherContent(Change change) {
        SignedBpfProgram changed = copy();
        change.change().accept(changed);

        assertThat(ResourceContent.of(changed)).isPresent().isNotEqualTo(ResourceContent.of(SIGNED));
    }

    @Test
    void aValueNotKnownToBeImmutableLeavesTheResourceWithoutContent() {
        SignedBpfProgram resource = copy();
        resource.getSpec().setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "edge")).build());
        resource.getSpec().getNodeSelector().setAdditionalProperty("extension", new StringBuilder("mutable"));

        assertThat(ResourceContent.of(resource)).isEmpty();
    }

    private static SignedBpfProgram copy() {
        return Serialization.clone(SIGNED);
    }

    /** The first character replaced by another base64 character. */
    private static String flipped(String base64) {
        return (base64.charAt(0) == 'A' ? 'B' : 'A') + base64.substring(1);
    }
}
