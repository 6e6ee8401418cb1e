package dev.sigil.bpf.attach;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Errno;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ProgramType;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.sys.XdpFlags;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Attaches what the signed loader created to its {@link AttachTarget}, always as a BPF link (so it can
 * be pinned and outlive the agent). The loader already set each program's type, expected attach type
 * and BTF target from the signed metadata; this class only picks the link-creating call and the target.
 */
public final class Attacher {
    private static final Set<Errno> UNSUPPORTED = Set.of(Errno.EOPNOTSUPP, Errno.ENOTSUPP, Errno.ENOSYS);

    private final SyscallBridge bridge;
    private final KernelFeatures kernel;
    private final ProbeLinks probes;

    public Attacher(SyscallBridge bridge, KernelFeatures kernel) {
        this.bridge = bridge;
        this.kernel = kernel;
        this.probes = new ProbeLinks(bridge);
    }

    /**
     * Refuses, before anything is loaded, an attach kind the probe found this kernel does not allow.
     * {@code expectedAttachType}: the one the signed loader loads the program with (it decides how a uprobe links).
     */
    public void requireSupported(String program, int expectedAttachType, AttachTarget target) throws BpfFailure {
        boolean multi = linksAsUprobeMulti(expectedAttachType, target);
        Support support = multi ? kernel.uprobeMulti() : kernel.attach(target.kind());
        if (support instanceof Support.Unsupported(String reason)) {
            throw new BpfFailure(FailureReason.AttachUnsupported, "program " + program + ": this kernel does not allow "
                    + target.kind() + (multi ? " (uprobe_multi)" : "") + " programs: " + reason);
        }
    }

    /**
     * Creates the link. {@code programType}: from the program's info, checked against the target's kind;
     * {@code expectedAttachType}: from the signed metadata.
     */
    public Fd attach(String program, Fd programFd, int programType, int expectedAttachType, AttachTarget target)
            throws BpfFailure {
        requireSupported(program, expectedAttachType, target);
        requireProgramType(program, programType, target);
        boolean multi = linksAsUprobeMulti(expectedAttachType, target);
        try {
            return switch (target) {
                case AttachTarget.RawTracepoint(String name) -> bridge.rawTracepointOpen(Optional.of(name), programFd);
                case AttachTarget.TpBtf tpBtf -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_RAW_TP, 0);
                case AttachTarget.Fentry fentry -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_FENTRY, 0);
                case AttachTarget.Fexit fexit -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_FEXIT, 0);
                case AttachTarget.Lsm lsm -> bridge.linkCreate(programFd, 0, BpfAttachType.LSM_MAC, 0);
                case AttachTarget.Kprobe(String function) -> bridge.kprobeMultiLinkCreate(programFd, List.of(function));
                case AttachTarget.Xdp(String interfaceName, AttachTarget.Xdp.Mode mode) -> bridge.linkCreate(programFd,
                        bridge.interfaceIndex(interfaceName), BpfAttachType.XDP,
                        mode == AttachTarget.Xdp.Mode.Driver ? XdpFlags.DRV_MODE : XdpFlags.SKB_MODE);
                case AttachTarget.Tcx(String interfaceName, AttachTarget.Tcx.Direction direction) -> bridge.linkCreate(
                        programFd, bridge.interfaceIndex(interfaceName), direction == AttachTarget.Tcx.Direction.Egress
                                ? BpfAttachType.TCX_EGRESS : BpfAttachType.TCX_INGRESS, 0);
                case AttachTarget.Cgroup cgroup -> attachCgroup(programFd, cgroup);
                case AttachTarget.Tracepoint(String category, String name) ->
                        probes.tracepoint(program, programFd, category, name);
                case AttachTarget.Uprobe(UserFunction function) -> probes.uprobe(program, programFd, function, false, multi);
                case AttachTarget.Uretprobe(UserFunction function) -> probes.uprobe(program, programFd, function, true, multi);
                case AttachTarget.SkLookup(Path namespace) -> attachNamespace(programFd, namespace);
            };
        } catch (SyscallException e) {
            FailureReason reason = e.errno().filter(UNSUPPORTED::contains).isPresent()
                    ? FailureReason.AttachUnsupported : FailureReason.AttachFailed;
            throw new BpfFailure(reason, "attaching program " + program + " to " + target.describe() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** XDP allows one link per interface: a new generation takes the old link over (atomic program swap). */
    public static boolean replacesInPlace(AttachTarget target) {
        return target.kind() == AttachKind.Xdp;
    }

    public void replaceProgram(String program, Fd link, Fd newProgram, AttachTarget target) throws BpfFailure {
        try {
            bridge.linkUpdate(link, newProgram);
        } catch (SyscallException e) {
            throw new BpfFailure(FailureReason.AttachFailed, "swapping program " + program + " into the link on "
                    + target.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /** A uprobe program the signed loader loaded for uprobe_multi links; any other uprobe links through a perf event. */
    private static boolean linksAsUprobeMulti(int expectedAttachType, AttachTarget target) {
        return (target instanceof AttachTarget.Uprobe || target instanceof AttachTarget.Uretprobe)
                && expectedAttachType == BpfAttachType.TRACE_UPROBE_MULTI.code();
    }

    private Fd attachNamespace(Fd program, Path namespace) {
        try (Fd netns = bridge.openFile(namespace)) {
            return bridge.linkCreate(program, netns.number(), BpfAttachType.SK_LOOKUP, 0);
        }
    }

    private Fd attachCgroup(Fd program, AttachTarget.Cgroup cgroup) {
        try (Fd directory = bridge.openDirectory(cgroup.path())) {
            return bridge.linkCreate(program, directory.number(), cgroup.attachType().attachType(), 0);
        }
    }

    private static void requireProgramType(String program, int actual, AttachTarget target) throws BpfFailure {
        Set<ProgramType> expected = switch (target) {
            case AttachTarget.RawTracepoint rawTracepoint -> Set.of(ProgramType.RAW_TRACEPOINT);
            case AttachTarget.TpBtf tpBtf -> Set.of(ProgramType.TRACING);
            case AttachTarget.Fentry fentry -> Set.of(ProgramType.TRACING);
            case AttachTarget.Fexit fexit -> Set.of(ProgramType.TRACING);
            case AttachTarget.Lsm lsm -> Set.of(ProgramType.LSM);
            case AttachTarget.Kprobe kprobe -> Set.of(ProgramType.KPROBE);
            case AttachTarget.Xdp xdp -> Set.of(ProgramType.XDP);
            case AttachTarget.Tcx tcx -> Set.of(ProgramType.SCHED_CLS);
            case AttachTarget.Cgroup cgroup -> Set.of(cgroup.attachType().programType());
            case AttachTarget.Tracepoint tracepoint -> Set.of(ProgramType.TRACEPOINT);
            case AttachTarget.Uprobe uprobe -> Set.of(ProgramType.KPROBE);
            case AttachTarget.Uretprobe uretprobe -> Set.of(ProgramType.KPROBE);
            case AttachTarget.SkLookup skLookup -> Set.of(ProgramType.SK_LOOKUP);
        };
        if (ProgramType.of(actual).filter(expected::contains).isEmpty()) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + " is a "
                    + ProgramType.describe(actual) + " program, but attach type " + target.kind() + " needs "
                    + expected.iterator().next());
        }
    }
}
