// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * trace.c - `oslab trace`: parse, open, configure, load, attach, start the
 * command stopped, follow it, let it go, collect until the last descendant
 * exits (oslab is their subreaper, as strace -f waits for all), report.
 */
#include "trace.h"

#include <errno.h>
#include <getopt.h>
#include <linux/futex.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector.h"
#include "decode.h"
#include "files.h"
#include "json.h"
#include "perfetto.h"
#include "sigfd.h"
#include "spawn.h"
#include "summary.h"
#include "sys_futex.h"
#include "syscalls.h"
#include "tree.h"
#include "ulocks.h"

/* The probes do not wake us per event (that pulled oslab onto the traced
 * thread's CPU): we read the ring buffer on a clock, often while events
 * flow, seldom while none do; a ring half full wakes us at once. */
#define POLL_BUSY_MS 10
#define POLL_IDLE_MS 100
#define STRSIZE_MAX 4000	/* fits one event's DATA_MAX with its chunk headers */

/* glibc sizes a stream's buffer itself unless given one */
static char out_buffer[1 << 20], json_buffer[1 << 20];

void trace_opts_default(struct trace_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->log = true;
	o->strsize = 32;
}

static void usage(FILE *f)
{
	fputs("usage: oslab trace [options] -- COMMAND [ARGS...]\n"
	      "       oslab trace [options] -p PID[,PID...] [-d SECONDS]\n"
	      "\n"
	      "Trace COMMAND and every process and thread it creates, from its first\n"
	      "instruction, and print what the kernel did: an strace-style log of the\n"
	      "process, futex, write/read, network, poll and sleep syscalls, and exact\n"
	      "counts.  With -p, attach to running processes and all their threads until\n"
	      "Ctrl-C, -d SECONDS, or until they exit; they keep running afterwards.\n"
	      "\n"
	      "options:\n"
	      "  -p PID[,PID...]    attach to running processes instead of running COMMAND\n"
	      "  -d SECONDS         with -p: stop after this long\n"
	      "  -c                 summary table only (exact in-kernel counts), no log\n"
	      "  -C                 log and summary table\n"
	      "  -w                 with -c/-C: time each call (% time, seconds, usecs/call:\n"
	      "                     wall-clock latency, as strace -w); adds an entry probe\n"
	      "                     and two clock reads to every traced call\n"
	      "      --per-process  with -c/-C: one table per process\n"
	      "  -e trace=SET       only these syscalls: names and the families process,\n"
	      "                     futex, write, read, network, poll ('!' negates)\n"
	      "  -o FILE            write the log and reports to FILE, not stderr\n"
	      "      --json FILE    JSON Lines: summary, process, event and lost records\n"
	      "  -s N               print at most N bytes of each string (default 32)\n"
	      "  -t, -tt, -ttt      prefix each line with the time (s, us, epoch)\n"
	      "  -T                 show the time spent in each syscall\n"
	      "  -q                 no '+++ exited' lines\n"
	      "      --tree         processes and threads: how each was created, lifetime,\n"
	      "                     CPU, context switches, page faults, where time went\n"
	      "      --locks        per futex word: waits, wakes, time blocked, threads\n"
	      "      --sockets      per socket: addresses, who accepted or connected, bytes\n"
	      "      --timeline     one lane per thread: running, runnable, blocked\n"
	      "      --perfetto FILE.json.gz  the timeline and every call for ui.perfetto.dev\n"
	      "      --force        overwrite an existing --perfetto file\n"
	      "      --all          every report above\n"
	      "      --ulocks       count libc's pthread_mutex_lock/unlock, cond_wait/signal,\n"
	      "                     sem_wait/post with uprobes: shows how many lock calls never\n"
	      "                     reach the kernel, but slows every such call (~1 us)\n"
	      "      --buffer-size BYTES  ring buffer size, a power of two (default 32M)\n"
	      "  -v                 verbose: libbpf's and the verifier's messages\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "EXAMPLES\n"
	      "  sudo oslab trace -- ./server           log every traced call\n"
	      "  sudo oslab trace -c -- python3 t.py    how many clone3, futex, write calls\n"
	      "  sudo oslab trace -c -p 4242 -d 5       five seconds of a running server\n"
	      "  sudo oslab trace -e trace=futex -T -- ./locks mutex\n"
	      "  sudo oslab trace -c --json out.jsonl -- make -j2\n"
	      "  sudo oslab trace -c --all --perfetto t.json.gz -- ./locks mutex --threads 4\n",
	      f);
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return -1;
	*out = strtoull(s, &end, 0);
	if (errno || *end || *out > max)
		return -1;
	return 0;
}

