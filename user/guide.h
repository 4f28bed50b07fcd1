/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * guide.h - what oslab knows about each lab: per variant, what to watch for,
 * which reports to show, and the expectations to check against the trace
 * and the lab's own results.  One guide_LAB.c file per lab.
 */
#ifndef OSLAB_GUIDE_H
#define OSLAB_GUIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "expect.h"
#include "trace.h"

/* A finished guided run: the trace and the lab's key=value results. */
struct lab_run {
	const struct trace_result *r;
	struct lab_kv {
		char key[32];
		long long val;
	} *kv;
	size_t n_kv;
	int lab_status;			/* the lab's wait(2) status */
};

/* The value the lab reported for key, or dflt when it did not. */
long long run_result(const struct lab_run *run, const char *key, long long dflt);
/* Exact calls of a syscall in the whole traced tree (0 if none or unknown). */
long long run_calls(const struct lab_run *run, const char *syscall);
/* Exact failed calls of a syscall in the whole tree. */
long long run_errors(const struct lab_run *run, const char *syscall);
/* Exact futex calls with this operation (FUTEX_WAIT, ...), private or shared. */
long long run_futex(const struct lab_run *run, unsigned cmd, bool private_op);
/* Tasks created, by enum thread_origin. */
long long run_created(const struct lab_run *run, unsigned origin);

enum report {
	REPORT_SUMMARY = 1 << 0,	/* the -c table */
	REPORT_TREE = 1 << 1,		/* processes and threads */
	REPORT_FUTEX = 1 << 2,		/* futex calls per operation */
	REPORT_LOCKS = 1 << 3,		/* per futex word (--locks) */
	REPORT_SOCKETS = 1 << 4,	/* per socket (--sockets) */
	REPORT_TIMELINE = 1 << 5,	/* one lane per thread (--timeline) */
};

struct guide_variant {
	const char *name;
	const char *watch;		/* what to look for, a short paragraph */
	unsigned reports;		/* enum report bits shown by default */
	void (*check)(struct expect *e, const struct lab_run *run);
};

struct guide {
	const char *lab;
	const struct guide_variant *variants;
	size_t n;
	const char *script;		/* a Python lab: its script in labs/python/, run by
					 * python3; NULL: the C program labs/LAB */
};

extern const struct guide guide_fork, guide_threads, guide_locks, guide_sockserver,
	guide_eventloop, guide_gil, guide_ipc;
extern const struct guide guide_py_fork, guide_py_threads, guide_py_gil, guide_py_sockets,
	guide_py_asyncio;

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif
