package dev.sigil.crds.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own (the operator or a cluster agent, as their launchers run them), its output in a log file.
 * Closing it kills it if it still runs, so no test leaves one behind.
 */
public final class JavaProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param javaArguments what follows {@code java} and the common flags: {@code -jar FILE ARGS…} or
     *     {@link #onTestClasspath}
     * @param env added to this JVM's environment, e.g. {@code KUBECONFIG}
     * @param log where stdout and stderr go
     */
    public static JavaProcess start(String name, List<String> javaArguments, Map<String, String> env, Path log) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(javaArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return new JavaProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Runs a main class from this test's own classpath. */
    public static List<String> onTestClasspath(String mainClass, List<String> args) {
        List<String> arguments = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        arguments.addAll(args);
        return arguments;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM, as the kubelet does when it stops a pod. */
    public void sigterm() {
        process.destroy();
    }

    /** The exit code, once the process has ended within the timeout. */
    public Optional<Integer> awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What the process wrote so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of the output, for a failure message. */
    public String tail(int lines) {
        List<String> all = output().lines().toList();
        return name + " (" + log + "), last lines:\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
