// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// The C baseline for Sigil's load-path benchmark: the light skeleton's own loader
// (bpf_load_and_run from <bpf/skel_internal.h>, header-only) plus attach, timed per iteration.
// Between iterations, untimed: destroy (detach and close), then wait until the kernel has freed the
// program, as the Java agent's unload confirms by id lookup. Without that wait the next load queues
// behind the kernel's deferred teardown and measures it (about 15 ms here) instead of the load.
// Links nothing but libc.
// Each iteration is timed by the wall clock and by the thread's CPU clock (user + system time: on a busy machine
// the wall time also holds the time spent waiting for a core, the CPU time does not).
//   lskel_bench ITERATIONS WARMUP  ->  one "wall-microseconds cpu-microseconds" line per measured iteration
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "counter.lskel.h"

static double now_us(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static __u32 program_id(int prog_fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = prog_fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (long)&info;
	return skel_sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) ? 0 : info.id;
}

static void wait_until_gone(__u32 id)
{
	union bpf_attr attr;
	int fd;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_id = id;
		fd = skel_sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
		if (fd < 0)
			return;
		close(fd);
		usleep(1000);
	}
}

/* Loads and attaches once; returns the elapsed wall microseconds (CPU ones in *cpu), or a negative errno. */
static double load_and_attach(double *cpu)
{
	struct counter *skel;
	double start, cpu_start, elapsed;
	__u32 id;
	int err;

	start = now_us(CLOCK_MONOTONIC);
	cpu_start = now_us(CLOCK_THREAD_CPUTIME_ID);
	skel = counter__open_and_load();
	if (!skel)
		return -(errno ? errno : EINVAL);
	err = counter__attach(skel);
	*cpu = now_us(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
	elapsed = now_us(CLOCK_MONOTONIC) - start;
	id = program_id(skel->progs.count_sys_enter.prog_fd);
	counter__destroy(skel);
	if (id)
		wait_until_gone(id);
	return err ? -(double)(err < 0 ? -err : err) : elapsed;
}

int main(int argc, char **argv)
{
	int iterations, warmup, i;
	double sample, cpu;

	if (argc != 3 || (iterations = atoi(argv[1])) <= 0 || (warmup = atoi(argv[2])) < 0) {
		fprintf(stderr, "usage: %s ITERATIONS WARMUP\n", argv[0]);
		return 2;
	}
	for (i = 0; i < warmup + iterations; i++) {
		sample = load_and_attach(&cpu);
		if (sample < 0) {
			fprintf(stderr, "lskel_bench: iteration %d: load or attach failed: %s\n", i, strerror((int)-sample));
			return 1;
		}
		if (i >= warmup)
			printf("%.1f %.1f\n", sample, cpu);
	}
	return 0;
}
