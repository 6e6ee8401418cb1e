// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: an fentry program, for kernels that allow them (this project's CI kernel refuses: EPERM).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("fentry/bpf_fentry_test1")
int fentry_count(void *ctx)
{
	count_hit();
	return 0;
}
