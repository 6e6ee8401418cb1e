package dev.sigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marcnuri.helm.Helm;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.signing.SigningKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's admission policies for the operator, enforced by a real API server: the operator's RBAC,
 * service account and two ValidatingAdmissionPolicies with their bindings, rendered from {@code charts/sigil}
 * for a namespace of this run and applied; requests are then made as that service account (impersonated). The
 * label patches carry the bodies of the operator's {@code AgentLabelPatch}; the operator itself stays off this
 * module's classpath. Only a real cluster can show this: the strict mock API server does not run admission
 * policies. Needs a cluster given as for {@link KubeconfigClusterFlowE2E}, serving
 * {@code admissionregistration.k8s.io/v1} policies (Kubernetes 1.30+), and a user allowed to impersonate
 * service accounts; otherwise skipped with the reason printed.
 */
@ExtendWith(RequiresCluster.class)
class AdmissionPolicyE2E {
    private static final String FIELD_MANAGER = "sigil-e2e";
    private static final String AGENT_LABEL = "sigil.dev/agent";
    private static final String DENIED_BY_POLICY = "ValidatingAdmissionPolicy";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String namespace = "sigil-e2e-" + id;
    private final String node = "sigil-e2e-" + id + "-vap";
    private final String program = "sigil-e2e-" + id + "-vap";
    private final List<HasMetadata> installed = new ArrayList<>();
    private KubernetesClient admin;
    private KubernetesClient operator;

    @BeforeEach
    void installThePoliciesForThisRun() throws IOException {
        Path kubeconfig = RequiresCluster.kubeconfig().orElseThrow();
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        admin = new KubernetesClientBuilder().withConfig(config).build();
        if (!admin.supports("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")) {
            String reason = "the API server does not serve admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy "
                    + "(Kubernetes 1.30+)";
            System.out.println("SKIPPED AdmissionPolicyE2E: " + reason);
            Assumptions.abort(reason);
        }
        String operatorUser = "system:serviceaccount:" + namespace + ":sigil-operator";
        operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(config)
                .withImpersonateUsername(operatorUser)
                .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
                .build()).build();

        new KubeconfigTarget(kubeconfig).installCrds(admin);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        for (HasMetadata object : operatorPolicyObjects()) {
            admin.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            installed.add(object);
        }
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                .withLabels(Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", node, "team", "payments"))
                .endMetadata()
                .withNewSpec().addNewTaint().withKey("dedicated").withValue("ebpf").withEffect("NoSchedule").endTaint()
                .endSpec().build()).create();
        SigningKey signer = SignedPrograms.newSigner("vap");
        SignedBpfProgram signed = SignedPrograms.program(program, SignedPrograms.sign(signer), signer,
                Map.of("kubernetes.io/hostname", node));
        admin.resources(SignedBpfProgram.class).resource(signed).create();
    }

    @AfterEach
    void removeWhatThisRunCreated() {
        if (admin == null) {
            return;
        }
        List<RuntimeException> problems = new ArrayList<>();
        guarded(problems, () -> admin.resources(SignedBpfProgram.class).withName(program)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}"));
        guarded(problems, () -> admin.resources(SignedBpfProgram.class).withName(program).delete());
        guarded(problems, () -> admin.nodes().withName(node).delete());
        for (HasMetadata object : installed.reversed()) {
            guarded(problems, () -> admin.resource(object).delete());
        }
        guarded(problems, () -> admin.namespaces().withName(namespace).delete());
        if (operator != null) {
            operator.close();
        }
        admin.close();
        assertThat(problems).as("clean-up").isEmpty();
    }

    @Test
    void theApiServerHoldsTheOperatorToTheAgentLabelItsFinalizerAndStatus() {
        Awaitility.await("the API server enforcing sigil-operator-node-agent-label (is ValidatingAdmissionPolicy on?)")
                .atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> operatorLabelsTheTeamAndIsRefused());

        assertRefused(() -> patchNode("{\"spec\":{\"taints\":[]}}"), "not its spec");
        patchNode("{\"metadata\":{\"labels\":{\"" + AGENT_LABEL + "\":\"true\"}}}");
        assertThat(admin.nodes().withName(node).get().getMetadata().getLabels())
                .containsEntry(AGENT_LABEL, "true").containsEntry("team", "payments");
        assertRefused(() -> patchNode("{\"metadata\":{\"labels\":{\"" + AGENT_LABEL + "\":\"false\"}}}"),
                "only to true, not to false");
        patchNode("{\"metadata\":{\"labels\":{\"" + AGENT_LABEL + "\":null}}}");
        assertThat(admin.nodes().withName(node).get().getMetadata().getLabels()).doesNotContainKey(AGENT_LABEL);

        patchProgram("{\"metadata\":{\"finalizers\":[\"sigil.dev/node-unload\"]}}");
        operator.resources(SignedBpfProgram.class).withName(program).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"targetedNodes\":1}}");
        assertRefused(() -> patchProgram("{\"spec\":{\"nodeSelector\":{\"matchLabels\":{\"team\":\"payments\"}}}}"),
                "not its spec");
        assertRefused(() -> patchProgram("{\"metadata\":{\"annotations\":{\"example.com/note\":\"x\"}}}"),
                "not its annotations");
        patchProgram("{\"metadata\":{\"finalizers\":null}}");

        SignedBpfProgram after = admin.resources(SignedBpfProgram.class).withName(program).get();
        assertThat(after.getStatus().getTargetedNodes()).isEqualTo(1);
        assertThat(after.getMetadata().getFinalizers()).isEmpty();
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey("example.com/note");
    }

    /** Until the API server has loaded the policy, the change goes through: then it is undone and tried again. */
    private boolean operatorLabelsTheTeamAndIsRefused() {
        try {
            patchNode("{\"metadata\":{\"labels\":{\"team\":\"checkout\"}}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains(DENIED_BY_POLICY)) {
                assertThat(e.getMessage()).contains("not its labels other than sigil.dev/agent");
                return true;
            }
            throw e;
        }
        admin.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"team\":\"payments\"}}}");
        return false;
    }

    private void assertRefused(Runnable request, String reason) {
        KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class, request::run);
        assertThat(refusal).as("refused by the admission policy: " + reason).isNotNull();
        assertThat(refusal.getCode()).isEqualTo(403);
        assertThat(refusal.getMessage()).contains(DENIED_BY_POLICY, reason);
    }

    private void patchNode(String mergePatch) {
        operator.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    private void patchProgram(String mergePatch) {
        operator.resources(SignedBpfProgram.class).withName(program).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    /** The operator's service account, ClusterRole and binding, and its two policies with their bindings. */
    private List<HasMetadata> operatorPolicyObjects() {
        String manifest = new Helm(Path.of(System.getProperty("sigil.e2e.chart"))).template()
                .withName("sigil").withNamespace(namespace).withKubeVersion("1.32.0")
                .set("trust.create", false).call();
        List<HasMetadata> objects = admin.load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items()
                .stream()
                .filter(object -> switch (object.getKind()) {
                    case "ServiceAccount", "ClusterRole", "ClusterRoleBinding" -> object.getMetadata().getName().equals("sigil-operator");
                    case "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding" ->
                            object.getMetadata().getName().startsWith("sigil-operator-");
                    default -> false;
                })
                .toList();
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicyBinding");
        return objects;
    }

    /** Runs one clean-up step; what is already gone (or was never created, after a skip) is no problem. */
    private static void guarded(List<RuntimeException> problems, Runnable step) {
        try {
            step.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                problems.add(e);
            }
        } catch (RuntimeException e) {
            problems.add(e);
        }
    }
}
