// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * decode.c - the printing primitives every family's decoder shares.  The
 * output copies strace's conventions (strace 6.1, Debian 12) byte for byte,
 * so a line of ours can be diffed against a line of strace.
 */
#include "decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "syscalls.h"

const char *xlat_name(const struct xlat *x, uint64_t val)
{
	for (; x && x->name; x++)
		if (x->val == val)
			return x->name;
	return NULL;
}

void print_xval(struct strbuf *sb, const struct xlat *x, uint64_t val, const char *dflt,
		const char *dflt_comment)
{
	const char *name = xlat_name(x, val);

	if (name) {
		sb_puts(sb, name);
		return;
	}
	sb_printf(sb, dflt, (unsigned long long)val);
	if (dflt_comment)
		sb_printf(sb, " /* %s */", dflt_comment);
}

void print_flags_ex(struct strbuf *sb, const struct xlat *x, uint64_t val, const char *dflt_comment)
{
	unsigned named = 0;

	for (; x && x->name && val; x++) {
		if (!x->val || (val & x->val) != x->val)
			continue;
		if (named++)
			sb_putc(sb, '|');
		sb_puts(sb, x->name);
		val &= ~x->val;
	}
	if (named && val)
		sb_printf(sb, "|%#llx", (unsigned long long)val);
	else if (!named) {
		sb_printf(sb, "%#llx", (unsigned long long)val);
		if (val && dflt_comment)
			sb_printf(sb, " /* %s */", dflt_comment);
	}
}

void print_flags(struct strbuf *sb, const struct xlat *x, uint64_t val)
{
	print_flags_ex(sb, x, val, NULL);
}

/*
 * Codes the kernel uses inside itself (include/linux/errno.h) that a tracer
 * still sees at syscall exit; glibc knows none of them.  The four restart
 * codes mean the call was interrupted and will be restarted or fail with
 * EINTR, so strace prints them with "?" instead of -1, and with its own text.
 */
/* clang-format off */
static const struct {
	int err;
	const char *name;
	const char *text;	/* NULL: "Unknown error N", as strerror says */
	int restart;
} kernel_errnos[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set", 1 },
	{ 513, "ERESTARTNOINTR", "To be restarted", 1 },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler", 1 },
	{ 515, "ENOIOCTLCMD", NULL, 0 },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal", 1 },
	{ 517, "EPROBE_DEFER", NULL, 0 },
	{ 518, "EOPENSTALE", NULL, 0 },
	{ 519, "ENOPARAM", NULL, 0 },
	{ 521, "EBADHANDLE", NULL, 0 },
	{ 522, "ENOTSYNC", NULL, 0 },
	{ 523, "EBADCOOKIE", NULL, 0 },
	{ 524, "ENOTSUPP", NULL, 0 },
	{ 525, "ETOOSMALL", NULL, 0 },
	{ 526, "ESERVERFAULT", NULL, 0 },
	{ 527, "EBADTYPE", NULL, 0 },
	{ 528, "EJUKEBOX", NULL, 0 },
	{ 529, "EIOCBQUEUED", NULL, 0 },
	{ 530, "ERECALLCONFLICT", NULL, 0 },
	{ 531, "ENOGRACE", NULL, 0 },
};
/* clang-format on */
#define N_KERNEL_ERRNOS (sizeof(kernel_errnos) / sizeof(kernel_errnos[0]))

const char *errno_name(int err)
{
	for (size_t i = 0; i < N_KERNEL_ERRNOS; i++)
		if (kernel_errnos[i].err == err)
			return kernel_errnos[i].name;
	return err > 0 ? strerrorname_np(err) : NULL;
}

void print_ret(struct strbuf *sb, long long ret)
{
	const char *name, *text = NULL;
	int err;

	if (ret >= 0 || ret < -4095) {
		sb_put_i64(sb, ret);
		return;
	}
	err = -ret;
	for (size_t i = 0; i < N_KERNEL_ERRNOS; i++) {
		if (kernel_errnos[i].err != err)
			continue;
		if (kernel_errnos[i].restart) {
			sb_printf(sb, "? %s (%s)", kernel_errnos[i].name, kernel_errnos[i].text);
			return;
		}
		break;
	}
	name = errno_name(err);
	/* strerrordesc_np: strerror's English text, whatever the locale */
	if (err < 512)
		text = strerrordesc_np(err);
	if (name)
		sb_printf(sb, "-1 %s (", name);
	else
		sb_printf(sb, "-1 %d (", err);
	if (text)
		sb_printf(sb, "%s)", text);
	else
		sb_printf(sb, "Unknown error %d)", err);
}

