package dev.sigil.bpf.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.testing.FakeSyscallBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bpffs is mounted for the pin root only where it hides nothing, or when asked for explicitly, and never for what
 * only looks at pins. The mount table is a file of the test's (a pin root on ext4); the bridge records the mount.
 */
class BpffsMountTest {
    private final FakeSyscallBridge bridge = new FakeSyscallBridge();

    @TempDir
    Path dir;

    @Test
    void mountsOnADirectoryThatDoesNotExistYet() throws IOException {
        Path root = dir.resolve("sigil");

        Support bpffs = probe(root, BpffsMount.IfEmpty).bpffs();

        assertThat(bpffs.isSupported()).as(bpffs.describe()).isTrue();
        assertThat(bridge.calls).containsExactly("mountBpffs");
    }

    @Test
    void mountsOnAnEmptyDirectory() throws IOException {
        Path root = Files.createDirectory(dir.resolve("sigil"));

        assertThat(probe(root, BpffsMount.IfEmpty).bpffs().isSupported()).isTrue();
        assertThat(bridge.calls).containsExactly("mountBpffs");
    }

    @Test
    void refusesToHideWhatADirectoryHolds() throws IOException {
        Path root = Files.createDirectory(dir.resolve("sigil"));
        Files.writeString(root.resolve("notes.txt"), "someone's file");

        Support bpffs = probe(root, BpffsMount.IfEmpty).bpffs();

        assertThat(bpffs).isInstanceOfSatisfying(Support.Unsupported.class, unsupported -> assertThat(unsupported.reason())
                .isEqualTo("no bpffs under " + root + " (it is on ext4), and " + root + " holds 1 entry (notes.txt)"
                        + " that a bpffs mounted over it would hide: choose an empty pin root, or ask for the mount"
                        + " explicitly"));
        assertThat(bridge.calls).as("no mount").isEmpty();
        assertThat(root.resolve("notes.txt")).exists();
    }

    @Test
    void mountsOverEntriesOnlyWhenAskedTo() throws IOException {
        Path root = Files.createDirectory(dir.resolve("sigil"));
        Files.writeString(root.resolve("notes.txt"), "someone's file");

        assertThat(probe(root, BpffsMount.Always).bpffs().isSupported()).isTrue();
        assertThat(bridge.calls).containsExactly("mountBpffs");
    }

    @Test
    void neverMountsForWhatOnlyLooks() throws IOException {
        Path root = dir.resolve("sigil");

        Support bpffs = probe(root, BpffsMount.Never).bpffs();

        assertThat(bpffs).isInstanceOfSatisfying(Support.Unsupported.class, unsupported -> assertThat(unsupported.reason())
                .isEqualTo("no bpffs under " + root + " (it is on ext4); not mounting one for what only looks at pins"));
        assertThat(bridge.calls).isEmpty();
        assertThat(root).doesNotExist();
    }

    @Test
    void findsABpffsThatIsThereWhateverThePolicy() throws IOException {
        Path root = Files.createDirectory(dir.resolve("bpf")).resolve("sigil");
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                + "40 27 0:40 / " + root.getParent() + " rw - bpf bpf rw\n");

        for (BpffsMount policy : BpffsMount.values()) {
            Support bpffs = new KernelProbe(bridge, root, policy, new Mounts(mountinfo)).bpffs();
            assertThat(bpffs.describe()).contains("bpffs at " + root.getParent());
        }
        assertThat(bridge.calls).isEmpty();
    }

    private KernelProbe probe(Path root, BpffsMount policy) throws IOException {
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), "27 1 254:0 / / rw - ext4 /dev/vda rw\n");
        return new KernelProbe(bridge, root, policy, new Mounts(mountinfo));
    }
}
