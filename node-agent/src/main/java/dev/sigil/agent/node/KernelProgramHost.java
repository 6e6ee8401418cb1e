package dev.sigil.agent.node;

import dev.sigil.bpf.kernel.BpffsMount;
import dev.sigil.bpf.kernel.KernelFeatures;
import dev.sigil.bpf.kernel.KernelProbe;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.MapInfo;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.signing.intent.VerifiedProgramCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProgramHost} on the real kernel: verify with the host's trust bundle, load through LoaderHashV1,
 * attach as links, pin under {@code pinRoot/NAME/}. Each operation is one unit ({@link Deployer},
 * {@link Adopter}, {@link DriftRepairer}, {@link Unloader}) returning an outcome; this class keeps the
 * node's state ({@link HostState}) and turns outcomes into reports. Methods are serialised; the host is
 * meant to be driven by one reconcile loop.
 */
public final class KernelProgramHost implements ProgramHost {
    private static final Logger LOG = LoggerFactory.getLogger(KernelProgramHost.class);

    private final HostKernel kernel;
    private final Deployer deployer;
    private final Adopter adopter;
    private final DriftRepairer repairer;
    private final Unloader unloader;
    private final ResourceReports reports;
    private final HostState state = new HostState();

    public KernelProgramHost(HostConfig config, SyscallBridge bridge, KernelFeatures features) {
        this.kernel = new HostKernel(config, bridge, features);
        ResourcePins resourcePins = new ResourcePins(kernel.pins);
        ProgramLinks links = new ProgramLinks(kernel);
        this.deployer = new Deployer(kernel, new VerifiedProgramCache(config.trust(), config.clock()), resourcePins,
                links);
        this.adopter = new Adopter(kernel);
        this.repairer = new DriftRepairer(kernel, resourcePins, new Retargeter(kernel, links));
        this.unloader = new Unloader(kernel);
        this.reports = new ResourceReports(config.clock());
    }

    /**
     * A host on this machine's kernel, whose capabilities are probed as they are needed: bpffs at once
     * (mounting one under the pin root if there is none and {@code mount} allows it), since adopting and pinning
     * work there.
     */
    public static KernelProgramHost start(HostConfig config, BpffsMount mount) {
        SyscallBridge bridge = LinuxSyscallBridge.create();
        KernelFeatures features = new KernelProbe(bridge, config.pinRoot(), mount).features();
        features.bpffs();
        return new KernelProgramHost(config, bridge, features);
    }

    @Override
    public KernelFeatures capabilities() {
        return kernel.features;
    }

    @Override
    public synchronized ResourceReport apply(DeployRequest request) {
        try {
            return report(request, deployer.deploy(request, state.hosted(request.name()).orElse(null)));
        } catch (RuntimeException e) {
            // The deployer turns its own failures into outcomes; this is what reporting one could still throw.
            LOG.warn("{}: applying failed unexpectedly", request.name(), e);
            return state.record(reports.failed(request.name(), request.generation(), null,
                    Failure.unexpected(FailureCause.Unexpected.Stage.Deployment, e), state.hosted(request.name()).orElse(null),
                    state.report(request.name()).orElse(null)));
        }
    }

    private ResourceReport report(DeployRequest request, DeployOutcome outcome) {
        String name = request.name();
        Optional<HostedResource> running = state.hosted(name);
        ResourceReport previous = state.report(name).orElse(null);
        return switch (outcome) {
            case DeployOutcome.Deployed(HostedResource next) -> {
                state.hold(next);
                LOG.info("{} generation {} attached ({} enforcement)", name, next.generation, next.enforcement);
                yield state.record(reports.attached(next, null, previous));
            }
            case DeployOutcome.Retargeted(HostedResource kept, List<String> changes) -> {
                String message = "targets changed: " + String.join("; ", changes);
                LOG.info("{} generation {}: {}", name, kept.generation, message);
                yield state.record(reports.attached(kept, message, previous));
            }
            case DeployOutcome.Unchanged(HostedResource kept) ->
                    state.report(name).orElseGet(() -> state.record(reports.attached(kept, null, null)));
            case DeployOutcome.Refused(Failure failure) -> {
                // A resource that no longer verifies (revoked signer, expired certificate) must stop running.
                Failure reported = failure;
                if (failure.cause().stopsWhatRuns() && running.isPresent()) {
                    unloader.unload(name, state.letGo(name));
                    reported = failure.withMessage(failure.message() + "; its running programs were unloaded");
                }
                yield state.record(reports.failed(name, request.generation(), null, reported, null, previous));
            }
            case DeployOutcome.Failed(String loaderHash, Failure failure) -> {
                LOG.warn("{} generation {} failed: {} {}", name, request.generation().orElse(0), failure.cause(),
                        failure.message());
                yield state.record(reports.failed(name, request.generation(), loaderHash, failure, running.orElse(null),
                        previous));
            }
        };
    }

