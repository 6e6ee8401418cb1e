package dev.sigil.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.metrics.AgentMetrics;
import dev.sigil.agent.node.KernelProgramHost;
import dev.sigil.agent.pods.CgroupDriver;
import dev.sigil.agent.pods.KubeletCgroupTree;
import dev.sigil.agent.pods.QosClass;
import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.ReportedStates;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.testing.KernelObjects;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.AttachmentState;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.PodAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramAttachment;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cgroup program on pods, end to end on the real kernel: the cluster agent against the strict mock, with Pod objects
 * on it and their cgroups in a kubelet-style cgroup v2 tree of the test's own. The program attaches to the cgroup of
 * each matching pod on this node (whatever its QoS class), follows a new pod, detaches from a deleted one, and leaves
 * alone pods of other nodes and pods the selector does not match.
 */
class PodTargetsOnKernelIT {
    private static final String NODE = "node-a";

    @TempDir
    Path trustDir;

    private HostFixture fixture;
    private KubeletCgroupTree tree;
    private MockApiServer api;
    private AgentClient agentClient;
    private ClusterAgent agent;
    private AgentMetrics metrics;

    @BeforeEach
    void start() throws Exception {
        fixture = HostFixture.requiring(AttachKind.Cgroup);
        tree = KubeletCgroupTree.create(CgroupDriver.Systemd);
        Files.writeString(trustDir.resolve("ca.pem"), "the hosts below trust TestBundles.trust()");
        api = MockApiServer.start();
        api.createNode(NODE, Map.of("kubernetes.io/os", "linux"));
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(Map.of("team", "pay")).endMetadata().build()).create();
        agentClient = AgentClients.failFast(api);
        metrics = AgentMetrics.onThisKernel();
        agent = new ClusterAgent(agentClient, new ClusterAgentConfig(NODE, trustDir, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Clock.systemUTC(), tree.cgroups()),
                () -> metrics.observe(new KernelProgramHost(fixture.config().withStepTimer(metrics.stepTimer()),
                        LinuxSyscallBridge.create(), fixture.kernel())), metrics);
        agent.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (agent != null) {
                agent.close();
                agentClient.close();
                api.close();
                metrics.close();
            }
            HostFixture.closeIfStarted(fixture);
        } finally {
            if (tree != null) {
                tree.close();
            }
        }
    }

    @Test
    void attachesToTheCgroupOfEachMatchingPodOfTheNodeAndFollowsThem() throws Exception {
        Path web = pod("web-1", NODE, "web", QosClass.Burstable);
        pod("web-elsewhere", "node-b", "web", QosClass.Burstable);
        pod("db-1", NODE, "db", QosClass.BestEffort);
        String name = TestBundles.uniqueName("pods");
        api.client().resource(podProgram(name)).create();

        List<ProgramAttachment> first = attachedTargets(name, 1);
        assertThat(first.getFirst().getTarget()).contains(web.toString(), "InetIngress");
        long webLink = first.getFirst().getLinkId();
        assertThat(KernelObjects.exists(ObjectKind.LINK, webLink)).as("link %d in the kernel", webLink).isTrue();

        Path guaranteed = pod("web-2", NODE, "web", QosClass.Guaranteed);
        List<ProgramAttachment> both = attachedTargets(name, 2);
        assertThat(both).extracting(ProgramAttachment::getTarget).anySatisfy(target -> assertThat(target).contains(guaranteed.toString()))
                .anySatisfy(target -> assertThat(target).contains(web.toString()));
        BpfNodeStateStatus status = await().until(this::nodeStatus, reported -> reported.getPods() != null
                && reported.getPods().size() == 2 && entry(name).map(NodeProgramState::getAttachedPods).orElse(-1) == 2);
        assertThat(status.getPods()).extracting(PodAttachment::getResource, PodAttachment::getProgram, PodAttachment::getNamespace,
                PodAttachment::getPod, PodAttachment::getPhase).containsExactly(
                        tuple(name, "cgroup_count", "shop", "web-1", ProgramPhase.Attached),
                        tuple(name, "cgroup_count", "shop", "web-2", ProgramPhase.Attached));
        assertThat(status.getPods()).allSatisfy(pod -> assertThat(pod.getLinkId()).isPositive())
                .anySatisfy(pod -> assertThat(pod.getCgroup()).isEqualTo(web.toString()));
        assertThat(status.getPodsOmitted()).isZero();

        api.client().pods().inNamespace("shop").withName("web-1").delete();
        List<ProgramAttachment> left = attachedTargets(name, 1);
        assertThat(left.getFirst().getTarget()).contains(guaranteed.toString());
        await().until(() -> !KernelObjects.exists(ObjectKind.LINK, webLink));
        await().until(() -> entry(name).map(NodeProgramState::getAttachedPods).orElse(-1) == 1);
        assertThat(nodeStatus().getPods()).extracting(PodAttachment::getPod).containsExactly("web-2");

        api.client().resources(SignedBpfProgram.class).withName(name).delete();
        await().until(() -> entry(name).isEmpty());
    }

    /** A pod object on the mock and, for this node's pods, its cgroup where the kubelet would make it. */
    private Path pod(String name, String node, String app, QosClass qos) throws Exception {
        String uid = UUID.randomUUID().toString();
        Pod pod = ClusterViewIT.pod(name, node, Map.of("app", app), qos.name());
        pod.getMetadata().setUid(uid);
        Pod created = api.client().pods().resource(pod).create();
        return tree.createPod(created.getMetadata().getUid(), qos);
    }

    private static SignedBpfProgram podProgram(String name) {
        PodTarget pods = new PodTarget(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build(),
                new LabelSelectorBuilder().withMatchLabels(Map.of("team", "pay")).build());
        return TestResources.resource(name, 1, TestBundles.sign(TestBundles.skeleton("bpf/cgroup_count.lskel.h"), TestBundles.key()),
                List.of(new ProgramSpec("cgroup_count", Cgroup.onPods(pods, CgroupAttachType.InetIngress))),
                List.of(new MapSpec("hits")), Enforcement.Auto);
    }

    /** Waits until the program is attached to exactly {@code count} targets; returns them. */
    private List<ProgramAttachment> attachedTargets(String name, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> entry(name).filter(entry -> entry.getPhase() == ProgramPhase.Attached)
                .map(entry -> attachments(entry).stream().filter(a -> a.getState() == AttachmentState.Attached).toList())
                .orElse(List.of()), attached -> attached.size() == count);
    }

    private static List<ProgramAttachment> attachments(NodeProgramState entry) {
        if (entry.getPrograms().isEmpty()) {
            return List.of();
        }
        var program = entry.getPrograms().getFirst();
        if (program.getAttachments() != null && !program.getAttachments().isEmpty()) {
            return program.getAttachments();
        }
        if (program.getAttachedTo() == null) {
            return List.of();
        }
        ProgramAttachment only = new ProgramAttachment();
        only.setTarget(program.getAttachedTo());
        only.setState(AttachmentState.Attached);
        only.setLinkId(program.getLinkId());
        return List.of(only);
    }

    private BpfNodeStateStatus nodeStatus() {
        return new ReportedStates(api.client(), NODE).status();
    }

    private Optional<NodeProgramState> entry(String name) {
        return new ReportedStates(api.client(), NODE).entry(name);
    }
}
