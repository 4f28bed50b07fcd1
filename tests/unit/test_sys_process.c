// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_sys_process.c - fork, clone, clone3, execve, exit, wait4 and waitid
 * lines, each expected string as strace 6.1 printed it for the same call.
 */
#include "fake_event.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static const char *fmt(const char *name, const struct event *ev, const struct event *enter)
{
	return fake_format(&sb, &sys_process, name, ev, enter);
}

static void test_table(void **state)
{
	(void)state;
	fake_check_family(&sys_process, FAM_PROCESS, FAM_PROCESS);
	assert_int_equal(fake_def(&sys_process, "clone")->spec.spawn, SPAWN_CLONE);
	assert_int_equal(fake_def(&sys_process, "clone3")->spec.spawn, SPAWN_CLONE3);
	assert_int_equal(fake_def(&sys_process, "clone3")->nr, SYS_clone3);
	assert_true(fake_def(&sys_process, "exit_group")->spec.flags & SC_NORETURN);
	assert_true(fake_def(&sys_process, "exit")->spec.flags & SC_NORETURN);
	/* execve's memory is gone after a successful exec: read at entry */
	assert_true(fake_def(&sys_process, "execve")->spec.caps[0].flags & CAP_AT_ENTRY);
	assert_true(fake_def(&sys_process, "execve")->spec.caps[1].flags & CAP_AT_ENTRY);
#ifdef SYS_fork
	assert_int_equal(fake_def(&sys_process, "fork")->spec.spawn, SPAWN_FORK);
	assert_int_equal(fake_def(&sys_process, "vfork")->spec.spawn, SPAWN_VFORK);
#endif
}

#ifdef SYS_fork
static void test_fork(void **state)
{
	struct fake f;

	(void)state;
	assert_string_equal(fmt("fork", fake_event(&f, 4243, ARGS(0)), NULL), "fork() = 4243");
	assert_string_equal(fmt("vfork", fake_event(&f, -EAGAIN, ARGS(0)), NULL),
			    "vfork() = -1 EAGAIN (Resource temporarily unavailable)");
}
#endif

/* the clone argument order of this architecture */
#if defined(__x86_64__)
#define CLONE_ARGS(flags, stack, ptid, ctid, tls) ARGS(flags, stack, ptid, ctid, tls)
#else
#define CLONE_ARGS(flags, stack, ptid, ctid, tls) ARGS(flags, stack, ptid, tls, ctid)
#endif

static void test_clone(void **state)
{
	struct fake f;
	struct event *ev;
	int tid = 3184;

	(void)state;
	/* glibc's fork() */
	ev = fake_event(&f, 3185,
			CLONE_ARGS(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0,
				   0x7f55fbbeca10, 0));
	assert_string_equal(fmt("clone", ev, NULL),
			    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|"
			    "SIGCHLD, child_tidptr=0x7f55fbbeca10) = 3185");
	/* unknown bits: hex among the names, or with a comment alone */
	ev = fake_event(
	    &f, 3190,
	    CLONE_ARGS(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | 0x1000000000ULL | SIGCHLD, 0, 0,
		       0, 0));
	assert_string_equal(fmt("clone", ev, NULL),
			    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|"
			    "0x1000000000|SIGCHLD, child_tidptr=NULL) = 3190");
	ev = fake_event(&f, 24741, CLONE_ARGS(0x1000000000ULL, 0, 0, 0, 0));
	assert_string_equal(fmt("clone", ev, NULL),
			    "clone(child_stack=NULL, flags=0x1000000000 /* CLONE_??? */) = 24741");
	ev = fake_event(&f, 24739, CLONE_ARGS(0, 0, 0, 0, 0));
	assert_string_equal(fmt("clone", ev, NULL), "clone(child_stack=NULL, flags=0) = 24739");
	/* the exit-signal byte is a number when it names no signal */
	ev = fake_event(&f, 3191, CLONE_ARGS(CLONE_IO | 0x80 | SIGUSR1, 0x1234, 0x55, 0x66, 0x77));
	assert_string_equal(fmt("clone", ev, NULL),
			    "clone(child_stack=0x1234, flags=CLONE_IO|138) = 3191");
	/* parent_tid as the kernel stored it, read back at exit */
	ev = fake_event(
	    &f, 3184,
	    CLONE_ARGS(CLONE_VM | CLONE_PARENT_SETTID | CLONE_SETTLS | CLONE_CHILD_CLEARTID, 0x7f00,
		       0x7f10, 0x7f20, 0x7f30));
	fake_data(ev, 0, tid);
	assert_string_equal(
	    fmt("clone", ev, NULL),
	    "clone(child_stack=0x7f00, flags=CLONE_VM|CLONE_SETTLS|CLONE_PARENT_SETTID|"
	    "CLONE_CHILD_CLEARTID, parent_tid=[3184], tls=0x7f30, "
	    "child_tidptr=0x7f20) = 3184");
	/* failed: nothing was stored, the pointers print */
	ev = fake_event(&f, -EINVAL,
			CLONE_ARGS(CLONE_PARENT_SETTID | CLONE_SETTLS | CLONE_PIDFD | SIGCHLD |
				       CLONE_VM | CLONE_VFORK,
				   0, 8, 16, 24));
	assert_string_equal(fmt("clone", ev, NULL),
			    "clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK|"
			    "CLONE_SETTLS|CLONE_PARENT_SETTID|SIGCHLD, parent_tid=0x8, tls=0x18) = "
			    "-1 EINVAL (Invalid argument)");
}

