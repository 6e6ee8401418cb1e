package dev.sigil.bpf.attach;

import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.Tracefs;
import dev.sigil.bpf.kernel.UprobePmu;
import dev.sigil.bpf.sys.BpfAttachType;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.PerfEventRequest;
import dev.sigil.bpf.sys.SyscallBridge;
import java.io.IOException;
import java.util.List;

/**
 * The links of the two probe kinds whose target must be looked up first: a classic tracepoint (its id in
 * tracefs, then a perf event for it) and a uprobe (the function's file offset in the binary, then a perf
 * event, or a uprobe_multi link for a program the signed loader loaded as one). A perf-event link holds its
 * event: the event's fd is closed once the link exists.
 */
final class ProbeLinks {
    private final SyscallBridge bridge;
    private final Tracefs tracefs;

    ProbeLinks(SyscallBridge bridge) {
        this.bridge = bridge;
        this.tracefs = new Tracefs(bridge);
    }

    Fd tracepoint(String program, Fd programFd, String category, String name) throws BpfFailure {
        long id;
        try {
            id = tracefs.tracepointId(category, name).orElseThrow(() -> new BpfFailure(FailureReason.AttachFailed,
                    "program " + program + ": this kernel has no tracepoint " + category + "/" + name
                            + " (tracefs has no events/" + category + "/" + name + ")"));
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.AttachUnsupported, "program " + program + ": the id of tracepoint "
                    + category + "/" + name + " cannot be read: " + e.getMessage(), e);
        }
        try (Fd event = bridge.perfEventOpen(PerfEventRequest.tracepoint(id))) {
            return bridge.linkCreate(programFd, event.number(), BpfAttachType.PERF_EVENT, 0);
        }
    }

    /** {@code multi}: the program's signed expected attach type is BPF_TRACE_UPROBE_MULTI. */
    Fd uprobe(String program, Fd programFd, UserFunction function, boolean retprobe, boolean multi) throws BpfFailure {
        long offset;
        try {
            offset = ElfSymbols.fileOffset(function.binary(), function.symbol(), function.offset());
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + ": cannot place a "
                    + (retprobe ? "uretprobe" : "uprobe") + " at " + function.describe() + ": " + describe(e), e);
        }
        if (multi) {
            return bridge.uprobeMultiLinkCreate(programFd, function.binary(), List.of(offset), retprobe, function.pid());
        }
        UprobePmu pmu;
        try {
            pmu = UprobePmu.read();
        } catch (IOException e) {
            throw new BpfFailure(FailureReason.AttachUnsupported, "program " + program + ": " + e.getMessage(), e);
        }
        try (Fd event = bridge.perfEventOpen(PerfEventRequest.uprobe(pmu.type(), retprobe ? pmu.retprobeConfig() : 0,
                function.binary(), offset, function.pid()))) {
            return bridge.linkCreate(programFd, event.number(), BpfAttachType.PERF_EVENT, 0);
        }
    }

    /** java.nio names a missing file by its path alone; say what is wrong with it. */
    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException missing -> missing.getFile() + " does not exist";
            case java.nio.file.AccessDeniedException denied -> denied.getFile() + " cannot be read (access denied)";
            default -> e.getMessage();
        };
    }
}
