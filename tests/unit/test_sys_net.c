// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_sys_net.c - socket calls: constants per family, socket addresses in
 * and out ("[128 => 16]"), socket reads and writes, msghdr; the expected
 * strings as strace 6.1 printed them.
 */
#include "fake_event.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static const char *fmt(const char *name, const struct event *ev, const struct event *enter)
{
	return fake_format(&sb, &sys_net, name, ev, enter);
}

static const char *simple(const char *name, long long ret, const __u64 args[6])
{
	struct fake f;

	return fmt(name, fake_event(&f, ret, args), NULL);
}

static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(port)};

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return in;
}

#define LOOPBACK_10001                                                                             \
	"{sa_family=AF_INET, sin_port=htons(10001), sin_addr=inet_addr(\"127.0.0.1\")}"

static void test_table(void **state)
{
	(void)state;
	fake_check_family(&sys_net, FAM_NETWORK, FAM_NETWORK);
	assert_int_equal(fake_def(&sys_net, "sendto")->families, FAM_NETWORK | FAM_WRITE);
	assert_int_equal(fake_def(&sys_net, "sendmsg")->families, FAM_NETWORK | FAM_WRITE);
	assert_int_equal(fake_def(&sys_net, "recvfrom")->families, FAM_NETWORK | FAM_READ);
	assert_int_equal(fake_def(&sys_net, "recvmsg")->families, FAM_NETWORK | FAM_READ);
	assert_int_equal(fake_def(&sys_net, "close")->nr, SYS_close);
}

static void test_socket(void **state)
{
	(void)state;
	assert_string_equal(simple("socket", 3, ARGS(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)),
			    "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
	assert_string_equal(
	    simple("socket", 4, ARGS(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP)),
	    "socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_UDP) = 4");
	assert_string_equal(simple("socket", 5, ARGS(AF_UNIX, SOCK_SEQPACKET, 0)),
			    "socket(AF_UNIX, SOCK_SEQPACKET, 0) = 5");
	assert_string_equal(simple("socket", 6, ARGS(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)),
			    "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 6");
	assert_string_equal(simple("socket", 7, ARGS(AF_INET, SOCK_RAW, IPPROTO_ICMP)),
			    "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = 7");
	assert_string_equal(simple("socket", 8, ARGS(AF_PACKET, SOCK_RAW, 768)),
			    "socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = 8");
	assert_string_equal(simple("socket", -EINVAL, ARGS(99, 12 | 0x100, 77)),
			    "socket(0x63 /* AF_??? */, 0x10c /* SOCK_??? */, 77) = "
			    "-1 EINVAL (Invalid argument)");
	assert_string_equal(simple("socket", -EPROTONOSUPPORT, ARGS(AF_INET, SOCK_STREAM, 77)),
			    "socket(AF_INET, SOCK_STREAM, 0x4d /* IPPROTO_??? */) = "
			    "-1 EPROTONOSUPPORT (Protocol not supported)");
}

static void test_socketpair(void **state)
{
	int sv[2] = {9, 11};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 0, ARGS(AF_UNIX, SOCK_STREAM, 0, 0x7ffd960721d0));
	fake_data(ev, 0, sv);
	assert_string_equal(fmt("socketpair", ev, NULL),
			    "socketpair(AF_UNIX, SOCK_STREAM, 0, [9, 11]) = 0");
	ev = fake_event(&f, -EOPNOTSUPP, ARGS(AF_INET, SOCK_STREAM, 0, 0x7ffd960721d0));
	assert_string_equal(fmt("socketpair", ev, NULL),
			    "socketpair(AF_INET, SOCK_STREAM, 0, 0x7ffd960721d0) = "
			    "-1 EOPNOTSUPP (Operation not supported)");
}

