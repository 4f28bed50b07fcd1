// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * guide_python.c - the course's Python experiments traced for real: each lab
 * is a script in labs/python/ run by python3 (see labrun.c).  The
 * expectations hold for CPython 3.11; what the interpreter does on its own
 * (imports, its start-up) is left out of every exact count.  py-gil lives
 * with the C gil lab in guide_gil.c.
 */
#include "guide.h"

#include <linux/futex.h>

#include "syscalls.h"

/* Calls of a syscall in the whole tree that succeeded. */
static long long run_ok_calls(const struct lab_run *run, const char *name)
{
	return run_calls(run, name) - run_errors(run, name);
}

static long long futex_waits(const struct lab_run *run)
{
	return run_futex(run, FUTEX_WAIT, true) + run_futex(run, FUTEX_WAIT_BITSET, true) +
	       run_futex(run, FUTEX_WAIT, false) + run_futex(run, FUTEX_WAIT_BITSET, false);
}

/* Milliseconds the whole tree spent inside a syscall. */
static long long run_ms_in(const struct lab_run *run, const char *name)
{
	const struct syscall_def *d = syscall_by_name(name);

	return d ? (long long)(run->r->procs.total[syscall_slot(d)].total_ns / 1000000) : 0;
}

/* ---- py-fork -------------------------------------------------------------- */

static void check_fork_basic(struct expect *e, const struct lab_run *run)
{
	long long n = run_result(run, "children", -1);

	expect_num(e, "processes forked", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, n,
		   "os.fork() makes one new process each time");
	expect_num(e, "clone calls", run_calls(run, "clone"), EXPECT_EQ, n,
		   "os.fork() is glibc's fork(): a clone() with SIGCHLD and no CLONE_VM");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "the interpreter started no thread of its own");
	expect_num(e, "children that exited with their own code", run_result(run, "exited_ok", -1),
		   EXPECT_EQ, n, "os.waitpid() returns each child's exit status");
	expect_true(e, run_result(run, "parent_foo_unchanged", 0) == 1,
		    "the parent still has foo = 'bar'", "each child changed its own copy to 'baz'");
}

static void check_fork_pool(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "worker processes forked", run_created(run, ORIGIN_PROCESS), EXPECT_EQ,
		   run_result(run, "workers", -1), "a Pool forks its workers once and reuses them");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 3,
		   "the Pool's three helper threads in the parent: they keep the workers alive, "
		   "hand out tasks and collect results");
	expect_num(e, "results", run_result(run, "results_ok", -1), EXPECT_EQ,
		   run_result(run, "tasks", -2), "every task came back squared");
}

static const struct guide_variant fork_variants[] = {
	{ "basic", "os.fork() in Python: the same clone() a C program makes. Each child prints its\n"
		   "pid, changes its copy of foo and exits with its own code; the parent waits.",
	  REPORT_SUMMARY | REPORT_TREE, check_fork_basic },
	{ "pool", "multiprocessing.Pool(3): three worker processes, forked once, square ten numbers.",
	  REPORT_SUMMARY | REPORT_TREE, check_fork_pool },
};

const struct guide guide_py_fork = {
	.lab = "py-fork", .variants = fork_variants,
	.n = sizeof(fork_variants) / sizeof(fork_variants[0]), .script = "py_fork.py",
};

/* ---- py-threads ----------------------------------------------------------- */

static void check_threads_basic(struct expect *e, const struct lab_run *run)
{
	long long n = run_result(run, "threads", -1);

	expect_num(e, "threads created with clone3(CLONE_THREAD)", run_created(run, ORIGIN_THREAD),
		   EXPECT_EQ, n, "a threading.Thread is a kernel thread");
	expect_num(e, "clone3 calls", run_calls(run, "clone3"), EXPECT_EQ, n,
		   "Thread.start() is pthread_create: one clone3 call");
	expect_num(e, "processes", run->r->procs.n_procs, EXPECT_EQ, 1,
		   "every thread has its own TID under the one PID");
	expect_num(e, "distinct TIDs seen by the threads", run_result(run, "distinct_tids", -1),
		   EXPECT_EQ, n, "threading.get_native_id() is the kernel's TID");
}

static void check_threads_queue(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "worker threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "workers", -1), "one thread per worker");
	expect_num(e, "items consumed", run_result(run, "consumed", -1), EXPECT_EQ,
		   run_result(run, "items", -2), "every item put was taken exactly once");
	expect_num(e, "longest the queue got", run_result(run, "max_queue_len", -1), EXPECT_LE,
		   run_result(run, "queue_size", -1), "put() waits while the queue is full");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 1,
		   "a get() on an empty queue or a put() on a full one sleeps in futex");
}

static void check_threads_lock(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ,
		   run_result(run, "threads", -1), "one per adder");
	expect_num(e, "counter", run_result(run, "counter", -1), EXPECT_EQ,
		   run_result(run, "expected", -2), "the lock makes each update atomic");
	expect_num(e, "futex waits", futex_waits(run), EXPECT_GE, 1,
		   "a thread that must wait for the lock or the GIL sleeps in futex");
}

