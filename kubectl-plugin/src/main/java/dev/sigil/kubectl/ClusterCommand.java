package dev.sigil.kubectl;

import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the cluster options, its output, and the root's clock. */
abstract class ClusterCommand {
    @ParentCommand
    KubectlSigil root;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    Instant now() {
        return root.clock().instant();
    }
}
