// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// Test object: one program of each attach kind, so the skeleton importer's reading of each program's load
// attributes (type, expected attach type, BTF target) can be checked against what clang and bpftool made.
// Never loaded: the signing tests only import its light skeleton.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("raw_tracepoint/sys_enter")
int on_raw_tp(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int on_tp_btf(void *ctx)
{
	return 0;
}

SEC("fentry/bpf_fentry_test1")
int on_fentry(void *ctx)
{
	return 0;
}

SEC("fexit/bpf_fentry_test1")
int on_fexit(void *ctx)
{
	return 0;
}

SEC("lsm/file_open")
int on_lsm(void *ctx)
{
	return 0;
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int on_tc(struct __sk_buff *skb)
{
	return 0;
}

SEC("cgroup_skb/egress")
int on_cg_egress(struct __sk_buff *skb)
{
	return 1;
}

SEC("cgroup/connect4")
int on_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_tracepoint(void *ctx)
{
	return 0;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	return 0;
}

SEC("sk_lookup")
int on_sk_lookup(struct bpf_sk_lookup *ctx)
{
	return SK_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
