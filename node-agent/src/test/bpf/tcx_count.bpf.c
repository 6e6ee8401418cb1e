// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts packets on a tcx hook and lets the next program decide (TCX_NEXT).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

/* "tc" rather than "tcx/ingress": Debian's libbpf 1.1 predates the tcx section names; the agent picks
 * the direction when it creates the link. */
SEC("tc")
int tcx_count(struct __sk_buff *skb)
{
	count_hit();
	return -1; /* TCX_NEXT */
}
