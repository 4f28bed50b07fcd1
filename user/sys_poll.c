// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_poll.c - waiting for descriptors: select, pselect6, poll, ppoll, the
 * epoll calls, and the timerfd and eventfd calls event loops wait on.
 */
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>

#include "decode.h"
#include "syscalls.h"

/* poll events, from <poll.h> (include/uapi/asm-generic/poll.h) */
/* clang-format off */
static const struct xlat poll_events[] = {
	XLAT(POLLIN), XLAT(POLLPRI), XLAT(POLLOUT), XLAT(POLLERR), XLAT(POLLHUP),
	XLAT(POLLNVAL), XLAT(POLLRDNORM), XLAT(POLLRDBAND), XLAT(POLLWRNORM),
	XLAT(POLLWRBAND), XLAT(POLLMSG), XLAT(POLLREMOVE), XLAT(POLLRDHUP),
	XLAT_PAIR(0x8000, "POLL_BUSY_LOOP"),	/* kernel internal, shown by strace */
	XLAT_END
};
/* clang-format on */

/* epoll events and epoll_ctl operations, from <sys/epoll.h>
 * (include/uapi/linux/eventpoll.h) */
/* clang-format off */
static const struct xlat epoll_events[] = {
	XLAT(EPOLLIN), XLAT(EPOLLPRI), XLAT(EPOLLOUT), XLAT(EPOLLERR), XLAT(EPOLLHUP),
	XLAT_PAIR(0x20, "EPOLLNVAL"),	/* <linux/eventpoll.h> only */
	XLAT(EPOLLRDNORM), XLAT(EPOLLRDBAND), XLAT(EPOLLWRNORM),
	XLAT(EPOLLWRBAND), XLAT(EPOLLMSG), XLAT(EPOLLRDHUP), XLAT(EPOLLEXCLUSIVE),
	XLAT(EPOLLWAKEUP), XLAT(EPOLLONESHOT), XLAT(EPOLLET),
	XLAT_END
};
/* clang-format on */

/* clang-format off */
static const struct xlat epoll_ctl_ops[] = {
	XLAT(EPOLL_CTL_ADD), XLAT(EPOLL_CTL_DEL), XLAT(EPOLL_CTL_MOD),
	XLAT_END
};
/* clang-format on */

/* clang-format off */
static const struct xlat epoll_flags[] = {
	XLAT(EPOLL_CLOEXEC),
	XLAT_END
};
/* clang-format on */

/* timerfd_create and timerfd_settime flags (one table, as strace has it),
 * from <sys/timerfd.h> */
/* clang-format off */
static const struct xlat timerfd_flags[] = {
	XLAT(TFD_TIMER_ABSTIME), XLAT(TFD_TIMER_CANCEL_ON_SET), XLAT(TFD_CLOEXEC),
	XLAT(TFD_NONBLOCK),
	XLAT_END
};
/* clang-format on */

/* eventfd2 flags, from <sys/eventfd.h> */
/* clang-format off */
static const struct xlat eventfd_flags[] = {
	XLAT(EFD_SEMAPHORE), XLAT(EFD_CLOEXEC), XLAT(EFD_NONBLOCK),
	XLAT_END
};
/* clang-format on */

/* The kernel's sigset_t is 64 bits on x86-64 and arm64; ppoll, pselect6 and
 * epoll_pwait insist on that size. */
#define KERNEL_SIGSET_BYTES 8
/* Arrays (pollfd, epoll_event) kept per call. */
#define ARRAY_KEPT 64

/* strace prints no more than -s elements of an array */
static int array_cut(size_t i)
{
	return i >= decode_strsize;
}

/* A signal mask the strace way: [HUP USR1], or ~[KILL] when most are set. */
static void print_sigset(struct strbuf *sb, const void *data)
{
	uint64_t set;
	int first = 1;

	memcpy(&set, data, sizeof(set));
	if (__builtin_popcountll(set) >= 64 * 2 / 3) {
		sb_putc(sb, '~');
		set = ~set;
	}
	sb_putc(sb, '[');
	for (int i = 0; i < 64; i++) {
		const char *name;

		if (!(set & (1ULL << i)))
			continue;
		if (!first)
			sb_putc(sb, ' ');
		first = 0;
		name = signal_name(i + 1);
		if (name)
			sb_puts(sb, name + 3); /* without "SIG" */
		else
			sb_printf(sb, "%d", i + 1);
	}
	sb_putc(sb, ']');
}

