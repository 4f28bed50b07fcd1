/* Golden outputs for the tree, lock and socket reports, from hand-made
 * records like those the probes leave (no root needed). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "elfsym.h"
#include "locks.h"
#include "procs.h"
#include "sockets.h"
#include "tree.h"

#define MS 1000000ULL

static struct thread rec(uint32_t tid, uint32_t tgid, uint32_t ppid, unsigned origin, uint64_t start,
			 uint64_t end, uint16_t state, int code)
{
	struct thread t = { .tid = tid, .tgid = tgid, .ppid = ppid, .origin = origin,
			    .start_ns = start, .end_ns = end, .state = state, .exit_code = code,
			    .cpu_ns = 2 * MS, .nvcsw = 3, .nivcsw = 1, .min_flt = 10 };

	snprintf(t.comm, sizeof(t.comm), "prog");
	t.sched.on_cpu_ns = 2 * MS;
	t.sched.off_ns[OFF_FUTEX] = 5 * MS;
	t.sched.off_ns[OFF_RUNNABLE] = MS / 2;
	t.sched.cow_faults = tid == 101 ? 1024 : 0;
	return t;
}

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void build(struct procs *p)
{
	struct thread t;

	memset(p, 0, sizeof(*p));
	t = rec(100, 100, 1, ORIGIN_ROOT, 1000 * MS, 1010 * MS,
		THREAD_EXITED | THREAD_GROUP_DEAD | THREAD_EXECED, 0);
	procs_add_thread(p, &t);
	t = rec(102, 100, 100, ORIGIN_THREAD, 1002 * MS, 1005 * MS, THREAD_EXITED, 0);
	procs_add_thread(p, &t);
	t = rec(101, 101, 100, ORIGIN_PROCESS, 1001 * MS, 1004 * MS,
		THREAD_EXITED | THREAD_GROUP_DEAD, 3 << 8);
	procs_add_thread(p, &t);
	procs_build(p);
}

static void print_tree(FILE *f, void *p)
{
	tree_print(f, p, true);
}

static void test_tree(void **state)
{
	struct procs p;
	char *out;

	(void)state;
	build(&p);
	out = capture(print_tree, &p);
	assert_string_equal(out,
		"PID/TID           PPID CREATED     START ms   LIFE ms END                       CPU ms   VCSW   ICSW  FAULTS    COW  COMMAND\n"
		"100                  1 exec           0.000    10.000 exited with 0              2.000      3      1      10      0  prog\n"
		" └ 102                1 thread         2.000     3.000 thread exited              2.000      3      1      10      0  prog\n"
		"  101              100 fork           1.000     3.000 exited with 3              2.000      3      1      10   1024  prog\n");
	free(out);
	procs_free(&p);
}

static void print_time(FILE *f, void *p)
{
	tree_print_time(f, p);
}

static void test_time(void **state)
{
	struct procs p;
	char *out;

	(void)state;
	build(&p);
	out = capture(print_time, &p);
	assert_non_null(strstr(out, "TID       COMMAND          running ms   runnable      futex        I/O      sleep    blocked  wakeups      vol    invol\n"
				    "100       prog                  2.000      0.500      5.000      0.000      0.000      0.000        0        0        0\n"));
	free(out);
	procs_free(&p);
}

static void print_locks(FILE *f, void *l)
{
	locks_print(f, l, NULL);
}

static void test_locks(void **state)
{
	struct locks l = { 0 };
	struct futex_word w = { .tgid = 100, .uaddr = 0x55d0c0 };
	struct futex_stats s = { .waits = 3, .wakes = 4, .woken = 3, .wait_ns = 1500000 };
	struct futex_thread_key k = { .f = w, .tid = 101 };
	struct futex_thread_stats ts = { .waits = 3, .wait_ns = 1500000, .wakes = 1 };
	char *out;

	(void)state;
	s.hist[0] = 1;
	s.hist[2] = 2;
	locks_add_word(&l, &w, &s);
	locks_add_thread(&l, &k, &ts);
	strcpy(l.v[0].name, "counter_lock");
	out = capture(print_locks, &l);
	assert_string_equal(out,
		"FUTEX              NAME                     PID    WAITS    WAKES    WOKEN  BLOCKED s  KIND\n"
		"0x55d0c0           counter_lock             100        3        4        3   0.001500  private\n"
		"    tid 101      waited 3 times for 0.001500 s, woke others 1 times\n"
		"    time blocked per wait:\n"
		"      [       0,        2) us        1 |********************                    |\n"
		"      [       2,        4) us        0 |                                        |\n"
		"      [       4,        8) us        2 |****************************************|\n"
		"(private: FUTEX_PRIVATE_FLAG, a lock within one process; shared: without it, as a "
		"process-shared mutex or pthread_join's wait on a thread's TID)\n");
	free(out);
	locks_free(&l);
	out = capture(print_locks, &l);
	assert_string_equal(out, "locks: no futex word was waited on or woken: no thread ever slept on a lock\n");
	free(out);
}

static void print_socks(FILE *f, void *s)
{
	sockets_print(f, s, 1000 * MS);
}

static void test_sockets(void **state)
{
	struct sockets s = { 0 };
	struct sock_rec r = { .open_ns = 1001 * MS, .close_ns = 1003 * MS, .tgid = 100, .tid = 100,
			      .family = AF_INET, .type = SOCK_STREAM, .state = SOCKST_ACCEPTED,
			      .lport = 10001, .rport = 40000, .bytes_out = 4, .bytes_in = 4,
			      .sends = 1, .recvs = 1, .last_tgid = 101, .last_tid = 101,
			      .closes = 1, .close_tgid = 101, .shut = 2 };
	struct sock_rec lis = { .open_ns = 1000 * MS, .tgid = 100, .tid = 100, .family = AF_INET,
				.type = SOCK_STREAM, .state = SOCKST_LISTENING, .lport = 10001,
				.accepted = 1 };
	char *out;

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", r.laddr);
	inet_pton(AF_INET, "127.0.0.1", r.raddr);
	inet_pton(AF_INET, "127.0.0.1", lis.laddr);
	sockets_add(&s, &r);
	sockets_add(&s, &lis);
	sockets_finish(&s);
	out = capture(print_socks, &s);
	assert_string_equal(out,
		"STATE      PROTO LOCAL                  PEER                   BY pid/tid    BYTES OUT  BYTES IN   OPEN s   LIFE s  END\n"
		"listening  tcp   127.0.0.1:10001        -                      100/100               0         0    0.000    0.000  open at the end; accepted 1\n"
		"accepted   tcp   127.0.0.1:10001        127.0.0.1:40000        100/100               4         4    0.001    0.002  served by 101/101; shutdown(SHUT_WR), closed by 101\n");
	free(out);
	sockets_free(&s);
}

static void test_symbolize(void **state)
{
	char buf[64];

	(void)state;
	/* a missing file or no load address: no name, never a crash */
	assert_false(elf_symbolize("/nonexistent", 0x1000, 0x2000, buf, sizeof(buf)));
	assert_false(elf_symbolize("/proc/self/exe", 0, 0x2000, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_symbolize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
