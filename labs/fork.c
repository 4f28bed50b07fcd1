// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fork.c - processes: fork and wait, copy-on-write, exec, zombies and
 * orphans, and a pool of worker processes.
 *
 * Each variant is one concept.  Every fork(), wait and exec is written out in
 * the variant that uses it, so what the tracer shows can be found in the code.
 * We fflush(stdout) before every fork(): a child gets a copy of the parent's
 * stdio buffer, and anything still in it would be printed twice.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid, pthread_setname_np, accept4, ... */
#endif
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_CHILDREN 64		/* --children limit */
#define MAX_WORKERS 16		/* --workers limit */
#define MAX_TASKS 10000		/* --tasks limit: 4 bytes each fit in one pipe buffer */
#define POLL_MS 1		/* how often we look again while waiting for a state */
#define STATE_TIMEOUT_MS 2000	/* give up waiting for a process state after this */

extern char **environ;

/* Print what "ps" would say about wait status st of child pid. */
static void print_status(const char *who, pid_t pid, int st)
{
	if (WIFEXITED(st))
		printf("%s: child %d exited with status %d\n", who, (int)pid, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: child %d was killed by signal %d (%s)\n", who, (int)pid,
		       WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		printf("%s: child %d: wait status %#x\n", who, (int)pid, st);
}

/*
 * The state letter of a process from /proc/PID/stat ('R', 'S', 'Z', ...), or 0
 * when the process no longer exists.  The second field, the command, is in
 * parentheses and may contain spaces, so we look for the last ')'.
 */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* ---- basic: fork N children, wait for each -------------------------------- */

static int variant_basic(const struct lab_opts *o)
{
	pid_t pids[MAX_CHILDREN];
	int ok = 0;

	printf("parent: hello, I am parent (pid:%d); forking %ld children\n",
	       (int)getpid(), o->children);
	for (long i = 0; i < o->children; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			/* child: fork() returned 0 here; our own pid comes from getpid() */
			printf("child %ld: hello, I am child (pid:%d), my parent is %d; exiting with %ld\n",
			       i + 1, (int)getpid(), (int)getppid(), 10 + i);
			exit(10 + i);	/* a distinct code per child, seen by the parent */
		}
		/* parent: fork() returned the child's pid */
		printf("parent: forked child %ld, pid %d\n", i + 1, (int)pid);
		pids[i] = pid;
	}
	for (long i = 0; i < o->children; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) < 0) {
			perror("waitpid");
			exit(1);
		}
		print_status("parent", pids[i], st);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 10 + i)
			ok++;
	}
	printf("parent: %d of %ld children exited with the code they were given\n",
	       ok, o->children);
	lab_result("forked", o->children);
	lab_result("exited_ok", ok);
	return ok == o->children ? 0 : 1;
}

/* ---- cow: copy-on-write after fork --------------------------------------- */

