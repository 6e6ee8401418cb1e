package dev.sigil.agent.node;

import dev.sigil.bpf.attach.AttachTarget;
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
import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import dev.sigil.signing.intent.VerifiedProgram;
import dev.sigil.signing.intent.VerifiedProgramCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
    private final ProgramLinks links;
    private final Retargeter retargeter;
    private final StepTimer timer;

    Deployer(HostKernel kernel, VerifiedProgramCache verifier, ResourcePins resourcePins, ProgramLinks links) {
        this.kernel = kernel;
        this.timer = kernel.config.stepTimer();
        this.verifier = verifier;
        this.loader = new LoaderHashV1Loader(kernel.bridge);
        this.resourcePins = resourcePins;
        this.links = links;
        this.retargeter = new Retargeter(kernel, links);
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
        boolean sameGeneration = running != null && running.intact && running.generation == generation
                && running.loaderHash.equals(verified.loaderHash());
        if (!sameGeneration && kernel.features.bpffs() instanceof Support.Unsupported(String reason)) {
            return new DeployOutcome.Failed(verified.loaderHash(), new Failure(
                    new FailureCause.Kernel(FailureReason.KernelUnsupported), "nothing can be pinned: " + reason,
                    Optional.empty()));
        }
        try {
            HostNodeFacts node = new HostNodeFacts(kernel);
            Map<String, List<AttachTarget>> targets = request.programs().resolve(node);
            SignedTargets.requireSignedInterfaces(program, targets);
            if (!sameGeneration) {
                return new DeployOutcome.Deployed(load(request, generation, program, targets, running));
            }
            if (Retargeter.onTargets(running, targets)) {
                return new DeployOutcome.Unchanged(running);
            }
            return new DeployOutcome.Retargeted(running, retargeter.retarget(running, targets, node.interfaces()));
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

    private HostedResource load(DeployRequest request, long generation, VerifiedProgram verifiedProgram,
            Map<String, List<AttachTarget>> targets, HostedResource running) throws BpfFailure {
        VerifiedBundle verified = verifiedProgram.bundle();
        AppliedEnforcement enforcement = EnforcementPolicy.decide(request.enforcement(), kernel.features);
        Map<String, Integer> expectedAttachTypes = expectedAttachTypes(verifiedProgram.loads(), targets.keySet());
        for (Map.Entry<String, List<AttachTarget>> program : targets.entrySet()) {
            for (AttachTarget target : program.getValue()) {
                kernel.attacher.requireSupported(program.getKey(), expectedAttachTypes.get(program.getKey()), target);
            }
        }
        OptionalInt keyringSerial = enforcement == AppliedEnforcement.Kernel
                ? OptionalInt.of(kernel.keyring().serial()) : OptionalInt.empty();
        long loading = System.nanoTime();
        LoadedObjects loaded = loader.load(verified, request.maps(), List.copyOf(targets.keySet()), enforcement,
                keyringSerial);
        timer.since(DeployStep.Load, loading);
        List<HostedProgram> attached = new ArrayList<>();
        Map<HostedLink, HostedProgram> takenOver = new HashMap<>();
        List<HostedProgram> previous = running == null ? List.of() : running.programs;
        HostedResource candidate = null;
        HostedResource next = null;
        List<Path> pinned = new ArrayList<>();
        try {
            for (Map.Entry<String, List<AttachTarget>> program : targets.entrySet()) {
                long attaching = System.nanoTime();
                HostedProgram hosted = hosted(program.getKey(), expectedAttachTypes.get(program.getKey()),
                        loaded.programs().get(program.getKey()));
                attached.add(hosted);
                links.attachAll(request.name(), hosted, program.getValue(), previous, takenOver);
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
                links.rollBack(attached, takenOver);
                loaded.close();
            }
        }
        if (running != null) {
            resourcePins.unpinDropped(running, next);
            links.release(running, takenOver);
        }
        return next;
    }

    /**
     * Each program's expected attach type, from the signed metadata as verification read it: verification checked the
     * resource lists the loader's programs in its order, so the n-th target is the n-th load.
     */
    private static Map<String, Integer> expectedAttachTypes(List<ProgramLoad> loads, Collection<String> programs) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        int position = 0;
        for (String program : programs) {
            expected.put(program, position < loads.size() ? loads.get(position).expectedAttachType() : 0);
            position++;
        }
        return expected;
    }

    /** The loaded program, checked to be the one the resource names at its position. */
    private HostedProgram hosted(String name, int expectedAttachType, Fd program) throws BpfFailure {
        ProgInfo info = kernel.bridge.progInfo(program);
        if (!info.name().equals(name)) {
            throw new BpfFailure(FailureReason.LoaderRejected, "the loader's program at position of '" + name
                    + "' is named '" + info.name() + "': the resource must list the skeleton's programs in its order");
        }
        return new HostedProgram(name, program, info.type(), expectedAttachType, info.id(), info.tag());
    }
}
