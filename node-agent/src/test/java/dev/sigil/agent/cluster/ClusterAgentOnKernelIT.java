package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.testing.MockApiServer;
import dev.sigil.signing.SignedBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster agent with the real kernel host against the mock API server: the signed example end to end on a node. */
class ClusterAgentOnKernelIT {
    private static final String NODE = "node-a";

    @TempDir
    Path trustDir;

    private HostFixture fixture;
    private MockApiServer api;
    private KubernetesClient agentClient;
    private ClusterAgent agent;

    @BeforeEach
    void start() throws Exception {
        fixture = HostFixture.requiring(AttachKind.RawTracepoint);
        Files.writeString(trustDir.resolve("ca.pem"), "the hosts below trust TestBundles.trust()");
        api = MockApiServer.start();
        api.createNode(NODE, Map.of("kubernetes.io/os", "linux"));
        agentClient = api.newFailFastClient();
        agent = new ClusterAgent(agentClient, new ClusterAgentConfig(NODE, trustDir, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Clock.systemUTC()),
                () -> new KernelProgramHost(fixture.config(), LinuxSyscallBridge.create(), fixture.kernel()));
        agent.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            agentClient.close();
            api.close();
        }
        HostFixture.closeIfStarted(fixture);
    }

    @Test
    void loadsTheSignedExampleReportsItAndUnloadsItWhenDeleted() {
        String name = TestBundles.uniqueName("counter");
        SignedBpfProgram counter = TestResources.counterResource(name, 1,
                TestBundles.sign(TestBundles.counter(), TestBundles.key()), Enforcement.Auto);

        api.client().resource(counter).create();

        NodeProgramState attached = await().until(() -> entry(name), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Attached).orElseThrow();
        long programId = attached.getPrograms().getFirst().getProgramId();
        assertThat(attached.getPrograms().getFirst().getAttachedTo()).isEqualTo("RawTracepoint(sys_enter)");
        assertThat(loaded(programId)).isTrue();

        api.client().resources(SignedBpfProgram.class).withName(name).delete();

        await().until(() -> entry(name).isEmpty());
        assertThat(loaded(programId)).as("program %d is gone from the kernel", programId).isFalse();
    }

    @Test
    void reportsATamperedResourceAsFailedWithoutLoadingIt() {
        String name = TestBundles.uniqueName("forged");
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        SignedBpfProgram forged = TestResources.counterResource(name, 1,
                TestBundles.withMetadata(bundle, TestBundles.flipByte(bundle.metadata(), 100)), Enforcement.Auto);

        api.client().resource(forged).create();

        NodeProgramState failed = await().until(() -> entry(name), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Failed).orElseThrow();
        assertThat(failed.getReason()).isEqualTo("HashMismatch");
        assertThat(failed.getPrograms()).isEmpty();
    }

    @Test
    void reportsAMalformedSignatureOnThatResourceAloneAndKeepsTheOtherLoaded() {
        String validName = TestBundles.uniqueName("valid");
        String malformedName = TestBundles.uniqueName("malformed");
        SignedBundle bundle = TestBundles.sign(TestBundles.counter(), TestBundles.key());
        byte[] signature = bundle.signature().clone();
        signature[0] ^= 0x01; // the outer SEQUENCE tag: well-formed base64, no CMS structure
        SignedBundle malformed = new SignedBundle(bundle.protocol(), bundle.loader(), bundle.metadata(), bundle.hash(),
                signature);

        api.client().resource(TestResources.counterResource(validName, 1, bundle, Enforcement.Auto)).create();
        api.client().resource(TestResources.counterResource(malformedName, 1, malformed, Enforcement.Auto)).create();

        NodeProgramState failed = await().until(() -> entry(malformedName), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Failed).orElseThrow();
        assertThat(failed.getReason()).as(failed.getMessage()).isEqualTo("MalformedSignature");
        assertThat(failed.getMessage()).as("one line, no library exception").doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(failed.getPrograms()).isEmpty();
        NodeProgramState attached = await().until(() -> entry(validName), entry -> entry.isPresent()
                && entry.get().getPhase() == ProgramPhase.Attached).orElseThrow();
        long programId = attached.getPrograms().getFirst().getProgramId();
        assertThat(entry(malformedName)).as("the malformed resource's own entry, unchanged")
                .hasValueSatisfying(entry -> assertThat(entry.getReason()).isEqualTo("MalformedSignature"));
        assertThat(loaded(programId)).as("the valid program, still loaded").isTrue();

        api.client().resources(SignedBpfProgram.class).withName(validName).delete();
        api.client().resources(SignedBpfProgram.class).withName(malformedName).delete();
        await().until(() -> entry(validName).isEmpty() && entry(malformedName).isEmpty());
        assertThat(loaded(programId)).isFalse();
    }

    private Optional<NodeProgramState> entry(String name) {
        BpfNodeState state = api.client().resources(BpfNodeState.class).withName(NODE).get();
        if (state == null || state.getStatus() == null) {
            return Optional.empty();
        }
        return state.getStatus().getPrograms().stream().filter(entry -> entry.getName().equals(name)).findFirst();
    }

    private static boolean loaded(long programId) {
        Optional<Fd> fd = LinuxSyscallBridge.create().fdById(ObjectKind.PROGRAM, Math.toIntExact(programId));
        fd.ifPresent(Fd::close);
        return fd.isPresent();
    }
}
