package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.loader.Enforcement;
import dev.sigil.signing.SignedBundle;
import dev.sigil.signing.VerificationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to deploy on this node, in the agent's terms: the resource's name and generation, its signed
 * bundle as received (decoded and verified by the deploy, never before), the enforcement it asks for,
 * its programs with their attach targets, and its maps (in skeleton order) and those to pin.
 * {@code dev.sigil.agent.translate.SpecTranslation} builds one from a SignedBpfProgram.
 */
public record DeployRequest(String name, OptionalLong generation, BundleSource bundle, Enforcement enforcement,
        ProgramTargets programs, List<String> maps, List<String> pinnedMaps) {

    /** The bundle as received; decoding can already fail verification (malformed base64 and the like). */
    @FunctionalInterface
    public interface BundleSource {
        SignedBundle decode() throws VerificationException;
    }

    /**
     * The programs in skeleton order, each with its attach target. Resolved only once the bundle has
     * verified: a resource that does not verify is refused for that, whatever else is wrong with it.
     */
    @FunctionalInterface
    public interface ProgramTargets {
        Map<String, AttachTarget> resolve() throws BpfFailure;
    }

    public DeployRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(programs, "programs");
        maps = List.copyOf(maps);
        pinnedMaps = List.copyOf(pinnedMaps);
    }
}
