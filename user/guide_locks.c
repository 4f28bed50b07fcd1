// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * guide_locks.c - the locks lab.  Contended futex counts vary from run to run
 * (40k-108k calls were seen for one 4-thread program), so they are checked
 * as properties; the variants built to be exact (atomic, uncontended,
 * handoff) are checked exactly, per futex operation.
 */
#include "guide.h"

#include <linux/futex.h>

static long long futex_waits(const struct lab_run *run)
{
	return run_futex(run, FUTEX_WAIT, true) + run_futex(run, FUTEX_WAIT_BITSET, true) +
	       run_futex(run, FUTEX_WAIT, false) + run_futex(run, FUTEX_WAIT_BITSET, false);
}

static void check_race(struct expect *e, const struct lab_run *run)
{
	long long counter = run_result(run, "counter", -1), expected = run_result(run, "expected", -1);

	expect_num(e, "race: counter", counter, EXPECT_LT, expected,
		   "counter++ is load, add, store: two threads interleave and updates are lost");
	expect_num(e, "futex calls for the counter", run_calls(run, "futex"), EXPECT_LE, 4,
		   "no lock, so nobody waits: only thread start and join may touch a futex");
}

static void check_mutex(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "the mutex makes each update atomic");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 1,
		   "a contended mutex sleeps in the kernel (FUTEX_WAIT) until its holder wakes it");
	expect_num(e, "futex wakes", run_futex(run, FUTEX_WAKE, true), EXPECT_GE, 1,
		   "unlock wakes a sleeper with FUTEX_WAKE only when someone waits");
}

static void check_recursive(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "the holder may lock again without deadlocking");
	expect_num(e, "torn reads of the Point", run_result(run, "torn_reads", -1), EXPECT_EQ, 0,
		   "x and y change together under the lock");
	expect_true(e, run_result(run, "relock_edeadlk", 0) == 1,
		    "an error-checking mutex refuses a second lock by its holder (EDEADLK)",
		    "only a recursive mutex counts its holder's locks");
}

static void check_atomic(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "atomic_fetch_add is one indivisible instruction");
	expect_num(e, "futex calls", run_calls(run, "futex"), EXPECT_EQ, 0,
		   "atomics never sleep: no lock, no kernel");
}

static void check_condvar(struct expect *e, const struct lab_run *run)
{
	long long items = run_result(run, "items", -1);

	expect_num(e, "items consumed", run_result(run, "consumed", -1), EXPECT_EQ, items,
		   "every item put was taken exactly once");
	expect_num(e, "longest the queue got", run_result(run, "max_queue_len", -1), EXPECT_LE,
		   run_result(run, "queue_size", -1), "put waits while the queue is full");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 1,
		   "a waiting put or get sleeps in the kernel on the condition variable");
}

static void check_semaphore(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "threads inside at once", run_result(run, "max_concurrency", -1), EXPECT_LE,
		   run_result(run, "limit", -2), "the semaphore lets at most K threads in");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 1,
		   "the others sleep in sem_wait until sem_post wakes one");
}

static void check_rwlock(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "writers that met another thread inside", run_result(run, "violations", -1),
		   EXPECT_EQ, 0, "a writer holds the lock alone");
	expect_num(e, "readers inside together (most)", run_result(run, "max_readers_together", -1),
		   EXPECT_GE, 1, "readers may share the lock");
}

static void check_deadlock(struct expect *e, const struct lab_run *run)
{
	expect_true(e, run_result(run, "deadlock_detected", 0) == 1,
		    "the opposite-order locking deadlocked and the timed lock said so",
		    "each thread holds one lock and waits for the other's");
	expect_true(e, run_result(run, "ordered_ok", 0) == 1,
		    "taking the locks in one fixed order never deadlocks",
		    "a global lock order breaks the cycle");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 2,
		   "each deadlocked thread sleeps in futex with a deadline until ETIMEDOUT");
}

static void check_handoff(struct expect *e, const struct lab_run *run)
{
	long long rounds = run_result(run, "rounds", -1);

	expect_num(e, "FUTEX_WAIT_PRIVATE calls", run_futex(run, FUTEX_WAIT, true), EXPECT_EQ, rounds,
		   "B sleeps once per round, verified asleep before each wake");
	expect_num(e, "FUTEX_WAKE_PRIVATE calls", run_futex(run, FUTEX_WAKE, true), EXPECT_EQ, rounds,
		   "main wakes it once per round");
	expect_num(e, "threads woken", run_result(run, "woken", -1), EXPECT_EQ, rounds,
		   "each wake found exactly one sleeper");
}

static void check_uncontended(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "futex calls", run_calls(run, "futex"), EXPECT_EQ, 0,
		   "an uncontended mutex is one atomic instruction in user space: it never enters the kernel");
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "one thread, so no lost updates");
}

static const struct guide_variant variants[] = {
	{ "race", "Two threads add 1 to a global a million times each, without a lock. Watch the\n"
		  "counter come out short, and no futex traffic: nobody ever waits.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_race },
	{ "mutex", "The same with a mutex: exact. Watch futex: a mutex costs no syscall while free;\n"
		   "a thread that finds it taken sleeps in FUTEX_WAIT until unlock sends FUTEX_WAKE.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_mutex },
	{ "recursive", "A recursive mutex may be taken again by its holder; a Point's x and y change\n"
		       "together under one lock.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_recursive },
	{ "atomic", "An atomic counter: exact, and zero futex calls.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_atomic },
	{ "condvar", "A bounded queue of 5: put waits while full, get waits while empty, each\n"
		     "notifying the other through a condition variable (futex wait/wake).",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_condvar },
	{ "semaphore", "A semaphore admits at most K threads; the rest sleep in the kernel.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_semaphore },
	{ "rwlock", "A reader/writer lock: readers share, writers are alone.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_rwlock },
	{ "deadlock", "Two threads take two locks in opposite order and deadlock; a timed lock\n"
		      "notices, and a fixed order fixes it.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_deadlock },
	{ "handoff", "Raw futex: B sleeps, main wakes it, R times. Exactly R waits and R wakes.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_handoff },
	{ "uncontended", "One thread locks and unlocks a mutex many times: zero futex calls.",
	  REPORT_SUMMARY | REPORT_FUTEX | REPORT_LOCKS | REPORT_TIMELINE, check_uncontended },
};

const struct guide guide_locks = {
	.lab = "locks", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
