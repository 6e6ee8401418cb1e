package dev.sigil.agent.node;

import dev.sigil.agent.attach.Attacher;
import dev.sigil.agent.failure.FailureReason;
import dev.sigil.agent.failure.NodeFailure;
import dev.sigil.agent.kernel.KernelFeatures;
import dev.sigil.agent.kernel.KernelProbe;
import dev.sigil.agent.loader.EnforcementPolicy;
import dev.sigil.agent.loader.LoadedObjects;
import dev.sigil.agent.loader.LoaderHashV1Loader;
import dev.sigil.agent.loader.SigilKeyring;
import dev.sigil.agent.pin.PinDirectory;
import dev.sigil.agent.pin.PinnedProgram;
import dev.sigil.agent.pin.PinnedResource;
import dev.sigil.agent.sys.Fd;
import dev.sigil.agent.sys.LinkInfo;
import dev.sigil.agent.sys.LinuxSyscallBridge;
import dev.sigil.agent.sys.MapInfo;
import dev.sigil.agent.sys.ObjectKind;
import dev.sigil.agent.sys.ProgInfo;
import dev.sigil.agent.sys.SyscallBridge;
import dev.sigil.agent.sys.SyscallException;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.bpfnodestate.status.KernelCapabilities;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.api.SpecVerifier;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.VerifiedBundle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@link ProgramHost} on the real kernel: verify with the host's trust bundle, load through
 * LoaderHashV1, attach as links, pin under {@code pinRoot/NAME/}. Methods are serialised; the host is
 * meant to be driven by one reconcile loop.
 */
public final class KernelProgramHost implements ProgramHost {
    private static final Logger LOG = LoggerFactory.getLogger(KernelProgramHost.class);
    /** How long unload waits for the kernel to drop the last reference to a program (RCU, deferred work). */
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration GONE_POLL = Duration.ofMillis(10);

    private final HostConfig config;
    private final SyscallBridge bridge;
    private final KernelFeatures kernel;
    private final SpecVerifier verifier;
    private final LoaderHashV1Loader loader;
    private final Attacher attacher;
    private final PinDirectory pins;
    private final NodeStates states;
    private final Map<String, HostedResource> hosted = new LinkedHashMap<>();
    private final Map<String, NodeProgramState> current = new LinkedHashMap<>();
    private SigilKeyring keyring;

    public KernelProgramHost(HostConfig config, SyscallBridge bridge, KernelFeatures kernel) {
        this.config = config;
        this.bridge = bridge;
        this.kernel = kernel;
        this.verifier = new SpecVerifier(config.trust(), config.clock());
        this.loader = new LoaderHashV1Loader(bridge);
        this.attacher = new Attacher(bridge, kernel);
        this.pins = new PinDirectory(bridge, config.pinRoot());
        this.states = new NodeStates(config.clock());
    }

    /** Probes this machine's kernel (mounting bpffs under the pin root if needed) and returns a host on it. */
    public static KernelProgramHost start(HostConfig config) {
        SyscallBridge bridge = LinuxSyscallBridge.create();
        return new KernelProgramHost(config, bridge, new KernelProbe(bridge, config.pinRoot()).run());
    }

    public KernelFeatures kernel() {
        return kernel;
    }

    @Override
    public KernelCapabilities capabilities() {
        return kernel.toCapabilities();
    }

    @Override
    public synchronized NodeProgramState apply(SignedBpfProgram resource) {
        String name = resource.getMetadata().getName();
        Long generation = resource.getMetadata().getGeneration();
        long generationValue = generation == null ? 0 : generation;
        SignedBpfProgramSpec spec = resource.getSpec();
        HostedResource running = hosted.get(name);
        NodeProgramState previous = current.get(name);
        try {
            pins.directory(name);
        } catch (IllegalArgumentException e) {
            // Checked first: every pin of a resource lives in its directory, so nothing could be kept for it.
            return remember(states.failed(name, generation, null, FailureReason.PinFailed.name(), e.getMessage(), null,
                    null, previous));
        }
        VerifiedBundle verified;
        try {
            // Signed pieces, signed intent, and each attach point against the signed metadata: before any bpf() call.
            verified = verifier.verify(spec).bundle();
        } catch (VerificationException e) {
            // A resource that no longer verifies (revoked signer, expired certificate) must stop running.
            String message = e.getMessage() + (running != null ? "; its running programs were unloaded" : "");
            if (running != null) {
                release(name);
            }
            return remember(states.failed(name, generation, null, e.reason().name(), message, null, null, previous));
        }
        if (running != null && running.generation == generationValue
                && running.loaderHash.equals(verified.loaderHash())
                && previous != null && previous.getPhase() == ProgramPhase.Attached) {
            return previous;
        }
        try {
            HostedResource next = load(name, generationValue, verified, spec, running);
            hosted.put(name, next);
            LOG.info("{} generation {} attached ({} enforcement)", name, generationValue, next.enforcement);
            return remember(states.attached(next, previous, null));
        } catch (NodeFailure e) {
            LOG.warn("{} generation {} failed: {} {}", name, generationValue, e.reason(), e.getMessage());
            return remember(states.failed(name, generation, verified.loaderHash(), e, running, previous));
        }
    }

