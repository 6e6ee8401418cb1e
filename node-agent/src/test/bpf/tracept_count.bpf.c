// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program (a name within the kernel's 15 characters): counts hits of the classic tracepoint it is attached to (a perf-event link); the section
// names syscalls/sys_enter_openat, but the resource's attach point decides where it runs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("tracepoint/syscalls/sys_enter_openat")
int tracept_count(void *ctx)
{
	count_hit();
	return 0;
}
