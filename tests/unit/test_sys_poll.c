// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_sys_poll.c - select, poll, epoll, timerfd and eventfd lines, their
 * results ("1 ([{fd=3, revents=POLLIN}])", "0 (Timeout)") and signal masks;
 * the expected strings as strace 6.1 printed them (select's and pselect6's
 * timeouts excepted: we print their addresses).
 */
#include "fake_event.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>

static struct strbuf sb = STRBUF_INIT;

static int teardown(void **state)
{
	(void)state;
	sb_free(&sb);
	return 0;
}

static const char *fmt(const char *name, const struct event *ev, const struct event *enter)
{
	return fake_format(&sb, &sys_poll, name, ev, enter);
}

static void test_table(void **state)
{
	(void)state;
	fake_check_family(&sys_poll, FAM_POLL, FAM_POLL);
	assert_int_equal(fake_def(&sys_poll, "epoll_ctl")->spec.caps[0].unit,
			 sizeof(struct epoll_event));
	/* the four fd_set captures of select leave no room for its timeout */
	for (int i = 0; i < CAPS_PER_SC; i++)
		assert_int_equal(fake_def(&sys_poll, "pselect6")->spec.caps[i].kind, CAP_BYTES);
}

#ifdef SYS_poll
static void test_poll(void **state)
{
	struct pollfd one[1] = {{3, POLLIN, POLLIN}};
	struct pollfd three[3] = {
	    {3, POLLIN, POLLIN},
	    {4, POLLOUT | POLLIN, POLLOUT},
	    {99, POLLIN | POLLPRI | 0x8000, POLLNVAL},
	};
	struct pollfd closed[1] = {{-1, POLLIN, 0}};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 1, ARGS(0x7ffc, 1, 1000));
	fake_data(ev, 0, one);
	assert_string_equal(
	    fmt("poll", ev, NULL),
	    "poll([{fd=3, events=POLLIN}], 1, 1000) = 1 ([{fd=3, revents=POLLIN}])");
	ev = fake_event(&f, 3, ARGS(0x7ffc, 3, 0));
	fake_data(ev, 0, three);
	assert_string_equal(
	    fmt("poll", ev, NULL),
	    "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}, "
	    "{fd=99, events=POLLIN|POLLPRI|POLL_BUSY_LOOP}], 3, 0) = 3 "
	    "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}, {fd=99, revents=POLLNVAL}])");
	ev = fake_event(&f, 0, ARGS(0x7ffc, 1, 0));
	fake_data(ev, 0, closed);
	assert_string_equal(fmt("poll", ev, NULL), "poll([{fd=-1}], 1, 0) = 0 (Timeout)");
	ev = fake_event(&f, 0, ARGS(0, 0, 0));
	assert_string_equal(fmt("poll", ev, NULL), "poll(NULL, 0, 0) = 0 (Timeout)");
	ev = fake_event(&f, -EFAULT, ARGS(1, 1, 0));
	fake_fault(ev, 0);
	assert_string_equal(fmt("poll", ev, NULL), "poll(0x1, 1, 0) = -1 EFAULT (Bad address)");
	ev = fake_event(&f, -516, ARGS(0x7ffc, 1, (__u64)-1));
	fake_data(ev, 0, one);
	assert_string_equal(fmt("poll", ev, NULL),
			    "poll([{fd=3, events=POLLIN}], 1, -1) = "
			    "? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	/* -s 2: at most two elements */
	decode_strsize = 2;
	ev = fake_event(&f, 3, ARGS(0x7ffc, 3, 0));
	fake_data(ev, 0, three);
	assert_string_equal(
	    fmt("poll", ev, NULL),
	    "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}, ...], 3, 0) = 3 "
	    "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}, ...])");
	decode_strsize = 32;
}
#endif

