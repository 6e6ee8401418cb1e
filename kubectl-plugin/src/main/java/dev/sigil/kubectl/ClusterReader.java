package dev.sigil.kubectl;

import dev.sigil.crds.bpfnodestate.BpfNodeState;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The reads every command makes; nothing here writes. */
final class ClusterReader {
    /** Sigil targets Linux nodes only, whatever the selector says (as the operator does). */
    static final String OS_LABEL = "kubernetes.io/os";

    private final KubernetesClient client;

    ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    SignedBpfProgram program(String name) {
        SignedBpfProgram program = client.resources(SignedBpfProgram.class).withName(name).get();
        if (program == null) {
            throw new PluginException(KubectlSigil.FAILURE, "signedbpfprogram \"" + name + "\" not found");
        }
        return program;
    }

    List<SignedBpfProgram> programs() {
        return client.resources(SignedBpfProgram.class).list().getItems().stream()
                .sorted(Comparator.comparing(program -> program.getMetadata().getName()))
                .toList();
    }

    List<BpfNodeState> nodeStates() {
        return client.resources(BpfNodeState.class).list().getItems().stream()
                .sorted(Comparator.comparing(state -> state.getMetadata().getName()))
                .toList();
    }

    /**
     * The Linux nodes the program's selector matches, evaluated by the API server itself, once the
     * operator has verified it (an unverified program targets nothing); what the caller may not see
     * (no right to list nodes) is said instead of guessed.
     */
    Targets targets(SignedBpfProgram program) {
        if (!Conditions.find(program, "Verified").map(c -> "True".equals(c.getStatus())).orElse(false)) {
            return new Targets.Known(new TreeSet<>());
        }
        LabelSelector selector = program.getSpec() == null || program.getSpec().getNodeSelector() == null
                ? new LabelSelector() : program.getSpec().getNodeSelector();
        LabelSelector linux = new LabelSelectorBuilder(selector).addToMatchLabels(OS_LABEL, "linux").build();
        try {
            SortedSet<String> names = new TreeSet<>();
            client.nodes().withLabelSelector(linux).list().getItems()
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
                .flatMap(namespace -> client.v1().events().inNamespace(namespace).list().getItems().stream())
                .filter(event -> event.getInvolvedObject() != null
                        && "SignedBpfProgram".equals(event.getInvolvedObject().getKind())
                        && program.getMetadata().getName().equals(event.getInvolvedObject().getName()))
                .filter(event -> uid == null || event.getInvolvedObject().getUid() == null
                        || Objects.equals(uid, event.getInvolvedObject().getUid()))
                .sorted(Comparator.comparing(Events::time))
                .toList();
    }

    /** Which nodes a program targets, if the caller may know. */
    sealed interface Targets {
        record Known(SortedSet<String> nodes) implements Targets {
        }

        record Unknown(String why) implements Targets {
        }
    }
}
