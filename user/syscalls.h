/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * syscalls.h - the traced syscalls: for each one its name, number on this
 * architecture, families, what the probe must capture from user memory, and
 * how its arguments and result are printed.  Each family lives in its own
 * sys_FAMILY.c as a table; this module joins them and hands out slots.
 */
#ifndef OSLAB_SYSCALLS_H
#define OSLAB_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer.h"
#include "strbuf.h"

/* Families, as named by -e trace=NAME (strace's %process and friends). */
enum family {
	FAM_PROCESS = 1 << 0,	/* fork, clone, execve, wait, exit */
	FAM_FUTEX = 1 << 1,
	FAM_WRITE = 1 << 2,	/* write, writev, sendto, sendmsg */
	FAM_READ = 1 << 3,	/* read, readv, recvfrom, recvmsg */
	FAM_NETWORK = 1 << 4,	/* socket calls */
	FAM_POLL = 1 << 5,	/* select, poll, epoll */
	FAM_SLEEP = 1 << 6,	/* nanosleep, clock_nanosleep */
};

/* One syscall as seen in the event stream: the exit event, and the entry
 * event when the syscall captures memory at entry. */
struct call {
	const struct event *ev;
	const struct event *enter;	/* NULL when none was captured */
	const struct syscall_def *def;
};

typedef void (*call_fmt)(struct strbuf *sb, const struct call *c);

struct syscall_def {
	const char *name;
	long nr;		/* -1: not on this architecture */
	unsigned families;	/* enum family bits */
	struct sc_spec spec;	/* flags (SC_NORETURN), spawn kind and captures */
	call_fmt args;		/* prints the arguments, without parentheses */
	call_fmt ret;		/* prints the result after "= "; NULL: number or errno */
};

struct syscall_family {
	const char *name;	/* as in -e trace=NAME */
	unsigned bit;
	const struct syscall_def *defs;
	size_t n;
};

/* The family tables, one per sys_*.c file. */
extern const struct syscall_family sys_process, sys_futex, sys_io, sys_net, sys_poll, sys_time;

/* Number of traced syscalls on this architecture; slots run 1..count. */
unsigned syscalls_count(void);
const struct syscall_def *syscall_by_slot(unsigned slot);
const struct syscall_def *syscall_by_nr(long nr);
const struct syscall_def *syscall_by_name(const char *name);
unsigned syscall_slot(const struct syscall_def *def);

/*
 * Parse a -e trace= expression ("write,futex", "process", "%network",
 * "!futex", "all") into selected[slot].  Returns 0, or -1 with a message in err.
 */
int syscalls_select(const char *expr, bool selected[SC_SLOTS], char *err, size_t errlen);

/* The nth chunk captured by capture cap with the given part, from the exit
 * event or, failing that, the entry event; NULL when there is none. */
const struct chunk *call_chunk(const struct call *c, unsigned cap, unsigned part, unsigned nth);
static inline const void *chunk_data(const struct chunk *ch)
{
	return ch + 1;
}

/* Print the whole "name(args) = ret" text of a call, without prefix or <time>. */
void call_format(struct strbuf *sb, const struct call *c);

/* Printing options shared by every decoder (strace's -s and -x). */
extern unsigned decode_strsize;

#endif
