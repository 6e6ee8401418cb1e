package dev.sigil.agent.attach;

import dev.sigil.agent.failure.FailureReason;
import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.agent.kernel.KernelFeatures;
import dev.sigil.agent.kernel.Support;
import dev.sigil.agent.sys.BpfAttachType;
import dev.sigil.agent.sys.Errno;
import dev.sigil.agent.sys.Fd;
import dev.sigil.agent.sys.ProgramType;
import dev.sigil.agent.sys.SyscallBridge;
import dev.sigil.agent.sys.SyscallException;
import dev.sigil.agent.sys.XdpFlags;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Attaches what the signed loader created to where the resource says, always as a BPF link (so it can
 * be pinned and outlive the agent). The loader already set each program's type, expected attach type
 * and BTF target from the signed metadata; this class only picks the link-creating call and the target.
 */
public final class Attacher {
    private static final Set<Errno> UNSUPPORTED = Set.of(Errno.EOPNOTSUPP, Errno.ENOTSUPP, Errno.ENOSYS);

    private final SyscallBridge bridge;
    private final KernelFeatures kernel;

    public Attacher(SyscallBridge bridge, KernelFeatures kernel) {
        this.bridge = bridge;
        this.kernel = kernel;
    }

    /** Refuses, before anything is loaded, an attach type the probe found this kernel does not allow. */
    public void requireSupported(String program, AttachSpec spec) throws NodeFailure {
        if (spec == null || spec.getType() == null) {
            throw new NodeFailure(FailureReason.AttachFailed, "program " + program + " has no attach type");
        }
        if (kernel.attach(spec.getType()) instanceof Support.Unsupported(String reason)) {
            throw new NodeFailure(FailureReason.AttachUnsupported, "program " + program + ": this kernel does not allow "
                    + spec.getType() + " programs: " + reason);
        }
    }

    /** Creates the link. {@code programType}: from the program's info, checked against the attach type. */
    public Fd attach(String program, Fd programFd, int programType, AttachSpec spec) throws NodeFailure {
        requireSupported(program, spec);
        requireProgramType(program, programType, spec);
        try {
            return switch (spec.getType()) {
                case RawTracepoint -> bridge.rawTracepointOpen(Optional.of(spec.getRawTracepoint().getName()), programFd);
                case TpBtf -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_RAW_TP, 0);
                case Fentry -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_FENTRY, 0);
                case Fexit -> bridge.linkCreate(programFd, 0, BpfAttachType.TRACE_FEXIT, 0);
                case Lsm -> bridge.linkCreate(programFd, 0, BpfAttachType.LSM_MAC, 0);
                case Kprobe -> bridge.kprobeMultiLinkCreate(programFd, List.of(spec.getKprobe().getFunction()));
                case Xdp -> bridge.linkCreate(programFd, bridge.interfaceIndex(spec.getXdp().getInterfaceName()),
                        BpfAttachType.XDP, spec.getXdp().getMode() == AttachSpec.XdpMode.Driver
                                ? XdpFlags.DRV_MODE : XdpFlags.SKB_MODE);
                case Tcx -> bridge.linkCreate(programFd, bridge.interfaceIndex(spec.getTcx().getInterfaceName()),
                        spec.getTcx().getDirection() == AttachSpec.TcxDirection.Egress
                                ? BpfAttachType.TCX_EGRESS : BpfAttachType.TCX_INGRESS, 0);
                case Cgroup -> attachCgroup(programFd, spec.getCgroup());
            };
        } catch (SyscallException e) {
            FailureReason reason = e.errno().filter(UNSUPPORTED::contains).isPresent()
                    ? FailureReason.AttachUnsupported : FailureReason.AttachFailed;
            throw new NodeFailure(reason, "attaching program " + program + " to " + spec.describe() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** XDP allows one link per interface: a new generation takes the old link over (atomic program swap). */
    public static boolean replacesInPlace(AttachSpec spec) {
        return spec.getType() == AttachType.Xdp;
    }

    public void replaceProgram(String program, Fd link, Fd newProgram, AttachSpec spec) throws NodeFailure {
        try {
            bridge.linkUpdate(link, newProgram);
        } catch (SyscallException e) {
            throw new NodeFailure(FailureReason.AttachFailed, "swapping program " + program + " into the link on "
                    + spec.describe() + " failed: " + e.getMessage(), e);
        }
    }

    private Fd attachCgroup(Fd program, AttachSpec.Cgroup cgroup) {
        try (Fd directory = bridge.openDirectory(Path.of(cgroup.getPath()))) {
            return bridge.linkCreate(program, directory.number(), CgroupAttach.of(cgroup.getAttachType()).attachType(), 0);
        }
    }

    private static void requireProgramType(String program, int actual, AttachSpec spec) throws NodeFailure {
        Set<ProgramType> expected = switch (spec.getType()) {
            case RawTracepoint -> Set.of(ProgramType.RAW_TRACEPOINT);
            case TpBtf, Fentry, Fexit -> Set.of(ProgramType.TRACING);
            case Lsm -> Set.of(ProgramType.LSM);
            case Kprobe -> Set.of(ProgramType.KPROBE);
            case Xdp -> Set.of(ProgramType.XDP);
            case Tcx -> Set.of(ProgramType.SCHED_CLS);
            case Cgroup -> Set.of(CgroupAttach.of(spec.getCgroup().getAttachType()).programType());
        };
        if (ProgramType.of(actual).filter(expected::contains).isEmpty()) {
            throw new NodeFailure(FailureReason.AttachFailed, "program " + program + " is a "
                    + ProgramType.describe(actual) + " program, but attach type " + spec.getType() + " needs "
                    + expected.iterator().next());
        }
    }
}