static void test_clone3(void **state)
{
	struct clone_args ca = {
	    .flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		     CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	    .child_tid = 0x7f55fbbeb990,
	    .parent_tid = 0x7f55fbbeb990,
	    .exit_signal = 0,
	    .stack = 0x7f55fb3eb000,
	    .stack_size = 0x7fff80,
	    .tls = 0x7f55fbbeb6c0,
	};
	struct fake f;
	struct event *ev;

	(void)state;
	/* pthread_create */
	ev = fake_event(&f, 3184, ARGS(0x7ffc0000, sizeof(ca)));
	fake_data(ev, 0, ca);
	assert_string_equal(
	    fmt("clone3", ev, NULL),
	    "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
	    "CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, "
	    "child_tid=0x7f55fbbeb990, parent_tid=0x7f55fbbeb990, exit_signal=0, "
	    "stack=0x7f55fb3eb000, stack_size=0x7fff80, tls=0x7f55fbbeb6c0} => "
	    "{parent_tid=[3184]}, 88) = 3184");

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD | CLONE_NEWNS | 0x800000000ULL;
	ca.exit_signal = SIGCHLD;
	ca.pidfd = 0x1000;
	ev = fake_event(&f, -EINVAL, ARGS(0x7ffc0000, sizeof(ca)));
	fake_data(ev, 0, ca);
	assert_string_equal(fmt("clone3", ev, NULL),
			    "clone3({flags=CLONE_PIDFD|CLONE_NEWNS|0x800000000, pidfd=0x1000, "
			    "exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = "
			    "-1 EINVAL (Invalid argument)");
	/* only the first 64 bytes (CLONE_ARGS_SIZE_VER0) */
	ev = fake_event(&f, -EINVAL, ARGS(0x7ffc0000, 64));
	fake_chunk(ev, 0, CHUNK_DATA, &ca, 64);
	assert_string_equal(fmt("clone3", ev, NULL),
			    "clone3({flags=CLONE_PIDFD|CLONE_NEWNS|0x800000000, pidfd=0x1000, "
			    "exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 64) = "
			    "-1 EINVAL (Invalid argument)");

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWTIME | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP | CLONE_VM |
		   CLONE_PIDFD | CLONE_PARENT_SETTID;
	ca.exit_signal = 0x100000000ULL;
	ev = fake_event(&f, -EINVAL, ARGS(0x7ffc0000, sizeof(ca)));
	fake_data(ev, 0, ca);
	assert_string_equal(fmt("clone3", ev, NULL),
			    "clone3({flags=CLONE_VM|CLONE_PIDFD|CLONE_PARENT_SETTID|CLONE_NEWTIME|"
			    "CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP, pidfd=NULL, parent_tid=NULL, "
			    "exit_signal=4294967296, stack=NULL, stack_size=0, cgroup=0}, 88) = "
			    "-1 EINVAL (Invalid argument)");

	memset(&ca, 0, sizeof(ca));
	ca.flags = 0x400000000ULL;
	ca.exit_signal = 99;
	ca.set_tid = 0x10;
	ca.set_tid_size = 2;
	ca.cgroup = 5;
	ev = fake_event(&f, -EINVAL, ARGS(0x7ffc0000, sizeof(ca)));
	fake_data(ev, 0, ca);
	assert_string_equal(
	    fmt("clone3", ev, NULL),
	    "clone3({flags=0x400000000 /* CLONE_??? */, exit_signal=99, stack=NULL, "
	    "stack_size=0, set_tid=0x10, set_tid_size=2, cgroup=5}, 88) = "
	    "-1 EINVAL (Invalid argument)");

	/* NULL, a faulting pointer, a size below the first version */
	ev = fake_event(&f, -EFAULT, ARGS(0, 88));
	assert_string_equal(fmt("clone3", ev, NULL), "clone3(NULL, 88) = -1 EFAULT (Bad address)");
	ev = fake_event(&f, -EFAULT, ARGS(1, 88));
	fake_fault(ev, 0);
	assert_string_equal(fmt("clone3", ev, NULL), "clone3(0x1, 88) = -1 EFAULT (Bad address)");
	ev = fake_event(&f, -EINVAL, ARGS(0x7ffc0000, 32));
	fake_chunk(ev, 0, CHUNK_DATA, &ca, 32);
	assert_string_equal(fmt("clone3", ev, NULL),
			    "clone3(0x7ffc0000, 32) = -1 EINVAL (Invalid argument)");
}

