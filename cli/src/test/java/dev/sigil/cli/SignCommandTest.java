package dev.sigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.AttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.Protocol;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import dev.sigil.signing.LightSkeleton;
import dev.sigil.signing.LoaderHashV1;
import dev.sigil.signing.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignCommandTest {
    @TempDir
    Path dir;
    private Path skeleton;
    private Path keys;

    @BeforeEach
    void skeletonAndKey() throws Exception {
        skeleton = Sigil.counterSkeleton(dir);
        keys = Sigil.keygen(dir.resolve("keys"), "CN=release");
    }

    private Sigil.Run sign(Object... extra) {
        Object[] args = new Object[9 + extra.length];
        Object[] base = {"sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert", keys.resolve("cert.pem"),
            "--name", "counter"};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Sigil.run(args);
    }

    @Test
    void writesASignedResourceForTheExample() throws Exception {
        Sigil.Run run = sign("-o", dir.resolve("counter.yaml"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("sigil sign: wrote " + dir.resolve("counter.yaml") + " (counter, signed by CN=release, loader sha256:");
        SignedBpfProgram resource = SignedProgramResource.read(dir.resolve("counter.yaml"));
        SignedBpfProgramSpec spec = resource.getSpec();
        LightSkeleton parsed = LightSkeleton.parse(skeleton);
        byte[] metadata = Base64.getDecoder().decode(spec.getMetadata());
        byte[] loader = Base64.getDecoder().decode(spec.getLoader());
        assertThat(resource.getMetadata().getName()).isEqualTo("counter");
        assertThat(spec.getProtocol()).isEqualTo(Protocol.LoaderHashV1);
        assertThat(metadata).isEqualTo(parsed.metadata());
        assertThat(spec.getHash()).isEqualTo(Sha256.tagged(metadata));
        assertThat(loader).isEqualTo(LoaderHashV1.signedLoader(parsed.loaderInstructions(), metadata));
        assertThat(spec.getPrograms()).singleElement().satisfies(program -> {
            assertThat(program.getName()).isEqualTo("count_sys_enter");
            assertThat(program.getAttach().describe()).isEqualTo("RawTracepoint(sys_enter)");
        });
        assertThat(spec.getMaps()).extracting(MapSpec::getName).containsExactly("counts", "data");
        assertThat(spec.getEnforcement()).isEqualTo(Enforcement.Auto);
        assertThat(spec.getNodeSelector()).isNull();
        assertThat(Sigil.run("verify", "--trust", keys.resolve("cert.pem"), dir.resolve("counter.yaml")).exitCode()).isZero();
    }

    @Test
    void printsTheResourceWhenNoOutputFileIsGiven() {
        Sigil.Run run = sign();

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("apiVersion: \"sigil.dev/v1alpha1\"", "kind: \"SignedBpfProgram\"", "name: \"counter\"");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void takesAttachPointsNodeSelectorAndEnforcementFromTheCommandLine() throws Exception {
        Sigil.Run run = sign("--attach", "count_sys_enter=raw_tracepoint:sys_exit", "--node-selector", "sigil.dev/agent=true",
                "--node-selector", "kubernetes.io/os=linux", "--enforcement", "kernel", "-o", dir.resolve("x.yaml"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        SignedBpfProgramSpec spec = SignedProgramResource.read(dir.resolve("x.yaml")).getSpec();
        assertThat(spec.getPrograms().getFirst().getAttach().describe()).isEqualTo("RawTracepoint(sys_exit)");
        assertThat(spec.getIntent().getPrograms().getFirst().getAttach().getRawTracepoint().getName()).isEqualTo("sys_exit");
        assertThat(spec.getIntent().getMinimumEnforcement()).isEqualTo(Enforcement.Kernel);
        assertThat(spec.getIntent().getRequiredNodeLabels()).as("a node selector alone is not signed").isNull();
        assertThat(spec.getNodeSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("sigil.dev/agent", "true", "kubernetes.io/os", "linux"));
        assertThat(spec.getEnforcement()).isEqualTo(Enforcement.Kernel);
    }

    @Test
    void understandsEveryAttachNotation() {
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("tp_btf:sched_switch")).describe()).isEqualTo("TpBtf(sched_switch)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("xdp:veth0")).describe()).isEqualTo("Xdp(veth0, Generic)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("tcx:eth0:egress")).describe()).isEqualTo("Tcx(eth0, Egress)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("xdp:veth*:driver")).describe())
                .isEqualTo("Xdp(interfaces matching 'veth*', Driver)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("tcx:eth?:ingress")).describe())
                .isEqualTo("Tcx(interfaces matching 'eth?', Ingress)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("xdp:primary-interface")).describe())
                .isEqualTo("Xdp(primary interface, Generic)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("tcx:primary-interface:egress")).describe())
                .isEqualTo("Tcx(primary interface, Egress)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("cgroup:/sys/fs/cgroup/web:inet_ingress")).describe())
                .isEqualTo("Cgroup(/sys/fs/cgroup/web, InetIngress)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("cgroup:/sys/fs/cgroup/a:b:getsockopt")).describe())
                .isEqualTo("Cgroup(/sys/fs/cgroup/a:b, GetSockopt)");
        AttachSpec fentry = AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("fentry:do_sys_open"));
        assertThat(fentry.getType()).isEqualTo(AttachType.Fentry);
        assertThat(fentry.getFentry().getFunction()).isEqualTo("do_sys_open");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("fexit:vfs_read")).describe()).isEqualTo("Fexit(vfs_read)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("lsm:file_open")).describe()).isEqualTo("Lsm(file_open)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("kprobe:tcp_connect")).describe()).isEqualTo("Kprobe(tcp_connect)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("tracepoint:syscalls/sys_enter_openat")).describe())
                .isEqualTo("Tracepoint(syscalls/sys_enter_openat)");
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("uprobe:/usr/lib/libc.so.6:malloc")).describe())
                .isEqualTo("Uprobe(/usr/lib/libc.so.6:malloc)");
        AttachSpec uretprobe = AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("uretprobe:/opt/a:b/app:_ZN3app4mainEv+0x1f:pid=42"));
        assertThat(uretprobe.getType()).isEqualTo(AttachType.Uretprobe);
        assertThat(uretprobe.getUretprobe().getBinary()).as("a colon in the path").isEqualTo("/opt/a:b/app");
        assertThat(uretprobe.getUretprobe().getSymbol()).isEqualTo("_ZN3app4mainEv");
        assertThat(uretprobe.getUretprobe().getOffset()).isEqualTo(31);
        assertThat(uretprobe.getUretprobe().getPid()).isEqualTo(42);
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("uprobe:/usr/bin/app:main+16")).getUprobe().getOffset())
                .isEqualTo(16);
        assertThat(AttachSpecs.toSpec(dev.sigil.signing.AttachHint.parse("sk_lookup:/var/run/netns/blue")).describe())
                .isEqualTo("SkLookup(/var/run/netns/blue)");
    }

    @Test
    void rejectsBadProbeTargetsNamingWhatIsWrong() {
        assertThat(sign("--attach", "count_sys_enter=tracepoint:sys_enter_openat").err())
                .contains("tracepoint target is CATEGORY/NAME (e.g. syscalls/sys_enter_openat), got 'sys_enter_openat'");
        assertThat(sign("--attach", "count_sys_enter=tracepoint:../events/x").err())
                .contains("'..' is not a valid tracepoint category");
        assertThat(sign("--attach", "count_sys_enter=uprobe:main").err())
                .contains("uprobe target is /BINARY:SYMBOL[+OFFSET][:pid=PID]");
        assertThat(sign("--attach", "count_sys_enter=uprobe:/usr/../bin/app:main").err())
                .contains("'/usr/../bin/app' is not a valid binary path");
        assertThat(sign("--attach", "count_sys_enter=uprobe:/usr/bin/app:main+0x200000").err())
                .contains("offset 2097152 is larger than 1048576");
        assertThat(sign("--attach", "count_sys_enter=uprobe:/usr/bin/app:main+ten").err())
                .contains("'ten' is not a valid offset");
        assertThat(sign("--attach", "count_sys_enter=uretprobe:/usr/bin/app:main:pid=0").err())
                .contains("pid 0 is outside 1..4194304");
        assertThat(sign("--attach", "count_sys_enter=sk_lookup:netns").err())
                .contains("'netns' is not a valid network namespace file path");
        assertThat(sign("--attach", "count_sys_enter=uprobe:/usr/bin/app:main").err())
                .as("a raw tracepoint program is no uprobe").contains("program count_sys_enter is a raw_tracepoint program; "
                        + "attach type Uprobe(/usr/bin/app, 0, main) needs a kprobe program (expected attach type none or uprobe_multi)");
    }

    @Test
    void rejectsBadAttachPointsNamingWhatIsWrong() {
        assertThat(sign("--attach", "nosuch=raw_tracepoint:x").err()).isEqualTo(
                "sigil sign: --attach names program 'nosuch', but skeleton counter has count_sys_enter (see sigil sign --help)\n");
        assertThat(sign("--attach", "count_sys_enter=usdt:x").err()).startsWith(
                "sigil sign: --attach count_sys_enter=usdt:x: unknown attach kind 'usdt'; expected one of cgroup, fentry");
        assertThat(sign("--attach", "count_sys_enter=xdp:eth0:turbo").err()).isEqualTo("sigil sign: attach point "
                + "count_sys_enter=xdp:eth0:turbo: 'turbo' is not a XDP mode; expected one of [generic, driver] (see sigil sign --help)\n");
        assertThat(sign("--attach", "count_sys_enter=tcx:eth0").err()).contains("tcx target is IFACE:ingress|egress, got 'eth0'");
        assertThat(sign("--attach", "count_sys_enter=xdp:an-interface-name-too-long").err())
                .contains("'an-interface-name-too-long' is not a valid interface name");
        assertThat(sign("--attach", "count_sys_enter").err()).contains("--attach 'count_sys_enter' is not PROG=TYPE:TARGET");
        assertThat(sign("--attach", "count_sys_enter=xdp:eth0:turbo").exitCode()).isEqualTo(2);
    }

    @Test
    void requiresAnAttachPointForProgramsTheSkeletonDoesNotPlace() throws Exception {
        Files.writeString(skeleton, Files.readString(skeleton).replace("skel_raw_tracepoint_open(\"sys_enter\", prog_fd)",
                "skel_raw_tracepoint_open(NULL, prog_fd)"));

        Sigil.Run run = sign();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("sigil sign: program 'count_sys_enter' has no attach point: the skeleton names none "
                + "(it names raw tracepoints and BTF targets only); give --attach count_sys_enter=TYPE:TARGET (see sigil sign --help)\n");
        assertThat(sign("--attach", "count_sys_enter=raw_tracepoint:sys_enter").exitCode()).isZero();
    }

    @Test
    void rejectsBadNamesSelectorsAndModes() {
        assertThat(sign("--enforcement", "strict").err())
                .isEqualTo("sigil sign: --enforcement must be Auto, Kernel or Agent, got 'strict' (see sigil sign --help)\n");
        assertThat(sign("--node-selector", "zone").err()).contains("--node-selector 'zone' is not KEY=VALUE");
        assertThat(sign("--node-selector", "zone=a b").err()).contains("is not a Kubernetes label");
        Sigil.Run badName = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "Counter_1");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(badName.err()).startsWith("sigil sign: --name: 'Counter_1' is not a Kubernetes object name");
    }

    @Test
    void reportsMissingAndMalformedInputsOnOneLine() throws Exception {
        Sigil.Run missing = Sigil.run("sign", "--skeleton", dir.resolve("absent.lskel.h"), "--key", keys.resolve("key.pem"),
                "--cert", keys.resolve("cert.pem"), "--name", "counter");
        Sigil.Run wrongKey = Sigil.run("sign", "--skeleton", skeleton, "--key", keys.resolve("cert.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "counter");
        Files.writeString(skeleton, Files.readString(skeleton).replace("\\x9f\\xeb\\x01", "\\x9f\\xeb\\q1"));
        Sigil.Run malformed = sign();

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("sigil sign: " + dir.resolve("absent.lskel.h") + ": cannot read").hasLineCount(1);
        assertThat(malformed.exitCode()).isEqualTo(1);
        assertThat(malformed.err()).matches("sigil sign: .*counter\\.lskel\\.h:\\d+: unknown escape sequence \\\\q\n");
        assertThat(wrongKey.err()).isEqualTo("sigil sign: " + keys.resolve("cert.pem") + ": expected a private key, found a certificate\n");
    }

    @Test
    void resignsASkeletonThatBpftoolSigned() throws Exception {
        Path signedHeader = Sigil.repositoryRoot().resolve("signing/src/test/resources/skeletons/counter-bpftool-signed.lskel.h");
        Sigil.Run run = Sigil.run("sign", "--skeleton", signedHeader, "--key", keys.resolve("key.pem"), "--cert",
                keys.resolve("cert.pem"), "--name", "counter", "-o", dir.resolve("resigned.yaml"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("carries a bpftool signature; it is replaced by a LoaderHashV1 signature");
        assertThat(Sigil.run("verify", "--trust", keys.resolve("cert.pem"), dir.resolve("resigned.yaml")).exitCode()).isZero();
    }

    @Test
    void explainsItselfWithHelp() {
        assertThat(Sigil.run("sign", "--help").out()).contains("--attach=PROG=TYPE:TARGET", "--node-selector=KEY=VALUE",
                "--enforcement=MODE", "raw_tracepoint:NAME", "tcx:IFACE:ingress|egress");
    }
}