/* A sigset_t pointer and its size argument: capture cap kept the set. */
static void print_sigmask(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr,
			  uint64_t size)
{
	size_t len;
	const void *set = call_bytes(c, cap, &len);

	if (size != KERNEL_SIGSET_BYTES || !set || len < KERNEL_SIGSET_BYTES)
		print_addr(sb, addr);
	else
		print_sigset(sb, set);
}

/* The pollfd array as given: [{fd=3, events=POLLIN}, ...] */
static void print_pollfds(struct strbuf *sb, const struct call *c, uint64_t addr, unsigned nfds)
{
	size_t len, have;
	const struct pollfd *fds = call_bytes(c, 0, &len);

	if (!addr || !fds) {
		print_addr(sb, addr);
		return;
	}
	have = len / sizeof(*fds);
	if (have > nfds)
		have = nfds;
	sb_putc(sb, '[');
	for (size_t i = 0; i < have; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (array_cut(i)) {
			sb_puts(sb, "...");
			break;
		}
		sb_printf(sb, "{fd=%d", fds[i].fd);
		if (fds[i].fd >= 0) {
			sb_puts(sb, ", events=");
			print_flags_ex(sb, poll_events, (unsigned short)fds[i].events, "POLL???");
		}
		sb_putc(sb, '}');
	}
	if (have < nfds && !array_cut(have))
		sb_puts(sb, have ? ", ..." : "...");
	sb_putc(sb, ']');
}

/* The count of ready descriptors poll and select return, as strace prints
 * it; true when there are some to list after it. */
static bool put_ready_count(struct strbuf *sb, long long ret)
{
	print_ret(sb, ret);
	if (ret == 0)
		sb_puts(sb, " (Timeout)");
	return ret > 0;
}

/* poll's and ppoll's result: the descriptors that are ready, and for ppoll
 * the time left (capture left_cap; -1: none). */
static void poll_ret_common(struct strbuf *sb, const struct call *c, int left_cap)
{
	long long ret = c->ev->ret;
	size_t len, have, shown = 0;
	const struct pollfd *fds = call_bytes(c, 0, &len);
	int open = 0;

	if (!put_ready_count(sb, ret))
		return;
	have = fds ? len / sizeof(*fds) : 0;
	if (have > (unsigned)c->ev->args[1])
		have = (unsigned)c->ev->args[1];
	for (size_t i = 0; i < have; i++) {
		if (!fds[i].revents)
			continue;
		sb_puts(sb, open ? ", " : " ([");
		open = 1;
		if (array_cut(shown)) {
			sb_puts(sb, "...");
			break;
		}
		sb_printf(sb, "{fd=%d, revents=", fds[i].fd);
		print_flags(sb, poll_events, (unsigned short)fds[i].revents);
		sb_putc(sb, '}');
		shown++;
	}
	if (open)
		sb_putc(sb, ']');
	if (left_cap >= 0 && c->ev->args[2]) {
		size_t tlen;
		const void *ts = call_bytes(c, left_cap, &tlen);

		if (ts && tlen >= sizeof(struct timespec)) {
			sb_puts(sb, open ? ", left " : " (left ");
			print_timespec(sb, ts, tlen);
			open = 1;
		}
	}
	if (open)
		sb_putc(sb, ')');
}

#ifdef SYS_poll
static void poll_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	print_pollfds(sb, c, a[0], a[1]);
	sb_printf(sb, ", %u, %d", (unsigned)a[1], (int)a[2]);
}

static void poll_ret_fmt(struct strbuf *sb, const struct call *c)
{
	poll_ret_common(sb, c, -1);
}
#endif

static void ppoll_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	print_pollfds(sb, c, a[0], a[1]);
	sb_printf(sb, ", %u, ", (unsigned)a[1]);
	print_timespec_arg(sb, c, 1, a[2]); /* as given, at entry */
	sb_puts(sb, ", ");
	print_sigmask(sb, c, 3, a[3], a[4]);
	sb_printf(sb, ", %llu", (unsigned long long)a[4]);
}