static int variant_cow(const struct lab_opts *o)
{
	const char *foo = "bar";
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)o->pages * (size_t)page;
	int st, parent_ok = 1;

	/* mmap gives whole pages, so one byte per page touches exactly one page */
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/*
	 * No transparent huge pages here: one 2 MiB page would turn 512 writes
	 * into one fault and make the count depend on the system's THP setting.
	 */
	if (madvise(buf, len, MADV_NOHUGEPAGE) < 0)
		perror("madvise(MADV_NOHUGEPAGE) (continuing)");
	/*
	 * The parent writes every page BEFORE fork, so each page really exists.
	 * After fork, parent and child share these pages read-only; the child's
	 * first write to each one faults and the kernel copies that page.
	 */
	for (size_t off = 0; off < len; off += (size_t)page)
		buf[off] = 'P';
	printf("parent %d: foo = %s (&foo = %p), buffer of %ld pages at %p, every page holds 'P'\n",
	       (int)getpid(), foo, (void *)&foo, o->pages, (void *)buf);

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		struct rusage before, after;
		int child_ok = 1;

		foo = "baz";
		printf("child %d: foo = %s (&foo = %p: the same address, a different copy)\n",
		       (int)getpid(), foo, (void *)&foo);
		getrusage(RUSAGE_SELF, &before);
		for (size_t off = 0; off < len; off += (size_t)page)
			buf[off] = 'C';	/* one copy-on-write fault per page */
		getrusage(RUSAGE_SELF, &after);
		for (size_t off = 0; off < len; off += (size_t)page)
			child_ok &= buf[off] == 'C';
		printf("child %d: wrote 'C' into %ld pages at %p: %ld minor page faults "
		       "(each one a page copied for us)\n", (int)getpid(), o->pages, (void *)buf,
		       after.ru_minflt - before.ru_minflt);
		exit(child_ok && strcmp(foo, "baz") == 0 ? 0 : 1);
	}

	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	print_status("parent", pid, st);
	for (size_t off = 0; off < len; off += (size_t)page)
		parent_ok &= buf[off] == 'P';
	parent_ok &= strcmp(foo, "bar") == 0;
	printf("parent %d: foo = %s (&foo = %p), buffer at %p: %s\n", (int)getpid(), foo,
	       (void *)&foo, (void *)buf,
	       parent_ok ? "every page still holds 'P': the child wrote to its own copies"
			 : "CHANGED (this should never happen)");

	int child_ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	lab_result("child_pid", pid);
	lab_result("page_size", page);
	lab_result("buf_addr", (long long)(uintptr_t)buf);	/* where the child's faults land */
	lab_result("buf_bytes", (long long)len);
	lab_result("child_foo_changed", child_ok);
	lab_result("parent_unchanged", parent_ok);
	munmap(buf, len);
	return child_ok && parent_ok ? 0 : 1;
}

/* ---- exec: fork + execvp, then posix_spawn -------------------------------- */

