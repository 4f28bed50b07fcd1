/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * log.h - the event log: one strace-style line per syscall (and per process
 * exit), and the same calls as JSON "event" objects.
 */
#ifndef OSLAB_LOG_H
#define OSLAB_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"
#include "tracer.h"

enum log_time {
	LOG_TIME_NONE = 0,
	LOG_TIME_CLOCK,		/* -t: 12:34:56 */
	LOG_TIME_USEC,		/* -tt: 12:34:56.123456 */
	LOG_TIME_EPOCH,		/* -ttt: 1700000000.123456 */
};

struct log {
	FILE *out;		/* text log, or NULL */
	FILE *json;		/* JSON Lines, or NULL */
	enum log_time time;
	bool durations;		/* -T */
	bool quiet;		/* -q: no "+++ exited" lines */
	int64_t realtime_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t events;	/* calls logged */
	/* private */
	struct strbuf line, jline;
	struct pending *pending;
	size_t n_pending, cap_pending;
};

void log_init(struct log *l);
/* An event_fn for the collector: l is the ctx. */
void log_event(void *l, const struct event *ev, size_t size);
void log_free(struct log *l);

#endif
