package dev.sigil.bpf.sys;

import java.util.Optional;

/**
 * BPF_MAP_CREATE arguments. {@code exclusiveProgramHash}: the SHA-256 of the only program allowed to use
 * the map (Linux 6.18 {@code excl_prog_hash}); any other program gets EPERM.
 */
public record MapCreateRequest(MapType type, int keySize, int valueSize, int maxEntries, int flags, String name,
        Optional<byte[]> exclusiveProgramHash) {
}
