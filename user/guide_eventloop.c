// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* guide_eventloop.c - the event loop lab: one thread, many sockets, timers,
 * tasks, and what a blocking call does to them. */
#include "guide.h"

static void check_server(struct expect *e, const struct lab_run *run, const char *poller,
			 const char *why)
{
	long long k = run_result(run, "clients", -1);

	expect_num(e, "accepted connections", run_calls(run, "accept") + run_calls(run, "accept4"),
		   EXPECT_EQ, k, "one listening socket, one accepted socket per client");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "one thread serves every client");
	expect_num(e, poller, run_calls(run, poller), EXPECT_GE, 1, why);
	expect_num(e, "echoes checked by the clients", run_result(run, "echoes_ok", -1), EXPECT_EQ,
		   k * run_result(run, "messages", -1), "every message came back");
}

static void check_select(struct expect *e, const struct lab_run *run)
{
	check_server(e, run, "pselect6",
		     "the loop sleeps in select (glibc's select is pselect6) until a socket is ready");
}

static void check_poll(struct expect *e, const struct lab_run *run)
{
	check_server(e, run, "poll", "the loop sleeps in poll until a socket is ready");
}

static void check_epoll(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	check_server(e, run, "epoll_wait", "the loop sleeps in epoll_wait until a socket is ready");
	expect_num(e, "epoll_create1 calls", run_calls(run, "epoll_create1"), EXPECT_EQ, 1,
		   "one epoll set, kept in the kernel");
	expect_num(e, "epoll_ctl calls", run_calls(run, "epoll_ctl"), EXPECT_EQ, 2 * k + 1,
		   "ADD the listener, ADD each client, DEL each client when it closes");
}

static void check_timers(struct expect *e, const struct lab_run *run)
{
	long long tasks = run_result(run, "tasks", -1), ms = run_result(run, "ms", -1);

	expect_num(e, "timerfd_create calls", run_calls(run, "timerfd_create"), EXPECT_EQ, tasks,
		   "each sleeping task is a timer the kernel keeps");
	expect_num(e, "wall time in ms", run_result(run, "elapsed_ms", -1), EXPECT_LT, ms * 3 / 2,
		   "the tasks sleep at the same time: three 1 s sleeps end in about 1 s, not 3");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "concurrency without threads: one loop waits for all timers");
}

static void check_tasks(struct expect *e, const struct lab_run *run)
{
	expect_true(e, run_result(run, "gather_ok", 0) == 1, "gather collected every result",
		    "tasks run concurrently in one thread and their futures are awaited together");
	expect_num(e, "tasks that timed out", run_result(run, "timed_out", -1), EXPECT_GE, 1,
		   "wait with a timeout gives up on a task that takes too long");
	expect_num(e, "tasks cancelled", run_result(run, "cancelled", -1), EXPECT_GE, 1,
		   "a cancelled task never finishes");
}

static void check_blocking(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "latest a timer tick fired, ms", run_result(run, "max_late_ms", -1), EXPECT_GE,
		   run_result(run, "blocked_ms", 0) / 2,
		   "a blocking call inside the loop stalls every task");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "the one thread was stuck in the blocking call");
}

static void check_offload(struct expect *e, const struct lab_run *run)
{
	expect_true(e, run_result(run, "offload_done", 0) == 1, "the worker finished the blocking job",
		    "run_in_executor: the blocking call runs in another thread");
	expect_num(e, "worker threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 1,
		   "one thread for the blocking work");
	expect_num(e, "latest a timer tick fired, ms", run_result(run, "max_late_ms", -1), EXPECT_LT,
		   100, "the loop stayed free: timers fire on time");
	expect_num(e, "eventfd2 calls", run_calls(run, "eventfd2"), EXPECT_EQ, 1,
		   "the worker reports back through an eventfd the loop polls");
}

static const struct guide_variant variants[] = {
	{ "select", "One thread serves several clients with select: it sleeps until some socket\n"
		    "is ready, then serves only those.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_select },
	{ "poll", "The same with poll: an array of fds instead of bit sets.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_poll },
	{ "epoll", "The same with epoll: the set lives in the kernel (epoll_ctl), and epoll_wait\n"
		   "returns only the ready sockets.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_epoll },
	{ "timers", "Sleeping tasks as timers (timerfd) in one loop: three 1 s tasks end in 1 s.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_timers },
	{ "tasks", "Tasks as state machines in one loop: gather, wait with a timeout, cancel.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_tasks },
	{ "blocking", "A blocking call inside the loop stalls every task: watch the timers run late.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_blocking },
	{ "offload", "The same blocking call handed to a worker thread: the loop stays on time.",
	  REPORT_SUMMARY | REPORT_TIMELINE, check_offload },
};

const struct guide guide_eventloop = {
	.lab = "eventloop", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
