package dev.sigil.bpf.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.attach.CgroupAttach;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Link keys stay what earlier agents pinned under, so a restarted agent finds its links' pins. */
class LinkKeysTest {
    @Test
    void keysAreThoseEarlierAgentsPinnedUnder() throws Exception {
        List<AttachTarget> targets = List.of(
                new AttachTarget.RawTracepoint("sys_enter"),
                new AttachTarget.Kprobe("tcp_v4_connect"),
                new AttachTarget.Tracepoint("syscalls", "sys_enter_openat"),
                new AttachTarget.Xdp("eth0", AttachTarget.Xdp.Mode.Generic),
                new AttachTarget.Tcx("veth.with:odd/chars", AttachTarget.Tcx.Direction.Ingress),
                new AttachTarget.Tcx("a-very-long-interface-name", AttachTarget.Tcx.Direction.Egress),
                new AttachTarget.Xdp("é\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"
                        + "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", AttachTarget.Xdp.Mode.Driver),
                new AttachTarget.Cgroup(Path.of("/sys/fs/cgroup/kubepods.slice/pod 1"), CgroupAttach.InetIngress),
                new AttachTarget.Cgroup(Path.of("/"), CgroupAttach.InetEgress));

        for (AttachTarget target : targets) {
            assertThat(LinkKeys.of(target)).as(target.toString()).isEqualTo(earlierKey(target))
                    .hasSizeLessThanOrEqualTo(LinkKeys.MAX_KEY);
        }
    }

    /** The key as earlier agents made it: a regular expression over the label, the hash's full hex cut. */
    private static String earlierKey(AttachTarget target) throws Exception {
        String spelled = PinRecords.target(target);
        String label = switch (target) {
            case AttachTarget.Xdp xdp -> xdp.interfaceName();
            case AttachTarget.Tcx tcx -> tcx.interfaceName();
            case AttachTarget.Cgroup cgroup -> cgroup.path().getFileName() == null
                    ? "root" : cgroup.path().getFileName().toString();
            default -> spelled.substring("attach=".length(), spelled.indexOf('&'));
        };
        label = label.replaceAll("[^A-Za-z0-9_-]", "_");
        label = label.substring(0, Math.min(15, label.length()));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(spelled.getBytes(StandardCharsets.UTF_8))).substring(0, 10);
        return label.isEmpty() ? hash : label + "-" + hash;
    }
}
