// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_decode.c - the shared printing primitives against the text strace 6.1
 * prints for the same values.
 */
#include "fake_event.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static const struct xlat colors[] = {{1, "RED"}, {2, "GREEN"}, {4, "BLUE"}, {6, "CYAN"}, XLAT_END};

static void test_xlat(void **state)
{
	(void)state;
	assert_string_equal(xlat_name(colors, 2), "GREEN");
	assert_null(xlat_name(colors, 3));

	sb_reset(&sb);
	print_xval(&sb, colors, 4, "%#llx", "COLOR_???");
	assert_string_equal(sb_str(&sb), "BLUE");
	sb_reset(&sb);
	print_xval(&sb, colors, 0x63, "%#llx", "COLOR_???");
	assert_string_equal(sb_str(&sb), "0x63 /* COLOR_??? */");
	sb_reset(&sb);
	print_xval(&sb, colors, 77, "%llu", NULL);
	assert_string_equal(sb_str(&sb), "77");
}

static void test_flags(void **state)
{
	(void)state;
	sb_reset(&sb);
	print_flags(&sb, colors, 1 | 4);
	assert_string_equal(sb_str(&sb), "RED|BLUE");
	/* each entry is a mask: CYAN (6) would need both bits, and they are taken */
	sb_reset(&sb);
	print_flags(&sb, colors, 1 | 2 | 4 | 0x100);
	assert_string_equal(sb_str(&sb), "RED|GREEN|BLUE|0x100");
	sb_reset(&sb);
	print_flags(&sb, colors, 0);
	assert_string_equal(sb_str(&sb), "0");
	sb_reset(&sb);
	print_flags(&sb, colors, 0x80000000);
	assert_string_equal(sb_str(&sb), "0x80000000");
	sb_reset(&sb);
	print_flags_ex(&sb, colors, 0x80000000, "COLOR_???");
	assert_string_equal(sb_str(&sb), "0x80000000 /* COLOR_??? */");
	sb_reset(&sb);
	print_flags_ex(&sb, colors, 0x10002, "COLOR_???");
	assert_string_equal(sb_str(&sb), "GREEN|0x10000");
	sb_reset(&sb);
	print_flags_ex(&sb, colors, 0, "COLOR_???");
	assert_string_equal(sb_str(&sb), "0");
}

static const char *ret_text(long long ret)
{
	sb_reset(&sb);
	print_ret(&sb, ret);
	return sb_str(&sb);
}

