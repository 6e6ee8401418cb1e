package dev.sigil.bpf.testing;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import dev.sigil.bpf.attach.UserFunction;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.pin.PinnedProgram;
import dev.sigil.bpf.pin.PinnedResource;
import dev.sigil.bpf.sys.BpfAttachType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Golden samples of the pin records, one directory per format version under {@code pin-records/} on the
 * test class path: {@code v1} as agents wrote them before the library's own format (made with that code),
 * {@code v2} as the library writes them; both describe {@link #resource}. {@code v2-probes} holds the attach
 * kinds added within version 2 (classic tracepoints, uprobes, sk_lookup), with the expected attach type
 * recorded since then: {@link #probes}.
 */
public final class GoldenPinRecords {
    private GoldenPinRecords() {
    }

    /** The resource the samples describe: one program of every attach kind, a dot in a map name. */
    public static PinnedResource resource(String name) {
        Map<String, Integer> maps = new LinkedHashMap<>();
        maps.put("counts", 41);
        maps.put("data", 42);
        maps.put("my.map", 43);
        return new PinnedResource(name, 7, "sha256:" + "ab".repeat(32), AppliedEnforcement.Agent, maps,
                List.of("counts", "my.map"), List.of(
                        new PinnedProgram("count_sys_enter", 101, "0011223344556677", 201,
                                new AttachTarget.RawTracepoint("sys_enter")),
                        new PinnedProgram("tp_btf_count", 102, "1122334455667788", 202, new AttachTarget.TpBtf("sched_switch")),
                        new PinnedProgram("xdp_count", 103, "2233445566778899", 203,
                                new AttachTarget.Xdp("veth0", AttachTarget.Xdp.Mode.Generic)),
                        new PinnedProgram("xdp_native", 104, "33445566778899aa", 204,
                                new AttachTarget.Xdp("eth0", AttachTarget.Xdp.Mode.Driver)),
                        new PinnedProgram("tcx_count", 105, "445566778899aabb", 205,
                                new AttachTarget.Tcx("eth1", AttachTarget.Tcx.Direction.Egress)),
                        new PinnedProgram("cgroup_count", 106, "5566778899aabbcc", 206,
                                new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/my app"), CgroupAttach.InetIngress)),
                        new PinnedProgram("fentry_count", 107, "66778899aabbccdd", 207, new AttachTarget.Fentry("bpf_fentry_test1")),
                        new PinnedProgram("fexit_count", 108, "778899aabbccddee", 208, new AttachTarget.Fexit("vfs_read")),
                        new PinnedProgram("lsm_check", 109, "8899aabbccddeeff", 209, new AttachTarget.Lsm("file_open")),
                        new PinnedProgram("kprobe_count", 110, "99aabbccddeeff00", 210, new AttachTarget.Kprobe("tcp_connect"))));
    }

    /** The resource the {@code v2-probes} samples describe: one program of each attach kind added within version 2. */
    public static PinnedResource probes(String name) {
        return new PinnedResource(name, 3, "sha256:" + "cd".repeat(32), AppliedEnforcement.Kernel, Map.of("hits", 51),
                List.of(), List.of(
                        new PinnedProgram("tracepoint_count", 111, "aabbccddeeff0011", 211,
                                new AttachTarget.Tracepoint("syscalls", "sys_enter_openat")),
                        new PinnedProgram("uprobe_count", 112, "bbccddeeff001122", 212, new AttachTarget.Uprobe(
                                new UserFunction(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6"), "malloc", 0,
                                        OptionalInt.empty())), BpfAttachType.TRACE_UPROBE_MULTI.code()),
                        new PinnedProgram("uretprobe_pid", 113, "ccddeeff00112233", 213, new AttachTarget.Uretprobe(
                                new UserFunction(Path.of("/opt/my app/bin/server"), "_ZN3app5serveEv", 16,
                                        OptionalInt.of(4242)))),
                        new PinnedProgram("sk_lookup_count", 114, "ddeeff0011223344", 214,
                                new AttachTarget.SkLookup(Path.of("/var/run/netns/blue")), BpfAttachType.SK_LOOKUP.code())));
    }

    /** One record's symlink target, e.g. {@code sample("v1", "meta_xdp_count")}. */
    public static String sample(String version, String record) {
        String resource = "pin-records/" + version + "/" + record;
        try (InputStream in = GoldenPinRecords.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