static void test_connect(void **state)
{
	struct sockaddr_in in = loopback(10001);
	struct sockaddr_in6 in6 = {
	    .sin6_family = AF_INET6, .sin6_port = htons(80), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/tmp/x"};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 0, ARGS(3, 0x7ffc, sizeof(in)));
	fake_data(ev, 0, in);
	assert_string_equal(fmt("bind", ev, NULL), "bind(3, " LOOPBACK_10001 ", 16) = 0");
	ev = fake_event(&f, -EISCONN, ARGS(12, 0x7ffc, sizeof(in)));
	fake_data(ev, 0, in);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(12, " LOOPBACK_10001 ", 16) = "
			    "-1 EISCONN (Transport endpoint is already connected)");
	ev = fake_event(&f, -ECONNREFUSED, ARGS(18, 0x7ffc, sizeof(in6)));
	fake_data(ev, 0, in6);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(18, {sa_family=AF_INET6, sin6_port=htons(80), "
			    "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), "
			    "sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)");
	ev = fake_event(&f, -ENOENT, ARGS(4, 0x7ffc, offsetof(struct sockaddr_un, sun_path) + 7));
	fake_chunk(ev, 0, CHUNK_DATA, &un, offsetof(struct sockaddr_un, sun_path) + 7);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(4, {sa_family=AF_UNIX, sun_path=\"/tmp/x\"}, 9) = "
			    "-1 ENOENT (No such file or directory)");
	/* too short to hold a family, NULL, unreadable */
	ev = fake_event(&f, -EINVAL, ARGS(4, 0x7ffcac909bf0, 1));
	fake_chunk(ev, 0, CHUNK_DATA, &un, 1);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(4, 0x7ffcac909bf0, 1) = -1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -EINVAL, ARGS(4, 0x7ffcac909bf0, 0));
	fake_chunk(ev, 0, CHUNK_DATA, &un, 0);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(4, 0x7ffcac909bf0, 0) = -1 EINVAL (Invalid argument)");
	assert_string_equal(simple("connect", -EFAULT, ARGS(4, 0, 16)),
			    "connect(4, NULL, 16) = -1 EFAULT (Bad address)");
	ev = fake_event(&f, -EFAULT, ARGS(4, 1, 16));
	fake_fault(ev, 0);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(4, 0x1, 16) = -1 EFAULT (Bad address)");
	/* longer than any address: the probe keeps sizeof(struct sockaddr_storage) */
	ev = fake_event(&f, -EINVAL, ARGS(4, 0x7ffc, 200));
	fake_data(ev, 0, in);
	assert_string_equal(fmt("connect", ev, NULL),
			    "connect(4, " LOOPBACK_10001 ", 200) = -1 EINVAL (Invalid argument)");
}

static void test_simple(void **state)
{
	(void)state;
	assert_string_equal(simple("listen", 0, ARGS(3, 128)), "listen(3, 128) = 0");
	assert_string_equal(simple("close", 0, ARGS(3)), "close(3) = 0");
	assert_string_equal(simple("close", -EBADF, ARGS((__u64)-1)),
			    "close(-1) = -1 EBADF (Bad file descriptor)");
	assert_string_equal(simple("shutdown", 0, ARGS(12, SHUT_WR)), "shutdown(12, SHUT_WR) = 0");
	assert_string_equal(simple("shutdown", 0, ARGS(12, SHUT_RD)), "shutdown(12, SHUT_RD) = 0");
	assert_string_equal(simple("shutdown", 0, ARGS(12, SHUT_RDWR)),
			    "shutdown(12, SHUT_RDWR) = 0");
	assert_string_equal(simple("shutdown", -EINVAL, ARGS(12, 7)),
			    "shutdown(12, 0x7 /* SHUT_??? */) = -1 EINVAL (Invalid argument)");
}

/* accept's captures: the address (0), its length at entry (1) and exit (2) */
static void test_accept(void **state)
{
	struct sockaddr_in peer = loopback(46480);
	socklen_t in_len = 16, out_len = 16, big = 128;
	struct fake fx, fe;
	struct event *ev, *enter;

	(void)state;
	ev = fake_event(&fx, 13, ARGS(3, 0x7ffc, 0x7ffd, SOCK_CLOEXEC));
	enter = fake_enter(&fe, ARGS(3, 0x7ffc, 0x7ffd, SOCK_CLOEXEC));
	fake_data(enter, 1, in_len);
	fake_data(ev, 0, peer);
	fake_data(ev, 2, out_len);
	assert_string_equal(fmt("accept4", ev, enter),
			    "accept4(3, {sa_family=AF_INET, sin_port=htons(46480), "
			    "sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 13");
	/* the length changed: [128 => 16] */
	peer = loopback(32994);
	ev = fake_event(&fx, 17, ARGS(3, 0x7ffc, 0x7ffd, SOCK_NONBLOCK | SOCK_CLOEXEC));
	enter = fake_enter(&fe, ARGS(3, 0x7ffc, 0x7ffd, SOCK_NONBLOCK | SOCK_CLOEXEC));
	fake_data(enter, 1, big);
	fake_data(ev, 0, peer);
	fake_data(ev, 2, out_len);
	assert_string_equal(fmt("accept4", ev, enter),
			    "accept4(3, {sa_family=AF_INET, sin_port=htons(32994), "
			    "sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], "
			    "SOCK_CLOEXEC|SOCK_NONBLOCK) = 17");
	/* no entry record: the exit length alone */
	assert_string_equal(
	    fmt("accept4", ev, NULL),
	    "accept4(3, {sa_family=AF_INET, sin_port=htons(32994), "
	    "sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC|SOCK_NONBLOCK) = 17");
	assert_string_equal(simple("accept", 15, ARGS(3, 0, 0)), "accept(3, NULL, NULL) = 15");
	/* failed: the length as offered */
	ev = fake_event(&fx, -EAGAIN, ARGS(3, 0x7ffdfb0c91b0, 0x7ffd));
	enter = fake_enter(&fe, ARGS(3, 0x7ffdfb0c91b0, 0x7ffd));
	fake_data(enter, 1, big);
	fake_data(ev, 2, big);
	assert_string_equal(
	    fmt("accept", ev, enter),
	    "accept(3, 0x7ffdfb0c91b0, [128]) = -1 EAGAIN (Resource temporarily unavailable)");
	/* interrupted while blocked */
	ev = fake_event(&fx, -512, ARGS(3, 0, 0));
	assert_string_equal(
	    fmt("accept", ev, NULL),
	    "accept(3, NULL, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	assert_string_equal(
	    simple("accept4", -EINVAL, ARGS(3, 0, 0, 0x1234)),
	    "accept4(3, NULL, NULL, 0x1234 /* SOCK_??? */) = -1 EINVAL (Invalid argument)");
}

static void test_sendto(void **state)
{
	struct sockaddr_in to = loopback(10001);
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 4, ARGS(12, 0x5000, 4, MSG_NOSIGNAL, 0, 0));
	fake_chunk(ev, 0, CHUNK_DATA, "ping", 4);
	assert_string_equal(fmt("sendto", ev, NULL),
			    "sendto(12, \"ping\", 4, MSG_NOSIGNAL, NULL, 0) = 4");
	ev = fake_event(
	    &f, 4,
	    ARGS(12, 0x5000, 4, MSG_NOSIGNAL | MSG_DONTWAIT | 0x80000000, 0x7ffc, sizeof(to)));
	fake_chunk(ev, 0, CHUNK_DATA, "ping", 4);
	fake_data(ev, 1, to);
	assert_string_equal(
	    fmt("sendto", ev, NULL),
	    "sendto(12, \"ping\", 4, MSG_DONTWAIT|MSG_NOSIGNAL|MSG_CMSG_COMPAT, " LOOPBACK_10001
	    ", 16) = 4");
	ev = fake_event(&f, 4, ARGS(12, 0x5000, 4, MSG_CMSG_CLOEXEC, 0, 0));
	fake_chunk(ev, 0, CHUNK_DATA, "ping", 4);
	assert_string_equal(fmt("sendto", ev, NULL),
			    "sendto(12, \"ping\", 4, MSG_CMSG_CLOEXEC, NULL, 0) = 4");
	ev = fake_event(&f, -EPIPE, ARGS(12, 0x5000, 40, 0x100000, 0, 0));
	fake_chunk(ev, 0, CHUNK_DATA, "0123456789012345678901234567890123456789", 32);
	assert_string_equal(fmt("sendto", ev, NULL),
			    "sendto(12, \"01234567890123456789012345678901\"..., 40, "
			    "0x100000 /* MSG_??? */, NULL, 0) = -1 EPIPE (Broken pipe)");
}

