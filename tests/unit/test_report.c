/* Unit tests for the report logic: the -c table, the process tree built from
 * thread records, -e trace= selection, JSON escaping and the log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "json.h"
#include "log.h"
#include "procs.h"
#include "summary.h"
#include "syscalls.h"

static unsigned slot_of(const char *name)
{
	return syscall_slot(syscall_by_name(name));
}

/* Capture what a FILE-writing function prints. */
static char *printed(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void print_counts(FILE *f, const void *counts)
{
	summary_print(f, counts, true);
}

static void print_counts_untimed(FILE *f, const void *counts)
{
	summary_print(f, counts, false);
}

static void test_summary_table(void **state)
{
	struct sc_count c[SC_SLOTS] = { 0 };
	char *out;

	(void)state;
	c[slot_of("write")] = (struct sc_count){ .calls = 1000, .errors = 0, .total_ns = 3000000 };
	c[slot_of("futex")] = (struct sc_count){ .calls = 10, .errors = 4, .total_ns = 1000000 };
	c[slot_of("close")] = (struct sc_count){ .calls = 2, .errors = 0, .total_ns = 0 };
	out = printed(print_counts, c);
	assert_string_equal(out,
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 75.00    0.003000           3      1000           write\n"
		" 25.00    0.001000         100        10         4 futex\n"
		"  0.00    0.000000           0         2           close\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.004000           3      1012         4 total\n");
	free(out);
}

/* without -w the calls were not timed: strace -c -U calls,errors,name */
static void test_summary_untimed(void **state)
{
	struct sc_count c[SC_SLOTS] = { 0 };
	char *out;

	(void)state;
	c[slot_of("write")] = (struct sc_count){ .calls = 1000 };
	c[slot_of("futex")] = (struct sc_count){ .calls = 10, .errors = 4 };
	c[slot_of("close")] = (struct sc_count){ .calls = 10 };
	c[slot_of("read")] = (struct sc_count){ .calls = 5 };	/* nr 0, yet after the 10s */
	out = printed(print_counts_untimed, c);
	assert_string_equal(out,
		"    calls    errors syscall\n"
		"--------- --------- ----------------\n"
		"     1000           write\n"
		"       10           close\n"
		"       10         4 futex\n"
		"        5           read\n"
		"--------- --------- ----------------\n"
		"     1025         4 total\n");
	free(out);
}

static void test_summary_empty(void **state)
{
	struct sc_count c[SC_SLOTS] = { 0 };
	char *out;

	(void)state;
	out = printed(print_counts, c);
	assert_non_null(strstr(out, "  0.00    0.000000           0         0         0 total\n"));
	free(out);
}

static struct thread rec(uint32_t tid, uint32_t tgid, uint32_t ppid, unsigned origin,
			 uint64_t start, uint16_t state, int code)
{
	struct thread t = { .tid = tid, .tgid = tgid, .ppid = ppid, .origin = origin,
			    .start_ns = start, .end_ns = start + 100, .state = state,
			    .exit_code = code };

	snprintf(t.comm, sizeof(t.comm), "t%u", tid);
	return t;
}

static void test_procs_tree(void **state)
{
	struct procs p = { 0 };
	struct thread t;
	const struct proc *pr;

	(void)state;
	/* a root with two threads, one of which is the last to exit; a child
	 * process; and the same exited thread read twice (live, then exited) */
	t = rec(100, 100, 1, ORIGIN_ROOT, 10, THREAD_EXITED, 0);
	t.counts[slot_of("write")].calls = 3;
	procs_add_thread(&p, &t);
	t = rec(101, 100, 100, ORIGIN_THREAD, 20, 0, 0);
	procs_add_thread(&p, &t);
	t = rec(101, 100, 100, ORIGIN_THREAD, 20, THREAD_EXITED | THREAD_GROUP_DEAD, 3 << 8);
	t.counts[slot_of("write")].calls = 2;
	procs_add_thread(&p, &t);
	t = rec(102, 102, 100, ORIGIN_PROCESS, 30, THREAD_EXITED | THREAD_GROUP_DEAD, 9);
	procs_add_thread(&p, &t);
	procs_build(&p);

	assert_int_equal(p.n_threads, 3);
	assert_int_equal(p.n_procs, 2);
	pr = procs_find(&p, 100);
	assert_non_null(pr);
	assert_int_equal(pr->threads, 2);
	assert_true(pr->exited);
	assert_int_equal(pr->exit_code, 3 << 8);
	assert_int_equal(pr->counts[slot_of("write")].calls, 5);
	pr = procs_find(&p, 102);
	assert_int_equal(pr->ppid, 100);
	assert_int_equal(pr->exit_code, 9);
	assert_int_equal(p.created[ORIGIN_THREAD], 1);
	assert_int_equal(p.created[ORIGIN_PROCESS], 1);
	assert_int_equal(p.total[slot_of("write")].calls, 5);
	procs_free(&p);
}

/* A pid used twice, orphans by the right parent, and a thread that execs. */
static void test_procs_pid_reuse(void **state)
{
	const uint16_t dead = THREAD_EXITED | THREAD_GROUP_DEAD;
	struct procs p = { 0 };
	struct thread t;

	(void)state;
	t = rec(100, 100, 1, ORIGIN_ROOT, 10, dead, 0);	/* ends at 110 */
	procs_add_thread(&p, &t);
	t = rec(200, 200, 100, ORIGIN_PROCESS, 20, dead, 0);
	t.end_ns = 500;		/* outlives its parent: an orphan */
	procs_add_thread(&p, &t);
	t = rec(100, 100, 1, ORIGIN_PROCESS, 300, 0, 0);	/* pid 100 again, running */
	procs_add_thread(&p, &t);
	t = rec(101, 100, 100, ORIGIN_THREAD, 310, THREAD_EXITED, 0);
	procs_add_thread(&p, &t);
	/* the thread of the second pid 100 that exec'd, and so took tid 100 */
	t = rec(100, 100, 100, ORIGIN_THREAD, 320, dead | THREAD_EXECED, 0);
	procs_add_thread(&p, &t);
	/* a child of the second pid 100, ending before it (at 420), long
	 * after the first (at 110) */
	t = rec(300, 300, 100, ORIGIN_PROCESS, 330, dead, 0);
	t.end_ns = 400;
	procs_add_thread(&p, &t);
	procs_build(&p);

	assert_int_equal(p.n_procs, 4);
	assert_int_equal(p.procs[0].pid, 100);
	assert_int_equal(p.procs[0].threads, 1);
	assert_int_equal(p.procs[1].pid, 200);
	assert_true(p.procs[1].orphan);
	assert_int_equal(p.procs[2].pid, 100);
	assert_int_equal(p.procs[2].threads, 3);
	assert_true(p.procs[2].exited);
	assert_int_equal(p.procs[3].pid, 300);
	/* its parent is the second pid 100, which it did not outlive */
	assert_false(p.procs[3].orphan);
	procs_free(&p);
}

static void test_select(void **state)
{
	bool sel[SC_SLOTS];
	char err[128];
	unsigned n = 0;

	(void)state;
	assert_int_equal(syscalls_select("write,futex", sel, err, sizeof(err)), 0);
	/* "write" and "futex" name families: write's includes writev */
	assert_true(sel[slot_of("write")]);
	assert_true(sel[slot_of("writev")]);
	assert_true(sel[slot_of("futex")]);
	assert_false(sel[slot_of("clone3")]);
	assert_int_equal(syscalls_select("%process", sel, err, sizeof(err)), 0);
	assert_true(sel[slot_of("clone3")]);
	assert_true(sel[slot_of("execve")]);
	assert_false(sel[slot_of("write")]);
	assert_int_equal(syscalls_select("!futex", sel, err, sizeof(err)), 0);
	assert_false(sel[slot_of("futex")]);
	assert_true(sel[slot_of("write")]);
	assert_int_equal(syscalls_select("accept4", sel, err, sizeof(err)), 0);
	for (unsigned s = 1; s <= syscalls_count(); s++)
		n += sel[s];
	assert_int_equal(n, 1);
	assert_int_equal(syscalls_select("write,nosuch", sel, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown syscall or family 'nosuch' in -e trace=");
	assert_int_equal(syscalls_select("%nosuch", sel, err, sizeof(err)), -1);
}

static void test_registry(void **state)
{
	(void)state;
	assert_true(syscalls_count() > 30);
	assert_true(syscalls_count() < SC_SLOTS);
	assert_int_equal(syscall_by_nr(SYS_write), syscall_by_name("write"));
	assert_int_equal(syscall_by_slot(slot_of("clone3"))->nr, SYS_clone3);
	assert_null(syscall_by_slot(0));
	assert_null(syscall_by_name("getpid"));
	/* every name is unique, every number is unique */
	for (unsigned a = 1; a <= syscalls_count(); a++)
		for (unsigned b = a + 1; b <= syscalls_count(); b++) {
			assert_string_not_equal(syscall_by_slot(a)->name, syscall_by_slot(b)->name);
			assert_int_not_equal(syscall_by_slot(a)->nr, syscall_by_slot(b)->nr);
		}
}

static void test_json(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	json_begin(&sb, "event");
	json_kv_str(&sb, "text", "write(1, \"a\\n\", 2)\t\x01\xc3");
	json_kv_int(&sb, "ret", -11);
	json_kv_uint(&sb, "calls", 18446744073709551615ULL);
	json_end(&sb, f);
	fclose(f);
	assert_string_equal(buf, "{\"type\":\"event\",\"text\":\"write(1, \\\"a\\\\n\\\", 2)\\t\\u0001\\u00c3\","
				 "\"ret\":-11,\"calls\":18446744073709551615}\n");
	free(buf);
	sb_free(&sb);
}

/* An event as the probe sends it: header, then one chunk of bytes. */
static size_t fake_write(uint8_t *buf, uint32_t tid, const char *data, long ret)
{
	struct event *ev = (void *)buf;
	struct chunk *ch = (void *)(ev + 1);
	size_t n = strlen(data);

	memset(buf, 0, 256);
	ev->type = EV_SYSCALL;
	ev->tid = tid;
	ev->tgid = tid;
	ev->nr = SYS_write;
	ev->ret = ret;
	ev->duration_ns = 1500;
	ev->args[0] = 1;
	ev->args[1] = 0x1000;
	ev->args[2] = n;
	ch->cap = 0;
	ch->part = CHUNK_DATA;
	ch->len = n;
	memcpy(ch + 1, data, n);
	ev->data_len = (sizeof(*ch) + n + 7) & ~7u;
	return sizeof(*ev) + ev->data_len;
}

static void test_log_line(void **state)
{
	struct log l = { .durations = true };
	uint8_t buf[256];
	char *out = NULL;
	size_t len = 0, n;

	(void)state;
	l.out = open_memstream(&out, &len);
	log_init(&l);
	n = fake_write(buf, 4242, "hi\n", 3);
	log_event(&l, (void *)buf, n);
	n = fake_write(buf, 4243, "x", -9);
	log_event(&l, (void *)buf, n);
	fclose(l.out);
	assert_string_equal(out, "[pid 4242] write(1, \"hi\\n\", 3) = 3 <0.000001>\n"
				 "[pid 4243] write(1, \"x\", 1) = -1 EBADF (Bad file descriptor) <0.000001>\n");
	assert_int_equal(l.events, 2);
	free(out);
	log_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_table),
		cmocka_unit_test(test_summary_untimed),
		cmocka_unit_test(test_summary_empty),
		cmocka_unit_test(test_procs_tree),
		cmocka_unit_test(test_procs_pid_reuse),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_log_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
