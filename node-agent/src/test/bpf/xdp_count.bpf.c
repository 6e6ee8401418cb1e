// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts packets seen by XDP and passes them on.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	count_hit();
	return XDP_PASS;
}
