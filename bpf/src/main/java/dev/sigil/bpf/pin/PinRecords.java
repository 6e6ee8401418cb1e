package dev.sigil.bpf.pin;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.attach.UserFunction;
import dev.sigil.bpf.loader.AppliedEnforcement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The pin records' on-disk format, the library's own and independent of any API type. Version 2 (written
 * since the library left the agent) names every field explicitly, attach targets included, with fixed
 * lower-case tokens; each record says its version in field {@code v}. A record without {@code v} is
 * version 1, which earlier agents wrote and {@link LegacyPinRecords} reads, so pins survive an upgrade.
 */
final class PinRecords {
    static final String VERSION = "2";
    private static final String VERSION_FIELD = "v";
    /** Added within version 2, written when not 0: readers that predate it ignore it, as every reader ignores unknown fields. */
    private static final String EXPECTED_ATTACH_TYPE = "expectedAttachType";

    /** A record of a resource's program, by program name. */
    @FunctionalInterface
    interface ProgramRecords {
        String of(String program) throws IOException;
    }

    private PinRecords() {
    }

    static String resource(PinnedResource resource) {
        StringBuilder record = new StringBuilder(256);
        RecordFields.append(record, VERSION_FIELD, VERSION);
        RecordFields.append(record, "generation", Long.toString(resource.generation()));
        RecordFields.append(record, "loaderHash", resource.loaderHash());
        RecordFields.append(record, "enforcement", enforcementToken(resource.enforcement()));
        StringBuilder maps = new StringBuilder();
        resource.mapIds().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                maps.append(maps.isEmpty() ? "" : ",").append(entry.getKey()).append(':').append(entry.getValue()));
        RecordFields.append(record, "maps", maps.toString());
        RecordFields.append(record, "pinnedMaps", String.join(",", resource.pinnedMaps()));
        RecordFields.append(record, "programs",
                String.join(",", resource.programs().stream().map(PinnedProgram::name).toList()));
        return record.toString();
    }

    static String program(PinnedProgram program) {
        StringBuilder record = new StringBuilder(160);
        RecordFields.append(record, VERSION_FIELD, VERSION);
        RecordFields.append(record, "programId", Integer.toString(program.programId()));
        RecordFields.append(record, "tag", program.tag());
        RecordFields.append(record, "linkId", Integer.toString(program.linkId()));
        switch (program.target()) {
            case AttachTarget.RawTracepoint(String name) -> attach(record, "raw_tracepoint", "name", name);
            case AttachTarget.TpBtf(String name) -> attach(record, "tp_btf", "name", name);
            case AttachTarget.Xdp(String interfaceName, AttachTarget.Xdp.Mode mode) -> {
                attach(record, "xdp", "interface", interfaceName);
                RecordFields.append(record, "mode", mode == AttachTarget.Xdp.Mode.Driver ? "driver" : "generic");
            }
            case AttachTarget.Tcx(String interfaceName, AttachTarget.Tcx.Direction direction) -> {
                attach(record, "tcx", "interface", interfaceName);
                RecordFields.append(record, "direction",
                        direction == AttachTarget.Tcx.Direction.Egress ? "egress" : "ingress");
            }
            case AttachTarget.Cgroup(Path path, CgroupAttach hook) -> {
                attach(record, "cgroup", "path", path.toString());
                RecordFields.append(record, "hook", CgroupHooks.token(hook));
            }
            case AttachTarget.Fentry(String function) -> attach(record, "fentry", "function", function);
            case AttachTarget.Fexit(String function) -> attach(record, "fexit", "function", function);
            case AttachTarget.Lsm(String hook) -> attach(record, "lsm", "hook", hook);
            case AttachTarget.Kprobe(String function) -> attach(record, "kprobe", "function", function);
            case AttachTarget.Tracepoint(String category, String name) -> {
                attach(record, "tracepoint", "category", category);
                RecordFields.append(record, "name", name);
            }
            case AttachTarget.Uprobe(UserFunction function) -> userFunction(record, "uprobe", function);
            case AttachTarget.Uretprobe(UserFunction function) -> userFunction(record, "uretprobe", function);
            case AttachTarget.SkLookup(Path namespace) -> attach(record, "sk_lookup", "netns", namespace.toString());
        }
        if (program.expectedAttachType() != 0) {
            RecordFields.append(record, EXPECTED_ATTACH_TYPE, Integer.toString(program.expectedAttachType()));
        }
        return record.toString();
    }

    private static void userFunction(StringBuilder record, String kind, UserFunction function) {
        attach(record, kind, "binary", function.binary().toString());
        RecordFields.append(record, "symbol", function.symbol());
        RecordFields.append(record, "offset", Long.toString(function.offset()));
        function.pid().ifPresent(pid -> RecordFields.append(record, "pid", Integer.toString(pid)));
    }

    private static UserFunction userFunction(RecordFields fields) throws IOException {
        Optional<String> pid = fields.optional("pid");
        return new UserFunction(Path.of(fields.require("binary")), fields.require("symbol"), fields.requireLong("offset"),
                pid.isEmpty() ? OptionalInt.empty() : OptionalInt.of(fields.requireInt("pid")));
    }

    private static void attach(StringBuilder record, String kind, String key, String value) {
        RecordFields.append(record, "attach", kind);
        RecordFields.append(record, key, value);
    }

    /** Reads a resource's records, whichever version wrote each of them. */
    static PinnedResource read(String resource, String metaText, ProgramRecords programRecords) throws IOException {
        RecordFields meta = RecordFields.parse("meta of " + resource, metaText);
        List<PinnedProgram> programs = new ArrayList<>();
        for (String program : meta.list("programs")) {
            RecordFields fields = RecordFields.parse("meta_" + program + " of " + resource, programRecords.of(program));
            programs.add(isLegacy(fields) ? LegacyPinRecords.program(program, fields) : program(program, fields));
        }
        if (isLegacy(meta)) {
            return LegacyPinRecords.resource(resource, meta, programs);
        }
        return new PinnedResource(resource, meta.requireLong("generation"), meta.require("loaderHash"),
                enforcement(meta), meta.ids("maps"), meta.list("pinnedMaps"), programs);
    }

    /** Version 1 had no version field; any version but 1 and 2 is a newer agent's, which this one must not guess at. */
    private static boolean isLegacy(RecordFields fields) throws IOException {
        Optional<String> version = fields.optional(VERSION_FIELD);
        if (version.isPresent() && !version.get().equals(VERSION)) {
            throw fields.invalid(VERSION_FIELD, version.get(), "format " + VERSION
                    + " or none (a newer agent wrote these pins; this one does not read them)");
        }
        return version.isEmpty();
    }

    private static PinnedProgram program(String name, RecordFields fields) throws IOException {
        AttachTarget target;
        try {
            target = target(fields);
        } catch (IllegalArgumentException e) {
            throw new IOException("pin record meta_" + name + ": " + e.getMessage(), e);
        }
        int expectedAttachType = fields.optional(EXPECTED_ATTACH_TYPE).isPresent() ? fields.requireInt(EXPECTED_ATTACH_TYPE) : 0;
        return new PinnedProgram(name, fields.requireInt("programId"), fields.require("tag"), fields.requireInt("linkId"),
                target, expectedAttachType);
    }

    /** The attach target a version 2 record names; a value out of its kind's grammar is an IllegalArgumentException. */
    private static AttachTarget target(RecordFields fields) throws IOException {
        String kind = fields.require("attach");
        return switch (kind) {
            case "raw_tracepoint" -> new AttachTarget.RawTracepoint(fields.require("name"));
            case "tp_btf" -> new AttachTarget.TpBtf(fields.require("name"));
            case "xdp" -> new AttachTarget.Xdp(fields.require("interface"), switch (fields.require("mode")) {
                case "generic" -> AttachTarget.Xdp.Mode.Generic;
                case "driver" -> AttachTarget.Xdp.Mode.Driver;
                default -> throw fields.invalid("mode", fields.require("mode"), "generic or driver");
            });
            case "tcx" -> new AttachTarget.Tcx(fields.require("interface"), switch (fields.require("direction")) {
                case "ingress" -> AttachTarget.Tcx.Direction.Ingress;
                case "egress" -> AttachTarget.Tcx.Direction.Egress;
                default -> throw fields.invalid("direction", fields.require("direction"), "ingress or egress");
            });
            case "cgroup" -> new AttachTarget.Cgroup(Path.of(fields.require("path")), CgroupHooks.of(fields.require("hook"))
                    .orElseThrow(() -> fields.invalid("hook", fields.optional("hook").orElseThrow(), "a cgroup hook")));
            case "fentry" -> new AttachTarget.Fentry(fields.require("function"));
            case "fexit" -> new AttachTarget.Fexit(fields.require("function"));
            case "lsm" -> new AttachTarget.Lsm(fields.require("hook"));
            case "kprobe" -> new AttachTarget.Kprobe(fields.require("function"));
            case "tracepoint" -> new AttachTarget.Tracepoint(fields.require("category"), fields.require("name"));
            case "uprobe" -> new AttachTarget.Uprobe(userFunction(fields));
            case "uretprobe" -> new AttachTarget.Uretprobe(userFunction(fields));
            case "sk_lookup" -> new AttachTarget.SkLookup(Path.of(fields.require("netns")));
            default -> throw fields.invalid("attach", kind, "an attach kind");
        };
    }

    private static String enforcementToken(AppliedEnforcement enforcement) {
        return switch (enforcement) {
            case Kernel -> "kernel";
            case Agent -> "agent";
            case Compat -> "compat";
        };
    }

    private static AppliedEnforcement enforcement(RecordFields meta) throws IOException {
        String token = meta.require("enforcement");
        return switch (token) {
            case "kernel" -> AppliedEnforcement.Kernel;
            case "agent" -> AppliedEnforcement.Agent;
            case "compat" -> AppliedEnforcement.Compat;
            default -> throw meta.invalid("enforcement", token, "kernel, agent or compat");
        };
    }
}
