package dev.sigil.kubectl;

import dev.sigil.crds.SigilVersion;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl sigil}: what Sigil is doing in a cluster, per node. kubectl runs it as the plugin
 * {@code kubectl-sigil}; it reads the current kubeconfig context as kubectl does and changes nothing.
 */
@Command(name = "kubectl sigil",
        mixinStandardHelpOptions = true,
        versionProvider = KubectlSigil.Version.class,
        description = "Shows what Sigil does on each node: SignedBpfProgram status per node, node capabilities and "
                + "staleness, the operator's verdict recomputed locally, and why a program is in its state.",
        subcommands = {
            StatusCommand.class,
            NodesCommand.class,
            VerifyCommand.class,
            WhyCommand.class,
        })
public final class KubectlSigil implements Runnable {
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private final Clock clock;

    @Spec
    CommandSpec spec;

    KubectlSigil(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        CommandLine commandLine = commandLine(Clock.systemUTC());
        int exitCode = commandLine.execute(args);
        // Tables are printed whole, without a trailing println that would flush them.
        commandLine.getOut().flush();
        System.exit(exitCode);
    }

    /** The command tree with one-line errors: exit 1 for failures, 2 for usage errors. */
    static CommandLine commandLine(Clock clock) {
        CommandLine commandLine = new CommandLine(new KubectlSigil(clock));
        commandLine.setParameterExceptionHandler(KubectlSigil::usageError);
        commandLine.setExecutionExceptionHandler(KubectlSigil::failure);
        return commandLine;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        PrintWriter err = e.getCommandLine().getErr();
        err.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
        err.flush();
        return USAGE;
    }

    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        String message = switch (e) {
            case PluginException plugin -> plugin.getMessage();
            case KubernetesClientException api -> ApiErrors.describe(api);
            default -> e.getClass().getSimpleName() + ": " + e.getMessage();
        };
        err.println(command.getCommandSpec().qualifiedName() + ": " + message);
        err.flush();
        return e instanceof PluginException plugin ? plugin.exitCode() : FAILURE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kubectl-sigil " + SigilVersion.current()};
        }
    }
}
