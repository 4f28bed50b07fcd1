// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * guide_gil.c - the gil lab: CPU-bound threads with and without one giant
 * lock, and I/O-bound threads that release it; and py-gil, the same
 * experiment run by CPython 3.11 with its real GIL.  Wall times are timings,
 * so they get loose bounds; what the kernel counted (CPU time per thread,
 * futex calls, context switches) carries the lesson.
 */
#include "guide.h"

#include <linux/futex.h>

#include "syscalls.h"

/* Every futex call that may put a thread to sleep, private or shared. */
static long long futex_waits(const struct lab_run *run)
{
	return run_futex(run, FUTEX_WAIT, true) + run_futex(run, FUTEX_WAIT_BITSET, true) +
	       run_futex(run, FUTEX_WAIT, false) + run_futex(run, FUTEX_WAIT_BITSET, false);
}

/* Voluntary context switches of the whole tree: a task gave up its CPU to wait. */
static long long voluntary_switches(const struct lab_run *run)
{
	long long n = 0;

	for (size_t i = 0; i < run->r->procs.n_procs; i++)
		n += run->r->procs.procs[i].nvcsw;
	return n;
}

/*
 * CPU time per 100 ms of wall time of the two counting threads of the round
 * where it was highest, from the kernel's own records: each round starts two
 * threads and joins them, so the threads, in order of creation, pair up by
 * round.  Above 100 only if both were on a CPU at the same moment.
 */
static long long best_cpu_per_wall_pct(const struct lab_run *run)
{
	const struct thread *first = NULL;
	long long best = 0;

	for (size_t i = 0; i < run->r->procs.n_threads; i++) {
		const struct thread *t = &run->r->procs.threads[i];

		if (t->origin != ORIGIN_THREAD)
			continue;
		if (!first) {
			first = t;
			continue;
		}
		uint64_t start = first->start_ns < t->start_ns ? first->start_ns : t->start_ns;
		uint64_t end = first->end_ns > t->end_ns ? first->end_ns : t->end_ns;
		if (end > start) {
			long long pct = (long long)((first->cpu_ns + t->cpu_ns) * 100 / (end - start));
			if (pct > best)
				best = pct;
		}
		first = NULL;
	}
	return best;
}

/* Involuntary context switches of the counting threads: another task took their CPU. */
static long long preemptions(const struct lab_run *run)
{
	long long n = 0;

	for (size_t i = 0; i < run->r->procs.n_threads; i++)
		if (run->r->procs.threads[i].origin == ORIGIN_THREAD)
			n += run->r->procs.threads[i].nivcsw;
	return n;
}

/* CPU time the counting threads used, in ms, from the kernel. */
static long long counting_cpu_ms(const struct lab_run *run)
{
	long long ns = 0;

	for (size_t i = 0; i < run->r->procs.n_threads; i++)
		if (run->r->procs.threads[i].origin == ORIGIN_THREAD)
			ns += run->r->procs.threads[i].cpu_ns;
	return ns / 1000000;
}

static void check_threads(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "threads created with clone3(CLONE_THREAD)", run_created(run, ORIGIN_THREAD),
		   EXPECT_EQ, 2 * run_result(run, "rounds", -1), "two counting threads per round");
}

static void check_plain(struct expect *e, const struct lab_run *run)
{
	long long serial = run_result(run, "serial_ms", -1), threads = run_result(run, "threads_ms", -1);

	check_threads(e, run);
	if (run_result(run, "cpus", 0) >= 2) {
		bool ok = expect_num(e, "two threads' wall time, ms", threads, EXPECT_LT,
				     serial * 4 / 5, "with no lock each thread counts on its own "
				     "CPU: about half the serial time");

		ok &= expect_num(e, "CPU ms per 100 ms of wall time of the two threads, best round "
				 "(kernel)", best_cpu_per_wall_pct(run), EXPECT_GE, 120,
				 "more CPU time than wall time: both threads were running at the "
				 "same moment");
		if (!ok)
			fprintf(e->out, "  note: the counting threads were preempted %lld times "
					"(involuntary context switches): other programs were using "
					"the CPUs; on an idle machine the threads have one each\n",
				preemptions(run));
	} else {
		expect_num(e, "two threads' wall time, ms", threads, EXPECT_GE, serial * 9 / 10,
			   "one CPU: threads can only take turns, so they are no faster");
	}
	expect_num(e, "futex calls", run_calls(run, "futex"), EXPECT_LE,
		   2 * run_result(run, "rounds", -1),
		   "no lock, nobody waits: at most pthread_join sleeping until a thread ends");
}

static void check_giant(struct expect *e, const struct lab_run *run)
{
	long long serial = run_result(run, "serial_ms", -1), threads = run_result(run, "threads_ms", -1);
	long long handoffs = run_result(run, "handoffs", -1);

	check_threads(e, run);
	/* loose: the sleeping and waking threads win CPU time from a busy neighbour */
	expect_num(e, "two threads' wall time, ms", threads, EXPECT_GE, serial * 7 / 10,
		   "one giant lock lets one thread count at a time: threads are no faster, far from "
		   "the half that parallel threads take (the course: 18.1 s serial, 19.5 s threaded)");
	expect_num(e, "CPU ms per 100 ms of wall time of the two threads, best round (kernel)",
		   best_cpu_per_wall_pct(run), EXPECT_LE, 110,
		   "never more CPU time than wall time: the waiting thread sleeps, it does not count");
	/* about once per interval of counting; a waiter woken late makes it rarer */
	expect_num(e, "times the lock changed hands", handoffs, EXPECT_GE,
		   counting_cpu_ms(run) / run_result(run, "switch_ms", 1) / 4,
		   "a thread that waited one switch interval asks for the lock: about one hand-off "
		   "per interval the threads spent counting (CPU time, kernel)");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, handoffs,
		   "each hand-off: the thread that wants the lock sleeps in futex until it is let go");
	expect_num(e, "voluntary context switches (kernel)", voluntary_switches(run), EXPECT_GE,
		   handoffs, "each sleeping wait gives up the CPU: a voluntary context switch");
}