/* 4096, 64K, 64M */
static int parse_size(const char *s, unsigned long long *out)
{
	char num[32], *suffix;
	unsigned long long mult = 1;
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(num))
		return -1;
	strcpy(num, s);
	suffix = num + n - 1;
	if (*suffix == 'K' || *suffix == 'k')
		mult = 1 << 10;
	else if (*suffix == 'M' || *suffix == 'm')
		mult = 1 << 20;
	if (mult > 1)
		*suffix = '\0';
	if (parse_uint(num, 1ULL << 40, out))
		return -1;
	*out *= mult;
	return 0;
}

enum {
	OPT_JSON = 256, OPT_PER_PROCESS, OPT_BUFFER_SIZE, OPT_TREE, OPT_LOCKS, OPT_SOCKETS,
	OPT_TIMELINE, OPT_PERFETTO, OPT_FORCE, OPT_ALL, OPT_ULOCKS,
};

int trace_parse(struct trace_opts *o, int argc, char **argv, bool need_command)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, OPT_JSON },
		{ "per-process", no_argument, NULL, OPT_PER_PROCESS },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
		{ "tree", no_argument, NULL, OPT_TREE },
		{ "locks", no_argument, NULL, OPT_LOCKS },
		{ "sockets", no_argument, NULL, OPT_SOCKETS },
		{ "timeline", no_argument, NULL, OPT_TIMELINE },
		{ "perfetto", required_argument, NULL, OPT_PERFETTO },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "ulocks", no_argument, NULL, OPT_ULOCKS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int opt, ts = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+cCe:o:s:tTwqvhp:d:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->summary = true;
			o->log = false;
			break;
		case 'C':
			o->summary = true;
			o->log = true;
			break;
		case OPT_PER_PROCESS:
			o->per_process = true;
			break;
		case 'e':
			if (strncmp(optarg, "trace=", 6)) {
				fprintf(stderr, "oslab: -e supports only trace=SET, not '%s'; "
						"try 'oslab trace --help'\n", optarg);
				return -1;
			}
			o->trace_expr = optarg + 6;
			break;
		case 'o':
			o->outfile = optarg;
			break;
		case OPT_JSON:
			o->jsonfile = optarg;
			break;
		case 's':
			if (parse_uint(optarg, STRSIZE_MAX, &v)) {
				fprintf(stderr, "oslab: -s takes a number from 0 to %d, not '%s'\n",
					STRSIZE_MAX, optarg);
				return -1;
			}
			o->strsize = v;
			break;
		case 't':
			ts++;
			break;
		case 'p':
			if (attach_parse(optarg, o->pids, &o->n_pids))
				return -1;
			break;
		case 'd': {
			char *end;

			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(o->duration > 0) || o->duration > 86400) {
				fprintf(stderr, "oslab: -d takes seconds, more than 0 and at most 86400, "
						"not '%s'\n", optarg);
				return -1;
			}
			break;
		}
		case 'T':
			o->durations = true;
			break;
		case 'w':
			o->timed = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_BUFFER_SIZE:
			if (parse_size(optarg, &v) || v < 4096 || v > (1ULL << 30) || (v & (v - 1))) {
				fprintf(stderr, "oslab: --buffer-size takes a power of two from 4096 "
						"to 1G, not '%s'\n", optarg);
				return -1;
			}
			o->ringbuf_bytes = v;
			break;
		case OPT_TREE:
			o->tree = true;
			break;
		case OPT_LOCKS:
			o->locks = true;
			break;
		case OPT_SOCKETS:
			o->sockets = true;
			break;
		case OPT_TIMELINE:
			o->timeline = true;
			break;
		case OPT_PERFETTO:
			o->perfetto = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_ALL:
			o->tree = o->locks = o->sockets = o->timeline = true;
			break;
		case OPT_ULOCKS:
			o->ulocks = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case '?':
		default:
			if (optopt && optopt < 256 && strchr("eospd", optopt))
				fprintf(stderr, "oslab: option -%c needs an argument; "
						"try 'oslab trace --help'\n", optopt);
			else if (optopt && optopt < 256)
				fprintf(stderr, "oslab: unknown option '-%c'; try 'oslab trace --help'\n",
					optopt);
			else if (optopt && strchr(argv[optind - 1], '='))	/* --tree=x */
				fprintf(stderr, "oslab: option '%.*s' takes no argument; try 'oslab trace "
						"--help'\n", (int)strcspn(argv[optind - 1], "="),
					argv[optind - 1]);
			else if (optopt)
				fprintf(stderr, "oslab: option '%s' needs an argument; try 'oslab trace "
						"--help'\n", argv[optind - 1]);
			else
				fprintf(stderr, "oslab: unknown or incomplete option '%s'; "
						"try 'oslab trace --help'\n", argv[optind - 1]);
			return -1;
		}
	}
	o->time = ts > 3 ? LOG_TIME_EPOCH : (enum log_time)ts;
	if (o->perfetto && !o->force && !access(o->perfetto, F_OK)) {
		fprintf(stderr, "oslab: '%s' exists; choose another --perfetto file or add --force\n",
			o->perfetto);
		return -1;
	}
	if (o->n_pids && optind < argc) {
		fprintf(stderr, "oslab: give either -p PID or a command, not both\n");
		return -1;
	}
	if (o->duration && !o->n_pids) {
		fprintf(stderr, "oslab: -d goes with -p; a command is traced until it exits\n");
		return -1;
	}
	if (need_command && !o->n_pids && optind >= argc) {
		fprintf(stderr, "oslab: no command to trace; usage: oslab trace [options] -- "
				"COMMAND [ARGS...]\n");
		return -1;
	}
	return optind;
}