/* recvfrom's captures: data (0), address (1), its length at entry (2) and exit (3) */
static void test_recvfrom(void **state)
{
	struct sockaddr_in from = loopback(10002);
	socklen_t big = 128, out = 16, four = 4;
	struct fake fx, fe;
	struct event *ev, *enter;

	(void)state;
	ev = fake_event(&fx, 12, ARGS(13, 0x5000, 64, 0, 0, 0));
	fake_chunk(ev, 0, CHUNK_DATA, "pingpingping", 12);
	assert_string_equal(fmt("recvfrom", ev, NULL),
			    "recvfrom(13, \"pingpingping\", 64, 0, NULL, NULL) = 12");
	ev = fake_event(&fx, 2, ARGS(5, 0x5000, 64, 0, 0x7ffc, 0x7ffd));
	enter = fake_enter(&fe, ARGS(5, 0x5000, 64, 0, 0x7ffc, 0x7ffd));
	fake_chunk(ev, 0, CHUNK_DATA, "x\n", 2);
	fake_data(ev, 1, from);
	fake_data(enter, 2, big);
	fake_data(ev, 3, out);
	assert_string_equal(
	    fmt("recvfrom", ev, enter),
	    "recvfrom(5, \"x\\n\", 64, 0, {sa_family=AF_INET, sin_port=htons(10002), "
	    "sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 2");
	/* a buffer shorter than the address: the kernel wrote 4 bytes of it */
	ev = fake_event(&fx, 1, ARGS(5, 0x5000, 64, 0, 0x7ffc, 0x7ffd));
	enter = fake_enter(&fe, ARGS(5, 0x5000, 64, 0, 0x7ffc, 0x7ffd));
	fake_chunk(ev, 0, CHUNK_DATA, "z", 1);
	fake_data(ev, 1, from);
	fake_data(enter, 2, four);
	fake_data(ev, 3, out);
	assert_string_equal(
	    fmt("recvfrom", ev, enter),
	    "recvfrom(5, \"z\", 64, 0, {sa_family=AF_INET, sa_data=\"'\\22\"}, [4 => 16]) = 1");
	/* failed */
	ev = fake_event(&fx, -EAGAIN,
			ARGS(13, 0x7ffdfb0c9170, 64, MSG_DONTWAIT, 0x7ffdfb0c91b0, 0x7ffd));
	enter = fake_enter(&fe, ARGS(13, 0x7ffdfb0c9170, 64, MSG_DONTWAIT, 0x7ffdfb0c91b0, 0x7ffd));
	fake_data(enter, 2, big);
	fake_data(ev, 3, big);
	assert_string_equal(
	    fmt("recvfrom", ev, enter),
	    "recvfrom(13, 0x7ffdfb0c9170, 64, MSG_DONTWAIT, 0x7ffdfb0c91b0, [128]) = "
	    "-1 EAGAIN (Resource temporarily unavailable)");
}

