/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tree.h - the traced processes and threads, ps/pstree style: children
 * under their parent, threads under their process, with how each was
 * created, its lifetime, how it ended, CPU time, context switches and page
 * faults; and where each thread's time went (with the scheduler probes).
 */
#ifndef OSLAB_TREE_H
#define OSLAB_TREE_H

#include <stdbool.h>
#include <stdio.h>

#include "procs.h"
#include "strbuf.h"

/* sched: the scheduler and fault probes ran (adds the COW column). */
void tree_print(FILE *f, const struct procs *p, bool sched);
/* Per thread: ms running and ms off the CPU by reason. */
void tree_print_time(FILE *f, const struct procs *p);
/* The start of the trace: the first thread's start. */
uint64_t tree_t0(const struct procs *p);
/* A thread record's members for its JSON "thread" object. */
void tree_json_thread(struct strbuf *j, const struct thread *t, bool sched);

#endif
