// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_process.c - the process family: fork, vfork, clone, clone3, execve,
 * exit, exit_group, wait4, waitid.  Printed as strace prints them.
 */
#include <limits.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "decode.h"
#include "syscalls.h"

/* clone's argument order: x86-64 swapped child_tid and tls relative to the
 * generic order every newer architecture (arm64) uses. */
#if defined(__x86_64__)
#define CLONE_ARG_CTID 3
#define CLONE_ARG_TLS  4
#else
#define CLONE_ARG_CTID 4
#define CLONE_ARG_TLS  3
#endif
#define CLONE_ARG_PTID 2

/*
 * Clone flags, from <linux/sched.h>, in strace's order: clone(2)'s flags by
 * value, then the clone3-era ones.  CLONE_DETACHED is left out (the kernel
 * ignores it; strace prints it as an unknown bit), and CLONE_NEWTIME shares
 * its value with the exit-signal byte, which clone() masks off first.
 */
/* clang-format off */
static const struct xlat clone_flags[] = {
	XLAT(CLONE_VM), XLAT(CLONE_FS), XLAT(CLONE_FILES), XLAT(CLONE_SIGHAND),
	XLAT(CLONE_PIDFD), XLAT(CLONE_PTRACE), XLAT(CLONE_VFORK), XLAT(CLONE_PARENT),
	XLAT(CLONE_THREAD), XLAT(CLONE_NEWNS), XLAT(CLONE_SYSVSEM), XLAT(CLONE_SETTLS),
	XLAT(CLONE_PARENT_SETTID), XLAT(CLONE_CHILD_CLEARTID), XLAT(CLONE_UNTRACED),
	XLAT(CLONE_CHILD_SETTID), XLAT(CLONE_NEWCGROUP), XLAT(CLONE_NEWUTS),
	XLAT(CLONE_NEWIPC), XLAT(CLONE_NEWUSER), XLAT(CLONE_NEWPID), XLAT(CLONE_NEWNET),
	XLAT(CLONE_IO), XLAT(CLONE_NEWTIME), XLAT(CLONE_CLEAR_SIGHAND),
	XLAT(CLONE_INTO_CGROUP),
	XLAT_END
};
/* clang-format on */

/* wait4/waitid options, from <sys/wait.h> (include/uapi/linux/wait.h), in
 * strace's order; WUNTRACED is WSTOPPED's other name. */
/* clang-format off */
static const struct xlat wait_options[] = {
	XLAT(WNOHANG), XLAT(WEXITED), XLAT(WSTOPPED), XLAT(WCONTINUED), XLAT(WNOWAIT),
	XLAT(__WCLONE), XLAT(__WALL), XLAT(__WNOTHREAD),
	XLAT_END
};
/* clang-format on */

/* waitid's idtype, from <sys/wait.h> (idtype_t) */
/* clang-format off */
static const struct xlat waitid_types[] = {
	XLAT(P_ALL), XLAT(P_PID), XLAT(P_PGID), XLAT(P_PIDFD),
	XLAT_END
};
/* clang-format on */

/* si_code of a SIGCHLD, from <signal.h> (bits/siginfo-consts.h) */
/* clang-format off */
static const struct xlat cld_codes[] = {
	XLAT(CLD_EXITED), XLAT(CLD_KILLED), XLAT(CLD_DUMPED), XLAT(CLD_TRAPPED),
	XLAT(CLD_STOPPED), XLAT(CLD_CONTINUED),
	XLAT_END
};
/* clang-format on */

/* clone's flags: the known bits, then the exit signal in the low byte. */
static void print_clone_flags(struct strbuf *sb, uint64_t flags)
{
	unsigned sig = flags & CSIGNAL;

	flags &= ~(uint64_t)CSIGNAL;
	if (!flags) {
		print_signal(sb, sig);
		return;
	}
	print_flags_ex(sb, clone_flags, flags, "CLONE_???");
	if (sig) {
		sb_putc(sb, '|');
		print_signal(sb, sig);
	}
}

