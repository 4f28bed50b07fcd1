// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* guide_threads.c - the threads lab: threads are tasks that share a process. */
#include "guide.h"

static void check_basic(struct expect *e, const struct lab_run *run)
{
	long long n = run_result(run, "threads", -1);

	expect_num(e, "threads created with clone3(CLONE_THREAD)", run_created(run, ORIGIN_THREAD),
		   EXPECT_EQ, n, "threads share the process's memory");
	expect_num(e, "clone3 calls", run_calls(run, "clone3"), EXPECT_EQ, n,
		   "pthread_create is one clone3 call");
	expect_num(e, "processes", run->r->procs.n_procs, EXPECT_EQ, 1,
		   "every thread has its own TID under the one PID");
	expect_num(e, "distinct TIDs seen by the threads", run_result(run, "distinct_tids", -1),
		   EXPECT_EQ, n, "the kernel schedules each thread as its own task");
}

static void check_tid(struct expect *e, const struct lab_run *run)
{
	expect_true(e, run_result(run, "main_pid_is_tid", 0) == 1,
		    "the main thread's TID equals the PID", "the first thread's TID names the process");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "threads", -1), "each pthread_create is a new TID");
}

static void check_detached(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "threads", -1), "detached threads are threads like any other");
	expect_num(e, "detached threads still running when main returned",
		   run_result(run, "running_at_exit", -1), EXPECT_GE, 1,
		   "nobody joins them; exit_group ends them with the process");
}

static void check_sleep(struct expect *e, const struct lab_run *run)
{
	long long ms = run_result(run, "ms", -1);

	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "threads", -1), "one per sleeper");
	expect_num(e, "wall time in ms", run_result(run, "elapsed_ms", -1), EXPECT_LT, ms * 3 / 2,
		   "sleeping threads wait at the same time: N sleeps take one sleep, not N");
}

static void check_pool(struct expect *e, const struct lab_run *run)
{
	long long tasks = run_result(run, "tasks", -1);

	expect_num(e, "worker threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "workers", -1), "a pool creates its workers once");
	expect_num(e, "results", run_result(run, "results_ok", -1), EXPECT_EQ, tasks,
		   "each future got its value");
}

static const struct guide_variant variants[] = {
	{ "basic", "A thread has its own stack and registers but shares the process's memory.\n"
		   "Watch the clone3 calls with CLONE_THREAD: new TIDs, one PID.",
	  REPORT_SUMMARY | REPORT_TREE, check_basic },
	{ "tid", "getpid() is the same in every thread; gettid() differs. The main thread's TID is\n"
		 "the PID.",
	  REPORT_SUMMARY | REPORT_TREE, check_tid },
	{ "detached", "Detached (daemon) threads are never joined: they die with the process when\n"
		      "main returns.",
	  REPORT_SUMMARY | REPORT_TREE, check_detached },
	{ "sleep", "Threads that sleep do not use the CPU: ten 1 s sleeps in ten threads end\n"
		   "together after about 1 s.",
	  REPORT_SUMMARY | REPORT_TREE, check_sleep },
	{ "pool", "A thread pool: 3 workers take tasks from a queue and hand results back through\n"
		  "futures, in the order they complete.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_pool },
};

const struct guide guide_threads = {
	.lab = "threads", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
