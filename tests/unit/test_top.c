/* Unit tests for oslab top's pure part: samples from hand-made thread
 * records, rates between two snapshots, sorting, the columns that fit a
 * width, and golden row, totals and JSON text (no root, no terminal). */
#include <linux/futex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "syscalls.h"
#include "top.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

static struct top_slots slots;
static struct strbuf sb = STRBUF_INIT;

static unsigned slot_of(const char *name)
{
	return syscall_slot(syscall_by_name(name));
}

static int setup(void **state)
{
	(void)state;
	top_slots_init(&slots);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static struct thread rec(uint32_t tid, uint32_t tgid, const char *comm)
{
	struct thread t = { .tid = tid, .tgid = tgid, .start_ns = 5 * SEC };

	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	return t;
}

static void test_slots(void **state)
{
	(void)state;
	assert_int_equal(slots.futex, slot_of("futex"));
	assert_true(slots.write[slot_of("write")]);
	assert_true(slots.write[slot_of("writev")]);
	assert_true(slots.write[slot_of("sendto")]);
	assert_false(slots.write[slot_of("read")]);
	assert_true(slots.sock[slot_of("socket")]);
	assert_true(slots.sock[slot_of("accept4")]);
	assert_true(slots.sock[slot_of("sendto")]);
	/* close is in the network family but closes files too */
	assert_false(slots.sock[slot_of("close")]);
	assert_false(slots.sock[slot_of("write")]);
}

static void test_sample(void **state)
{
	struct thread t = rec(101, 100, "worker");
	struct top_sample s;

	(void)state;
	t.counts[slot_of("write")].calls = 40;
	t.counts[slot_of("sendto")].calls = 2;
	t.counts[slot_of("socket")].calls = 1;
	t.counts[slot_of("close")].calls = 7;
	t.counts[slot_of("futex")].calls = 13;
	t.futex_ops[1][FUTEX_WAIT] = (struct sc_count){ .calls = 5, .total_ns = 30 * MS };
	t.futex_ops[0][FUTEX_WAIT_BITSET] = (struct sc_count){ .calls = 1, .total_ns = 2 * MS };
	t.futex_ops[1][FUTEX_WAKE] = (struct sc_count){ .calls = 7, .total_ns = 1 * MS };
	t.sched.on_cpu_ns = 250 * MS;
	t.sched.voluntary = 9;
	t.sched.involuntary = 3;

	top_sample_from(&s, &t, &slots, 10 * SEC);
	assert_int_equal(s.pid, 100);
	assert_int_equal(s.tid, 101);
	assert_string_equal(s.comm, "worker");
	assert_false(s.on_cpu);
	assert_int_equal(s.cpu_ns, 250 * MS);
	assert_int_equal(s.syscalls, 40 + 2 + 1 + 7 + 13);
	assert_int_equal(s.writes, 42);
	assert_int_equal(s.sockets, 3);
	assert_int_equal(s.futex_waits, 6);		/* the wakes are not waits */
	assert_int_equal(s.futex_wait_ns, 32 * MS);
	assert_int_equal(s.vcsw, 9);
	assert_int_equal(s.ivcsw, 3);

	/* on a CPU since 9.9 s: the run so far counts */
	t.sched.on_cpu = 1;
	t.sched.last_ts = 9900 * MS;
	top_sample_from(&s, &t, &slots, 10 * SEC);
	assert_true(s.on_cpu);
	assert_int_equal(s.cpu_ns, 350 * MS);

	/* asleep in FUTEX_WAIT_PRIVATE since 9.5 s: the wait so far counts,
	 * not yet as a finished wait */
	t.sched.on_cpu = 0;
	t.cur_slot = slot_of("futex");
	t.cur_ts = 9500 * MS;
	t.cur_args[1] = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
	top_sample_from(&s, &t, &slots, 10 * SEC);
	assert_int_equal(s.cpu_ns, 250 * MS);
	assert_int_equal(s.futex_waits, 6);
	assert_int_equal(s.futex_wait_ns, 532 * MS);

	/* in FUTEX_WAKE: nothing blocked */
	t.cur_args[1] = FUTEX_WAKE_PRIVATE;
	top_sample_from(&s, &t, &slots, 10 * SEC);
	assert_int_equal(s.futex_wait_ns, 32 * MS);
}

static struct top_sample smp(uint32_t tid, uint64_t start, uint64_t cpu_ms, uint64_t calls)
{
	struct top_sample s = { .pid = 100, .tid = tid, .start_ns = start, .cpu_ns = cpu_ms * MS,
				.syscalls = calls, .writes = calls / 2, .sockets = calls / 4,
				.futex_waits = calls / 10, .futex_wait_ns = calls * MS,
				.vcsw = calls / 5, .ivcsw = calls / 20 };

	snprintf(s.comm, sizeof(s.comm), "t%u", tid);
	return s;
}

static void test_rates(void **state)
{
	struct top_sample prev[] = { smp(101, 1, 100, 100), smp(102, 1, 0, 0), smp(103, 1, 50, 40),
				     smp(105, 1, 0, 1000) };
	/* 101 went on, 102 exited, 103 is a new thread with 103's old tid,
	 * 104 is new, 105 went on and is busy */
	struct top_sample cur[] = { smp(101, 1, 600, 300), smp(103, 2, 20, 20), smp(104, 1, 10, 40),
				    smp(105, 1, 2100, 1000) };
	struct top_row rows[4];
	size_t n;

	(void)state;
	top_samples_sort(prev, 4);
	top_samples_sort(cur, 4);
	n = top_rates(prev, 4, cur, 4, 2.0, rows);
	assert_int_equal(n, 4);

	assert_int_equal(rows[0].tid, 101);
	assert_string_equal(rows[0].comm, "t101");
	assert_int_equal(rows[0].state, '?');
	assert_float_equal(rows[0].cpu_pct, 25.0, 1e-9);	/* 500 ms in 2 s */
	assert_float_equal(rows[0].syscalls, 100.0, 1e-9);	/* 200 in 2 s */
	assert_float_equal(rows[0].writes, 50.0, 1e-9);
	assert_float_equal(rows[0].sockets, 25.0, 1e-9);
	assert_float_equal(rows[0].futex_waits, 10.0, 1e-9);
	assert_float_equal(rows[0].futex_ms, 100.0, 1e-9);
	assert_float_equal(rows[0].vcsw, 20.0, 1e-9);
	assert_float_equal(rows[0].ivcsw, 5.0, 1e-9);

	/* a reused tid counts from zero, not from the old thread's totals */
	assert_int_equal(rows[1].tid, 103);
	assert_float_equal(rows[1].cpu_pct, 1.0, 1e-9);
	assert_float_equal(rows[1].syscalls, 10.0, 1e-9);

	assert_int_equal(rows[2].tid, 104);
	assert_float_equal(rows[2].cpu_pct, 0.5, 1e-9);
	assert_float_equal(rows[2].syscalls, 20.0, 1e-9);

	/* 2.1 s on a CPU in 2 s (records read at slightly different
	 * times): one thread is 100% at most */
	assert_int_equal(rows[3].tid, 105);
	assert_float_equal(rows[3].cpu_pct, 100.0, 1e-9);
	assert_float_equal(rows[3].syscalls, 0.0, 1e-9);

	/* the first snapshot: nothing before */
	n = top_rates(NULL, 0, cur, 1, 0.5, rows);
	assert_int_equal(n, 1);
	assert_float_equal(rows[0].syscalls, 600.0, 1e-9);
}

static struct top_row row(uint32_t tid, double cpu, double sys, double fw, double fms, double vc,
			  double ivc)
{
	struct top_row r = { .pid = 100, .tid = tid, .state = 'S', .cpu_pct = cpu, .syscalls = sys,
			     .futex_waits = fw, .futex_ms = fms, .vcsw = vc, .ivcsw = ivc };

	snprintf(r.comm, sizeof(r.comm), "t%u", tid);
	return r;
}

static const char *order(const struct top_row *rows, size_t n)
{
	sb_reset(&sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s%u", i ? " " : "", rows[i].tid);
	return sb_str(&sb);
}

static void test_sort(void **state)
{
	struct top_row rows[] = {
		row(104, 5.0, 10, 0, 0, 1, 1),	 row(101, 50.0, 10, 3, 20, 8, 0),
		row(103, 5.0, 900, 3, 700, 0, 0), row(102, 0.0, 0, 0, 0, 0, 0),
	};

	(void)state;
	top_sort(rows, 4, TOP_SORT_CPU);
	assert_string_equal(order(rows, 4), "101 103 104 102");	/* ties by tid */
	top_sort(rows, 4, TOP_SORT_SYSCALLS);
	assert_string_equal(order(rows, 4), "103 101 104 102");
	top_sort(rows, 4, TOP_SORT_FUTEX);
	assert_string_equal(order(rows, 4), "103 101 102 104");	/* then time blocked */
	top_sort(rows, 4, TOP_SORT_SWITCHES);
	assert_string_equal(order(rows, 4), "101 104 102 103");
	top_sort(rows, 4, TOP_SORT_TID);
	assert_string_equal(order(rows, 4), "101 102 103 104");

	assert_int_equal(top_sort_key('P'), TOP_SORT_CPU);
	assert_int_equal(top_sort_key('s'), TOP_SORT_SYSCALLS);
	assert_int_equal(top_sort_key('f'), TOP_SORT_FUTEX);
	assert_int_equal(top_sort_key('w'), TOP_SORT_SWITCHES);
	assert_int_equal(top_sort_key('t'), TOP_SORT_TID);
	assert_int_equal(top_sort_key('x'), -1);
	assert_string_equal(top_sort_name(TOP_SORT_CPU), "%CPU");
	assert_string_equal(top_sort_name(TOP_SORT_TID), "TID");
}

static const char *rate(double v)
{
	static char buf[16];

	top_format_rate(buf, sizeof(buf), v);
	return buf;
}

static void test_format_rate(void **state)
{
	(void)state;
	assert_string_equal(rate(0), "0");
	assert_string_equal(rate(0.04), "0");
	assert_string_equal(rate(0.05), "0.1");
	assert_string_equal(rate(2.5), "2.5");
	assert_string_equal(rate(9.94), "9.9");
	assert_string_equal(rate(9.96), "10");
	assert_string_equal(rate(812.4), "812");
	assert_string_equal(rate(99999.4), "99999");
	assert_string_equal(rate(123456), "123k");
	assert_string_equal(rate(9999000), "9999k");
	assert_string_equal(rate(12345678), "12M");
}

static const char *formatted(const struct top_layout *l, const struct top_row *r)
{
	sb_reset(&sb);
	if (r)
		top_format_row(&sb, l, r);
	else
		top_format_header(&sb, l);
	return sb_str(&sb);
}

static void test_layout(void **state)
{
	struct top_row r = row(4242, 99.96, 12345.6, 2.5, 731.2, 100, 0.3);
	struct top_layout l;

	(void)state;
	r.pid = 4200;
	r.state = 'R';
	r.writes = 400;
	r.sockets = 123456;
	snprintf(r.comm, sizeof(r.comm), "a-long-comm-15c");

	/* batch and wide terminals: every column */
	top_layout_full(&l);
	assert_string_equal(formatted(&l, NULL),
		"    PID     TID S  %CPU SYSC/s FUTX/s FUTXms VCSW/s ICSW/s WRIT/s SOCK/s COMMAND");
	assert_string_equal(formatted(&l, &r),
		"   4200    4242 R 100.0  12346    2.5    731    100    0.3    400   123k a-long-comm-15c");
	top_layout_for(&l, 200);
	assert_int_equal(l.cols, (1u << TOP_COLS) - 1);
	assert_int_equal(l.comm_width, 15);
	top_layout_for(&l, 88);
	assert_int_equal(l.cols, (1u << TOP_COLS) - 1);
	assert_string_equal(formatted(&l, &r),
		"   4200    4242 R 100.0  12346    2.5    731    100    0.3    400   123k a-long-comm-15c");

	/* 80 columns: the socket column goes, the command keeps 14 */
	top_layout_for(&l, 80);
	assert_int_equal(l.comm_width, 14);
	assert_string_equal(formatted(&l, NULL),
		"    PID     TID S  %CPU SYSC/s FUTX/s FUTXms VCSW/s ICSW/s WRIT/s COMMAND");
	assert_string_equal(formatted(&l, &r),
		"   4200    4242 R 100.0  12346    2.5    731    100    0.3    400 a-long-comm-15");
	assert_true(strlen(formatted(&l, &r)) <= 80);

	/* 60: then the futex time and involuntary switches */
	top_layout_for(&l, 60);
	assert_int_equal(l.comm_width, 8);
	assert_string_equal(formatted(&l, NULL),
		"    PID     TID S  %CPU SYSC/s FUTX/s VCSW/s WRIT/s COMMAND");
	assert_string_equal(formatted(&l, &r),
		"   4200    4242 R 100.0  12346    2.5    100    400 a-long-c");
	/* 58: and writes, rather than a command of 6 */
	top_layout_for(&l, 58);
	assert_string_equal(formatted(&l, &r),
		"   4200    4242 R 100.0  12346    2.5    100 a-long-comm-1");

	/* too narrow for anything but the essentials: the command shrinks */
	top_layout_for(&l, 30);
	assert_string_equal(formatted(&l, NULL), "    PID     TID S  %CPU COMMAN");
	assert_string_equal(formatted(&l, &r), "   4200    4242 R 100.0 a-long");
}

static void test_totals(void **state)
{
	struct top_row rows[] = {
		row(101, 50.0, 300, 3, 20, 8, 1), row(102, 12.5, 100, 0, 0, 2, 0),
		row(103, 0.0, 0, 0, 999.5, 0, 0),
	};
	struct top_totals t;

	(void)state;
	rows[0].state = 'R';
	rows[0].writes = 150;
	rows[1].writes = 50;
	rows[1].sockets = 4;
	top_totals(rows, 3, &t);
	assert_int_equal(t.threads, 3);
	assert_int_equal(t.running, 1);
	sb_reset(&sb);
	top_format_totals(&sb, &t);
	assert_string_equal(sb_str(&sb),
		"Threads: 3 (1 running)  CPU: 62.5%  Switches: 10/s vol, 1.0/s invol\n"
		"Syscalls: 400/s  Writes: 200/s  Sockets: 4.0/s\n"
		"Futex: 3.0 waits/s, 1020 ms/s blocked\n");

	/* system-wide batch lists the threads that did something */
	assert_true(top_row_active(&rows[0]));
	assert_true(top_row_active(&rows[2]));	/* blocked the whole time */
	rows[1] = row(104, 0, 0, 0, 0, 0, 0);
	assert_false(top_row_active(&rows[1]));
}

static void test_json(void **state)
{
	struct top_row r = row(4243, 12.5, 200, 1, 0.25, 100, 2);

	(void)state;
	r.pid = 4242;
	r.writes = 99.999;
	snprintf(r.comm, sizeof(r.comm), "we\"ird\\");
	top_json_row(&sb, 2, &r);
	assert_string_equal(sb_str(&sb),
		"{\"type\":\"top\",\"snapshot\":2,\"pid\":4242,\"tid\":4243,\"comm\":\"we\\\"ird\\\\\","
		"\"state\":\"S\",\"cpu_pct\":12.50,\"syscalls_per_s\":200.00,\"futex_waits_per_s\":1.00,"
		"\"futex_blocked_ms_per_s\":0.25,\"writes_per_s\":100.00,\"sockets_per_s\":0.00,"
		"\"vcsw_per_s\":100.00,\"ivcsw_per_s\":2.00}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_format_rate),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
