/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * lab.h - what every oslab lab program shares: its command line (variants
 * and range-checked options, usage and error messages) and its results.
 * Nothing else lives here: every fork, thread, lock, socket and event-loop
 * call is in the lab's own source, where a student can read it.
 *
 * Command line
 *
 *   NAME VARIANT [--option N ...]
 *
 * A lab describes itself with a struct lab: a table of variants and a table
 * of options with their limits.  Each variant lists the options it takes and
 * their defaults; an option the variant does not take is an error.  Numbers
 * are decimal, given as "--threads 4" or "--threads=4", and must lie in the
 * option's [min, max].  lab_parse() prints "--help" (with an EXAMPLES block),
 * "--list" (one "variant<TAB>description" line each, for scripts), accepts
 * "--check" (validate the line and exit 0 without running: oslab does this
 * before it loads its probes), and on a
 * mistake exactly one line on stderr,
 *
 *   NAME: <what is wrong>; try 'NAME --help'
 *
 * and exits 2.  With no variant at all it lists the variants and exits 2.
 *
 * Result protocol
 *
 * A lab tells a tracer (or a test) what it did through lab_result(key, value).
 * When the environment variable OSLAB_RESULT_FD holds the number of an open
 * file descriptor, each call writes exactly one line
 *
 *   key=value\n
 *
 * to it with a single write(2): no stdio buffering, so lines are never split
 * or reordered, and writes from several processes or threads of one lab do
 * not interleave (each line is far shorter than PIPE_BUF).  Keys are
 * [a-z_]+, values are decimal integers (long long).  When OSLAB_RESULT_FD is
 * not set, lab_result() does nothing and the lab only prints to stdout.
 *
 * The lines come in this order:
 *   1. lab_parse() reports every parameter of the chosen variant, defaults
 *      included, under the option's name with '-' turned into '_'
 *      (--timeout-ms 500 -> "timeout_ms=500");
 *   2. the variant reports what it measured ("counter=1999994",
 *      "expected=2000000", ...), each key at most once per run.
 * A child process the lab forks may report a result only it can see (the
 * sockserver client reports "replies_ok"); it inherits the descriptor.
 * The lab's exit status is 0 only when the variant did what it shows.
 */
#ifndef OSLAB_LAB_H
#define OSLAB_LAB_H

#include <stddef.h>
#include <time.h>

/* Every option any lab takes; a lab uses only the ones it declares. */
struct lab_opts {
	const char *variant;	/* name of the chosen variant */
	long threads;		/* --threads N */
	long iters;		/* --iters N */
	long children;		/* --children N */
	long workers;		/* --workers N */
	long tasks;		/* --tasks N */
	long pages;		/* --pages N */
	long ms;		/* --ms N: a duration in milliseconds */
	long producers;		/* --producers N */
	long consumers;		/* --consumers N */
	long items;		/* --items N */
	long limit;		/* --limit K */
	long readers;		/* --readers N */
	long writers;		/* --writers N */
	long rounds;		/* --rounds R */
	long clients;		/* --clients K */
	long messages;		/* --messages M */
	long port;		/* --port P (0: the kernel picks a free one) */
	long timeout_ms;	/* --timeout-ms N */
	long processes;	/* --processes N */
	long switch_ms;	/* --switch-ms N: how long a giant lock is held before a switch */
};

/* One option of a lab: "--name N" stored at offset in struct lab_opts. */
struct lab_option {
	const char *name;	/* without the leading "--" */
	size_t offset;		/* offsetof(struct lab_opts, field) */
	long min, max;		/* accepted range, both included */
	const char *help;	/* one line for --help */
};

#define LAB_MAX_DEFAULTS 6	/* options one variant may take */

/* An option a variant takes, and its value when not given. */
struct lab_default {
	const char *option;
	long value;
};

struct lab_variant {
	const char *name;
	const char *help;	/* one line: what the variant shows */
	int (*run)(const struct lab_opts *o);	/* returns the exit status */
	struct lab_default takes[LAB_MAX_DEFAULTS];
};

struct lab {
	const char *name;	/* program name, used in every message */
	const char *summary;	/* one line: what the lab is about */
	const struct lab_variant *variants;
	size_t nvariants;
	const struct lab_option *options;
	size_t noptions;
	const char *examples;	/* the EXAMPLES block of --help */
};

#define LAB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * lab_parse - parse argv for the lab described by lab.  Fills *o with the
 * variant's defaults overridden by the command line, reports the parameters
 * through lab_result() and returns the chosen variant.  Does not return on
 * --help or --list (exit 0) or on any mistake (one line on stderr, exit 2).
 */
const struct lab_variant *lab_parse(const struct lab *lab, int argc, char **argv,
				    struct lab_opts *o);

/*
 * lab_main - the whole main() of a lab program: parse argv (lab_parse) and
 * run the chosen variant, with stdout in whole lines even into a pipe.
 */
int lab_main(const struct lab *lab, int argc, char **argv);

/*
 * lab_result - report "key=value" on OSLAB_RESULT_FD (see the protocol above).
 * Safe to call from any thread or forked child after lab_parse().
 */
void lab_result(const char *key, long long value);

/* Small helpers about time and errors, which no lesson is about. */
long lab_now_ms(void);			/* CLOCK_MONOTONIC in milliseconds */
void lab_sleep_ms(long ms);
/* An absolute deadline ms from now on clock, for timed waits. */
struct timespec lab_deadline(clockid_t clock, long ms);
/* pthread calls return their error instead of setting errno: report, exit 1. */
void lab_die_rc(const char *what, int rc) __attribute__((noreturn));

#endif /* OSLAB_LAB_H */
