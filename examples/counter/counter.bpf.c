// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Sigil's example: counts system-call entries on this node.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* Lives in the skeleton's .data map, so its initial value travels in the signed metadata. */
__u64 increment = 1;

SEC("raw_tracepoint/sys_enter")
int count_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&counts, &key);

	if (value)
		__sync_fetch_and_add(value, increment);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
