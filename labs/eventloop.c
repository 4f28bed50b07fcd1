// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * eventloop.c - one thread, many things at once: echo servers on select,
 * poll and epoll; timers as sleeping tasks; tasks as state machines with
 * gather, wait-with-timeout and cancel; and what a blocking call does to a
 * loop, and how handing it to a worker thread fixes that.
 *
 * An event loop never waits for one thing: it asks the kernel "which of all
 * these file descriptors is ready?" (select, poll, epoll_wait), handles
 * exactly what is ready without blocking, and asks again.  Sockets are
 * non-blocking, and sleeps are timers (timerfd) the loop waits on like sockets.
 *
 * Every wait has a timeout: a loop that hears nothing for LOOP_TIMEOUT_MS
 * gives up and reports failure.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid, pthread_setname_np, accept4, ... */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_CLIENTS 100		/* --clients limit (select() handles fds below FD_SETSIZE) */
#define BACKLOG 128		/* > MAX_CLIENTS: every client connects at once */
#define LOOP_TIMEOUT_MS 5000	/* a loop that sees nothing for this long gives up */
#define IO_TIMEOUT_MS 5000	/* the clients' read timeout */
#define MAX_EVENTS 64		/* events one epoll_wait() returns at most */

/* Arm timerfd fd to expire after ms, then every interval_ms (0: once; ms 0: disarm). */
static void timer_arm(int fd, long ms, long interval_ms)
{
	struct itimerspec its = {
		.it_value = { ms / 1000, (ms % 1000) * 1000000L },
		.it_interval = { interval_ms / 1000, (interval_ms % 1000) * 1000000L },
	};

	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		perror("timerfd_settime");
		exit(1);
	}
}

/* Read a timerfd that epoll reported ready: the number of expirations since the last read. */
static uint64_t timer_read(int fd)
{
	uint64_t expirations = 0;

	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations) && errno != EAGAIN) {
		perror("read(timerfd)");
		exit(1);
	}
	return expirations;
}

/*
 * One echo client, run in a child process: connect, then M times send a line
 * and wait (blocking, with a read timeout) for the same line back.  Exits 0
 * when every echo matched.
 */
static void run_echo_client(int port, long num, long messages)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { IO_TIMEOUT_MS / 1000, 0 };
	int ok = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("client: socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("client: setsockopt(SO_RCVTIMEO)");
		exit(1);
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("client: connect");
		exit(1);
	}
	for (long m = 1; m <= messages; m++) {
		char msg[64], buf[64];
		size_t used = 0;
		int len = snprintf(msg, sizeof(msg), "client %ld message %ld\n", num, m);

		if (send(fd, msg, (size_t)len, MSG_NOSIGNAL) != len) {
			perror("client: send");
			exit(1);
		}
		while (used < (size_t)len) {	/* the echo may come back in pieces */
			ssize_t n = recv(fd, buf + used, sizeof(buf) - 1 - used, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				printf("client %ld: recv: %s\n", num, n < 0 ? strerror(errno) : "closed");
				exit(1);
			}
			used += (size_t)n;
		}
		ok += used == (size_t)len && memcmp(buf, msg, (size_t)len) == 0;
	}
	close(fd);
	printf("client %ld (pid %d): %d of %ld echoes matched\n", num, (int)getpid(), ok, messages);
	exit(ok == messages ? 0 : 1);
}

/*
 * Echo what is waiting on non-blocking fd, counting lines in *lines.
 * Returns > 0 while the connection stays open, 0 when the client closed it,
 * -1 on an error.
 */
static ssize_t echo_once(int fd, long *lines)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && errno == EAGAIN)
		return 1;	/* nothing there after all: still open */
	if (n <= 0)
		return n;
	/* short lines into an empty socket buffer: the whole write fits at once */
	if (write(fd, buf, (size_t)n) != n) {
		perror("echo: write");
		return -1;
	}
	for (ssize_t i = 0; i < n; i++)
		*lines += buf[i] == '\n';
	return n;
}

