// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* guide_fork.c - the fork lab: processes, copy-on-write, exec, zombies, pools. */
#include "guide.h"

static void check_basic(struct expect *e, const struct lab_run *run)
{
	long long n = run_result(run, "children", -1);

	expect_num(e, "new processes created", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, n,
		   "each fork() makes one process with its own PID");
	expect_num(e, "clone calls", run_calls(run, "clone"), EXPECT_EQ, n,
		   "glibc's fork() is clone(…|SIGCHLD) in the kernel; there is no fork syscall on its path");
	expect_num(e, "processes in the tree", run->r->procs.n_procs, EXPECT_EQ, n + 1,
		   "the parent and its children, each a separate PID");
	expect_num(e, "wait4 calls", run_calls(run, "wait4"), EXPECT_GE, n,
		   "the parent waits for every child and collects its exit status");
	expect_num(e, "children whose exit code reached the parent", run_result(run, "exited_ok", -1),
		   EXPECT_EQ, n, "exit(code) in the child is what waitpid() returns in the parent");
}

static void check_cow(struct expect *e, const struct lab_run *run)
{
	long long pages = run_result(run, "pages", -1);
	const struct proc *child = procs_find(&run->r->procs, run_result(run, "child_pid", 0));

	expect_num(e, "new processes created", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, 1,
		   "one fork()");
	expect_true(e, run_result(run, "child_foo_changed", 0) == 1,
		    "child: foo = \"baz\" after it set it",
		    "the child changed its own copy of the variable");
	expect_true(e, run_result(run, "parent_unchanged", 0) == 1,
		    "parent: foo = \"bar\" and every page unchanged",
		    "the parent's memory is its own: the child wrote to copies");
	expect_num(e, "page faults in the child", child ? (long long)child->min_flt : -1, EXPECT_GE,
		   pages, "each page the child writes after fork faults once and the kernel copies it (copy-on-write)");
}

static void check_exec(struct expect *e, const struct lab_run *run)
{
	expect_num(e, "execve calls", run_calls(run, "execve"), EXPECT_EQ, 3,
		   "the lab itself, then each child replaces its program with echo");
	expect_num(e, "processes made by fork", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, 1,
		   "fork() copies the parent, then the child calls execvp");
	expect_num(e, "processes made by posix_spawn", run_created(run, ORIGIN_VFORK), EXPECT_EQ, 1,
		   "posix_spawn is clone3(CLONE_VM|CLONE_VFORK): no copy, the parent waits until exec");
	expect_num(e, "children that exited with 0", run_result(run, "exited_ok", -1), EXPECT_EQ, 2,
		   "both echo programs ran");
}

static void check_zombie(struct expect *e, const struct lab_run *run)
{
	expect_true(e, run_result(run, "zombie_seen", 0) == 1, "the exited child was a zombie (state Z)",
		    "a process that exited stays in the table until its parent waits");
	expect_true(e, run_result(run, "zombie_reaped", 0) == 1, "waitpid() reaped the zombie",
		    "waiting collects the exit status and frees the entry");
	expect_true(e, run_result(run, "orphan_reparented", 0) == 1,
		    "the orphan got a new parent", "when a parent exits first, its children are adopted");
	expect_num(e, "new processes created", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, 3,
		   "the zombie, the orphan's parent and the orphan");
}

static void check_pool(struct expect *e, const struct lab_run *run)
{
	long long workers = run_result(run, "workers", -1), tasks = run_result(run, "tasks", -1);

	expect_num(e, "worker processes created", run_created(run, ORIGIN_PROCESS), EXPECT_EQ, workers,
		   "a pool starts its workers once and reuses them for every task");
	expect_num(e, "results received", run_result(run, "results_ok", -1), EXPECT_EQ, tasks,
		   "every task's square came back through the pipe");
	expect_num(e, "workers that exited cleanly", run_result(run, "workers_exited_ok", -1),
		   EXPECT_EQ, workers, "closing the task pipe tells each worker to stop");
}

static const struct guide_variant variants[] = {
	{ "basic", "fork() returns twice: 0 in the child, the child's PID in the parent. Watch the\n"
		   "process tree: one parent, one new PID per fork, each child's exit code collected\n"
		   "by wait. In the kernel, glibc's fork() is a clone call.",
	  REPORT_SUMMARY | REPORT_TREE, check_basic },
	{ "cow", "After fork the child has a copy of all memory, made lazily: pages are shared until\n"
		 "someone writes. Watch the child's page faults: one per page it writes.",
	  REPORT_SUMMARY | REPORT_TREE, check_cow },
	{ "exec", "fork then exec replaces the child's program; posix_spawn does both without\n"
		  "copying the parent (CLONE_VM|CLONE_VFORK). Watch the execve calls and how each\n"
		  "child was created.",
	  REPORT_SUMMARY | REPORT_TREE, check_exec },
	{ "zombie", "A child that exits before its parent waits is a zombie; a child whose parent\n"
		    "exits first is an orphan, adopted by another process.",
	  REPORT_SUMMARY | REPORT_TREE, check_zombie },
	{ "pool", "A process pool: a few workers started once map many tasks. Processes are heavy,\n"
		  "so the pool keeps only its workers alive.",
	  REPORT_SUMMARY | REPORT_TREE, check_pool },
};

const struct guide guide_fork = {
	.lab = "fork", .variants = variants, .n = sizeof(variants) / sizeof(variants[0]),
};
