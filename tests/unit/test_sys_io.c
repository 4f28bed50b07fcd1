// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_sys_io.c - write, writev, read and readv lines: escaping, the -s cut,
 * reads bounded by their result, failed calls and unreadable buffers; the
 * expected strings as strace 6.1 printed them.
 */
#include "fake_event.h"

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static const char *fmt(const char *name, const struct event *ev)
{
	return fake_format(&sb, &sys_io, name, ev, NULL);
}

static void test_table(void **state)
{
	(void)state;
	fake_check_family(&sys_io, FAM_WRITE, FAM_WRITE | FAM_READ);
	assert_int_equal(fake_def(&sys_io, "write")->families, FAM_WRITE);
	assert_int_equal(fake_def(&sys_io, "read")->families, FAM_READ);
	assert_int_equal(fake_def(&sys_io, "readv")->families, FAM_READ);
	assert_true(fake_def(&sys_io, "write")->spec.caps[0].flags & CAP_STRSIZE);
	assert_true(fake_def(&sys_io, "read")->spec.caps[0].flags & CAP_IF_OK);
	assert_int_equal(fake_def(&sys_io, "readv")->spec.caps[0].kind, CAP_IOV);
}

/* the probe keeps at most -s bytes (CAP_STRSIZE) */
static void put_bytes(struct event *ev, const char *s, size_t len)
{
	fake_chunk(ev, 0, CHUNK_DATA, s, len < decode_strsize ? len : decode_strsize);
}

static void test_write(void **state)
{
	static const char digits[] = "0123456789012345678901234567890123456789";
	static const char odd[] = "a\tb\"c\\d\0e\001f\0017\377\200z\r\v\f";
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 6, ARGS(1, 0x1000, 6));
	put_bytes(ev, "hello\n", 6);
	assert_string_equal(fmt("write", ev), "write(1, \"hello\\n\", 6) = 6");
	ev = fake_event(&f, 40, ARGS(1, 0x1000, 40));
	put_bytes(ev, digits, 40);
	assert_string_equal(fmt("write", ev),
			    "write(1, \"01234567890123456789012345678901\"..., 40) = 40");
	ev = fake_event(&f, 19, ARGS(1, 0x1000, 19));
	put_bytes(ev, odd, 19);
	assert_string_equal(
	    fmt("write", ev),
	    "write(1, \"a\\tb\\\"c\\\\d\\0e\\1f\\0017\\377\\200z\\r\\v\\f\", 19) = 19");
	ev = fake_event(&f, 0, ARGS(1, 0x1000, 0));
	put_bytes(ev, "abc", 0);
	assert_string_equal(fmt("write", ev), "write(1, \"\", 0) = 0");
	ev = fake_event(&f, -EBADF, ARGS((__u64)-1, 0x1000, 3));
	put_bytes(ev, "abc", 3);
	assert_string_equal(fmt("write", ev),
			    "write(-1, \"abc\", 3) = -1 EBADF (Bad file descriptor)");
	ev = fake_event(&f, 3, ARGS(1, 1, 3));
	fake_fault(ev, 0);
	assert_string_equal(fmt("write", ev), "write(1, 0x1, 3) = 3");
	ev = fake_event(&f, 3, ARGS(1, 0, 3));
	assert_string_equal(fmt("write", ev), "write(1, NULL, 3) = 3");
	/* -s 4 */
	decode_strsize = 4;
	ev = fake_event(&f, 6, ARGS(1, 0x1000, 6));
	put_bytes(ev, "hello\n", 6);
	assert_string_equal(fmt("write", ev), "write(1, \"hell\"..., 6) = 6");
	decode_strsize = 32;
}

static void test_read(void **state)
{
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 3, ARGS(3, 0x7ffe3ffdc270, 3));
	put_bytes(ev, "abc", 3);
	assert_string_equal(fmt("read", ev), "read(3, \"abc\", 3) = 3");
	ev = fake_event(&f, 39, ARGS(3, 0x7ffe3ffdc270, 64));
	put_bytes(ev, "abcdefghijklmnopqrstuvwxyz0123456789abc", 39);
	assert_string_equal(fmt("read", ev),
			    "read(3, \"abcdefghijklmnopqrstuvwxyz012345\"..., 64) = 39");
	ev = fake_event(&f, 0, ARGS(3, 0x7ffe3ffdc270, 64));
	put_bytes(ev, "", 0);
	assert_string_equal(fmt("read", ev), "read(3, \"\", 64) = 0");
	ev = fake_event(&f, -EBADF, ARGS((__u64)-1, 0x7ffe3ffdc270, 10));
	assert_string_equal(fmt("read", ev),
			    "read(-1, 0x7ffe3ffdc270, 10) = -1 EBADF (Bad file descriptor)");
	ev = fake_event(&f, -EAGAIN, ARGS(3, 0x7ffe3ffdc270, 10));
	assert_string_equal(
	    fmt("read", ev),
	    "read(3, 0x7ffe3ffdc270, 10) = -1 EAGAIN (Resource temporarily unavailable)");
	ev = fake_event(&f, -512, ARGS(0, 0x7ffe3ffdc270, 10));
	assert_string_equal(
	    fmt("read", ev),
	    "read(0, 0x7ffe3ffdc270, 10) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
}