/* Report and check the end of an echo server run; reaps the clients. */
static int echo_summary(const char *how, const struct lab_opts *o, pid_t *clients, int accepted,
			long echoes, long wakeups, long elapsed)
{
	int clients_ok = 0;

	for (long i = 0; i < o->clients; i++) {
		int st;

		if (waitpid(clients[i], &st, 0) < 0) {
			perror("waitpid");
			exit(1);
		}
		clients_ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	printf("%s: one thread served %d connections, echoed %ld lines in %ld ms and %ld wake-ups; "
	       "%d of %ld clients got every echo back\n", how, accepted, echoes, elapsed, wakeups,
	       clients_ok, o->clients);
	lab_result("connections", accepted);
	lab_result("echoes", echoes);
	lab_result("clients_ok", clients_ok);
	lab_result("echoes_ok", clients_ok * o->messages);
	lab_result("wakeups", wakeups);
	lab_result("elapsed_ms", elapsed);
	return clients_ok == o->clients && echoes == o->clients * o->messages ? 0 : 1;
}

/* ---- select ---------------------------------------------------------------- */

static int variant_select(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	pid_t clients[MAX_CLIENTS];
	int one = 1, accepted = 0, closed = 0;
	long echoes = 0, wakeups = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* non-blocking: accept() on it must never stall the loop */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("setsockopt(SO_REUSEADDR)");
		exit(1);
	}
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "bind 127.0.0.1:%ld: %s\n", o->port, strerror(errno));
		exit(1);
	}
	if (listen(lfd, BACKLOG) < 0) {
		perror("listen");
		exit(1);
	}
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {	/* which port we got */
		perror("getsockname");
		exit(1);
	}
	int port = ntohs(addr.sin_port);
	printf("select: echo server on 127.0.0.1:%d (fd %d); %ld clients, %ld messages each\n",
	       port, lfd, o->clients, o->messages);
	for (long i = 0; i < o->clients; i++) {
		fflush(stdout);
		clients[i] = fork();
		if (clients[i] < 0) {
			perror("fork");
			exit(1);
		}
		if (clients[i] == 0) {
			close(lfd);
			run_echo_client(port, i + 1, o->messages);
		}
	}

	/* the set of fds we watch; select() overwrites its copy with the ready ones */
	fd_set watched;
	int maxfd = lfd;
	FD_ZERO(&watched);
	FD_SET(lfd, &watched);
	long start = lab_now_ms();
	while (closed < o->clients) {
		fd_set readable = watched;
		struct timeval tv = { LOOP_TIMEOUT_MS / 1000, 0 };

		int n = select(maxfd + 1, &readable, NULL, NULL, &tv);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("select");
			exit(1);
		}
		if (n == 0) {
			printf("select: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
		wakeups++;
		/* select tells us only "something in this set": we test every fd up to maxfd */
		for (int fd = 0; fd <= maxfd; fd++) {
			if (!FD_ISSET(fd, &readable))
				continue;
			if (fd == lfd) {
				int conn = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				if (conn < 0) {
					perror("accept4");
					continue;
				}
				if (conn >= FD_SETSIZE) {	/* select's hard limit */
					close(conn);
					continue;
				}
				accepted++;
				printf("select: new connection %d as fd %d\n", accepted, conn);
				FD_SET(conn, &watched);
				maxfd = conn > maxfd ? conn : maxfd;
				continue;
			}
			ssize_t r = echo_once(fd, &echoes);
			if (r <= 0) {
				printf("select: fd %d %s; closing it\n", fd,
				       r == 0 ? "closed by the client" : "failed");
				FD_CLR(fd, &watched);
				close(fd);
				closed++;
			}
		}
	}
	long elapsed = lab_now_ms() - start;
	close(lfd);
	return echo_summary("select", o, clients, accepted, echoes, wakeups, elapsed);
}

/* ---- poll ------------------------------------------------------------------ */

static int variant_poll(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	pid_t clients[MAX_CLIENTS];
	struct pollfd fds[MAX_CLIENTS + 1];
	int one = 1, accepted = 0, closed = 0, nfds = 0;
	long echoes = 0, wakeups = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* non-blocking: accept() on it must never stall the loop */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("setsockopt(SO_REUSEADDR)");
		exit(1);
	}
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "bind 127.0.0.1:%ld: %s\n", o->port, strerror(errno));
		exit(1);
	}
	if (listen(lfd, BACKLOG) < 0) {
		perror("listen");
		exit(1);
	}
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {	/* which port we got */
		perror("getsockname");
		exit(1);
	}
	int port = ntohs(addr.sin_port);
	printf("poll: echo server on 127.0.0.1:%d (fd %d); %ld clients, %ld messages each\n",
	       port, lfd, o->clients, o->messages);
	for (long i = 0; i < o->clients; i++) {
		fflush(stdout);
		clients[i] = fork();
		if (clients[i] < 0) {
			perror("fork");
			exit(1);
		}
		if (clients[i] == 0) {
			close(lfd);
			run_echo_client(port, i + 1, o->messages);
		}
	}

	/* an array of (fd, events wanted); poll() fills in revents */
	fds[nfds++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	long start = lab_now_ms();
	while (closed < o->clients) {
		int n = poll(fds, (nfds_t)nfds, LOOP_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("poll");
			exit(1);
		}
		if (n == 0) {
			printf("poll: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
		wakeups++;
		int before = nfds;	/* entries added below are looked at next time */
		for (int i = 0; i < before; i++) {
			if (fds[i].revents == 0)
				continue;
			if (fds[i].fd == lfd) {
				int conn = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				if (conn < 0) {
					perror("accept4");
					continue;
				}
				accepted++;
				printf("poll: new connection %d as fd %d\n", accepted, conn);
				fds[nfds++] = (struct pollfd){ .fd = conn, .events = POLLIN };
				continue;
			}
			ssize_t r = echo_once(fds[i].fd, &echoes);
			if (r <= 0) {
				printf("poll: fd %d %s; closing it\n", fds[i].fd,
				       r == 0 ? "closed by the client" : "failed");
				close(fds[i].fd);
				fds[i].fd = -1;	/* poll() skips negative fds */
				closed++;
			}
		}
	}
	long elapsed = lab_now_ms() - start;
	close(lfd);
	return echo_summary("poll", o, clients, accepted, echoes, wakeups, elapsed);
}

/* ---- epoll ----------------------------------------------------------------- */

static int variant_epoll(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	pid_t clients[MAX_CLIENTS];
	struct epoll_event ev, events[MAX_EVENTS];
	int one = 1, accepted = 0, closed = 0;
	long echoes = 0, wakeups = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* non-blocking: accept() on it must never stall the loop */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("setsockopt(SO_REUSEADDR)");
		exit(1);
	}
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "bind 127.0.0.1:%ld: %s\n", o->port, strerror(errno));
		exit(1);
	}
	if (listen(lfd, BACKLOG) < 0) {
		perror("listen");
		exit(1);
	}
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {	/* which port we got */
		perror("getsockname");
		exit(1);
	}
	int port = ntohs(addr.sin_port);

	/* the interest list lives in the kernel: we add each fd once, not on every call */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		exit(1);
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = lfd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		perror("epoll_ctl(ADD listener)");
		exit(1);
	}
	printf("epoll: echo server on 127.0.0.1:%d (fd %d, epoll fd %d); %ld clients, %ld messages "
	       "each\n", port, lfd, ep, o->clients, o->messages);
	for (long i = 0; i < o->clients; i++) {
		fflush(stdout);
		clients[i] = fork();
		if (clients[i] < 0) {
			perror("fork");
			exit(1);
		}
		if (clients[i] == 0) {
			close(lfd);
			close(ep);
			run_echo_client(port, i + 1, o->messages);
		}
	}

	long start = lab_now_ms();
	while (closed < o->clients) {
		/* only the ready fds come back: the cost does not grow with idle connections */
		int n = epoll_wait(ep, events, MAX_EVENTS, LOOP_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("epoll_wait");
			exit(1);
		}
		if (n == 0) {
			printf("epoll: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
		wakeups++;
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;

			if (fd == lfd) {
				/* one accept per readiness: epoll reports the listener again if more wait */
				int conn = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				if (conn < 0) {
					perror("accept4");
					continue;
				}
				accepted++;
				ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = conn };
				if (epoll_ctl(ep, EPOLL_CTL_ADD, conn, &ev) < 0) {
					perror("epoll_ctl(ADD)");
					exit(1);
				}
				printf("epoll: new connection %d as fd %d\n", accepted, conn);
				continue;
			}
			ssize_t r = echo_once(fd, &echoes);
			if (r <= 0) {
				printf("epoll: fd %d %s; closing it\n", fd,
				       r == 0 ? "closed by the client" : "failed");
				/* close() removes fd from the interest list, but say it explicitly */
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
				closed++;
			}
		}
	}
	long elapsed = lab_now_ms() - start;
	close(ep);
	close(lfd);
	return echo_summary("epoll", o, clients, accepted, echoes, wakeups, elapsed);
}

/* ---- timers: sleeping tasks as timerfds ------------------------------------ */

#define MAX_TIMER_TASKS 100	/* --tasks limit for timers */

