package dev.sigil.bpf.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.sys.LinuxSyscallBridge;
import dev.sigil.bpf.sys.MapCreateRequest;
import dev.sigil.bpf.sys.MapType;
import dev.sigil.bpf.sys.SyscallBridge;
import dev.sigil.bpf.testing.FdCount;
import dev.sigil.bpf.testing.ForwardingSyscallBridge;
import dev.sigil.bpf.testing.KernelAssumptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins and records on the real bpffs, where a pin costs one BPF_OBJ_PIN and a rename in the usual case (one
 * BPF_OBJ_PIN alone into a directory just created): also when an interrupted attempt left its pending name behind,
 * the resource's directory is gone, or a directory said to be new holds the name after all.
 */
class PinDirectoryIT {
    private final SyscallBridge bridge = LinuxSyscallBridge.create();
    private final Path root = Path.of("/sys/fs/bpf", "sigil-pin-test-" + UUID.randomUUID().toString().substring(0, 8));
    private final List<Path> pinnedAt = new ArrayList<>();
    private final PinDirectory pins = new PinDirectory(new ForwardingSyscallBridge(bridge) {
        @Override
        public void objPin(Fd object, Path path) {
            pinnedAt.add(path);
            super.objPin(object, path);
        }
    }, root);
    private Set<String> fdsBefore;

    @BeforeEach
    void requireBpffs() {
        KernelAssumptions.require("bpffs", KernelAssumptions.features().bpffs());
        fdsBefore = FdCount.snapshot();
    }

