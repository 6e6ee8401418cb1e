package dev.sigil.bpf.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.loader.AppliedEnforcement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads pin records of format version 1, as agents wrote them before the kernel library had its own
 * format: the same fields, but the enforcement spelled as the API's enum ({@code Agent}) and each
 * program's attach target as the API's {@code AttachSpec} in JSON, base64url-encoded, e.g.
 * {@code {"type":"Xdp","xdp":{"mode":"Generic","interface":"eth0"}}}. Read only: the library writes
 * version 2, so a directory moves to it the next time its records are written (a new generation, a repair).
 */
final class LegacyPinRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyPinRecords() {
    }

    static PinnedResource resource(String name, RecordFields meta, List<PinnedProgram> programs) throws IOException {
        String enforcement = meta.require("enforcement");
        AppliedEnforcement applied = Arrays.stream(AppliedEnforcement.values())
                .filter(value -> apiName(value).equals(enforcement)).findFirst()
                .orElseThrow(() -> meta.invalid("enforcement", enforcement, "Kernel, Agent or Compat"));
        return new PinnedResource(name, meta.requireLong("generation"), meta.require("loaderHash"), applied,
                meta.ids("maps"), meta.list("pinnedMaps"), programs);
    }

    static PinnedProgram program(String name, RecordFields fields) throws IOException {
        String encoded = fields.require("attach");
        JsonNode spec;
        try {
            spec = JSON.readTree(Base64.getUrlDecoder().decode(encoded));
        } catch (IllegalArgumentException | IOException e) {
            throw new IOException("version 1 pin record of program " + name + ": its attach target is not"
                    + " base64url JSON: " + e.getMessage(), e);
        }
        return new PinnedProgram(name, fields.requireInt("programId"), fields.require("tag"),
                fields.requireInt("linkId"), target(name, spec));
    }

    /** The API's AttachSpec as version 1 held it: {@code type} and the member named after it. */
    private static AttachTarget target(String program, JsonNode spec) throws IOException {
        String type = text(program, spec, "type");
        String member = Character.toLowerCase(type.charAt(0)) + type.substring(1);
        JsonNode target = spec.path(member);
        return switch (type) {
            case "RawTracepoint" -> new AttachTarget.RawTracepoint(text(program, target, "name"));
            case "TpBtf" -> new AttachTarget.TpBtf(text(program, target, "name"));
            case "Xdp" -> new AttachTarget.Xdp(text(program, target, "interface"),
                    // The API's default, which its JSON leaves out only if someone cleared it.
                    "Driver".equals(target.path("mode").asText("Generic"))
                            ? AttachTarget.Xdp.Mode.Driver : AttachTarget.Xdp.Mode.Generic);
            case "Tcx" -> new AttachTarget.Tcx(text(program, target, "interface"),
                    "Egress".equals(text(program, target, "direction"))
                            ? AttachTarget.Tcx.Direction.Egress : AttachTarget.Tcx.Direction.Ingress);
            case "Cgroup" -> new AttachTarget.Cgroup(Path.of(text(program, target, "path")),
                    cgroupHook(program, text(program, target, "attachType")));
            case "Fentry" -> new AttachTarget.Fentry(text(program, target, "function"));
            case "Fexit" -> new AttachTarget.Fexit(text(program, target, "function"));
            case "Lsm" -> new AttachTarget.Lsm(text(program, target, "function"));
            case "Kprobe" -> new AttachTarget.Kprobe(text(program, target, "function"));
            default -> throw new IOException("version 1 pin record of program " + program + ": unknown attach type '"
                    + type + "'");
        };
    }

    /** Version 1 spelled cgroup hooks as the API's enum did then; frozen here, whatever the enums become. */
    private static CgroupAttach cgroupHook(String program, String apiName) throws IOException {
        return switch (apiName) {
            case "InetIngress" -> CgroupAttach.InetIngress;
            case "InetEgress" -> CgroupAttach.InetEgress;
            case "InetSockCreate" -> CgroupAttach.InetSockCreate;
            case "SockOps" -> CgroupAttach.SockOps;
            case "Device" -> CgroupAttach.Device;
            case "Sysctl" -> CgroupAttach.Sysctl;
            case "Inet4Connect" -> CgroupAttach.Inet4Connect;
            case "Inet6Connect" -> CgroupAttach.Inet6Connect;
            case "Inet4Bind" -> CgroupAttach.Inet4Bind;
            case "Inet6Bind" -> CgroupAttach.Inet6Bind;
            case "GetSockopt" -> CgroupAttach.GetSockopt;
            case "SetSockopt" -> CgroupAttach.SetSockopt;
            default -> throw new IOException("version 1 pin record of program " + program
                    + ": unknown cgroup attach type '" + apiName + "'");
        };
    }

    private static String apiName(AppliedEnforcement enforcement) {
        return switch (enforcement) {
            case Kernel -> "Kernel";
            case Agent -> "Agent";
            case Compat -> "Compat";
        };
    }

    private static String text(String program, JsonNode node, String field) throws IOException {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IOException("version 1 pin record of program " + program + ": attach target has no '" + field
                    + "'");
        }
        return value.asText();
    }
}
