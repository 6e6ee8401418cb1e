package dev.sigil.bpf.sys;

import java.util.Optional;

/** What BPF_OBJ_GET_INFO_BY_FD says about a map; {@code hash} when asked for (6.18 map hashes). */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name,
        Optional<byte[]> hash) {
    /** A map hash is SHA-256: 32 bytes. */
    public static final int HASH_SIZE = 32;
}
