/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * collector.h - the user side of the tracer probes (bpf/tracer.bpf.c):
 * checks the kernel, opens, configures, loads and attaches them, registers the
 * tasks to follow, delivers the event stream, and reads the exact per-thread
 * counts at the end.
 */
#ifndef OSLAB_COLLECTOR_H
#define OSLAB_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tracer.h"

struct collector_opts {
	bool events;			/* stream every call (the log), not only counts */
	unsigned strsize;		/* -s */
	bool selected[SC_SLOTS];	/* -e trace=: slots counted and logged */
	size_t ringbuf_bytes;		/* 0: the default */
	bool verbose;			/* libbpf's own messages */
	bool sched;			/* on/off-CPU time, wakeups, page faults */
	bool sched_events;		/* ... and stream switches and wakeups */
	bool futexes;			/* stats per futex word */
	bool sockets;			/* a record per socket */
	bool ulocks;			/* uprobes on libc's lock functions */
	bool all;			/* every thread on the system (oslab top) */
	bool timed;			/* time every call (costs an entry probe per call) */
};

/* Called for each record in the ring buffer, in the order the probes sent them. */
typedef void (*event_fn)(void *ctx, const struct event *ev, size_t size);
/* Called for each thread record: live threads first, then exited ones
 * (collector_threads), or live ones only (collector_live_threads). */
typedef void (*thread_fn)(void *ctx, const struct thread *t);

struct collector;

/* Check support, open, configure, load and attach.  On failure prints one
 * "oslab: ..." line and returns NULL. */
struct collector *collector_open(const struct collector_opts *opts, event_fn on_event, void *ctx);
/* Follow a task (a thread id; tgid is its process) and, through the kernel,
 * everything it creates from now on.  origin is enum thread_origin. */
int collector_follow(struct collector *c, pid_t tid, pid_t tgid, pid_t ppid, unsigned origin);
/* Fd that becomes readable when events wait; poll it with others. */
int collector_fd(const struct collector *c);
/* Deliver every event now in the ring buffer; returns the number or -errno. */
int collector_consume(struct collector *c);
/* Walk every thread record the probes kept. */
int collector_threads(struct collector *c, thread_fn fn, void *ctx);
int collector_live_threads(struct collector *c, thread_fn fn, void *ctx);
void collector_stats(const struct collector *c, struct tracer_stats *out);
/* Whether each call was timed (opts.timed, or a report that needs it). */
bool collector_timed(const struct collector *c);
/* Every futex word, and every (word, thread) pair, used in the trace. */
int collector_futexes(struct collector *c,
		      void (*fn)(void *ctx, const struct futex_word *w, const struct futex_stats *s),
		      void *ctx);
int collector_futex_threads(struct collector *c,
			    void (*fn)(void *ctx, const struct futex_thread_key *k,
				       const struct futex_thread_stats *s),
			    void *ctx);
/* Every socket seen: those still tracked, then those whose file was reused. */
int collector_sockets(struct collector *c, void (*fn)(void *ctx, const struct sock_rec *r),
		      void *ctx);
/* Detach and free; NULL is fine. */
void collector_close(struct collector *c);

#endif
