package dev.sigil.bpf.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.agent.testing.HostFixture;
import dev.sigil.agent.testing.TestResources;
import dev.sigil.bpf.kernel.AttachKind;
import dev.sigil.bpf.kernel.Mounts;
import dev.sigil.signing.testing.Shell;
import dev.sigil.bpf.testing.TestBundles;
import dev.sigil.crds.bpfnodestate.status.NodeProgramState;
import dev.sigil.crds.bpfnodestate.status.ProgramPhase;
import dev.sigil.crds.signedbpfprogram.spec.AttachSpec;
import dev.sigil.crds.signedbpfprogram.spec.CgroupAttachType;
import dev.sigil.crds.signedbpfprogram.spec.Enforcement;
import dev.sigil.crds.signedbpfprogram.spec.MapSpec;
import dev.sigil.crds.signedbpfprogram.spec.ProgramSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cgroup_skb program on a cgroup v2 directory the test creates, counting what a process in it receives. */
class CgroupAttachIT {
    private HostFixture fixture;
    private Path cgroup;

    @BeforeEach
    void createCgroup() throws Exception {
        fixture = HostFixture.requiring(AttachKind.Cgroup);
        cgroup = Mounts.system().mountPointOf("cgroup2").orElseThrow()
                .resolve("sigil-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            HostFixture.closeIfStarted(fixture);
        } finally {
            if (cgroup != null) {
                // The shell that joined the cgroup may still be exiting; rmdir fails with EBUSY until it has.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                    Files.deleteIfExists(cgroup);
                    return true;
                });
            }
        }
    }

    @Test
    void countsPacketsDeliveredToSocketsOfTheCgroup() throws Exception {
        String name = TestBundles.uniqueName("cgroup");
        NodeProgramState state = fixture.host().apply(TestResources.resource(name, 1,
                TestBundles.sign(TestBundles.skeleton("bpf/cgroup_count.lskel.h"), TestBundles.key()),
                List.of(new ProgramSpec("cgroup_count", AttachSpec.cgroup(cgroup.toString(),
                        CgroupAttachType.InetIngress))),
                List.of(new MapSpec("hits")), Enforcement.Auto));
        assertThat(state.getPhase()).as(state.getMessage()).isEqualTo(ProgramPhase.Attached);
        assertThat(state.getPrograms().getFirst().getAttachedTo()).contains(cgroup.toString(), "InetIngress");

        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                // bash joins the cgroup, then opens a TCP connection: the SYN-ACK reaches a socket of the cgroup.
                Shell.run("bash", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                        + " && exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort());
                return fixture.host().readMapValue(name, "hits", 0).orElseThrow() > 0;
            });
        }
    }
}
