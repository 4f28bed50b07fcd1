/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procs.h - the traced tree as processes and threads, rebuilt from the
 * probes' per-thread records, with the exact counts summed per process and
 * for the whole tree.
 */
#ifndef OSLAB_PROCS_H
#define OSLAB_PROCS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "tracer.h"

struct proc {
	uint32_t pid;
	uint32_t ppid;
	char comm[TASK_COMM_LEN];
	unsigned origin;		/* enum thread_origin of its first thread */
	uint64_t clone_flags;
	unsigned threads;		/* every thread it had, the first included */
	int exited;			/* its last thread exited */
	int orphan;			/* its parent process exited while it still ran */
	int exit_code;			/* wait(2) status, when exited */
	uint64_t start_ns, end_ns;
	uint64_t cpu_ns;
	uint64_t nvcsw, nivcsw, min_flt, maj_flt;
	uint64_t cow_faults;		/* with the fault probe: copy-on-write faults */
	struct sc_count counts[SC_SLOTS];
	struct sc_count futex_ops[2][FUTEX_CMDS];	/* [private][op] */
	uint64_t ulocks[ULOCK_FUNCS];			/* --ulocks */
};

struct procs {
	struct thread *threads;		/* every record, sorted by start time */
	size_t n_threads, cap_threads;
	struct proc *procs;		/* sorted by start time */
	size_t n_procs;
	struct sc_count total[SC_SLOTS];
	struct sc_count futex_total[2][FUTEX_CMDS];
	uint64_t ulock_total[ULOCK_FUNCS];
	unsigned created[4];		/* tasks created, by enum thread_origin */
};

/* A thread_fn for collector_threads(): procs is the ctx. */
void procs_add_thread(void *procs, const struct thread *t);
/* Group the threads into processes and sum the counts. */
void procs_build(struct procs *p);
/* How a task was created: "traced", "fork", "vfork" or "thread". */
const char *procs_origin_name(unsigned origin);
const struct proc *procs_find(const struct procs *p, uint32_t pid);
/* Whether t is its process's first thread: its tid is the pid, and it was
 * not born a thread (one that calls execve takes the pid over). */
bool procs_is_leader(const struct thread *t);
void procs_free(struct procs *p);

#endif
