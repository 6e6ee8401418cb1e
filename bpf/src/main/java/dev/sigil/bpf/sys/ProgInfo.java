package dev.sigil.bpf.sys;

import java.util.List;

/** What BPF_OBJ_GET_INFO_BY_FD says about a program. {@code tag}: the kernel's hash of its instructions, hex. */
public record ProgInfo(int type, int id, String tag, String name, List<Integer> mapIds) {
    public ProgInfo {
        mapIds = List.copyOf(mapIds);
    }
}
