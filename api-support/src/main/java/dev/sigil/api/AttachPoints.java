package dev.sigil.api;

import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.ClassicTracepoint;
import dev.sigil.crds.signedbpfprogram.spec.KernelFunction;
import dev.sigil.crds.signedbpfprogram.spec.NetworkInterfaceTarget;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.SkLookup;
import dev.sigil.crds.signedbpfprogram.spec.Tracepoint;
import dev.sigil.crds.signedbpfprogram.spec.UserFunction;
import dev.sigil.crds.signedbpfprogram.spec.intent.AttachIntentSpec;
import dev.sigil.crds.signedbpfprogram.spec.intent.CgroupIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.SkLookupIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.TargetConstraint;
import dev.sigil.crds.signedbpfprogram.spec.intent.TcxIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.UserFunctionIntent;
import dev.sigil.crds.signedbpfprogram.spec.intent.XdpIntent;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.AttachIntent;
import dev.sigil.signing.intent.Glob;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import dev.sigil.signing.intent.Target;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The attach union in the three forms it takes: the resource's concrete {@link AttachSpec}, the signed
 * intent's {@link AttachIntentSpec}, and the signing library's field maps ({@link AttachPoint},
 * {@link AttachIntent}), whose field names are the union member's JSON names ({@code xdp.interface}).
 */
final class AttachPoints {
    private AttachPoints() {
    }

    /** The resource's attach point as fields; a missing member or value is left out (the checks name it). */
    static AttachPoint claim(AttachSpec attach) {
        if (attach == null || attach.getType() == null) {
            return new AttachPoint("(none)", new TreeMap<>());
        }
        SortedMap<String, String> fields = new TreeMap<>();
        SortedSet<String> resolvedOnNode = new TreeSet<>();
        SortedMap<String, String> patterns = new TreeMap<>();
        switch (attach.getType()) {
            case RawTracepoint -> put(fields, "name", attach.getRawTracepoint(), Tracepoint::getName);
            case TpBtf -> put(fields, "name", attach.getTpBtf(), Tracepoint::getName);
            case Xdp -> {
                networkInterface(fields, resolvedOnNode, patterns, attach.getXdp());
                put(fields, "mode", attach.getXdp(), xdp -> name(xdp.getMode()));
            }
            case Tcx -> {
                networkInterface(fields, resolvedOnNode, patterns, attach.getTcx());
                put(fields, "direction", attach.getTcx(), tcx -> name(tcx.getDirection()));
            }
            case Cgroup -> {
                put(fields, "path", attach.getCgroup(), Cgroup::getPath);
                put(fields, "pods", attach.getCgroup(), cgroup -> claimedPods(cgroup.getPods()));
                put(fields, "attachType", attach.getCgroup(), cgroup -> name(cgroup.getAttachType()));
            }
            case Fentry -> put(fields, "function", attach.getFentry(), KernelFunction::getFunction);
            case Fexit -> put(fields, "function", attach.getFexit(), KernelFunction::getFunction);
            case Lsm -> put(fields, "function", attach.getLsm(), KernelFunction::getFunction);
            case Kprobe -> put(fields, "function", attach.getKprobe(), KernelFunction::getFunction);
            case Tracepoint -> {
                put(fields, "category", attach.getTracepoint(), ClassicTracepoint::getCategory);
                put(fields, "name", attach.getTracepoint(), ClassicTracepoint::getName);
            }
            case Uprobe -> userFunction(fields, attach.getUprobe());
            case Uretprobe -> userFunction(fields, attach.getUretprobe());
            case SkLookup -> put(fields, "netns", attach.getSkLookup(), SkLookup::getNetns);
        }
        return new AttachPoint(attach.getType().name(), fields, resolvedOnNode, patterns);
    }

    /**
     * The interface by name, or left to each node when the resource asks for the node's primary interface or the
     * interfaces matching a pattern (which goes with it, to be compared with the signed constraint).
     */
    private static void networkInterface(SortedMap<String, String> fields, SortedSet<String> resolvedOnNode,
            SortedMap<String, String> patterns, NetworkInterfaceTarget member) {
        if (member != null && member.getInterfacePattern() != null) {
            resolvedOnNode.add("interface");
            patterns.put("interface", member.getInterfacePattern());
        } else if (member != null && member.onPrimaryInterface()) {
            resolvedOnNode.add("interface");
        } else {
            put(fields, "interface", member, NetworkInterfaceTarget::getInterfaceName);
        }
    }

