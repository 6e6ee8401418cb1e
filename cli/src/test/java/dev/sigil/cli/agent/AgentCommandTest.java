package dev.sigil.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.cli.SigilCommand;
import dev.sigil.crds.signedbpfprogram.SignedBpfProgram;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.Cgroup;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.PodTarget;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import dev.sigil.crds.signedbpfprogram.spec.SignedBpfProgramSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agent commands' argument handling: every mistake is a usage error (exit 2) caught before the kernel is touched. */
class AgentCommandTest {
    @TempDir
    Path dir;

    @Test
    void asksForASubcommand() {
        Result result = sigil("agent");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("a command is required: run, status, unload or cluster");
    }

    @Test
    void runNeedsATrustBundle() throws IOException {
        Result result = sigil("agent", "run", resource());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--trust=FILE|DIR'");
    }

    @Test
    void runRefusesAPodTargetInOneLineNamingIt() throws IOException {
        Path file = resource();
        SignedBpfProgram resource = new KubernetesSerialization().unmarshal(Files.readString(file), SignedBpfProgram.class);
        resource.getSpec().getPrograms().add(new ProgramSpec("on_pods", Cgroup.onPods(new PodTarget(
                new LabelSelectorBuilder().withMatchLabels(java.util.Map.of("app", "web")).build(), null),
                CgroupAttachType.InetIngress)));
        Files.writeString(file, new KubernetesSerialization().asYaml(resource));

        Result result = sigil("agent", "run", "--trust", dir, file);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).hasLineCount(1).contains(file + ": spec.programs[1].attach.cgroup.pods: a pod target needs a "
                + "cluster: 'sigil agent cluster' watches the node's pods");
    }

    @Test
    void runNamesAMissingResourceFile() {
        Path missing = dir.resolve("missing.yaml");

        Result result = sigil("agent", "run", "--trust", dir, missing);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(missing + ": no such file");
    }

    @Test
    void runNamesAnUnreadableTrustBundle() throws IOException {
        Path trust = dir.resolve("no-such-ca.pem");

        Result result = sigil("agent", "run", "--trust", trust, resource());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--trust " + trust);
    }

    @Test
    void runRefusesAZeroInterval() throws IOException {
        Result result = sigil("agent", "run", "--trust", dir, "--interval", "0s", resource());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("the refresh interval must be positive");
    }

    @Test
    void runTakesOnceOrDurationNotBoth() throws IOException {
        Result result = sigil("agent", "run", "--trust", dir, "--once", "--duration", "5s", resource());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("mutually exclusive");
    }

    @Test
    void runRefusesAnUnreadableDuration() throws IOException {
        Result result = sigil("agent", "run", "--trust", dir, "--duration", "five seconds", resource());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("'five seconds' is not a duration");
    }

    @Test
    void clusterNeedsANodeName() {
        Result result = sigil("agent", "cluster", "--trust", dir, "--node=");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("no node name: pass --node or set NODE_NAME");
    }

    @Test
    void clusterNamesAnUnreadableTrustBundleBeforeConnecting() {
        Path trust = dir.resolve("no-trust");

        Result result = sigil("agent", "cluster", "--trust", trust, "--node", "node-a");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--trust " + trust);
    }

    @Test
    void unloadNeedsAName() {
        Result result = sigil("agent", "unload");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required parameter: 'NAME'");
    }

    private Path resource() throws IOException {
        SignedBpfProgramSpec spec = new SignedBpfProgramSpec();
        spec.setLoader("AAAA");
        spec.setMetadata("AAAA");
        spec.setHash("sha256:" + "0".repeat(64));
        spec.setSignature("AAAA");
        spec.setPrograms(new java.util.ArrayList<>(List.of(new ProgramSpec("count_sys_enter", AttachSpec.rawTracepoint("sys_enter")))));
        SignedBpfProgram resource = new SignedBpfProgram();
        resource.setMetadata(new ObjectMetaBuilder().withName("counter").build());
        resource.setSpec(spec);
        return Files.writeString(dir.resolve("counter.yaml"), new KubernetesSerialization().asYaml(resource));
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result sigil(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SigilCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
