package dev.sigil.charts;

import static dev.sigil.charts.Rbac.Request.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Day-two templates: monitors, the operator's disruption budget, the dashboard and the CRD upgrade hook, each on and off. */
class OperationsTemplatesTest {
    private static final RenderedChart DEFAULTS = RenderedChart.withDefaults();
    private static final RenderedChart CUSTOM = RenderedChart.render(List.of(RenderedChart.valuesFile("custom.yaml")), Map.of());
    /** The DaemonSet the operator creates for the agents: its pod labels and ports are what the monitors select. */
    private static final Path AGENT_DAEMONSET = RenderedChart.repositoryRoot()
            .resolve("operator/src/test/resources/golden/agent-daemonset-privileged.yaml");

    @Test
    void rendersNoMonitorDashboardOrHookByDefault() {
        assertThat(DEFAULTS.documents()).extracting(doc -> doc.path("apiVersion").asText())
                .doesNotContain("monitoring.coreos.com/v1");
        assertThat(DEFAULTS.find("ConfigMap", "sigil-grafana-dashboard")).isEmpty();
        assertThat(DEFAULTS.find("Job", "sigil-crd-upgrade")).isEmpty();
        assertThat(DEFAULTS.find("Service", "sigil-agent-metrics")).isEmpty();
    }

