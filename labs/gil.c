// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * gil.c - CPU-bound and I/O-bound work in two threads, with and without one
 * giant lock: CPython's global interpreter lock (GIL) reproduced in C.
 *
 * The course counted down from 100,000,000 twice: 18.1 s one after the
 * other, 19.5 s in two threads.  Threads were slower, because CPython lets
 * only the thread holding the GIL run Python code.  Each variant here times
 * the same work done twice serially and then in two threads at once:
 *
 *   plain  no lock: on 2 cores the threads run in parallel, about half the time
 *   giant  a GIL: a thread holds it while it counts; a thread that wants it
 *          waits one switch interval (5 ms, sys.getswitchinterval()) and then
 *          asks the holder to let go.  Only one thread counts at any moment,
 *          so two threads take as long as one doing both, plus the hand-offs:
 *          each one a futex wait and wake and two context switches.
 *   io     the GIL again, but each thread mostly waits in a blocking call and
 *          releases the GIL around it, as CPython does around every system
 *          call: the waits overlap, so two threads take half the time.
 *
 * The giant lock follows CPython's Python/ceval_gil.h (the "new GIL" of 3.2):
 * a mutex, a flag, a condition variable to wait on with a timeout, a
 * drop_request flag the holder checks as it runs (CPython's "eval breaker"),
 * and a second condition variable for forced switching, so that a thread that
 * was asked to let go does not take the lock straight back.
 *
 * pthread_mutex_lock/unlock on a default mutex cannot fail, so their return
 * values are not checked; every other call is.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* CPU_COUNT, sched_getaffinity */
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define WAIT_TIMEOUT_MS 5000	/* no single wait in this lab lasts longer than this */
#define IO_WORK 100000		/* io: countdown done with the GIL held around each blocking call */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CPUs this process may run on: two threads run in parallel only with 2 or more. */
static int usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		perror("sched_getaffinity");
		exit(1);
	}
	return CPU_COUNT(&set);
}

/* ---- the giant lock ------------------------------------------------------- */

static struct giant_lock {
	pthread_mutex_t mutex;		/* protects every field but drop_request */
	pthread_cond_t cond;		/* signalled when the lock is dropped */
	pthread_cond_t switch_cond;	/* signalled when a thread takes it */
	int locked;			/* 1 while some thread holds the giant lock */
	int holder;			/* who holds it or held it last: thread 1 or 2, 0: main */
	long interval_ms;		/* the switch interval */
	atomic_int drop_request;	/* "please let go": read by the holder as it runs */
	long handoffs;			/* times it passed from one thread to another */
	long waits;			/* takes that found it held and had to wait */
	long long wait_ns;		/* time spent in those waits */
} gil;

static void gil_init(long interval_ms)
{
	pthread_condattr_t attr;
	int rc;

	/* timed waits on the monotonic clock: a change of the date cannot matter */
	rc = pthread_condattr_init(&attr);
	if (rc == 0)
		rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_mutex_init(&gil.mutex, NULL);
	if (rc == 0)
		rc = pthread_cond_init(&gil.cond, &attr);
	if (rc == 0)
		rc = pthread_cond_init(&gil.switch_cond, &attr);
	if (rc != 0)
		lab_die_rc("giant lock init", rc);
	pthread_condattr_destroy(&attr);
	gil.interval_ms = interval_ms;
}

/*
 * take_gil - wait until the giant lock is free and take it.  Each wait lasts
 * at most one switch interval: when a whole interval passed and the lock did
 * not change hands, we set drop_request and the holder lets go soon after.
 */
static void take_gil(int me)
{
	long long t0 = now_ns();
	int waited = 0;

	pthread_mutex_lock(&gil.mutex);
	while (gil.locked) {
		long handoffs = gil.handoffs;
		struct timespec deadline = lab_deadline(CLOCK_MONOTONIC, gil.interval_ms);

		waited = 1;
		/* sleeps in futex(FUTEX_WAIT_BITSET_PRIVATE) until woken or the deadline */
		int rc = pthread_cond_timedwait(&gil.cond, &gil.mutex, &deadline);
		if (rc == ETIMEDOUT && gil.locked && gil.handoffs == handoffs)
			atomic_store(&gil.drop_request, 1);	/* a whole interval: ask the holder */
		else if (rc != 0 && rc != ETIMEDOUT)
			lab_die_rc("pthread_cond_timedwait", rc);
	}
	if (me != 0 && gil.holder != 0 && gil.holder != me)
		gil.handoffs++;		/* from one counting thread to the other (main is 0) */
	gil.locked = 1;
	gil.holder = me;
	atomic_store(&gil.drop_request, 0);
	if (waited) {
		gil.waits++;
		gil.wait_ns += now_ns() - t0;
	}
	pthread_cond_signal(&gil.switch_cond);	/* tell a thread that let go for us: we have it */
	pthread_mutex_unlock(&gil.mutex);
}

/* drop_gil - let go of the giant lock and wake one thread waiting for it. */
static void drop_gil(void)
{
	pthread_mutex_lock(&gil.mutex);
	gil.locked = 0;
	pthread_cond_signal(&gil.cond);		/* futex(FUTEX_WAKE_PRIVATE) when someone waits */
	pthread_mutex_unlock(&gil.mutex);
}

/*
 * yield_gil - the holder was asked to let go: drop the lock, wait until
 * another thread has taken it (forced switching: otherwise we could take it
 * straight back), then queue up for it again like everyone else.
 */
static void yield_gil(int me)
{
	struct timespec deadline = lab_deadline(CLOCK_MONOTONIC, WAIT_TIMEOUT_MS);

	drop_gil();
	pthread_mutex_lock(&gil.mutex);
	while (gil.holder == me) {
		int rc = pthread_cond_timedwait(&gil.switch_cond, &gil.mutex, &deadline);
		if (rc == ETIMEDOUT)
			break;	/* nobody took it after all: go on */
		if (rc != 0)
			lab_die_rc("pthread_cond_timedwait", rc);
	}
	pthread_mutex_unlock(&gil.mutex);
	take_gil(me);
}

/* ---- the work ------------------------------------------------------------- */

/*
 * The course's CPU-bound function: while n > 0: n -= 1.  volatile makes the
 * compiler really load, decrement and store n each time instead of skipping
 * the loop.
 */
static void count_down(long start)
{
	volatile long n = start;

	while (n > 0)
		n--;
}

/* The same, for a thread holding the giant lock: it looks at drop_request on
 * every step, as CPython's interpreter loop checks its eval breaker. */
static void count_down_holding_gil(long start, int me)
{
	volatile long n = start;

	while (n > 0) {
		if (atomic_load_explicit(&gil.drop_request, memory_order_relaxed))
			yield_gil(me);
		n--;
	}
}

struct worker {
	int num;		/* 1 or 2: who holds the giant lock */
	const struct lab_opts *o;
};

/* Run fn in two threads, workers 1 and 2, and wait for both. */
static void run_two(const struct lab_opts *o, void *(*fn)(void *))
{
	struct worker w[2];
	pthread_t th[2];

	for (int i = 0; i < 2; i++) {
		w[i] = (struct worker){ .num = i + 1, .o = o };
		int rc = pthread_create(&th[i], NULL, fn, &w[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (int i = 0; i < 2; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
}

/*
 * Timings on a shared machine vary: another program may take a CPU during
 * one measurement and not the next, and a CPU that was idle runs slower for
 * its first fraction of a second.  So round 1 only warms the CPUs up, the
 * comparison is repeated, serial and threads in turn, and the fastest of
 * each is kept: the round that was disturbed least.
 */
struct timing {
	long rounds;				/* rounds in all */
	long counted;				/* rounds counted: all but the warm-up */
	long long serial_ns, threads_ns;	/* the fastest counted round of each */
};

static void note_round(struct timing *t, long r, long long serial_ns, long long threads_ns)
{
	int warm_up = r == 1 && t->rounds > 1;

	printf("round %ld: serial %lld ms, two threads %lld ms%s\n", r, serial_ns / 1000000,
	       threads_ns / 1000000, warm_up ? " (warm-up, not counted)" : "");
	if (warm_up)
		return;
	if (t->counted == 0 || serial_ns < t->serial_ns)
		t->serial_ns = serial_ns;
	if (t->counted == 0 || threads_ns < t->threads_ns)
		t->threads_ns = threads_ns;
	t->counted++;
}

/* Print and report the timings and their ratio. */
static void report_times(const struct timing *t)
{
	long serial_ms = (long)(t->serial_ns / 1000000), threads_ms = (long)(t->threads_ns / 1000000);
	long ratio = serial_ms > 0 ? threads_ms * 100 / serial_ms : 0;

	if (t->counted > 1)
		printf("fastest of %ld: ", t->counted);
	printf("serial %ld ms, two threads %ld ms: the threads took %ld%% of the serial time\n",
	       serial_ms, threads_ms, ratio);
	lab_result("cpus", usable_cpus());
	lab_result("serial_ms", serial_ms);
	lab_result("threads_ms", threads_ms);
	lab_result("ratio_pct", ratio);
}

/* ---- plain: no lock, truly parallel --------------------------------------- */

static void *plain_thread(void *p)
{
	struct worker *w = p;

	count_down(w->o->iters);	/* no lock: both threads count at the same time */
	return NULL;
}

static int variant_plain(const struct lab_opts *o)
{
	struct timing t = { .rounds = o->rounds };

	printf("count down from %ld twice, one after the other; then the same in two threads at "
	       "once, with no lock between them (%d CPUs usable); %ld rounds\n", o->iters,
	       usable_cpus(), o->rounds);
	for (long r = 1; r <= o->rounds; r++) {
		long long t0 = now_ns();
		count_down(o->iters);
		count_down(o->iters);
		long long serial = now_ns() - t0;

		t0 = now_ns();
		run_two(o, plain_thread);
		note_round(&t, r, serial, now_ns() - t0);
	}
	report_times(&t);
	printf("%s\n", usable_cpus() >= 2 ? "with no lock each thread can count on a CPU of its own"
					  : "one CPU: the threads can only take turns");
	return 0;	/* timings are what this variant shows, not a pass/fail */
}

/* ---- giant: the GIL ------------------------------------------------------- */

static void *giant_thread(void *p)
{
	struct worker *w = p;

	take_gil(w->num);
	count_down_holding_gil(w->o->iters, w->num);
	drop_gil();
	return NULL;
}

static int variant_giant(const struct lab_opts *o)
{
	struct timing t = { .rounds = o->rounds };

	gil_init(o->switch_ms);
	printf("count down from %ld twice, one after the other, holding the giant lock (%p); then\n"
	       "the same in two threads, where a thread that waited %ld ms for the lock asks its "
	       "holder to let go; %ld rounds\n", o->iters, (void *)&gil, o->switch_ms, o->rounds);
	for (long r = 1; r <= o->rounds; r++) {
		long long t0 = now_ns();
		take_gil(0);	/* main; nobody else wants it: no wait, no system call */
		count_down_holding_gil(o->iters, 0);
		count_down_holding_gil(o->iters, 0);
		drop_gil();
		long long serial = now_ns() - t0;

		t0 = now_ns();
		run_two(o, giant_thread);
		note_round(&t, r, serial, now_ns() - t0);
	}
	report_times(&t);
	long avg_wait_us = gil.waits ? (long)(gil.wait_ns / gil.waits / 1000) : 0;
	printf("the lock changed hands %ld times; a thread waited for it %ld times, %ld us on "
	       "average (the switch interval is %ld ms)\n", gil.handoffs, gil.waits, avg_wait_us,
	       o->switch_ms);
	printf("only the holder counts: two threads do the work one at a time, and every "
	       "hand-off is a futex wait, a wake and two context switches\n");
	lab_result("handoffs", gil.handoffs);
	lab_result("gil_waits", gil.waits);
	lab_result("avg_wait_us", avg_wait_us);
	return 0;
}

/* ---- io: the GIL released around blocking calls --------------------------- */

/* One round: a little work holding the GIL, then a blocking call without it. */
static void io_round(int me, long ms)
{
	take_gil(me);
	count_down_holding_gil(IO_WORK, me);
	drop_gil();		/* CPython does this around every blocking system call */
	lab_sleep_ms(ms);		/* a read, recv or time.sleep: the thread waits in the kernel */
}

static void *io_thread(void *p)
{
	struct worker *w = p;

	for (long r = 0; r < w->o->rounds; r++)
		io_round(w->num, w->o->ms);
	return NULL;
}

static int variant_io(const struct lab_opts *o)
{
	long long t0;

	gil_init(o->switch_ms);
	printf("%ld rounds, twice, one after the other: count down from %d holding the giant lock, "
	       "then let go of it and wait %ld ms in a blocking call\n", o->rounds, IO_WORK, o->ms);
	t0 = now_ns();
	for (long r = 0; r < 2 * o->rounds; r++)
		io_round(0, o->ms);
	long long serial = now_ns() - t0;

	printf("the same in two threads: while one waits without the lock, the other can run\n");
	t0 = now_ns();
	run_two(o, io_thread);
	long long threads = now_ns() - t0;

	struct timing t = { .rounds = 1, .counted = 1, .serial_ns = serial, .threads_ns = threads };
	report_times(&t);
	printf("I/O-bound threads overlap even with a GIL: the waiting is done without it\n");
	lab_result("blocking_calls", 2 * o->rounds);
	return 0;
}

static const struct lab_variant variants[] = {
	{ "plain", "a countdown twice serially vs in two threads with no lock: truly parallel",
	  variant_plain, { { "iters", 50000000 }, { "rounds", 6 } } },
	{ "giant", "the same with one giant lock handed over every 5 ms: threads are no faster",
	  variant_giant, { { "iters", 50000000 }, { "switch-ms", 5 }, { "rounds", 6 } } },
	{ "io", "I/O-bound threads release the giant lock around a blocking call: they overlap",
	  variant_io, { { "rounds", 20 }, { "ms", 10 }, { "switch-ms", 5 } } },
};

static const struct lab_option options[] = {
	{ "iters", offsetof(struct lab_opts, iters), 1, 10000000000L, "count down from N" },
	{ "switch-ms", offsetof(struct lab_opts, switch_ms), 1, 1000,
	  "switch interval: a waiting thread asks the holder to let go after this long" },
	{ "rounds", offsetof(struct lab_opts, rounds), 1, 1000,
	  "times the comparison is made, the first a warm-up (plain, giant), or blocking calls "
	  "per thread (io)" },
	{ "ms", offsetof(struct lab_opts, ms), 1, 1000, "milliseconds each blocking call waits" },
};

static const struct lab gil_lab = {
	.name = "gil",
	.summary = "CPU-bound and I/O-bound threads with and without one giant lock: the GIL in C.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  gil plain                       count down from 50000000: threads take half as long\n"
		"  gil plain --iters 100000000 --rounds 1\n"
		"                                  the course's countdown, once\n"
		"  gil giant                       the same with a GIL: threads take as long, or longer\n"
		"  gil giant --switch-ms 1         hand the lock over five times as often\n"
		"  gil io --rounds 10 --ms 50      blocking calls without the lock overlap\n",
};

int main(int argc, char **argv)
{
	return lab_main(&gil_lab, argc, argv);
}
