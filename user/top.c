// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * top.c - `oslab top`: parse, check the pids, open and load the probes with
 * the scheduler counters on (system-wide without -p), follow the pids, then
 * every interval read the live thread records, turn their growth into rates
 * and show them: an ncurses view sorted from the keyboard, or plain text or
 * JSON snapshots for scripts (-b, --json).  One cleanup path.
 */
#include "top.h"

#include <errno.h>
#include <getopt.h>
#include <ncurses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "collector.h"
#include "json.h"
#include "sigfd.h"
#include "sys_futex.h"
#include "syscalls.h"

/* ---- samples, rates, sorting: no terminal, no probes (tests/unit/test_top.c) ---- */

void top_slots_init(struct top_slots *s)
{
	const struct syscall_def *futex = syscall_by_name("futex");

	memset(s, 0, sizeof(*s));
	s->futex = futex ? syscall_slot(futex) : 0;
	for (unsigned slot = 1; slot <= syscalls_count() && slot < SC_SLOTS; slot++) {
		const struct syscall_def *d = syscall_by_slot(slot);

		s->write[slot] = d->families & FAM_WRITE;
		s->sock[slot] = (d->families & FAM_NETWORK) && strcmp(d->name, "close");
	}
}

void top_sample_from(struct top_sample *s, const struct thread *t, const struct top_slots *slots,
		     uint64_t now_ns)
{
	const struct sched_stats *sc = &t->sched;

	memset(s, 0, sizeof(*s));
	s->pid = t->tgid;
	s->tid = t->tid;
	s->start_ns = t->start_ns;
	memcpy(s->comm, t->comm, TASK_COMM_LEN);
	s->comm[TASK_COMM_LEN - 1] = '\0';
	s->on_cpu = sc->on_cpu;
	s->cpu_ns = sc->on_cpu_ns;
	/* the probes add a run when it ends: count the one going on now */
	if (sc->on_cpu && sc->last_ts && sc->last_ts < now_ns)
		s->cpu_ns += now_ns - sc->last_ts;
	s->vcsw = sc->voluntary;
	s->ivcsw = sc->involuntary;
	for (unsigned slot = 1; slot < SC_SLOTS; slot++) {
		uint64_t calls = t->counts[slot].calls;

		s->syscalls += calls;
		if (slots->write[slot])
			s->writes += calls;
		if (slots->sock[slot])
			s->sockets += calls;
	}
	for (int priv = 0; priv < 2; priv++) {
		for (unsigned cmd = 0; cmd < FUTEX_CMDS; cmd++) {
			if (futex_op_kind(cmd) != FUTEX_KIND_WAIT)
				continue;
			s->futex_waits += t->futex_ops[priv][cmd].calls;
			s->futex_wait_ns += t->futex_ops[priv][cmd].total_ns;
		}
	}
	/* a wait counts when it returns: a thread blocked for a minute would
	 * show nothing until then, so count the wait in flight up to now */
	if (slots->futex && t->cur_slot == slots->futex && t->cur_ts && t->cur_ts < now_ns &&
	    futex_op_kind(t->cur_args[1]) == FUTEX_KIND_WAIT)
		s->futex_wait_ns += now_ns - t->cur_ts;
}

static int cmp_sample_tid(const void *a, const void *b)
{
	const struct top_sample *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

void top_samples_sort(struct top_sample *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_sample_tid);
}

/* Growth of a running total; one that went back (a record read while the
 * probe wrote it, or a new thread) counts from zero. */
static double grew(uint64_t now, uint64_t before)
{
	return now >= before ? (double)(now - before) : (double)now;
}

size_t top_rates(const struct top_sample *prev, size_t nprev, const struct top_sample *cur,
		 size_t ncur, double secs, struct top_row *rows)
{
	static const struct top_sample zero;
	size_t i = 0, n = 0;

	if (!(secs > 0))
		secs = 1;
	for (size_t k = 0; k < ncur; k++) {
		const struct top_sample *c = &cur[k], *p = &zero;
		struct top_row *r = &rows[n++];
		double cpu;

		while (i < nprev && prev[i].tid < c->tid)
			i++;
		if (i < nprev && prev[i].tid == c->tid && prev[i].start_ns == c->start_ns)
			p = &prev[i];
		memset(r, 0, sizeof(*r));
		r->pid = c->pid;
		r->tid = c->tid;
		memcpy(r->comm, c->comm, sizeof(r->comm));
		r->state = '?';
		cpu = grew(c->cpu_ns, p->cpu_ns) / 1e9 / secs * 100;
		r->cpu_pct = cpu > 100 ? 100 : cpu;	/* one thread, one CPU at most */
		r->syscalls = grew(c->syscalls, p->syscalls) / secs;
		r->futex_waits = grew(c->futex_waits, p->futex_waits) / secs;
		r->futex_ms = grew(c->futex_wait_ns, p->futex_wait_ns) / 1e6 / secs;
		if (r->futex_ms > 1000)
			r->futex_ms = 1000;
		r->writes = grew(c->writes, p->writes) / secs;
		r->sockets = grew(c->sockets, p->sockets) / secs;
		r->vcsw = grew(c->vcsw, p->vcsw) / secs;
		r->ivcsw = grew(c->ivcsw, p->ivcsw) / secs;
	}
	return n;
}

