// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts socket lookups in the network namespace it is attached to and lets the regular
// lookup go on (SK_PASS without selecting a socket).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("sk_lookup")
int sk_lookup_count(struct bpf_sk_lookup *ctx)
{
	count_hit();
	return SK_PASS;
}