static void test_writev(void **state)
{
	struct iovec iov[2] = {{(void *)0x1000, 1}, {(void *)0x2000, 1}};
	struct iovec big[10];
	struct fake f;
	struct event *ev;
	char want[1024] = "writev(1, [";

	(void)state;
	ev = fake_event(&f, 2, ARGS(1, 0x7ffc, 2));
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "a", 1);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "b", 1);
	assert_string_equal(
	    fmt("writev", ev),
	    "writev(1, [{iov_base=\"a\", iov_len=1}, {iov_base=\"b\", iov_len=1}], 2) = 2");
	ev = fake_event(&f, 0, ARGS(1, 0x7ffc, 0));
	fake_chunk(ev, 0, CHUNK_IOV, iov, 0);
	assert_string_equal(fmt("writev", ev), "writev(1, [], 0) = 0");
	ev = fake_event(&f, -EFAULT, ARGS(1, 1, 2));
	fake_fault(ev, 0);
	assert_string_equal(fmt("writev", ev), "writev(1, 0x1, 2) = -1 EFAULT (Bad address)");
	ev = fake_event(&f, -EFAULT, ARGS(1, 0, 2));
	assert_string_equal(fmt("writev", ev), "writev(1, NULL, 2) = -1 EFAULT (Bad address)");
	/* ten iovecs: the probe keeps eight */
	for (int i = 0; i < 10; i++)
		big[i] = (struct iovec){(void *)0x1000, 1};
	ev = fake_event(&f, 10, ARGS(1, 0x7ffc, 10));
	fake_chunk(ev, 0, CHUNK_IOV, big, CAP_IOV_MAX * sizeof(big[0]));
	for (int i = 0; i < CAP_IOV_MAX; i++) {
		fake_chunk(ev, 0, CHUNK_IOV_DATA, "x", 1);
		strcat(want, i ? ", {iov_base=\"x\", iov_len=1}" : "{iov_base=\"x\", iov_len=1}");
	}
	strcat(want, ", ...], 10) = 10");
	assert_string_equal(fmt("writev", ev), want);
}

static void test_readv(void **state)
{
	struct iovec iov[2] = {{(void *)0x7ffe3ffdc270, 2}, {(void *)0x7ffe3ffdc26c, 4}};
	struct iovec r3[3] = {{(void *)0x10, 1}, {(void *)0x20, 4}, {(void *)0x30, 4}};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 3, ARGS(3, 0x7ffc, 2));
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "de", 2);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "f\0\0\0", 4); /* stale bytes past the result */
	assert_string_equal(
	    fmt("readv", ev),
	    "readv(3, [{iov_base=\"de\", iov_len=2}, {iov_base=\"f\", iov_len=4}], 2) = 3");
	ev = fake_event(&f, 2, ARGS(3, 0x7ffc, 3));
	fake_chunk(ev, 0, CHUNK_IOV, r3, sizeof(r3));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "a", 1);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "bxyz", 4);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "zzzz", 4);
	assert_string_equal(fmt("readv", ev),
			    "readv(3, [{iov_base=\"a\", iov_len=1}, {iov_base=\"b\", iov_len=4}, "
			    "{iov_base=\"\", iov_len=4}], 3) = 2");
	/* failed: the buffers' addresses */
	ev = fake_event(&f, -EBADF, ARGS((__u64)-1, 0x7ffc, 2));
	fake_chunk(ev, 0, CHUNK_IOV, iov, sizeof(iov));
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "??", 2);
	fake_chunk(ev, 0, CHUNK_IOV_DATA, "????", 4);
	assert_string_equal(
	    fmt("readv", ev),
	    "readv(-1, [{iov_base=0x7ffe3ffdc270, iov_len=2}, "
	    "{iov_base=0x7ffe3ffdc26c, iov_len=4}], 2) = -1 EBADF (Bad file descriptor)");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_writev),
		cmocka_unit_test(test_readv),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
