/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * timeline.h - what each traced thread was doing over time, rebuilt from the
 * ring buffer's context switches, wake-ups and syscalls: running, runnable,
 * or off the CPU for a reason (futex, I/O, sleep, other).  Drawn as a text
 * picture with one lane per thread (timeline_print) and written as a Perfetto
 * / Chrome trace-event file (perfetto.h).
 */
#ifndef OSLAB_TIMELINE_H
#define OSLAB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "procs.h"
#include "tracer.h"

struct timeline;
struct timeline *timeline_new(void);
/* Feed one ring-buffer record (any type; unknown ones are ignored). */
void timeline_event(struct timeline *tl, const void *rec, size_t size);
/* The text picture: a header with the time scale, then one lane per thread
 * (grouped by process, labelled "pid/tid comm"), each column a time bucket
 * drawn with the state that dominated it; a legend below.  width is the
 * terminal width (use 80 when not a terminal). */
void timeline_print(FILE *f, const struct timeline *tl, const struct procs *p, int width, bool color);
/* Per-thread totals derived from the intervals: ns running, ns by off_reason. */
struct timeline_totals {
	uint64_t running_ns;
	uint64_t off_ns[OFF_REASONS];	/* [OFF_RUNNABLE] is the time spent runnable */
};
/* Sum thread tid's intervals, the one still open counted up to the last event.
 * Returns false (and zeroes *out) when no event was seen for tid. */
bool timeline_totals(const struct timeline *tl, uint32_t tid, struct timeline_totals *out);
void timeline_free(struct timeline *tl);

#define TIMELINE_MAX_RECORDS 2000000	/* intervals + syscalls + wake-ups kept */
#define TIMELINE_MAX_TEXT (32u << 20)	/* bytes of syscall text kept for Perfetto */
#define TIMELINE_MAX_LANES 64		/* lanes drawn; the Perfetto file has them all */

/*
 * Bound the memory: past max_records stored records the timeline stops
 * recording (the picture and the Perfetto file say where), and past
 * max_text bytes syscalls keep no text.  max_text 0 skips formatting the
 * syscalls altogether (nobody writes a Perfetto file).  Call before the
 * first event.
 */
void timeline_limits(struct timeline *tl, size_t max_records, size_t max_text);

/* The terminal's width for f, 80 when it is not a terminal. */
int timeline_width(FILE *f);
/* Colour for f: a terminal, and NO_COLOR unset or empty. */
bool timeline_color(FILE *f);

/*
 * The stored timeline, read by perfetto.c.
 */

/* What a lane shows at one moment. */
enum tl_state {
	TL_UNKNOWN = 0,	/* before its first event, after it ended */
	TL_RUNNING,
	TL_RUNNABLE,	/* off the CPU: OFF_RUNNABLE */
	TL_FUTEX,	/* OFF_FUTEX */
	TL_IO,		/* OFF_IO */
	TL_SLEEP,	/* OFF_SLEEP */
	TL_OTHER,	/* OFF_OTHER, or a reason this build does not know */
	TL_STATES,
};

/* What the state is called: "running", "runnable", "futex wait", "I/O wait",
 * "sleep", "blocked" ("" for TL_UNKNOWN). */
const char *tl_state_name(unsigned state);

/* One stretch of time in one state; a thread's stretches are sorted and do
 * not overlap.  Times are CLOCK_MONOTONIC ns. */
struct tl_interval {
	uint64_t start;
	uint64_t end : 60;	/* 2^60 ns is 36 years of uptime */
	uint64_t state : 4;	/* enum tl_state */
};

/* One finished syscall. */
struct tl_call {
	uint64_t start, end;
	uint32_t nr;
	uint32_t text;	/* 1 + offset of its "name(args) = ret" text; 0: none kept */
};

/* Thread woken was woken by thread waker at ts, while asleep. */
struct tl_wakeup {
	uint64_t ts;
	uint32_t waker, woken;
};

struct tl_thread {
	uint32_t tid, tgid;
	unsigned state;		/* enum tl_state since `since`, not stored yet */
	uint64_t since;
	struct tl_interval *iv;
	size_t n_iv, cap_iv;
	struct tl_call *calls;
	size_t n_calls, cap_calls;
	struct event *enter;	/* the EV_ENTER of the syscall in flight */
	uint32_t cpu;		/* where it runs, while TL_RUNNING */
	uint64_t woke_ts;	/* the last time it woke another thread */
};

/* One lane: a thread of the traced tree, or one only seen in events. */
struct tl_lane {
	uint32_t pid, tid;
	const char *comm;		/* "" when unknown */
	const struct tl_thread *th;	/* NULL: no event seen for it */
	uint64_t lo, hi;		/* its lifetime: nothing is drawn outside */
};

/* The lanes in display order: the threads of p (may be NULL) grouped by
 * process, then threads seen only in events.  Caller frees the array. */
struct tl_lane *timeline_lanes(const struct timeline *tl, const struct procs *p, size_t *n);
/* Time of the first event, and where the timeline ends: the last event, or
 * where it stopped recording. */
uint64_t timeline_start(const struct timeline *tl);
uint64_t timeline_end(const struct timeline *tl);
/* When it stopped recording (0: it never did), and how many records it
 * did not store after that. */
uint64_t timeline_stopped(const struct timeline *tl, uint64_t *dropped);
const struct tl_thread *timeline_thread(const struct timeline *tl, uint32_t tid);
const struct tl_wakeup *timeline_wakeups(const struct timeline *tl, size_t *n);
/* The text of a call, or NULL when none was kept. */
const char *timeline_call_text(const struct timeline *tl, const struct tl_call *c);

/* Walks a lane's intervals in order, the still-open one included, clipped
 * to the lane's lifetime and the timeline's span; zero-length ones skipped. */
struct tl_iter {
	const struct tl_thread *th;
	size_t i;
	uint64_t lo, hi;
};
void tl_iter_init(struct tl_iter *it, const struct timeline *tl, const struct tl_lane *lane);
bool tl_iter_next(struct tl_iter *it, struct tl_interval *out);

#endif
