// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_sys_futex.c - every futex operation's argument list, the wake-op
 * encoding, unknown operations, and the classification the lock reports use;
 * expected strings as strace 6.1 printed them.
 */
#include "fake_event.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>

#include "sys_futex.h"

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

#define UADDR  0x55e19c7ed018ULL
#define UADDR2 0x55e19c7ed020ULL

/* futex(UADDR, op, val, timeout-or-val2, uaddr2, val3) = ret */
static const char *futex(long long ret, __u64 op, __u64 val, __u64 a3, __u64 u2, __u64 v3)
{
	struct fake f;
	struct event *ev = fake_event(&f, ret, ARGS(UADDR, op, val, a3, u2, v3));

	return fake_format(&sb, &sys_futex, "futex", ev, NULL);
}

/* the same, with the probe's copy of the timespec at a3 */
static const char *futex_ts(long long ret, __u64 op, __u64 val, __u64 u2, __u64 v3)
{
	struct timespec ts = {0, 1000};
	struct fake f;
	struct event *ev = fake_event(&f, ret, ARGS(UADDR, op, val, 0x7ffc1000, u2, v3));

	fake_data(ev, 0, ts);
	return fake_format(&sb, &sys_futex, "futex", ev, NULL);
}

static void test_table(void **state)
{
	(void)state;
	fake_check_family(&sys_futex, FAM_FUTEX, FAM_FUTEX);
	assert_int_equal(fake_def(&sys_futex, "futex")->nr, SYS_futex);
}

