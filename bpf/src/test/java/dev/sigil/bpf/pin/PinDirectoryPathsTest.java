package dev.sigil.bpf.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigil.bpf.attach.AttachTarget;
import dev.sigil.bpf.failure.BpfFailure;
import dev.sigil.bpf.loader.AppliedEnforcement;
import dev.sigil.bpf.sys.Fd;
import dev.sigil.bpf.testing.FakeSyscallBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every pin path stays one entry of the resource's own directory under the root, whatever the names say, and
 * removal takes what the record lists and nothing else. Paths and removal are plain file operations, checked here on
 * a temporary directory (the kernel tests pin for real).
 */
class PinDirectoryPathsTest {
    private static final PinnedResource RECORD = new PinnedResource("counter", 1, "sha256:" + "0".repeat(64),
            AppliedEnforcement.Agent, Map.of("counts", 7), List.of("counts"), List.of(
                    new PinnedProgram("count_sys_enter", 11, "0123456789abcdef", 5, new AttachTarget.RawTracepoint("sys_enter"))));

    @TempDir
    Path dir;

    private Path root;
    private PinDirectory pins;

    @BeforeEach
    void root() throws IOException {
        root = Files.createDirectory(dir.resolve("root"));
        pins = new PinDirectory(new FakeSyscallBridge(), root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"count_sys_enter/x", "/../../..", "..", ".", "a.b", "x\0y", ""})
    void refusesProgramNamesThatAreNotOneEntry(String program) {
        assertThatThrownBy(() -> pins.linkPin("counter", program, new AttachTarget.RawTracepoint("sys_enter")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot name a pin");
        assertThatThrownBy(() -> pins.requirePinnable("counter", List.of(program), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "counts/..", "a\0b"})
    void refusesMapNamesThatAreNotOneEntry(String map) {
        assertThatThrownBy(() -> pins.mapPin("counter", map)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildsEveryPinAsAnEntryOfTheResourcesDirectory() {
        assertThat(pins.linkPin("my.counter", "count_sys_enter", new AttachTarget.RawTracepoint("sys_enter")).toString())
                .matches(root.resolve("my_counter/link_count_sys_enter-raw_tracepoint-").toString() + "[0-9a-f]{10}");
        assertThat(pins.linkPin("c", "xdp_count", new AttachTarget.Xdp("veth-a.100/../x", AttachTarget.Xdp.Mode.Generic))
                .getFileName().toString()).matches("link_xdp_count-veth-a_100____x-[0-9a-f]{10}");
        assertThat(pins.mapPin("my.counter", ".data")).isEqualTo(root.resolve("my_counter/map_-data"));
    }

    @Test
    void refusesANameGivenTwice() {
        assertThatThrownBy(() -> pins.requirePinnable("counter", List.of("p", "p"), List.of()))
                .hasMessage("program name 'p' of counter is given twice");
        assertThatThrownBy(() -> pins.requirePinnable("counter", List.of("p"), List.of("a.b", "a-b")))
                .hasMessageStartingWith("pinned map name 'a-b' of counter is given twice");
    }

    @Test
    void pinsNothingIntoAResourceDirectoryThatLinksOutOfTheRoot() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("counter"), elsewhere);

        assertThatThrownBy(() -> pins.createDirectory("counter"))
                .isInstanceOf(BpfFailure.class)
                .hasMessageContaining("is not a directory but a symbolic link to " + elsewhere);
        assertThatThrownBy(() -> pins.remove(RECORD)).hasMessageContaining("symbolic link");
        assertThat(pins.resources()).as("a link is no resource of Sigil's").isEmpty();
    }

    @Test
    void pinsNothingOutsideAResourceDirectoryDirectlyUnderTheRoot() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        try (Fd map = Fd.own(3, fd -> { })) {
            for (Path pin : List.of(elsewhere.resolve("map_counts"), root.resolve("map_counts"),
                    root.resolve("counter/../elsewhere/map_counts"), root.resolve("counter/sub/map_counts"))) {
                assertThatThrownBy(() -> pins.pin(map, pin))
                        .as(pin.toString())
                        .isInstanceOf(BpfFailure.class)
                        .hasMessageContaining("is not an entry of the pin root " + root);
            }
        }
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void removesWhatTheRecordListsAndLeavesTheRest() throws IOException {
        Path directory = Files.createDirectory(root.resolve("counter"));
        for (String entry : List.of("link_count_sys_enter", "map_counts", "-pending-map_counts", "meta",
                "meta_count_sys_enter", "bpftool_pin", "notes.txt")) {
            Files.writeString(directory.resolve(entry), entry);
        }

        PinRemoval removal = pins.remove(RECORD);

        assertThat(removal.left()).containsExactly("bpftool_pin", "notes.txt");
        assertThat(removal.failures()).isEmpty();
        assertThat(directory).isDirectory();
        assertThat(pins.entries("counter")).containsExactly("bpftool_pin", "notes.txt");
    }

    @Test
    void leavesADirectoryWhereAPinOfTheRecordWouldBe() throws IOException {
        Path directory = Files.createDirectory(root.resolve("counter"));
        Files.createDirectories(directory.resolve("link_count_sys_enter").resolve("occupied"));
        Files.createDirectory(directory.resolve("map_counts"));
        Files.writeString(directory.resolve("meta"), "");

        PinRemoval removal = pins.remove(RECORD);

        assertThat(removal.left()).as("Sigil never pins a directory")
                .containsExactly("link_count_sys_enter", "map_counts");
        assertThat(removal.failures()).isEmpty();
        assertThat(directory.resolve("link_count_sys_enter").resolve("occupied")).isDirectory();
    }

    @Test
    void removesTheDirectoryWhenNothingElseIsInIt() throws IOException {
        Path directory = Files.createDirectory(root.resolve("counter"));
        Files.writeString(directory.resolve("link_count_sys_enter"), "");
        Files.writeString(directory.resolve("meta"), "");

        assertThat(pins.remove(RECORD).left()).isEmpty();
        assertThat(directory).doesNotExist();
    }

    @Test
    void readsNoRecordThatNamesAPinSigilWouldNeverMake() throws IOException {
        Path directory = Files.createDirectory(root.resolve("counter"));
        String escaping = "v=2&generation=1&loaderHash=sha256%3A00&enforcement=agent&maps=&pinnedMaps=..%2F..%2Fx"
                + "&programs=count_sys_enter";
        Files.createSymbolicLink(directory.resolve("meta"), Path.of(escaping));
        Files.createSymbolicLink(directory.resolve("meta_count_sys_enter"),
                Path.of("v=3&programId=1&tag=00&links="));

        assertThatThrownBy(() -> pins.readRecord("counter"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the pin record names a pin Sigil would never make: map name '../../x' of counter");
    }
}
