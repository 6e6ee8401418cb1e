package dev.sigil.agent.translate;

import dev.sigil.agent.node.DeployRequest;
import dev.sigil.agent.pods.NodePodView;
import dev.sigil.agent.node.DeployRequest.NodeFacts;
import dev.sigil.api.SignedSpecs;
import dev.sigil.api.resource.ResourceContent;
import dev.sigil.api.resource.ResourceRules;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.attach.UserFunction;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.failure.FailureReason;
import dev.sigil.bpf.loader.Enforcement;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.ClassicTracepoint;
import dev.sigil.crds.signedbpfprogram.spec.KernelFunction;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.NetworkInterfaceTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SkLookup;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.Tracepoint;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.Glob;
import dev.sigil.signing.intent.SignedProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * From the API to the agent and the kernel library: a SignedBpfProgram as a {@link DeployRequest}, its
 * attach specs and requested enforcement as the library's own types. The one place (with
 * {@link StatusTranslation}) where both vocabularies meet.
 */
public final class SpecTranslation {
    /** Process-wide: what it remembers depends on a resource's content alone, not on the host or the trust bundle. */
    private static final CheckedContents CHECKED = new CheckedContents();

    private SpecTranslation() {
    }

    /**
     * The request to deploy the resource on this node. Never fails for what the resource says: the first of the API's
     * rules ({@link ResourceRules}: the schema's, which the API server applies too unless its CRD is older) the
     * resource breaks goes with it, and the deploy refuses it for that; its signed pieces are read (by the one reading
     * of a spec for verification, {@link SignedSpecs}) with it, a failure to read them raised when the deploy reads
     * them; attach specs are translated when the deploy reaches them. A content checked and read before
     * ({@link CheckedContents}) is not checked or read again: the request carries what that gave, the very same read.
     *
     * @throws IllegalArgumentException for a resource without {@code metadata.name}, which the API server never has
     */
    public static DeployRequest deployRequest(SignedBpfProgram resource) {
        return deployRequest(resource, Optional.empty());
    }

    /** As {@link #deployRequest(SignedBpfProgram)}, with pod targets resolved among the pods {@code pods} sees. */
    public static DeployRequest deployRequest(SignedBpfProgram resource, NodePodView pods) {
        return deployRequest(resource, Optional.of(pods));
    }

    private static DeployRequest deployRequest(SignedBpfProgram resource, Optional<NodePodView> pods) {
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        if (name == null) {
            throw new IllegalArgumentException("a SignedBpfProgram without metadata.name cannot be deployed");
        }
        Long generation = resource.getMetadata().getGeneration();
        SignedBpfProgramSpec spec = resource.getSpec() == null ? new SignedBpfProgramSpec() : resource.getSpec();
        List<ProgramSpec> programs = listOf(spec.getPrograms());
        List<MapSpec> maps = listOf(spec.getMaps());
        Optional<ResourceContent> content = ResourceContent.of(resource);
        Optional<CheckedContents.Checked> checked = content.flatMap(CHECKED::get);
        Optional<String> violation;
        DeployRequest.SignedSource signed;
        if (checked.isPresent()) {
            violation = checked.get().violation();
            SignedProgram read = checked.get().read();
            signed = () -> read;
        } else {
            violation = ResourceRules.firstViolation(resource);
            signed = read(resource.getSpec(), violation, content);
        }
        return new DeployRequest(name,
                generation == null ? OptionalLong.empty() : OptionalLong.of(generation),
                signed,
                enforcement(spec.getEnforcement()),
                programs.stream().map(program -> Objects.requireNonNullElse(program.getName(), "")).toList(),
                node -> attachTargets(programs, pods.isPresent() ? PodTargets.seeing(node, pods.get()) : node),
                maps.stream().map(map -> Objects.requireNonNullElse(map.getName(), "")).toList(),
                maps.stream().filter(MapSpec::isPin).map(map -> Objects.requireNonNullElse(map.getName(), "")).toList(),
                violation);
    }

