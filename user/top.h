/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * top.h - `oslab top`: a live view of threads, one row each, with rates over
 * the last refresh interval.  The pure part is here so it can be tested from
 * hand-made records: a sample is a thread's running totals at one moment, two
 * samples make a row of per-second rates, rows are sorted and formatted to a
 * width.  Drawing with ncurses and the batch output live in top.c.
 */
#ifndef OSLAB_TOP_H
#define OSLAB_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "tracer.h"

/* Which syscall slots count as what in a row. */
struct top_slots {
	unsigned futex;			/* futex's slot (0: not on this architecture) */
	bool write[SC_SLOTS];		/* the write family: write, writev, sendto, sendmsg */
	bool sock[SC_SLOTS];		/* socket calls (the network family but close,
					 * which cannot tell a socket from a file) */
};

/* One thread's running totals at one moment (CLOCK_MONOTONIC ns). */
struct top_sample {
	uint32_t pid, tid;
	uint64_t start_ns;		/* tells a reused tid from the thread before it */
	char comm[TASK_COMM_LEN];
	bool on_cpu;
	uint64_t cpu_ns;		/* on a CPU, the current run included */
	uint64_t syscalls;		/* traced syscalls that returned */
	uint64_t futex_waits;		/* wait-kind futex calls that returned */
	uint64_t futex_wait_ns;		/* blocked in them, the wait in flight included */
	uint64_t writes, sockets;
	uint64_t vcsw, ivcsw;		/* voluntary and involuntary context switches */
};

/* One row of the view: a thread's rates over the last interval. */
struct top_row {
	uint32_t pid, tid;
	char comm[TASK_COMM_LEN];
	char state;			/* R, S, D... from /proc, or from the probes */
	double cpu_pct;			/* of one CPU, 0..100 */
	double syscalls, futex_waits, futex_ms, writes, sockets, vcsw, ivcsw;	/* per second */
};

/* The header's sums over every row. */
struct top_totals {
	unsigned threads, running;
	double cpu_pct, syscalls, futex_waits, futex_ms, writes, sockets, vcsw, ivcsw;
};

enum top_sort {
	TOP_SORT_CPU,		/* P: %CPU, highest first */
	TOP_SORT_SYSCALLS,	/* s: syscalls/s */
	TOP_SORT_FUTEX,		/* f: futex waits/s, then time blocked */
	TOP_SORT_SWITCHES,	/* w: voluntary + involuntary switches/s */
	TOP_SORT_TID,		/* t: thread id, lowest first */
};

/* The columns, in screen order; COMMAND is always last and takes the rest. */
enum top_col {
	TOP_COL_PID, TOP_COL_TID, TOP_COL_STATE, TOP_COL_CPU, TOP_COL_SYSCALLS,
	TOP_COL_FUTEX, TOP_COL_FUTEX_MS, TOP_COL_VCSW, TOP_COL_IVCSW, TOP_COL_WRITES,
	TOP_COL_SOCKETS, TOP_COLS,
};

#define TOP_COMM_MIN 8		/* narrower than this, a column is dropped instead */

/* The columns that fit a width. */
struct top_layout {
	unsigned cols;		/* 1 << enum top_col for each shown column */
	int comm_width;		/* COMMAND's width (at most TASK_COMM_LEN - 1) */
};

/* The slots of futex and of the write and socket calls. */
void top_slots_init(struct top_slots *s);
/* A sample of thread record t taken at now_ns.  A thread on a CPU or asleep
 * in a futex wait right now has that run or wait counted up to now_ns, so a
 * busy thread shows busy before it is switched out. */
void top_sample_from(struct top_sample *s, const struct thread *t, const struct top_slots *slots,
		     uint64_t now_ns);
/* Sort samples by tid, as top_rates wants them. */
void top_samples_sort(struct top_sample *v, size_t n);
/*
 * One row per sample of cur (both arrays sorted by tid): its growth since the
 * same thread's sample in prev, divided by secs.  A thread not in prev (or
 * whose tid now names a new thread) counts from zero.  rows has room for
 * ncur; returns the number of rows, in tid order, state '?'.
 */
size_t top_rates(const struct top_sample *prev, size_t nprev, const struct top_sample *cur,
		 size_t ncur, double secs, struct top_row *rows);
void top_totals(const struct top_row *rows, size_t n, struct top_totals *t);
/* True when the row did anything in the interval (system-wide batch rows). */
bool top_row_active(const struct top_row *r);
void top_sort(struct top_row *rows, size_t n, enum top_sort key);
/* The sort a key selects (P s f w t), or -1. */
int top_sort_key(int ch);
/* The sort's column name, for the header: "%CPU", "SYSC/s" ... */
const char *top_sort_name(enum top_sort key);

/* The columns that fit in width characters: the less important drop first. */
void top_layout_for(struct top_layout *l, int width);
/* Every column, for batch output. */
void top_layout_full(struct top_layout *l);
/* The column heading line and one row, without a newline. */
void top_format_header(struct strbuf *sb, const struct top_layout *l);
void top_format_row(struct strbuf *sb, const struct top_layout *l, const struct top_row *r);
/* The three totals lines, each ending in a newline. */
void top_format_totals(struct strbuf *sb, const struct top_totals *t);
/* A rate in at most 6 characters: 0, 2.5, 812, 12345, 123k, 12M. */
void top_format_rate(char *buf, size_t len, double v);
/* One {"type":"top",...} JSON line, newline included. */
void top_json_row(struct strbuf *sb, unsigned snapshot, const struct top_row *r);

int cmd_top(int argc, char **argv);

#endif