/* Reap every child that has exited; note the command's own status. */
static void reap(pid_t cmd, bool *cmd_done, int *status, bool *all_done)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		if (pid == cmd) {
			*cmd_done = true;
			*status = st;
		}
	}
	*all_done = pid < 0 && errno == ECHILD;
}

/* Where ring buffer records go: the log and the timeline, either or both. */
struct sinks {
	struct log *log;		/* NULL: no log nor JSON events */
	struct timeline *timeline;	/* NULL: no timeline */
};

static void on_event(void *ctx, const struct event *ev, size_t size)
{
	struct sinks *k = ctx;

	if (k->log && (ev->type == EV_SYSCALL || ev->type == EV_ENTER || ev->type == EV_EXIT))
		log_event(k->log, ev, size);
	if (k->timeline)
		timeline_event(k->timeline, ev, size);
}

struct run_state {
	struct collector *c;
	int sfd, ep;
	sigset_t old_mask;
};

/* Read what the ring buffer holds; returns how long to wait before the
 * next read: soon while events flow, later while none do. */
static int read_events(struct run_state *s)
{
	return collector_consume(s->c) > 0 ? POLL_BUSY_MS : POLL_IDLE_MS;
}

static int setup_epoll(struct run_state *s)
{
	struct epoll_event e = { .events = EPOLLIN };
	int rbfd = collector_fd(s->c);

	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0) {
		fprintf(stderr, "oslab: failed to create an epoll set: %s\n", strerror(errno));
		return -1;
	}
	e.data.fd = s->sfd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sfd, &e))
		return -1;
	if (rbfd >= 0) {
		/* edge-triggered: a wakeup (the ring half full) ends one wait;
		 * level-triggered, every wait after it would return at once
		 * while events flow, and we would chase the probes record by
		 * record instead of reading in batches */
		e.events = EPOLLIN | EPOLLET;
		e.data.fd = rbfd;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, rbfd, &e))
			return -1;
	}
	return 0;
}

static void no_op(void *ctx, const struct thread *t)
{
	(void)ctx;
	(void)t;
}

/* A thread_fn: send the signal in ctx to the thread's process. */
static void signal_process(void *ctx, const struct thread *t)
{
	if (t->tgid != (uint32_t)getpid())
		kill(t->tgid, *(const int *)ctx);
}

/*
 * Collect until the command and all its descendants have exited.  The first
 * SIGINT/SIGTERM goes on to every process of the traced tree, as Ctrl-C in
 * a terminal would, so that none is left running; a second one kills them
 * all; a third stops the wait.
 */
static void collect(struct run_state *s, pid_t cmd, int *status)
{
	bool cmd_done = false, all_done = false;
	int interrupts = 0;

	int wait = POLL_IDLE_MS;

	while (!all_done && interrupts < 3) {
		struct epoll_event ev[2];
		struct signalfd_siginfo si;
		int n = epoll_wait(s->ep, ev, 2, wait);

		if (n < 0 && errno != EINTR)
			break;
		wait = read_events(s);
		while (read(s->sfd, &si, sizeof(si)) == sizeof(si)) {
			int sig = interrupts ? SIGKILL : (int)si.ssi_signo;

			if (si.ssi_signo == SIGCHLD)
				continue;
			if (!cmd_done)
				kill(cmd, sig);
			collector_live_threads(s->c, signal_process, &sig);
			interrupts++;
		}
		reap(cmd, &cmd_done, status, &all_done);
		/* a child oslab did not start (a shell's >(...) inherited through
		 * exec) is no descendant: the tree is done when the command is
		 * reaped and the probes follow no task any more */
		if (cmd_done && !all_done && collector_live_threads(s->c, no_op, NULL) == 0)
			all_done = true;
	}
	collector_consume(s->c);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/*
 * Attached processes are not our children: a pidfd for each says when it
 * exits.  Stop when all have, at the deadline, or on SIGINT/SIGTERM, which
 * stop oslab only: the processes keep running, untouched.
 */
static int collect_attached(struct run_state *s, const struct trace_opts *o)
{
	uint64_t deadline = o->duration ? now_ms() + (uint64_t)(o->duration * 1000) : 0;
	int pidfds[ATTACH_MAX], alive = 0, poll_ms = POLL_IDLE_MS;
	struct epoll_event e = { .events = EPOLLIN };

	for (size_t i = 0; i < o->n_pids; i++) {
		pidfds[i] = syscall(SYS_pidfd_open, o->pids[i], 0);
		e.data.fd = pidfds[i];
		if (pidfds[i] >= 0 && !epoll_ctl(s->ep, EPOLL_CTL_ADD, pidfds[i], &e))
			alive++;
	}
	while (alive > 0) {
		struct epoll_event ev[ATTACH_MAX + 2];
		struct signalfd_siginfo si;
		int n, wait = poll_ms;

		if (deadline) {
			uint64_t now = now_ms();

			if (now >= deadline)
				break;
			if (deadline - now < (uint64_t)wait)
				wait = deadline - now;
		}
		n = epoll_wait(s->ep, ev, ATTACH_MAX + 2, wait);
		if (n < 0 && errno != EINTR)
			break;
		poll_ms = read_events(s);
		for (int i = 0; i < n; i++) {
			for (size_t k = 0; k < o->n_pids; k++) {
				if (ev[i].data.fd == pidfds[k] && pidfds[k] >= 0) {
					epoll_ctl(s->ep, EPOLL_CTL_DEL, pidfds[k], NULL);
					close(pidfds[k]);
					pidfds[k] = -1;
					alive--;
				}
			}
		}
		if (read(s->sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD)
			break;
	}
	for (size_t k = 0; k < o->n_pids; k++)
		if (pidfds[k] >= 0)
			close(pidfds[k]);
	collector_consume(s->c);
	return 0;
}

/* Start the command stopped, follow it, let it go, and collect. */
static int run_command(struct run_state *s, const char *path, char **argv, int *status,
		       int *exit_code)
{
	struct spawned sp = { .pid = -1 };
	int e;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (spawn_stopped(&sp, path, argv, &s->old_mask))
		return -1;
	if (collector_follow(s->c, sp.pid, sp.pid, getpid(), ORIGIN_ROOT)) {
		kill(sp.pid, SIGKILL);
		waitpid(sp.pid, NULL, 0);
		return -1;
	}
	e = spawn_release(&sp);
	if (e) {
		fprintf(stderr, "oslab: failed to execute '%s': %s\n", path, strerror(e));
		waitpid(sp.pid, NULL, 0);
		*exit_code = e == ENOENT ? 127 : 126;
		return -1;
	}
	collect(s, sp.pid, status);
	return 0;
}

int trace_command(const struct trace_opts *o, char **argv, struct trace_result *r, int *exit_code)
{
	struct collector_opts co = { .strsize = o->strsize, .ringbuf_bytes = o->ringbuf_bytes,
				     .verbose = o->verbose };
	struct run_state s = { .sfd = -1, .ep = -1 };
	struct log lg = { .time = o->time, .durations = o->durations, .quiet = o->quiet };
	struct sinks sinks = { 0 };
	FILE *out = NULL, *json = NULL, *pf;
	char path[PATH_MAX], err[256];
	bool made_perfetto = false;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	*exit_code = 1;
	if (syscalls_select(o->trace_expr, co.selected, err, sizeof(err))) {
		fprintf(stderr, "oslab: %s; see 'oslab trace --help'\n", err);
		*exit_code = 2;
		return -1;
	}
	for (size_t i = 0; i < o->n_pids; i++)
		if (attach_check(o->pids[i]))
			return -1;
	if (!o->n_pids && spawn_resolve(argv[0], path, sizeof(path), exit_code))
		return -1;
	*exit_code = 1;
	if (o->outfile && !(out = fopen_as_user(o->outfile, "w")))
		return -1;
	if (o->jsonfile && !(json = fopen_as_user(o->jsonfile, "w")))
		goto out;
	/* a log is written a line per call: in megabytes, not stdio's 4 KB,
	 * so the reader spends its time reading events, not in write(2) */
	if (out)
		setvbuf(out, out_buffer, _IOFBF, sizeof(out_buffer));
	if (json)
		setvbuf(json, json_buffer, _IOFBF, sizeof(json_buffer));
	/* the Perfetto file is written at the end: find out now that it can be */
	if (o->perfetto) {
		bool existed = !access(o->perfetto, F_OK);

		if (!(pf = fopen_as_user(o->perfetto, "w")))
			goto out;
		fclose(pf);
		made_perfetto = !existed;
	}
	lg.out = o->log ? (out ? out : stderr) : NULL;
	lg.json = json && o->log ? json : NULL;
	log_init(&lg);
	if (lg.out || lg.json)
		sinks.log = &lg;
	if (o->timeline || o->perfetto) {
		r->timeline = sinks.timeline = timeline_new();
		if (!r->timeline) {
			fprintf(stderr, "oslab: out of memory\n");
			goto out;
		}
		if (!o->perfetto)	/* only Perfetto shows each call's text */
			timeline_limits(r->timeline, TIMELINE_MAX_RECORDS, 0);
	}
	/* Perfetto's syscall slices come from the event stream too */
	co.events = sinks.log || o->perfetto;
	co.sched = r->sched = o->tree || o->timeline || o->perfetto;
	co.sched_events = sinks.timeline != NULL;
	co.futexes = o->locks;
	co.sockets = o->sockets;
	co.ulocks = o->ulocks;
	/* times in the log (-t, -T, JSON events) come from the entry probe too */
	co.timed = o->timed || o->durations || o->time || lg.json;
	s.sfd = sigfd_open(true, &s.old_mask);
	if (s.sfd < 0)
		goto out;
	s.c = collector_open(&co, co.events || co.sched_events ? on_event : NULL, &sinks);
	if (!s.c || setup_epoll(&s))
		goto out;
	if (o->n_pids) {
		for (size_t i = 0; i < o->n_pids; i++)
			if (attach_follow(s.c, o->pids[i]))
				goto out;
		collect_attached(&s, o);
	} else if (run_command(&s, path, argv, &r->status, exit_code)) {
		goto out;
	}
	r->timed = collector_timed(s.c);
	collector_threads(s.c, procs_add_thread, &r->procs);
	procs_build(&r->procs);
	if (o->locks) {
		collector_futexes(s.c, locks_add_word, &r->locks);
		collector_futex_threads(s.c, locks_add_thread, &r->locks);
		locks_finish(&r->locks, &r->procs);
	}
	if (o->sockets) {
		collector_sockets(s.c, sockets_add, &r->sockets);
		sockets_finish(&r->sockets);
	}
	collector_stats(s.c, &r->stats);
	r->events = lg.events;
	*exit_code = o->n_pids ? 0 : trace_exit_code(r->status);
	ret = 0;
out:
	if (ret) {
		timeline_free(r->timeline);
		r->timeline = NULL;
		if (made_perfetto)	/* nothing written: no empty file to refuse next time */
			unlink(o->perfetto);
	}
	collector_close(s.c);
	if (s.ep >= 0)
		close(s.ep);
	if (s.sfd >= 0) {
		close(s.sfd);
		sigprocmask(SIG_SETMASK, &s.old_mask, NULL);
	}
	log_free(&lg);
	if (out && out != stderr)
		fclose(out);
	if (json)
		fclose(json);
	return ret;
}

void trace_result_free(struct trace_result *r)
{
	procs_free(&r->procs);
	locks_free(&r->locks);
	sockets_free(&r->sockets);
	timeline_free(r->timeline);
	r->timeline = NULL;
}

int trace_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* calls and errors; total_ns only when each call was timed */
static void json_sc_count(struct strbuf *j, const struct sc_count *c, bool timed)
{
	json_kv_uint(j, "calls", c->calls);
	json_kv_uint(j, "errors", c->errors);
	if (timed)
		json_kv_uint(j, "total_ns", c->total_ns);
}

static void json_counts(FILE *f, struct strbuf *j, const struct sc_count *counts, long pid,
			bool timed)
{
	for (unsigned s = 1; s <= syscalls_count(); s++) {
		if (!counts[s].calls)
			continue;
		json_begin(j, "summary");
		if (pid >= 0)
			json_kv_int(j, "pid", pid);
		json_kv_str(j, "syscall", syscall_by_slot(s)->name);
		json_sc_count(j, &counts[s], timed);
		json_end(j, f);
	}
}

/* Exact futex calls per operation: {"type":"futex","op":"FUTEX_WAIT_PRIVATE",...} */
static void json_futex(FILE *f, struct strbuf *j, const struct sc_count ops[2][FUTEX_CMDS], long pid,
		       bool timed)
{
	struct strbuf name = STRBUF_INIT;

	for (int priv = 0; priv < 2; priv++)
		for (unsigned cmd = 0; cmd < FUTEX_CMDS; cmd++) {
			if (!ops[priv][cmd].calls)
				continue;
			sb_reset(&name);
			futex_print_op(&name, cmd | (priv ? FUTEX_PRIVATE_FLAG : 0));
			json_begin(j, "futex");
			if (pid >= 0)
				json_kv_int(j, "pid", pid);
			json_kv_str(j, "op", sb_str(&name));
			json_sc_count(j, &ops[priv][cmd], timed);
			json_end(j, f);
		}
	sb_free(&name);
}

static void json_report(FILE *f, const struct trace_result *r)
{
	const struct procs *p = &r->procs;
	struct strbuf j = STRBUF_INIT;

	json_counts(f, &j, p->total, -1, r->timed);
	for (size_t i = 0; i < p->n_procs; i++)
		json_counts(f, &j, p->procs[i].counts, p->procs[i].pid, r->timed);
	json_futex(f, &j, p->futex_total, -1, r->timed);
	for (size_t i = 0; i < p->n_procs; i++)
		json_futex(f, &j, p->procs[i].futex_ops, p->procs[i].pid, r->timed);
	for (size_t i = 0; i < p->n_procs; i++) {
		const struct proc *pr = &p->procs[i];

		json_begin(&j, "process");
		json_kv_uint(&j, "pid", pr->pid);
		json_kv_uint(&j, "ppid", pr->ppid);
		json_kv_str(&j, "comm", pr->comm);
		json_kv_str(&j, "created_by", procs_origin_name(pr->origin));
		json_kv_uint(&j, "threads", pr->threads);
		if (pr->exited && WIFEXITED(pr->exit_code))
			json_kv_int(&j, "exit_code", WEXITSTATUS(pr->exit_code));
		else
			sb_puts(&j, ",\"exit_code\":null");
		if (pr->exited && WIFSIGNALED(pr->exit_code))
			json_kv_str(&j, "signal", signal_name(WTERMSIG(pr->exit_code)) ?: "?");
		sb_puts(&j, pr->orphan ? ",\"orphan\":true" : ",\"orphan\":false");
		json_kv_uint(&j, "cpu_ns", pr->cpu_ns);
		json_kv_uint(&j, "lifetime_ns", pr->end_ns > pr->start_ns ? pr->end_ns - pr->start_ns : 0);
		json_kv_uint(&j, "nvcsw", pr->nvcsw);
		json_kv_uint(&j, "nivcsw", pr->nivcsw);
		json_kv_uint(&j, "min_flt", pr->min_flt);
		json_kv_uint(&j, "maj_flt", pr->maj_flt);
		if (r->sched)
			json_kv_uint(&j, "cow_faults", pr->cow_faults);
		json_end(&j, f);
	}
	for (size_t i = 0; i < p->n_threads; i++) {
		const struct thread *t = &p->threads[i];

		json_begin(&j, "thread");
		json_kv_uint(&j, "tid", t->tid);
		json_kv_uint(&j, "pid", t->tgid);
		json_kv_uint(&j, "creator_tid", t->ptid);
		json_kv_str(&j, "comm", t->comm);
		json_kv_str(&j, "created_by", procs_origin_name(t->origin));
		json_kv_uint(&j, "clone_flags", t->clone_flags);
		tree_json_thread(&j, t, r->sched);
		json_end(&j, f);
	}
	json_begin(&j, "created");
	json_kv_uint(&j, "processes", p->created[ORIGIN_PROCESS]);
	json_kv_uint(&j, "threads", p->created[ORIGIN_THREAD]);
	json_kv_uint(&j, "vforks", p->created[ORIGIN_VFORK]);
	json_end(&j, f);
	locks_json(f, &r->locks);
	sockets_json(f, &r->sockets);
	ulocks_json(f, p);
	json_begin(&j, "lost");
	json_kv_uint(&j, "events", r->stats.lost_events);
	json_kv_uint(&j, "futex_words", r->stats.lost_futexes);
	json_kv_uint(&j, "sockets", r->stats.lost_sockets);
	json_kv_uint(&j, "threads", r->stats.lost_threads);
	json_kv_uint(&j, "exits", r->stats.lost_exits);
	json_end(&j, f);
	sb_free(&j);
}

void trace_report(const struct trace_opts *o, const struct trace_result *r, FILE *f)
{
	FILE *out = NULL, *json = NULL;

	if (o->outfile && o->summary) {
		out = fopen_as_user(o->outfile, "a");
		if (out)
			f = out;
	}
	if (o->summary) {
		if (o->log)
			fputc('\n', f);
		if (o->per_process)
			summary_print_per_process(f, &r->procs, r->timed);
		else
			summary_print(f, r->procs.total, r->timed);
		summary_print_created(f, &r->procs);
	}
	if (o->tree) {
		fputs("\n", f);
		tree_print(f, &r->procs, r->sched);
		fputs("\n", f);
		tree_print_time(f, &r->procs);
	}
	if (o->locks) {
		fputs("\n", f);
		locks_print(f, &r->locks, &r->procs);
	}
	if (o->sockets) {
		fputs("\n", f);
		sockets_print(f, &r->sockets, tree_t0(&r->procs));
	}
	if (o->ulocks) {
		fputs("\n", f);
		ulocks_print(f, &r->procs);
	}
	if (o->timeline && r->timeline) {
		fputs("\n", f);
		timeline_print(f, r->timeline, &r->procs, timeline_width(f), timeline_color(f));
	}
	if (o->perfetto && r->timeline && !perfetto_write(o->perfetto, r->timeline, &r->procs))
		fprintf(f, "\noslab: wrote %s: open it in ui.perfetto.dev\n", o->perfetto);
	if (r->stats.lost_events)
		fprintf(f, "oslab: %llu events lost: the ring buffer was full, so the log misses "
			   "them (the counts are exact; a larger --buffer-size helps)\n",
			(unsigned long long)r->stats.lost_events);
	if (r->stats.lost_futexes || r->stats.lost_sockets)
		fprintf(f, "oslab: %llu futex words and %llu sockets were not tracked: their maps "
			   "were full\n", (unsigned long long)r->stats.lost_futexes,
			(unsigned long long)r->stats.lost_sockets);
	if (r->stats.lost_threads || r->stats.lost_exits)
		fprintf(f, "oslab: %llu threads could not be followed and %llu exited threads' "
			   "counts were lost: the probes' maps were full\n",
			(unsigned long long)r->stats.lost_threads,
			(unsigned long long)r->stats.lost_exits);
	if (o->jsonfile && (json = fopen_as_user(o->jsonfile, "a"))) {
		json_report(json, r);
		fclose(json);
	}
	if (out)
		fclose(out);
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	struct trace_result r;
	int idx, code;

	trace_opts_default(&o);
	idx = trace_parse(&o, argc, argv, true);
	if (idx <= 0)
		return idx ? 2 : 0;
	decode_strsize = o.strsize;
	if (trace_command(&o, argv + idx, &r, &code))
		return code;
	trace_report(&o, &r, stderr);	/* strace -c prints there too */
	trace_result_free(&r);
	return code;
}