static int variant_timers(const struct lab_opts *o)
{
	int tfd[MAX_TIMER_TASKS];
	struct epoll_event ev, events[MAX_EVENTS];
	long done = 0, wakeups = 0;

	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		exit(1);
	}
	long start = lab_now_ms();
	for (long t = 0; t < o->tasks; t++) {
		/* "await sleep(ms)" is a timer the loop waits on like any other fd */
		tfd[t] = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (tfd[t] < 0) {
			perror("timerfd_create");
			exit(1);
		}
		timer_arm(tfd[t], o->ms, 0);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = (uint64_t)t };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd[t], &ev) < 0) {
			perror("epoll_ctl(ADD timerfd)");
			exit(1);
		}
		printf("task %ld: started; sleeping %ld ms (timerfd %d)\n", t + 1, o->ms, tfd[t]);
	}
	while (done < o->tasks) {
		int n = epoll_wait(ep, events, MAX_EVENTS, (int)o->ms + LOOP_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("epoll_wait");
			exit(1);
		}
		if (n == 0) {
			printf("timers: no timer fired in time; giving up\n");
			break;
		}
		wakeups++;
		for (int i = 0; i < n; i++) {
			long t = (long)events[i].data.u64;

			timer_read(tfd[t]);
			printf("task %ld: woke up after %ld ms; done\n", t + 1, lab_now_ms() - start);
			epoll_ctl(ep, EPOLL_CTL_DEL, tfd[t], NULL);
			close(tfd[t]);
			done++;
		}
	}
	long elapsed = lab_now_ms() - start;
	close(ep);
	printf("timers: %ld tasks each slept %ld ms; all done after %ld ms, not %ld: one thread "
	       "waited for all the timers at once (%ld wake-ups)\n", done, o->ms, elapsed,
	       o->tasks * o->ms, wakeups);
	lab_result("done", done);
	lab_result("elapsed_ms", elapsed);
	lab_result("wakeups", wakeups);
	return done == o->tasks && elapsed < 2 * o->ms + 100 ? 0 : 1;
}

/* ---- tasks: coroutines as state machines, gather, wait_for, cancel ---------- */

/* What a task asks for when it pauses (its "await"). */
enum step {
	STEP_YIELD,		/* await sleep(0): run again after the others */
	STEP_SLEEP,		/* await sleep(t->sleep_ms) */
	STEP_DONE,		/* return t->result */
};

enum task_status { TASK_PENDING, TASK_DONE, TASK_CANCELLED, TASK_TIMED_OUT };
static const char *const status_names[] = { "pending", "done", "cancelled", "timed out" };

/*
 * A task is a coroutine written by hand: resume() runs from where the task
 * left off (state) to its next await and returns what it waits for.  All its
 * local variables live in the struct, because resume() returns at each await.
 */
struct task {
	const char *name;
	enum step (*resume)(struct task *t);
	int state;		/* where resume() continues: 0 at the start */
	long arg;		/* the task's parameter: a duration in ms */
	long sleep_ms;		/* set by resume() before it returns STEP_SLEEP */
	long result;
	struct task *other;	/* the canceller's victim */
	int tfd;		/* this task's timer */
	int ready;		/* runs in the next pass of the loop */
	long deadline;		/* wait_for(): cancel when lab_now_ms() passes it (0: none) */
	enum task_status cancel;	/* set: cancel at the next pass, with this status */
	enum task_status status;
};

/* Cancel t: its timer is disarmed and the loop will not resume it again. */
static void task_cancel(struct task *t, enum task_status why)
{
	if (t->status != TASK_PENDING)
		return;
	t->cancel = why;
	timer_arm(t->tfd, 0, 0);	/* a zero it_value disarms the timer */
	t->ready = 1;
}

/* fetch(name, ms): await sleep(0); await sleep(ms); return ms / 10 */
static enum step fetch_task(struct task *t)
{
	switch (t->state) {
	case 0:
		printf("  %s: started; await sleep(0) lets the other tasks start too\n", t->name);
		t->state = 1;
		return STEP_YIELD;
	case 1:
		printf("  %s: resumed; await sleep(%ld ms)\n", t->name, t->arg);
		t->state = 2;
		t->sleep_ms = t->arg;
		return STEP_SLEEP;
	default:
		t->result = t->arg / 10;
		printf("  %s: woke up; return %ld\n", t->name, t->result);
		return STEP_DONE;
	}
}

/* slow(ms): await sleep(ms); return 1 -- it never gets that far: timed out or cancelled */
static enum step slow_task(struct task *t)
{
	switch (t->state) {
	case 0:
		printf("  %s: started; await sleep(%ld ms)\n", t->name, t->arg);
		t->state = 1;
		t->sleep_ms = t->arg;
		return STEP_SLEEP;
	default:
		printf("  %s: finished\n", t->name);
		t->result = 1;
		return STEP_DONE;
	}
}