void print_addr(struct strbuf *sb, uint64_t addr)
{
	if (addr)
		sb_printf(sb, "%#llx", (unsigned long long)addr);
	else
		sb_puts(sb, "NULL");
}

/* strace's string_quote() without -x: C escapes for the usual controls,
 * octal for every other byte outside 0x20..0x7e, three digits when a digit
 * follows so that the escape cannot swallow it. */
static void put_quoted(struct strbuf *sb, const unsigned char *s, size_t len)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = s[i];

		switch (ch) {
		case '"':
		case '\\':
			sb_putc(sb, '\\');
			sb_putc(sb, ch);
			break;
		case '\f':
			sb_puts(sb, "\\f");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		case '\v':
			sb_puts(sb, "\\v");
			break;
		default:
			if (ch >= ' ' && ch < 0x7f) {
				sb_putc(sb, ch);
			} else if (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7') {
				sb_printf(sb, "\\%03o", ch);
			} else {
				sb_printf(sb, "\\%o", ch);
			}
		}
	}
	sb_putc(sb, '"');
}

void print_quoted(struct strbuf *sb, const void *data, size_t len, int more_follows)
{
	put_quoted(sb, data, len);
	if (more_follows)
		sb_puts(sb, "...");
}

/* Clock ids, from <time.h> (include/uapi/linux/time.h) */
/* clang-format off */
const struct xlat clock_names[] = {
	XLAT(CLOCK_REALTIME), XLAT(CLOCK_MONOTONIC), XLAT(CLOCK_PROCESS_CPUTIME_ID),
	XLAT(CLOCK_THREAD_CPUTIME_ID), XLAT(CLOCK_MONOTONIC_RAW), XLAT(CLOCK_REALTIME_COARSE),
	XLAT(CLOCK_MONOTONIC_COARSE), XLAT(CLOCK_BOOTTIME), XLAT(CLOCK_REALTIME_ALARM),
	XLAT(CLOCK_BOOTTIME_ALARM),
	XLAT_PAIR(10, "CLOCK_SGI_CYCLE"),	/* retired; only <linux/time.h> names it */
	XLAT(CLOCK_TAI),
	XLAT_END
};
/* clang-format on */

/* Address families, from <sys/socket.h> (include/linux/socket.h), in
 * strace's names: AF_UNIX, not AF_LOCAL. */
/* clang-format off */
const struct xlat addr_families[] = {
	XLAT(AF_UNSPEC), XLAT(AF_UNIX), XLAT(AF_INET), XLAT(AF_AX25),
	XLAT(AF_IPX), XLAT(AF_APPLETALK), XLAT(AF_NETROM), XLAT(AF_BRIDGE),
	XLAT(AF_ATMPVC), XLAT(AF_X25), XLAT(AF_INET6), XLAT(AF_ROSE),
	XLAT(AF_DECnet), XLAT(AF_NETBEUI), XLAT(AF_SECURITY), XLAT(AF_KEY),
	XLAT(AF_NETLINK), XLAT(AF_PACKET), XLAT(AF_ASH), XLAT(AF_ECONET),
	XLAT(AF_ATMSVC), XLAT(AF_RDS), XLAT(AF_SNA), XLAT(AF_IRDA),
	XLAT(AF_PPPOX), XLAT(AF_WANPIPE), XLAT(AF_LLC), XLAT(AF_IB),
	XLAT(AF_MPLS), XLAT(AF_CAN), XLAT(AF_TIPC), XLAT(AF_BLUETOOTH),
	XLAT(AF_IUCV), XLAT(AF_RXRPC), XLAT(AF_ISDN), XLAT(AF_PHONET),
	XLAT(AF_IEEE802154), XLAT(AF_CAIF), XLAT(AF_ALG), XLAT(AF_NFC),
	XLAT(AF_VSOCK), XLAT(AF_KCM), XLAT(AF_QIPCRTR), XLAT(AF_SMC),
	XLAT(AF_XDP), XLAT(AF_MCTP),
	XLAT_END
};
/* clang-format on */

