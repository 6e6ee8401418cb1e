package dev.sigil.agent.testing;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import java.util.List;
import java.util.Optional;

/** A node's facts as a test states them: its primary interface (or none) and its interfaces. */
public record StubNodeFacts(Optional<String> primary, List<String> interfaces) implements DeployRequest.NodeFacts {

    /** A node whose primary interface is {@code primary}, with it and {@code others} as its interfaces. */
    public static StubNodeFacts primary(String primary, String... others) {
        return new StubNodeFacts(Optional.of(primary), java.util.stream.Stream.concat(java.util.stream.Stream.of(primary),
                java.util.stream.Stream.of(others)).sorted().toList());
    }

    /** A node without a default route, with these interfaces. */
    public static StubNodeFacts noPrimary(String... interfaces) {
        return new StubNodeFacts(Optional.empty(), List.of(interfaces));
    }

    @Override
    public String primaryInterface() throws BpfFailure {
        return primary.orElseThrow(() -> new BpfFailure(FailureReason.AttachFailed, "the node has no primary interface"));
    }
}