static void ppoll_ret_fmt(struct strbuf *sb, const struct call *c)
{
	poll_ret_common(sb, c, 2);
}

/* An fd_set as [3 4]: the descriptors below nfds that the capture kept. */
static void print_fd_set(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr,
			 int nfds)
{
	size_t len;
	const unsigned char *set = call_bytes(c, cap, &len);
	int first = 1;

	if (nfds <= 0 || !set) {
		print_addr(sb, addr);
		return;
	}
	sb_putc(sb, '[');
	for (int fd = 0; fd < nfds && (size_t)fd / 8 < len; fd++) {
		if (!(set[fd / 8] & (1 << (fd % 8))))
			continue;
		sb_printf(sb, first ? "%d" : " %d", fd);
		first = 0;
	}
	sb_putc(sb, ']');
}

/*
 * select and pselect6 keep four captures: readfds and writefds at entry
 * (caps 0, 1) and at exit (caps 2, 3).  exceptfds, the timeout and
 * pselect6's signal mask print as addresses, and the result has no "left".
 */
static void select_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	int nfds = a[0];

	sb_printf(sb, "%d, ", nfds);
	print_fd_set(sb, c, 0, a[1], nfds);
	sb_puts(sb, ", ");
	print_fd_set(sb, c, 1, a[2], nfds);
	sb_puts(sb, ", ");
	print_addr(sb, a[3]);
	sb_puts(sb, ", ");
	print_addr(sb, a[4]);
}

static void pselect6_args_fmt(struct strbuf *sb, const struct call *c)
{
	select_args_fmt(sb, c);
	sb_puts(sb, ", ");
	print_addr(sb, c->ev->args[5]);
}

static void select_ret_fmt(struct strbuf *sb, const struct call *c)
{
	static const char *const names[] = {"in", "out"};
	const __u64 *a = c->ev->args;
	long long ret = c->ev->ret, left = ret;
	int nfds = a[0], sep = 0;

	if (!put_ready_count(sb, ret))
		return;
	sb_puts(sb, " (");
	for (int s = 0; s < 2 && left > 0; s++) {
		size_t len;
		const unsigned char *set = call_bytes(c, 2 + s, &len);
		int first = 1;

		if (!a[1 + s] || !set)
			continue;
		for (int fd = 0; fd < nfds && (size_t)fd / 8 < len && left > 0; fd++) {
			if (!(set[fd / 8] & (1 << (fd % 8))))
				continue;
			if (first)
				sb_printf(sb, "%s%s [%d", sep ? ", " : "", names[s], fd);
			else
				sb_printf(sb, " %d", fd);
			first = 0;
			sep = 1;
			left--;
		}
		if (!first)
			sb_putc(sb, ']');
	}
	sb_putc(sb, ')');
}

static void print_epoll_event(struct strbuf *sb, const struct epoll_event *ev)
{
	sb_puts(sb, "{events=");
	print_flags_ex(sb, epoll_events, ev->events, "EPOLL???");
	sb_printf(sb, ", data={u32=%u, u64=%llu}}", ev->data.u32, (unsigned long long)ev->data.u64);
}

#ifdef SYS_epoll_create
static void epoll_create_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d", (int)c->ev->args[0]);
}
#endif

static void epoll_create1_args_fmt(struct strbuf *sb, const struct call *c)
{
	print_flags_ex(sb, epoll_flags, (unsigned)c->ev->args[0], "EPOLL_???");
}

static void epoll_ctl_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	unsigned op = a[1];
	size_t len;
	const void *ev = call_bytes(c, 0, &len);

	sb_printf(sb, "%d, ", (int)a[0]);
	print_xval(sb, epoll_ctl_ops, op, "%#llx", "EPOLL_CTL_???");
	sb_printf(sb, ", %d, ", (int)a[2]);
	if (op != EPOLL_CTL_DEL && ev && len >= sizeof(struct epoll_event)) {
		struct epoll_event e;

		memcpy(&e, ev, sizeof(e));
		print_epoll_event(sb, &e);
	} else {
		print_addr(sb, a[3]); /* strace shows DEL's event as a pointer */
	}
}

