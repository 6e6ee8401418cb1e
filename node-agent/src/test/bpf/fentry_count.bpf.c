// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: an fentry program, for kernels that allow them (this project's CI kernel refuses: EPERM).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

SEC("fentry/bpf_fentry_test1")
int fentry_count(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&hits, &key);

	if (value)
		__sync_fetch_and_add(value, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