void top_totals(const struct top_row *rows, size_t n, struct top_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		const struct top_row *r = &rows[i];

		t->threads++;
		t->running += r->state == 'R';
		t->cpu_pct += r->cpu_pct;
		t->syscalls += r->syscalls;
		t->futex_waits += r->futex_waits;
		t->futex_ms += r->futex_ms;
		t->writes += r->writes;
		t->sockets += r->sockets;
		t->vcsw += r->vcsw;
		t->ivcsw += r->ivcsw;
	}
}

bool top_row_active(const struct top_row *r)
{
	return r->state == 'R' || r->cpu_pct >= 0.05 || r->syscalls > 0 || r->vcsw > 0 ||
	       r->ivcsw > 0 || r->futex_ms >= 0.05;
}

static int cmp_num(double a, double b)
{
	return (a < b) - (a > b);	/* highest first */
}

/* Ties go by tid, so equal rows keep their places from one refresh to the next. */
static int cmp_tid(const struct top_row *x, const struct top_row *y)
{
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return cmp_num(x->cpu_pct, y->cpu_pct) ?: cmp_tid(x, y);
}

static int cmp_syscalls(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return cmp_num(x->syscalls, y->syscalls) ?: cmp_tid(x, y);
}

static int cmp_futex(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return cmp_num(x->futex_waits, y->futex_waits) ?: cmp_num(x->futex_ms, y->futex_ms)
								?: cmp_tid(x, y);
}

static int cmp_switches(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	return cmp_num(x->vcsw + x->ivcsw, y->vcsw + y->ivcsw) ?: cmp_tid(x, y);
}

static int cmp_by_tid(const void *a, const void *b)
{
	return cmp_tid(a, b);
}

void top_sort(struct top_row *rows, size_t n, enum top_sort key)
{
	static int (*const cmp[])(const void *, const void *) = {
		[TOP_SORT_CPU] = cmp_cpu,
		[TOP_SORT_SYSCALLS] = cmp_syscalls,
		[TOP_SORT_FUTEX] = cmp_futex,
		[TOP_SORT_SWITCHES] = cmp_switches,
		[TOP_SORT_TID] = cmp_by_tid,
	};

	qsort(rows, n, sizeof(*rows), cmp[key]);
}

/* The keys, their sorts and names: one table for the keyboard, the header,
 * the footer and --help. */
static const struct {
	int key;
	const char *name;	/* in the header: "sort %CPU" */
	const char *what;	/* in the footer */
} sorts[] = {
	[TOP_SORT_CPU] = { 'P', "%CPU", "cpu" },
	[TOP_SORT_SYSCALLS] = { 's', "SYSC/s", "syscalls" },
	[TOP_SORT_FUTEX] = { 'f', "FUTX/s", "futex" },
	[TOP_SORT_SWITCHES] = { 'w', "switches", "switches" },
	[TOP_SORT_TID] = { 't', "TID", "tid" },
};
#define N_SORTS (sizeof(sorts) / sizeof(sorts[0]))

int top_sort_key(int ch)
{
	for (size_t i = 0; i < N_SORTS; i++)
		if (sorts[i].key == ch)
			return i;
	return -1;
}

const char *top_sort_name(enum top_sort key)
{
	return (size_t)key < N_SORTS ? sorts[key].name : "?";
}

/* ---- the columns ---- */