    @Test
    void operatorServiceMonitorSelectsTheMetricsServiceAndItsPort() {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("monitoring.operator.serviceMonitor", true,
                "monitoring.labels.release", "prometheus"));
        ServiceMonitor monitor = chart.get(ServiceMonitor.class, "sigil-operator");
        Service service = chart.get(Service.class, "sigil-operator-metrics");

        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).extracting(port -> port.getName()).contains(monitor.getSpec().getEndpoints().getFirst().getPort());
        assertThat(monitor.getSpec().getEndpoints().getFirst().getPath()).isEqualTo("/metrics");
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(RenderedChart.NAMESPACE);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(chart.find("PodMonitor", "sigil-operator")).isEmpty();
    }

    @Test
    void operatorPodMonitorSelectsTheOperatorPodsAndTheirMetricsPort() {
        PodMonitor monitor = CUSTOM.get(PodMonitor.class, "sigil-operator");
        Deployment operator = CUSTOM.get(Deployment.class, "sigil-operator");

        assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(containerPorts(operator.getSpec().getTemplate().getSpec().getContainers()))
                .contains(monitor.getSpec().getPodMetricsEndpoints().getFirst().getPort());
        assertThat(monitor.getSpec().getPodMetricsEndpoints().getFirst().getInterval()).isEqualTo("15s");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    }

    @Test
    void agentMonitorsSelectThePodsTheOperatorCreatesAndLabelEachSampleWithItsNode() throws IOException {
        JsonNode daemonSet = RenderedChart.yaml(Files.readString(AGENT_DAEMONSET, StandardCharsets.UTF_8));
        Map<String, String> podLabels = RenderedChart.yamlMap(daemonSet.at("/spec/template/metadata/labels"));
        Set<String> agentPorts = new TreeSet<>();
        daemonSet.at("/spec/template/spec/containers/0/ports").forEach(port -> agentPorts.add(port.path("name").asText()));

        Service headless = CUSTOM.get(Service.class, "sigil-agent-metrics");
        ServiceMonitor serviceMonitor = CUSTOM.get(ServiceMonitor.class, "sigil-agent");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(podLabels).containsAllEntriesOf(headless.getSpec().getSelector());
        assertThat(agentPorts).contains(headless.getSpec().getPorts().getFirst().getTargetPort().getStrVal());
        assertThat(headless.getSpec().getPorts().getFirst().getPort()).as("values/custom.yaml agent.healthPort").isEqualTo(9082);
        assertThat(headless.getMetadata().getLabels()).containsAllEntriesOf(serviceMonitor.getSpec().getSelector().getMatchLabels());
        assertThat(serviceMonitor.getSpec().getEndpoints().getFirst().getRelabelings())
                .anySatisfy(relabel -> assertThat(relabel.getTargetLabel()).isEqualTo("node"));

        PodMonitor podMonitor = RenderedChart.render(List.of(), Map.of("monitoring.agent.podMonitor", true))
                .get(PodMonitor.class, "sigil-agent");
        assertThat(podLabels).containsAllEntriesOf(podMonitor.getSpec().getSelector().getMatchLabels());
        assertThat(agentPorts).contains(podMonitor.getSpec().getPodMetricsEndpoints().getFirst().getPort());
    }

    @Test
    void refusesMonitorsThatCannotWork() {
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("monitoring.agent.serviceMonitor", true,
                "monitoring.agent.podMonitor", true)))
                .hasMessageContaining("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("monitoring.operator.serviceMonitor", true,
                "operator.metricsService", false)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("metricsService");
    }

    @Test
    void operatorDisruptionBudgetNeverBlocksADrain() {
        PodDisruptionBudget budget = DEFAULTS.get(PodDisruptionBudget.class, "sigil-operator");
        Deployment operator = DEFAULTS.get(Deployment.class, "sigil-operator");

        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getMinAvailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(operator.getSpec().getSelector().getMatchLabels());
        assertThat(CUSTOM.get(PodDisruptionBudget.class, "sigil-operator").getSpec().getMaxUnavailable().getStrVal()).isEqualTo("50%");
        assertThat(RenderedChart.render(List.of(), Map.of("operator.podDisruptionBudget.enabled", false))
                .find("PodDisruptionBudget", "sigil-operator")).isEmpty();
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("operator.podDisruptionBudget.maxUnavailable", 0)))
                .hasMessageContaining("at '/operator/podDisruptionBudget/maxUnavailable'");
    }

    @Test
    void dashboardIsAValidGrafanaDashboardForTheSidecar() {
        ConfigMap configMap = CUSTOM.get(ConfigMap.class, "sigil-grafana-dashboard");
        JsonNode dashboard = RenderedChart.yaml(configMap.getData().get("sigil.json"));

        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(configMap.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Security");
        assertThat(dashboard.path("uid").asText()).isEqualTo("sigil-overview");
        List<JsonNode> panels = dashboard.findParents("gridPos");
        assertThat(panels).extracting(panel -> panel.path("id").asInt()).doesNotHaveDuplicates();
        assertThat(panels).filteredOn(panel -> !panel.path("type").asText().equals("row")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
        });
        assertThat(RenderedChart.render(List.of(), Map.of("grafanaDashboard.enabled", true, "grafanaDashboard.namespace", "monitoring"))
                .get(ConfigMap.class, "sigil-grafana-dashboard").getMetadata().getNamespace()).isEqualTo("monitoring");
    }

    @Test
    void dashboardUsesExactlyTheMetricsTheReadmeNames() throws IOException {
        JsonNode dashboard = RenderedChart.yaml(CUSTOM.get(ConfigMap.class, "sigil-grafana-dashboard").getData().get("sigil.json"));
        Set<String> used = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> used.addAll(metricNames(expr.asText())));
        dashboard.findValues("definition").forEach(query -> used.addAll(metricNames(query.asText())));

        assertThat(used).isEqualTo(documentedMetrics());
    }

    @Test
    void crdUpgradeHookAppliesExactlyTheChartsCrdsWithNoMoreRightsThanThat() throws IOException {
        RenderedChart hooks = RenderedChart.renderWithHooks(List.of(RenderedChart.valuesFile("custom.yaml")), Map.of());
        Job job = hooks.get(Job.class, "sigil-crd-upgrade");
        Container kubectl = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        ConfigMap crds = hooks.get(ConfigMap.class, "sigil-crds");

        assertThat(kubectl.getCommand()).containsSubsequence("kubectl", "apply", "--server-side", "-f", "/crds/");
        assertThat(kubectl.getImage()).startsWith("registry.example.com/tools/kubectl@sha256:");
        assertThat(kubectl.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        try (Stream<Path> files = Files.list(RenderedChart.chartDirectory().resolve("crds"))) {
            for (Path file : files.toList()) {
                assertThat(crds.getData()).containsEntry(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        for (String kind : List.of("ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Job")) {
            JsonNode object = hooks.documents().stream().filter(doc -> doc.path("kind").asText().equals(kind)
                    && doc.at("/metadata/name").asText().matches("sigil-crds?(-upgrade)?")).findFirst().orElseThrow();
            JsonNode annotations = object.at("/metadata/annotations");
            assertThat(annotations.path(RenderedChart.RENAMED_HOOK_ANNOTATION).asText()).as(kind).isEqualTo("pre-upgrade");
            assertThat(annotations.path(RenderedChart.RENAMED_HOOK_ANNOTATION + "-delete-policy").asText()).as(kind)
                    .contains("hook-succeeded");
        }
        assertThat(CUSTOM.find("Job", "sigil-crd-upgrade")).as("a hook, not part of the release's manifest").isEmpty();
        assertThat(RenderedChart.renderWithHooks(List.of(), Map.of()).find("Job", "sigil-crd-upgrade")).isEmpty();
        Rbac rbac = new Rbac(hooks);
        String account = "sigil-crd-upgrade";
        String ns = RenderedChart.NAMESPACE;
        assertThat(rbac.allows(ns, account, cluster("patch", "apiextensions.k8s.io", "customresourcedefinitions")
                .named("signedbpfprograms.sigil.dev"))).isTrue();
        assertThat(rbac.allows(ns, account, cluster("patch", "apiextensions.k8s.io", "customresourcedefinitions")
                .named("bpfnodestates.sigil.dev"))).isTrue();
        assertThat(rbac.allows(ns, account, cluster("patch", "apiextensions.k8s.io", "customresourcedefinitions")
                .named("clusterpolicies.kyverno.io"))).isFalse();
        assertThat(rbac.allows(ns, account, cluster("create", "apiextensions.k8s.io", "customresourcedefinitions"))).isFalse();
        assertThat(rbac.allows(ns, account, cluster("delete", "apiextensions.k8s.io", "customresourcedefinitions")
                .named("signedbpfprograms.sigil.dev"))).isFalse();
    }

    private static Set<String> containerPorts(List<Container> containers) {
        Set<String> names = new TreeSet<>();
        containers.forEach(container -> container.getPorts().stream().map(ContainerPort::getName).forEach(names::add));
        return names;
    }

    /** Prometheus metric names in a PromQL expression, without a histogram's or timer's series suffix. */
    private static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\b((?:sigil|operator_sdk)_[a-z0-9_]+)").matcher(promql);
        while (matcher.find()) {
            names.add(matcher.group(1).replaceFirst("_(bucket|count|sum|max)$", ""));
        }
        return names;
    }

    /** The names in README.md's metrics table, between its metrics:begin and metrics:end markers. */
    static Set<String> documentedMetrics() throws IOException {
        String readme = Files.readString(RenderedChart.repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
        String table = readme.substring(readme.indexOf("<!-- metrics:begin -->"), readme.indexOf("<!-- metrics:end -->"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\| `([a-z0-9_]+)`", Pattern.MULTILINE).matcher(table);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertThat(names).as("README.md metrics table").isNotEmpty();
        return names;
    }
}
