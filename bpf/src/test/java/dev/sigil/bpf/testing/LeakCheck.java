package dev.sigil.bpf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.ObjectKind;
import dev.sigil.bpf.sys.SyscallException;
import dev.sigil.bpf.testing.FdCount.KernelObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything a code path could leave behind, before and after: the process's open fds (with the BPF
 * object behind each), every entry under the pin root (with the object each pin holds), and the kernel
 * objects created through a {@link RecordingBridge} meanwhile, which must all be gone by id enumeration.
 */
public final class LeakCheck {
    /** The kernel frees a program, map or link after an RCU grace period or in deferred work, not at close(). */
    private static final Duration FREE_DELAY = Duration.ofSeconds(10);

    private final String label;
    private final RecordingBridge bridge;
    private final Path pinRoot;
    private final Set<String> fds;
    private final Map<String, String> pins;

    private LeakCheck(String label, RecordingBridge bridge, Path pinRoot) {
        this.label = label;
        this.bridge = bridge;
        this.pinRoot = pinRoot;
        bridge.forgetCreated();
        this.pins = pins();
        this.fds = FdCount.snapshot();
    }

    /** {@code label} names the code path in every failed assertion. */
    public static LeakCheck start(String label, RecordingBridge bridge, Path pinRoot) {
        return new LeakCheck(label, bridge, pinRoot);
    }

    public void assertNothingLeaked() {
        assertThat(FdCount.openedSince(fds)).as("%s: file descriptors leaked", label).isEmpty();
        assertThat(pins()).as("%s: entries under %s", label, pinRoot).isEqualTo(pins);
        Set<KernelObject> created = bridge.created();
        await().atMost(FREE_DELAY).untilAsserted(() -> assertThat(stillLoaded(created))
                .as("%s: kernel objects created meanwhile that are still loaded", label).isEmpty());
    }

    private Set<KernelObject> stillLoaded(Set<KernelObject> created) {
        Map<ObjectKind, Set<Integer>> live = new EnumMap<>(ObjectKind.class);
        for (ObjectKind kind : ObjectKind.values()) {
            live.put(kind, bridge.liveIds(kind));
        }
        return created.stream().filter(object -> live.get(object.kind()).contains(object.id()))
                .collect(Collectors.toSet());
    }

    /** Each entry: a directory, a record symlink's target, or the kernel object a pin holds. */
    private Map<String, String> pins() {
        if (!Files.exists(pinRoot)) {
            return Map.of();
        }
        try (Stream<Path> walk = Files.walk(pinRoot)) {
            Map<String, String> entries = new TreeMap<>();
            // The root itself is created on first use and stays: only what is under it belongs to a resource.
            for (Path path : walk.filter(path -> !path.equals(pinRoot)).toList()) {
                entries.put(pinRoot.relativize(path).toString(), describePin(path));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String describePin(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return "-> " + Files.readSymbolicLink(path);
        }
        if (Files.isDirectory(path)) {
            return "directory";
        }
        try (Fd pinned = bridge.objGet(path)) {
            return FdCount.objectBehind(pinned.number()).map(KernelObject::toString).orElse("not a BPF object");
        } catch (SyscallException e) {
            // A read-only bpffs refuses BPF_OBJ_GET's default read-write open; the entry is still compared by name.
            return "pin that cannot be opened: " + e.errnoName();
        }
    }
}