static const struct {
	const char *name;
	int width;
	int drop;	/* narrow terminals drop columns in this order; 0: never */
} cols[TOP_COLS] = {
	[TOP_COL_PID] = { "PID", 7, 0 },
	[TOP_COL_TID] = { "TID", 7, 0 },
	[TOP_COL_STATE] = { "S", 1, 0 },
	[TOP_COL_CPU] = { "%CPU", 5, 0 },
	[TOP_COL_SYSCALLS] = { "SYSC/s", 6, 7 },
	[TOP_COL_FUTEX] = { "FUTX/s", 6, 6 },
	[TOP_COL_FUTEX_MS] = { "FUTXms", 6, 2 },
	[TOP_COL_VCSW] = { "VCSW/s", 6, 5 },
	[TOP_COL_IVCSW] = { "ICSW/s", 6, 3 },
	[TOP_COL_WRITES] = { "WRIT/s", 6, 4 },
	[TOP_COL_SOCKETS] = { "SOCK/s", 6, 1 },
};
#define COMM_MAX (TASK_COMM_LEN - 1)

static int layout_used(unsigned shown)
{
	int used = 0;

	for (int c = 0; c < TOP_COLS; c++)
		if (shown & (1u << c))
			used += cols[c].width + 1;
	return used;
}

void top_layout_full(struct top_layout *l)
{
	l->cols = (1u << TOP_COLS) - 1;
	l->comm_width = COMM_MAX;
}

void top_layout_for(struct top_layout *l, int width)
{
	int used;

	top_layout_full(l);
	for (int drop = 1; (used = layout_used(l->cols)) + TOP_COMM_MIN > width; drop++) {
		int c;

		for (c = 0; c < TOP_COLS && cols[c].drop != drop; c++)
			;
		if (c == TOP_COLS)
			break;	/* only the essential ones left */
		l->cols &= ~(1u << c);
	}
	l->comm_width = width - used;
	if (l->comm_width > COMM_MAX)
		l->comm_width = COMM_MAX;
	if (l->comm_width < 0)
		l->comm_width = 0;
}

void top_format_rate(char *buf, size_t len, double v)
{
	if (v < 0.05)
		snprintf(buf, len, "0");
	else if (v < 9.95)
		snprintf(buf, len, "%.1f", v);
	else if (v < 99999.5)
		snprintf(buf, len, "%.0f", v);
	else if (v < 9999.5e3)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0fM", v / 1e6);
}

void top_format_header(struct strbuf *sb, const struct top_layout *l)
{
	for (int c = 0; c < TOP_COLS; c++) {
		if (!(l->cols & (1u << c)))
			continue;
		if (c == TOP_COL_STATE)
			sb_printf(sb, "%-*s ", cols[c].width, cols[c].name);
		else
			sb_printf(sb, "%*s ", cols[c].width, cols[c].name);
	}
	sb_printf(sb, "%.*s", l->comm_width, "COMMAND");
}

void top_format_row(struct strbuf *sb, const struct top_layout *l, const struct top_row *r)
{
	const double rates[TOP_COLS] = {
		[TOP_COL_SYSCALLS] = r->syscalls, [TOP_COL_FUTEX] = r->futex_waits,
		[TOP_COL_FUTEX_MS] = r->futex_ms, [TOP_COL_VCSW] = r->vcsw,
		[TOP_COL_IVCSW] = r->ivcsw,	  [TOP_COL_WRITES] = r->writes,
		[TOP_COL_SOCKETS] = r->sockets,
	};
	char num[16];

	for (int c = 0; c < TOP_COLS; c++) {
		if (!(l->cols & (1u << c)))
			continue;
		switch (c) {
		case TOP_COL_PID:
			sb_printf(sb, "%*u ", cols[c].width, r->pid);
			break;
		case TOP_COL_TID:
			sb_printf(sb, "%*u ", cols[c].width, r->tid);
			break;
		case TOP_COL_STATE:
			sb_printf(sb, "%c ", r->state);
			break;
		case TOP_COL_CPU:
			sb_printf(sb, "%*.1f ", cols[c].width, r->cpu_pct);
			break;
		default:
			top_format_rate(num, sizeof(num), rates[c]);
			sb_printf(sb, "%*s ", cols[c].width, num);
		}
	}
	sb_printf(sb, "%.*s", l->comm_width, r->comm);
}

void top_format_totals(struct strbuf *sb, const struct top_totals *t)
{
	char sys[16], wr[16], so[16], fw[16], fms[16], vc[16], ivc[16];

	top_format_rate(sys, sizeof(sys), t->syscalls);
	top_format_rate(wr, sizeof(wr), t->writes);
	top_format_rate(so, sizeof(so), t->sockets);
	top_format_rate(fw, sizeof(fw), t->futex_waits);
	top_format_rate(fms, sizeof(fms), t->futex_ms);
	top_format_rate(vc, sizeof(vc), t->vcsw);
	top_format_rate(ivc, sizeof(ivc), t->ivcsw);
	/* three lines that fit 80 columns: the scheduler, the syscalls, futex */
	sb_printf(sb, "Threads: %u (%u running)  CPU: %.1f%%  Switches: %s/s vol, %s/s invol\n",
		  t->threads, t->running, t->cpu_pct, vc, ivc);
	sb_printf(sb, "Syscalls: %s/s  Writes: %s/s  Sockets: %s/s\n", sys, wr, so);
	sb_printf(sb, "Futex: %s waits/s, %s ms/s blocked\n", fw, fms);
}