static void clone_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	uint64_t flags = a[0] & ~(uint64_t)CSIGNAL;
	const void *ptid;
	size_t len;

	sb_puts(sb, "child_stack=");
	print_addr(sb, a[1]);
	sb_puts(sb, ", flags=");
	print_clone_flags(sb, a[0]);
	if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
		/* the child's tid, or with CLONE_PIDFD its pidfd, as the kernel
		 * stored it: read back at exit */
		sb_puts(sb, ", parent_tid=");
		ptid = call_bytes(c, 0, &len);
		if (ptid && len >= sizeof(int)) {
			int v;

			memcpy(&v, ptid, sizeof(v));
			sb_printf(sb, "[%d]", v);
		} else {
			print_addr(sb, a[CLONE_ARG_PTID]);
		}
	}
	if (flags & CLONE_SETTLS) {
		sb_puts(sb, ", tls=");
		print_addr(sb, a[CLONE_ARG_TLS]);
	}
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		sb_puts(sb, ", child_tidptr=");
		print_addr(sb, a[CLONE_ARG_CTID]);
	}
}

static void clone3_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	struct clone_args ca;
	const void *data;
	size_t len = 0;

	data = call_bytes(c, 0, &len);
	if (!data || a[1] < CLONE_ARGS_SIZE_VER0 || len < CLONE_ARGS_SIZE_VER0) {
		print_addr(sb, a[0]);
		sb_printf(sb, ", %llu", (unsigned long long)a[1]);
		return;
	}
	memset(&ca, 0, sizeof(ca));
	memcpy(&ca, data, len < sizeof(ca) ? len : sizeof(ca));
	sb_puts(sb, "{flags=");
	print_flags_ex(sb, clone_flags, ca.flags, "CLONE_???");
	if (ca.flags & CLONE_PIDFD) {
		sb_puts(sb, ", pidfd=");
		print_addr(sb, ca.pidfd);
	}
	if (ca.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		sb_puts(sb, ", child_tid=");
		print_addr(sb, ca.child_tid);
	}
	if (ca.flags & CLONE_PARENT_SETTID) {
		sb_puts(sb, ", parent_tid=");
		print_addr(sb, ca.parent_tid);
	}
	sb_puts(sb, ", exit_signal=");
	if (ca.exit_signal < INT_MAX)
		print_signal(sb, ca.exit_signal);
	else
		sb_printf(sb, "%llu", (unsigned long long)ca.exit_signal);
	sb_puts(sb, ", stack=");
	print_addr(sb, ca.stack);
	sb_printf(sb, ", stack_size=%#llx", (unsigned long long)ca.stack_size);
	if (ca.flags & CLONE_SETTLS) {
		sb_puts(sb, ", tls=");
		print_addr(sb, ca.tls);
	}
	if (ca.set_tid || ca.set_tid_size) {
		/* strace prints the array; we have only its address */
		sb_puts(sb, ", set_tid=");
		print_addr(sb, ca.set_tid);
		sb_printf(sb, ", set_tid_size=%llu", (unsigned long long)ca.set_tid_size);
	}
	if (len > offsetof(struct clone_args, cgroup) &&
	    (ca.cgroup || (ca.flags & CLONE_INTO_CGROUP)))
		sb_printf(sb, ", cgroup=%llu", (unsigned long long)ca.cgroup);
	sb_putc(sb, '}');
	/* What the kernel wrote back.  The parent_tid it stored is the child's
	 * tid, which is the result; a pidfd's number is not known to us. */
	if ((ca.flags & CLONE_PARENT_SETTID) && c->ev->ret > 0)
		sb_printf(sb, " => {parent_tid=[%lld]}", (long long)c->ev->ret);
	sb_printf(sb, ", %llu", (unsigned long long)a[1]);
}

/* A string captured with CAP_STR/CAP_STRV: its bytes up to the NUL the probe
 * always stores; cut at limit bytes (NUL included) it may have been longer. */
