// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* guide_sockserver.c - the socket server lab: one client at a time, timeouts,
 * a process or a thread per connection. */
#include "guide.h"

static void check_common(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	expect_num(e, "listening sockets: bind, then listen", run_calls(run, "listen"), EXPECT_EQ, 1,
		   "a server binds one address and listens on it once");
	expect_num(e, "accept calls", run_calls(run, "accept") + run_calls(run, "accept4"), EXPECT_EQ, k,
		   "each client connection is a new socket returned by accept");
	expect_num(e, "connect calls", run_calls(run, "connect"), EXPECT_EQ, k,
		   "the built-in client connects once per connection");
	expect_num(e, "sockets created", run_calls(run, "socket"), EXPECT_EQ, k + 1,
		   "one listening socket plus one per client; accepted ones come from accept");
}

static void check_basic(struct expect *e, const struct lab_run *run)
{
	check_common(e, run);
	expect_num(e, "replies checked by the client", run_result(run, "replies_ok", -1), EXPECT_EQ,
		   run_result(run, "clients", -2), "every ping got its pong");
}

static void check_timeout(struct expect *e, const struct lab_run *run)
{
	check_common(e, run);
	expect_num(e, "idle connections closed by the server", run_result(run, "idle_closed", -1),
		   EXPECT_EQ, 1, "SO_RCVTIMEO made recv fail with EAGAIN, and the server gave up");
	expect_num(e, "failed recv calls", run_errors(run, "recvfrom") + run_errors(run, "read"),
		   EXPECT_GE, 1, "the timeout is a syscall result: -1 EAGAIN (Resource temporarily unavailable)");
}

static void check_fork(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	check_common(e, run);
	expect_num(e, "processes created", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, k + 1,
		   "a child per connection, plus the built-in client");
	expect_num(e, "handler processes reaped", run_result(run, "children_reaped", -1), EXPECT_EQ, k,
		   "the parent waits for its children: no zombies left");
}

static void check_thread(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	check_common(e, run);
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, k,
		   "a thread per connection: cheaper than a process, but all in one process");
	expect_num(e, "replies checked by the client", run_result(run, "replies_ok", -1), EXPECT_EQ, k,
		   "every ping got its pong");
}

static const struct guide_variant variants[] = {
	{ "basic", "A socket is a kernel object: socket, bind to 127.0.0.1, listen, accept, recv\n"
		   "until the peer closes, close. The client connects, sends, closes. Every one of\n"
		   "those calls is in the trace.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_SOCKETS, check_basic },
	{ "timeout", "A receive timeout on the server's connection closes an idle client: the\n"
		     "timeout is a recv that returns -1 EAGAIN.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_SOCKETS, check_timeout },
	{ "fork", "A process per connection: uses all cores, but fork is heavy. Watch the tree.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_SOCKETS, check_fork },
	{ "thread", "A thread per connection: lighter, but every connection lives in one process.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_SOCKETS, check_thread },
};

const struct guide guide_sockserver = {
	.lab = "sockserver", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