static void test_execve(void **state)
{
	struct fake fx, fe;
	struct event *ev, *enter;

	(void)state;
	ev = fake_event(&fx, 0, ARGS(0x5000, 0x6000, 0x7ffd45017158));
	enter = fake_enter(&fe, ARGS(0x5000, 0x6000, 0x7ffd45017158));
	fake_str(enter, 0, "/bin/true");
	fake_str(enter, 1, "true");
	assert_string_equal(fmt("execve", ev, enter),
			    "execve(\"/bin/true\", [\"true\"], 0x7ffd45017158) = 0");

	/* strace: ["/nonexistent", "a\"b\n", "01234567890123456789012345678901"...] */
	ev = fake_event(&fx, -ENOENT, ARGS(0x5000, 0x6000, 0));
	enter = fake_enter(&fe, ARGS(0x5000, 0x6000, 0));
	fake_str(enter, 0, "/nonexistent");
	fake_str(enter, 1, "/nonexistent");
	fake_str(enter, 1, "a\"b\n");
	/* the probe keeps -s bytes and a NUL */
	fake_chunk(enter, 1, CHUNK_DATA, "01234567890123456789012345678901", 33);
	fake_chunk(enter, 1, CHUNK_STRV_MORE, NULL, 0);
	assert_string_equal(fmt("execve", ev, enter),
			    "execve(\"/nonexistent\", [\"/nonexistent\", \"a\\\"b\\n\", "
			    "\"01234567890123456789012345678901\"..., ...], NULL) = "
			    "-1 ENOENT (No such file or directory)");

	ev = fake_event(&fx, -ENOENT, ARGS(0x5000, 0, 0x10));
	enter = fake_enter(&fe, ARGS(0x5000, 0, 0x10));
	fake_str(enter, 0, "/nonexistent");
	assert_string_equal(
	    fmt("execve", ev, enter),
	    "execve(\"/nonexistent\", NULL, 0x10) = -1 ENOENT (No such file or directory)");
	/* unreadable path and argv; and a call whose entry record is missing */
	ev = fake_event(&fx, -EFAULT, ARGS(0, 1, 0));
	enter = fake_enter(&fe, ARGS(0, 1, 0));
	assert_string_equal(fmt("execve", ev, enter),
			    "execve(NULL, 0x1, NULL) = -1 EFAULT (Bad address)");
	ev = fake_event(&fx, -EFAULT, ARGS(0x9, 0x6000, 0));
	assert_string_equal(fmt("execve", ev, NULL),
			    "execve(0x9, 0x6000, NULL) = -1 EFAULT (Bad address)");
	/* a path cut at the probe's limit */
	{
		char path[CAP_STR_MAX];

		memset(path, 'p', sizeof(path) - 1);
		path[sizeof(path) - 1] = '\0';
		ev = fake_event(&fx, -ENAMETOOLONG, ARGS(0x5000, 0, 0));
		enter = fake_enter(&fe, ARGS(0x5000, 0, 0));
		fake_str(enter, 0, path);
		assert_non_null(strstr(fmt("execve", ev, enter), "ppp\"..., NULL, NULL)"));
	}
}

