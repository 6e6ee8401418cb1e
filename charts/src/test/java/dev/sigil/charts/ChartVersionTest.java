package dev.sigil.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/**
 * One version everywhere: the chart's version and appVersion are the build's project version, which
 * the images are tagged with (images/pom.xml) and every binary reports, so a default install pulls
 * exactly the images this build made.
 */
class ChartVersionTest {
    private static final String BUILD_VERSION = System.getProperty("sigil.version");

    @Test
    void chartVersionAndAppVersionAreTheBuildsVersion() {
        assertThat(BUILD_VERSION).as("Surefire passes the project version").isNotBlank();
        assertThat(RenderedChart.chartMetadata().path("version").asText()).isEqualTo(BUILD_VERSION);
        assertThat(RenderedChart.chartMetadata().path("appVersion").asText()).isEqualTo(BUILD_VERSION);
    }

    @Test
    void defaultImagesAreTaggedWithTheBuildsVersion() {
        RenderedChart chart = RenderedChart.withDefaults();
        String operatorImage = chart.get(Deployment.class, "sigil-operator").getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getImage();
        String agentConfig = chart.get(ConfigMap.class, "sigil-operator-config").getData().get("config.yaml");

        assertThat(operatorImage).isEqualTo("ghcr.io/sigil-dev/sigil-operator:" + BUILD_VERSION);
        assertThat(RenderedChart.yaml(agentConfig).at("/agent/image").asText())
                .isEqualTo("ghcr.io/sigil-dev/sigil-agent:" + BUILD_VERSION);
    }
}
