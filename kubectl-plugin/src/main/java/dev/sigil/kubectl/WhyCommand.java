package dev.sigil.kubectl;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "why", mixinStandardHelpOptions = true,
        description = "Explains a SignedBpfProgram's state: the operator's conditions in causal order (Verified, Ready, "
                + "Degraded), the nodes behind them (failures with reason, message and verifier log; targeted nodes "
                + "that have not reported; stale nodes), its Events, and what to do next.")
final class WhyCommand extends ClusterCommand implements Callable<Integer> {
    @Mixin
    StalenessOption staleness;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "sigil-system",
            description = "Namespace Sigil is installed in: its Events, and the commands suggested (default ${DEFAULT-VALUE}).")
    String namespace;

    @Parameters(index = "0", paramLabel = "NAME", description = "The SignedBpfProgram.")
    String name;

    @Override
    public Integer call() {
        try (KubernetesClient client = cluster.connect()) {
            ClusterReader reader = cluster.reader(client);
            SignedBpfProgram program = reader.program(name);
            ClusterReader.Targets targets = reader.targets(program);
            Set<String> targeted = targets instanceof ClusterReader.Targets.Known known ? known.nodes() : Set.of();
            Optional<String> unknown = targets instanceof ClusterReader.Targets.Unknown u ? Optional.of(u.why()) : Optional.empty();
            Explanation explanation = new Explanation(program,
                    Placement.rows(program, reader.nodeStates(), targeted, now(), staleness.rule()),
                    unknown, reader.events(program, namespace), now(), namespace);
            out().print(explanation.render());
            return 0;
        }
    }
}
