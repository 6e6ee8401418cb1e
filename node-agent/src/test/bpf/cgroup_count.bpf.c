// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test program: counts packets entering sockets of a cgroup and allows them.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "count_hits.h"

SEC("cgroup_skb/ingress")
int cgroup_count(struct __sk_buff *skb)
{
	count_hit();
	return 1;
}