/* The events epoll_wait returned: ret of them, as the kernel filled them. */
static void print_epoll_events(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	size_t len, have;
	const unsigned char *evs = call_bytes(c, 0, &len);
	long long ret = c->ev->ret;

	if (ret < 0 || !evs) {
		print_addr(sb, a[1]);
		return;
	}
	have = len / sizeof(struct epoll_event);
	sb_putc(sb, '[');
	for (size_t i = 0; i < have && i < (unsigned long long)ret; i++) {
		struct epoll_event e;

		if (i)
			sb_puts(sb, ", ");
		if (array_cut(i)) {
			sb_puts(sb, "...");
			break;
		}
		memcpy(&e, evs + i * sizeof(e), sizeof(e));
		print_epoll_event(sb, &e);
	}
	if (have < (unsigned long long)ret && !array_cut(have))
		sb_puts(sb, have ? ", ..." : "...");
	sb_putc(sb, ']');
}

static void epoll_wait_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d, ", (int)c->ev->args[0]);
	print_epoll_events(sb, c);
	sb_printf(sb, ", %d, %d", (int)c->ev->args[2], (int)c->ev->args[3]);
}

static void epoll_pwait_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	epoll_wait_args_fmt(sb, c);
	sb_puts(sb, ", ");
	print_sigmask(sb, c, 1, a[4], a[5]);
	sb_printf(sb, ", %llu", (unsigned long long)a[5]);
}

#ifdef SYS_epoll_pwait2
static void epoll_pwait2_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_epoll_events(sb, c);
	sb_printf(sb, ", %d, ", (int)a[2]);
	print_timespec_arg(sb, c, 1, a[3]);
	sb_puts(sb, ", ");
	print_sigmask(sb, c, 2, a[4], a[5]);
	sb_printf(sb, ", %llu", (unsigned long long)a[5]);
}
#endif

static void timerfd_create_args_fmt(struct strbuf *sb, const struct call *c)
{
	print_xval(sb, clock_names, (unsigned)c->ev->args[0], "%#llx", "CLOCK_???");
	sb_puts(sb, ", ");
	print_flags_ex(sb, timerfd_flags, (unsigned)c->ev->args[1], "TFD_???");
}

static void print_itimerspec(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr)
{
	size_t len;
	const struct itimerspec *its = call_bytes(c, cap, &len);

	if (!its || len < sizeof(*its)) {
		print_addr(sb, addr);
		return;
	}
	sb_puts(sb, "{it_interval=");
	print_timespec(sb, &its->it_interval, sizeof(its->it_interval));
	sb_puts(sb, ", it_value=");
	print_timespec(sb, &its->it_value, sizeof(its->it_value));
	sb_putc(sb, '}');
}

static void timerfd_settime_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_flags_ex(sb, timerfd_flags, (unsigned)a[1], "TFD_???");
	sb_puts(sb, ", ");
	print_itimerspec(sb, c, 0, a[2]);
	sb_puts(sb, ", ");
	print_itimerspec(sb, c, 1, a[3]);
}

static void eventfd2_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%u, ", (unsigned)c->ev->args[0]);
	print_flags_ex(sb, eventfd_flags, (unsigned)c->ev->args[1], "EFD_???");
}

/* clang-format off */
/* an fd_set, no more of it than nfds bytes (nfds bits would do, but the
 * probe cannot divide), and never past FD_SETSIZE */
#define FD_SET_CAP(arg, fl) \
	{ .kind = CAP_BYTES, .ptr_arg = (arg), .len_from = LEN_ARG, .len_arg = 0, \
	  .flags = (fl), .unit = 1, .max = sizeof(fd_set) }
#define SELECT_CAPS { FD_SET_CAP(1, CAP_AT_ENTRY), FD_SET_CAP(2, CAP_AT_ENTRY), \
		      FD_SET_CAP(1, CAP_IF_OK), FD_SET_CAP(2, CAP_IF_OK) }
/* the pollfd array: read at exit, it holds both events and revents */
#define POLLFD_CAP \
	{ .kind = CAP_BYTES, .ptr_arg = 0, .len_from = LEN_ARG, .len_arg = 1, \
	  .unit = sizeof(struct pollfd), .max = ARRAY_KEPT * sizeof(struct pollfd) }