static void test_ppoll(void **state)
{
	struct pollfd two[2] = {{3, POLLIN, POLLIN}, {4, POLLOUT | POLLIN, POLLOUT}};
	struct timespec given = {1, 5}, left = {0, 999999026};
	uint64_t usr1 = 1ULL << (SIGUSR1 - 1), full = ~0ULL & ~(3ULL << 31);
	uint64_t some = 1ULL << (SIGHUP - 1) | 1ULL << 33 | 1ULL << 63,
		 nokill = ~(1ULL << (SIGKILL - 1));
	struct fake fx, fe;
	struct event *ev, *enter;

	(void)state;
	ev = fake_event(&fx, 2, ARGS(0x7ffc, 2, 0x7ffd, 0x7ffe, 8));
	enter = fake_enter(&fe, ARGS(0x7ffc, 2, 0x7ffd, 0x7ffe, 8));
	fake_data(ev, 0, two);
	fake_data(enter, 1, given);
	fake_data(ev, 2, left);
	fake_data(ev, 3, usr1);
	assert_string_equal(fmt("ppoll", ev, enter),
			    "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}], 2, "
			    "{tv_sec=1, tv_nsec=5}, [USR1], 8) = 2 ([{fd=3, revents=POLLIN}, "
			    "{fd=4, revents=POLLOUT}], left {tv_sec=0, tv_nsec=999999026})");
	ev = fake_event(&fx, 2, ARGS(0x7ffc, 2, 0, 0, 8));
	fake_data(ev, 0, two);
	assert_string_equal(
	    fmt("ppoll", ev, NULL),
	    "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}], 2, NULL, "
	    "NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])");
	/* signal masks: the complement when most are set */
	two[0].fd = 0;
	two[0].events = two[0].revents = 0;
	given = (struct timespec){0, 0};
	ev = fake_event(&fx, 0, ARGS(0x7ffc, 1, 0x7ffd, 0x7ffe, 8));
	enter = fake_enter(&fe, ARGS(0x7ffc, 1, 0x7ffd, 0x7ffe, 8));
	fake_chunk(ev, 0, CHUNK_DATA, two, sizeof(two[0]));
	fake_data(enter, 1, given);
	fake_data(ev, 2, given);
	fake_data(ev, 3, full);
	assert_string_equal(
	    fmt("ppoll", ev, enter),
	    "ppoll([{fd=0, events=0}], 1, {tv_sec=0, tv_nsec=0}, ~[RTMIN RT_1], 8) = "
	    "0 (Timeout)");
	ev->data_len = 0;
	fake_chunk(ev, 0, CHUNK_DATA, two, sizeof(two[0]));
	fake_data(ev, 3, some);
	assert_non_null(strstr(fmt("ppoll", ev, enter), ", [HUP RT_2 RT_32], 8) = 0 (Timeout)"));
	ev->data_len = 0;
	fake_chunk(ev, 0, CHUNK_DATA, two, sizeof(two[0]));
	fake_data(ev, 3, nokill);
	assert_non_null(strstr(fmt("ppoll", ev, enter), ", ~[KILL], 8) = 0 (Timeout)"));
	/* a size the kernel refuses, an unreadable mask */
	ev = fake_event(&fx, -EINVAL, ARGS(0x7ffc, 1, 0x7ffd, 0x7fffc4e85f50, 4));
	fake_chunk(ev, 0, CHUNK_DATA, two, sizeof(two[0]));
	fake_data(ev, 3, nokill);
	assert_non_null(strstr(fmt("ppoll", ev, enter), ", 0x7fffc4e85f50, 4) = -1 EINVAL"));
	ev = fake_event(&fx, -EFAULT, ARGS(0x7ffc, 1, 0x7ffd, 1, 8));
	fake_chunk(ev, 0, CHUNK_DATA, two, sizeof(two[0]));
	fake_fault(ev, 3);
	assert_string_equal(fmt("ppoll", ev, enter),
			    "ppoll([{fd=0, events=0}], 1, {tv_sec=0, tv_nsec=0}, 0x1, 8) = "
			    "-1 EFAULT (Bad address)");
}

/* select's captures: readfds and writefds at entry (0, 1), at exit (2, 3) */
static void put_set(struct event *ev, unsigned cap, int nfds, const int *fds, int n)
{
	fd_set set;

	FD_ZERO(&set);
	for (int i = 0; i < n; i++)
		FD_SET(fds[i], &set);
	fake_chunk(ev, cap, CHUNK_DATA, &set, nfds); /* the probe keeps nfds bytes */
}

