/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * locks.h - the lock report: per futex word, who waited and who woke, for
 * how long, and (for a global of the traced program) its symbol name.
 */
#ifndef OSLAB_LOCKS_H
#define OSLAB_LOCKS_H

#include <stdbool.h>
#include <stdio.h>

#include "procs.h"
#include "strbuf.h"

struct lock_thread {
	uint32_t tid;
	struct futex_thread_stats s;
};

struct lock {
	struct futex_word w;
	struct futex_stats s;
	char name[96];			/* "counter_lock", "queue+8", or "" */
	struct lock_thread *threads;	/* who waited on or woke it */
	size_t n_threads;
};

struct locks {
	struct lock *v;			/* most time blocked first */
	size_t n;
};

/* Collector callbacks: locks is the ctx. */
void locks_add_word(void *locks, const struct futex_word *w, const struct futex_stats *s);
void locks_add_thread(void *locks, const struct futex_thread_key *k,
		      const struct futex_thread_stats *s);
/* Sort, and name each word by symbol from its process's program (libelf). */
void locks_finish(struct locks *l, const struct procs *p);
void locks_print(FILE *f, const struct locks *l, const struct procs *p);
void locks_json(FILE *f, const struct locks *l);
void locks_free(struct locks *l);

#endif