static void print_cstr(struct strbuf *sb, const struct chunk *ch, size_t limit)
{
	const char *s = chunk_data(ch);
	size_t n = ch->len ? strnlen(s, ch->len - 1) : 0;

	print_quoted(sb, s, n, ch->len >= limit);
}

static void execve_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	const struct chunk *v[CAP_ARGV_MAX + 1];
	const struct chunk *path = call_chunk(c, 0, CHUNK_DATA, 0);
	size_t n, argv_limit;

	if (path)
		print_cstr(sb, path, CAP_STR_MAX);
	else
		print_addr(sb, a[0]);
	sb_puts(sb, ", ");
	/* No chunk for a non-NULL argv: it faulted, or was empty (or the entry
	 * event was lost); the address is the honest answer for all three. */
	n = call_cap_chunks(c, 1, v, CAP_ARGV_MAX + 1);
	argv_limit = decode_strsize < CAP_STR_MAX ? decode_strsize + 1 : CAP_STR_MAX;
	if (!a[1] || !n) {
		print_addr(sb, a[1]);
	} else {
		sb_putc(sb, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_puts(sb, ", ");
			if (v[i]->part == CHUNK_DATA)
				print_cstr(sb, v[i], argv_limit);
			else if (v[i]->part == CHUNK_STRV_MORE)
				sb_puts(sb, "...");
			else
				sb_puts(sb, "???"); /* an unreadable string */
		}
		sb_putc(sb, ']');
	}
	/* strace adds a count of the variables; we keep only the pointer */
	sb_puts(sb, ", ");
	print_addr(sb, a[2]);
}

static void exit_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d", (int)c->ev->args[0]);
}

/* struct rusage, abbreviated the way strace prints it without -v */
static void print_rusage(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr)
{
	struct rusage ru;
	size_t len = 0;
	const void *data = call_bytes(c, cap, &len);

	if (!data || len < offsetof(struct rusage, ru_maxrss)) {
		print_addr(sb, addr);
		return;
	}
	memcpy(&ru, data, offsetof(struct rusage, ru_maxrss));
	sb_printf(
	    sb, "{ru_utime={tv_sec=%lld, tv_usec=%lld}, ru_stime={tv_sec=%lld, tv_usec=%lld}, ...}",
	    (long long)ru.ru_utime.tv_sec, (long long)ru.ru_utime.tv_usec,
	    (long long)ru.ru_stime.tv_sec, (long long)ru.ru_stime.tv_usec);
}

static void wait4_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	size_t len = 0;
	const void *st = call_bytes(c, 0, &len);

	sb_printf(sb, "%d, ", (int)a[0]);
	/* result 0 (WNOHANG, nothing to report): the status was not written */
	if (st && len >= sizeof(int) && c->ev->ret != 0) {
		int status;

		memcpy(&status, st, sizeof(status));
		print_wait_status(sb, status);
	} else {
		print_addr(sb, a[1]);
	}
	sb_puts(sb, ", ");
	print_flags_ex(sb, wait_options, (unsigned)a[2], "W???");
	sb_puts(sb, ", ");
	if (c->ev->ret > 0)
		print_rusage(sb, c, 1, a[3]);
	else
		print_addr(sb, a[3]);
}

static void print_siginfo(struct strbuf *sb, const siginfo_t *si)
{
	const char *code;

	if (!si->si_signo) {
		sb_puts(sb, "{}"); /* WNOHANG and no child changed state */
		return;
	}
	sb_puts(sb, "{si_signo=");
	print_signal(sb, si->si_signo);
	sb_puts(sb, ", si_code=");
	code = si->si_signo == SIGCHLD ? xlat_name(cld_codes, si->si_code) : NULL;
	if (code)
		sb_puts(sb, code);
	else
		sb_printf(sb, "%d", si->si_code);
	if (si->si_signo != SIGCHLD) {
		sb_putc(sb, '}');
		return;
	}
	sb_printf(sb, ", si_pid=%d, si_uid=%u, si_status=", (int)si->si_pid, (unsigned)si->si_uid);
	if (si->si_code == CLD_EXITED)
		sb_printf(sb, "%d", si->si_status);
	else
		print_signal(sb, si->si_status);
	sb_printf(sb, ", si_utime=%llu, si_stime=%llu}", (unsigned long long)si->si_utime,
		  (unsigned long long)si->si_stime);
}