static const struct guide_variant threads_variants[] = {
	{ "basic", "threading.Thread: start() is one clone3 with CLONE_THREAD, a new TID in the same\n"
		   "process; join() waits for it to end.",
	  REPORT_SUMMARY | REPORT_TREE, check_threads_basic },
	{ "queue", "A queue.Queue of 5 shared by two worker threads; 50 items, then a sentinel per\n"
		   "worker. Watch futex: put waits while full, get while empty.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_threads_queue },
	{ "lock", "Two threads add to a counter holding a threading.Lock: exact. Waiting for the\n"
		  "lock, or for the GIL, is a futex wait.",
	  REPORT_SUMMARY | REPORT_TREE | REPORT_FUTEX, check_threads_lock },
};

const struct guide guide_py_threads = {
	.lab = "py-threads", .variants = threads_variants,
	.n = sizeof(threads_variants) / sizeof(threads_variants[0]), .script = "py_threads.py",
};

/* ---- py-sockets ----------------------------------------------------------- */

static void check_sockets_threads(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	expect_num(e, "connections accepted", run_ok_calls(run, "accept4"), EXPECT_EQ, k,
		   "socket.accept() is accept4(): one new socket per client");
	expect_num(e, "socket calls", run_calls(run, "socket"), EXPECT_EQ, k + 1,
		   "one listening socket, and one per client");
	expect_num(e, "connect calls", run_calls(run, "connect"), EXPECT_EQ, k,
		   "each client connects once");
	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 2 * k,
		   "a handler thread per connection, and each client in a thread of its own");
	expect_num(e, "echoes checked by the clients", run_result(run, "echoes_ok", -1), EXPECT_EQ,
		   k * run_result(run, "messages", -1), "every message came back");
}

static const struct guide_variant sockets_variants[] = {
	{ "threads", "The course's echo server: socket, bind, listen, accept; a thread per connection\n"
		     "receives until the client closes. Every one of those calls is in the summary.",
	  REPORT_SUMMARY | REPORT_TREE, check_sockets_threads },
};

const struct guide guide_py_sockets = {
	.lab = "py-sockets", .variants = sockets_variants,
	.n = sizeof(sockets_variants) / sizeof(sockets_variants[0]), .script = "py_sockets.py",
};

/* ---- py-asyncio ----------------------------------------------------------- */

static void check_asyncio_echo(struct expect *e, const struct lab_run *run)
{
	long long k = run_result(run, "clients", -1);

	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "one thread runs the server and every client: tasks take turns at each await");
	expect_num(e, "connections accepted", run_ok_calls(run, "accept4"), EXPECT_EQ, k,
		   "the loop accepts each client when epoll says the listener is ready");
	expect_num(e, "epoll_wait calls", run_calls(run, "epoll_wait"), EXPECT_GE, 1,
		   "asyncio's loop on Linux blocks in epoll_wait until a socket is ready");
	expect_num(e, "socketpair calls", run_calls(run, "socketpair"), EXPECT_EQ, 1,
		   "the loop's self-pipe: how another thread or a signal wakes epoll_wait");
	expect_num(e, "echoes checked by the clients", run_result(run, "echoes_ok", -1), EXPECT_EQ,
		   k * run_result(run, "messages", -1), "every line came back");
}

static void check_asyncio_gather(struct expect *e, const struct lab_run *run)
{
	long long ms = run_result(run, "ms", -1);

	expect_num(e, "threads created", run_created(run, ORIGIN_THREAD), EXPECT_EQ, 0,
		   "concurrency without threads: the tasks are timers in one loop");
	expect_num(e, "gather's wall time, ms", run_result(run, "elapsed_ms", -1), EXPECT_LT,
		   ms * 3 / 2, "the tasks sleep at the same time: N sleeps take one sleep, not N");
	expect_num(e, "ms blocked in epoll_wait", run_ms_in(run, "epoll_wait"), EXPECT_GE, ms,
		   "while every task sleeps, the loop waits in epoll_wait with a timeout: the next "
		   "timer");
	expect_true(e, run_result(run, "gather_ok", 0) == 1, "gather returned every result in order",
		    "each task's value is set when it finishes");
	expect_true(e, run_result(run, "timed_out", 0) == 1, "wait_for gave up on a 10 s sleep",
		    "after its timeout it cancels the task");
}

static const struct guide_variant asyncio_variants[] = {
	{ "echo", "An asyncio echo server and its clients as tasks of one loop, in one thread.\n"
		  "Watch epoll: one epoll set, epoll_ctl per socket, epoll_wait between steps.",
	  REPORT_SUMMARY | REPORT_TREE, check_asyncio_echo },
	{ "gather", "Three tasks sleep 300 ms at once and are gathered: 300 ms, not 900. Then a\n"
		    "wait_for times out. The loop spends the sleeps blocked in epoll_wait.",
	  REPORT_SUMMARY | REPORT_TREE, check_asyncio_gather },
};

const struct guide guide_py_asyncio = {
	.lab = "py-asyncio", .variants = asyncio_variants,
	.n = sizeof(asyncio_variants) / sizeof(asyncio_variants[0]), .script = "py_asyncio.py",
};
