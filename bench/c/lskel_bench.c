// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// The C baseline for Sigil's load-path benchmark: the light skeleton's own loader
// (bpf_load_and_run from <bpf/skel_internal.h>, header-only) plus attach, timed per iteration,
// with destroy (detach and close) in between. Links nothing but libc.
//   lskel_bench ITERATIONS WARMUP  ->  one "microseconds" line per measured iteration on stdout
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "counter.lskel.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Loads and attaches once; returns the elapsed microseconds, or a negative errno. */
static double load_and_attach(void)
{
	struct counter *skel;
	double start, elapsed;
	int err;

	start = now_us();
	skel = counter__open_and_load();
	if (!skel)
		return -(errno ? errno : EINVAL);
	err = counter__attach(skel);
	elapsed = now_us() - start;
	counter__destroy(skel);
	return err ? -(double)(err < 0 ? -err : err) : elapsed;
}

int main(int argc, char **argv)
{
	int iterations, warmup, i;
	double sample;

	if (argc != 3 || (iterations = atoi(argv[1])) <= 0 || (warmup = atoi(argv[2])) < 0) {
		fprintf(stderr, "usage: %s ITERATIONS WARMUP\n", argv[0]);
		return 2;
	}
	for (i = 0; i < warmup + iterations; i++) {
		sample = load_and_attach();
		if (sample < 0) {
			fprintf(stderr, "lskel_bench: iteration %d: load or attach failed: %s\n", i, strerror((int)-sample));
			return 1;
		}
		if (i >= warmup)
			printf("%.1f\n", sample);
	}
	return 0;
}
