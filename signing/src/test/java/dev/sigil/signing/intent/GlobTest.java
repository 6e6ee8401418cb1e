package dev.sigil.signing.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void starMatchesAnyRunWithinASegmentAndQuestionMarkOneCharacter() {
        Glob interfaces = Glob.parse("eth*");
        assertThat(interfaces.matches("eth0")).isTrue();
        assertThat(interfaces.matches("eth")).isTrue();
        assertThat(interfaces.matches("veth0")).isFalse();
        assertThat(Glob.parse("eth?").matches("eth10")).isFalse();
        assertThat(Glob.parse("e*h?").matches("eth1")).isTrue();
        assertThat(Glob.parse("*").matches("anything")).isTrue();
    }

    @Test
    void wildcardsNeverCrossASlash() {
        Glob cgroups = Glob.parse("/sys/fs/cgroup/kubepods.slice/*");
        assertThat(cgroups.matches("/sys/fs/cgroup/kubepods.slice/pod1")).isTrue();
        assertThat(cgroups.matches("/sys/fs/cgroup/kubepods.slice/pod1/container")).isFalse();
        assertThat(cgroups.matches("/sys/fs/cgroup/kubepods.slice")).isFalse();
        assertThat(Glob.parse("/sys/fs/cgroup/?").matches("/sys/fs/cgroup//")).isFalse();
    }

    @Test
    void aValueWithADotOrEmptySegmentNeverMatches() {
        Glob cgroups = Glob.parse("/sys/fs/cgroup/*/*");
        assertThat(cgroups.matches("/sys/fs/cgroup/a/b")).isTrue();
        assertThat(cgroups.matches("/sys/fs/cgroup/../b")).isFalse();
        assertThat(cgroups.matches("/sys/fs/cgroup/a/..")).isFalse();
        assertThat(cgroups.matches("/sys/fs/cgroup/./b")).isFalse();
        assertThat(cgroups.matches("/sys/fs/cgroup//b")).isFalse();
        assertThat(Glob.parse("/sys/fs/cgroup/*").matches("/sys/fs/cgroup/")).isFalse();
    }

    @Test
    void refusesReservedAndNonPrintableCharactersNamingThePosition() {
        assertThatThrownBy(() -> Glob.parse("eth[0-9]")).hasMessageContaining("'[' at position 4").hasMessageContaining("reserved");
        assertThatThrownBy(() -> Glob.parse("a{b,c}")).hasMessageContaining("'{' at position 2");
        assertThatThrownBy(() -> Glob.parse("a\\*")).hasMessageContaining("'\\' at position 2");
        assertThatThrownBy(() -> Glob.parse("eth 0")).hasMessageContaining("' ' at position 4");
        assertThatThrownBy(() -> Glob.parse("")).hasMessageContaining("1 to 1024 characters");
        assertThatThrownBy(() -> Glob.parse("a".repeat(1025))).hasMessageContaining("got 1025");
    }

    /** The classic blow-up of backtracking matchers: many stars against a long near-miss. One pass per star here. */
    @Test
    void matchesPathologicalPatternsWithoutBlowingUp() {
        Glob stars = Glob.parse("*a".repeat(500) + "b");
        assertThat(stars.matches("a".repeat(1024))).isFalse();
        assertThat(stars.matches("a".repeat(520) + "b")).isTrue();
    }

    @Test
    void theSchemaPatternAdmitsExactlyTheGrammar() {
        java.util.regex.Pattern schema = java.util.regex.Pattern.compile(Glob.SCHEMA_PATTERN);
        for (char c = 0x20; c < 0x7f; c++) {
            String pattern = "a" + c;
            boolean grammar;
            try {
                Glob.parse(pattern);
                grammar = true;
            } catch (IllegalArgumentException e) {
                grammar = false;
            }
            assertThat(schema.matcher(pattern).matches()).as("character %s", c).isEqualTo(grammar);
        }
    }
}