/* The io variants, in C and in Python: two threads whose blocking calls
 * wait at the same time.  serial_why and overlap_why say why, per lab. */
static void check_overlap(struct expect *e, const struct lab_run *run, const char *serial_why,
			  const char *overlap_why)
{
	long long serial = run_result(run, "serial_ms", -1), threads = run_result(run, "threads_ms", -1);
	long long blocking_ms = run_result(run, "rounds", 0) * run_result(run, "ms", 0);

	expect_num(e, "threads created with clone3(CLONE_THREAD)", run_created(run, ORIGIN_THREAD),
		   EXPECT_EQ, 2, "two I/O-bound threads");
	expect_num(e, "serial wall time, ms", serial, EXPECT_GE, 2 * blocking_ms, serial_why);
	expect_num(e, "two threads' wall time, ms", threads, EXPECT_LT, serial * 3 / 4, overlap_why);
}

static void check_io(struct expect *e, const struct lab_run *run)
{
	check_overlap(e, run, "one after the other, every blocking call waits its turn",
		      "the lock is let go around each blocking call, so the waits overlap: about half");
}

static const struct guide_variant variants[] = {
	{ "plain", "CPU-bound: count down from 50,000,000 twice, one after the other, then in two\n"
		   "threads with no lock; six rounds, the first a warm-up. On 2 cores the threads take\n"
		   "about half the time; in the tree, each thread's CPU time is close to its whole\n"
		   "life: both ran at once.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_plain },
	{ "giant", "The same with one giant lock, as CPython's GIL: only its holder counts; a thread\n"
		   "that waited 5 ms (the switch interval) asks the holder to let go. Threads are no\n"
		   "faster. Watch the futex waits and the voluntary context switches in the tree:\n"
		   "one of each per hand-off, against almost none for plain threads.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_giant },
	{ "io", "I/O-bound: each thread does a little work holding the lock, then lets go of it and\n"
		"waits in a blocking call. The waits overlap: two threads take half the time.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_io },
};

const struct guide guide_gil = {
	.lab = "gil", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};

/* ---- py-gil: CPython's own GIL ------------------------------------------- */

/* Counting threads (created with CLONE_THREAD) that made at least one futex call. */
static long long threads_with_futex_calls(const struct lab_run *run)
{
	const struct syscall_def *d = syscall_by_name("futex");
	long long n = 0;

	for (size_t i = 0; i < run->r->procs.n_threads; i++) {
		const struct thread *t = &run->r->procs.threads[i];

		if (d && t->origin == ORIGIN_THREAD && t->counts[syscall_slot(d)].calls > 0)
			n++;
	}
	return n;
}

static void check_py_cpu(struct expect *e, const struct lab_run *run)
{
	long long serial = run_result(run, "serial_ms", -1), threads = run_result(run, "threads_ms", -1);
	long long rounds = run_result(run, "rounds", -1);
	/* GIL hand-offs: about one per switch interval the threads spent counting */
	long long switches =
		counting_cpu_ms(run) * 1000 / run_result(run, "switch_interval_us", 5000) / 4;

	expect_num(e, "threads created with clone3(CLONE_THREAD)", run_created(run, ORIGIN_THREAD),
		   EXPECT_EQ, 2 * rounds, "threading.Thread.start() is pthread_create: two per round");
	expect_num(e, "two threads' wall time, ms", threads, EXPECT_GE, serial * 7 / 10,
		   "only the thread holding the GIL runs Python code: threads are no faster, far from "
		   "the half that parallel threads take (the course: 18.1 s serial, 19.5 s threaded)");
	expect_num(e, "CPU ms per 100 ms of wall time of the two threads, best round (kernel)",
		   best_cpu_per_wall_pct(run), EXPECT_LE, 110,
		   "never more CPU time than wall time: one thread at a time runs");
	expect_num(e, "counting threads that called futex", threads_with_futex_calls(run), EXPECT_EQ,
		   2 * rounds, "each thread, in turn, waits for the GIL the other holds");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, switches,
		   "a thread waits for the GIL with a 5 ms timeout, then asks the holder to drop it");
	expect_num(e, "voluntary context switches (kernel)", voluntary_switches(run), EXPECT_GE,
		   switches, "each wait for the GIL gives up the CPU");
}

static void check_py_io(struct expect *e, const struct lab_run *run)
{
	check_overlap(e, run, "one after the other, every sleep waits its turn",
		      "time.sleep releases the GIL, so the two threads wait at the same time");
}

static const struct guide_variant py_variants[] = {
	{ "cpu", "The course's experiment in CPython: count down twice serially, then in two threads.\n"
		 "Threads are no faster. Watch futex: the two threads hand the GIL back and forth,\n"
		 "each waiting up to 5 ms (sys.getswitchinterval()) before asking for it.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_py_cpu },
	{ "io", "Threads that sleep (or read a socket) release the GIL: their waits overlap.",
	  REPORT_SUMMARY | REPORT_TREE, check_py_io },
};

const struct guide guide_py_gil = {
	.lab = "py-gil", .variants = py_variants, .n = sizeof(py_variants) / sizeof(py_variants[0]),
	.script = "py_gil.py",
};
