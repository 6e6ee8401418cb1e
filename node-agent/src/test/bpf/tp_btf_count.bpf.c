// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts sys_enter through the BTF-typed tracepoint.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("tp_btf/sys_enter")
int tp_btf_count(void *ctx)
{
	count_hit();
	return 0;
}