static int variant_exec(const struct lab_opts *o)
{
	/*
	 * A full path: execvp() runs it directly.  Given just "echo", execvp()
	 * would try each $PATH directory in turn, one execve() call each.
	 */
	char *echo_argv[] = { "/bin/echo", "hello from echo: the child replaced itself with /bin/echo",
			      NULL };
	char *spawn_argv[] = { "/bin/echo", "hello from echo, started by posix_spawn", NULL };
	int st, ok = 0;

	(void)o;
	/* 1. the classic pair: fork a copy of ourselves, the copy calls exec */
	printf("parent %d: step 1: fork, then the child calls execvp(\"/bin/echo\", ...)\n",
	       (int)getpid());
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		printf("child %d: about to exec /bin/echo: same pid, a new program\n", (int)getpid());
		fflush(stdout);
		execvp(echo_argv[0], echo_argv);
		perror("execvp");	/* exec returns only when it failed */
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	print_status("parent", pid, st);
	ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;

	/*
	 * 2. posix_spawn does fork + exec in one call.  glibc makes the child with
	 * clone3(CLONE_VM | CLONE_VFORK): it borrows our memory instead of copying
	 * it, and we are suspended until it has exec'd.  Cheap for big parents.
	 */
	printf("parent %d: step 2: posix_spawn(\"/bin/echo\", ...)\n", (int)getpid());
	fflush(stdout);
	int rc = posix_spawn(&pid, spawn_argv[0], NULL, NULL, spawn_argv, environ);
	if (rc != 0) {
		fprintf(stderr, "posix_spawn: %s\n", strerror(rc));
		exit(1);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	print_status("parent", pid, st);
	ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;

	lab_result("execs", 2);
	lab_result("exited_ok", ok);
	return ok == 2 ? 0 : 1;
}

/* ---- zombie: a child nobody waited for; an orphan ------------------------- */

static int variant_zombie(const struct lab_opts *o)
{
	int st, zombie_seen = 0, gone = 0, orphan_ok = 0;
	char state = 0;

	(void)o;
	/* 1. zombie: the child has exited, but its parent has not waited yet */
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		printf("child %d: exiting with status 7 right away\n", (int)getpid());
		exit(7);
	}
	/* the exit takes a moment: look at /proc until the kernel shows the zombie */
	for (int waited = 0; waited < STATE_TIMEOUT_MS; waited += POLL_MS) {
		state = proc_state(pid);
		if (state == 'Z')
			break;
		lab_sleep_ms(POLL_MS);
	}
	zombie_seen = state == 'Z';
	printf("parent: /proc/%d/stat says state '%c'%s\n", (int)pid, state ? state : '?',
	       zombie_seen ? ": a zombie, only its pid and exit status are left, "
			     "kept until we wait for it" : " (expected 'Z')");
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	print_status("parent", pid, st);
	gone = proc_state(pid) == 0;
	printf("parent: after waitpid, /proc/%d %s\n", (int)pid,
	       gone ? "is gone: the zombie was reaped" : "still exists (unexpected)");

	/*
	 * 2. orphan: a middle child forks a grandchild and exits at once.  The
	 * kernel gives the orphan a new parent: the nearest "child subreaper"
	 * above it, or init (pid 1).  We make ourselves the subreaper so that the
	 * orphan comes to us and we can reap it: nothing is left behind.
	 */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("prctl(PR_SET_CHILD_SUBREAPER)");
		exit(1);
	}
	pid_t subreaper = getpid();
	printf("parent %d: step 2: I am now a child subreaper; forking a middle child\n",
	       (int)subreaper);
	fflush(stdout);
	pid_t middle = fork();
	if (middle < 0) {
		perror("fork");
		exit(1);
	}
	if (middle == 0) {
		pid_t my_pid = getpid();

		pid_t grandchild = fork();
		if (grandchild < 0) {
			perror("fork");
			exit(1);
		}
		if (grandchild == 0) {
			/* wait until our parent (the middle child) is gone and we have been adopted */
			for (int waited = 0; getppid() == my_pid; waited += POLL_MS) {
				if (waited >= STATE_TIMEOUT_MS) {
					printf("grandchild: my parent never exited\n");
					exit(1);
				}
				lab_sleep_ms(POLL_MS);
			}
			printf("grandchild %d: my parent %d has exited: I am an orphan; getppid() now "
			       "says %d\n", (int)getpid(), (int)my_pid, (int)getppid());
			exit(getppid() == subreaper ? 0 : 1);
		}
		printf("middle %d: forked grandchild %d; exiting without waiting for it\n",
		       (int)my_pid, (int)grandchild);
		exit(0);
	}
	if (waitpid(middle, &st, 0) < 0) {
		perror("waitpid");
		exit(1);
	}
	print_status("parent", middle, st);
	/* the orphan is our child now, so waitpid(-1) finds it */
	pid = waitpid(-1, &st, 0);
	if (pid < 0) {
		perror("waitpid(-1)");
		exit(1);
	}
	orphan_ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("parent %d: reaped the orphan %d, adopted by us as its subreaper (status %d)\n",
	       (int)getpid(), (int)pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	lab_result("zombie_seen", zombie_seen);
	lab_result("zombie_reaped", gone);
	lab_result("orphan_reparented", orphan_ok);
	return zombie_seen && gone && orphan_ok ? 0 : 1;
}

/* ---- pool: N worker processes map M tasks --------------------------------- */

struct pool_result {		/* one message from a worker, written atomically */
	int task;		/* the input number */
	int worker;		/* which worker, 1..N */
	pid_t pid;		/* and its pid */
	long square;
};