static void json_num(struct strbuf *sb, const char *key, double v)
{
	sb_printf(sb, ",\"%s\":%.2f", key, v);
}

void top_json_row(struct strbuf *sb, unsigned snapshot, const struct top_row *r)
{
	char state[2] = { r->state, '\0' };

	json_begin(sb, "top");
	json_kv_uint(sb, "snapshot", snapshot);
	json_kv_uint(sb, "pid", r->pid);
	json_kv_uint(sb, "tid", r->tid);
	json_kv_str(sb, "comm", r->comm);
	json_kv_str(sb, "state", state);
	json_num(sb, "cpu_pct", r->cpu_pct);
	json_num(sb, "syscalls_per_s", r->syscalls);
	json_num(sb, "futex_waits_per_s", r->futex_waits);
	json_num(sb, "futex_blocked_ms_per_s", r->futex_ms);
	json_num(sb, "writes_per_s", r->writes);
	json_num(sb, "sockets_per_s", r->sockets);
	json_num(sb, "vcsw_per_s", r->vcsw);
	json_num(sb, "ivcsw_per_s", r->ivcsw);
	sb_puts(sb, "}\n");
}

/* ---- the command ---- */

#define INTERVAL_MIN 0.1	/* seconds; shorter intervals are mostly noise */
#define INTERVAL_MAX 3600.0
#define DURATION_MAX 86400.0
#define ITERATIONS_MAX 1000000
#define VIEW_MIN_COLS 40	/* below this the view says the terminal is too small */
#define VIEW_MIN_LINES 8
#define VIEW_TOP 6		/* lines above the rows: title, three totals, blank, columns */
#define FOOTER_WIDTH 53		/* "P cpu  s syscalls  ...  q quit" */

struct top_opts {
	pid_t pids[ATTACH_MAX];	/* -p; none: every thread on the system */
	size_t n_pids;
	double interval;	/* -i seconds */
	double duration;	/* -d seconds (0: until stopped) */
	unsigned long iterations;	/* -n (0: until stopped) */
	bool batch;		/* -b */
	bool json;		/* --json */
	bool verbose;		/* -v */
};

static void usage(FILE *f)
{
	fputs("usage: oslab top [-p PID[,PID...]] [-i SECONDS] [-d SECONDS] [-n N] [-b] [--json]\n"
	      "\n"
	      "A live view of threads, like top -H, from the kernel's exact counts: one row\n"
	      "per thread of the given processes (and of what they create from now on), or\n"
	      "of every thread on the system without -p, busiest first.\n"
	      "\n"
	      "options:\n"
	      "  -p PID[,PID...]    the threads of these processes; top ends when they exit\n"
	      "  -i SECONDS         refresh interval, 0.1 to 3600 (default 1)\n"
	      "  -d SECONDS         stop after this long\n"
	      "  -n N               stop after N refreshes\n"
	      "  -b                 batch: plain text snapshots, no terminal needed; without\n"
	      "                     -p only the threads that did something are listed\n"
	      "      --json         batch as JSON Lines: one {\"type\":\"top\",...} per thread\n"
	      "                     and snapshot\n"
	      "  -v                 verbose: libbpf's and the verifier's messages\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "columns (rates over the last interval):\n"
	      "  S       state from /proc: R running, S sleeping, D uninterruptible ...\n"
	      "  %CPU    time on a CPU, in percent of one CPU\n"
	      "  SYSC/s  traced syscalls (see 'oslab trace --help') per second\n"
	      "  FUTX/s  futex waits (FUTEX_WAIT, LOCK_PI ...) per second\n"
	      "  FUTXms  milliseconds per second blocked in futex waits\n"
	      "  VCSW/s  voluntary context switches (the thread went to sleep)\n"
	      "  ICSW/s  involuntary context switches (the thread was preempted)\n"
	      "  WRIT/s  write, writev, sendto, sendmsg calls per second\n"
	      "  SOCK/s  socket calls (socket, bind, accept, connect, send, recv ...)\n"
	      "A narrow terminal drops SOCK/s first, then FUTXms, ICSW/s, WRIT/s, VCSW/s.\n"
	      "\n"
	      "keys:\n"
	      "  P sort by %CPU   s by syscalls   f by futex waits   w by context switches\n"
	      "  t by thread id   q quit (Ctrl-C too)\n"
	      "\n"
	      "EXAMPLES\n"
	      "  sudo oslab top                          the busiest threads on the system\n"
	      "  sudo oslab top -p 4242                  every thread of a running server\n"
	      "  sudo oslab top -b -n 3 -p 4242          three text snapshots, one a second\n"
	      "  sudo oslab top --json -n 1 -i 2 -p 4242 | jq .writes_per_s\n",
	      f);
}

/* A number of seconds in (min, max]; min itself is allowed when inclusive. */
static int parse_seconds(const char *s, double min, bool inclusive, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out != *out || *out > max)
		return -1;
	return inclusive ? (*out >= min ? 0 : -1) : (*out > min ? 0 : -1);
}

enum { OPT_JSON = 256 };

/* 1: go on, 0: --help shown, -1: a bad option (one line printed). */
static int top_parse(struct top_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->interval = 1;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+p:i:d:n:bvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (attach_parse(optarg, o->pids, &o->n_pids))
				return -1;
			break;
		case 'i':
			if (parse_seconds(optarg, INTERVAL_MIN, true, INTERVAL_MAX, &o->interval)) {
				fprintf(stderr, "oslab: -i takes seconds from %.1f to %.0f, not '%s'\n",
					INTERVAL_MIN, INTERVAL_MAX, optarg);
				return -1;
			}
			break;
		case 'd':
			if (parse_seconds(optarg, 0, false, DURATION_MAX, &o->duration)) {
				fprintf(stderr, "oslab: -d takes seconds, more than 0 and at most %.0f, "
						"not '%s'\n", DURATION_MAX, optarg);
				return -1;
			}
			break;
		case 'n': {
			char *end;

			errno = 0;
			o->iterations = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' || o->iterations < 1 ||
			    o->iterations > ITERATIONS_MAX) {
				fprintf(stderr, "oslab: -n takes a number of refreshes from 1 to %d, "
						"not '%s'\n", ITERATIONS_MAX, optarg);
				return -1;
			}
			break;
		}
		case 'b':
			o->batch = true;
			break;
		case OPT_JSON:
			o->json = o->batch = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && strchr("pidn", optopt))
				fprintf(stderr, "oslab: option -%c needs an argument; "
						"try 'oslab top --help'\n", optopt);
			else if (optopt && optopt < 256)
				fprintf(stderr, "oslab: unknown option '-%c'; try 'oslab top --help'\n",
					optopt);
			else
				fprintf(stderr, "oslab: unknown or incomplete option '%s'; "
						"try 'oslab top --help'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "oslab: top takes no command ('%s'); to trace one from its start "
				"use 'oslab trace'\n", argv[optind]);
		return -1;
	}
	if (!o->batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "oslab: the live view needs a terminal; use -b or --json for "
				"snapshots to a pipe or file\n");
		return -1;
	}
	return 1;
}

struct samples {
	struct top_sample *v;
	size_t n, cap;
	const struct top_slots *slots;
	bool oom;
};

struct top {
	const struct top_opts *o;
	struct collector *c;
	struct top_slots slots;
	int sfd, ep;
	sigset_t old_mask;
	int pidfds[ATTACH_MAX];
	size_t alive;			/* -p processes still running */
	struct samples prev, cur;
	uint64_t prev_ns;		/* when prev was taken */
	struct top_row *rows;
	size_t n_rows, rows_cap;
	struct top_totals totals;
	double secs;			/* the last interval's length */
	unsigned long snapshot;		/* refreshes so far */
	enum top_sort sort;
	SCREEN *screen;			/* the live view; NULL in batch */
	struct strbuf sb;
	char err[256];			/* an error met in the live view, shown after it */
};

/* One "oslab: ..." line, kept until the live view has given the terminal
 * back, so it is not drawn over. */
static void __attribute__((format(printf, 2, 3))) run_error(struct top *tp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (tp->screen)
		vsnprintf(tp->err, sizeof(tp->err), fmt, ap);
	else
		vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void on_thread(void *ctx, const struct thread *t)
{
	struct samples *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct top_sample *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	/* each record at its own time: the walk itself takes a while */
	top_sample_from(&s->v[s->n++], t, s->slots, monotonic_ns());
}

static int sample(struct top *tp, struct samples *s)
{
	int n;

	s->n = 0;
	s->oom = false;
	s->slots = &tp->slots;
	n = collector_live_threads(tp->c, on_thread, s);
	if (n < 0 || s->oom) {
		run_error(tp, "oslab: failed to read the thread records: %s\n",
			  strerror(n < 0 ? -n : ENOMEM));
		return -1;
	}
	top_samples_sort(s->v, s->n);
	return 0;
}

/* Field 3 of /proc/PID/task/TID/stat; the comm before it may hold spaces
 * and parentheses, so look after the last ')'. */
static char proc_state(uint32_t pid, uint32_t tid)
{
	char path[64], buf[512], *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/stat", pid, tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close = strrchr(buf, ')');
	return close && close[1] == ' ' && close[2] ? close[2] : 0;
}

/* A new sample, and the rates since the last one. */
static int take_snapshot(struct top *tp)
{
	uint64_t now = monotonic_ns();
	struct samples tmp;

	if (sample(tp, &tp->cur))
		return -1;
	if (tp->rows_cap < tp->cur.n) {
		struct top_row *v = realloc(tp->rows, tp->cur.n * sizeof(*v));

		if (!v) {
			run_error(tp, "oslab: out of memory\n");
			return -1;
		}
		tp->rows = v;
		tp->rows_cap = tp->cur.n;
	}
	tp->secs = (now - tp->prev_ns) / 1e9;
	tp->n_rows = top_rates(tp->prev.v, tp->prev.n, tp->cur.v, tp->cur.n, tp->secs, tp->rows);
	for (size_t i = 0; i < tp->n_rows; i++) {
		struct top_row *r = &tp->rows[i];
		char st = proc_state(r->pid, r->tid);

		r->state = st ? st : tp->cur.v[i].on_cpu ? 'R' : 'S';
	}
	top_totals(tp->rows, tp->n_rows, &tp->totals);
	top_sort(tp->rows, tp->n_rows, tp->sort);
	tmp = tp->prev;
	tp->prev = tp->cur;
	tp->cur = tmp;
	tp->prev_ns = now;
	tp->snapshot++;
	return 0;
}

/* "pid 4242", "pids 4242,4243", or "system-wide" */
static void describe_target(struct strbuf *sb, const struct top_opts *o)
{
	if (!o->n_pids) {
		sb_puts(sb, "system-wide");
		return;
	}
	sb_puts(sb, o->n_pids > 1 ? "pids " : "pid ");
	for (size_t i = 0; i < o->n_pids; i++)
		sb_printf(sb, "%s%d", i ? "," : "", o->pids[i]);
}

static void clock_text(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "--:--:--");
}

static void print_batch(struct top *tp)
{
	struct top_layout l;
	char clock[16];

	if (tp->o->json) {
		for (size_t i = 0; i < tp->n_rows; i++) {
			if (!tp->o->n_pids && !top_row_active(&tp->rows[i]))
				continue;
			top_json_row(&tp->sb, tp->snapshot, &tp->rows[i]);
			fputs(sb_str(&tp->sb), stdout);
		}
		fflush(stdout);
		return;
	}
	clock_text(clock, sizeof(clock));
	sb_reset(&tp->sb);
	if (tp->snapshot > 1)
		sb_putc(&tp->sb, '\n');	/* a blank line between snapshots */
	sb_printf(&tp->sb, "oslab top - snapshot %lu at %s, %.2f s, ", tp->snapshot, clock,
		  tp->secs);
	describe_target(&tp->sb, tp->o);
	sb_printf(&tp->sb, ", sort %s\n", top_sort_name(tp->sort));
	top_format_totals(&tp->sb, &tp->totals);
	top_layout_full(&l);
	top_format_header(&tp->sb, &l);
	sb_putc(&tp->sb, '\n');
	for (size_t i = 0; i < tp->n_rows; i++) {
		if (!tp->o->n_pids && !top_row_active(&tp->rows[i]))
			continue;
		top_format_row(&tp->sb, &l, &tp->rows[i]);
		sb_putc(&tp->sb, '\n');
	}
	fputs(sb_str(&tp->sb), stdout);
	fflush(stdout);
}

/* Each line of text (newline-separated) on its own screen line from y. */
static int put_lines(int y, const char *text, int width)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		mvaddnstr(y++, 0, text, (int)n < width ? (int)n : width);
		text += n + (text[n] == '\n');
	}
	return y;
}

