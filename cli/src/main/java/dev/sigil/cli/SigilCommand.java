package dev.sigil.cli;

import dev.sigil.cli.agent.AgentCommand;
import dev.sigil.cli.agent.StartupTrace;
import dev.sigil.cli.usage.CommandRequired;
import dev.sigil.crds.SigilVersion;
import dev.sigil.signing.KeyMaterialException;
import dev.sigil.signing.SkeletonFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sigil}: signs BPF light skeletons into SignedBpfProgram resources and checks them. */
@Command(name = "sigil",
        mixinStandardHelpOptions = true,
        versionProvider = SigilCommand.Version.class,
        description = "Signs BPF programs for Kubernetes and verifies them (protocol LoaderHashV1, Linux 6.18).",
        subcommands = {
            KeygenCommand.class,
            SignCommand.class,
            VerifyCommand.class,
            InspectCommand.class,
            AgentCommand.class,
        })
public final class SigilCommand implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        StartupTrace.mark("main");
        System.exit(commandLine().execute(args));
    }

    /** The command tree with Sigil's error handling: one line on stderr, exit 1 for failures, 2 for usage errors. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SigilCommand());
        commandLine.setParameterExceptionHandler(SigilCommand::usageError);
        commandLine.setExecutionExceptionHandler(SigilCommand::failure);
        return commandLine;
    }

    @Override
    public void run() {
        throw CommandRequired.of(spec);
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(qualifiedName(command) + ": " + e.getMessage() + " (see " + qualifiedName(command) + " --help)");
        err.flush();
        return CliException.USAGE;
    }

    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int exitCode = CliException.FAILURE;
        String message = switch (e) {
            case CliException cli -> {
                exitCode = cli.exitCode();
                yield cli.getMessage();
            }
            case KeyMaterialException key -> key.getMessage();
            case SkeletonFormatException skeleton -> skeleton.getMessage();
            case IOException io -> CliException.describe(io);
            default -> e.getClass().getSimpleName() + ": " + e.getMessage();
        };
        err.println(qualifiedName(command) + ": " + message);
        err.flush();
        return exitCode;
    }

    private static String qualifiedName(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    /** The build's version: the one the chart, the images and the agents' reports carry. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sigil " + SigilVersion.current()};
        }
    }
}
