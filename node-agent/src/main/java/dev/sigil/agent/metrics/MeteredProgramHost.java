package dev.sigil.agent.metrics;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.node.FailureCause;
import dev.sigil.agent.node.ProgramHost;
import dev.sigil.agent.node.ResourceReport;
import dev.sigil.bpf.kernel.KernelFeatures;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link ProgramHost} whose reports the {@link AgentMetrics} count, and whose latest state it keeps for the
 * gauges, so a scrape never waits for the host's lock while a deploy runs.
 */
final class MeteredProgramHost implements ProgramHost {
    private final ProgramHost host;
    private final AgentMetrics metrics;
    private volatile List<ResourceReport> latest = List.of();

    MeteredProgramHost(ProgramHost host, AgentMetrics metrics) {
        this.host = host;
        this.metrics = metrics;
    }

    List<ResourceReport> latest() {
        return latest;
    }

    private <T> T refreshed(T result) {
        latest = host.states();
        return result;
    }

    @Override
    public KernelFeatures capabilities() {
        return host.capabilities();
    }

    @Override
    public ResourceReport apply(DeployRequest request) {
        ResourceReport report = host.apply(request);
        metrics.applied(report);
        return refreshed(report);
    }

    @Override
    public ResourceReport reportFailure(String resourceName, OptionalLong generation, FailureCause cause, String message) {
        ResourceReport report = host.reportFailure(resourceName, generation, cause, message);
        metrics.applied(report);
        return refreshed(report);
    }

    @Override
    public ResourceReport unload(String resourceName) {
        return refreshed(host.unload(resourceName));
    }

    @Override
    public List<ResourceReport> adoptPinned() {
        List<ResourceReport> adopted = host.adoptPinned();
        metrics.adopted(adopted);
        return refreshed(adopted);
    }

    @Override
    public List<ResourceReport> repairDrift() {
        List<ResourceReport> repaired = host.repairDrift();
        metrics.repaired(repaired);
        return refreshed(repaired);
    }

    @Override
    public List<ResourceReport> states() {
        List<ResourceReport> states = host.states();
        latest = states;
        return states;
    }

    @Override
    public boolean nodeFactsChanged() {
        return host.nodeFactsChanged();
    }

    @Override
    public Optional<Long> readMapValue(String resourceName, String mapName, int key) {
        return host.readMapValue(resourceName, mapName, key);
    }

    @Override
    public void close() {
        metrics.closed(this);
        host.close();
    }
}
