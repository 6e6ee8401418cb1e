package dev.sigil.crds.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader types plain scalars as go-yaml v2 does, so it sees what kubectl sends to the API server. */
class GoYamlTest {
    @Test
    void readsYaml11BooleansNullsAndNumbersThatYaml12LeavesAsStrings() {
        Object values = GoYaml.load("""
                [True, False, yes, No, on, OFF, y, N, ~, Null, 0x1F, 017, 1_000, 1e3]""");

        assertThat(values).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactly(
                true, false, true, false, true, false, true, false, null, null, 31, 15, 1000, 1000.0);
    }

    @Test
    void keepsQuotedScalarsAndTimestampsAsStrings() {
        Object values = GoYaml.load("""
                ["True", 'no', "017", 2026-03-01T10:00:00Z, Unknown]""");

        assertThat(values).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactly("True", "no", "017", "2026-03-01T10:00:00Z", "Unknown");
    }

    @Test
    void turnsNonStringKeysIntoStringsAsSigsK8sIoYamlDoes() {
        assertThat(GoYaml.read("{on: 1, 12: 2}").properties()).extracting(Map.Entry::getKey).containsExactly("true", "12");
    }
}
