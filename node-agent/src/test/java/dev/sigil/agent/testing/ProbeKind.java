package dev.sigil.agent.testing;

import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.testing.NamespaceTraffic;
import dev.sigil.bpf.testing.TargetBinary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The probe attach kinds as the kernel tests drive them: each one's signed counting program (compiled from
 * {@code src/test/bpf}), and how a test makes its event happen. Shared with the command line's end-to-end
 * tests through this module's test jar.
 */
public enum ProbeKind {
    /** Attached to {@code syscalls/sys_enter_openat}: every file the test opens. */
    Tracepoint(AttachKind.Tracepoint, "tracept_count"),
    /** Attached to {@link TargetBinary#FUNCTION}: every call. */
    Uprobe(AttachKind.Uprobe, "uprobe_count"),
    /** The same program, attached on return (the kernel has no separate uretprobe program type). */
    Uretprobe(AttachKind.Uretprobe, "uprobe_count"),
    /** Attached to a network namespace of the test's own, with its loopback up: every datagram sent there. */
    SkLookup(AttachKind.SkLookup, "sk_lookup_count");

    public final AttachKind attachKind;
    public final String program;

    ProbeKind(AttachKind attachKind, String program) {
        this.attachKind = attachKind;
        this.program = program;
    }

    /** The light skeleton on the test class path. */
    public String skeleton() {
        return "bpf/" + program + ".lskel.h";
    }

    /** Uprobes count the test's calls exactly; a tracepoint or socket lookup may also fire for others. */
    public boolean countsExactly() {
        return this == Uprobe || this == Uretprobe;
    }

    /** Makes the event happen {@code times} times: opens a file, calls the target's function, sends a datagram. */
    public void fire(TargetBinary target, Path namespace, int times) {
        switch (this) {
            case Tracepoint -> {
                for (int i = 0; i < times; i++) {
                    try {
                        Files.readAllBytes(target.path());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            case Uprobe, Uretprobe -> target.run(times);
            case SkLookup -> NamespaceTraffic.sendDatagrams(namespace, times);
        }
    }
}