static void test_ret(void **state)
{
	(void)state;
	assert_string_equal(ret_text(0), "0");
	assert_string_equal(ret_text(4243), "4243");
	assert_string_equal(ret_text(-4096), "-4096"); /* not an error: below -4095 */
	assert_string_equal(ret_text(-EAGAIN), "-1 EAGAIN (Resource temporarily unavailable)");
	assert_string_equal(ret_text(-ENOENT), "-1 ENOENT (No such file or directory)");
	assert_string_equal(ret_text(-EBADF), "-1 EBADF (Bad file descriptor)");
	assert_string_equal(ret_text(-EOPNOTSUPP), "-1 EOPNOTSUPP (Operation not supported)");
	assert_string_equal(ret_text(-512), "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	assert_string_equal(ret_text(-513), "? ERESTARTNOINTR (To be restarted)");
	assert_string_equal(ret_text(-514), "? ERESTARTNOHAND (To be restarted if no handler)");
	assert_string_equal(ret_text(-516), "? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	assert_string_equal(ret_text(-515), "-1 ENOIOCTLCMD (Unknown error 515)");
	assert_string_equal(ret_text(-524), "-1 ENOTSUPP (Unknown error 524)");
	assert_string_equal(ret_text(-4000), "-1 4000 (Unknown error 4000)");

	assert_string_equal(errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(errno_name(EWOULDBLOCK), "EAGAIN");
	assert_string_equal(errno_name(512), "ERESTARTSYS");
	assert_null(errno_name(4000));
	assert_null(errno_name(0));
}

static void test_addr(void **state)
{
	(void)state;
	sb_reset(&sb);
	print_addr(&sb, 0);
	assert_string_equal(sb_str(&sb), "NULL");
	sb_reset(&sb);
	print_addr(&sb, 0x7ffd5a3c1e40ULL);
	assert_string_equal(sb_str(&sb), "0x7ffd5a3c1e40");
}

static const char *quoted(const void *data, size_t len, int more)
{
	sb_reset(&sb);
	print_quoted(&sb, data, len, more);
	return sb_str(&sb);
}

static void test_quoted(void **state)
{
	(void)state;
	assert_string_equal(quoted("hello\n", 6, 0), "\"hello\\n\"");
	assert_string_equal(quoted("", 0, 0), "\"\"");
	/* strace: write(1, "a\tb\"c\\d\0e\1f\0017\377\200z\r\v\f", 19) */
	assert_string_equal(quoted("a\tb\"c\\d\0e\001f\0017\377\200z\r\v\f", 19, 0),
			    "\"a\\tb\\\"c\\\\d\\0e\\1f\\0017\\377\\200z\\r\\v\\f\"");
	/* a following digit 0-7 forces three octal digits, 8 does not */
	assert_string_equal(quoted("\0"
				   "1\033"
				   "8\033"
				   "7",
				   6, 0),
			    "\"\\0001\\338\\0337\"");
	assert_string_equal(quoted("\x7f\x1f", 2, 0), "\"\\177\\37\"");
	assert_string_equal(quoted("0123456789012345678901234567890123456789", 32, 1),
			    "\"01234567890123456789012345678901\"...");
}

static const char *sockaddr_text(const void *sa, size_t len)
{
	sb_reset(&sb);
	print_sockaddr(&sb, sa, len);
	return sb_str(&sb);
}

static void test_sockaddr_inet(void **state)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(10001)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(80)};
	char want[256], ifname[IF_NAMESIZE];

	(void)state;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_string_equal(sockaddr_text(&in, sizeof(in)),
			    "{sa_family=AF_INET, sin_port=htons(10001), "
			    "sin_addr=inet_addr(\"127.0.0.1\")}");
	/* too short for a sockaddr_in: the raw bytes */
	assert_string_equal(sockaddr_text(&in, 8),
			    "{sa_family=AF_INET, sa_data=\"'\\21\\177\\0\\0\\1\"}");

	in6.sin6_addr = in6addr_loopback;
	assert_string_equal(sockaddr_text(&in6, sizeof(in6)),
			    "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), "
			    "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}");
	/* 24 bytes: no sin6_scope_id */
	assert_string_equal(sockaddr_text(&in6, 24),
			    "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), "
			    "inet_pton(AF_INET6, \"::1\", &sin6_addr)}");
	inet_pton(AF_INET6, "::ffff:1.2.3.4", &in6.sin6_addr);
	in6.sin6_flowinfo = htonl(5);
	in6.sin6_scope_id = 7;
	assert_string_equal(
	    sockaddr_text(&in6, sizeof(in6)),
	    "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(5), "
	    "inet_pton(AF_INET6, \"::ffff:1.2.3.4\", &sin6_addr), sin6_scope_id=7}");
	/* link-local: the scope names an interface when it is one here */
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	in6.sin6_scope_id = 1;
	if (if_indextoname(1, ifname))
		snprintf(want, sizeof(want), "sin6_scope_id=if_nametoindex(\"%s\")}", ifname);
	else
		snprintf(want, sizeof(want), "sin6_scope_id=1}");
	assert_non_null(strstr(sockaddr_text(&in6, sizeof(in6)), want));
}

static void test_sockaddr_unix(void **state)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	size_t base = offsetof(struct sockaddr_un, sun_path);

	(void)state;
	strcpy(un.sun_path, "/tmp/x");
	assert_string_equal(sockaddr_text(&un, base + 7),
			    "{sa_family=AF_UNIX, sun_path=\"/tmp/x\"}");
	assert_string_equal(sockaddr_text(&un, sizeof(un)),
			    "{sa_family=AF_UNIX, sun_path=\"/tmp/x\"}");
	/* a length that cuts the NUL off still ends the path */
	assert_string_equal(sockaddr_text(&un, base + 6),
			    "{sa_family=AF_UNIX, sun_path=\"/tmp/x\"}");
	assert_string_equal(sockaddr_text(&un, base + 3), "{sa_family=AF_UNIX, sun_path=\"/tm\"}");
	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path, "\0na\nme", 6);
	assert_string_equal(sockaddr_text(&un, base + 6),
			    "{sa_family=AF_UNIX, sun_path=@\"na\\nme\"}");
	assert_string_equal(sockaddr_text(&un, 2), "{sa_family=AF_UNIX}");
}

