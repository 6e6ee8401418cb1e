package dev.sigil.agent.node;

import dev.sigil.agent.pods.PodCgroup;
import dev.sigil.agent.pods.PodSelection;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.loader.Enforcement;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.SignedProgram;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to deploy on this node, in the agent's terms: the resource's name and generation, what it carries
 * to be verified (verified by the deploy, never before; a failure to read it is raised when the deploy reads it), the
 * enforcement it asks for,
 * its programs (by name, and with their attach targets), and its maps (in skeleton order) and those to pin;
 * {@code invalid}: the first of the API's rules the resource breaks, if it breaks one (it is then refused before
 * anything else). {@code dev.sigil.agent.translate.SpecTranslation} builds one from a SignedBpfProgram.
 */
public record DeployRequest(String name, OptionalLong generation, SignedSource signed, Enforcement enforcement,
        List<String> programNames, ProgramTargets programs, List<String> maps, List<String> pinnedMaps,
        Optional<String> invalid) {

    /**
     * The signed pieces, signed intent and claims as the resource carries them; reading them can already
     * fail verification (malformed base64 and the like).
     */
    @FunctionalInterface
    public interface SignedSource {
        SignedProgram read() throws VerificationException;
    }

    /**
     * The programs in skeleton order, each with its attach targets: none, one, or as many as what the resource leaves
     * to the node (its primary interface, the interfaces matching a pattern) comes to there, from {@code node}.
     * Resolved only once the resource has verified: a resource that does not verify is refused for that, whatever
     * else is wrong with it; and again whenever the resource is applied, so targets follow the node.
     */
    @FunctionalInterface
    public interface ProgramTargets {
        Map<String, List<AttachTarget>> resolve(NodeFacts node) throws BpfFailure;
    }

    /** The node as the agent sees it when it applies a resource: the one place facts about the node come from. */
    public interface NodeFacts {
        /** The interface holding the default route; a failure naming why there is none. */
        String primaryInterface() throws BpfFailure;

        /** The names of the node's network interfaces now, sorted. */
        List<String> interfaces();

        /**
         * The node's pods a pod target selects now, each with its cgroup. Only an agent that watches the node's pods
         * knows them; by default a pod target is refused.
         */
        default List<PodCgroup> podCgroups(PodSelection pods) throws BpfFailure {
            throw new BpfFailure(FailureReason.AttachFailed, "this agent does not watch the node's pods, so it cannot "
                    + "attach to them (pod targets need 'sigil agent cluster')");
        }
    }

    public DeployRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(signed, "signed");
        Objects.requireNonNull(enforcement, "enforcement");
        programNames = List.copyOf(programNames);
        Objects.requireNonNull(programs, "programs");
        maps = List.copyOf(maps);
        pinnedMaps = List.copyOf(pinnedMaps);
        Objects.requireNonNull(invalid, "invalid");
    }
}
