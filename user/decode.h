/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * decode.h - printing primitives every syscall family's decoder shares:
 * constant tables (strace's xlat), flags, errno results, escaped strings,
 * addresses, socket addresses, signals and wait statuses.  Output follows
 * strace's conventions so that its users read ours without thinking.
 */
#ifndef OSLAB_DECODE_H
#define OSLAB_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* One named constant; tables end with XLAT_END. */
struct xlat {
	uint64_t val;
	const char *name;
};
#define XLAT(x) { (uint64_t)(x), #x }
#define XLAT_PAIR(v, s) { (uint64_t)(v), s }
#define XLAT_END { 0, NULL }

/* The name of val in the table, or NULL. */
const char *xlat_name(const struct xlat *x, uint64_t val);
/* val's name, or val printed with printf format dflt (an unsigned long long
 * conversion such as "%#llx" or "%llu") followed by a strace-style comment
 * naming the unknown table, e.g. 0x99 followed by the comment SOCK_??? when dflt_comment is
 * set ("SOCK_???"). */
void print_xval(struct strbuf *sb, const struct xlat *x, uint64_t val, const char *dflt,
		const char *dflt_comment);
/* Bits of val as NAME|NAME|0x..., each table entry a mask; 0 prints as "0". */
void print_flags(struct strbuf *sb, const struct xlat *x, uint64_t val);
/* print_flags, and when no bit has a name, the value followed by strace's
 * comment naming the table (0x1234 and the comment TFD_??? for dflt_comment
 * "TFD_???"). */
void print_flags_ex(struct strbuf *sb, const struct xlat *x, uint64_t val,
		    const char *dflt_comment);

/* A syscall result: "3", or "-1 EAGAIN (Resource temporarily unavailable)",
 * including the kernel-internal restart codes strace prints with "?". */
void print_ret(struct strbuf *sb, long long ret);
/* "EAGAIN", "ERESTARTSYS", or NULL when unknown. */
const char *errno_name(int err);

/* A user pointer: "NULL" or "0x7ffd5a3c1e40". */
void print_addr(struct strbuf *sb, uint64_t addr);
/* len bytes as a C string literal in strace's escaping ("\n", "\t", "\"",
 * "\\", octal for other non-printables); "..." follows when more_follows. */
void print_quoted(struct strbuf *sb, const void *data, size_t len, int more_follows);

/* Clock ids (CLOCK_*), for timerfd_create and futex_waitv. */
extern const struct xlat clock_names[];
/* Address families (AF_*), for socket() and struct sockaddr. */
extern const struct xlat addr_families[];
/* struct sockaddr: AF_INET, AF_INET6, AF_UNIX (incl. abstract), AF_NETLINK,
 * others as {sa_family=AF_X, sa_data=...}. */
void print_sockaddr(struct strbuf *sb, const void *sa, size_t len);
/* "SIGCHLD", or NULL. */
const char *signal_name(int sig);
/* A signal as a name, or its number when unnamed. */
void print_signal(struct strbuf *sb, int sig);
/* A wait(2) status the strace way: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
void print_wait_status(struct strbuf *sb, int status);
/* "exited with 0", "killed by SIGKILL", "killed by SIGSEGV (core dumped)". */
void print_exit_status(struct strbuf *sb, int status);
/* struct timespec: {tv_sec=1, tv_nsec=500000000}. */
void print_timespec(struct strbuf *sb, const void *ts, size_t len);

/* What the probe captured for one call, as every family's decoder reads it
 * (struct call and struct chunk are in syscalls.h and tracer.h). */
struct call;
struct chunk;
/* The bytes (and their number) of capture cap's CHUNK_DATA; NULL when there
 * is none: a NULL pointer, a failed call under CAP_IF_OK, or a fault. */
const void *call_bytes(const struct call *c, unsigned cap, size_t *len);
/* A buffer of want bytes at addr of which capture cap kept the first ones,
 * quoted with "..." when cut; its address when nothing was captured. */
void print_buf(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr, uint64_t want);
/* A struct timespec argument: its value when capture cap read it, else the
 * address (futex timeouts, ppoll, nanosleep). */
void print_timespec_arg(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr);
/* The chunks capture cap made, in the order the probe wrote them, from the
 * exit event or else the entry event; at most max are stored in v. */
size_t call_cap_chunks(const struct call *c, unsigned cap, const struct chunk **v, size_t max);
/* An iovec array the strace way, [{iov_base="..", iov_len=N}, ...], from the
 * chunks of a CAP_IOV (v[0] the CHUNK_IOV, then one chunk per iovec).  addr
 * and cnt are the user's array and count; buffers show data only while
 * data_size bytes last (the result of a read; UINT64_MAX for a write), and only
 * their addresses when data is false (a failed read). */
void print_iov(struct strbuf *sb, const struct chunk *const *v, size_t n, uint64_t addr,
	       uint64_t cnt, uint64_t data_size, int data);

#endif