static void test_sockaddr_other(void **state)
{
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 5, .nl_groups = 3};
	struct sockaddr_storage ss = {.ss_family = 99};

	(void)state;
	assert_string_equal(sockaddr_text(&nl, sizeof(nl)),
			    "{sa_family=AF_NETLINK, nl_pid=5, nl_groups=0x000003}");
	memcpy(((struct sockaddr *)&ss)->sa_data, "ab\0\n", 4);
	assert_string_equal(
	    sockaddr_text(&ss, 16),
	    "{sa_family=0x63 /* AF_??? */, sa_data=\"ab\\0\\n\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\"}");
	assert_string_equal(sockaddr_text(&ss, 3), "{sa_family=0x63 /* AF_??? */, sa_data=\"a\"}");
	ss.ss_family = AF_APPLETALK;
	assert_string_equal(sockaddr_text(&ss, 4), "{sa_family=AF_APPLETALK, sa_data=\"ab\"}");
}

static void test_signals(void **state)
{
	(void)state;
	assert_string_equal(signal_name(SIGCHLD), "SIGCHLD");
	assert_string_equal(signal_name(SIGIO), "SIGIO");
	assert_string_equal(signal_name(SIGSYS), "SIGSYS");
	assert_string_equal(signal_name(32), "SIGRTMIN");
	assert_string_equal(signal_name(33), "SIGRT_1");
	assert_string_equal(signal_name(64), "SIGRT_32");
	assert_null(signal_name(0));
	assert_null(signal_name(65));
	sb_reset(&sb);
	print_signal(&sb, SIGKILL);
	sb_putc(&sb, ' ');
	print_signal(&sb, 138);
	sb_putc(&sb, ' ');
	print_signal(&sb, 0);
	assert_string_equal(sb_str(&sb), "SIGKILL 138 0");
}

static const char *status_text(int status)
{
	sb_reset(&sb);
	print_wait_status(&sb, status);
	return sb_str(&sb);
}

static const char *exit_text(int status)
{
	sb_reset(&sb);
	print_exit_status(&sb, status);
	return sb_str(&sb);
}