static void test_exit(void **state)
{
	struct fake f;

	(void)state;
	assert_string_equal(fmt("exit_group", fake_event(&f, 0, ARGS(0)), NULL),
			    "exit_group(0) = ?");
	assert_string_equal(fmt("exit", fake_event(&f, 0, ARGS(3)), NULL), "exit(3) = ?");
	assert_string_equal(fmt("exit_group", fake_event(&f, 0, ARGS((__u64)-1)), NULL),
			    "exit_group(-1) = ?");
}

static void test_wait4(void **state)
{
	struct fake f;
	struct event *ev;
	int st;
	struct rusage ru = {.ru_utime = {0, 88}, .ru_maxrss = 1};

	(void)state;
	st = 0;
	ev = fake_event(&f, 4243, ARGS(4243, 0x7ffc, 0, 0));
	fake_data(ev, 0, st);
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(4243, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4243");
	st = SIGKILL;
	ev = fake_event(&f, 3186, ARGS(3186, 0x7ffc, __WALL, 0));
	fake_data(ev, 0, st);
	assert_string_equal(
	    fmt("wait4", ev, NULL),
	    "wait4(3186, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], __WALL, NULL) = 3186");
	st = SIGQUIT | 0x80;
	ev = fake_event(&f, 23911, ARGS(23911, 0x7ffc, 0, 0));
	fake_data(ev, 0, st);
	assert_string_equal(
	    fmt("wait4", ev, NULL),
	    "wait4(23911, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGQUIT && WCOREDUMP(s)}], "
	    "0, NULL) = 23911");
	/* stopped, with the rusage strace shows without -v */
	st = SIGSTOP << 8 | 0x7f;
	ev = fake_event(&f, 23911, ARGS(23911, 0x7ffc, WUNTRACED, 0x7ffd));
	fake_data(ev, 0, st);
	fake_chunk(ev, 1, CHUNK_DATA, &ru, offsetof(struct rusage, ru_maxrss));
	assert_string_equal(
	    fmt("wait4", ev, NULL),
	    "wait4(23911, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, "
	    "{ru_utime={tv_sec=0, tv_usec=88}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 23911");
	st = 0xffff;
	ev = fake_event(&f, 23911, ARGS(23911, 0x7ffc, WCONTINUED, 0));
	fake_data(ev, 0, st);
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(23911, [{WIFCONTINUED(s)}], WCONTINUED, NULL) = 23911");
	/* WNOHANG with nothing to report: the status was not written */
	ev = fake_event(&f, 0, ARGS(3186, 0x7ffe291c597c, WNOHANG | WUNTRACED | __WALL, 0));
	fake_data(ev, 0, st);
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(3186, 0x7ffe291c597c, WNOHANG|WSTOPPED|__WALL, NULL) = 0");
	/* failures */
	ev = fake_event(&f, -ECHILD, ARGS((__u64)-1, 0x7ffe291c597c, 0, 0));
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(-1, 0x7ffe291c597c, 0, NULL) = -1 ECHILD (No child processes)");
	ev = fake_event(&f, -EINVAL, ARGS(23912, 0x7ffe57bd504c, 0x80, 0x7ffe57bd4f30));
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(23912, 0x7ffe57bd504c, 0x80 /* W??? */, 0x7ffe57bd4f30) = "
			    "-1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -ECHILD,
			ARGS((__u64)-1, 0, 0x80000000 | 0x40000000 | 0x20000000 | 1, 0));
	assert_string_equal(fmt("wait4", ev, NULL),
			    "wait4(-1, NULL, WNOHANG|__WCLONE|__WALL|__WNOTHREAD, NULL) = "
			    "-1 ECHILD (No child processes)");
}