    /** The signed intent's binding, as the signing library compares and canonicalises it. */
    static AttachIntent intent(AttachIntentSpec attach, String path) throws VerificationException {
        if (attach == null || attach.getType() == null) {
            throw malformed(path + ".type is missing");
        }
        String member = path + "." + Character.toLowerCase(attach.getType().name().charAt(0)) + attach.getType().name().substring(1);
        SortedMap<String, Target> fields = new TreeMap<>();
        switch (attach.getType()) {
            case RawTracepoint -> fields.put("name", fixed(member + ".name", attach.getRawTracepoint(), Tracepoint::getName));
            case TpBtf -> fields.put("name", fixed(member + ".name", attach.getTpBtf(), Tracepoint::getName));
            case Xdp -> {
                fields.put("interface", constraint(member + ".interface", attach.getXdp(), XdpIntent::getInterfaceName));
                fields.put("mode", fixed(member + ".mode", attach.getXdp(), xdp -> name(xdp.getMode())));
            }
            case Tcx -> {
                fields.put("interface", constraint(member + ".interface", attach.getTcx(), TcxIntent::getInterfaceName));
                fields.put("direction", fixed(member + ".direction", attach.getTcx(), tcx -> name(tcx.getDirection())));
            }
            case Cgroup -> {
                cgroupTarget(fields, member, attach.getCgroup());
                fields.put("attachType", fixed(member + ".attachType", attach.getCgroup(), cgroup -> name(cgroup.getAttachType())));
            }
            case Fentry -> fields.put("function", fixed(member + ".function", attach.getFentry(), KernelFunction::getFunction));
            case Fexit -> fields.put("function", fixed(member + ".function", attach.getFexit(), KernelFunction::getFunction));
            case Lsm -> fields.put("function", fixed(member + ".function", attach.getLsm(), KernelFunction::getFunction));
            case Kprobe -> fields.put("function", fixed(member + ".function", attach.getKprobe(), KernelFunction::getFunction));
            case Tracepoint -> {
                fields.put("category", fixed(member + ".category", attach.getTracepoint(), ClassicTracepoint::getCategory));
                fields.put("name", fixed(member + ".name", attach.getTracepoint(), ClassicTracepoint::getName));
            }
            case Uprobe -> userFunction(fields, member, attach.getUprobe());
            case Uretprobe -> userFunction(fields, member, attach.getUretprobe());
            case SkLookup -> fields.put("netns", constraint(member + ".netns", attach.getSkLookup(), SkLookupIntent::getNetns));
        }
        return new AttachIntent(attach.getType().name(), fields);
    }

    /** A binding of exactly the resource's attach point (copied: later edits of either stay apart). */
    static AttachIntentSpec exactly(AttachSpec attach) {
        AttachIntentSpec intent = new AttachIntentSpec();
        intent.setType(attach.getType());
        switch (attach.getType()) {
            case RawTracepoint -> intent.setRawTracepoint(new Tracepoint(attach.getRawTracepoint().getName()));
            case TpBtf -> intent.setTpBtf(new Tracepoint(attach.getTpBtf().getName()));
            case Xdp -> intent.setXdp(new XdpIntent(exactly(attach.getXdp()), attach.getXdp().getMode()));
            case Tcx -> intent.setTcx(new TcxIntent(exactly(attach.getTcx()), attach.getTcx().getDirection()));
            case Cgroup -> intent.setCgroup(attach.getCgroup().getPods() != null
                    ? CgroupIntent.ofPods(copy(attach.getCgroup().getPods()), attach.getCgroup().getAttachType())
                    : new CgroupIntent(TargetConstraint.exact(attach.getCgroup().getPath()), attach.getCgroup().getAttachType()));
            case Fentry -> intent.setFentry(new KernelFunction(attach.getFentry().getFunction()));
            case Fexit -> intent.setFexit(new KernelFunction(attach.getFexit().getFunction()));
            case Lsm -> intent.setLsm(new KernelFunction(attach.getLsm().getFunction()));
            case Kprobe -> intent.setKprobe(new KernelFunction(attach.getKprobe().getFunction()));
            case Tracepoint -> intent.setTracepoint(new ClassicTracepoint(attach.getTracepoint().getCategory(),
                    attach.getTracepoint().getName()));
            case Uprobe -> intent.setUprobe(exactly(attach.getUprobe()));
            case Uretprobe -> intent.setUretprobe(exactly(attach.getUretprobe()));
            case SkLookup -> intent.setSkLookup(new SkLookupIntent(
                    TargetConstraint.exact(attach.getSkLookup().getNetns())));
        }
        return intent;
    }

