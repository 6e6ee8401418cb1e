package dev.sigil.agent.cluster;

import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.agent.pods.NodePodView;
import dev.sigil.agent.translate.SpecTranslation;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one resource name on this node: applies the program if the node wants it and it does not run as
 * wanted, unloads it if the node no longer wants it. Every exception of an apply or unload becomes a typed failure
 * ({@link FailureCause.Unexpected}, {@code AgentError}) on that resource's report, and so on the node's status, and asks the work queue
 * for a retry; it never stops the agent handling other resources. Runs on the agent's worker thread.
 */
final class ProgramReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramReconciler.class);

    private static final FailureCause DEPLOYMENT = new FailureCause.Unexpected(FailureCause.Unexpected.Stage.Deployment);

    private final TrustedHost host;
    private final AgentEvents events;
    private final NodePodView pods;

    ProgramReconciler(TrustedHost host, AgentEvents events, NodePodView pods) {
        this.host = host;
        this.events = events;
        this.pods = pods;
    }

    /**
     * @param nodeLabels the node's labels; empty when its Node is gone
     * @param program    the cluster's program of that name, if any
     */
    WorkQueue.Result reconcile(String name, Optional<Map<String, String>> nodeLabels, Optional<SignedBpfProgram> program,
            boolean reapply) {
        Optional<ResourceReport> before = report(name);
        return switch (NodePlanner.decide(nodeLabels, program, before, reapply)) {
            case Apply -> apply(program.orElseThrow(), before);
            case Unload -> unload(name);
            case Keep -> WorkQueue.Result.Done;
        };
    }

    private WorkQueue.Result apply(SignedBpfProgram program, Optional<ResourceReport> before) {
        String name = program.getMetadata().getName();
        ResourceReport result;
        try {
            result = host.use(target -> target.apply(SpecTranslation.deployRequest(program, pods)));
        } catch (RuntimeException e) {
            String message = unexpected(e, "applying");
            LOG.warn("{}: {}; retrying", name, message);
            Long generation = program.getMetadata().getGeneration();
            host.use(target -> target.reportFailure(name,
                    generation == null ? OptionalLong.empty() : OptionalLong.of(generation), DEPLOYMENT, message));
            events.record(program, AgentEvents.Reason.AgentError, message);
            return WorkQueue.Result.Retry;
        }
        if (!sameOutcome(before, result)) {
            logAndRecord(program, result);
        }
        return WorkQueue.Result.Done;
    }

    WorkQueue.Result unload(String name) {
        try {
            host.use(target -> target.unload(name));
        } catch (RuntimeException e) {
            String message = unexpected(e, "unloading");
            LOG.warn("{}: {}; retrying", name, message);
            ResourceReport reported = report(name).orElse(null);
            host.use(target -> target.reportFailure(name, reported == null ? OptionalLong.empty() : reported.generation(),
                    DEPLOYMENT, message));
            return WorkQueue.Result.Retry;
        }
        events.forget(name);
        LOG.info("{} unloaded: no longer selected for this node", name);
        return WorkQueue.Result.Done;
    }

    private void logAndRecord(SignedBpfProgram program, ResourceReport result) {
        String name = program.getMetadata().getName();
        long generation = result.generation().orElse(0);
        if (result.phase() != ResourceReport.Phase.Failed) {
            LOG.info("{} generation {}: {} ({})", name, generation, result.phase(), result.enforcement().orElse(null));
            return;
        }
        FailureCause cause = result.cause().orElseThrow();
        String message = result.message().orElse("");
        LOG.warn("{} generation {} failed: {}: {}", name, generation, cause, message);
        events.record(program, AgentEvents.Reason.of(cause), "generation " + generation + ": " + cause + ": " + message);
    }

    /** Re-applying what already runs, or failing the same way again, is not news for the log or the events. */
    private static boolean sameOutcome(Optional<ResourceReport> before, ResourceReport after) {
        return before.isPresent()
                && before.get().phase() == after.phase()
                && before.get().generation().equals(after.generation())
                && before.get().cause().equals(after.cause());
    }

    /** One line naming the exception: what reaches the status and the event, never a stack trace. */
    private static String unexpected(RuntimeException e, String doing) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return "unexpected " + e.getClass().getSimpleName() + " while " + doing + " it" + message;
    }

    private Optional<ResourceReport> report(String name) {
        return host.use(ProgramHost::states).stream().filter(report -> name.equals(report.name())).findFirst();
    }
}
