package dev.sigil.agent.testing;

import dev.sigil.agent.node.ProgramHost;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.LoadedProgram;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ProgramHost} without a kernel: "loads" by pinning into a {@link FakeKernel}, and "verifies"
 * with a rejection rule standing in for the trust bundle. Like the real host it never throws for a
 * bad program, keeps an older generation running when a new one fails, and leaves pins on close.
 */
public final class FakeProgramHost implements ProgramHost {
    /** Why the stand-in trust check refuses a program. */
    public record Rejection(String reason, String message) {
    }

    private final FakeKernel kernel;
    private final Function<SignedBpfProgram, Optional<Rejection>> verifier;
    private final Map<String, NodeProgramState> failed = new HashMap<>();
    private final Set<String> handled = new HashSet<>();
    private final Set<String> attachFailures = new HashSet<>();
    private final Map<String, Integer> applyCounts = new HashMap<>();
    private boolean closed;

    public FakeProgramHost(FakeKernel kernel, Function<SignedBpfProgram, Optional<Rejection>> verifier) {
        this.kernel = kernel;
        this.verifier = verifier;
        kernel.hostOpened();
    }

    public static FakeProgramHost trustingEverything(FakeKernel kernel) {
        return new FakeProgramHost(kernel, program -> Optional.empty());
    }

    /** Every later apply of this resource fails to attach, as for a missing interface. */
    public synchronized void failAttachOf(String resourceName) {
        attachFailures.add(resourceName);
    }

    public synchronized int applyCount(String resourceName) {
        return applyCounts.getOrDefault(resourceName, 0);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public KernelCapabilities capabilities() {
        KernelCapabilities capabilities = new KernelCapabilities();
        capabilities.setRelease("6.18.0-fake");
        capabilities.setBpfUsable(true);
        capabilities.setExclusiveMaps(true);
        capabilities.setMapHashes(true);
        capabilities.setSignatureVerification("Unsupported: EOPNOTSUPP");
        capabilities.setBpffsMounted(true);
        capabilities.setAttachTypes(List.of("RawTracepoint", "Xdp"));
        return capabilities;
    }

    @Override
    public synchronized NodeProgramState apply(SignedBpfProgram resource) {
        checkOpen();
        String name = resource.getMetadata().getName();
        Long generation = resource.getMetadata().getGeneration();
        applyCounts.merge(name, 1, Integer::sum);
        handled.add(name);
        Optional<Rejection> rejection = verifier.apply(resource);
        if (rejection.isPresent()) {
            return fail(name, generation, rejection.get());
        }
        if (attachFailures.contains(name)) {
            return fail(name, generation, new Rejection("AttachFailed", "attach " + name + ": ENODEV (fake)"));
        }
        failed.remove(name);
        Optional<Long> running = kernel.pinnedGeneration(name);
        if (running.isPresent() && running.get().equals(generation)) {
            return kernel.pinned().get(name);
        }
        NodeProgramState attached = new NodeProgramState();
        attached.setName(name);
        attached.setGeneration(generation);
        attached.setLoaderHash(TestPrograms.loaderHash(resource));
        attached.setPhase(ProgramPhase.Attached);
        attached.setEnforcement(AppliedEnforcement.Agent);
        attached.setPrograms(resource.getSpec().getPrograms().stream().map(this::load).toList());
        kernel.pin(attached);
        return attached;
    }

    private LoadedProgram load(ProgramSpec spec) {
        LoadedProgram program = new LoadedProgram();
        program.setName(spec.getName());
        program.setProgramId(kernel.newId());
        program.setTag("0123456789abcdef");
        program.setLinkId(kernel.newId());
        program.setAttachedTo(spec.getAttach().describe());
        program.setPinPath("/sys/fs/bpf/sigil-fake/" + spec.getName());
        return program;
    }

    private NodeProgramState fail(String name, Long generation, Rejection rejection) {
        NodeProgramState state = new NodeProgramState();
        state.setName(name);
        state.setGeneration(generation);
        state.setPhase(ProgramPhase.Failed);
        state.setReason(rejection.reason());
        state.setMessage(rejection.message());
        failed.put(name, state);
        return state;
    }

    @Override
    public synchronized NodeProgramState unload(String resourceName) {
        checkOpen();
        failed.remove(resourceName);
        handled.remove(resourceName);
        NodeProgramState gone = kernel.unpin(resourceName);
        NodeProgramState state = gone == null ? new NodeProgramState() : gone;
        state.setName(resourceName);
        state.setPhase(ProgramPhase.Unloading);
        return state;
    }

    @Override
    public synchronized List<NodeProgramState> adoptPinned() {
        checkOpen();
        handled.addAll(kernel.pinned().keySet());
        return states();
    }

    @Override
    public synchronized List<NodeProgramState> repairDrift() {
        checkOpen();
        List<NodeProgramState> repaired = new ArrayList<>();
        for (String name : handled) {
            NodeProgramState state = kernel.pinned().get(name);
            if (state != null && state.getPrograms().stream().anyMatch(program -> program.getLinkId() == null)) {
                state.getPrograms().forEach(program -> program.setLinkId(kernel.newId()));
                repaired.add(state);
            }
        }
        return repaired;
    }

    /** The running entry of each resource, or its failure when nothing of it runs. */
    @Override
    public synchronized List<NodeProgramState> states() {
        Map<String, NodeProgramState> pinned = kernel.pinned();
        return handled.stream()
                .map(name -> pinned.getOrDefault(name, failed.get(name)))
                .filter(state -> state != null)
                .sorted(Comparator.comparing(NodeProgramState::getName))
                .toList();
    }

    @Override
    public synchronized Optional<Long> readMapValue(String resourceName, String mapName, int key) {
        checkOpen();
        if (key != 0 || !kernel.isPinned(resourceName)) {
            return Optional.empty();
        }
        return kernel.mapValue(resourceName, mapName);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            kernel.hostClosed();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("host is closed");
        }
    }
}
