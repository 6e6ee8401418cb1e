package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.status.SignedBpfProgramStatus;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.api.SpecIntents;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.signing.BundleSigner;
import dev.sigil.signing.KeySpec;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.SigningKey;
import dev.sigil.signing.SigningKeys;
import dev.sigil.signing.VerificationException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster in the mock API server, as Sigil's operator and agents would leave it, and a kubeconfig
 * pointing at it. Times are relative to {@link Plugin#NOW}.
 */
final class Scene implements AutoCloseable {
    final MockApiServer api = MockApiServer.start();

    KubernetesClient client() {
        return api.client();
    }

    /** A kubeconfig whose current context points nowhere and whose context {@code mock} points at the server. */
    Path kubeconfig(Path dir) throws IOException {
        String server = api.client().getConfiguration().getMasterUrl().replaceAll("/$", "");
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                - name: nowhere
                  cluster: {server: "http://127.0.0.1:1"}
                contexts:
                - name: mock
                  context: {cluster: mock, user: tester}
                - name: nowhere
                  context: {cluster: nowhere, user: tester}
                current-context: nowhere
                users:
                - name: tester
                  user: {token: not-checked}
                """.formatted(server));
    }

    void node(String name, Map<String, String> labels) {
        api.createNode(name, labels);
    }

    /** A SignedBpfProgram for the example skeleton, signed by {@code signer}, on nodes with {@code labels}. */
    SignedBpfProgram program(String name, SigningKey signer, Map<String, String> labels) {
        SignedBundle bundle = BundleSigner.sign(SignedFixtures.skeleton(SignedFixtures.COUNTER_SKELETON), signer);
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setProtocol(Protocol.valueOf(bundle.protocol()));
        spec.setLoader(bundle.loaderBase64());
        spec.setMetadata(bundle.metadataBase64());
        spec.setHash(bundle.hash());
        spec.setSignature(bundle.signatureBase64());
        spec.setPrograms(List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter"))));
        spec.setMaps(List.of(new MapSpec("counts")));
        spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
        spec.setIntent(SpecIntents.exactly(spec, bundle, Map.of()));
        try {
            SpecIntents.sign(spec, signer);
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
        SignedBpfProgram program = new SignedBpfProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
        program.setSpec(spec);
        return client().resource(program).create();
    }

    /** The status the operator would write for the program's current generation. */
    SignedBpfProgram status(SignedBpfProgram program, int targeted, int attached, int failed, Condition... conditions) {
        SignedBpfProgramStatus status = new SignedBpfProgramStatus();
        status.setObservedGeneration(program.getMetadata().getGeneration());
        status.setTargetedNodes(targeted);
        status.setAttachedNodes(attached);
        status.setFailedNodes(failed);
        status.setConditions(List.of(conditions));
        program.setStatus(status);
        return client().resource(program).updateStatus();
    }

    static Condition condition(String type, String status, String reason, String message, Duration ago) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(Plugin.NOW.minus(ago).toString()).withObservedGeneration(1L).build();
    }

    /** A node's report, written {@code reportedAgo} before now. */
    void nodeState(String node, Duration reportedAgo, NodeProgramState... programs) {
        BpfNodeState state = new BpfNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName(node).build());
        BpfNodeState created = client().resource(state).create();
        KernelCapabilities kernel = new KernelCapabilities();
        kernel.setRelease("6.18.44");
        kernel.setBpfUsable(true);
        kernel.setExclusiveMaps(true);
        kernel.setMapHashes(true);
        kernel.setSignatureVerification("Unsupported: EOPNOTSUPP");
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setKernel(kernel);
        status.setPrograms(List.of(programs));
        status.setProgramCount(programs.length);
        status.setLastUpdateTime(Plugin.NOW.minus(reportedAgo).toString());
        status.setAgentVersion("0.2.0");
        created.setStatus(status);
        client().resource(created).updateStatus();
    }

    static NodeProgramState attached(String program, long generation, long programId, long linkId, Duration since) {
        NodeProgramState entry = entry(program, generation, ProgramPhase.Attached, since);
        entry.setEnforcement(AppliedEnforcement.Agent);
        LoadedProgram loaded = new LoadedProgram();
        loaded.setName("count_sys_enter");
        loaded.setProgramId(programId);
        loaded.setLinkId(linkId);
        loaded.setAttachedTo("RawTracepoint(sys_enter)");
        entry.setPrograms(List.of(loaded));
        return entry;
    }

    static NodeProgramState failed(String program, long generation, String reason, String message, String verifierLog,
            Duration since) {
        NodeProgramState entry = entry(program, generation, ProgramPhase.Failed, since);
        entry.setReason(reason);
        entry.setMessage(message);
        entry.setVerifierLogTail(verifierLog);
        return entry;
    }

    private static NodeProgramState entry(String program, long generation, ProgramPhase phase, Duration since) {
        NodeProgramState entry = new NodeProgramState();
        entry.setName(program);
        entry.setGeneration(generation);
        entry.setPhase(phase);
        entry.setLastTransitionTime(Plugin.NOW.minus(since).toString());
        return entry;
    }

    /**
     * An Event about the cluster-scoped program, in {@code namespace}: the API server (and the strict mock)
     * accepts it only in {@code default}.
     */
    void event(SignedBpfProgram program, String namespace, String type, String reason, String message, Duration ago) {
        String time = Plugin.NOW.minus(ago).toString();
        client().v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withName(program.getMetadata().getName() + "." + reason.toLowerCase() + ago.toSeconds())
                .withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion("sigil.dev/v1alpha1").withKind("SignedBpfProgram")
                .withName(program.getMetadata().getName()).withUid(program.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("sigil-operator").endSource().withReportingComponent("sigil-operator")
                .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                .build()).create();
    }

    static SigningKey signer(String commonName) {
        try {
            // Valid from before the intent is signed (now) to after the tests' fixed clock (Plugin.NOW).
            return SigningKeys.generate(KeySpec.ec("P-256"), "CN=" + commonName, Instant.now().minus(Duration.ofDays(1)),
                    Instant.parse("2031-01-01T00:00:00Z"), Optional.empty(), true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
