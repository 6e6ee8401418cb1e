package dev.sigil.signing.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.signing.intent.LabelSelectorTerms.Requirement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A signed pod target admits a resource's selectors only when they require every signed term: the resource then
 * selects no pod the signer did not. Terms are canonical (a label and an In of its one value are one term; values
 * sorted), and label syntax keeps a value from forging the separators of the canonical form.
 */
class PodSelectorTest {
    private static final LabelSelectorTerms WEB = terms(Map.of("app", "web"), new Requirement("tier", "In", List.of("b", "a")));
    private static final LabelSelectorTerms PAY = terms(Map.of("team", "pay"));
    private static final Target.PodSelector SIGNED = new Target.PodSelector(WEB, PAY);

    private static LabelSelectorTerms terms(Map<String, String> labels, Requirement... expressions) {
        return new LabelSelectorTerms(new TreeMap<>(labels), List.of(expressions));
    }

    private static String claimed(LabelSelectorTerms pods, LabelSelectorTerms namespaces) {
        return new Target.PodSelector(pods, namespaces).claimed();
    }

    @Test
    void canonicalTermsTreatALabelAndItsOneValueInAsOneTermAndSortValues() {
        assertThat(WEB.terms()).containsExactly("app=web", "tier in (a,b)");
        assertThat(terms(Map.of(), new Requirement("app", "In", List.of("web")), new Requirement("debug", "DoesNotExist", List.of()),
                new Requirement("gpu", "Exists", List.of()), new Requirement("zone", "NotIn", List.of("z", "y"))).terms())
                .containsExactly("!debug", "app=web", "gpu", "zone notin (y,z)");
    }

    @Test
    void admitsTheSameSelectorsInAnotherFormAndNarrowerOnes() {
        assertThat(SIGNED.admits(claimed(terms(Map.of(), new Requirement("app", "In", List.of("web")),
                new Requirement("tier", "In", List.of("a", "b"))), PAY))).isTrue();
        assertThat(SIGNED.admits(claimed(terms(Map.of("app", "web", "zone", "x"), new Requirement("tier", "In", List.of("a", "b"))),
                terms(Map.of("team", "pay", "env", "prod"))))).isTrue();
        Target.PodSelector everyNamespace = new Target.PodSelector(WEB, null);
        assertThat(everyNamespace.admits(claimed(WEB, PAY))).isTrue();
        assertThat(everyNamespace.admits(claimed(WEB, null))).isTrue();
    }

    @Test
    void refusesADroppedChangedOrWidenedTermOfEitherSelector() {
        assertThat(SIGNED.admits(claimed(terms(Map.of(), new Requirement("tier", "In", List.of("a", "b"))), PAY))).isFalse();
        assertThat(SIGNED.admits(claimed(terms(Map.of("app", "db"), new Requirement("tier", "In", List.of("a", "b"))), PAY))).isFalse();
        assertThat(SIGNED.admits(claimed(terms(Map.of("app", "web"), new Requirement("tier", "In", List.of("a", "b", "c"))), PAY)))
                .as("a wider In is a different term, even though it contains the signed values").isFalse();
        assertThat(SIGNED.admits(claimed(WEB, null))).isFalse();
        assertThat(SIGNED.admits(claimed(LabelSelectorTerms.EVERYTHING, LabelSelectorTerms.EVERYTHING))).isFalse();
    }

    @Test
    void refusesValuesThatAreNotLabelSyntaxAndCandidatesThatAreNotClaims() {
        assertThatThrownBy(() -> new Target.PodSelector(terms(Map.of("app", "web; tier in (a,b)")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label app");
        assertThatThrownBy(() -> new Target.PodSelector(terms(Map.of("bad key", "x")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad key'");
        assertThatThrownBy(() -> new Target.PodSelector(terms(Map.of(), new Requirement("a", "Near", List.of())), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Near");
        assertThat(SIGNED.admits("app=web; tier in (a,b)")).as("no namespace part").isFalse();
        assertThat(SIGNED.admits("app=web; app=web; tier in (a,b) | team=pay; team=pay")).as("repeated terms").isTrue();
    }

    @Test
    void writesTheSelectorsInTheShapeOfTheResource() {
        assertThat(SIGNED.json()).isEqualTo(Map.of(
                "selector", Map.of("matchLabels", Map.of("app", "web"),
                        "matchExpressions", List.of(Map.of("key", "tier", "operator", "In", "values", List.of("b", "a")))),
                "namespaceSelector", Map.of("matchLabels", Map.of("team", "pay"))));
        assertThat(new Target.PodSelector(LabelSelectorTerms.EVERYTHING, null).json()).isEqualTo(Map.of("selector", Map.of()));
    }
}
