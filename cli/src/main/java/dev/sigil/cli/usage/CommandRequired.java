package dev.sigil.cli.usage;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The usage error of a command run without one of its subcommands, listing them all. Its own package so that
 * {@code sigil} and {@code sigil agent} share it without depending on each other.
 */
public final class CommandRequired {
    private CommandRequired() {
    }

    public static CommandLine.ParameterException of(CommandSpec command) {
        List<String> names = List.copyOf(command.subcommands().keySet());
        return new CommandLine.ParameterException(command.commandLine(), "a command is required: "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast());
    }
}