/* canceller(ms, victim): await sleep(ms); victim.cancel() */
static enum step canceller_task(struct task *t)
{
	switch (t->state) {
	case 0:
		printf("  %s: started; await sleep(%ld ms), then cancel %s\n", t->name, t->arg,
		       t->other->name);
		t->state = 1;
		t->sleep_ms = t->arg;
		return STEP_SLEEP;
	default:
		printf("  %s: %s.cancel()\n", t->name, t->other->name);
		task_cancel(t->other, TASK_CANCELLED);
		return STEP_DONE;
	}
}

static int variant_tasks(const struct lab_opts *o)
{
	long u = o->ms;		/* the time unit of this demo */
	struct task tasks[] = {
		{ .name = "fetch A", .resume = fetch_task, .arg = 3 * u },
		{ .name = "fetch B", .resume = fetch_task, .arg = 2 * u },
		{ .name = "fetch C", .resume = fetch_task, .arg = 1 * u },
		{ .name = "slow", .resume = slow_task, .arg = 8 * u },
		{ .name = "doomed", .resume = slow_task, .arg = 5 * u },
		{ .name = "canceller", .resume = canceller_task, .arg = 1 * u },
	};
	int ntasks = (int)LAB_ARRAY_SIZE(tasks);
	struct task *slow = &tasks[3];
	struct epoll_event ev, events[MAX_EVENTS];
	long wakeups = 0;

	tasks[5].other = &tasks[4];
	printf("tasks: gather(fetch A, fetch B, fetch C); wait_for(slow, %ld ms); "
	       "canceller cancels doomed\n", 3 * u);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		exit(1);
	}
	long start = lab_now_ms();
	for (int i = 0; i < ntasks; i++) {
		struct task *t = &tasks[i];

		/* create_task(): a timer for its sleeps, registered once; ready to run */
		t->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (t->tfd < 0) {
			perror("timerfd_create");
			exit(1);
		}
		ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = t };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, t->tfd, &ev) < 0) {
			perror("epoll_ctl(ADD timerfd)");
			exit(1);
		}
		t->ready = 1;
	}
	slow->deadline = start + 3 * u;	/* wait_for(slow, timeout) */

	/* the loop: run every ready task to its next await, then wait for timers */
	for (int pending = ntasks; pending > 0;) {
		int any_ready = 0;

		printf("[%4ld ms] loop: run the ready tasks\n", lab_now_ms() - start);
		for (int i = 0; i < ntasks; i++) {
			struct task *t = &tasks[i];

			if (!t->ready || t->status != TASK_PENDING)
				continue;
			t->ready = 0;
			if (t->cancel != TASK_PENDING) {
				/* a cancelled task is never resumed again: its await "raises" */
				printf("  %s: %s while waiting at its await in state %d\n", t->name,
				       status_names[t->cancel], t->state);
				t->status = t->cancel;
				pending--;
				continue;
			}
			switch (t->resume(t)) {
			case STEP_YIELD:
				t->ready = 1;
				any_ready = 1;
				break;
			case STEP_SLEEP:
				timer_arm(t->tfd, t->sleep_ms, 0);
				break;
			case STEP_DONE:
				t->status = TASK_DONE;
				pending--;
				break;
			}
		}
		for (int i = 0; i < ntasks; i++)	/* a cancel may have made a task ready */
			any_ready |= tasks[i].ready && tasks[i].status == TASK_PENDING;
		if (pending == 0)
			break;

		/* sleep until a timer fires or the nearest wait_for() deadline; not at all if ready */
		long timeout = any_ready ? 0 : LOOP_TIMEOUT_MS;
		for (int i = 0; i < ntasks; i++) {
			if (tasks[i].deadline && tasks[i].status == TASK_PENDING) {
				long left = tasks[i].deadline - lab_now_ms();
				timeout = left < timeout ? (left > 0 ? left : 0) : timeout;
			}
		}
		int n = epoll_wait(ep, events, MAX_EVENTS, (int)timeout);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("epoll_wait");
			exit(1);
		}
		wakeups++;
		for (int i = 0; i < n; i++) {
			struct task *t = events[i].data.ptr;

			timer_read(t->tfd);
			t->ready = 1;	/* its sleep is over */
		}
		for (int i = 0; i < ntasks; i++) {
			struct task *t = &tasks[i];

			if (t->deadline && t->status == TASK_PENDING && t->cancel == TASK_PENDING &&
			    lab_now_ms() >= t->deadline) {
				printf("[%4ld ms] loop: %s passed its %ld ms timeout: cancelling it\n",
				       lab_now_ms() - start, t->name, t->deadline - start);
				task_cancel(t, TASK_TIMED_OUT);
			}
		}
		if (n == 0 && !any_ready && timeout == LOOP_TIMEOUT_MS) {
			printf("tasks: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
	}
	long elapsed = lab_now_ms() - start;

	int done = 0, cancelled = 0, timed_out = 0;
	for (int i = 0; i < ntasks; i++) {
		printf("%-10s %s", tasks[i].name, status_names[tasks[i].status]);
		if (tasks[i].status == TASK_DONE)
			printf(", result %ld", tasks[i].result);
		printf("\n");
		done += tasks[i].status == TASK_DONE;
		cancelled += tasks[i].status == TASK_CANCELLED;
		timed_out += tasks[i].status == TASK_TIMED_OUT;
		close(tasks[i].tfd);
	}
	close(ep);
	int gather_ok = tasks[0].status == TASK_DONE && tasks[1].status == TASK_DONE &&
			tasks[2].status == TASK_DONE;
	printf("gather: [%ld, %ld, %ld] after %ld ms: the three sleeps overlapped (%ld + %ld + %ld "
	       "ms of sleep)\n", tasks[0].result, tasks[1].result, tasks[2].result, elapsed,
	       tasks[0].arg, tasks[1].arg, tasks[2].arg);
	lab_result("tasks", ntasks);
	lab_result("done", done);
	lab_result("timed_out", timed_out);
	lab_result("cancelled", cancelled);
	lab_result("gather_ok", gather_ok);
	lab_result("wakeups", wakeups);
	lab_result("elapsed_ms", elapsed);
	return gather_ok && done == 4 && timed_out == 1 && cancelled == 1 ? 0 : 1;
}