static void test_waitid(void **state)
{
	struct fake f;
	struct event *ev;
	siginfo_t si;
	struct rusage ru = {.ru_utime = {0, 145}};

	(void)state;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGCHLD;
	si.si_code = CLD_EXITED;
	si.si_pid = 3188;
	si.si_status = 0;
	ev = fake_event(&f, 0, ARGS(P_PID, 3188, 0x7ffc, WEXITED, 0));
	fake_data(ev, 0, si);
	assert_string_equal(
	    fmt("waitid", ev, NULL),
	    "waitid(P_PID, 3188, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3188, "
	    "si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED, NULL) = 0");
	si.si_code = CLD_KILLED;
	si.si_status = SIGKILL;
	si.si_pid = 23913;
	ev = fake_event(&f, 0, ARGS(P_PID, 23913, 0x7ffc, WEXITED, 0x7ffd));
	fake_data(ev, 0, si);
	fake_chunk(ev, 1, CHUNK_DATA, &ru, offsetof(struct rusage, ru_maxrss));
	assert_string_equal(
	    fmt("waitid", ev, NULL),
	    "waitid(P_PID, 23913, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=23913, "
	    "si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}, WEXITED, "
	    "{ru_utime={tv_sec=0, tv_usec=145}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0");
	si.si_code = CLD_STOPPED;
	si.si_status = SIGSTOP;
	ev = fake_event(&f, 0, ARGS(P_ALL, 0, 0x7ffc, WSTOPPED | WNOWAIT, 0));
	fake_data(ev, 0, si);
	assert_string_equal(
	    fmt("waitid", ev, NULL),
	    "waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=23913, "
	    "si_uid=0, si_status=SIGSTOP, si_utime=0, si_stime=0}, WSTOPPED|WNOWAIT, "
	    "NULL) = 0");
	/* WNOHANG, no child changed state */
	memset(&si, 0, sizeof(si));
	ev = fake_event(&f, 0, ARGS(P_PID, 23911, 0x7ffc, WEXITED | WNOHANG, 0));
	fake_data(ev, 0, si);
	assert_string_equal(fmt("waitid", ev, NULL),
			    "waitid(P_PID, 23911, {}, WNOHANG|WEXITED, NULL) = 0");
	ev = fake_event(
	    &f, -ECHILD,
	    ARGS(P_ALL, 0, 0x7fff54c59b50, WEXITED | WSTOPPED | WNOHANG | WCONTINUED | WNOWAIT, 0));
	assert_string_equal(fmt("waitid", ev, NULL),
			    "waitid(P_ALL, 0, 0x7fff54c59b50, WNOHANG|WEXITED|WSTOPPED|WCONTINUED|"
			    "WNOWAIT, NULL) = -1 ECHILD (No child processes)");
	ev = fake_event(&f, -EINVAL, ARGS(9, 5, 0, WEXITED, 0));
	assert_string_equal(
	    fmt("waitid", ev, NULL),
	    "waitid(0x9 /* P_??? */, 5, NULL, WEXITED, NULL) = -1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -EBADF, ARGS(P_PIDFD, 5, 0, WEXITED, 0));
	assert_string_equal(
	    fmt("waitid", ev, NULL),
	    "waitid(P_PIDFD, 5, NULL, WEXITED, NULL) = -1 EBADF (Bad file descriptor)");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
#ifdef SYS_fork
		cmocka_unit_test(test_fork),
#endif
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_clone3),
		cmocka_unit_test(test_execve),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_wait4),
		cmocka_unit_test(test_waitid),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
