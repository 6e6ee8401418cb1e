// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program every kernel's verifier refuses: it reads a hash map's value without checking the lookup
// for NULL ("invalid mem access 'map_value_or_null'"). The signed loader's BPF_PROG_LOAD of it fails.
// (A hash map, because newer verifiers know an array lookup with a constant in-range key is never NULL.)
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int deref_unchecked(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&hits, &key);

	return *value;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