static void test_wait(void **state)
{
	(void)state;
	assert_string_equal(futex(-EAGAIN, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAIT_PRIVATE, 2, NULL) = "
			    "-1 EAGAIN (Resource temporarily unavailable)");
	assert_string_equal(
	    futex_ts(-ETIMEDOUT, FUTEX_WAIT_PRIVATE, 1, 0, 0),
	    "futex(0x55e19c7ed018, FUTEX_WAIT_PRIVATE, 1, {tv_sec=0, tv_nsec=1000}) = "
	    "-1 ETIMEDOUT (Connection timed out)");
	/* a timeout pointer that faulted: no copy of it */
	assert_string_equal(futex(-EFAULT, FUTEX_WAIT, 1, 1, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAIT, 1, 0x1) = -1 EFAULT (Bad address)");
	assert_string_equal(
	    futex(-EAGAIN, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, 0, 0,
		  FUTEX_BITSET_MATCH_ANY),
	    "futex(0x55e19c7ed018, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, "
	    "NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)");
	assert_string_equal(
	    futex_ts(-ETIMEDOUT, FUTEX_WAIT_BITSET_PRIVATE, 1, 0, 5),
	    "futex(0x55e19c7ed018, FUTEX_WAIT_BITSET_PRIVATE, 1, {tv_sec=0, tv_nsec=1000}, "
	    "0x5) = -1 ETIMEDOUT (Connection timed out)");
	assert_string_equal(futex(-ENOSYS, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 3, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAIT|FUTEX_CLOCK_REALTIME, 3, NULL) = "
			    "-1 ENOSYS (Function not implemented)");
	assert_string_equal(
	    futex_ts(-ETIMEDOUT, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, UADDR2, 0),
	    "futex(0x55e19c7ed018, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, "
	    "{tv_sec=0, tv_nsec=1000}, 0x55e19c7ed020) = -1 ETIMEDOUT (Connection timed out)");
	/* an interrupted wait */
	assert_string_equal(futex(-512, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAIT_PRIVATE, 2, NULL) = "
			    "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
}

static void test_wake(void **state)
{
	(void)state;
	assert_string_equal(futex(1, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAKE_PRIVATE, 1) = 1");
	assert_string_equal(futex(0, FUTEX_WAKE, 2147483647, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_WAKE, 2147483647) = 0");
	assert_string_equal(
	    futex(0, FUTEX_WAKE_BITSET, 1, 0, 0, 0xffffffff),
	    "futex(0x55e19c7ed018, FUTEX_WAKE_BITSET, 1, FUTEX_BITSET_MATCH_ANY) = 0");
	assert_string_equal(
	    futex(-ENOSYS, FUTEX_FD, 5, 0, 0, 0),
	    "futex(0x55e19c7ed018, FUTEX_FD, 5) = -1 ENOSYS (Function not implemented)");
}

static void test_requeue(void **state)
{
	(void)state;
	assert_string_equal(
	    futex(0, FUTEX_REQUEUE_PRIVATE, 1, 2, UADDR2, 0),
	    "futex(0x55e19c7ed018, FUTEX_REQUEUE_PRIVATE, 1, 2, 0x55e19c7ed020) = 0");
	assert_string_equal(futex(0, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2147483647, UADDR2, 1),
			    "futex(0x55e19c7ed018, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2147483647, "
			    "0x55e19c7ed020, 1) = 0");
	assert_string_equal(
	    futex(0, FUTEX_CMP_REQUEUE_PI, 1, 3, UADDR2, 1),
	    "futex(0x55e19c7ed018, FUTEX_CMP_REQUEUE_PI, 1, 3, 0x55e19c7ed020, 1) = 0");
}

static void test_wake_op(void **state)
{
	(void)state;
	assert_string_equal(futex(0, FUTEX_WAKE_OP_PRIVATE, 1, 1, UADDR2,
				  FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)),
			    "futex(0x55e19c7ed018, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x55e19c7ed020, "
			    "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0");
	assert_string_equal(
	    futex(0, FUTEX_WAKE_OP, 1, 1, UADDR2,
		  (unsigned)(FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT) << 28 | 7 << 12 |
		      FUTEX_OP_CMP_EQ << 24 | 0xabc),
	    "futex(0x55e19c7ed018, FUTEX_WAKE_OP, 1, 1, 0x55e19c7ed020, "
	    "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x7<<12|FUTEX_OP_CMP_EQ<<24|0xabc) = 0");
	assert_string_equal(futex(-ENOSYS, FUTEX_WAKE_OP, 1, 1, UADDR2, (7u << 28) | (9u << 24)),
			    "futex(0x55e19c7ed018, FUTEX_WAKE_OP, 1, 1, 0x55e19c7ed020, "
			    "0x7<<28 /* FUTEX_OP_??? */|0<<12|0x9<<24 /* FUTEX_OP_CMP_??? */|0) = "
			    "-1 ENOSYS (Function not implemented)");
}

static void test_pi(void **state)
{
	(void)state;
	assert_string_equal(
	    futex_ts(-EPERM, FUTEX_LOCK_PI_PRIVATE, 0, 0, 0),
	    "futex(0x55e19c7ed018, FUTEX_LOCK_PI_PRIVATE, {tv_sec=0, tv_nsec=1000}) = "
	    "-1 EPERM (Operation not permitted)");
	assert_string_equal(futex(0, FUTEX_LOCK_PI2, 0, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_LOCK_PI2, NULL) = 0");
	assert_string_equal(futex(0, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_UNLOCK_PI_PRIVATE) = 0");
	assert_string_equal(futex(0, FUTEX_TRYLOCK_PI, 0, 0, 0, 0),
			    "futex(0x55e19c7ed018, FUTEX_TRYLOCK_PI) = 0");
}

static void test_unknown(void **state)
{
	(void)state;
	/* the argument list follows the low 7 bits even for unnamed operations */
	assert_string_equal(futex(-ENOSYS, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 3, 0, 0, 0),
			    "futex(0x55e19c7ed018, 0x101 /* FUTEX_??? */, 3) = "
			    "-1 ENOSYS (Function not implemented)");
	assert_string_equal(futex(-ENOSYS, 14, 3, 4, 5, 6),
			    "futex(0x55e19c7ed018, 0xe /* FUTEX_??? */, 3, 0x4, 0x5, 0x6) = "
			    "-1 ENOSYS (Function not implemented)");
	assert_string_equal(futex(-ENOSYS, 0x80000000, 3, 4, 5, 6),
			    "futex(0x55e19c7ed018, 0x80000000 /* FUTEX_??? */, 3, 0x4) = "
			    "-1 ENOSYS (Function not implemented)");
	assert_string_equal(futex(-ENOSYS, 0x200 | FUTEX_WAIT, 3, 4, 5, 6),
			    "futex(0x55e19c7ed018, 0x200 /* FUTEX_??? */, 3, 0x4) = "
			    "-1 ENOSYS (Function not implemented)");
}

#ifdef SYS_futex_waitv
static void test_waitv(void **state)
{
	struct timespec ts = {0, 1000};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, -EINVAL, ARGS(0, 0, 0, 0, CLOCK_REALTIME));
	assert_string_equal(
	    fake_format(&sb, &sys_futex, "futex_waitv", ev, NULL),
	    "futex_waitv(NULL, 0, 0, NULL, CLOCK_REALTIME) = -1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -EFAULT, ARGS(0x1000, 2, 0, 0x7ffc, CLOCK_MONOTONIC));
	fake_data(ev, 0, ts);
	assert_string_equal(
	    fake_format(&sb, &sys_futex, "futex_waitv", ev, NULL),
	    "futex_waitv(0x1000, 2, 0, {tv_sec=0, tv_nsec=1000}, CLOCK_MONOTONIC) = "
	    "-1 EFAULT (Bad address)");
	ev = fake_event(&f, -EINVAL, ARGS(0x1000, 2, 1, 0, 99));
	assert_string_equal(fake_format(&sb, &sys_futex, "futex_waitv", ev, NULL),
			    "futex_waitv(0x1000, 2, 0x1, NULL, 0x63 /* CLOCK_??? */) = "
			    "-1 EINVAL (Invalid argument)");
}
#endif

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(futex_op_kind(FUTEX_WAIT), FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_WAIT_PRIVATE), FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME),
			 FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_WAIT_REQUEUE_PI), FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_LOCK_PI_PRIVATE), FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_LOCK_PI2), FUTEX_KIND_WAIT);
	assert_int_equal(futex_op_kind(FUTEX_WAKE_PRIVATE), FUTEX_KIND_WAKE);
	assert_int_equal(futex_op_kind(FUTEX_WAKE_BITSET), FUTEX_KIND_WAKE);
	assert_int_equal(futex_op_kind(FUTEX_WAKE_OP_PRIVATE), FUTEX_KIND_WAKE);
	assert_int_equal(futex_op_kind(FUTEX_UNLOCK_PI), FUTEX_KIND_WAKE);
	assert_int_equal(futex_op_kind(FUTEX_REQUEUE), FUTEX_KIND_REQUEUE);
	assert_int_equal(futex_op_kind(FUTEX_CMP_REQUEUE_PRIVATE), FUTEX_KIND_REQUEUE);
	assert_int_equal(futex_op_kind(FUTEX_CMP_REQUEUE_PI), FUTEX_KIND_REQUEUE);
	assert_int_equal(futex_op_kind(FUTEX_TRYLOCK_PI), FUTEX_KIND_OTHER);
	assert_int_equal(futex_op_kind(FUTEX_FD), FUTEX_KIND_OTHER);
	/* the kernel rejects unknown bits: not a wait */
	assert_int_equal(futex_op_kind(0x200 | FUTEX_WAIT), FUTEX_KIND_OTHER);
	assert_int_equal(futex_op_kind(14), FUTEX_KIND_OTHER);
	assert_true(futex_op_private(FUTEX_WAKE_PRIVATE));
	assert_false(futex_op_private(FUTEX_WAKE));
	assert_false(futex_op_private(FUTEX_WAIT | FUTEX_CLOCK_REALTIME));

	sb_reset(&sb);
	futex_print_op(&sb, FUTEX_CMP_REQUEUE_PI_PRIVATE);
	assert_string_equal(sb_str(&sb), "FUTEX_CMP_REQUEUE_PI_PRIVATE");
	sb_reset(&sb);
	futex_print_op(&sb, FUTEX_FD | FUTEX_PRIVATE_FLAG);
	assert_string_equal(sb_str(&sb), "FUTEX_FD|FUTEX_PRIVATE_FLAG");
	sb_reset(&sb);
	futex_print_op(&sb, 15);
	assert_string_equal(sb_str(&sb), "0xf /* FUTEX_??? */");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_wake),
		cmocka_unit_test(test_requeue),
		cmocka_unit_test(test_wake_op),
		cmocka_unit_test(test_pi),
		cmocka_unit_test(test_unknown),
#ifdef SYS_futex_waitv
		cmocka_unit_test(test_waitv),
#endif
		cmocka_unit_test(test_kinds),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