    /**
     * Reads the signed pieces now, with the content they are of: read later, a resource changed in between would be
     * remembered under the content it had before. A read that fails is given to the deploy as it failed (then, or
     * unexpectedly) and not remembered: what cannot be read is read again on each apply.
     */
    private static DeployRequest.SignedSource read(SignedBpfProgramSpec spec, Optional<String> violation,
            Optional<ResourceContent> content) {
        SignedProgram read;
        try {
            read = SignedSpecs.read(spec);
        } catch (VerificationException e) {
            return () -> {
                throw e;
            };
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
        content.ifPresent(checked -> CHECKED.put(checked, new CheckedContents.Checked(violation, read)));
        return () -> read;
    }

    /**
     * Whether the resource leaves any program's targets to the node (its primary interface, an interface pattern), so
     * that they are to be resolved again when the node's interfaces change.
     */
    public static boolean resolvesOnNode(SignedBpfProgram resource) {
        return resource.getSpec() != null && listOf(resource.getSpec().getPrograms()).stream()
                .map(ProgramSpec::getAttach).filter(Objects::nonNull)
                .flatMap(attach -> java.util.stream.Stream.of(attach.getXdp(), attach.getTcx()))
                .filter(Objects::nonNull)
                .anyMatch(member -> member.onPrimaryInterface() || member.getInterfacePattern() != null);
    }

    /** An absent list is an empty one (the rules say whether the resource may leave it out); null entries are skipped. */
    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    }

    /** Each program's targets, in the resource's (the skeleton's) order. */
    static Map<String, List<AttachTarget>> attachTargets(List<ProgramSpec> programs, NodeFacts node) throws BpfFailure {
        Map<String, List<AttachTarget>> targets = new LinkedHashMap<>();
        for (ProgramSpec program : programs) {
            targets.put(program.getName(), attachTargets(program.getName(), program.getAttach(), node));
        }
        return targets;
    }