static void draw(struct top *tp)
{
	int width = COLS, height = LINES, y;
	struct top_layout l;
	char clock[16];

	erase();
	if (width < VIEW_MIN_COLS || height < VIEW_MIN_LINES) {
		mvprintw(0, 0, "terminal too small (%dx%d)", width, height);
		mvprintw(1, 0, "needs %dx%d; q quits", VIEW_MIN_COLS, VIEW_MIN_LINES);
		refresh();
		return;
	}
	clock_text(clock, sizeof(clock));
	sb_reset(&tp->sb);
	sb_printf(&tp->sb, "oslab top - %s  ", clock);
	describe_target(&tp->sb, tp->o);
	sb_printf(&tp->sb, "  every %.1f s  sort %s\n", tp->o->interval, top_sort_name(tp->sort));
	if (tp->snapshot)
		top_format_totals(&tp->sb, &tp->totals);
	else
		sb_printf(&tp->sb, "measuring for %.1f s ...\n", tp->o->interval);
	put_lines(0, sb_str(&tp->sb), width);

	top_layout_for(&l, width);
	sb_reset(&tp->sb);
	top_format_header(&tp->sb, &l);
	attron(A_REVERSE);
	mvprintw(VIEW_TOP - 1, 0, "%-*.*s", width, width, sb_str(&tp->sb));
	attroff(A_REVERSE);

	y = VIEW_TOP;
	for (size_t i = 0; i < tp->n_rows && y < height - 1; i++) {
		sb_reset(&tp->sb);
		top_format_row(&tp->sb, &l, &tp->rows[i]);
		mvaddnstr(y++, 0, sb_str(&tp->sb), width);
	}

	/* the keys, the current sort's highlighted; only the letters when narrow */
	move(height - 1, 0);
	for (size_t i = 0; i < N_SORTS; i++) {
		if (i == (size_t)tp->sort)
			attron(A_BOLD);
		if (width >= FOOTER_WIDTH)
			printw("%c %s  ", sorts[i].key, sorts[i].what);
		else
			printw("%c", sorts[i].key);
		if (i == (size_t)tp->sort)
			attroff(A_BOLD);
	}
	addstr(width >= FOOTER_WIDTH ? "q quit" : " sort  q quit");
	refresh();
}

static int watch(struct top *tp, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(tp->ep, EPOLL_CTL_ADD, fd, &e)) {
		fprintf(stderr, "oslab: failed to watch fd %d: %s\n", fd, strerror(errno));
		return -1;
	}
	return 0;
}

/* The signalfd, a pidfd per -p process (readable when it exits), and the
 * keyboard in the live view. */
static int setup_epoll(struct top *tp)
{
	tp->ep = epoll_create1(EPOLL_CLOEXEC);
	if (tp->ep < 0) {
		fprintf(stderr, "oslab: failed to create an epoll set: %s\n", strerror(errno));
		return -1;
	}
	if (watch(tp, tp->sfd))
		return -1;
	for (size_t i = 0; i < tp->o->n_pids; i++) {
		tp->pidfds[i] = syscall(SYS_pidfd_open, tp->o->pids[i], 0);
		if (tp->pidfds[i] < 0)
			continue;	/* gone already */
		if (watch(tp, tp->pidfds[i]))
			return -1;
		tp->alive++;
	}
	return tp->o->batch ? 0 : watch(tp, STDIN_FILENO);
}

static int start_view(struct top *tp)
{
	/* newterm, not initscr: an unknown $TERM is an error line, not an exit */
	tp->screen = newterm(NULL, stdout, stdin);
	if (!tp->screen) {
		fprintf(stderr, "oslab: failed to start the live view: terminal type '%s' is "
				"unknown; try TERM=xterm or -b\n", getenv("TERM") ?: "");
		return -1;
	}
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	return 0;
}

static void stop_view(struct top *tp)
{
	if (!tp->screen)
		return;
	endwin();
	delscreen(tp->screen);
	tp->screen = NULL;
}

/* Keys waiting in the live view; false when one of them quits. */
static bool keys(struct top *tp)
{
	bool redraw = false;
	int ch, s;

	while ((ch = getch()) != ERR) {
		if (ch == 'q' || ch == 'Q')
			return false;
		if (ch == KEY_RESIZE) {
			redraw = true;
		} else if ((s = top_sort_key(ch)) >= 0) {
			tp->sort = s;
			top_sort(tp->rows, tp->n_rows, tp->sort);
			redraw = true;
		}
	}
	if (redraw)
		draw(tp);
	return true;
}

/* Why the view ended: q, Ctrl-C, -n or -d; the -p processes exited; an error. */
enum stop { STOP_DONE, STOP_GONE, STOP_ERROR };

static enum stop run(struct top *tp)
{
	uint64_t interval = (uint64_t)(tp->o->interval * 1e9);
	uint64_t start = monotonic_ns(), next = start + interval;
	uint64_t deadline = tp->o->duration ? start + (uint64_t)(tp->o->duration * 1e9) : 0;

