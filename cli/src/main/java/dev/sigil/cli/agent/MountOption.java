package dev.sigil.cli.agent;

import dev.sigil.bpf.kernel.BpffsMount;
import picocli.CommandLine.Option;

/** {@code --mount-bpffs}: for the agent commands that pin, whether a bpffs may hide what a non-empty pin root holds. */
final class MountOption {
    @Option(names = "--mount-bpffs",
            description = "Mount a bpffs for the pin root even over a directory with entries, hiding them while it is "
                    + "mounted. Without it a bpffs is mounted only on an absent or empty directory.")
    boolean overEntries;

    BpffsMount policy() {
        return overEntries ? BpffsMount.Always : BpffsMount.IfEmpty;
    }
}
