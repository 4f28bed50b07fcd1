// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_futex.c - the futex family: futex(2), whose arguments mean something
 * different for every operation, and futex_waitv(2).
 */
#include "sys_futex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>

#include "decode.h"
#include "syscalls.h"

/* Operations with their flags, from <linux/futex.h>: strace's table, which
 * names every combination the kernel accepts and nothing else. */
/* clang-format off */
static const struct xlat futex_ops[] = {
	XLAT(FUTEX_WAIT), XLAT(FUTEX_WAKE), XLAT(FUTEX_FD), XLAT(FUTEX_REQUEUE),
	XLAT(FUTEX_CMP_REQUEUE), XLAT(FUTEX_WAKE_OP), XLAT(FUTEX_LOCK_PI),
	XLAT(FUTEX_UNLOCK_PI), XLAT(FUTEX_TRYLOCK_PI), XLAT(FUTEX_WAIT_BITSET),
	XLAT(FUTEX_WAKE_BITSET), XLAT(FUTEX_WAIT_REQUEUE_PI), XLAT(FUTEX_CMP_REQUEUE_PI),
	XLAT(FUTEX_LOCK_PI2),
	XLAT(FUTEX_WAIT_PRIVATE), XLAT(FUTEX_WAKE_PRIVATE), XLAT(FUTEX_FD|FUTEX_PRIVATE_FLAG),
	XLAT(FUTEX_REQUEUE_PRIVATE), XLAT(FUTEX_CMP_REQUEUE_PRIVATE), XLAT(FUTEX_WAKE_OP_PRIVATE),
	XLAT(FUTEX_LOCK_PI_PRIVATE), XLAT(FUTEX_UNLOCK_PI_PRIVATE), XLAT(FUTEX_TRYLOCK_PI_PRIVATE),
	XLAT(FUTEX_WAIT_BITSET_PRIVATE), XLAT(FUTEX_WAKE_BITSET_PRIVATE),
	XLAT(FUTEX_WAIT_REQUEUE_PI_PRIVATE), XLAT(FUTEX_CMP_REQUEUE_PI_PRIVATE),
	XLAT(FUTEX_LOCK_PI2_PRIVATE),
	XLAT(FUTEX_WAIT|FUTEX_CLOCK_REALTIME), XLAT(FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME),
	XLAT(FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME),
	XLAT(FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME),
	XLAT(FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME),
	XLAT(FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME),
	XLAT_END
};
/* clang-format on */

/* val3 of the bitset operations, from <linux/futex.h> */
/* clang-format off */
static const struct xlat futex_bitsets[] = {
	XLAT(FUTEX_BITSET_MATCH_ANY),
	XLAT_END
};
/* clang-format on */

/* FUTEX_WAKE_OP's operation and comparison, from <linux/futex.h> */
/* clang-format off */
static const struct xlat futex_wake_ops[] = {
	XLAT(FUTEX_OP_SET), XLAT(FUTEX_OP_ADD), XLAT(FUTEX_OP_OR), XLAT(FUTEX_OP_ANDN),
	XLAT(FUTEX_OP_XOR),
	XLAT_END
};
/* clang-format on */

/* clang-format off */
static const struct xlat futex_wake_cmps[] = {
	XLAT(FUTEX_OP_CMP_EQ), XLAT(FUTEX_OP_CMP_NE), XLAT(FUTEX_OP_CMP_LT),
	XLAT(FUTEX_OP_CMP_LE), XLAT(FUTEX_OP_CMP_GT), XLAT(FUTEX_OP_CMP_GE),
	XLAT_END
};
/* clang-format on */

int futex_op_kind(uint64_t op)
{
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		return FUTEX_KIND_WAIT;
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
	case FUTEX_WAKE_OP:
	case FUTEX_UNLOCK_PI:
		return FUTEX_KIND_WAKE;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		return FUTEX_KIND_REQUEUE;
	}
	return FUTEX_KIND_OTHER;
}

bool futex_op_private(uint64_t op)
{
	return op & FUTEX_PRIVATE_FLAG;
}

void futex_print_op(struct strbuf *sb, uint64_t op)
{
	print_xval(sb, futex_ops, (unsigned)op, "%#llx", "FUTEX_???");
}

/* One part of FUTEX_WAKE_OP's encoded val3: "NAME<<shift", or the number
 * and a comment naming the table. */
static void print_wake_op_field(struct strbuf *sb, const struct xlat *x, unsigned v, unsigned shift,
				const char *unknown)
{
	const char *name = xlat_name(x, v);

	if (name)
		sb_printf(sb, "%s<<%u", name, shift);
	else
		sb_printf(sb, "%#x<<%u /* %s */", v, shift, unknown);
}

