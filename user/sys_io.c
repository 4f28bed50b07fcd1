// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_io.c - reading and writing file descriptors: write, writev (the write
 * family) and read, readv (the read family).  The socket variants are in
 * sys_net.c.  Buffers print as strace prints them: escaped, cut at -s.
 */
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "decode.h"
#include "syscalls.h"

static void write_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_put_i64(sb, (int)a[0]);
	sb_put(sb, ", ", 2);
	print_buf(sb, c, 0, a[1], a[2]);
	sb_put(sb, ", ", 2);
	sb_put_u64(sb, a[2]);
}

static void read_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	if (c->ev->ret >= 0)
		print_buf(sb, c, 0, a[1], c->ev->ret);
	else
		print_addr(sb, a[1]); /* nothing was read */
	sb_printf(sb, ", %llu", (unsigned long long)a[2]);
}

/* writev and readv: a read shows only the bytes it returned, and after an
 * error only the buffers' addresses. */
static void iov_args_fmt(struct strbuf *sb, const struct call *c, int is_read)
{
	const __u64 *a = c->ev->args;
	const struct chunk *v[CAP_IOV_MAX + 1];
	size_t n = call_cap_chunks(c, 0, v, CAP_IOV_MAX + 1);
	long long ret = c->ev->ret;

	sb_printf(sb, "%d, ", (int)a[0]);
	if (!is_read)
		print_iov(sb, v, n, a[1], a[2], UINT64_MAX, 1);
	else
		print_iov(sb, v, n, a[1], a[2], ret >= 0 ? (uint64_t)ret : 0, ret >= 0);
	sb_printf(sb, ", %llu", (unsigned long long)a[2]);
}

static void writev_args_fmt(struct strbuf *sb, const struct call *c)
{
	iov_args_fmt(sb, c, 0);
}

static void readv_args_fmt(struct strbuf *sb, const struct call *c)
{
	iov_args_fmt(sb, c, 1);
}

/* clang-format off */
static const struct syscall_def defs[] = {
	{ "write", SYS_write, FAM_WRITE,
	  { .wait = OFF_IO, .sock = SOCK_SEND, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.flags = CAP_STRSIZE, .unit = 1 } } },
	  write_args_fmt, NULL },
	{ "writev", SYS_writev, FAM_WRITE,
	  { .wait = OFF_IO, .sock = SOCK_SEND, .caps = { { .kind = CAP_IOV, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.unit = 1 } } },
	  writev_args_fmt, NULL },
	{ "read", SYS_read, FAM_READ,
	  { .wait = OFF_IO, .sock = SOCK_RECV, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_RET,
			.flags = CAP_IF_OK | CAP_STRSIZE, .unit = 1 } } },
	  read_args_fmt, NULL },
	/* Not CAP_IF_OK: a failed readv still shows its iovec array (the
	 * buffers' addresses), as strace's does; the decoder bounds the data
	 * of a successful one by its result. */
	{ "readv", SYS_readv, FAM_READ,
	  { .wait = OFF_IO, .sock = SOCK_RECV, .caps = { { .kind = CAP_IOV, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.unit = 1 } } },
	  readv_args_fmt, NULL },
};

/* The read family has no table of its own: its members are here, each
 * def carrying its own family bit. */
const struct syscall_family sys_io = {
	"io", FAM_WRITE, defs, sizeof(defs) / sizeof(defs[0]),
};
/* clang-format on */