static void test_select(void **state)
{
	static const int r_in[] = {3, 4}, w_in[] = {4}, r_out[] = {3}, w_out[] = {4};
	static const int fd0[] = {0}, fd9[] = {9};
	struct fake fx, fe;
	struct event *ev, *enter;
	const char *text;

	(void)state;
	ev = fake_event(&fx, 2, ARGS(5, 0x100, 0x200, 0, 0x300, 0));
	enter = fake_enter(&fe, ARGS(5, 0x100, 0x200, 0, 0x300, 0));
	put_set(enter, 0, 5, r_in, 2);
	put_set(enter, 1, 5, w_in, 1);
	put_set(ev, 2, 5, r_out, 1);
	put_set(ev, 3, 5, w_out, 1);
	assert_string_equal(fmt("pselect6", ev, enter),
			    "pselect6(5, [3 4], [4], NULL, 0x300, NULL) = 2 (in [3], out [4])");
#ifdef SYS_select
	assert_string_equal(fmt("select", ev, enter),
			    "select(5, [3 4], [4], NULL, 0x300) = 2 (in [3], out [4])");
#endif
	/* a bit at or above nfds is not shown */
	ev = fake_event(&fx, 0, ARGS(2, 0x100, 0, 0, 0x300, 0));
	enter = fake_enter(&fe, ARGS(2, 0x100, 0, 0, 0x300, 0));
	put_set(enter, 0, 2, fd9, 1);
	put_set(ev, 2, 2, fd9, 1);
	assert_string_equal(fmt("pselect6", ev, enter),
			    "pselect6(2, [], NULL, NULL, 0x300, NULL) = 0 (Timeout)");
	/* the result counts no more descriptors than it says */
	ev = fake_event(&fx, 1, ARGS(5, 0x100, 0x200, 0, 0, 0x400));
	enter = fake_enter(&fe, ARGS(5, 0x100, 0x200, 0, 0, 0x400));
	put_set(enter, 0, 5, r_in, 2);
	put_set(enter, 1, 5, w_in, 1);
	put_set(ev, 2, 5, r_in, 2);
	put_set(ev, 3, 5, w_in, 1);
	text = fmt("pselect6", ev, enter);
	assert_string_equal(text, "pselect6(5, [3 4], [4], NULL, NULL, 0x400) = 1 (in [3])");
	/* ready only in exceptfds, which we do not keep */
	ev = fake_event(&fx, 1, ARGS(5, 0x100, 0, 0x100, 0, 0));
	enter = fake_enter(&fe, ARGS(5, 0x100, 0, 0x100, 0, 0));
	put_set(enter, 0, 5, r_out, 1);
	put_set(ev, 2, 5, NULL, 0);
	assert_string_equal(fmt("pselect6", ev, enter),
			    "pselect6(5, [3], NULL, 0x100, NULL, NULL) = 1 ()");
	/* nfds <= 0 and unreadable sets print addresses */
	ev = fake_event(&fx, -EINVAL, ARGS((__u64)-1, 0x7ffcd07cff60, 0, 0, 0, 0));
	enter = fake_enter(&fe, ARGS((__u64)-1, 0x7ffcd07cff60, 0, 0, 0, 0));
	put_set(enter, 0, 128, fd0, 1);
	assert_string_equal(fmt("pselect6", ev, enter),
			    "pselect6(-1, 0x7ffcd07cff60, NULL, NULL, NULL, NULL) = "
			    "-1 EINVAL (Invalid argument)");
	ev = fake_event(&fx, -EFAULT, ARGS(2, 1, 0, 0, 0x300, 0));
	enter = fake_enter(&fe, ARGS(2, 1, 0, 0, 0x300, 0));
	fake_fault(enter, 0);
	assert_string_equal(fmt("pselect6", ev, enter),
			    "pselect6(2, 0x1, NULL, NULL, 0x300, NULL) = -1 EFAULT (Bad address)");
}

static void test_epoll(void **state)
{
	struct epoll_event in = {.events = EPOLLIN | EPOLLET, .data.u64 = 3};
	struct epoll_event odd = {.events = EPOLLOUT | EPOLLEXCLUSIVE | 0x100000,
				  .data.u64 = 0x1234567890ULL};
	struct epoll_event got[2] = {{.events = EPOLLIN, .data.u64 = 3},
				     {.events = EPOLLIN | EPOLLHUP, .data.u64 = 4}};
	struct fake f;
	struct event *ev;

	(void)state;
	assert_string_equal(fmt("epoll_create1", fake_event(&f, 5, ARGS(EPOLL_CLOEXEC)), NULL),
			    "epoll_create1(EPOLL_CLOEXEC) = 5");
	assert_string_equal(fmt("epoll_create1", fake_event(&f, 7, ARGS(0)), NULL),
			    "epoll_create1(0) = 7");
	assert_string_equal(fmt("epoll_create1", fake_event(&f, -EINVAL, ARGS(1)), NULL),
			    "epoll_create1(0x1 /* EPOLL_??? */) = -1 EINVAL (Invalid argument)");
#ifdef SYS_epoll_create
	assert_string_equal(fmt("epoll_create", fake_event(&f, 6, ARGS(10)), NULL),
			    "epoll_create(10) = 6");
#endif
	ev = fake_event(&f, 0, ARGS(5, EPOLL_CTL_ADD, 3, 0x7ffc));
	fake_data(ev, 0, in);
	assert_string_equal(
	    fmt("epoll_ctl", ev, NULL),
	    "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=3, u64=3}}) = 0");
	ev = fake_event(&f, -EINVAL, ARGS(5, EPOLL_CTL_MOD, 3, 0x7ffc));
	fake_data(ev, 0, odd);
	assert_string_equal(
	    fmt("epoll_ctl", ev, NULL),
	    "epoll_ctl(5, EPOLL_CTL_MOD, 3, {events=EPOLLOUT|EPOLLEXCLUSIVE|0x100000, "
	    "data={u32=878082192, u64=78187493520}}) = -1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -EINVAL, ARGS(5, 7, 3, 0x7ffc));
	fake_data(ev, 0, odd);
	assert_string_equal(
	    fmt("epoll_ctl", ev, NULL),
	    "epoll_ctl(5, 0x7 /* EPOLL_CTL_??? */, 3, {events=EPOLLOUT|EPOLLEXCLUSIVE|"
	    "0x100000, data={u32=878082192, u64=78187493520}}) = -1 EINVAL (Invalid argument)");
	ev = fake_event(&f, -ENOENT, ARGS(5, EPOLL_CTL_DEL, 4, 0));
	assert_string_equal(
	    fmt("epoll_ctl", ev, NULL),
	    "epoll_ctl(5, EPOLL_CTL_DEL, 4, NULL) = -1 ENOENT (No such file or directory)");

#ifdef SYS_epoll_wait
	ev = fake_event(&f, 1, ARGS(5, 0x7ffc, 64, (__u64)-1));
	fake_chunk(ev, 0, CHUNK_DATA, got, sizeof(got[0]));
	assert_string_equal(fmt("epoll_wait", ev, NULL),
			    "epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=3}}], 64, -1) = 1");
	ev = fake_event(&f, 2, ARGS(5, 0x7ffc, 64, 0));
	fake_data(ev, 0, got);
	assert_string_equal(fmt("epoll_wait", ev, NULL),
			    "epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=3}}, "
			    "{events=EPOLLIN|EPOLLHUP, data={u32=4, u64=4}}], 64, 0) = 2");
	ev = fake_event(&f, 0, ARGS(5, 0x7ffc, 64, 0));
	fake_chunk(ev, 0, CHUNK_DATA, got, 0);
	assert_string_equal(fmt("epoll_wait", ev, NULL), "epoll_wait(5, [], 64, 0) = 0");
	ev = fake_event(&f, -EBADF, ARGS((__u64)-1, 0x7ffcd07cfbc0, 64, 0));
	assert_string_equal(
	    fmt("epoll_wait", ev, NULL),
	    "epoll_wait(-1, 0x7ffcd07cfbc0, 64, 0) = -1 EBADF (Bad file descriptor)");
#endif
}

static void test_epoll_pwait(void **state)
{
	uint64_t usr1 = 1ULL << (SIGUSR1 - 1), none = 0;
	struct timespec ts = {0, 100};
	struct fake f;
	struct event *ev;

	(void)state;
	ev = fake_event(&f, 0, ARGS(5, 0x7ffc, 64, 0, 0x7ffd, 8));
	fake_chunk(ev, 0, CHUNK_DATA, &ts, 0);
	fake_data(ev, 1, usr1);
	assert_string_equal(fmt("epoll_pwait", ev, NULL),
			    "epoll_pwait(5, [], 64, 0, [USR1], 8) = 0");
	ev = fake_event(&f, 0, ARGS(3, 0, 1, 0, 0x7ffd, 8));
	fake_data(ev, 1, none);
	assert_string_equal(fmt("epoll_pwait", ev, NULL), "epoll_pwait(3, NULL, 1, 0, [], 8) = 0");
	ev = fake_event(&f, 0, ARGS(5, 0x7ffc, 64, 0, 0, 8));
	fake_chunk(ev, 0, CHUNK_DATA, &ts, 0);
	assert_string_equal(fmt("epoll_pwait", ev, NULL), "epoll_pwait(5, [], 64, 0, NULL, 8) = 0");
#ifdef SYS_epoll_pwait2
	ev = fake_event(&f, 0, ARGS(5, 0x7ffc, 64, 0x7ffe, 0, 8));
	fake_chunk(ev, 0, CHUNK_DATA, &ts, 0);
	fake_data(ev, 1, ts);
	assert_string_equal(fmt("epoll_pwait2", ev, NULL),
			    "epoll_pwait2(5, [], 64, {tv_sec=0, tv_nsec=100}, NULL, 8) = 0");
#endif
}

static void test_timerfd_eventfd(void **state)
{
	struct itimerspec its = {{0, 0}, {1, 0}}, old = {{0, 0}, {0, 999960360}};
	struct fake f;
	struct event *ev;

	(void)state;
	assert_string_equal(
	    fmt("timerfd_create",
		fake_event(&f, 8, ARGS(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)), NULL),
	    "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 8");
	assert_string_equal(fmt("timerfd_create", fake_event(&f, 9, ARGS(CLOCK_REALTIME, 0)), NULL),
			    "timerfd_create(CLOCK_REALTIME, 0) = 9");
	assert_string_equal(
	    fmt("timerfd_create", fake_event(&f, -EINVAL, ARGS(CLOCK_BOOTTIME, 0x1234)), NULL),
	    "timerfd_create(CLOCK_BOOTTIME, 0x1234 /* TFD_??? */) = "
	    "-1 EINVAL (Invalid argument)");
	assert_string_equal(
	    fmt("timerfd_create", fake_event(&f, -EINVAL, ARGS(77, 0)), NULL),
	    "timerfd_create(0x4d /* CLOCK_??? */, 0) = -1 EINVAL (Invalid argument)");

	ev = fake_event(&f, 0, ARGS(8, 0, 0x7ffc, 0));
	fake_data(ev, 0, its);
	assert_string_equal(fmt("timerfd_settime", ev, NULL),
			    "timerfd_settime(8, 0, {it_interval={tv_sec=0, tv_nsec=0}, "
			    "it_value={tv_sec=1, tv_nsec=0}}, NULL) = 0");
	ev =
	    fake_event(&f, 0, ARGS(8, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 0x7ffc, 0x7ffd));
	fake_data(ev, 0, its);
	fake_data(ev, 1, old);
	assert_string_equal(
	    fmt("timerfd_settime", ev, NULL),
	    "timerfd_settime(8, TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET, "
	    "{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}, "
	    "{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=999960360}}) = 0");
	ev = fake_event(&f, -EFAULT, ARGS(8, 0, 0, 0));
	assert_string_equal(fmt("timerfd_settime", ev, NULL),
			    "timerfd_settime(8, 0, NULL, NULL) = -1 EFAULT (Bad address)");

	assert_string_equal(
	    fmt("eventfd2", fake_event(&f, 11, ARGS(0, EFD_NONBLOCK | EFD_CLOEXEC)), NULL),
	    "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 11");
	assert_string_equal(fmt("eventfd2", fake_event(&f, 12, ARGS(3, EFD_SEMAPHORE)), NULL),
			    "eventfd2(3, EFD_SEMAPHORE) = 12");
	assert_string_equal(fmt("eventfd2", fake_event(&f, 13, ARGS(3, 0)), NULL),
			    "eventfd2(3, 0) = 13");
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
#ifdef SYS_poll
		cmocka_unit_test(test_poll),
#endif
		cmocka_unit_test(test_ppoll),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_epoll),
		cmocka_unit_test(test_epoll_pwait),
		cmocka_unit_test(test_timerfd_eventfd),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, teardown);
}
