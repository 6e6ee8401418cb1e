package dev.sigil.bench.operator;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.BpfNodeStateStatus;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * One simulated node agent per node, all in this process: each keeps its node's report (one entry per
 * program it runs) and writes it as the real agent does — the BpfNodeState created once, owned by the
 * Node, then JSON merge patches of the whole status through the status subresource. A pool of writer
 * threads stands in for the nodes' concurrent writes; what the population does not simulate is 5,000
 * agents' own watches of the API server (one informer in the driver plays them all).
 *
 * <p>Real agents rewrite their state every minute: 83 writes a second from 5,000 nodes, a good part of what the
 * mock takes on a shared machine beside everything else. These agents say they report hourly, so no node goes
 * stale during a run; the benchmark's heartbeat phase has every node write once, to measure what heartbeats cost
 * the operator.
 */
final class FakeAgents implements AutoCloseable {
    static final int HEARTBEAT_INTERVAL_SECONDS = 3600;

    private final KubernetesClient client;
    private final Workload workload;
    private final ExecutorService writers;
    private final List<Map<String, NodeProgramState>> reports = new ArrayList<>();
    private final LongAdder writes = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();

    FakeAgents(KubernetesClient client, Workload workload, int writerThreads) {
        this.client = client;
        this.workload = workload;
        this.writers = Executors.newFixedThreadPool(writerThreads);
        for (int node = 0; node < workload.nodes(); node++) {
            reports.add(new ConcurrentHashMap<>());
        }
    }

    /** Creates every node's BpfNodeState (no status yet), owned by its Node. */
    void createNodeStates(Map<String, Node> nodes) {
        forEachNode(allNodes(), node -> {
            String name = workload.node(node);
            BpfNodeState state = new BpfNodeState();
            state.setMetadata(new ObjectMetaBuilder().withName(name)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(name).withUid(nodes.get(name).getMetadata().getUid()).build())
                    .build());
            timed(() -> client.resource(state).create());
        });
    }

    /** Sets the node's entry for a program; {@link #write} publishes it. */
    void set(int node, NodeProgramState entry) {
        reports.get(node).put(entry.getName(), entry);
    }

    /** Every node writes its whole report, as after a change; returns when all are written. */
    void write(Collection<Integer> nodes) {
        forEachNode(nodes, node -> timed(() -> client.resources(BpfNodeState.class).withName(workload.node(node))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), statusPatch(node))));
    }

    List<Integer> allNodes() {
        return java.util.stream.IntStream.range(0, workload.nodes()).boxed().toList();
    }

    long writes() {
        return writes.sum();
    }

    /** Mean latency of one write as the agents saw it, in milliseconds. */
    double meanWriteMillis() {
        long count = writes.sum();
        return count == 0 ? 0 : writeNanos.sum() / 1e6 / count;
    }

    static NodeProgramState attached(String program, long generation, String loaderHash, int node) {
        NodeProgramState entry = base(program, generation, loaderHash, ProgramPhase.Attached);
        entry.setEnforcement(AppliedEnforcement.Agent);
        LoadedProgram loaded = new LoadedProgram();
        loaded.setName("count_sys_enter");
        loaded.setProgramId(1000L + node);
        loaded.setTag("5e2b6d1c0a9f8e7d");
        loaded.setLinkId(2000L + node);
        loaded.setAttachedTo("RawTracepoint(sys_enter)");
        loaded.setPinPath("/sys/fs/bpf/sigil/" + program + "/links/count_sys_enter");
        entry.setPrograms(new ArrayList<>(List.of(loaded)));
        return entry;
    }

    static NodeProgramState failed(String program, long generation, String loaderHash) {
        NodeProgramState entry = base(program, generation, loaderHash, ProgramPhase.Failed);
        entry.setReason("AttachFailed");
        entry.setMessage("attaching count_sys_enter to RawTracepoint(sys_enter) failed: bpf(BPF_RAW_TRACEPOINT_OPEN) "
                + "returned EBUSY (device or resource busy)");
        return entry;
    }

    private static NodeProgramState base(String program, long generation, String loaderHash, ProgramPhase phase) {
        NodeProgramState entry = new NodeProgramState();
        entry.setName(program);
        entry.setGeneration(generation);
        entry.setLoaderHash(loaderHash);
        entry.setPhase(phase);
        entry.setLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return entry;
    }

    private String statusPatch(int node) {
        BpfNodeStateStatus status = new BpfNodeStateStatus();
        status.setKernel(KERNEL);
        List<NodeProgramState> entries = new ArrayList<>(new TreeMap<>(reports.get(node)).values());
        status.setPrograms(entries);
        status.setProgramCount(entries.size());
        status.setLastUpdateTime(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        status.setHeartbeatIntervalSeconds(HEARTBEAT_INTERVAL_SECONDS);
        return Serialization.asJson(Map.of("status", status));
    }

    private static final KernelCapabilities KERNEL = kernel();

    private static KernelCapabilities kernel() {
        KernelCapabilities kernel = new KernelCapabilities();
        kernel.setRelease("6.18.0-sigil-bench");
        kernel.setBpfUsable(true);
        kernel.setExclusiveMaps(true);
        kernel.setMapHashes(true);
        kernel.setSignatureVerification("Unsupported: EOPNOTSUPP");
        kernel.setBpffsMounted(true);
        kernel.setAttachTypes(new ArrayList<>(List.of("RawTracepoint", "TpBtf", "Xdp", "Tcx", "Cgroup", "Tracepoint",
                "Uprobe")));
        return kernel;
    }

    private void timed(Runnable write) {
        long start = System.nanoTime();
        write.run();
        writeNanos.add(System.nanoTime() - start);
        writes.increment();
    }

    private void forEachNode(Collection<Integer> nodes, IntConsumer action) {
        List<Future<?>> pending = new ArrayList<>(nodes.size());
        for (int node : nodes) {
            pending.add(writers.submit(() -> action.accept(node)));
        }
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a simulated agent's write failed", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
