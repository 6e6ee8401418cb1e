package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class HelmLintTest {
    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(RenderedChart.chartDirectory()).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        // No icon can honestly be offered yet; that INFO is the only message allowed.
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }
}