/* ---- blocking and offload: a blocking call inside the loop, and outside it -- */

#define TICKERS 3		/* timer tasks that tick while the job runs */
#define JOB_AT_MS 210		/* when the loop starts the blocking job: between two ticks */

struct ticker {
	int fd;			/* periodic timerfd */
	long period;		/* ms */
	long next_due;		/* when its next tick should come, ms since start */
	long ticks, missed, max_late;
};

/* A tick arrived at now (ms since start): how late was it, how many were missed? */
static void ticker_tick(struct ticker *tk, int num, long now)
{
	uint64_t expirations = timer_read(tk->fd);
	long late = now - tk->next_due;

	if (expirations == 0)
		return;
	tk->ticks++;
	tk->missed += (long)expirations - 1;	/* a timerfd counts the expirations nobody read */
	tk->next_due += (long)expirations * tk->period;
	if (late > tk->max_late)
		tk->max_late = late;
	if (late > 20)
		printf("[%4ld ms] ticker %d: tick %ld ms late, %llu ticks missed\n", now, num, late,
		       (unsigned long long)expirations - 1);
}

/* Three periodic tickers (100, 150, 200 ms) on one epoll fd, data.u64 = 1..3. */
static void start_tickers(int ep, struct ticker *tk)
{
	for (int i = 0; i < TICKERS; i++) {
		tk[i] = (struct ticker){ .period = 100 + 50 * i, .next_due = 100 + 50 * i };
		tk[i].fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (tk[i].fd < 0) {
			perror("timerfd_create");
			exit(1);
		}
		timer_arm(tk[i].fd, tk[i].period, tk[i].period);
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)i + 1 };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, tk[i].fd, &ev) < 0) {
			perror("epoll_ctl(ADD ticker)");
			exit(1);
		}
	}
}

static long report_tickers(struct ticker *tk)
{
	long max_late = 0, ticks = 0, missed = 0;

	for (int i = 0; i < TICKERS; i++) {
		printf("ticker %d (every %ld ms): %ld ticks, %ld missed, at most %ld ms late\n", i + 1,
		       tk[i].period, tk[i].ticks, tk[i].missed, tk[i].max_late);
		max_late = tk[i].max_late > max_late ? tk[i].max_late : max_late;
		ticks += tk[i].ticks;
		missed += tk[i].missed;
		close(tk[i].fd);
	}
	lab_result("tickers", TICKERS);
	lab_result("ticks", ticks);
	lab_result("missed_ticks", missed);
	lab_result("max_late_ms", max_late);
	return max_late;
}

#define ID_JOB 100		/* epoll data of the one-shot "start the job" timer */
#define ID_STOP 101		/* ... of the "end of the demo" timer */
#define ID_DONE 102		/* ... of the worker's eventfd (offload) */

