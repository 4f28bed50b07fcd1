// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_time.c - the sleep family: nanosleep and clock_nanosleep, so that a
 * thread asleep in them is told apart from one blocked on a lock or on I/O.
 * Constants: <time.h> (TIMER_ABSTIME) and decode.c's clock_names.
 */
#include <sys/syscall.h>
#include <time.h>

#include "decode.h"
#include "syscalls.h"

/* A TIMER_ABSTIME flag table, the only flag clock_nanosleep knows. */
static const struct xlat sleep_flags[] = {
	XLAT(TIMER_ABSTIME),
	XLAT_END,
};

#define REQ_CAP(arg) { .kind = CAP_BYTES, .ptr_arg = (arg), .unit = sizeof(struct timespec) }

/* nanosleep({tv_sec=1, tv_nsec=0}, NULL) */
static void nanosleep_args_fmt(struct strbuf *sb, const struct call *c)
{
	print_timespec_arg(sb, c, 0, c->ev->args[0]);
	sb_puts(sb, ", ");
	print_addr(sb, c->ev->args[1]);
}

/* clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=3020, tv_nsec=565323637}, NULL) */
static void clock_nanosleep_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	print_xval(sb, clock_names, (unsigned)a[0], "%llu", "CLOCK_???");
	sb_puts(sb, ", ");
	print_flags_ex(sb, sleep_flags, (unsigned)a[1], "TIMER_???");
	sb_puts(sb, ", ");
	print_timespec_arg(sb, c, 0, a[2]);
	sb_puts(sb, ", ");
	print_addr(sb, a[3]);
}

/* clang-format off */
static const struct syscall_def defs[] = {
#ifdef SYS_nanosleep
	{ "nanosleep", SYS_nanosleep, FAM_SLEEP, { .wait = OFF_SLEEP, .caps = { REQ_CAP(0) } },
	  nanosleep_args_fmt, NULL },
#endif
	{ "clock_nanosleep", SYS_clock_nanosleep, FAM_SLEEP,
	  { .wait = OFF_SLEEP, .caps = { REQ_CAP(2) } }, clock_nanosleep_args_fmt, NULL },
};
/* clang-format on */

const struct syscall_family sys_time = { "sleep", FAM_SLEEP, defs, sizeof(defs) / sizeof(defs[0]) };