    /**
     * The library's targets for one program's attach spec, with what it leaves to the node resolved there: one, except
     * for an interface pattern, which gives one per interface of the node it matches (none, if none does); a spec
     * without its member is refused, naming it.
     */
    public static List<AttachTarget> attachTargets(String program, AttachSpec spec, NodeFacts node) throws BpfFailure {
        if (spec == null || spec.getType() == null) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + " has no attach type");
        }
        try {
            if (PodTargets.of(spec).isPresent()) {
                return PodTargets.cgroups(program, spec.getCgroup(), cgroupHook(program, spec.getCgroup().getAttachType()), node);
            }
            String pattern = interfacePattern(spec);
            if (pattern == null) {
                return List.of(target(program, spec, member -> networkInterface(program, spec, member, node)));
            }
            Glob glob = Glob.parse(pattern);
            List<AttachTarget> targets = new ArrayList<>();
            for (String networkInterface : node.interfaces()) {
                if (glob.matches(networkInterface)) {
                    targets.add(target(program, spec, member -> networkInterface));
                }
            }
            return targets;
        } catch (IllegalArgumentException e) {
            // The schema keeps such values out; the library refuses them again, and here is where that is said.
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + ": " + e.getMessage(), e);
        }
    }

    /** Which interface an XDP or tcx member means, on this node. */
    @FunctionalInterface
    private interface InterfaceChoice {
        String of(NetworkInterfaceTarget member) throws BpfFailure;
    }

    /** The pattern of an XDP or tcx spec that gives one; null otherwise. */
    private static String interfacePattern(AttachSpec spec) {
        NetworkInterfaceTarget member = switch (spec.getType()) {
            case Xdp -> spec.getXdp();
            case Tcx -> spec.getTcx();
            default -> null;
        };
        return member == null ? null : member.getInterfacePattern();
    }

    private static AttachTarget target(String program, AttachSpec spec, InterfaceChoice networkInterface)
            throws BpfFailure {
        return switch (spec.getType()) {
            case RawTracepoint -> new AttachTarget.RawTracepoint(
                    member(program, spec, spec.getRawTracepoint(), Tracepoint::getName));
            case TpBtf -> new AttachTarget.TpBtf(member(program, spec, spec.getTpBtf(), Tracepoint::getName));
            case Xdp -> new AttachTarget.Xdp(networkInterface.of(spec.getXdp()),
                    spec.getXdp().getMode() == XdpMode.Driver
                            ? AttachTarget.Xdp.Mode.Driver : AttachTarget.Xdp.Mode.Generic);
            case Tcx -> new AttachTarget.Tcx(networkInterface.of(spec.getTcx()),
                    direction(program, spec.getTcx().getDirection()));
            case Cgroup -> new AttachTarget.Cgroup(Path.of(member(program, spec, spec.getCgroup(), Cgroup::getPath)),
                    cgroupHook(program, spec.getCgroup().getAttachType()));
            case Fentry -> new AttachTarget.Fentry(member(program, spec, spec.getFentry(), KernelFunction::getFunction));
            case Fexit -> new AttachTarget.Fexit(member(program, spec, spec.getFexit(), KernelFunction::getFunction));
            case Lsm -> new AttachTarget.Lsm(member(program, spec, spec.getLsm(), KernelFunction::getFunction));
            case Kprobe -> new AttachTarget.Kprobe(member(program, spec, spec.getKprobe(), KernelFunction::getFunction));
            case Tracepoint -> new AttachTarget.Tracepoint(
                    member(program, spec, spec.getTracepoint(), ClassicTracepoint::getCategory),
                    member(program, spec, spec.getTracepoint(), ClassicTracepoint::getName));
            case Uprobe -> new AttachTarget.Uprobe(userFunction(program, spec, spec.getUprobe()));
            case Uretprobe -> new AttachTarget.Uretprobe(userFunction(program, spec, spec.getUretprobe()));
            case SkLookup -> new AttachTarget.SkLookup(Path.of(
                    member(program, spec, spec.getSkLookup(), SkLookup::getNetns)));
        };
    }

    private static UserFunction userFunction(String program, AttachSpec spec, dev.sigil.crds.signedbpfprogram.spec.UserFunction function)
            throws BpfFailure {
        return new UserFunction(Path.of(member(program, spec, function, dev.sigil.crds.signedbpfprogram.spec.UserFunction::getBinary)),
                member(program, spec, function, dev.sigil.crds.signedbpfprogram.spec.UserFunction::getSymbol),
                function.getOffset() == null ? 0 : function.getOffset(),
                function.getPid() == null ? OptionalInt.empty() : OptionalInt.of(function.getPid()));
    }

    /** The API's default (Auto) where the resource leaves it out. */
    public static Enforcement enforcement(dev.sigil.crds.signedbpfprogram.spec.Enforcement requested) {
        if (requested == null) {
            return Enforcement.Auto;
        }
        return switch (requested) {
            case Auto -> Enforcement.Auto;
            case Kernel -> Enforcement.Kernel;
            case Agent -> Enforcement.Agent;
        };
    }

    /** The interface the spec names, or the node's primary interface where it leaves that to the node. */
    private static String networkInterface(String program, AttachSpec spec, NetworkInterfaceTarget target,
            NodeFacts node) throws BpfFailure {
        return target != null && target.onPrimaryInterface()
                ? node.primaryInterface() : member(program, spec, target, NetworkInterfaceTarget::getInterfaceName);
    }

    /** The named field of the spec's member for its type, or a failure naming what is missing. */
    private static <M> String member(String program, AttachSpec spec, M member, Function<M, String> field)
            throws BpfFailure {
        String value = member == null ? null : field.apply(member);
        if (value == null || value.isEmpty()) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + ": attach type " + spec.getType()
                    + " needs its target (" + spec.describe() + ")");
        }
        return value;
    }

    private static AttachTarget.Tcx.Direction direction(String program, TcxDirection direction)
            throws BpfFailure {
        if (direction == null) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + ": tcx needs a direction");
        }
        return switch (direction) {
            case Ingress -> AttachTarget.Tcx.Direction.Ingress;
            case Egress -> AttachTarget.Tcx.Direction.Egress;
        };
    }

    private static CgroupAttach cgroupHook(String program, CgroupAttachType type) throws BpfFailure {
        if (type == null) {
            throw new BpfFailure(FailureReason.AttachFailed, "program " + program + ": cgroup needs an attach type");
        }
        return switch (type) {
            case InetIngress -> CgroupAttach.InetIngress;
            case InetEgress -> CgroupAttach.InetEgress;
            case InetSockCreate -> CgroupAttach.InetSockCreate;
            case SockOps -> CgroupAttach.SockOps;
            case Device -> CgroupAttach.Device;
            case Sysctl -> CgroupAttach.Sysctl;
            case Inet4Connect -> CgroupAttach.Inet4Connect;
            case Inet6Connect -> CgroupAttach.Inet6Connect;
            case Inet4Bind -> CgroupAttach.Inet4Bind;
            case Inet6Bind -> CgroupAttach.Inet6Bind;
            case GetSockopt -> CgroupAttach.GetSockopt;
            case SetSockopt -> CgroupAttach.SetSockopt;
        };
    }
}
