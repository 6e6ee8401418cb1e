package dev.sigil.signing.intent;

import dev.sigil.signing.ProgramLoad;
import dev.sigil.signing.ReasonCode;
import dev.sigil.signing.VerificationException;
import dev.sigil.signing.intent.ResourceClaims.AttachPoint;
import dev.sigil.signing.intent.ResourceClaims.ProgramClaim;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the kernel would let a program attach where a resource (or {@code sigil sign --attach}) says,
 * judged before anything is loaded from the program's load attributes in the signed metadata: its type, its
 * expected attach type and, for tp_btf, fentry, fexit and lsm programs, its own BTF target, which is the
 * only place such a program can attach (the link the agent creates goes there whatever the resource names).
 * Classic tracepoint programs (type tracepoint) may attach to any tracepoint, uprobe programs (type kprobe,
 * loaded for a perf-event link or for uprobe_multi) to any user-space function, sk_lookup programs to any
 * network namespace: the kernel checks no more, and neither can this.
 */
public final class AttachCompatibility {
    /** Any expected attach type: the kernel does not check it for this kind of link. */
    private static final Set<Integer> ANY = Set.of();

    private record Rule(Set<Integer> programTypes, Set<Integer> expectedAttachTypes, Optional<String> btfTargetField) {
        Rule(Set<Integer> programTypes, Set<Integer> expectedAttachTypes) {
            this(programTypes, expectedAttachTypes, Optional.empty());
        }

        boolean admits(ProgramLoad load) {
            return programTypes.contains(load.type())
                    && (expectedAttachTypes.isEmpty() || expectedAttachTypes.contains(load.expectedAttachType()));
        }
    }

