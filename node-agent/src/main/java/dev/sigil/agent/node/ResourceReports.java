package dev.sigil.agent.node;

import dev.sigil.agent.node.ResourceReport.Phase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds the reports of the units' outcomes; a report's {@code since} moves only when its phase does. */
final class ResourceReports {
    private final Clock clock;

    ResourceReports(Clock clock) {
        this.clock = clock;
    }

    ResourceReport attached(HostedResource resource, String message, ResourceReport previous) {
        return new ResourceReport(resource.name, OptionalLong.of(resource.generation), Optional.of(resource.loaderHash),
                Phase.Attached, since(Phase.Attached, previous), Optional.of(resource.enforcement), resource.running(),
                Optional.empty(), Optional.ofNullable(message), Optional.empty());
    }

    /** {@code stillRunning}: an older generation that keeps running, or null. */
    ResourceReport failed(String name, OptionalLong generation, String loaderHash, Failure failure,
            HostedResource stillRunning, ResourceReport previous) {
        return new ResourceReport(name, generation, Optional.ofNullable(loaderHash), Phase.Failed,
                since(Phase.Failed, previous),
                stillRunning == null ? Optional.empty() : Optional.of(stillRunning.enforcement),
                stillRunning == null ? List.of() : stillRunning.running(), Optional.of(failure.cause()),
                Optional.of(failure.message()), failure.verifierLogTail());
    }

    ResourceReport unloaded(String name, ResourceReport previous, String message) {
        return new ResourceReport(name, previous == null ? OptionalLong.empty() : previous.generation(),
                previous == null ? Optional.empty() : previous.loaderHash(), Phase.Unloaded,
                since(Phase.Unloaded, previous), Optional.empty(), List.of(), Optional.empty(), Optional.of(message),
                Optional.empty());
    }

    private Instant since(Phase phase, ResourceReport previous) {
        return previous != null && previous.phase() == phase ? previous.since() : Instant.now(clock);
    }
}