static void print_sockaddr_un(struct strbuf *sb, const struct sockaddr_un *un, size_t len)
{
	size_t path_len = (len > sizeof(*un) ? sizeof(*un) : len) - sizeof(un->sun_family);

	sb_puts(sb, "sun_path=");
	if (un->sun_path[0]) {
		/* up to the first NUL; the caller's zero padding ends it */
		put_quoted(sb, (const unsigned char *)un->sun_path,
			   strnlen(un->sun_path, path_len));
	} else {
		/* abstract: every byte counts, NULs included */
		sb_putc(sb, '@');
		put_quoted(sb, (const unsigned char *)un->sun_path + 1, path_len - 1);
	}
}

static void print_sockaddr_in6(struct strbuf *sb, const struct sockaddr_in6 *in6, size_t len)
{
	char addr[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE];

	inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
	sb_printf(sb,
		  "sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
		  "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
		  ntohs(in6->sin6_port), ntohl(in6->sin6_flowinfo), addr);
	if (len <= offsetof(struct sockaddr_in6, sin6_scope_id))
		return;
	/* strace names the interface of a link-local scope, as seen from here */
	if ((IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&in6->sin6_addr)) &&
	    if_indextoname(in6->sin6_scope_id, ifname))
		sb_printf(sb, ", sin6_scope_id=if_nametoindex(\"%s\")", ifname);
	else
		sb_printf(sb, ", sin6_scope_id=%u", in6->sin6_scope_id);
}

void print_sockaddr(struct strbuf *sb, const void *sa, size_t len)
{
	/* zero padding past len, as strace reads it: ends an unterminated sun_path */
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_nl nl;
		struct sockaddr_storage storage;
		char bytes[sizeof(struct sockaddr_storage) + 1];
	} u;

	memset(&u, 0, sizeof(u));
	if (len > sizeof(u.storage))
		len = sizeof(u.storage);
	memcpy(u.bytes, sa, len);
	sb_puts(sb, "{sa_family=");
	if (len < sizeof(u.sa.sa_family)) {
		sb_puts(sb, "?}");
		return;
	}
	print_xval(sb, addr_families, u.sa.sa_family, "%#llx", "AF_???");
	if (len <= sizeof(u.sa.sa_family)) {
		sb_putc(sb, '}');
		return;
	}
	sb_puts(sb, ", ");
	if (u.sa.sa_family == AF_UNIX) {
		print_sockaddr_un(sb, &u.un, len);
	} else if (u.sa.sa_family == AF_INET && len >= sizeof(u.in)) {
		char addr[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &u.in.sin_addr, addr, sizeof(addr));
		sb_printf(sb, "sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
			  ntohs(u.in.sin_port), addr);
	} else if (u.sa.sa_family == AF_INET6 &&
		   len >= offsetof(struct sockaddr_in6, sin6_scope_id)) {
		print_sockaddr_in6(sb, &u.in6, len);
	} else if (u.sa.sa_family == AF_NETLINK && len >= sizeof(u.nl)) {
		if (u.nl.nl_pad)
			sb_printf(sb, "nl_pad=%#x, ", u.nl.nl_pad);
		sb_printf(sb, "nl_pid=%d, nl_groups=%#08x", (int)u.nl.nl_pid, u.nl.nl_groups);
	} else {
		sb_puts(sb, "sa_data=");
		put_quoted(sb, (const unsigned char *)u.bytes + sizeof(u.sa.sa_family),
			   len - sizeof(u.sa.sa_family));
	}
	sb_putc(sb, '}');
}

/* Signals 1..31 from <signal.h>, named the way strace and kill -l name them.
 * (glibc's sigabbrev_np() would do but for calling 29 "POLL", not "IO".) */