static void test_sendmsg(void **state)
{
	struct iovec iov = {(void *)0x5000, 2};
	struct sockaddr_in to = loopback(10001);
	struct msghdr m = {.msg_iov = (void *)0x6000, .msg_iovlen = 1};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 2, ARGS(12, 0x7ffc, 0));
	fake_chunk(ev, 0, CHUNK_MSG, &m, sizeof(m));
	fake_chunk(ev, 0, CHUNK_IOV, &iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "hi", 2);
	assert_string_equal(fmt("sendmsg", ev, NULL),
			    "sendmsg(12, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hi\", "
			    "iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 2");
	m.msg_name = (void *)0x7000;
	m.msg_namelen = sizeof(to);
	ev = fake_event(&f, 2, ARGS(12, 0x7ffc, MSG_NOSIGNAL));
	fake_chunk(ev, 0, CHUNK_MSG, &m, sizeof(m));
	fake_chunk(ev, 0, CHUNK_MSG_NAME, &to, sizeof(to));
	fake_chunk(ev, 0, CHUNK_IOV, &iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "hi", 2);
	assert_string_equal(
	    fmt("sendmsg", ev, NULL),
	    "sendmsg(12, {msg_name=" LOOPBACK_10001 ", msg_namelen=16, "
	    "msg_iov=[{iov_base=\"hi\", iov_len=2}], msg_iovlen=1, msg_controllen=0, "
	    "msg_flags=0}, MSG_NOSIGNAL) = 2");
	/* an unreadable name, an ancillary buffer we do not decode */
	m.msg_control = (void *)0x8000;
	m.msg_controllen = 24;
	ev = fake_event(&f, 2, ARGS(12, 0x7ffc, 0));
	fake_chunk(ev, 0, CHUNK_MSG, &m, sizeof(m));
	fake_fault(ev, 0);
	fake_chunk(ev, 0, CHUNK_IOV, &iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "hi", 2);
	assert_string_equal(
	    fmt("sendmsg", ev, NULL),
	    "sendmsg(12, {msg_name=0x7000, msg_namelen=16, msg_iov=[{iov_base=\"hi\", "
	    "iov_len=2}], msg_iovlen=1, msg_control=0x8000, msg_controllen=24, "
	    "msg_flags=0}, 0) = 2");
	ev = fake_event(&f, -EFAULT, ARGS(12, 1, 0));
	fake_fault(ev, 0);
	assert_string_equal(fmt("sendmsg", ev, NULL),
			    "sendmsg(12, 0x1, 0) = -1 EFAULT (Bad address)");
}