static int variant_blocking(const struct lab_opts *o)
{
	struct ticker tk[TICKERS];
	struct epoll_event ev, events[MAX_EVENTS];
	long blocked = 0;
	int stop = 0;

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int job = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int end = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ep < 0 || job < 0 || end < 0) {
		perror("epoll_create1/timerfd_create");
		exit(1);
	}
	long start = lab_now_ms();
	start_tickers(ep, tk);
	timer_arm(job, JOB_AT_MS, 0);
	timer_arm(end, JOB_AT_MS + o->ms + 300, 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = ID_JOB };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, job, &ev) < 0) {
		perror("epoll_ctl(ADD job)");
		exit(1);
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = ID_STOP };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, end, &ev) < 0) {
		perror("epoll_ctl(ADD end)");
		exit(1);
	}
	printf("blocking: 3 tickers (every 100, 150, 200 ms); at %d ms the loop itself makes a "
	       "blocking %ld ms call\n", JOB_AT_MS, o->ms);

	while (!stop) {
		int n = epoll_wait(ep, events, MAX_EVENTS, LOOP_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("epoll_wait");
			exit(1);
		}
		if (n == 0) {
			printf("blocking: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
		for (int i = 0; i < n; i++) {
			uint64_t id = events[i].data.u64;
			long now = lab_now_ms() - start;

			if (id >= 1 && id <= TICKERS) {
				ticker_tick(&tk[id - 1], (int)id, now);
			} else if (id == ID_JOB) {
				timer_read(job);
				printf("[%4ld ms] job: a blocking call inside the loop: nanosleep(%ld ms)\n",
				       now, o->ms);
				long t0 = lab_now_ms();
				lab_sleep_ms(o->ms);	/* the mistake: nothing else runs meanwhile */
				blocked = lab_now_ms() - t0;
				printf("[%4ld ms] job: back after %ld ms; no ticker ran meanwhile\n",
				       lab_now_ms() - start, blocked);
			} else if (id == ID_STOP) {
				timer_read(end);
				stop = 1;
			}
		}
	}
	close(job);
	close(end);
	close(ep);
	long max_late = report_tickers(tk);
	printf("blocking: the loop was stuck for %ld ms: every ticker was up to %ld ms late\n",
	       blocked, max_late);
	lab_result("blocked_ms", blocked);
	/* a call shorter than the slowest ticker's period may fall between two ticks */
	return stop && (o->ms < 200 || max_late >= o->ms / 2) ? 0 : 1;
}

static int offload_efd;		/* the worker signals completion here */

/* The worker thread: makes the blocking call, then tells the loop through the eventfd. */
static void *offload_worker(void *p)
{
	long ms = *(const long *)p;
	uint64_t one = 1;

	lab_sleep_ms(ms);	/* blocks this thread only */
	if (write(offload_efd, &one, sizeof(one)) != sizeof(one)) {
		perror("write(eventfd)");
		exit(1);
	}
	return NULL;
}

static int variant_offload(const struct lab_opts *o)
{
	struct ticker tk[TICKERS];
	struct epoll_event ev, events[MAX_EVENTS];
	pthread_t worker;
	long job_started = 0, job_took = -1;
	int stop = 0, started = 0;

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int job = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int end = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	/* an eventfd is a counter the worker adds to and the loop reads: readable when > 0 */
	offload_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ep < 0 || job < 0 || end < 0 || offload_efd < 0) {
		perror("epoll_create1/timerfd_create/eventfd");
		exit(1);
	}
	long start = lab_now_ms();
	start_tickers(ep, tk);
	timer_arm(job, JOB_AT_MS, 0);
	timer_arm(end, JOB_AT_MS + o->ms + 300, 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = ID_JOB };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, job, &ev) < 0) {
		perror("epoll_ctl(ADD job)");
		exit(1);
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = ID_STOP };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, end, &ev) < 0) {
		perror("epoll_ctl(ADD end)");
		exit(1);
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = ID_DONE };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, offload_efd, &ev) < 0) {
		perror("epoll_ctl(ADD eventfd)");
		exit(1);
	}
	printf("offload: 3 tickers (every 100, 150, 200 ms); at %d ms the same blocking %ld ms call "
	       "goes to a worker thread\n", JOB_AT_MS, o->ms);

	while (!stop) {
		int n = epoll_wait(ep, events, MAX_EVENTS, LOOP_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;	/* interrupted by a signal (under a debugger): ask again */
		if (n < 0) {
			perror("epoll_wait");
			exit(1);
		}
		if (n == 0) {
			printf("offload: nothing happened for %d ms; giving up\n", LOOP_TIMEOUT_MS);
			break;
		}
		for (int i = 0; i < n; i++) {
			uint64_t id = events[i].data.u64;
			long now = lab_now_ms() - start;

			if (id >= 1 && id <= TICKERS) {
				ticker_tick(&tk[id - 1], (int)id, now);
			} else if (id == ID_JOB) {
				timer_read(job);
				/* run_in_executor(): the blocking call goes to another thread */
				int rc = pthread_create(&worker, NULL, offload_worker, (void *)&o->ms);
				if (rc != 0) {
					fprintf(stderr, "pthread_create: %s\n", strerror(rc));
					exit(1);
				}
				started = 1;
				job_started = now;
				printf("[%4ld ms] job: handed nanosleep(%ld ms) to a worker thread; the loop "
				       "goes on\n", now, o->ms);
			} else if (id == ID_DONE) {
				uint64_t count;

				if (read(offload_efd, &count, sizeof(count)) != sizeof(count)) {
					perror("read(eventfd)");
					exit(1);
				}
				job_took = now - job_started;
				printf("[%4ld ms] job: the worker says it is done (eventfd), after %ld ms\n",
				       now, job_took);
			} else if (id == ID_STOP) {
				timer_read(end);
				stop = 1;
			}
		}
	}
	if (started) {
		/* the worker wrote the eventfd as its last act: this join is short */
		int rc = pthread_join(worker, NULL);
		if (rc != 0) {
			fprintf(stderr, "pthread_join: %s\n", strerror(rc));
			exit(1);
		}
	}
	close(offload_efd);
	close(job);
	close(end);
	close(ep);
	long max_late = report_tickers(tk);
	printf("offload: the job took %ld ms on the worker; the tickers were at most %ld ms late\n",
	       job_took, max_late);
	lab_result("offload_done", job_took >= 0);
	lab_result("job_ms", job_took);
	long on_time = o->ms / 2 > 50 ? o->ms / 2 : 50;	/* late by less than this: on time */
	return stop && job_took >= 0 && max_late < on_time ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "select", "a single-threaded echo server on select() with K clients",
	  variant_select, { { "clients", 3 }, { "messages", 5 }, { "port", 0 } } },
	{ "poll", "the same echo server on poll()",
	  variant_poll, { { "clients", 3 }, { "messages", 5 }, { "port", 0 } } },
	{ "epoll", "the same echo server on epoll",
	  variant_epoll, { { "clients", 3 }, { "messages", 5 }, { "port", 0 } } },
	{ "timers", "N tasks each sleep --ms on a timerfd: all end after ~ms, not N x ms",
	  variant_timers, { { "tasks", 3 }, { "ms", 1000 } } },
	{ "tasks", "tasks as state machines: gather, wait_for with a timeout, cancel",
	  variant_tasks, { { "ms", 100 } } },
	{ "blocking", "a blocking call inside the loop stalls every timer task",
	  variant_blocking, { { "ms", 1000 } } },
	{ "offload", "the blocking call on a worker thread that reports back via eventfd: timers on time",
	  variant_offload, { { "ms", 1000 } } },
};

