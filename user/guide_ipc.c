// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * guide_ipc.c - the ipc lab: processes share only what they map or send.
 * Process counts, queue items and manager requests are exact by
 * construction; lost updates and contended futex calls are properties.
 */
#include "guide.h"

#include <linux/futex.h>

#include "syscalls.h"

/* Calls of a syscall made by one process (0 if it was not traced). */
static long long proc_calls(const struct proc *p, const char *name)
{
	const struct syscall_def *d = syscall_by_name(name);

	return p && d ? (long long)p->counts[syscall_slot(d)].calls : 0;
}

/* Futex calls with FUTEX_PRIVATE_FLAG, of any operation. */
static long long private_futex_calls(const struct lab_run *run)
{
	long long n = 0;

	for (unsigned cmd = 0; cmd < FUTEX_CMDS; cmd++)
		n += run_futex(run, cmd, true);
	return n;
}

static void check_forked(struct expect *e, const struct lab_run *run, const char *key,
			 const char *why)
{
	expect_num(e, "processes forked", run_created(run, ORIGIN_PROCESS), EXPECT_EQ,
		   run_result(run, key, -1), why);
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "processes, not threads: each has its own memory but for what is mapped shared");
}

static void check_race(struct expect *e, const struct lab_run *run)
{
	check_forked(e, run, "processes", "one fork per counting process");
	expect_num(e, "race: counter", run_result(run, "counter", -1), EXPECT_LT,
		   run_result(run, "expected", -1),
		   "MAP_SHARED pages are the same memory in every process: load, add, store race "
		   "just as in threads");
	expect_num(e, "futex calls", run_calls(run, "futex"), EXPECT_EQ, 0,
		   "no lock: nobody ever waits");
}

static void check_mutex(struct expect *e, const struct lab_run *run)
{
	check_forked(e, run, "processes", "one fork per counting process");
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "the process-shared mutex makes each add atomic");
	expect_num(e, "FUTEX_WAIT calls (shared)", run_futex(run, FUTEX_WAIT, false), EXPECT_GE, 1,
		   "a process that finds the mutex held sleeps on a shared futex: the kernel finds it "
		   "by the page, mapped at any address in each process");
	expect_num(e, "FUTEX_WAKE calls (shared)", run_futex(run, FUTEX_WAKE, false), EXPECT_GE, 1,
		   "unlock wakes the sleeper in the other process");
	expect_num(e, "futex calls with FUTEX_PRIVATE_FLAG", private_futex_calls(run), EXPECT_EQ, 0,
		   "PTHREAD_PROCESS_SHARED: never FUTEX_WAIT_PRIVATE, which only finds waiters in "
		   "the caller's own process");
}

static void check_atomic(struct expect *e, const struct lab_run *run)
{
	check_forked(e, run, "processes", "one fork per counting process");
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "an atomic add is one indivisible instruction, "
		   "across processes too");
	expect_num(e, "futex calls", run_calls(run, "futex"), EXPECT_EQ, 0,
		   "atomics never sleep: no lock, no kernel");
}

static void check_pipe(struct expect *e, const struct lab_run *run)
{
	long long items = run_result(run, "items", -1), workers = run_result(run, "workers", -1);
	long long reads = 0;

	check_forked(e, run, "workers", "one fork per worker");
	expect_num(e, "items taken by the workers", run_result(run, "taken", -1), EXPECT_EQ, items,
		   "every item put was taken exactly once");
	expect_true(e, run_result(run, "sum_ok", 0) == 1, "the items taken add up to 1 + 2 + ... + N",
		    "a pipe write of less than PIPE_BUF bytes arrives whole");
	for (size_t i = 0; i < run->r->procs.n_procs; i++)
		if (run->r->procs.procs[i].origin == ORIGIN_PROCESS)
			reads += proc_calls(&run->r->procs.procs[i], "read");
	expect_num(e, "read calls by the workers", reads, EXPECT_EQ, items + workers,
		   "one read per item, and one more for each worker's sentinel");
}

static void check_manager(struct expect *e, const struct lab_run *run)
{
	long long clients = run_result(run, "clients", -1), rounds = run_result(run, "rounds", -1);
	long long requests = 3 * clients * rounds + 2;
	const struct proc *manager =
		procs_find(&run->r->procs, (uint32_t)run_result(run, "manager_pid", 0));

	expect_num(e, "processes forked", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, clients + 1,
		   "the manager and one process per client");
	expect_num(e, "socketpair calls", run_calls(run, "socketpair"), EXPECT_EQ, clients + 1,
		   "one connection to the manager per client, and one for the parent");
	expect_num(e, "requests the manager served", run_result(run, "requests", -1), EXPECT_EQ,
		   requests, "SET, GET and ADD per round per client, then the parent's GET and STOP");
	expect_num(e, "replies the manager sent (sendto calls)", proc_calls(manager, "sendto"),
		   EXPECT_EQ, requests, "one reply per request: every access to the table is a round trip");
	expect_num(e, "total", run_result(run, "total", -1), EXPECT_EQ, clients * rounds,
		   "the manager applies one request at a time: no ADD is lost, and no lock is needed");
}

static const struct guide_variant variants[] = {
	{ "race", "Processes share nothing after fork, except memory mapped MAP_SHARED before it.\n"
		  "Two processes add to a counter there with no lock: updates are lost, as with threads.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_race },
	{ "mutex", "The same with a pthread mutex in the shared memory, made PTHREAD_PROCESS_SHARED.\n"
		   "Watch the futex table: FUTEX_WAIT and FUTEX_WAKE, not the _PRIVATE kind.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_mutex },
	{ "atomic", "The same with atomic adds: exact, and no futex call at all.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_atomic },
	{ "pipe", "A work queue between processes: the parent writes items into a pipe, workers read\n"
		  "one each until their sentinel.",
	  REPORT_SUMMARY | REPORT_TREE, check_pipe },
	{ "manager", "The server-process model: one process owns a table; clients send GET, SET and\n"
		     "ADD requests over socketpairs and wait for each reply.",
	  REPORT_SUMMARY | REPORT_TREE, check_manager },
};

const struct guide guide_ipc = {
	.lab = "ipc", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
