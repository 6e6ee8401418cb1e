package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.api.testing.IntentTamperCases;
import dev.sigil.api.testing.SignedFixtures;
import dev.sigil.signing.SigningKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sigil sign} writes the signed intent; {@code sigil verify} gives every tamper case its verdict. */
class SignedIntentCommandTest {
    @TempDir
    Path dir;

    /**
     * Tampers the API's schema refuses (the API server would not store them): the one resource reader refuses the
     * file as input, naming the field, before any verification.
     */
    private static final Map<String, String> REFUSED_BY_THE_SCHEMA = Map.of(
            "intent signature not base64", "spec.intentSignature: '@@@' is not base64",
            "signed glob with a reserved character", "spec.intent.programs[5].attach.xdp.interface.glob: 'eth[0-9]' is not of the form",
            "uprobe binary escaping its glob with ..", "spec.programs[10].attach.uprobe.binary: '/usr/lib/../libc.so.6' is not of the form");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sigil.api.testing.IntentTamperCases#all")
    void verifyGivesEachChangeItsVerdict(IntentTamperCases tamper) throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        SigningKeys.write(SignedFixtures.KEY, dir.resolve("release"));
        SigningKeys.write(SignedFixtures.OTHER_TRUSTED_KEY, dir.resolve("other"));
        Files.copy(dir.resolve("release/cert.pem"), trust.resolve("release.pem"));
        Files.copy(dir.resolve("other/cert.pem"), trust.resolve("other.pem"));
        Path resource = dir.resolve("tampered.yaml");
        Files.writeString(resource, SignedProgramResource.toYaml(tamper.resource("tampered")));

        Sigil.Run run = Sigil.run("verify", "--trust", trust, resource);