    @Override
    public synchronized ResourceReport reportFailure(String resourceName, OptionalLong generation, FailureCause cause,
            String message) {
        HostedResource running = state.hosted(resourceName).orElse(null);
        ResourceReport previous = state.report(resourceName).orElse(null);
        return state.record(reports.failed(resourceName, generation, null, new Failure(cause, message, Optional.empty()),
                running, previous));
    }

    @Override
    public synchronized ResourceReport unload(String resourceName) {
        ResourceReport previous = state.forget(resourceName).orElse(null);
        Path directory;
        try {
            directory = kernel.pins.directory(resourceName);
        } catch (IllegalArgumentException e) {
            return reports.unloaded(resourceName, previous, "nothing to unload: " + e.getMessage());
        }
        if (!state.holds(resourceName) && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return reports.unloaded(resourceName, previous, "nothing to unload: " + resourceName
                    + " is neither held by this agent nor pinned under " + kernel.pins.root());
        }
        return reports.unloaded(resourceName, previous, unloader.unload(resourceName, state.letGo(resourceName)));
    }

    @Override
    public synchronized List<ResourceReport> adoptPinned() {
        List<ResourceReport> adopted = new ArrayList<>();
        if (!kernel.features.bpffs().isSupported()) {
            return adopted; // nothing is pinned where there is no bpffs
        }
        List<String> names;
        try {
            names = adopter.pinned();
        } catch (IOException e) {
            LOG.warn("cannot list pins under {}: {}", kernel.pins.root(), e.getMessage());
            return adopted;
        }
        for (String name : names) {
            if (state.holds(name)) {
                continue;
            }
            ResourceReport previous = state.report(name).orElse(null);
            switch (adopter.adopt(name)) {
                case AdoptOutcome.Adopted(HostedResource resource) -> {
                    state.hold(resource);
                    adopted.add(state.record(reports.attached(resource, "re-adopted from pins", previous)));
                    LOG.info("re-adopted {} generation {} from {}", name, resource.generation, kernel.pins.directory(name));
                }
                case AdoptOutcome.NotAdopted(Failure failure) -> adopted.add(state.record(
                        reports.failed(name, OptionalLong.empty(), null, failure, null, previous)));
            }
        }
        return adopted;
    }

    @Override
    public synchronized List<ResourceReport> repairDrift() {
        List<ResourceReport> changed = new ArrayList<>();
        for (HostedResource resource : state.hostedResources()) {
            ResourceReport previous = state.report(resource.name).orElse(null);
            switch (repairer.repair(resource)) {
                case RepairOutcome.Intact() -> {
                }
                case RepairOutcome.Repaired(List<String> repairs) -> {
                    String message = "drift repaired: " + String.join("; ", repairs);
                    LOG.warn("{}: {}", resource.name, message);
                    resource.intact = true;
                    changed.add(state.record(reports.attached(resource, message, previous)));
                }
                case RepairOutcome.RepairFailed(Failure failure) -> {
                    resource.intact = false;
                    changed.add(state.record(reports.failed(resource.name, OptionalLong.of(resource.generation),
                            resource.loaderHash, failure, resource, previous)));
                }
            }
        }
        return changed;
    }

    @Override
    public synchronized boolean nodeFactsChanged() {
        // The first look may be a pattern's resolution: an interface that comes after it is a change.
        List<String> now = kernel.bridge.networkInterfaces();
        boolean changed = kernel.interfacesSeen != null && !kernel.interfacesSeen.equals(now);
        kernel.interfacesSeen = now;
        return changed;
    }

    @Override
    public synchronized List<ResourceReport> states() {
        return state.reports();
    }

    @Override
    public synchronized Optional<Long> readMapValue(String resourceName, String mapName, int key) {
        Fd map = state.hosted(resourceName).map(resource -> resource.maps.get(mapName)).orElse(null);
        if (map == null) {
            return Optional.empty();
        }
        MapInfo info = kernel.bridge.mapInfo(map, false);
        if (info.valueSize() < Long.BYTES) {
            throw new IllegalArgumentException("map " + mapName + " of " + resourceName + " has " + info.valueSize()
                    + "-byte values, too small for a u64");
        }
        byte[] keyBytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(key).array();
        return kernel.bridge.mapLookup(map, keyBytes, info.valueSize())
                .map(value -> ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong());
    }

    @Override
    public synchronized void close() {
        state.closeAll();
        kernel.close();
    }
}