/* recvmsg's captures: the msghdr and its parts at exit (0), at entry (1) */
static void test_recvmsg(void **state)
{
	struct iovec iov[2] = {{(void *)0x5000, 1}, {(void *)0x500a, 10}};
	struct sockaddr_in from = loopback(10002);
	struct msghdr before = {.msg_name = (void *)0x7000,
				.msg_namelen = 128,
				.msg_iov = (void *)0x6000,
				.msg_iovlen = 2};
	struct msghdr after = before;
	struct fake fx, fe;
	struct event *ev, *enter;

	(void)state;
	after.msg_namelen = 16;
	ev = fake_event(&fx, 2, ARGS(5, 0x7ffc, 0));
	enter = fake_enter(&fe, ARGS(5, 0x7ffc, 0));
	fake_data(enter, 1, before);
	fake_chunk(ev, 0, CHUNK_MSG, &after, sizeof(after));
	fake_chunk(ev, 0, CHUNK_MSG_NAME, &from, sizeof(from));
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "y", 1);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "y", 1);
	assert_string_equal(fmt("recvmsg", ev, enter),
			    "recvmsg(5, {msg_name={sa_family=AF_INET, sin_port=htons(10002), "
			    "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=128 => 16, "
			    "msg_iov=[{iov_base=\"y\", iov_len=1}, {iov_base=\"y\", iov_len=10}], "
			    "msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 2");
	/* a stream socket: no name */
	memset(&before, 0, sizeof(before));
	before.msg_iov = (void *)0x6000;
	before.msg_iovlen = 1;
	iov[0].iov_len = 10;
	ev = fake_event(&fx, 4, ARGS(13, 0x7ffc, MSG_DONTWAIT));
	enter = fake_enter(&fe, ARGS(13, 0x7ffc, MSG_DONTWAIT));
	fake_data(enter, 1, before);
	fake_chunk(ev, 0, CHUNK_MSG, &before, sizeof(before));
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov[0]));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "hihi", 4);
	assert_string_equal(
	    fmt("recvmsg", ev, enter),
	    "recvmsg(13, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"hihi\", "
	    "iov_len=10}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_DONTWAIT) = 4");
	/* failed: what was offered */
	ev = fake_event(&fx, -EAGAIN, ARGS(13, 0x7ffc, MSG_DONTWAIT));
	enter = fake_enter(&fe, ARGS(13, 0x7ffc, MSG_DONTWAIT));
	fake_data(enter, 1, before);
	assert_string_equal(fmt("recvmsg", ev, enter),
			    "recvmsg(13, {msg_namelen=0}, MSG_DONTWAIT) = "
			    "-1 EAGAIN (Resource temporarily unavailable)");
	ev = fake_event(&fx, -EFAULT, ARGS(13, 1, 0));
	enter = fake_enter(&fe, ARGS(13, 1, 0));
	fake_fault(enter, 1);
	assert_string_equal(fmt("recvmsg", ev, enter),
			    "recvmsg(13, 0x1, 0) = -1 EFAULT (Bad address)");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_socket),
		cmocka_unit_test(test_socketpair),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_sendto),
		cmocka_unit_test(test_recvfrom),
		cmocka_unit_test(test_sendmsg),
		cmocka_unit_test(test_recvmsg),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
