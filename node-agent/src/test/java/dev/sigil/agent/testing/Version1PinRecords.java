package dev.sigil.agent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.crds.bpfnodestate.status.AppliedEnforcement;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.TcxDirection;
import dev.sigil.crds.signedbpfprogram.spec.XdpMode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a resource's pin records exactly as agents did before the library had its own format (record
 * version 1): the code of that agent's {@code PinDirectory.writeRecord}, with the API's enforcement and
 * its {@code AttachSpec} as Jackson JSON. Checked against the golden samples made with that agent.
 */
public final class Version1PinRecords {
    private static final ObjectWriter ATTACH_WRITER = new ObjectMapper().writerFor(AttachSpec.class);

    private Version1PinRecords() {
    }

    /** Replaces the records in {@code directory} (a resource's pin directory) with version 1 records of {@code resource}. */
    public static void write(Path directory, PinnedResource resource) throws IOException {
        for (PinnedProgram program : resource.programs()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("programId", Integer.toString(program.programId()));
            fields.put("tag", program.tag());
            fields.put("linkId", Integer.toString(program.links().getFirst().linkId()));
            fields.put("attach", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ATTACH_WRITER.writeValueAsBytes(attachSpec(program.links().getFirst().target()))));
            writeSymlink(directory.resolve("meta_" + program.name()), encode(fields));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("generation", Long.toString(resource.generation()));
        fields.put("loaderHash", resource.loaderHash());
        fields.put("enforcement", AppliedEnforcement.valueOf(resource.enforcement().name()).name());
        fields.put("maps", resource.mapIds().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(",")));
        fields.put("pinnedMaps", String.join(",", resource.pinnedMaps()));
        fields.put("programs", resource.programs().stream().map(PinnedProgram::name).collect(Collectors.joining(",")));
        writeSymlink(directory.resolve("meta"), encode(fields));
    }

    /** The API's spec of a target, as version 1 stored it. */
    static AttachSpec attachSpec(AttachTarget target) {
        return switch (target) {
            case AttachTarget.RawTracepoint(String name) -> AttachSpec.rawTracepoint(name);
            case AttachTarget.TpBtf(String name) -> AttachSpec.tpBtf(name);
            case AttachTarget.Xdp(String iface, AttachTarget.Xdp.Mode mode) ->
                    AttachSpec.xdp(iface, XdpMode.valueOf(mode.name()));
            case AttachTarget.Tcx(String iface, AttachTarget.Tcx.Direction direction) ->
                    AttachSpec.tcx(iface, TcxDirection.valueOf(direction.name()));
            case AttachTarget.Cgroup cgroup -> AttachSpec.cgroup(cgroup.path().toString(),
                    CgroupAttachType.valueOf(cgroup.attachType().name()));
            case AttachTarget.Fentry(String function) -> AttachSpec.function(AttachType.Fentry, function);
            case AttachTarget.Fexit(String function) -> AttachSpec.function(AttachType.Fexit, function);
            case AttachTarget.Lsm(String hook) -> AttachSpec.function(AttachType.Lsm, hook);
            case AttachTarget.Kprobe(String function) -> AttachSpec.function(AttachType.Kprobe, function);
            case AttachTarget.Tracepoint tracepoint -> notInVersion1(target);
            case AttachTarget.Uprobe uprobe -> notInVersion1(target);
            case AttachTarget.Uretprobe uretprobe -> notInVersion1(target);
            case AttachTarget.SkLookup skLookup -> notInVersion1(target);
        };
    }

    private static AttachSpec notInVersion1(AttachTarget target) {
        throw new IllegalArgumentException("agents writing version 1 records had no " + target.kind() + " attach kind");
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void writeSymlink(Path path, String target) throws IOException {
        Path pending = path.resolveSibling("-pending-" + path.getFileName());
        Files.deleteIfExists(pending);
        Files.createSymbolicLink(pending, Path.of(target));
        Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