/* clang-format off */
static const struct xlat signals[] = {
	XLAT(SIGHUP), XLAT(SIGINT), XLAT(SIGQUIT), XLAT(SIGILL),
	XLAT(SIGTRAP), XLAT(SIGABRT), XLAT(SIGBUS), XLAT(SIGFPE),
	XLAT(SIGKILL), XLAT(SIGUSR1), XLAT(SIGSEGV), XLAT(SIGUSR2),
	XLAT(SIGPIPE), XLAT(SIGALRM), XLAT(SIGTERM), XLAT(SIGSTKFLT),
	XLAT(SIGCHLD), XLAT(SIGCONT), XLAT(SIGSTOP), XLAT(SIGTSTP),
	XLAT(SIGTTIN), XLAT(SIGTTOU), XLAT(SIGURG), XLAT(SIGXCPU),
	XLAT(SIGXFSZ), XLAT(SIGVTALRM), XLAT(SIGPROF), XLAT(SIGWINCH),
	XLAT(SIGIO), XLAT(SIGPWR), XLAT(SIGSYS),
	XLAT_END
};
/* clang-format on */

/* The kernel's real-time signals 32..64 (glibc keeps 32 and 33 for itself
 * and moves its SIGRTMIN up, so strace counts from the kernel's 32). */
#define KERNEL_SIGRTMIN 32
/* clang-format off */
static const char *const rt_signals[] = {
	"SIGRTMIN", "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5", "SIGRT_6",
	"SIGRT_7", "SIGRT_8", "SIGRT_9", "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13",
	"SIGRT_14", "SIGRT_15", "SIGRT_16", "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20",
	"SIGRT_21", "SIGRT_22", "SIGRT_23", "SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27",
	"SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31", "SIGRT_32",
};
/* clang-format on */

const char *signal_name(int sig)
{
	if (sig >= KERNEL_SIGRTMIN &&
	    sig < KERNEL_SIGRTMIN + (int)(sizeof(rt_signals) / sizeof(rt_signals[0])))
		return rt_signals[sig - KERNEL_SIGRTMIN];
	return sig > 0 ? xlat_name(signals, sig) : NULL;
}

void print_signal(struct strbuf *sb, int sig)
{
	const char *name = signal_name(sig);

	if (name)
		sb_puts(sb, name);
	else
		sb_printf(sb, "%d", sig);
}

/* ptrace event codes a stopped tracee's status carries, from <sys/ptrace.h> */
/* clang-format off */
static const struct xlat ptrace_events[] = {
	XLAT(PTRACE_EVENT_FORK), XLAT(PTRACE_EVENT_VFORK), XLAT(PTRACE_EVENT_CLONE),
	XLAT(PTRACE_EVENT_EXEC), XLAT(PTRACE_EVENT_VFORK_DONE), XLAT(PTRACE_EVENT_EXIT),
	XLAT(PTRACE_EVENT_SECCOMP), XLAT(PTRACE_EVENT_STOP),
	XLAT_END
};
/* clang-format on */