static void print_wake_op(struct strbuf *sb, unsigned val3)
{
	if ((val3 >> 28) & FUTEX_OP_OPARG_SHIFT)
		sb_puts(sb, "FUTEX_OP_OPARG_SHIFT<<28|");
	print_wake_op_field(sb, futex_wake_ops, (val3 >> 28) & 7, 28, "FUTEX_OP_???");
	sb_printf(sb, "|%#x<<12|", (val3 >> 12) & 0xfff);
	print_wake_op_field(sb, futex_wake_cmps, (val3 >> 24) & 0xf, 24, "FUTEX_OP_CMP_???");
	sb_printf(sb, "|%#x", val3 & 0xfff);
}

static void futex_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	unsigned op = a[1], val = a[2], val2 = a[3], val3 = a[5];

	print_addr(sb, a[0]);
	sb_puts(sb, ", ");
	futex_print_op(sb, op);
	/* strace picks the argument list by the low 7 bits, even for an
	 * operation it cannot name */
	switch (op & 127) {
	case FUTEX_WAIT:
		sb_printf(sb, ", %u, ", val);
		print_timespec_arg(sb, c, 0, a[3]);
		break;
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		sb_puts(sb, ", ");
		print_timespec_arg(sb, c, 0, a[3]);
		break;
	case FUTEX_WAIT_BITSET:
		sb_printf(sb, ", %u, ", val);
		print_timespec_arg(sb, c, 0, a[3]);
		sb_puts(sb, ", ");
		print_xval(sb, futex_bitsets, val3, "%#llx", NULL);
		break;
	case FUTEX_WAKE_BITSET:
		sb_printf(sb, ", %u, ", val);
		print_xval(sb, futex_bitsets, val3, "%#llx", NULL);
		break;
	case FUTEX_REQUEUE:
		sb_printf(sb, ", %u, %u, ", val, val2);
		print_addr(sb, a[4]);
		break;
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		sb_printf(sb, ", %u, %u, ", val, val2);
		print_addr(sb, a[4]);
		sb_printf(sb, ", %u", val3);
		break;
	case FUTEX_WAKE_OP:
		sb_printf(sb, ", %u, %u, ", val, val2);
		print_addr(sb, a[4]);
		sb_puts(sb, ", ");
		print_wake_op(sb, val3);
		break;
	case FUTEX_WAIT_REQUEUE_PI:
		sb_printf(sb, ", %u, ", val);
		print_timespec_arg(sb, c, 0, a[3]);
		sb_puts(sb, ", ");
		print_addr(sb, a[4]);
		break;
	case FUTEX_FD:
	case FUTEX_WAKE:
		sb_printf(sb, ", %u", val);
		break;
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
		break;
	default:
		sb_printf(sb, ", %u, ", val);
		print_addr(sb, a[3]);
		sb_puts(sb, ", ");
		print_addr(sb, a[4]);
		sb_printf(sb, ", %#x", val3);
	}
}

#ifdef SYS_futex_waitv
static void futex_waitv_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	/* strace too prints the waiters' address only */
	print_addr(sb, a[0]);
	sb_printf(sb, ", %u, %#x, ", (unsigned)a[1], (unsigned)a[2]);
	print_timespec_arg(sb, c, 0, a[3]);
	sb_puts(sb, ", ");
	print_xval(sb, clock_names, (unsigned)a[4], "%#llx", "CLOCK_???");
}
#endif

/* clang-format off */
static const struct syscall_def defs[] = {
	/* The timeout is input only, so it is read at exit; for the requeue
	 * operations arg 3 is a number and the read just faults. */
	{ "futex", SYS_futex, FAM_FUTEX,
	  { .wait = OFF_FUTEX, .caps = { { .kind = CAP_BYTES, .ptr_arg = 3, .unit = sizeof(struct timespec) } } },
	  futex_args_fmt, NULL },
#ifdef SYS_futex_waitv
	{ "futex_waitv", SYS_futex_waitv, FAM_FUTEX,
	  { .wait = OFF_FUTEX, .caps = { { .kind = CAP_BYTES, .ptr_arg = 3, .unit = sizeof(struct timespec) } } },
	  futex_waitv_args_fmt, NULL },
#endif
};

const struct syscall_family sys_futex = {
	"futex", FAM_FUTEX, defs, sizeof(defs) / sizeof(defs[0]),
};
/* clang-format on */