    private HostedResource load(String name, long generation, VerifiedBundle verified, SignedBpfProgramSpec spec,
            HostedResource running) throws NodeFailure {
        AppliedEnforcement enforcement = EnforcementPolicy.decide(spec.getEnforcement(), kernel);
        for (ProgramSpec program : spec.getPrograms()) {
            attacher.requireSupported(program.getName(), program.getAttach());
        }
        OptionalInt keyringSerial = enforcement == AppliedEnforcement.Kernel
                ? OptionalInt.of(keyring().serial()) : OptionalInt.empty();
        List<String> mapNames = spec.getMaps().stream().map(MapSpec::getName).toList();
        List<String> programNames = spec.getPrograms().stream().map(ProgramSpec::getName).toList();
        LoadedObjects loaded = loader.load(verified, mapNames, programNames, enforcement, keyringSerial);
        List<HostedProgram> attached = new ArrayList<>();
        Set<HostedProgram> takenOver = new HashSet<>();
        List<String> pinnedMaps = spec.getMaps().stream().filter(MapSpec::isPin).map(MapSpec::getName).toList();
        HostedResource next = null;
        boolean pinning = false;
        List<Path> pinned = new ArrayList<>();
        try {
            for (ProgramSpec program : spec.getPrograms()) {
                attached.add(attach(name, program, loaded.programs().get(program.getName()), running, takenOver));
            }
            Map<String, Integer> mapIds = new LinkedHashMap<>();
            for (Map.Entry<String, Fd> map : loaded.maps().entrySet()) {
                mapIds.put(map.getKey(), bridge.mapInfo(map.getValue(), false).id());
            }
            HostedResource candidate = new HostedResource(name, generation, verified.loaderHash(), enforcement, attached,
                    loaded.maps(), mapIds, pinnedMaps);
            pinning = true;
            pinAll(candidate, pinned);
            next = candidate;
        } catch (SyscallException e) {
            throw new NodeFailure(FailureReason.AttachFailed, e.getMessage(), e);
        } finally {
            if (next == null) {
                if (pinning) {
                    restorePins(name, running, pinned);
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

    private HostedProgram attach(String resource, ProgramSpec spec, Fd program, HostedResource running,
            Set<HostedProgram> takenOver) throws NodeFailure {
        ProgInfo info = bridge.progInfo(program);
        String expected = spec.getName().length() > 15 ? spec.getName().substring(0, 15) : spec.getName();
        if (!info.name().equals(expected)) {
            throw new NodeFailure(FailureReason.LoaderRejected, "the loader's program at position of '" + spec.getName()
                    + "' is named '" + info.name() + "': the resource must list the skeleton's programs in its order");
        }
        Optional<HostedProgram> sameTarget = running == null || !Attacher.replacesInPlace(spec.getAttach())
                ? Optional.empty()
                : running.programs.stream()
                        .filter(old -> old.attach.describe().equals(spec.getAttach().describe())).findFirst();
        Path pin = pins.linkPin(resource, spec.getName());
        if (sameTarget.isPresent()) {
            HostedProgram old = sameTarget.get();
            attacher.replaceProgram(spec.getName(), old.link, program, spec.getAttach());
            takenOver.add(old);
            return new HostedProgram(spec.getName(), program, info.type(), info.id(), info.tag(), spec.getAttach(), pin,
                    old.link, old.linkId);
        }
        Fd link = attacher.attach(spec.getName(), program, info.type(), spec.getAttach());
        try {
            return new HostedProgram(spec.getName(), program, info.type(), info.id(), info.tag(), spec.getAttach(), pin,
                    link, bridge.linkInfo(link).id());
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Pins the resource's links, the maps it asks to pin, and its record; {@code pinned} collects each pin made. */
    private void pinAll(HostedResource resource, List<Path> pinned) throws NodeFailure {
        boolean newDirectory = pins.createDirectory(resource.name);
        for (HostedProgram program : resource.programs) {
            pins.pin(program.link, program.pin);
            pinned.add(program.pin);
        }
        for (String map : resource.pinnedMaps) {
            Fd fd = resource.maps.get(map);
            if (fd == null) {
                throw new NodeFailure(FailureReason.PinFailed, "map " + map + " is to be pinned but the loader created no such map");
            }
            Path pin = pins.mapPin(resource.name, map);
            pins.pin(fd, pin);
            pinned.add(pin);
        }
        pins.writeRecord(resource.record(), newDirectory);
    }

    /**
     * A load that failed while pinning may have replaced some of the resource's pins ({@code pinnedByFailure}).
     * With a generation still running, its links, maps and record are pinned again over them and pins only
     * the failed generation had are removed; with none, the resource directory goes. Either way no pin of
     * the failed load keeps its programs attached.
     */
    private void restorePins(String name, HostedResource running, List<Path> pinnedByFailure) {
        try {
            if (running == null) {
                pins.remove(name);
                return;
            }
            List<Path> restored = new ArrayList<>();
            pinAll(running, restored);
            for (Path pin : pinnedByFailure) {
                if (!restored.contains(pin)) {
                    pins.unpin(pin);
                }
            }
        } catch (NodeFailure | IOException e) {
            LOG.error("{}: could not restore the pins after a failed load: {}", name, e.getMessage());
        }
    }

    /** The new generation is attached and pinned: unpin what it no longer has, release the old one. */
    private void retire(HostedResource old, HostedResource next, Set<HostedProgram> takenOver) {
        Set<String> nextPrograms = new HashSet<>();
        next.programs.forEach(program -> nextPrograms.add(program.name));
        for (HostedProgram program : old.programs) {
            if (!nextPrograms.contains(program.name)) {
                unpinQuietly(program.pin);
            }
            if (!takenOver.contains(program)) {
                program.link.close();
            }
            program.program.close();
        }
        for (String map : old.pinnedMaps) {
            if (!next.pinnedMaps.contains(map)) {
                unpinQuietly(pins.mapPin(old.name, map));
            }
        }
        old.maps.values().forEach(Fd::close);
    }

    private void rollBack(List<HostedProgram> attached, Set<HostedProgram> takenOver) {
        for (HostedProgram program : attached) {
            Optional<HostedProgram> previousOwner = takenOver.stream().filter(old -> old.link == program.link).findFirst();
            if (previousOwner.isPresent()) {
                try {
                    bridge.linkUpdate(program.link, previousOwner.get().program);
                } catch (SyscallException e) {
                    LOG.error("could not give link {} back to the previous generation: {}", program.linkId, e.getMessage());
                }
            } else {
                program.link.close();
            }
        }
    }

    @Override
    public synchronized NodeProgramState unload(String resourceName) {
        NodeProgramState previous = current.remove(resourceName);
        Path directory;
        try {
            directory = pins.directory(resourceName);
        } catch (IllegalArgumentException e) {
            return states.unloading(previous, resourceName, "nothing to unload: " + e.getMessage());
        }
        if (!hosted.containsKey(resourceName) && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return states.unloading(previous, resourceName, "nothing to unload: " + resourceName
                    + " is neither held by this agent nor pinned under " + pins.root());
        }
        return states.unloading(previous, resourceName, release(resourceName));
    }

    /** Closes and unpins everything of the resource, then waits until the kernel has freed its programs. */
    private String release(String name) {
        HostedResource resource = hosted.remove(name);
        List<Integer> programIds = new ArrayList<>();
        if (resource != null) {
            resource.programs.forEach(program -> programIds.add(program.programId));
        }
        try {
            if (resource == null) {
                pins.readRecord(name).ifPresent(record -> record.programs().forEach(p -> programIds.add(p.programId())));
            }
            pins.remove(name);
        } catch (IOException | RuntimeException e) {
            LOG.warn("removing the pins of {} failed: {}", name, e.getMessage());
        }
        if (resource != null) {
            resource.close();
        }
        List<Integer> remaining = waitUntilGone(programIds);
        return remaining.isEmpty()
                ? "unloaded; programs " + programIds + " are gone from the kernel"
                : "unpinned and closed, but program ids " + remaining + " are still loaded (held by another process)";
    }

    private List<Integer> waitUntilGone(List<Integer> programIds) {
        long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
        List<Integer> remaining = new ArrayList<>(programIds);
        while (true) {
            remaining.removeIf(id -> {
                Optional<Fd> fd = bridge.fdById(ObjectKind.PROGRAM, id);
                fd.ifPresent(Fd::close);
                return fd.isEmpty();
            });
            if (remaining.isEmpty() || System.nanoTime() > deadline) {
                return remaining;
            }
            try {
                Thread.sleep(GONE_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return remaining;
            }
        }
    }

    @Override
    public synchronized List<NodeProgramState> adoptPinned() {
        List<NodeProgramState> adopted = new ArrayList<>();
        List<String> names;
        try {
            names = pins.resources();
        } catch (IOException e) {
            LOG.warn("cannot list pins under {}: {}", pins.root(), e.getMessage());
            return adopted;
        }
        for (String name : names) {
            if (hosted.containsKey(name)) {
                continue;
            }
            NodeProgramState previous = current.get(name);
            try {
                HostedResource resource = adopt(name);
                hosted.put(name, resource);
                adopted.add(remember(states.attached(resource, previous, "re-adopted from pins")));
                LOG.info("re-adopted {} generation {} from {}", name, resource.generation, pins.directory(name));
            } catch (NodeFailure e) {
                adopted.add(remember(states.failed(name, null, null, e, null, previous)));
            }
        }
        return adopted;
    }

    /** Opens the pins of one resource and checks they still hold the programs its record names. Detaches nothing. */
    private HostedResource adopt(String name) throws NodeFailure {
        PinnedResource record;
        try {
            record = pins.readRecord(name).orElseThrow(() -> new IOException("no pin record"));
        } catch (IOException | RuntimeException e) {
            throw new NodeFailure(FailureReason.PinFailed, "pins of " + name + " cannot be adopted: " + e.getMessage(), e);
        }
        List<Fd> held = new ArrayList<>();
        boolean adopted = false;
        try {
            List<HostedProgram> programs = new ArrayList<>();
            Set<Integer> usedMaps = new HashSet<>();
            for (PinnedProgram pinned : record.programs()) {
                Path pin = pins.linkPin(name, pinned.name());
                Fd link = hold(held, pins.open(pin));
                LinkInfo linkInfo = bridge.linkInfo(link);
                if (linkInfo.progId() != pinned.programId()) {
                    throw new NodeFailure(FailureReason.PinFailed, "link pin " + pin + " runs program id "
                            + linkInfo.progId() + ", but the record says " + pinned.programId());
                }
                Fd program = hold(held, bridge.fdById(ObjectKind.PROGRAM, pinned.programId()).orElseThrow(() ->
                        new NodeFailure(FailureReason.PinFailed, "program id " + pinned.programId() + " is gone")));
                ProgInfo info = bridge.progInfo(program);
                if (!info.tag().equals(pinned.tag())) {
                    throw new NodeFailure(FailureReason.PinFailed, "program " + pinned.name() + " (id " + info.id()
                            + ") has tag " + info.tag() + ", but the record says " + pinned.tag());
                }
                programs.add(new HostedProgram(pinned.name(), program, info.type(), info.id(), info.tag(),
                        pinned.attach(), pin, link, linkInfo.id()));
                usedMaps.addAll(info.mapIds());
            }
            Map<String, Fd> maps = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> map : record.mapIds().entrySet()) {
                Optional<Fd> fd = usedMaps.contains(map.getValue())
                        ? bridge.fdById(ObjectKind.MAP, map.getValue()) : Optional.empty();
                maps.put(map.getKey(), hold(held, fd.orElseThrow(() -> new NodeFailure(FailureReason.PinFailed,
                        "map " + map.getKey() + " (id " + map.getValue() + ") is not used by the pinned programs any more"))));
            }
            HostedResource resource = new HostedResource(name, record.generation(), record.loaderHash(),
                    record.enforcement(), programs, maps, record.mapIds(), record.pinnedMaps());
            adopted = true;
            return resource;
        } catch (SyscallException e) {
            throw new NodeFailure(FailureReason.PinFailed, "pins of " + name + " cannot be adopted: " + e.getMessage(), e);
        } finally {
            if (!adopted) {
                held.forEach(Fd::close);
            }
        }
    }

    private static Fd hold(List<Fd> held, Fd fd) {
        held.add(fd);
        return fd;
    }

    @Override
    public synchronized List<NodeProgramState> repairDrift() {
        List<NodeProgramState> changed = new ArrayList<>();
        for (HostedResource resource : hosted.values()) {
            NodeProgramState previous = current.get(resource.name);
            List<String> repairs = new ArrayList<>();
            try {
                for (HostedProgram program : resource.programs) {
                    if (bridge.linkInfo(program.link).detached()) {
                        reattach(program);
                        repairs.add("re-attached " + program.name + " (its link had been detached)");
                    } else if (!Files.exists(program.pin)) {
                        pins.pin(program.link, program.pin);
                        repairs.add("re-pinned " + program.name + " at " + program.pin);
                    }
                }
                if (!pins.complete(resource.record())) {
                    pinAll(resource, new ArrayList<>());
                    repairs.add("restored the pin directory " + pins.directory(resource.name));
                }
                if (!repairs.isEmpty()) {
                    String message = "drift repaired: " + String.join("; ", repairs);
                    LOG.warn("{}: {}", resource.name, message);
                    changed.add(remember(states.attached(resource, previous, message)));
                }
            } catch (NodeFailure e) {
                changed.add(remember(states.failed(resource.name, resource.generation, resource.loaderHash, e, resource,
                        previous)));
            } catch (SyscallException e) {
                NodeFailure failure = new NodeFailure(FailureReason.AttachFailed, "drift repair failed: " + e.getMessage(), e);
                changed.add(remember(states.failed(resource.name, resource.generation, resource.loaderHash, failure,
                        resource, previous)));
            }
        }
        return changed;
    }

    /** A fresh link replaces the detached one; pinned over it before the old one is closed. */
    private void reattach(HostedProgram program) throws NodeFailure {
        Fd link = attacher.attach(program.name, program.program, program.programType, program.attach);
        int linkId;
        try {
            pins.pin(link, program.pin);
            linkId = bridge.linkInfo(link).id();
        } catch (NodeFailure | RuntimeException e) {
            link.close();
            throw e;
        }
        program.link.close();
        program.link = link;
        program.linkId = linkId;
    }

    @Override
    public synchronized List<NodeProgramState> states() {
        return List.copyOf(current.values());
    }

    @Override
    public synchronized Optional<Long> readMapValue(String resourceName, String mapName, int key) {
        HostedResource resource = hosted.get(resourceName);
        Fd map = resource == null ? null : resource.maps.get(mapName);
        if (map == null) {
            return Optional.empty();
        }
        MapInfo info = bridge.mapInfo(map, false);
        if (info.valueSize() < Long.BYTES) {
            throw new IllegalArgumentException("map " + mapName + " of " + resourceName + " has " + info.valueSize()
                    + "-byte values, too small for a u64");
        }
        byte[] keyBytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(key).array();
        return bridge.mapLookup(map, keyBytes, info.valueSize())
                .map(value -> ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong());
    }

    @Override
    public synchronized void close() {
        hosted.values().forEach(HostedResource::close);
        hosted.clear();
        if (keyring != null) {
            keyring.close();
        }
    }

    private SigilKeyring keyring() throws NodeFailure {
        if (keyring == null) {
            try {
                keyring = SigilKeyring.create(bridge, config.trust());
            } catch (RuntimeException e) {
                throw new NodeFailure(FailureReason.EnforcementUnavailable,
                        "Kernel enforcement needs the Sigil keyring, which could not be created: " + e.getMessage(), e);
            }
        }
        return keyring;
    }

    private NodeProgramState remember(NodeProgramState state) {
        current.put(state.getName(), state);
        return state;
    }

    private void unpinQuietly(Path pin) {
        try {
            pins.unpin(pin);
        } catch (IOException e) {
            LOG.warn("could not unpin {}: {}", pin, e.getMessage());
        }
    }
}
