// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// What every counting test program shares: the one-slot map "hits" the tests read through the agent,
// the license, and the increment. Include after vmlinux.h and bpf_helpers.h.
#ifndef SIGIL_COUNT_HITS_H
#define SIGIL_COUNT_HITS_H

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void count_hit(void)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&hits, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif
