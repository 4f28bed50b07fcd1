/* Unit tests for the timeline: recorded event sequences (switches, wake-ups,
 * syscalls, exits) in, exact pictures out; totals, limits and edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "procs.h"
#include "timeline.h"

#define B 1000000000ULL	/* the recorded sequences start 1 s after boot */
#define US 1000ULL
#define MS 1000000ULL

/* On CPU cpu, thread out (pid/tid; 0/0 untraced) leaves for `reason` after
 * running `ran` ns; thread in (0/0: untraced) takes it. */
static void swc(struct timeline *tl, unsigned cpu, uint64_t ts, uint32_t out_pid,
		uint32_t out_tid, unsigned reason, uint64_t ran, uint32_t in_pid, uint32_t in_tid)
{
	struct sched_event e = { .ts = ts, .duration_ns = ran, .tgid = out_pid, .tid = out_tid,
				 .type = EV_SWITCH, .reason = reason, .other_tid = in_tid,
				 .other_tgid = in_pid, .cpu = cpu };

	timeline_event(tl, &e, sizeof(e));
}

/* The same on CPU 0. */
static void sw(struct timeline *tl, uint64_t ts, uint32_t out_pid, uint32_t out_tid,
	       unsigned reason, uint64_t ran, uint32_t in_pid, uint32_t in_tid)
{
	swc(tl, 0, ts, out_pid, out_tid, reason, ran, in_pid, in_tid);
}

/* Thread pid/tid woken by thread waker (0: an interrupt). */
static void wake(struct timeline *tl, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t waker)
{
	struct sched_event e = { .ts = ts, .tgid = pid, .tid = tid, .type = EV_WAKEUP,
				 .other_tid = waker, .other_tgid = waker ? pid : 0 };

	timeline_event(tl, &e, sizeof(e));
}

static void sc(struct timeline *tl, uint64_t ts, uint64_t dur, uint32_t pid, uint32_t tid,
	       long nr, long long ret)
{
	struct event e = { .ts = ts, .duration_ns = dur, .tgid = pid, .tid = tid,
			   .type = EV_SYSCALL, .nr = nr, .ret = ret };

	timeline_event(tl, &e, sizeof(e));
}

static void pexit(struct timeline *tl, uint64_t ts, uint32_t pid)
{
	struct event e = { .ts = ts, .tgid = pid, .tid = pid, .type = EV_EXIT };

	timeline_event(tl, &e, sizeof(e));
}

static void add_thread(struct procs *p, uint32_t tid, uint32_t tgid, const char *comm,
		       uint64_t start, uint64_t end)
{
	struct thread t = { .tid = tid, .tgid = tgid, .ppid = 1, .start_ns = start,
			    .end_ns = end, .origin = tid == tgid ? ORIGIN_ROOT : ORIGIN_THREAD,
			    .state = end ? THREAD_EXITED : 0 };

	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	procs_add_thread(p, &t);
}

static char *picture(const struct timeline *tl, const struct procs *p, int width, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	timeline_print(f, tl, p, width, color);
	fclose(f);
	return buf;
}

/*
 * Process 100 "locks" with two workers, on one CPU, over 10 ms:
 *
 *   0    main runs                     1 ms  main waits in futex (join)
 *   1    worker 101 runs               3 ms  101 preempted, 102 runs
 *   4    102 waits in futex            4 ms  101 runs again
 *   5    101 wakes 102 (runnable)      6 ms  101 waits for I/O, 102 runs
 *   8    102 sleeps, the CPU idles     9 ms  an interrupt wakes 101
 *   9.5  101 runs                      9.8   101 wakes main
 *  10    101 blocks elsewhere, main runs
 */
static void record_locks(struct timeline *tl)
{
	sw(tl, B, 0, 0, 0, 0, 100, 100);
	sc(tl, B + 500 * US, 10 * US, 100, 100, SYS_clone3, 101);
	sw(tl, B + 1 * MS, 100, 100, OFF_FUTEX, 1 * MS, 100, 101);
	sw(tl, B + 3 * MS, 100, 101, OFF_RUNNABLE, 2 * MS, 100, 102);
	sw(tl, B + 4 * MS, 100, 102, OFF_FUTEX, 1 * MS, 100, 101);
	wake(tl, B + 5 * MS, 100, 102, 101);
	sc(tl, B + 5 * MS + 10 * US, 20 * US, 100, 101, SYS_futex, 1);
	sw(tl, B + 6 * MS, 100, 101, OFF_IO, 2 * MS, 100, 102);
	sc(tl, B + 6 * MS + 10 * US, 2 * MS, 100, 102, SYS_futex, 0);
	sw(tl, B + 8 * MS, 100, 102, OFF_SLEEP, 2 * MS, 0, 0);
	wake(tl, B + 9 * MS, 100, 101, 0);
	sw(tl, B + 9500 * US, 0, 0, 0, 0, 100, 101);
	wake(tl, B + 9800 * US, 100, 100, 101);
	sw(tl, B + 10 * MS, 100, 101, OFF_OTHER, 500 * US, 100, 100);
}

static void locks_procs(struct procs *p)
{
	add_thread(p, 100, 100, "locks", B - 1 * MS, 0);
	add_thread(p, 101, 100, "worker", B + 400 * US, 0);
	add_thread(p, 102, 100, "worker", B + 450 * US, 0);
	procs_build(p);
}

static void test_golden_picture(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *out;

	(void)state;
	record_locks(tl);
	locks_procs(&p);
	/* 14 label columns, a space, and 50 lanes columns of 200 us */
	out = picture(tl, &p, 65, false);
	assert_string_equal(out,
		"timeline: 10 ms, one column = 200 us, 3 threads\n"
		"pid/tid comm   |0        |2ms      |4ms      |6ms      |8ms\n"
		"100/100 locks  #####FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF.\n"
		"100/101 worker      ##########.....##########IIIIIIIIIIIIIII..###\n"
		"100/102 worker                #####FFFFF.....##########zzzzzzzzzz\n"
		"# running  . runnable  F futex wait  I I/O wait  z sleep\n"
		"- blocked (other)  (blank) not seen\n");
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

static void test_golden_color(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *plain, *color;

	(void)state;
	record_locks(tl);
	locks_procs(&p);
	plain = picture(tl, &p, 65, false);
	color = picture(tl, &p, 65, true);
	assert_null(strchr(plain, '\033'));
	/* runs of one state share one colour sequence; blanks stay plain */
	assert_non_null(strstr(color, "\n100/100 locks  \033[32m#####\033[0m\033[31mFFFF"));
	assert_non_null(strstr(color, "\n100/101 worker      \033[32m##########\033[0m"
				      "\033[33m.....\033[0m"));
	assert_non_null(strstr(color, "\033[34mIIIIIIIIIIIIIII\033[0m"));
	assert_non_null(strstr(color, "\033[90mzzzzzzzzzz\033[0m\n"));
	assert_non_null(strstr(color, "\033[32m#\033[0m running  \033[33m.\033[0m runnable"));
	/* the same picture once the colour is taken out */
	for (char *s = color, *d = color; *s || (*d = 0);) {
		if (*s == '\033') {
			s = strchr(s, 'm') + 1;
			continue;
		}
		*d++ = *s++;
	}
	assert_string_equal(color, plain);
	free(plain);
	free(color);
	procs_free(&p);
	timeline_free(tl);
}

static void test_totals(void **state)
{
	struct timeline *tl = timeline_new();
	struct timeline_totals t;

	(void)state;
	record_locks(tl);
	assert_true(timeline_totals(tl, 101, &t));
	assert_int_equal(t.running_ns, 4500 * US);
	assert_int_equal(t.off_ns[OFF_RUNNABLE], 1500 * US);
	assert_int_equal(t.off_ns[OFF_IO], 3 * MS);
	assert_int_equal(t.off_ns[OFF_FUTEX], 0);
	assert_true(timeline_totals(tl, 102, &t));
	assert_int_equal(t.running_ns, 3 * MS);
	assert_int_equal(t.off_ns[OFF_FUTEX], 1 * MS);
	assert_int_equal(t.off_ns[OFF_RUNNABLE], 1 * MS);
	assert_int_equal(t.off_ns[OFF_SLEEP], 2 * MS);
	/* main: 1 ms running, then in futex until woken at 9.8 ms */
	assert_true(timeline_totals(tl, 100, &t));
	assert_int_equal(t.running_ns, 1 * MS);
	assert_int_equal(t.off_ns[OFF_FUTEX], 8800 * US);
	assert_int_equal(t.off_ns[OFF_RUNNABLE], 200 * US);
	assert_false(timeline_totals(tl, 999, &t));
	assert_int_equal(t.running_ns, 0);
	timeline_free(tl);
}

/* Stretches in one state are stored once, however many events repeat it. */
static void test_merges_same_state(void **state)
{
	struct timeline *tl = timeline_new();
	const struct tl_thread *th;
	size_t n;

	(void)state;
	timeline_limits(tl, 1002, TIMELINE_MAX_TEXT);
	sw(tl, B, 0, 0, 0, 0, 7, 7);
	for (int i = 1; i <= 1000; i++) {
		/* preempted and back at once: runnable for 0 ns */
		sw(tl, B + i * US, 7, 7, OFF_RUNNABLE, US, 7, 7);
		sc(tl, B + i * US + 500, 100, 7, 7, SYS_write, 1);
	}
	th = timeline_thread(tl, 7);
	assert_non_null(th);
	assert_int_equal(th->n_iv, 1);
	assert_int_equal(th->iv[0].state, TL_RUNNING);
	assert_int_equal(th->iv[0].end - th->iv[0].start, 1000 * US);
	assert_int_equal(th->n_calls, 1000);
	/* a merge takes no record: 1000 calls and 1 interval fit in 1002 */
	assert_int_equal(timeline_stopped(tl, NULL), 0);
	assert_null(timeline_wakeups(tl, &n));
	assert_int_equal(n, 0);
	timeline_free(tl);
}

static void test_no_events(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *out;

	(void)state;
	add_thread(&p, 5, 5, "idle", B, 0);
	procs_build(&p);
	out = picture(tl, &p, 80, true);
	assert_string_equal(out, "timeline: no events were recorded\n");
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

/* Switches between untraced threads, and records of unknown types or cut
 * short, change nothing. */
static void test_untraced_only(void **state)
{
	struct timeline *tl = timeline_new();
	struct sched_event e = { .ts = B, .type = EV_SWITCH, .tid = 3, .other_tid = 4 };
	struct event junk = { .ts = B, .tgid = 1, .tid = 1, .type = 99 };
	char *out;

	(void)state;
	sw(tl, B, 0, 0, OFF_IO, 5, 0, 0);
	timeline_event(tl, &e, sizeof(e));
	timeline_event(tl, &junk, sizeof(junk));
	junk.type = EV_SYSCALL;
	timeline_event(tl, &junk, offsetof(struct event, ret));
	e.tgid = 3;
	timeline_event(tl, &e, sizeof(e) - 1);
	out = picture(tl, NULL, 80, false);
	assert_string_equal(out, "timeline: no events were recorded\n");
	free(out);
	timeline_free(tl);
}

/* One thread, 80 ns in all, seen only as the untraced side's successor:
 * every column is at least 1 ns, so the lane fills the 80 ns it has. */
static void test_one_thread_short(void **state)
{
	struct timeline *tl = timeline_new();
	char *out;

	(void)state;
	sw(tl, B, 0, 0, 0, 0, 42, 43);
	sw(tl, B + 40, 42, 43, OFF_FUTEX, 40, 0, 0);
	wake(tl, B + 60, 42, 43, 0);
	sw(tl, B + 80, 0, 0, 0, 0, 42, 43);
	/* no procs: the label has no command */
	out = picture(tl, NULL, 40, false);
	assert_string_equal(out,
		"timeline: 80 ns, one column = 3 ns\n"
		"1 thread\n"
		"pid/tid comm |0              |50ns\n"
		"42/43 ?      ##############FFFFFF.......\n"
		"# running  . runnable  F futex wait\n"
		"I I/O wait  z sleep  - blocked (other)\n"
		"(blank) not seen\n");
	free(out);
	timeline_free(tl);
}

/* Three hours in 80 columns: the scale is in seconds and the short
 * stretches vanish into the state that dominated each column. */
static void test_long_trace(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *out;

	(void)state;
	add_thread(&p, 9, 9, "server", B, 0);
	procs_build(&p);
	sw(tl, B, 0, 0, 0, 0, 9, 9);
	for (uint64_t s = 0; s < 3 * 3600; s++) {
		/* each second: 100 ms of work, then I/O wait */
		uint64_t t = B + s * B;

		if (s)
			sw(tl, t, 0, 0, 0, 0, 9, 9);
		sw(tl, t + 100 * MS, 9, 9, OFF_IO, 100 * MS, 0, 0);
		wake(tl, t + B - 1, 9, 9, 0);
	}
	out = picture(tl, &p, 80, false);
	assert_string_equal(out,
		"timeline: 3 h, one column = 2.69 min, 1 thread\n"
		"pid/tid comm |0         |30m       |1h        |1h30      |2h        |2h30\n"
		"9/9 server   IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII\n"
		"# running  . runnable  F futex wait  I I/O wait  z sleep  - blocked (other)\n"
		"(blank) not seen\n");
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

/* Every lane line is exactly `width` columns, labels cut to fit. */
static void test_width_exact(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	int widths[] = { 1, 20, 33, 80, 211 };

	(void)state;
	record_locks(tl);
	add_thread(&p, 100, 100, "a-long-command", B - 1 * MS, 0);
	add_thread(&p, 101, 100, "worker", B + 400 * US, 0);
	add_thread(&p, 102, 100, "worker", B + 450 * US, 0);
	procs_build(&p);
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		char *out = picture(tl, &p, widths[w], false);
		int want = widths[w] < 20 ? 20 : widths[w];
		int lanes = 0;

		for (char *l = out, *nl; (nl = strchr(l, '\n')); l = nl + 1) {
			int len = nl - l;

			assert_true(len <= want);
			if (!strncmp(l, "100/", 4)) {
				assert_int_equal(len, want);
				lanes++;
			}
		}
		assert_int_equal(lanes, 3);
		free(out);
	}
	timeline_free(tl);
	procs_free(&p);
}

/* Nothing is drawn before a thread's first event or after it exited; a
 * process exit ends all its threads. */
static void test_lifetimes(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *out;

	(void)state;
	add_thread(&p, 10, 10, "parent", B, 0);
	add_thread(&p, 20, 20, "child", B + 2 * MS, B + 6 * MS);
	add_thread(&p, 21, 20, "child", B + 3 * MS, B + 4 * MS);
	procs_build(&p);
	sw(tl, B, 0, 0, 0, 0, 10, 10);
	sc(tl, B + 1 * MS, 1 * MS, 10, 10, SYS_wait4, 20);	/* runs from 1 ms */
	sw(tl, B + 2 * MS, 10, 10, OFF_OTHER, 2 * MS, 20, 20);
	sw(tl, B + 3 * MS, 20, 20, OFF_RUNNABLE, 1 * MS, 20, 21);
	/* 21 exits at 4 ms and runs in the kernel until its last switch-out
	 * at 4.1 ms; after that it is not "blocked" but gone */
	sw(tl, B + 4100 * US, 20, 21, OFF_OTHER, 1100 * US, 20, 20);
	pexit(tl, B + 6 * MS, 20);
	wake(tl, B + 6 * MS, 10, 10, 20);
	sw(tl, B + 7 * MS, 0, 0, 0, 0, 10, 10);
	sw(tl, B + 8 * MS, 10, 10, OFF_SLEEP, 1 * MS, 0, 0);
	out = picture(tl, &p, 53, false);
	assert_string_equal(out,
		"timeline: 8 ms, one column = 200 us, 3 threads\n"
		"pid/tid comm |0        |2ms      |4ms      |6ms\n"
		"10/10 parent ##########--------------------.....#####\n"
		"20/20 child            #####.....##########          \n"
		"20/21 child                 ######                   \n"
		"# running  . runnable  F futex wait  I I/O wait\n"
		"z sleep  - blocked (other)  (blank) not seen\n");
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

/*
 * The probes forget a thread at sched_process_exit, before its last
 * switch-out, so an exiting thread leaves its CPU without a word.  The next
 * switch on that CPU ends it; with the thread's exit time (procs) its lane
 * ends at the last wake-up it made after exiting: the joiner's.
 */
static void test_vanished(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct timeline_totals t;
	char *out;

	(void)state;
	add_thread(&p, 30, 30, "main", B - 1 * MS, 0);
	add_thread(&p, 31, 30, "worker", B - 1 * MS, B + 2 * MS);
	procs_build(&p);
	swc(tl, 0, B, 0, 0, 0, 0, 30, 30);
	swc(tl, 1, B, 0, 0, 0, 0, 30, 31);
	swc(tl, 0, B + 1 * MS, 30, 30, OFF_FUTEX, 1 * MS, 0, 0);	/* joins 31 */
	wake(tl, B + 2500 * US, 30, 30, 31);	/* 31, exited at 2 ms, wakes it */
	swc(tl, 1, B + 3 * MS, 0, 0, 0, 0, 30, 30);	/* 31 went unseen */
	swc(tl, 1, B + 5 * MS, 30, 30, OFF_SLEEP, 2 * MS, 0, 0);
	assert_true(timeline_totals(tl, 31, &t));
	assert_int_equal(t.running_ns, 3 * MS);	/* at most: until 30 took its CPU */
	assert_int_equal(t.off_ns[OFF_OTHER] + t.off_ns[OFF_RUNNABLE], 0);
	out = picture(tl, &p, 38, false);
	assert_string_equal(out,
		"timeline: 5 ms, one column = 200 us\n"
		"2 threads\n"
		"pid/tid comm |0        |2ms      |4ms\n"
		"30/30 main   #####FFFFFFF...##########\n"
		"30/31 worker #############            \n"
		"# running  . runnable  F futex wait\n"
		"I I/O wait  z sleep  - blocked (other)\n"
		"(blank) not seen\n");
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

/* Hundreds of threads: 64 lanes and a line for the rest. */
static void test_many_threads(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	char *out, *l;
	int lanes = 0;

	(void)state;
	for (uint32_t i = 0; i < 300; i++) {
		add_thread(&p, 1000 + i, 1000, "pool", B + i, 0);
		sw(tl, B + i * US, 0, 0, 0, 0, 1000, 1000 + i);
		sw(tl, B + i * US + 500, 1000, 1000 + i, OFF_FUTEX, 500, 0, 0);
	}
	procs_build(&p);
	out = picture(tl, &p, 100, false);
	for (l = out; (l = strstr(l, "\n1000/")); l++)
		lanes++;
	assert_int_equal(lanes, TIMELINE_MAX_LANES);
	assert_non_null(strstr(out, "\n1000/1063 pool "));
	assert_null(strstr(out, "\n1000/1064 pool "));
	assert_non_null(strstr(out, "\n... 236 more threads not shown\n"));
	free(out);
	procs_free(&p);
	timeline_free(tl);
}

/* Past its record limit the timeline stops storing and says so. */
static void test_limit(void **state)
{
	struct timeline *tl = timeline_new();
	const struct tl_thread *th;
	uint64_t dropped;
	char *out;

	(void)state;
	timeline_limits(tl, 100, 0);
	sw(tl, B, 0, 0, 0, 0, 1, 1);
	for (int i = 1; i <= 10000; i++) {
		sw(tl, B + i * MS, 1, 1, i % 2 ? OFF_FUTEX : OFF_IO, US, 0, 0);
		wake(tl, B + i * MS + 100 * US, 1, 1, 2);
		sw(tl, B + i * MS + 200 * US, 0, 0, 0, 0, 1, 1);
		sc(tl, B + i * MS + 300 * US, 50 * US, 1, 1, SYS_futex, 0);
	}
	th = timeline_thread(tl, 1);
	assert_true(th->n_iv + th->n_calls <= 100 + 2);
	/* 5 records a millisecond: switch-out, wake-up (2), switch-in, syscall */
	assert_int_equal(timeline_stopped(tl, &dropped), B + 21 * MS);
	assert_int_equal(dropped, 4 * 10000 - 4 * 20);
	/* syscall texts were not kept: max_text 0 */
	assert_null(timeline_call_text(tl, &th->calls[0]));
	out = picture(tl, NULL, 60, false);
	assert_non_null(strstr(out, "timeline: 21 ms, "));
	assert_non_null(strstr(out, "\nnote: recording stopped at 21 ms (limit: 100 records);\n"
				    "39920 later events (9.98 s) are not shown\n"));
	free(out);
	timeline_free(tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_picture),
		cmocka_unit_test(test_golden_color),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_merges_same_state),
		cmocka_unit_test(test_no_events),
		cmocka_unit_test(test_untraced_only),
		cmocka_unit_test(test_one_thread_short),
		cmocka_unit_test(test_long_trace),
		cmocka_unit_test(test_width_exact),
		cmocka_unit_test(test_lifetimes),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
