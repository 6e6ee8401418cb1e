// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts packets on a tcx hook and lets the next program decide (TCX_NEXT).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

/* "tc" rather than "tcx/ingress": Debian's libbpf 1.1 predates the tcx section names; the agent picks
 * the direction when it creates the link. */
SEC("tc")
int tcx_count(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&hits, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
	return -1; /* TCX_NEXT */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