#define EPOLL_EVENTS_CAP \
	{ .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_RET, .flags = CAP_IF_OK, \
	  .unit = sizeof(struct epoll_event), .max = ARRAY_KEPT * sizeof(struct epoll_event) }
#define SIGSET_CAP(arg) \
	{ .kind = CAP_BYTES, .ptr_arg = (arg), .unit = KERNEL_SIGSET_BYTES }
#define TIMESPEC_CAP(arg, fl) \
	{ .kind = CAP_BYTES, .ptr_arg = (arg), .flags = (fl), .unit = sizeof(struct timespec) }

static const struct syscall_def defs[] = {
#ifdef SYS_select
	{ "select", SYS_select, FAM_POLL, { .wait = OFF_IO, .caps = SELECT_CAPS },
	  select_args_fmt, select_ret_fmt },
#endif
	{ "pselect6", SYS_pselect6, FAM_POLL, { .wait = OFF_IO, .caps = SELECT_CAPS },
	  pselect6_args_fmt, select_ret_fmt },
#ifdef SYS_poll
	{ "poll", SYS_poll, FAM_POLL, { .wait = OFF_IO, .caps = { POLLFD_CAP } }, poll_args_fmt, poll_ret_fmt },
#endif
	/* the timeout twice: as given, and what the kernel left in it */
	{ "ppoll", SYS_ppoll, FAM_POLL,
	  { .wait = OFF_IO, .caps = { POLLFD_CAP, TIMESPEC_CAP(2, CAP_AT_ENTRY), TIMESPEC_CAP(2, CAP_IF_OK),
		      SIGSET_CAP(3) } },
	  ppoll_args_fmt, ppoll_ret_fmt },
#ifdef SYS_epoll_create
	{ "epoll_create", SYS_epoll_create, FAM_POLL, { 0 }, epoll_create_args_fmt, NULL },
#endif
	{ "epoll_create1", SYS_epoll_create1, FAM_POLL, { 0 }, epoll_create1_args_fmt, NULL },
	{ "epoll_ctl", SYS_epoll_ctl, FAM_POLL,
	  { .caps = { { .kind = CAP_BYTES, .ptr_arg = 3, .unit = sizeof(struct epoll_event) } } },
	  epoll_ctl_args_fmt, NULL },
#ifdef SYS_epoll_wait
	{ "epoll_wait", SYS_epoll_wait, FAM_POLL, { .wait = OFF_IO, .caps = { EPOLL_EVENTS_CAP } },
	  epoll_wait_args_fmt, NULL },
#endif
	{ "epoll_pwait", SYS_epoll_pwait, FAM_POLL,
	  { .wait = OFF_IO, .caps = { EPOLL_EVENTS_CAP, SIGSET_CAP(4) } },
	  epoll_pwait_args_fmt, NULL },
#ifdef SYS_epoll_pwait2
	{ "epoll_pwait2", SYS_epoll_pwait2, FAM_POLL,
	  { .wait = OFF_IO, .caps = { EPOLL_EVENTS_CAP, TIMESPEC_CAP(3, 0), SIGSET_CAP(4) } },
	  epoll_pwait2_args_fmt, NULL },
#endif
	{ "timerfd_create", SYS_timerfd_create, FAM_POLL, { 0 }, timerfd_create_args_fmt, NULL },
	{ "timerfd_settime", SYS_timerfd_settime, FAM_POLL,
	  { .caps = { { .kind = CAP_BYTES, .ptr_arg = 2, .unit = sizeof(struct itimerspec) },
		      { .kind = CAP_BYTES, .ptr_arg = 3, .flags = CAP_IF_OK,
			.unit = sizeof(struct itimerspec) } } },
	  timerfd_settime_args_fmt, NULL },
	{ "eventfd2", SYS_eventfd2, FAM_POLL, { 0 }, eventfd2_args_fmt, NULL },
};

const struct syscall_family sys_poll = {
	"poll", FAM_POLL, defs, sizeof(defs) / sizeof(defs[0]),
};
/* clang-format on */