static void waitid_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	size_t len = 0;
	const void *data = call_bytes(c, 0, &len);

	print_xval(sb, waitid_types, (unsigned)a[0], "%#llx", "P_???");
	sb_printf(sb, ", %d, ", (int)a[1]);
	if (data && len >= sizeof(siginfo_t)) {
		siginfo_t si;

		memcpy(&si, data, sizeof(si));
		print_siginfo(sb, &si);
	} else {
		print_addr(sb, a[2]);
	}
	sb_puts(sb, ", ");
	print_flags_ex(sb, wait_options, (unsigned)a[3], "W???");
	sb_puts(sb, ", ");
	print_rusage(sb, c, 1, a[4]);
}

/* clang-format off */
static const struct syscall_def defs[] = {
#ifdef SYS_fork
	{ "fork", SYS_fork, FAM_PROCESS, { .spawn = SPAWN_FORK }, NULL, NULL },
#endif
#ifdef SYS_vfork
	{ "vfork", SYS_vfork, FAM_PROCESS, { .spawn = SPAWN_VFORK }, NULL, NULL },
#endif
	{ "clone", SYS_clone, FAM_PROCESS,
	  { .spawn = SPAWN_CLONE,
	    .caps = { { .kind = CAP_BYTES, .ptr_arg = CLONE_ARG_PTID, .flags = CAP_IF_OK,
			.unit = sizeof(int) } } },
	  clone_args_fmt, NULL },
	{ "clone3", SYS_clone3, FAM_PROCESS,
	  { .spawn = SPAWN_CLONE3,
	    .caps = { { .kind = CAP_BYTES, .ptr_arg = 0, .len_from = LEN_ARG, .len_arg = 1,
			.unit = 1, .max = sizeof(struct clone_args) } } },
	  clone3_args_fmt, NULL },
	/* at entry: a successful exec has replaced the memory by exit */
	{ "execve", SYS_execve, FAM_PROCESS,
	  { .caps = { { .kind = CAP_STR, .ptr_arg = 0, .flags = CAP_AT_ENTRY },
		      { .kind = CAP_STRV, .ptr_arg = 1, .flags = CAP_AT_ENTRY } } },
	  execve_args_fmt, NULL },
	{ "exit", SYS_exit, FAM_PROCESS, { .flags = SC_NORETURN }, exit_args_fmt, NULL },
	{ "exit_group", SYS_exit_group, FAM_PROCESS, { .flags = SC_NORETURN }, exit_args_fmt, NULL },
	{ "wait4", SYS_wait4, FAM_PROCESS,
	  { .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .flags = CAP_IF_OK, .unit = sizeof(int) },
		      /* ru_utime and ru_stime: all strace prints without -v */
		      { .kind = CAP_BYTES, .ptr_arg = 3, .flags = CAP_IF_OK,
			.unit = offsetof(struct rusage, ru_maxrss) } } },
	  wait4_args_fmt, NULL },
	{ "waitid", SYS_waitid, FAM_PROCESS,
	  { .caps = { { .kind = CAP_BYTES, .ptr_arg = 2, .flags = CAP_IF_OK,
			.unit = sizeof(siginfo_t) },
		      { .kind = CAP_BYTES, .ptr_arg = 4, .flags = CAP_IF_OK,
			.unit = offsetof(struct rusage, ru_maxrss) } } },
	  waitid_args_fmt, NULL },
};

const struct syscall_family sys_process = {
	"process", FAM_PROCESS, defs, sizeof(defs) / sizeof(defs[0]),
};
/* clang-format on */