static const struct lab_option options[] = {
	{ "clients", offsetof(struct lab_opts, clients), 1, MAX_CLIENTS, "client processes" },
	{ "messages", offsetof(struct lab_opts, messages), 1, 1000, "messages each client sends" },
	{ "port", offsetof(struct lab_opts, port), 0, 65535, "TCP port on 127.0.0.1 (0: any free port)" },
	{ "tasks", offsetof(struct lab_opts, tasks), 1, MAX_TIMER_TASKS, "sleeping tasks" },
	{ "ms", offsetof(struct lab_opts, ms), 10, 10000,
	  "sleep per task (timers), time unit (tasks), blocking call (blocking, offload)" },
};

static const struct lab eventloop_lab = {
	.name = "eventloop",
	.summary = "Event loops: select/poll/epoll echo servers, timers, tasks, blocking vs offloading.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  eventloop epoll                 3 clients x 5 messages, one server thread\n"
		"  eventloop select --clients 10 --messages 20\n"
		"  eventloop timers                3 x 1 s of sleep in about 1 s\n"
		"  eventloop tasks                 gather, a timeout and a cancel\n"
		"  eventloop blocking              tickers stall for 1 s\n"
		"  eventloop offload               the same job on a thread: tickers on time\n",
};

int main(int argc, char **argv)
{
	return lab_main(&eventloop_lab, argc, argv);
}