    @AfterEach
    void removeRoot() throws Exception {
        // The test's own pins, which no record lists (the directory's remove takes only what a record lists).
        if (Files.exists(root)) {
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        assertThat(FdCount.openedSince(fdsBefore)).as("fds leaked").isEmpty();
    }

    private Fd map() {
        return bridge.mapCreate(new MapCreateRequest(MapType.ARRAY, 4, 8, 1, 0, "sigil_pin_test", Optional.empty()));
    }

    private static List<String> names(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }

    @Test
    void pinsOverWhatAnInterruptedAttemptLeftBehind() throws Exception {
        Path pin = pins.mapPin("app", "counts");
        try (Fd first = map(); Fd second = map()) {
            pins.createDirectory("app");
            bridge.objPin(first, pin.resolveSibling("-pending-" + pin.getFileName()));
            pins.pin(second, pin);
            try (Fd pinned = pins.open(pin)) {
                assertThat(bridge.mapInfo(pinned, false).id()).isEqualTo(bridge.mapInfo(second, false).id());
            }
        }
        assertThat(names(pins.directory("app"))).containsExactly("map_counts");
    }

    @Test
    void pinsIntoADirectoryThatWasRemoved() throws Exception {
        Path pin = pins.mapPin("app", "counts");
        try (Fd map = map()) {
            pins.pin(map, pin);
            assertThat(Files.exists(pin)).isTrue();
        }
    }

    @Test
    void pinsInPlaceIntoADirectoryJustCreated() throws Exception {
        Path pin = pins.mapPin("app", "counts");
        try (Fd map = map()) {
            assertThat(pins.createDirectory("app")).isTrue();
            pins.pin(map, pin, true);
            try (Fd pinned = pins.open(pin)) {
                assertThat(bridge.mapInfo(pinned, false).id()).isEqualTo(bridge.mapInfo(map, false).id());
            }
        }
        assertThat(pinnedAt).as("one BPF_OBJ_PIN, at the pin's own name").containsExactly(pin);
        assertThat(names(pins.directory("app"))).containsExactly("map_counts");
    }

    @Test
    void replacesWhatADirectorySaidToBeNewHoldsAfterAll() throws Exception {
        Path pin = pins.mapPin("app", "counts");
        try (Fd first = map(); Fd second = map()) {
            pins.pin(first, pin);
            pins.pin(second, pin, true);
            try (Fd pinned = pins.open(pin)) {
                assertThat(bridge.mapInfo(pinned, false).id()).isEqualTo(bridge.mapInfo(second, false).id());
            }
        }
        assertThat(names(pins.directory("app"))).containsExactly("map_counts");
    }

    @Test
    void writesRecordsInPlaceIntoANewDirectoryAndOverWhatIsThereAfterAll() throws Exception {
        PinnedResource resource = new PinnedResource("app", 3, "sha256:" + "ab".repeat(32), AppliedEnforcement.Agent,
                Map.of("counts", 7), List.of(), List.of(new PinnedProgram("count", 11, "00112233aabbccdd", 13,
                        new AttachTarget.RawTracepoint("sys_enter"))));
        assertThat(pins.createDirectory("app")).isTrue();
        Path directory = pins.directory("app");
        Files.createSymbolicLink(directory.resolve("meta"), Path.of("v=2&stale=1"));

        pins.writeRecord(resource, true);

        assertThat(pins.readRecord("app")).contains(resource);
        assertThat(names(directory)).containsExactlyInAnyOrder("meta", "meta_count",
                "target_count-raw_tracepoint-3b7af3dac3");
    }

    @Test
    void writesRecordsOverPendingNamesLeftBehind() throws Exception {
        PinnedResource resource = new PinnedResource("app", 3, "sha256:" + "ab".repeat(32), AppliedEnforcement.Agent,
                Map.of("counts", 7), List.of(), List.of(new PinnedProgram("count", 11, "00112233aabbccdd", 13,
                        new AttachTarget.RawTracepoint("sys_enter"))));
        pins.createDirectory("app");
        Path directory = pins.directory("app");
        Files.createSymbolicLink(directory.resolve("-pending-meta"), Path.of("left-behind"));
        Files.createSymbolicLink(directory.resolve("-pending-meta_count"), Path.of("left-behind"));

        pins.writeRecord(resource, false);

        assertThat(pins.readRecord("app")).contains(resource);
        assertThat(names(directory)).containsExactlyInAnyOrder("meta", "meta_count",
                "target_count-raw_tracepoint-3b7af3dac3");
    }

    @Test
    void movesAVersion2DirectoryToOnePinPerLinkWhenItIsRead() throws Exception {
        AttachTarget target = new AttachTarget.Xdp("veth0", AttachTarget.Xdp.Mode.Generic);
        PinnedResource resource = new PinnedResource("app", 3, "sha256:" + "ab".repeat(32), AppliedEnforcement.Agent,
                Map.of(), List.of(), List.of(new PinnedProgram("count", 11, "00112233aabbccdd", 13, target)));
        pins.createDirectory("app");
        Path directory = pins.directory("app");
        int pinnedId;
        try (Fd map = map()) {
            pinnedId = bridge.mapInfo(map, false).id();
            pins.pin(map, directory.resolve("link_count"));
        }
        Files.createSymbolicLink(directory.resolve("meta"), Path.of("v=2&generation=3&loaderHash=sha256%3A" + "ab".repeat(32)
                + "&enforcement=agent&maps=&pinnedMaps=&programs=count"));
        Files.createSymbolicLink(directory.resolve("meta_count"), Path.of("v=2&programId=11&tag=00112233aabbccdd&linkId=13"
                + "&attach=xdp&interface=veth0&mode=generic"));

        assertThat(pins.readRecord("app")).contains(resource);

        Path moved = pins.linkPin("app", "count", target);
        assertThat(names(directory)).containsExactlyInAnyOrder("meta", "meta_count", moved.getFileName().toString(),
                "target_" + moved.getFileName().toString().substring("link_".length()));
        try (Fd object = pins.open(moved)) {
            assertThat(bridge.mapInfo(object, false).id()).as("the same object, pinned at its new name").isEqualTo(pinnedId);
        }
        assertThat(Files.readSymbolicLink(directory.resolve("meta")).toString()).startsWith("v=3&");
        assertThat(pins.readRecord("app")).as("read again, as version 3").contains(resource);
    }
}