        if (REFUSED_BY_THE_SCHEMA.containsKey(tamper.name())) {
            assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
            assertThat(run.err()).startsWith("sigil verify: " + resource + ": ")
                    .contains(REFUSED_BY_THE_SCHEMA.get(tamper.name())).hasLineCount(1);
        } else if (tamper.verdict().isEmpty()) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("intent binds");
        } else {
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.err()).startsWith(tamper.verdict().get() + ": ").contains(tamper.mentions()).hasLineCount(1);
        }
    }

    @Test
    void signsTracingProgramsAtTheirOwnBtfTargetWithoutAttachAndPatternsWhereAllowed() throws Exception {
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path skeleton = attachKindsSkeleton();
        Path out = dir.resolve("kinds.yaml");

        Sigil.Run sign = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "kinds", "-o", out,
                "--attach", "on_xdp=xdp:eth0", "--allow-attach", "on_xdp=xdp:eth*",
                "--attach", "on_tc=tcx:eth0:ingress", "--attach", "on_cg_egress=cgroup:/sys/fs/cgroup/app:inet_egress",
                "--attach", "on_connect4=cgroup:/sys/fs/cgroup/web:inet4_connect", "--require-node-label", "pool=bpf",
                "--attach", "on_tracepoint=tracepoint:syscalls/sys_enter_openat",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue",
                "--allow-attach", "on_uprobe=uprobe:/usr/lib/*/libc.so.6:malloc",
                "--allow-attach", "on_sk_lookup=sk_lookup:/var/run/netns/*");

        assertThat(sign.exitCode()).as(sign.err()).isZero();
        Sigil.Run verify = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), out);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("on_tp_btf at TpBtf(name sched_switch)", "on_fentry at Fentry(function bpf_fentry_test1)",
                "on_lsm at Lsm(function file_open)", "on_xdp at Xdp(interface matches 'eth*', mode Generic)",
                "required node labels pool=bpf",
                "on_tracepoint at Tracepoint(category syscalls, name sys_enter_openat)",
                "on_uprobe at Uprobe(binary matches '/usr/lib/*/libc.so.6', offset 0, symbol malloc)",
                "on_sk_lookup at SkLookup(netns matches '/var/run/netns/*')");
        Sigil.Run inspect = Sigil.run("inspect", out);
        assertThat(inspect.out()).contains("resourceMatchesIntent: yes", "attachCheck: yes",
                "on_tp_btf: tracing (tp_btf sched_switch)", "on_tracepoint: tracepoint", "on_uprobe: kprobe",
                "on_sk_lookup: sk_lookup", "on_uprobe: Uprobe(/usr/lib/x86_64-linux-gnu/libc.so.6:malloc)");
    }

    @Test
    void signsAPodTargetExactlyOrWiderAndVerifyAndInspectShowIt() throws Exception {
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path out = dir.resolve("pods.yaml");

        Sigil.Run sign = Sigil.run("sign", "--skeleton", attachKindsSkeleton(), "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "pods", "-o", out,
                "--attach", "on_xdp=xdp:eth0", "--attach", "on_tc=tcx:eth0:ingress",
                "--attach", "on_cg_egress=cgroup:pods:app=web,tier in (b,a):namespaces:team=pay:inet_egress",
                "--allow-attach", "on_cg_egress=cgroup:pods:app=web:inet_egress",
                "--attach", "on_connect4=cgroup:pods::inet4_connect",
                "--attach", "on_tracepoint=tracepoint:syscalls/sys_enter_openat",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue");

        assertThat(sign.exitCode()).as(sign.err()).isZero();
        Sigil.Run verify = Sigil.run("verify", "--trust", keys.resolve("cert.pem"), out);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains(
                "on_cg_egress at Cgroup(attachType InetEgress, pods with app=web (or more) in every namespace)",
                "on_connect4 at Cgroup(attachType Inet4Connect, pods with any labels in every namespace)");
        Sigil.Run inspect = Sigil.run("inspect", out);
        assertThat(inspect.out()).contains("resourceMatchesIntent: yes",
                "on_cg_egress: Cgroup(pods {app=web} +1 requirements in selected namespaces, InetEgress)");

        Sigil.Run badSelector = Sigil.run("sign", "--skeleton", attachKindsSkeleton(), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", "pods", "--attach", "on_xdp=xdp:eth0", "--attach", "on_tc=tcx:eth0:ingress",
                "--attach", "on_cg_egress=cgroup:pods:app=web;x:inet_egress", "--attach", "on_connect4=cgroup:pods::inet4_connect",
                "--attach", "on_tracepoint=tracepoint:syscalls/sys_enter_openat",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue");
        assertThat(badSelector.exitCode()).isEqualTo(2);
        assertThat(badSelector.err()).hasLineCount(1).contains("on_cg_egress", "is not a Kubernetes label value");
    }

    @Test
    void refusesAnAttachTheKernelWouldRefuseNamingTheProgramAndBothTypes() throws Exception {
        Path keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
        Path skeleton = attachKindsSkeleton();

        Sigil.Run xdpOnRawTracepoint = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "kinds", "--attach", "on_raw_tp=xdp:eth0", "--attach", "on_xdp=xdp:eth0",
                "--attach", "on_tc=tcx:eth0:ingress", "--attach", "on_cg_egress=cgroup:/sys/fs/cgroup/app:inet_egress",
                "--attach", "on_connect4=cgroup:/sys/fs/cgroup/web:inet4_connect",
                "--attach", "on_tracepoint=tracepoint:syscalls/sys_enter_openat",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue");
        Sigil.Run otherBtfTarget = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "kinds", "--attach", "on_tp_btf=tp_btf:sys_enter", "--attach", "on_xdp=xdp:eth0",
                "--attach", "on_tc=tcx:eth0:ingress", "--attach", "on_cg_egress=cgroup:/sys/fs/cgroup/app:inet_egress",
                "--attach", "on_connect4=cgroup:/sys/fs/cgroup/web:inet4_connect",
                "--attach", "on_tracepoint=tracepoint:syscalls/sys_enter_openat",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue");
        Sigil.Run uprobeOnTracepoint = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "kinds", "--attach", "on_xdp=xdp:eth0",
                "--attach", "on_tc=tcx:eth0:ingress", "--attach", "on_cg_egress=cgroup:/sys/fs/cgroup/app:inet_egress",
                "--attach", "on_connect4=cgroup:/sys/fs/cgroup/web:inet4_connect",
                "--attach", "on_tracepoint=uprobe:/usr/bin/app:main",
                "--attach", "on_uprobe=uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc",
                "--attach", "on_sk_lookup=sk_lookup:/var/run/netns/blue");

        assertThat(uprobeOnTracepoint.exitCode()).isEqualTo(2);
        assertThat(uprobeOnTracepoint.err()).hasLineCount(1)
                .contains("program on_tracepoint is a tracepoint program; attach type Uprobe(/usr/bin/app, 0, main) needs a "
                        + "kprobe program (expected attach type none or uprobe_multi)");
        assertThat(xdpOnRawTracepoint.exitCode()).isEqualTo(2);
        assertThat(xdpOnRawTracepoint.err()).hasLineCount(1)
                .contains("program on_raw_tp is a raw_tracepoint program; attach type Xdp(eth0, Generic) needs a xdp program "
                        + "(expected attach type none or xdp)");
        assertThat(otherBtfTarget.exitCode()).isEqualTo(2);
        assertThat(otherBtfTarget.err()).hasLineCount(1)
                .contains("program on_tp_btf is a tracing (tp_btf sched_switch) program and attaches only at its own BTF target");
    }

    private Path attachKindsSkeleton() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SignedFixtures.ATTACH_KINDS_SKELETON)) {
            Path file = dir.resolve("attach_kinds.lskel.h");
            Files.write(file, in.readAllBytes());
            return file;
        }
    }
}
