// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * record.c - trace a command and write the ring buffer records it produced
 * as a fuzz_events input: the seeds in corpus/fuzz_events/ came from it.
 *
 *   make build/fuzz/record
 *   sudo build/fuzz/record [-n MAX] OUT -- COMMAND [ARGS...]
 *
 * Every record the probes sent (syscalls with their captured memory, entry
 * records, process exits, context switches and wake-ups), at most MAX of
 * them (default 200), byte for byte, after one options byte (-s 32).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "spawn.h"
#include "syscalls.h"

struct out {
	FILE *f;
	long left;	/* records still to write */
};

static void on_event(void *ctx, const struct event *ev, size_t size)
{
	struct out *o = ctx;
	unsigned char len[2] = { size & 0xff, size >> 8 };

	if (o->left <= 0 || size > 0xffff)
		return;
	o->left--;
	fwrite(len, 1, 2, o->f);
	fwrite(ev, 1, size, o->f);
}

int main(int argc, char **argv)
{
	struct collector_opts co = { .events = true, .strsize = 32, .sched = true,
				     .sched_events = true };
	struct out o = { .left = 200 };
	struct spawned sp = { .pid = -1 };
	struct collector *c;
	char path[PATH_MAX], err[128];
	sigset_t mask;
	int code, st, i = 1;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		o.left = atol(argv[2]);
		i = 3;
	}
	if (argc < i + 3 || strcmp(argv[i + 1], "--")) {
		fprintf(stderr, "usage: record [-n MAX] OUT -- COMMAND [ARGS...]\n");
		return 2;
	}
	if (syscalls_select(NULL, co.selected, err, sizeof(err)) ||
	    spawn_resolve(argv[i + 2], path, sizeof(path), &code))
		return 2;
	o.f = fopen(argv[i], "w");
	if (!o.f) {
		fprintf(stderr, "record: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	fputc(3 << 4, o.f);	/* options byte: -s 32, no -t/-T/-q */
	c = collector_open(&co, on_event, &o);
	if (!c)
		return 1;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	if (spawn_stopped(&sp, path, argv + i + 2, &mask) ||
	    collector_follow(c, sp.pid, sp.pid, getpid(), ORIGIN_ROOT) || spawn_release(&sp))
		return 1;
	while (waitpid(sp.pid, &st, WNOHANG) == 0) {
		collector_consume(c);
		usleep(10000);
	}
	collector_consume(c);
	collector_close(c);
	fclose(o.f);
	return 0;
}