void print_wait_status(struct strbuf *sb, int status)
{
	unsigned rest;

	if (!WIFSTOPPED(status) && !WIFSIGNALED(status) && !WIFEXITED(status) &&
	    !WIFCONTINUED(status)) {
		sb_printf(sb, "[%#x]", (unsigned)status); /* strace: the bare number */
		return;
	}
	sb_puts(sb, "[{");
	if (WIFSTOPPED(status)) {
		int sig = WSTOPSIG(status);

		sb_puts(sb, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
		print_signal(sb, sig & 0x7f);
		if (sig & 0x80)
			sb_puts(sb, " | 0x80");
		rest = status & ~0xffff;
	} else if (WIFSIGNALED(status)) {
		sb_puts(sb, "WIFSIGNALED(s) && WTERMSIG(s) == ");
		print_signal(sb, WTERMSIG(status));
		if (WCOREDUMP(status))
			sb_puts(sb, " && WCOREDUMP(s)");
		rest = status & ~0xff;
	} else if (WIFEXITED(status)) {
		sb_printf(sb, "WIFEXITED(s) && WEXITSTATUS(s) == %d", WEXITSTATUS(status));
		rest = status & ~0xff00;
	} else {
		sb_puts(sb, "WIFCONTINUED(s)");
		rest = status & ~0xffff;
	}
	sb_putc(sb, '}');
	if (rest >> 16) {
		sb_puts(sb, " | ");
		print_xval(sb, ptrace_events, rest >> 16, "%#llx", "PTRACE_EVENT_???");
		sb_puts(sb, " << 16");
		rest &= 0xffff;
	}
	if (rest)
		sb_printf(sb, " | %#x", rest);
	sb_putc(sb, ']');
}

void print_exit_status(struct strbuf *sb, int status)
{
	if (WIFSIGNALED(status)) {
		sb_puts(sb, "killed by ");
		print_signal(sb, WTERMSIG(status));
		if (WCOREDUMP(status))
			sb_puts(sb, " (core dumped)");
	} else if (WIFEXITED(status)) {
		sb_printf(sb, "exited with %d", WEXITSTATUS(status));
	} else {
		sb_printf(sb, "exited with status %#x", (unsigned)status);
	}
}

void print_timespec(struct strbuf *sb, const void *ts, size_t len)
{
	struct timespec t;

	if (len < sizeof(t)) {
		sb_puts(sb, "{...}");
		return;
	}
	memcpy(&t, ts, sizeof(t));
	sb_printf(sb, "{tv_sec=%lld, tv_nsec=%lld}", (long long)t.tv_sec, (long long)t.tv_nsec);
}

const void *call_bytes(const struct call *c, unsigned cap, size_t *len)
{
	const struct chunk *ch = call_chunk(c, cap, CHUNK_DATA, 0);

	*len = ch ? ch->len : 0;
	return ch ? chunk_data(ch) : NULL;
}

void print_buf(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr, uint64_t want)
{
	size_t len;
	const void *data = call_bytes(c, cap, &len);

	if (!data) {
		print_addr(sb, addr);
		return;
	}
	if (len > want)
		len = want;
	print_quoted(sb, data, len, len < want);
}

size_t call_cap_chunks(const struct call *c, unsigned cap, const struct chunk **v, size_t max)
{
	const struct event *evs[2] = {c->ev, c->enter};

	for (int e = 0; e < 2; e++) {
		const uint8_t *p, *end;
		size_t n = 0;

		if (!evs[e])
			continue;
		p = (const uint8_t *)(evs[e] + 1);
		end = p + evs[e]->data_len;
		while (p + sizeof(struct chunk) <= end) {
			const struct chunk *ch = (const void *)p;

			if (p + sizeof(*ch) + ch->len > end)
				break; /* torn record */
			if (ch->cap == cap && n < max)
				v[n++] = ch;
			p += (sizeof(*ch) + ch->len + 7) & ~(size_t)7;
		}
		if (n)
			return n;
	}
	return 0;
}

void print_iov(struct strbuf *sb, const struct chunk *const *v, size_t n, uint64_t addr,
	       uint64_t cnt, uint64_t data_size, int data)
{
	const struct iovec *iov;
	size_t have;

	if (!n || v[0]->part != CHUNK_IOV) {
		print_addr(sb, addr);
		return;
	}
	iov = chunk_data(v[0]);
	have = v[0]->len / sizeof(*iov);
	if (have > cnt)
		have = cnt;
	sb_putc(sb, '[');
	for (size_t i = 0; i < have; i++) {
		uint64_t len = iov[i].iov_len < data_size ? iov[i].iov_len : data_size;
		const struct chunk *ch = i + 1 < n ? v[i + 1] : NULL;

		if (i)
			sb_puts(sb, ", ");
		sb_puts(sb, "{iov_base=");
		if (data && ch && ch->part == CHUNK_IOV_DATA) {
			size_t got = ch->len < len ? ch->len : len;

			print_quoted(sb, chunk_data(ch), got, got < len);
		} else {
			print_addr(sb, (uintptr_t)iov[i].iov_base);
		}
		sb_printf(sb, ", iov_len=%llu}", (unsigned long long)iov[i].iov_len);
		data_size -= len;
	}
	if (have < cnt)
		sb_puts(sb, have ? ", ..." : "...");
	sb_putc(sb, ']');
}

void print_timespec_arg(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr)
{
	size_t len;
	const void *ts = call_bytes(c, cap, &len);

	if (ts && len >= sizeof(struct timespec))
		print_timespec(sb, ts, len);
	else
		print_addr(sb, addr);
}
