/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * trace.h - tracing a command from its first instruction to the exit of its
 * last descendant, and the reports that follow.  `oslab trace` is this with
 * options from the command line; the guided labs reuse it.
 */
#ifndef OSLAB_TRACE_H
#define OSLAB_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "attach.h"
#include "locks.h"
#include "log.h"
#include "procs.h"
#include "sockets.h"
#include "timeline.h"

struct trace_opts {
	bool log;		/* the strace-style event log */
	bool summary;		/* -c / -C: the summary table */
	bool per_process;	/* --per-process: one table per process */
	bool quiet;		/* -q */
	bool verbose;		/* -v */
	bool durations;		/* -T */
	bool timed;		/* -w: the summary's time columns (latency of each call) */
	enum log_time time;	/* -t, -tt, -ttt */
	unsigned strsize;	/* -s */
	size_t ringbuf_bytes;	/* --buffer-size */
	const char *outfile;	/* -o: log and reports go here, not to stderr */
	const char *jsonfile;	/* --json */
	const char *trace_expr;	/* -e trace= */
	/* reports beyond the log and the summary */
	bool tree;		/* --tree: processes, threads, where their time went */
	bool locks;		/* --locks: per futex word */
	bool sockets;		/* --sockets: per socket */
	bool timeline;		/* --timeline: one lane per thread */
	const char *perfetto;	/* --perfetto FILE.json.gz */
	bool force;		/* --force: overwrite the --perfetto file */
	bool ulocks;		/* --ulocks: uprobes on libc's lock functions */
	pid_t pids[ATTACH_MAX];	/* -p: running processes to attach to */
	size_t n_pids;
	double duration;	/* -d SECONDS: stop after this long (0: never) */
};

/* What a finished trace leaves for reports and checks. */
struct trace_result {
	int status;		/* the command's wait(2) status */
	struct procs procs;
	struct tracer_stats stats;
	unsigned long long events;
	bool sched;		/* the scheduler probes ran: sched stats are filled */
	bool timed;		/* each call was timed: the counts' total_ns are filled */
	struct locks locks;	/* with --locks */
	struct sockets sockets;	/* with --sockets */
	struct timeline *timeline;	/* with --timeline or --perfetto */
};

void trace_opts_default(struct trace_opts *o);
/* Parse trace options from argv (getopt_long); returns the index of the
 * command (argc when there is none and none is needed), or -1 after printing
 * one line (exit 2), or 0 for --help shown. */
int trace_parse(struct trace_opts *o, int argc, char **argv, bool need_command);
/* Run argv[0] under the tracer (or, with -p, attach to running processes)
 * and fill r; returns 0, or -1 with the reason printed and *exit_code set. */
int trace_command(const struct trace_opts *o, char **argv, struct trace_result *r, int *exit_code);
/* The summary, lost-event notes and JSON records a trace_result carries;
 * text goes to -o's file, or else to f. */
void trace_report(const struct trace_opts *o, const struct trace_result *r, FILE *f);
/* The command's status as oslab's exit code: its code, or 128 + signal. */
int trace_exit_code(int status);
void trace_result_free(struct trace_result *r);

int cmd_trace(int argc, char **argv);

#endif
