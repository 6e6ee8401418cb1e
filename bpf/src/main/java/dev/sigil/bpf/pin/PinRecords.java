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
 * The pin records' on-disk format, the library's own and independent of any API type. Version 3 (written since a
 * program may have several links) keeps a program's ids in its record and each of its links, with its attach target,
 * in a record of its own that the program's record lists by key ({@link LinkKeys}). Version 2 (one link per program,
 * its target in the program's record) names every field explicitly with fixed lower-case tokens; each record says its
 * version in field {@code v}. A record without {@code v} is version 1, which earlier agents wrote and
 * {@link LegacyPinRecords} reads. Versions 1 and 2 pinned a program's one link at {@code link_PROGRAM}; the pin
 * directory moves them to version 3's layout when it reads them ({@link PinDirectory#readRecord}).
 */
final class PinRecords {
    static final String VERSION = "3";
    private static final String ONE_LINK_VERSION = "2";
    private static final String VERSION_FIELD = "v";
    /** Added within version 2, written when not 0: readers that predate it ignore it, as every reader ignores unknown fields. */
    private static final String EXPECTED_ATTACH_TYPE = "expectedAttachType";

    /** The text of one of a resource's records, by the record's name ({@code meta_PROGRAM}, {@code target_PROGRAM-KEY}). */
    @FunctionalInterface
    interface RecordTexts {
        String of(String record) throws IOException;
    }

    /** A resource's record as read, and whether its links are still where versions 1 and 2 pinned them. */
    record Stored(PinnedResource resource, boolean oneLinkPerProgram) {
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
        if (program.expectedAttachType() != 0) {
            RecordFields.append(record, EXPECTED_ATTACH_TYPE, Integer.toString(program.expectedAttachType()));
        }
        RecordFields.append(record, "links",
                String.join(",", program.links().stream().map(link -> LinkKeys.of(link.target())).toList()));
        return record.toString();
    }

    static String link(PinnedLink link) {
        StringBuilder record = new StringBuilder(160);
        RecordFields.append(record, VERSION_FIELD, VERSION);
        RecordFields.append(record, "linkId", Integer.toString(link.linkId()));
        return record.append('&').append(target(link.target())).toString();
    }

    /** The target's fields as every record version since 2 spells them, starting with {@code attach=KIND}. */
    static String target(AttachTarget target) {
        StringBuilder record = new StringBuilder(96);
        switch (target) {
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
    static Stored read(String resource, String metaText, RecordTexts texts) throws IOException {
        RecordFields meta = RecordFields.parse("meta of " + resource, metaText);
        String metaVersion = version(meta);
        List<PinnedProgram> programs = new ArrayList<>();
        for (String program : meta.list("programs")) {
            String record = PinPaths.PROGRAM_RECORD_PREFIX + program;
            RecordFields fields = RecordFields.parse(record + " of " + resource, texts.of(record));
            programs.add(switch (version(fields)) {
                case "" -> LegacyPinRecords.program(program, fields);
                case ONE_LINK_VERSION -> new PinnedProgram(program, fields.requireInt("programId"), fields.require("tag"),
                        expectedAttachType(fields), List.of(link(program, fields)));
                default -> program(resource, program, fields, texts);
            });
        }
        if (metaVersion.isEmpty()) {
            return new Stored(LegacyPinRecords.resource(resource, meta, programs), true);
        }
        return new Stored(new PinnedResource(resource, meta.requireLong("generation"), meta.require("loaderHash"),
                enforcement(meta), meta.ids("maps"), meta.list("pinnedMaps"), programs),
                metaVersion.equals(ONE_LINK_VERSION));
    }

    /** "" for version 1, which had no version field; any version but 1 to 3 is a newer agent's, not to be guessed at. */
    private static String version(RecordFields fields) throws IOException {
        Optional<String> version = fields.optional(VERSION_FIELD);
        if (version.isPresent() && !version.get().equals(VERSION) && !version.get().equals(ONE_LINK_VERSION)) {
            throw fields.invalid(VERSION_FIELD, version.get(), "format " + ONE_LINK_VERSION + ", " + VERSION
                    + " or none (a newer agent wrote these pins; this one does not read them)");
        }
        return version.orElse("");
    }

    private static PinnedProgram program(String resource, String name, RecordFields fields, RecordTexts texts)
            throws IOException {
        List<PinnedLink> links = new ArrayList<>();
        for (String key : fields.list("links")) {
            String record = PinPaths.LINK_RECORD_PREFIX + name + PinPaths.KEY_SEPARATOR + key;
            RecordFields link = RecordFields.parse(record + " of " + resource, texts.of(record));
            version(link);
            PinnedLink read = link(name, link);
            if (!LinkKeys.of(read.target()).equals(key)) {
                throw link.invalid("attach", read.target().describe(), "the target of link key " + key);
            }
            links.add(read);
        }
        return new PinnedProgram(name, fields.requireInt("programId"), fields.require("tag"), expectedAttachType(fields),
                links);
    }

    private static int expectedAttachType(RecordFields fields) throws IOException {
        return fields.optional(EXPECTED_ATTACH_TYPE).isPresent() ? fields.requireInt(EXPECTED_ATTACH_TYPE) : 0;
    }

    /** A link's id and target, from a version 3 link record or a version 2 program record (which held its one link). */
    private static PinnedLink link(String program, RecordFields fields) throws IOException {
        try {
            return new PinnedLink(target(fields), fields.requireInt("linkId"));
        } catch (IllegalArgumentException e) {
            throw new IOException("pin record of program " + program + ": " + e.getMessage(), e);
        }
    }

    /** The attach target a version 2 or 3 record names; a value out of its kind's grammar is an IllegalArgumentException. */
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
