package dev.sigil.kubectl;

import dev.sigil.api.NodeSelector;
import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The reads every command makes; nothing here writes. Each read is answered within the request timeout or fails:
 * the HTTP client's own timeout ends only the wait for a response's headers, not for its body.
 */
final class ClusterReader {
    private final KubernetesClient client;
    private final Duration deadline;

    ClusterReader(KubernetesClient client, Duration deadline) {
        this.client = client;
        this.deadline = deadline;
    }

    SignedBpfProgram program(String name) {
        SignedBpfProgram program = answered("signedbpfprogram \"" + name + "\"",
                () -> client.resources(SignedBpfProgram.class).withName(name).get());
        if (program == null) {
            throw new PluginException(KubectlSigil.FAILURE, "signedbpfprogram \"" + name + "\" not found");
        }
        return program;
    }

    List<SignedBpfProgram> programs() {
        return answered("the signedbpfprograms", () -> client.resources(SignedBpfProgram.class).list()).getItems().stream()
                .sorted(Comparator.comparing(program -> program.getMetadata().getName()))
                .toList();
    }

    List<BpfNodeState> nodeStates() {
        return answered("the bpfnodestates", () -> client.resources(BpfNodeState.class).list()).getItems().stream()
                .sorted(Comparator.comparing(state -> state.getMetadata().getName()))
                .toList();
    }

    /**
     * The nodes the program targets, decided as the operator and the agents decide ({@link NodeSelector}), once
     * the operator has verified it (an unverified program targets nothing); what the caller may not see (no
     * right to list nodes) is said instead of guessed.
     */
    Targets targets(SignedBpfProgram program) {
        if (!Conditions.find(program, "Verified").map(c -> "True".equals(c.getStatus())).orElse(false)) {
            return new Targets.Known(new TreeSet<>());
        }
        try {
            SortedSet<String> names = new TreeSet<>();
            answered("the nodes", () -> client.nodes().list()).getItems().stream()
                    .filter(node -> NodeSelector.selects(program, node.getMetadata().getLabels()))
                    .forEach(node -> names.add(node.getMetadata().getName()));
            return new Targets.Known(names);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                return new Targets.Unknown("you may not list nodes, so targeted nodes without a report are not shown");
            }
            throw e;
        }
    }

    /**
     * Events about this program (this incarnation of the name), oldest first. Events about a
     * cluster-scoped object live in {@code default} (where the API server wants them) or in Sigil's own
     * namespace (where its operator has written them); both are read and filtered here, so no field
     * selector the server may not index is needed.
     */
    List<Event> events(SignedBpfProgram program, String sigilNamespace) {
        String uid = program.getMetadata().getUid();
        return Stream.of(sigilNamespace, "default").distinct()
                .flatMap(namespace -> answered("the events in " + namespace,
                        () -> client.v1().events().inNamespace(namespace).list()).getItems().stream())
                .filter(event -> event.getInvolvedObject() != null
                        && "SignedBpfProgram".equals(event.getInvolvedObject().getKind())
                        && program.getMetadata().getName().equals(event.getInvolvedObject().getName()))
                .filter(event -> uid == null || event.getInvolvedObject().getUid() == null
                        || Objects.equals(uid, event.getInvolvedObject().getUid()))
                .sorted(Comparator.comparing(Events::time))
                .toList();
    }

    private <T> T answered(String what, Supplier<T> read) {
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(read, Thread.ofVirtual().name("kubectl-sigil-read")::start);
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Closing the client when the command ends aborts the request the reading thread still waits on.
            throw new PluginException(KubectlSigil.FAILURE, "the API server did not send " + what + " within "
                    + deadline.toSeconds() + " s (--request-timeout)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException(KubectlSigil.FAILURE, "interrupted while reading " + what, e);
        }
    }

    /** Which nodes a program targets, if the caller may know. */
    sealed interface Targets {
        record Known(SortedSet<String> nodes) implements Targets {
        }

        record Unknown(String why) implements Targets {
        }
    }
}
