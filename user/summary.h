/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * summary.h - the strace -c table, from exact in-kernel counts, for the whole
 * tree or one process, plus one line saying what process creation made.
 */
#ifndef OSLAB_SUMMARY_H
#define OSLAB_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "procs.h"

/* strace -c's table: % time, seconds, usecs/call, calls, errors, syscall;
 * when the calls were not timed, only calls, errors and syscall. */
void summary_print(FILE *f, const struct sc_count counts[SC_SLOTS], bool timed);
/* "created: 3 processes (fork/clone), 4 threads (CLONE_THREAD), 0 vfork-style spawns" */
void summary_print_created(FILE *f, const struct procs *p);
/* One table per process, headed by its pid and command. */
void summary_print_per_process(FILE *f, const struct procs *p, bool timed);

#endif
