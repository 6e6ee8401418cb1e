package dev.sigil.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CallMemoryTest {

    @Test
    void aFrameGetsZeroedMemoryAlthoughTheFrameBeforeDirtiedIt() {
        long address;
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment dirty = memory.allocate(BpfAttr.PROG_LOAD);
            dirty.fill((byte) 0x5a);
            address = dirty.address();
        }
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment reused = memory.allocate(BpfAttr.PROG_LOAD);
            assertThat(reused.address()).as("the same bytes of the thread's buffer").isEqualTo(address);
            assertThat(reused.toArray(JAVA_BYTE)).containsOnly(0);
        }
    }

    @Test
    void nestedFramesDoNotOverwriteTheFrameTheyRunIn() {
        try (CallMemory outer = CallMemory.open()) {
            MemorySegment kept = outer.copy(new byte[] {1, 2, 3, 4});
            try (CallMemory inner = CallMemory.open()) {
                inner.allocate(256).fill((byte) 9);
            }
            MemorySegment after = outer.allocate(16);
            assertThat(kept.toArray(JAVA_BYTE)).containsExactly(1, 2, 3, 4);
            assertThat(after.address()).isGreaterThanOrEqualTo(kept.address() + 4);
            assertThat(after.toArray(JAVA_BYTE)).containsOnly(0);
        }
    }

    @Test
    void everySliceIsAlignedForTheU64FieldsItHolds() {
        try (CallMemory memory = CallMemory.open()) {
            memory.string("odd");
            assertThat(memory.allocate(BpfAttr.MAP_INFO).address() % 8).isZero();
            memory.copy(new byte[] {1});
            assertThat(memory.allocate(8).address() % 8).isZero();
        }
    }

    @Test
    void whatDoesNotFitComesFromTheFramesOwnArenaAndIsReleasedWithIt() {
        byte[] large = new byte[(int) CallMemory.BUFFER_SIZE + 1];
        Arrays.fill(large, (byte) 7);
        MemorySegment copied;
        try (CallMemory memory = CallMemory.open()) {
            copied = memory.copy(large);
            assertThat(copied.toArray(JAVA_BYTE)).isEqualTo(large);
            assertThat(memory.allocate(CallMemory.BUFFER_SIZE * 2).toArray(JAVA_BYTE)).containsOnly(0);
            assertThat(memory.allocate(16).byteSize()).as("small requests still fit the buffer").isEqualTo(16);
        }
        assertThat(copied.scope().isAlive()).isFalse();
    }

    @Test
    void stringsAreNulTerminatedUtf8AndEmptyBytesAreNull() {
        try (CallMemory memory = CallMemory.open()) {
            MemorySegment text = memory.string("/sys/fs/bpf/é");
            byte[] expected = "/sys/fs/bpf/é".getBytes(StandardCharsets.UTF_8);
            assertThat(text.byteSize()).isEqualTo(expected.length + 1);
            assertThat(text.getString(0)).isEqualTo("/sys/fs/bpf/é");
            assertThat(memory.copy(new byte[0])).isEqualTo(MemorySegment.NULL);
        }
    }
}