static void test_wait_status(void **state)
{
	(void)state;
	assert_string_equal(status_text(0), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
	assert_string_equal(status_text(3 << 8), "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
	assert_string_equal(status_text(SIGKILL), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
	assert_string_equal(status_text(SIGQUIT | 0x80),
			    "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGQUIT && WCOREDUMP(s)}]");
	assert_string_equal(status_text(SIGSTOP << 8 | 0x7f),
			    "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
	assert_string_equal(status_text((SIGTRAP | 0x80) << 8 | 0x7f),
			    "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}]");
	assert_string_equal(
	    status_text(1 << 16 | SIGTRAP << 8 | 0x7f),
	    "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_FORK << 16]");
	assert_string_equal(status_text(0xffff), "[{WIFCONTINUED(s)}]");
	assert_string_equal(status_text(0x1ff), "[0x1ff]");

	assert_string_equal(exit_text(0), "exited with 0");
	assert_string_equal(exit_text(7 << 8), "exited with 7");
	assert_string_equal(exit_text(SIGKILL), "killed by SIGKILL");
	assert_string_equal(exit_text(SIGSEGV | 0x80), "killed by SIGSEGV (core dumped)");
}

static void test_timespec(void **state)
{
	struct timespec ts = {1, 500000000};

	(void)state;
	sb_reset(&sb);
	print_timespec(&sb, &ts, sizeof(ts));
	assert_string_equal(sb_str(&sb), "{tv_sec=1, tv_nsec=500000000}");
}

/* An iovec array as the probe captures it: the array, then a chunk per buffer. */
static void test_iov(void **state)
{
	struct iovec iov[3] = {
	    {(void *)0x1000, 2},
	    {(void *)0x2000, 4},
	    {(void *)0x3000, 40},
	};
	const struct chunk *v[16];
	struct fake f;
	struct event *ev = fake_event(&f, 0, ARGS(0));
	struct call c = {.ev = ev};
	size_t n;

	(void)state;
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "de", 2);
	fake_fault(ev, 0); /* the second buffer could not be read */
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "0123456789012345678901234567890123456789", 32);
	fake_chunk(ev, 1, CHUNK_DATA, "other capture", 13);
	n = call_cap_chunks(&c, 0, v, 16);
	assert_int_equal(n, 4);

	sb_reset(&sb);
	print_iov(&sb, v, n, 0x500, 3, UINT64_MAX, 1);
	assert_string_equal(sb_str(&sb),
			    "[{iov_base=\"de\", iov_len=2}, {iov_base=0x2000, iov_len=4}, "
			    "{iov_base=\"01234567890123456789012345678901\"..., iov_len=40}]");
	/* a read of 7 bytes: 2 + 4 + 1, and no "..." on the last */
	sb_reset(&sb);
	print_iov(&sb, v, n, 0x500, 3, 7, 1);
	assert_string_equal(sb_str(&sb),
			    "[{iov_base=\"de\", iov_len=2}, {iov_base=0x2000, iov_len=4}, "
			    "{iov_base=\"0\", iov_len=40}]");
	/* a read of 2: the later buffers got nothing */
	sb_reset(&sb);
	print_iov(&sb, v, n, 0x500, 3, 2, 1);
	assert_string_equal(sb_str(&sb),
			    "[{iov_base=\"de\", iov_len=2}, {iov_base=0x2000, iov_len=4}, "
			    "{iov_base=\"\", iov_len=40}]");
	/* a failed read: addresses only */
	sb_reset(&sb);
	print_iov(&sb, v, n, 0x500, 3, 0, 0);
	assert_string_equal(sb_str(&sb),
			    "[{iov_base=0x1000, iov_len=2}, {iov_base=0x2000, iov_len=4}, "
			    "{iov_base=0x3000, iov_len=40}]");
	/* more iovecs than were kept */
	sb_reset(&sb);
	print_iov(&sb, v, 2, 0x500, 9, UINT64_MAX, 1);
	assert_string_equal(sb_str(&sb),
			    "[{iov_base=\"de\", iov_len=2}, {iov_base=0x2000, iov_len=4}, "
			    "{iov_base=0x3000, iov_len=40}, ...]");
	/* the array itself faulted, or was never captured */
	sb_reset(&sb);
	print_iov(&sb, v + 2, 1, 0x500, 3, UINT64_MAX, 1);
	assert_string_equal(sb_str(&sb), "0x500");
	sb_reset(&sb);
	print_iov(&sb, v, 0, 0, 3, UINT64_MAX, 1);
	assert_string_equal(sb_str(&sb), "NULL");
}

static void test_chunks(void **state)
{
	struct fake fx, fe;
	struct event *ev = fake_event(&fx, 0, ARGS(0));
	struct event *enter = fake_enter(&fe, ARGS(0));
	struct call c = {.ev = ev, .enter = enter};
	const struct chunk *v[4];
	size_t len;

	(void)state;
	fake_chunk(enter, 2, CHUNK_DATA, "entry", 5);
	fake_chunk(ev, 0, CHUNK_DATA, "exit", 4);
	assert_memory_equal(call_bytes(&c, 0, &len), "exit", 4);
	assert_int_equal(len, 4);
	/* captures made at entry are found in the entry event */
	assert_memory_equal(call_bytes(&c, 2, &len), "entry", 5);
	assert_int_equal(call_cap_chunks(&c, 2, v, 4), 1);
	assert_null(call_bytes(&c, 1, &len));
	assert_int_equal(len, 0);
	/* a fault is no data */
	fake_fault(ev, 1);
	assert_null(call_bytes(&c, 1, &len));

	sb_reset(&sb);
	print_buf(&sb, &c, 0, 0x10, 4);
	assert_string_equal(sb_str(&sb), "\"exit\"");
	sb_reset(&sb);
	print_buf(&sb, &c, 0, 0x10, 40);
	assert_string_equal(sb_str(&sb), "\"exit\"...");
	sb_reset(&sb);
	print_buf(&sb, &c, 0, 0x10, 2);
	assert_string_equal(sb_str(&sb), "\"ex\"");
	sb_reset(&sb);
	print_buf(&sb, &c, 1, 0x10, 4);
	assert_string_equal(sb_str(&sb), "0x10");
}

/* All five families fit the probe's slots, and each syscall is in one of them. */
static void test_registry(void **state)
{
	const struct syscall_family *fams[] = {&sys_process, &sys_futex, &sys_io, &sys_net,
					       &sys_poll, &sys_time};
	unsigned total = 0;

	(void)state;
	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		for (size_t i = 0; i < fams[f]->n; i++) {
			const struct syscall_def *d = &fams[f]->defs[i];

			assert_ptr_equal(syscall_by_nr(d->nr), d);
			assert_ptr_equal(syscall_by_name(d->name), d);
			total++;
		}
	}
	assert_int_equal(syscalls_count(), total);
	assert_true(total <= SC_SLOTS - 1);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlat),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_ret),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_sockaddr_inet),
		cmocka_unit_test(test_sockaddr_unix),
		cmocka_unit_test(test_sockaddr_other),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_wait_status),
		cmocka_unit_test(test_timespec),
		cmocka_unit_test(test_iov),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_registry),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
