package dev.sigil.kubectl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine;

/**
 * The workload the build records the plugin's JDK AOT cache from ({@code SIGIL_AOT_TRAIN=1
 * bin/kubectl-sigil}, see build-tools/jdk.sh): every command's help, then a real command through a
 * kubeconfig whose API server refuses the connection — the kubeconfig, the client and its HTTP stack
 * load, no cluster is needed.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path kubeconfig = Files.createTempFile("kubectl-sigil-aot-training", ".kubeconfig");
        try {
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]
                    contexts: [{name: none, context: {cluster: none, user: none}}]
                    users: [{name: none, user: {token: none}}]
                    current-context: none
                    """);
            for (List<String> command : List.of(List.of("--help"), List.of("--version"), List.of("status", "--help"),
                    List.of("nodes", "--help"), List.of("verify", "--help"), List.of("why", "--help"),
                    List.of("status", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "2"))) {
                CommandLine commandLine = KubectlSigil.commandLine(Clock.systemUTC());
                commandLine.setOut(new PrintWriter(Writer.nullWriter()));
                commandLine.setErr(new PrintWriter(Writer.nullWriter()));
                commandLine.execute(command.toArray(String[]::new));
            }
        } finally {
            Files.delete(kubeconfig);
        }
    }
}
