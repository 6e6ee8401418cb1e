package dev.sigil.bpf.sys;

import java.util.List;

/**
 * What BPF_OBJ_GET_INFO_BY_FD says about a program. {@code tag}: the kernel's hash of its instructions, hex.
 * {@code runCount} and {@code runTimeNanos}: how often it ran and for how long in all, counted only while
 * run statistics are on ({@link SyscallBridge#enableStats}), so both stay 0 for runs while they were off.
 */
public record ProgInfo(int type, int id, String tag, String name, List<Integer> mapIds, long runCount,
        long runTimeNanos) {
    public ProgInfo {
        mapIds = List.copyOf(mapIds);
    }
}
