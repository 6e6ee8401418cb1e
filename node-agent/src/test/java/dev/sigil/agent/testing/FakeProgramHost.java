package dev.sigil.agent.testing;

import dev.sigil.agent.node.Attachment;
import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport.Phase;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.node.RunningProgram;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.signing.VerificationException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ProgramHost} without a kernel: "loads" by pinning into a {@link FakeKernel}, and "verifies"
 * with a rejection rule standing in for the trust bundle. Like the real host it never throws for a bad
 * program, unloads what runs of a resource that no longer verifies, keeps an older generation running
 * when a new one fails otherwise, reports the latest failure over what still runs, and leaves pins on close.
 */
public final class FakeProgramHost implements ProgramHost {
    private boolean interfacesChanged;
    /** Why the stand-in trust check refuses a program. */
    public record Rejection(FailureCause cause, String message) {
    }

    private final FakeKernel kernel;
    private final Function<DeployRequest, Optional<Rejection>> verifier;
    private final Map<String, ResourceReport> failed = new HashMap<>();
    private final Set<String> handled = new HashSet<>();
    private final Set<String> attachFailures = new HashSet<>();
    private final Map<String, Integer> applyCounts = new HashMap<>();
    private boolean closed;

    public FakeProgramHost(FakeKernel kernel, Function<DeployRequest, Optional<Rejection>> verifier) {
        this.kernel = kernel;
        this.verifier = verifier;
        kernel.hostOpened();
    }

    public static FakeProgramHost trustingEverything(FakeKernel kernel) {
        return new FakeProgramHost(kernel, request -> Optional.empty());
    }

    /** The request's loader hash, as the real host's verification computes it. */
    public static String loaderHash(DeployRequest request) {
        try {
            return request.signed().read().bundle().loaderHash();
        } catch (VerificationException e) {
            throw new IllegalArgumentException(e);
        }
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
    public KernelFeatures capabilities() {
        Map<AttachKind, Support> attach = new EnumMap<>(AttachKind.class);
        for (AttachKind kind : AttachKind.values()) {
            attach.put(kind, Support.unsupported("not in this fake"));
        }
        attach.put(AttachKind.RawTracepoint, Support.supported(""));
        attach.put(AttachKind.Xdp, Support.supported(""));
        return KernelFeatures.of("6.18.0-fake", Support.supported(""), Support.supported(""), Support.supported(""),
                Support.unsupported("EOPNOTSUPP"), Support.supported(""), attach);
    }

    @Override
    public synchronized ResourceReport apply(DeployRequest request) {
        checkOpen();
        String name = request.name();
        applyCounts.merge(name, 1, Integer::sum);
        handled.add(name);
        Optional<Rejection> rejection = verifier.apply(request);
        if (rejection.isPresent()) {
            if (rejection.get().cause().stopsWhatRuns()) {
                kernel.unpin(name);
            }
            return fail(request, rejection.get());
        }
        if (attachFailures.contains(name)) {
            return fail(request, new Rejection(new FailureCause.Kernel(FailureReason.AttachFailed),
                    "attach " + name + ": ENODEV (fake)"));
        }
        failed.remove(name);
        ResourceReport running = kernel.pinned().get(name);
        if (running != null && running.generation().equals(request.generation())) {
            return running;
        }
        ResourceReport attached = new ResourceReport(name, request.generation(), Optional.of(loaderHash(request)),
                Phase.Attached, Instant.now(), Optional.of(AppliedEnforcement.Agent), load(request), Optional.empty(),
                Optional.empty(), Optional.empty());
        kernel.pin(attached);
        return attached;
    }

    private List<RunningProgram> load(DeployRequest request) {
        Map<String, List<AttachTarget>> targets;
        try {
            targets = request.programs().resolve(StubNodeFacts.primary("eth0"));
        } catch (BpfFailure e) {
            throw new IllegalArgumentException(e);
        }
        return targets.entrySet().stream().map(program -> running(program.getKey(), program.getValue(), kernel.newId()))
                .toList();
    }

    private RunningProgram running(String name, List<AttachTarget> targets, int programId) {
        return new RunningProgram(name, programId, "0123456789abcdef", targets.stream().map(target -> new Attachment(
                target, Attachment.State.Attached, kernel.newId(), Optional.of(Path.of("/sys/fs/bpf/sigil-fake/" + name)),
                Optional.empty(), Optional.empty())).toList());
    }

    private ResourceReport fail(DeployRequest request, Rejection rejection) {
        return reportFailure(request.name(), request.generation(), rejection.cause(), rejection.message());
    }

    @Override
    public synchronized ResourceReport reportFailure(String resourceName, OptionalLong generation, FailureCause cause,
            String message) {
        checkOpen();
        handled.add(resourceName);
        ResourceReport running = kernel.pinned().get(resourceName);
        ResourceReport report = new ResourceReport(resourceName, generation, Optional.empty(), Phase.Failed,
                Instant.now(), running == null ? Optional.empty() : running.enforcement(),
                running == null ? List.of() : running.programs(), Optional.of(cause), Optional.of(message),
                Optional.empty());
        failed.put(resourceName, report);
        return report;
    }

    @Override
    public synchronized ResourceReport unload(String resourceName) {
        checkOpen();
        failed.remove(resourceName);
        handled.remove(resourceName);
        ResourceReport gone = kernel.unpin(resourceName);
        return new ResourceReport(resourceName, gone == null ? OptionalLong.empty() : gone.generation(),
                gone == null ? Optional.empty() : gone.loaderHash(), Phase.Unloaded, Instant.now(), Optional.empty(),
                List.of(), Optional.empty(), Optional.of(gone == null ? "nothing to unload" : "unloaded"), Optional.empty());
    }

    @Override
    public synchronized List<ResourceReport> adoptPinned() {
        checkOpen();
        handled.addAll(kernel.pinned().keySet());
        return states();
    }

    @Override
    public synchronized List<ResourceReport> repairDrift() {
        checkOpen();
        List<ResourceReport> repaired = new ArrayList<>();
        for (String name : handled) {
            ResourceReport pinned = kernel.pinned().get(name);
            if (pinned != null && kernel.isDetached(name)) {
                ResourceReport relinked = new ResourceReport(name, pinned.generation(), pinned.loaderHash(),
                        pinned.phase(), pinned.since(), pinned.enforcement(), pinned.programs().stream()
                                .map(program -> running(program.name(), program.attachments().stream()
                                        .map(Attachment::target).toList(), program.programId()))
                                .toList(), Optional.empty(), Optional.of("drift repaired"), Optional.empty());
                kernel.pin(relinked);
                repaired.add(relinked);
            }
        }
        return repaired;
    }

    /** The latest report of each resource: its failure while it has one, else what is pinned of it. */
    /** The next {@link #nodeFactsChanged} says the node's interfaces changed. */
    public synchronized void interfacesChange() {
        interfacesChanged = true;
    }

    @Override
    public synchronized boolean nodeFactsChanged() {
        boolean changed = interfacesChanged;
        interfacesChanged = false;
        return changed;
    }

    @Override
    public synchronized List<ResourceReport> states() {
        Map<String, ResourceReport> pinned = kernel.pinned();
        return handled.stream()
                .map(name -> failed.getOrDefault(name, pinned.get(name)))
                .filter(report -> report != null)
                .sorted(Comparator.comparing(ResourceReport::name))
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