	tp->prev_ns = start;
	if (sample(tp, &tp->prev))
		return STOP_ERROR;
	if (tp->screen)
		draw(tp);
	for (;;) {
		struct epoll_event ev[ATTACH_MAX + 2];
		uint64_t now = monotonic_ns(), until = next;
		int n;

		if (deadline && deadline < until)
			until = deadline;
		n = epoll_wait(tp->ep, ev, ATTACH_MAX + 2,
			       until > now ? (int)((until - now + 999999) / 1000000) : 0);
		if (n < 0 && errno != EINTR) {
			run_error(tp, "oslab: failed to wait: %s\n", strerror(errno));
			return STOP_ERROR;
		}
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;
			struct signalfd_siginfo si;

			/* the terminal went away */
			if (tp->screen && fd == STDIN_FILENO &&
			    (ev[i].events & (EPOLLHUP | EPOLLERR)))
				return STOP_DONE;
			if (fd == tp->sfd) {
				if (read(tp->sfd, &si, sizeof(si)) == sizeof(si))
					return STOP_DONE;	/* Ctrl-C: a clean end */
				continue;
			}
			for (size_t k = 0; k < tp->o->n_pids; k++) {
				if (fd == tp->pidfds[k]) {
					epoll_ctl(tp->ep, EPOLL_CTL_DEL, fd, NULL);
					close(fd);
					tp->pidfds[k] = -1;
					tp->alive--;
				}
			}
		}
		if (tp->o->n_pids && !tp->alive)
			return STOP_GONE;
		/* keys, and KEY_RESIZE after a SIGWINCH broke the wait */
		if (tp->screen && !keys(tp))
			return STOP_DONE;
		now = monotonic_ns();
		if (now >= next) {
			if (take_snapshot(tp))
				return STOP_ERROR;
			if (tp->screen)
				draw(tp);
			else
				print_batch(tp);
			if (tp->o->iterations && tp->snapshot >= tp->o->iterations)
				return STOP_DONE;
			next += interval;
			if (next <= now)	/* fell behind (a stopped terminal) */
				next = now + interval;
		}
		if (deadline && now >= deadline)
			return STOP_DONE;
	}
}

int cmd_top(int argc, char **argv)
{
	struct top_opts o;
	struct top tp = { .o = &o, .sfd = -1, .ep = -1 };
	struct collector_opts co = { .sched = true, .timed = true };
	enum stop why = STOP_ERROR;
	int ret;

	ret = top_parse(&o, argc, argv);
	if (ret <= 0)
		return ret ? 2 : 0;
	for (size_t i = 0; i < ATTACH_MAX; i++)
		tp.pidfds[i] = -1;
	for (size_t i = 0; i < o.n_pids; i++)
		if (attach_check(o.pids[i]))
			return 1;
	top_slots_init(&tp.slots);
	/* every traced syscall counted, none logged: the rows are counts */
	for (unsigned s = 1; s <= syscalls_count() && s < SC_SLOTS; s++)
		co.selected[s] = true;
	co.all = !o.n_pids;
	co.verbose = o.verbose;
	/* SIGWINCH stays with ncurses: it turns it into KEY_RESIZE */
	tp.sfd = sigfd_open(false, &tp.old_mask);
	if (tp.sfd < 0)
		goto out;
	tp.c = collector_open(&co, NULL, NULL);
	if (!tp.c)
		goto out;
	for (size_t i = 0; i < o.n_pids; i++)
		if (attach_follow(tp.c, o.pids[i]))
			goto out;
	if (setup_epoll(&tp))
		goto out;
	if (!o.batch && start_view(&tp))
		goto out;
	why = run(&tp);
out:
	stop_view(&tp);
	fputs(tp.err, stderr);
	if (why == STOP_GONE)
		fprintf(stderr, "oslab: %s exited; top ends\n",
			o.n_pids > 1 ? "every traced process has" : "the traced process has");
	collector_close(tp.c);
	for (size_t i = 0; i < o.n_pids; i++)
		if (tp.pidfds[i] >= 0)
			close(tp.pidfds[i]);
	if (tp.ep >= 0)
		close(tp.ep);
	if (tp.sfd >= 0) {
		close(tp.sfd);
		sigprocmask(SIG_SETMASK, &tp.old_mask, NULL);
	}
	free(tp.prev.v);
	free(tp.cur.v);
	free(tp.rows);
	sb_free(&tp.sb);
	return why == STOP_ERROR ? 1 : 0;
}