    /** The resource's pods as {@link Target.PodSelector#admits} reads them; none when a selector is not label syntax. */
    private static String claimedPods(PodTarget pods) {
        try {
            return pods == null ? null : podSelector(pods).claimed();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Target.PodSelector podSelector(PodTarget pods) {
        return new Target.PodSelector(SignedSpecs.terms(pods.getSelector()),
                pods.getNamespaceSelector() == null ? null : SignedSpecs.terms(pods.getNamespaceSelector()));
    }

    /** A signed cgroup target: a path constraint or pods, exactly one. */
    private static void cgroupTarget(SortedMap<String, Target> fields, String member, CgroupIntent cgroup)
            throws VerificationException {
        if (cgroup != null && cgroup.getPods() != null && cgroup.getPath() == null) {
            if (cgroup.getPods().getSelector() == null) {
                throw malformed(member + ".pods.selector is missing");
            }
            try {
                fields.put("pods", podSelector(cgroup.getPods()));
            } catch (IllegalArgumentException e) {
                throw malformed(member + ".pods: " + e.getMessage());
            }
        } else if (cgroup != null && cgroup.getPods() != null) {
            throw malformed(member + " must hold exactly one of path or pods");
        } else {
            fields.put("path", constraint(member + ".path", cgroup, CgroupIntent::getPath));
        }
    }

    private static PodTarget copy(PodTarget pods) {
        return new PodTarget(pods.getSelector() == null ? null : new LabelSelectorBuilder(pods.getSelector()).build(),
                pods.getNamespaceSelector() == null ? null : new LabelSelectorBuilder(pods.getNamespaceSelector()).build());
    }

    /** The interface as the resource gives it: its pattern as the signed glob, its name exactly; the primary has none. */
    private static TargetConstraint exactly(NetworkInterfaceTarget target) {
        if (target.getInterfacePattern() != null) {
            return TargetConstraint.glob(target.getInterfacePattern());
        }
        String interfaceName = target.getInterfaceName();
        if (interfaceName == null) {
            throw new IllegalArgumentException("the node's primary interface has no name to bind exactly: "
                    + "sign an interface constraint for it (sigil sign --allow-attach PROG=xdp:GLOB or tcx:GLOB:DIRECTION)");
        }
        return TargetConstraint.exact(interfaceName);
    }

    private static UserFunctionIntent exactly(UserFunction function) {
        return new UserFunctionIntent(TargetConstraint.exact(function.getBinary()), function.getSymbol(),
                offset(function), function.getPid());
    }

    /** The resource's offset into the function: absent is the entry, 0. */
    private static long offset(UserFunction function) {
        return function.getOffset() == null ? 0 : function.getOffset();
    }

    /** A uprobe's fields as the resource gives them: the offset always (0 when absent), the pid when it filters. */
    private static void userFunction(SortedMap<String, String> fields, UserFunction function) {
        put(fields, "binary", function, UserFunction::getBinary);
        put(fields, "symbol", function, UserFunction::getSymbol);
        put(fields, "offset", function, f -> Long.toString(offset(f)));
        put(fields, "pid", function, f -> f.getPid() == null ? null : f.getPid().toString());
    }

    /** A uprobe's binding: the binary exact or by glob, symbol and offset exactly, the pid exactly when bound. */
    private static void userFunction(SortedMap<String, Target> fields, String member,
            UserFunctionIntent function) throws VerificationException {
        if (function == null) {
            throw malformed(member + " is missing");
        }
        fields.put("binary", constraint(member + ".binary", function, UserFunctionIntent::getBinary));
        fields.put("symbol", fixed(member + ".symbol", function, UserFunctionIntent::getSymbol));
        if (function.getOffset() == null) {
            throw malformed(member + ".offset is missing");
        }
        fields.put("offset", new Target.FixedNumber(function.getOffset()));
        if (function.getPid() != null) {
            fields.put("pid", new Target.FixedNumber(function.getPid()));
        }
    }

    private static <T> void put(SortedMap<String, String> fields, String field, T member, Function<T, String> value) {
        if (member != null && value.apply(member) != null) {
            fields.put(field, value.apply(member));
        }
    }

    private static <T> Target fixed(String path, T member, Function<T, String> value) throws VerificationException {
        if (member == null || value.apply(member) == null) {
            throw malformed(path + " is missing");
        }
        return new Target.Fixed(value.apply(member));
    }

    private static <T> Target constraint(String path, T member, Function<T, TargetConstraint> value)
            throws VerificationException {
        TargetConstraint constraint = member == null ? null : value.apply(member);
        if (constraint == null || (constraint.getExact() == null) == (constraint.getGlob() == null)) {
            throw malformed(path + " must hold exactly one of exact or glob");
        }
        if (constraint.getExact() != null) {
            return new Target.Exact(constraint.getExact());
        }
        try {
            return new Target.Pattern(Glob.parse(constraint.getGlob()));
        } catch (IllegalArgumentException e) {
            throw malformed(path + ".glob: " + e.getMessage());
        }
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static VerificationException malformed(String message) {
        return new VerificationException(ReasonCode.MalformedIntent, message);
    }
}