    /**
     * A uprobe program links through a perf event when loaded without an expected attach type, or as a
     * uprobe_multi link when loaded for one; a kprobe_multi program (or any other) cannot be a uprobe.
     */
    private static final Rule USER_FUNCTION = new Rule(Set.of(ProgramLoad.TYPE_KPROBE),
            Set.of(0, ProgramLoad.ATTACH_TRACE_UPROBE_MULTI));

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("RawTracepoint", new Rule(Set.of(ProgramLoad.TYPE_RAW_TRACEPOINT, ProgramLoad.TYPE_RAW_TRACEPOINT_WRITABLE), ANY)),
            Map.entry("TpBtf", new Rule(Set.of(ProgramLoad.TYPE_TRACING), Set.of(ProgramLoad.ATTACH_TRACE_RAW_TP), Optional.of("name"))),
            Map.entry("Fentry", new Rule(Set.of(ProgramLoad.TYPE_TRACING), Set.of(ProgramLoad.ATTACH_TRACE_FENTRY), Optional.of("function"))),
            Map.entry("Fexit", new Rule(Set.of(ProgramLoad.TYPE_TRACING), Set.of(ProgramLoad.ATTACH_TRACE_FEXIT), Optional.of("function"))),
            Map.entry("Lsm", new Rule(Set.of(ProgramLoad.TYPE_LSM), Set.of(ProgramLoad.ATTACH_LSM_MAC), Optional.of("function"))),
            Map.entry("Kprobe", new Rule(Set.of(ProgramLoad.TYPE_KPROBE), Set.of(ProgramLoad.ATTACH_TRACE_KPROBE_MULTI))),
            Map.entry("Xdp", new Rule(Set.of(ProgramLoad.TYPE_XDP), Set.of(0, ProgramLoad.ATTACH_XDP))),
            Map.entry("Tcx", new Rule(Set.of(ProgramLoad.TYPE_SCHED_CLS), ANY)),
            Map.entry("Tracepoint", new Rule(Set.of(ProgramLoad.TYPE_TRACEPOINT), ANY)),
            Map.entry("Uprobe", USER_FUNCTION),
            Map.entry("Uretprobe", USER_FUNCTION),
            Map.entry("SkLookup", new Rule(Set.of(ProgramLoad.TYPE_SK_LOOKUP), Set.of(ProgramLoad.ATTACH_SK_LOOKUP))));

    /** Cgroup attach types: the program type each needs, and the expected attach types the kernel accepts with it. */
    private static final Map<String, Rule> CGROUP_RULES = Map.ofEntries(
            Map.entry("InetIngress", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SKB), Set.of(0))),
            Map.entry("InetEgress", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SKB), Set.of(0, 1))),
            Map.entry("InetSockCreate", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCK), Set.of(0, 2))),
            Map.entry("SockOps", new Rule(Set.of(ProgramLoad.TYPE_SOCK_OPS), ANY)),
            Map.entry("Device", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_DEVICE), ANY)),
            Map.entry("Sysctl", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SYSCTL), ANY)),
            Map.entry("Inet4Bind", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCK_ADDR), Set.of(8))),
            Map.entry("Inet6Bind", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCK_ADDR), Set.of(9))),
            Map.entry("Inet4Connect", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCK_ADDR), Set.of(10))),
            Map.entry("Inet6Connect", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCK_ADDR), Set.of(11))),
            Map.entry("GetSockopt", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCKOPT), Set.of(21))),
            Map.entry("SetSockopt", new Rule(Set.of(ProgramLoad.TYPE_CGROUP_SOCKOPT), Set.of(22))));

    /** The target fields each attach type needs: the members of the resource's attach union ({@code a|b}: one of them). */
    private static final Map<String, List<String>> TARGET_FIELDS = Map.ofEntries(
            Map.entry("RawTracepoint", List.of("name")), Map.entry("TpBtf", List.of("name")),
            Map.entry("Fentry", List.of("function")), Map.entry("Fexit", List.of("function")),
            Map.entry("Lsm", List.of("function")), Map.entry("Kprobe", List.of("function")),
            Map.entry("Xdp", List.of("interface", "mode")), Map.entry("Tcx", List.of("direction", "interface")),
            Map.entry("Cgroup", List.of("attachType", "path|pods")), Map.entry("Tracepoint", List.of("category", "name")),
            Map.entry("Uprobe", List.of("binary", "offset", "symbol")), Map.entry("Uretprobe", List.of("binary", "offset", "symbol")),
            Map.entry("SkLookup", List.of("netns")));

    private AttachCompatibility() {
    }

    /**
     * The resource's programs must be the loader's, in its order, and each attach point one the kernel accepts.
     *
     * @throws VerificationException {@link ReasonCode#ProgramMismatch} or {@link ReasonCode#AttachTypeMismatch}
     */
    public static void require(List<ProgramClaim> programs, List<ProgramLoad> loads) throws VerificationException {
        boolean same = programs.size() == loads.size();
        for (int i = 0; same && i < programs.size(); i++) {
            same = loads.get(i).isNamed(programs.get(i).name());
        }
        if (!same) {
            throw new VerificationException(ReasonCode.ProgramMismatch, "spec.programs lists "
                    + programs.stream().map(ProgramClaim::name).toList() + " but the signed loader loads "
                    + loads.stream().map(ProgramLoad::name).toList() + " (names as the kernel keeps them, in order)");
        }
        for (int i = 0; i < programs.size(); i++) {
            Optional<String> refusal = refusal(programs.get(i).name(), programs.get(i).attach(), loads.get(i));
            if (refusal.isPresent()) {
                throw new VerificationException(ReasonCode.AttachTypeMismatch, refusal.get());
            }
        }
    }

    /** Why the kernel would refuse {@code attach} for {@code load}, as one line naming the program and both types. */
    public static Optional<String> refusal(String program, AttachPoint attach, ProgramLoad load) {
        List<String> missing = TARGET_FIELDS.getOrDefault(attach.type(), List.of()).stream()
                .filter(alternatives -> Arrays.stream(alternatives.split("\\|"))
                        .noneMatch(field -> attach.target().containsKey(field) || attach.resolvedOnNode().contains(field)))
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("program " + program + ": attach type " + attach.type() + " needs "
                    + String.join(" and ", missing.stream().map(field -> attach.member() + "."
                            + field.replace("|", " or ")).toList()));
        }
        Rule rule = rule(attach);
        if (rule == null) {
            return Optional.of("program " + program + ": attach type " + attach.type() + " "
                    + attach.target() + " is not one Sigil knows");
        }
        if (!rule.admits(load)) {
            return Optional.of("program " + program + " is a " + load.describe() + " program; attach type "
                    + describe(attach) + " needs a " + expected(rule));
        }
        if (rule.btfTargetField().isPresent()) {
            String wanted = attach.target().get(rule.btfTargetField().get());
            if (load.attachTarget().isEmpty() || !load.attachTarget().get().equals(wanted)) {
                return Optional.of("program " + program + " is a " + load.describe() + " program and attaches only at "
                        + "its own BTF target; attach type " + describe(attach) + " names another target");
            }
        }
        return Optional.empty();
    }

    private static Rule rule(AttachPoint attach) {
        if (attach.type().equals("Cgroup")) {
            String cgroupType = attach.target().get("attachType");
            return cgroupType == null ? null : CGROUP_RULES.get(cgroupType);
        }
        return RULES.get(attach.type());
    }

    private static String describe(AttachPoint attach) {
        return attach.type() + "(" + String.join(", ", attach.target().values()) + ")";
    }

    private static String expected(Rule rule) {
        String types = String.join(" or ", rule.programTypes().stream().sorted().map(ProgramLoad::typeName).toList())
                + " program";
        if (rule.expectedAttachTypes().isEmpty()) {
            return types;
        }
        return types + " (expected attach type " + String.join(" or ", rule.expectedAttachTypes().stream().sorted()
                .map(ProgramLoad::attachTypeName).toList()) + ")";
    }
}
