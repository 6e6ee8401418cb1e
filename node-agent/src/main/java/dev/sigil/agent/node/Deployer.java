package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.Attacher;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.kernel.Support;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.loader.EnforcementPolicy;
import dev.sigil.bpf.loader.LoadedObjects;
import dev.sigil.bpf.loader.LoaderHashV1Loader;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ProgInfo;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.signing.GenLoaderMetadata;
import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import dev.sigil.signing.intent.IntentComparison;
import dev.sigil.signing.intent.VerifiedProgram;
import dev.sigil.signing.intent.VerifiedProgramCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys one resource generation: verify, then load, attach and pin as one transaction. Either the new
 * generation ends attached and pinned and the one before it is retired, or everything of the attempt is
 * rolled back, links handed back and pins restored, and what ran before runs on.
 */
final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private final HostKernel kernel;
    private final VerifiedProgramCache verifier;
    private final LoaderHashV1Loader loader;
    private final ResourcePins resourcePins;
    private final StepTimer timer;

    Deployer(HostKernel kernel, VerifiedProgramCache verifier, ResourcePins resourcePins) {
        this.kernel = kernel;
        this.timer = kernel.config.stepTimer();
        this.verifier = verifier;
        this.loader = new LoaderHashV1Loader(kernel.bridge);
        this.resourcePins = resourcePins;
    }

    /**
     * {@code running}: the generation the host holds now, or null. Never throws: an exception of any step becomes
     * this resource's failure, after the step has released what it created.
     */
    DeployOutcome deploy(DeployRequest request, HostedResource running) {
        Optional<Failure> unpinnable = pinRefusal(request);
        if (unpinnable.isPresent()) {
            return new DeployOutcome.Refused(unpinnable.get());
        }
        VerifiedProgram program;
        try {
            program = verify(request);
        } catch (VerificationException e) {
            return new DeployOutcome.Refused(Failure.of(e));
        } catch (RuntimeException e) {
            LOG.warn("{}: verification failed unexpectedly", request.name(), e);
            return new DeployOutcome.Refused(Failure.unexpected(FailureCause.Unexpected.Stage.Verification, e));
        }
        if (request.invalid().isPresent()) {
            return new DeployOutcome.Refused(Failure.invalid(request.invalid().get()));
        }
        VerifiedBundle verified = program.bundle();
        long generation = request.generation().orElse(0);
        if (running != null && running.intact && running.generation == generation
                && running.loaderHash.equals(verified.loaderHash())) {
            return new DeployOutcome.Unchanged(running);
        }
        if (kernel.features.bpffs() instanceof Support.Unsupported(String reason)) {
            return new DeployOutcome.Failed(verified.loaderHash(), new Failure(
                    new FailureCause.Kernel(FailureReason.KernelUnsupported), "nothing can be pinned: " + reason,
                    Optional.empty()));
        }
        try {
            Map<String, AttachTarget> targets = request.programs().resolve(this::primaryInterface);
            requireSignedInterfaces(program, targets);
            return new DeployOutcome.Deployed(load(request, generation, verified, targets, running));
        } catch (VerificationException e) {
            return new DeployOutcome.Refused(Failure.of(e));
        } catch (BpfFailure e) {
            return new DeployOutcome.Failed(verified.loaderHash(), Failure.of(e));
        } catch (RuntimeException e) {
            LOG.warn("{}: deploying failed unexpectedly", request.name(), e);
            return new DeployOutcome.Failed(verified.loaderHash(),
                    Failure.unexpected(FailureCause.Unexpected.Stage.Deployment, e));
        }
    }

    /**
     * Decided first, as all that follows up to the first bpf() call is decided in user space (verification, the API's
     * rules, a bpffs to pin to): every pin path an entry of the resource's own directory under the pin root, each
     * name once.
     */
    private Optional<Failure> pinRefusal(DeployRequest request) {
        try {
            kernel.pins.requirePinnable(request.name(), request.programNames(), request.pinnedMaps());
            LoaderHashV1Loader.requireDistinctNames(request.maps(), request.programNames());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Failure.invalid(e.getMessage()));
        }
    }

    /**
     * The one verification step, nothing reaching the kernel before it: the signed pieces, the signed intent,
     * and each attach point against the signed metadata, against the node's trust bundle (as SpecVerifier);
     * a resource that verified before, unchanged, under the same bundle and before a certificate expired, is
     * not checked twice.
     */
    private VerifiedProgram verify(DeployRequest request) throws VerificationException {
        long started = System.nanoTime();
        try {
            return verifier.verify(request.signed().read());
        } finally {
            timer.since(DeployStep.Verification, started);
        }
    }

    /** The interface holding the default route in the agent's network namespace, read when a resource asks for it. */
    private String primaryInterface() throws BpfFailure {
        return kernel.bridge.defaultRouteInterface().orElseThrow(() -> new BpfFailure(FailureReason.AttachFailed,
                "the node has no primary interface: no default route in the agent's network namespace"));
    }

    /**
     * Every interface the resource attaches to, named in it or resolved on this node, is one its signed intent
     * admits: the intent check of verification, repeated for what only the node could know.
     */
    private static void requireSignedInterfaces(VerifiedProgram program, Map<String, AttachTarget> targets)
            throws VerificationException {
        if (!(program.binding() instanceof VerifiedProgram.Binding.Bound bound)) {
            return;
        }
        for (Map.Entry<String, AttachTarget> target : targets.entrySet()) {
            Optional<String> networkInterface = switch (target.getValue()) {
                case AttachTarget.Xdp xdp -> Optional.of(xdp.interfaceName());
                case AttachTarget.Tcx tcx -> Optional.of(tcx.interfaceName());
                default -> Optional.empty();
            };
            if (networkInterface.isPresent()) {
                IntentComparison.requireAdmitsResolved(bound.intent(), target.getKey(), "interface", networkInterface.get());
            }
        }
    }

    private HostedResource load(DeployRequest request, long generation, VerifiedBundle verified,
            Map<String, AttachTarget> targets, HostedResource running) throws BpfFailure {
        AppliedEnforcement enforcement = EnforcementPolicy.decide(request.enforcement(), kernel.features);
        Map<String, Integer> expectedAttachTypes = expectedAttachTypes(verified, targets);
        for (Map.Entry<String, AttachTarget> program : targets.entrySet()) {
            kernel.attacher.requireSupported(program.getKey(), expectedAttachTypes.get(program.getKey()), program.getValue());
        }
        OptionalInt keyringSerial = enforcement == AppliedEnforcement.Kernel
                ? OptionalInt.of(kernel.keyring().serial()) : OptionalInt.empty();
        long loading = System.nanoTime();
        LoadedObjects loaded = loader.load(verified, request.maps(), List.copyOf(targets.keySet()), enforcement,
                keyringSerial);
        timer.since(DeployStep.Load, loading);
        List<HostedProgram> attached = new ArrayList<>();
        Set<HostedProgram> takenOver = new HashSet<>();
        HostedResource candidate = null;
        HostedResource next = null;
        List<Path> pinned = new ArrayList<>();
        try {
            for (Map.Entry<String, AttachTarget> program : targets.entrySet()) {
                long attaching = System.nanoTime();
                attached.add(attach(request.name(), program.getKey(), expectedAttachTypes.get(program.getKey()),
                        program.getValue(), loaded.programs().get(program.getKey()), running, takenOver));
                timer.since(DeployStep.Attach, attaching);
            }
            Map<String, Integer> mapIds = new LinkedHashMap<>();
            for (Map.Entry<String, Fd> map : loaded.maps().entrySet()) {
                mapIds.put(map.getKey(), kernel.bridge.mapInfo(map.getValue(), false).id());
            }
            candidate = new HostedResource(request.name(), generation, verified.loaderHash(), enforcement,
                    attached, loaded.maps(), mapIds, request.pinnedMaps());
            long pinStarted = System.nanoTime();
            resourcePins.pinAll(candidate, pinned);
            timer.since(DeployStep.Pin, pinStarted);
            next = candidate;
        } catch (SyscallException e) {
            throw new BpfFailure(FailureReason.AttachFailed, e.getMessage(), e);
        } finally {
            if (next == null) {
                if (candidate != null) {
                    resourcePins.restore(candidate, running, pinned);
                }
                rollBack(attached, takenOver);
                loaded.close();
            }
        }
        if (running != null) {
            retire(running, next, takenOver);
        }
        return next;
    }

    /**
     * Each program's expected attach type, from the signed metadata: verification checked the resource lists
     * the loader's programs in its order, so the n-th target is the n-th load.
     */
    private static Map<String, Integer> expectedAttachTypes(VerifiedBundle verified, Map<String, AttachTarget> targets)
            throws BpfFailure {
        List<ProgramLoad> loads;
        try {
            loads = GenLoaderMetadata.programs(verified.bundle().loader(), verified.bundle().metadata());
        } catch (VerificationException e) {
            throw new BpfFailure(FailureReason.LoaderRejected, "the signed metadata's program loads cannot be read: "
                    + e.getMessage(), e);
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        int position = 0;
        for (String program : targets.keySet()) {
            expected.put(program, position < loads.size() ? loads.get(position).expectedAttachType() : 0);
            position++;
        }
        return expected;
    }

    private HostedProgram attach(String resource, String name, int expectedAttachType, AttachTarget target, Fd program,
            HostedResource running, Set<HostedProgram> takenOver) throws BpfFailure {
        ProgInfo info = kernel.bridge.progInfo(program);
        if (!info.name().equals(name)) {
            throw new BpfFailure(FailureReason.LoaderRejected, "the loader's program at position of '" + name
                    + "' is named '" + info.name() + "': the resource must list the skeleton's programs in its order");
        }
        Optional<HostedProgram> sameTarget = running == null || !Attacher.replacesInPlace(target)
                ? Optional.empty()
                : running.programs.stream().filter(old -> old.target.equals(target)).findFirst();
        Path pin = kernel.pins.linkPin(resource, name);
        if (sameTarget.isPresent()) {
            HostedProgram old = sameTarget.get();
            kernel.attacher.replaceProgram(name, old.link, program, target);
            takenOver.add(old);
            return new HostedProgram(name, program, info.type(), expectedAttachType, info.id(), info.tag(), target, pin,
                    old.link, old.linkId);
        }
        Fd link = kernel.attacher.attach(name, program, info.type(), expectedAttachType, target);
        try {
            return new HostedProgram(name, program, info.type(), expectedAttachType, info.id(), info.tag(), target, pin,
                    link, kernel.bridge.linkInfo(link).id());
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Hands each taken-over link back to the program it ran before; closes the links this attempt created. */
    private void rollBack(List<HostedProgram> attached, Set<HostedProgram> takenOver) {
        for (HostedProgram program : attached) {
            Optional<HostedProgram> previousOwner = takenOver.stream().filter(old -> old.link == program.link).findFirst();
            if (previousOwner.isPresent()) {
                try {
                    kernel.bridge.linkUpdate(program.link, previousOwner.get().program);
                } catch (SyscallException e) {
                    LOG.error("could not give link {} back to the previous generation: {}", program.linkId, e.getMessage());
                }
            } else {
                program.link.close();
            }
        }
    }

    /** The new generation is attached and pinned: unpin what it no longer has, release the old one. */
    private void retire(HostedResource old, HostedResource next, Set<HostedProgram> takenOver) {
        resourcePins.unpinDropped(old, next);
        for (HostedProgram program : old.programs) {
            if (!takenOver.contains(program)) {
                program.link.close();
            }
            program.program.close();
        }
        old.maps.values().forEach(Fd::close);
    }
}
