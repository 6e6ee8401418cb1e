// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts calls of the user-space function it is attached to. The kernel has no separate
// uretprobe program type: the same program counts returns when the resource attaches it as a uretprobe.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("uprobe")
int uprobe_count(void *ctx)
{
	count_hit();
	return 0;
}