static int variant_pool(const struct lab_opts *o)
{
	int task_pipe[2], result_pipe[2];
	pid_t pids[MAX_WORKERS];
	long done_by[MAX_WORKERS] = { 0 };
	int got = 0, ok = 0, reaped = 0;

	/*
	 * Two pipes: tasks go down one, results come back up the other.  Every
	 * message is smaller than PIPE_BUF, so each write arrives whole and the
	 * workers, all reading the same pipe, each take whole tasks.
	 */
	if (pipe(task_pipe) < 0 || pipe(result_pipe) < 0) {
		perror("pipe");
		exit(1);
	}
	printf("parent %d: starting %ld worker processes for %ld tasks (square each number)\n",
	       (int)getpid(), o->workers, o->tasks);
	for (long w = 0; w < o->workers; w++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			int n;

			close(task_pipe[1]);	/* or we would never see end-of-file */
			close(result_pipe[0]);
			/* take tasks until the parent closes the pipe and it is empty */
			while (read(task_pipe[0], &n, sizeof(n)) == sizeof(n)) {
				struct pool_result r = { n, (int)w + 1, getpid(), (long)n * n };

				lab_sleep_ms(1);	/* the work "takes" 1 ms: every worker gets some */
				if (write(result_pipe[1], &r, sizeof(r)) != sizeof(r)) {
					perror("worker: write");
					exit(1);
				}
			}
			exit(0);
		}
		pids[w] = pid;
	}
	/* the parent keeps only the ends it uses */
	close(task_pipe[0]);
	close(result_pipe[1]);
	for (int n = 1; n <= o->tasks; n++) {
		if (write(task_pipe[1], &n, sizeof(n)) != sizeof(n)) {
			perror("write task");
			exit(1);
		}
	}
	close(task_pipe[1]);	/* no more tasks: the workers read end-of-file when done */

	/* results arrive in the order the workers finish them */
	struct pool_result r;
	ssize_t n;
	while ((n = read(result_pipe[0], &r, sizeof(r))) == sizeof(r)) {
		got++;
		ok += r.square == (long)r.task * r.task;
		if (r.worker >= 1 && r.worker <= o->workers)
			done_by[r.worker - 1]++;
		printf("parent: %d squared is %ld, done by worker %d (pid %d)\n",
		       r.task, r.square, r.worker, (int)r.pid);
	}
	if (n < 0)
		perror("read results");
	close(result_pipe[0]);	/* end-of-file: every worker has exited */

	for (long w = 0; w < o->workers; w++) {
		int st;

		if (waitpid(pids[w], &st, 0) < 0) {
			perror("waitpid");
			exit(1);
		}
		reaped += WIFEXITED(st) && WEXITSTATUS(st) == 0;
		printf("parent: worker %ld (pid %d) did %ld tasks; ", w + 1, (int)pids[w],
		       done_by[w]);
		print_status("reaped", pids[w], st);
	}
	printf("parent: %d of %ld results correct\n", ok, o->tasks);
	lab_result("results", got);
	lab_result("results_ok", ok);
	lab_result("workers_exited_ok", reaped);
	return ok == o->tasks && reaped == o->workers ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "basic", "fork N children; each exits with its own code, the parent waits for each",
	  variant_basic, { { "children", 3 } } },
	{ "cow", "copy-on-write: the child changes a variable and every page of a buffer; "
		 "the parent's copies stay unchanged",
	  variant_cow, { { "pages", 1024 } } },
	{ "exec", "fork + execvp(\"/bin/echo\"), then the same with posix_spawn", variant_exec,
	  { { 0 } } },
	{ "zombie", "a zombie in /proc until its parent waits; an orphan adopted by a new parent",
	  variant_zombie, { { 0 } } },
	{ "pool", "a pool of worker processes squares numbers sent through a pipe",
	  variant_pool, { { "workers", 3 }, { "tasks", 10 } } },
};

static const struct lab_option options[] = {
	{ "children", offsetof(struct lab_opts, children), 1, MAX_CHILDREN, "children to fork" },
	{ "pages", offsetof(struct lab_opts, pages), 1, 262144, "pages the child writes (1 GiB max)" },
	{ "workers", offsetof(struct lab_opts, workers), 1, MAX_WORKERS, "worker processes" },
	{ "tasks", offsetof(struct lab_opts, tasks), 1, MAX_TASKS, "numbers to square" },
};

static const struct lab fork_lab = {
	.name = "fork",
	.summary = "Processes: fork and wait, copy-on-write, exec, zombies and orphans, a process pool.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  fork basic                      fork 3 children, wait for each\n"
		"  fork basic --children 5         the same with 5\n"
		"  fork cow --pages 4096           the child writes 4096 pages (16 MiB)\n"
		"  fork zombie                     see a zombie in /proc, then an orphan\n"
		"  fork pool --workers 4 --tasks 20\n",
};

int main(int argc, char **argv)
{
	return lab_main(&fork_lab, argc, argv);
}
