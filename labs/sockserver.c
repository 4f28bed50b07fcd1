// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sockserver.c - a TCP server four ways: one client at a time, with receive
 * timeouts, a process per connection, a thread per connection.
 *
 * Everything runs on 127.0.0.1.  The server listens on an ephemeral port
 * (the kernel picks a free one) unless --port is given, then forks its own
 * built-in client, which opens K connections, sends "ping N" on each and
 * expects "pong N" back.  The server stops by itself after K connections.
 *
 * Nothing can hang: the listening socket and every connection carry a
 * receive timeout (SO_RCVTIMEO), which also bounds accept().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid, pthread_setname_np, accept4, ... */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_CLIENTS 100		/* --clients limit */
#define BACKLOG 128		/* pending connections the kernel queues for accept(): > MAX_CLIENTS */
#define IO_TIMEOUT_MS 5000	/* safety timeout for accept() and every recv() */

/* Set a receive timeout on fd: recv() and accept() then fail with EAGAIN after ms. */
static void set_recv_timeout(int fd, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("setsockopt(SO_RCVTIMEO)");
		exit(1);
	}
}

/* recv() into buf until a newline, end-of-file or an error; returns bytes read or -1 */
static ssize_t recv_line(int fd, char *buf, size_t size)
{
	size_t used = 0;

	while (used + 1 < size) {
		ssize_t n = recv(fd, buf + used, size - 1 - used, 0);
		if (n < 0 && errno == EINTR)
			continue;	/* see serve_connection() */
		if (n < 0)
			return -1;
		if (n == 0)
			break;	/* the peer closed the connection */
		used += (size_t)n;
		if (memchr(buf, '\n', used))
			break;
	}
	buf[used] = '\0';
	return (ssize_t)used;
}

/*
 * The server's side of one connection: recv() in a loop, answer every
 * "ping N" line with "pong N", until the client closes the connection
 * (recv returns 0) or goes quiet for longer than the receive timeout (recv
 * fails with EAGAIN).  Returns the number of replies sent, or -1 when the
 * connection timed out or failed.  Used by every variant.
 */
static int serve_connection(int conn, long num)
{
	char buf[256];
	size_t used = 0;
	int replies = 0;
	long start = lab_now_ms();

	for (;;) {
		ssize_t n = recv(conn, buf + used, sizeof(buf) - 1 - used, 0);
		if (n < 0 && errno == EINTR)
			continue;	/* a signal (under ptrace): with a timeout, not restarted */
		if (n == 0) {
			printf("server pid %d tid %d: connection %ld: the client closed it "
			       "(recv returned 0)\n", (int)getpid(), (int)gettid(), num);
			return replies;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			printf("server pid %d tid %d: connection %ld: no data for %ld ms: recv failed with "
			       "EAGAIN (%s); closing the idle connection\n", (int)getpid(), (int)gettid(),
			       num, lab_now_ms() - start, strerror(errno));
			return -1;
		}
		if (n < 0) {
			perror("server: recv");
			return -1;
		}
		used += (size_t)n;
		buf[used] = '\0';

		char *nl;
		while ((nl = strchr(buf, '\n')) != NULL) {
			char reply[64];
			long v;

			*nl = '\0';
			if (sscanf(buf, "ping %ld", &v) == 1) {
				int len = snprintf(reply, sizeof(reply), "pong %ld\n", v);
				/* MSG_NOSIGNAL: a client that has gone away gives EPIPE, not SIGPIPE */
				if (send(conn, reply, (size_t)len, MSG_NOSIGNAL) != len) {
					perror("server: send");
					return -1;
				}
				replies++;
				printf("server pid %d tid %d: connection %ld: got 'ping %ld', "
				       "sent 'pong %ld'\n", (int)getpid(), (int)gettid(), num, v, v);
			} else {
				printf("server: connection %ld: ignoring '%s'\n", num, buf);
			}
			used -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, used + 1);
		}
		if (used == sizeof(buf) - 1) {
			printf("server: connection %ld: line too long; closing\n", num);
			return -1;
		}
	}
}

/*
 * The built-in client, run in a child process.  It opens all K connections
 * first (the kernel completes them into the listen backlog even before the
 * server accepts), sends "ping N" on each, then reads each "pong N" and
 * closes.  Reports replies_ok itself and exits 0 when every reply was right.
 */
static void run_client(int port, long k)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fds[MAX_CLIENTS];
	int ok = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (long i = 0; i < k; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0) {
			perror("client: socket");
			exit(1);
		}
		set_recv_timeout(fds[i], IO_TIMEOUT_MS);	/* a read timeout: never wait forever */
		if (connect(fds[i], (struct sockaddr *)&addr, sizeof(addr)) < 0) {
			perror("client: connect");
			exit(1);
		}
	}
	printf("client pid %d: %ld connections open\n", (int)getpid(), k);
	for (long i = 0; i < k; i++) {
		char msg[64];
		int len = snprintf(msg, sizeof(msg), "ping %ld\n", i + 1);

		if (send(fds[i], msg, (size_t)len, MSG_NOSIGNAL) != len) {
			perror("client: send");
			exit(1);
		}
	}
	for (long i = 0; i < k; i++) {
		char buf[64], want[64];

		snprintf(want, sizeof(want), "pong %ld\n", i + 1);
		ssize_t n = recv_line(fds[i], buf, sizeof(buf));
		if (n < 0)
			printf("client: connection %ld: recv failed: %s\n", i + 1, strerror(errno));
		else if (strcmp(buf, want) != 0)
			printf("client: connection %ld: expected '%.*s', got '%s'\n", i + 1,
			       (int)strlen(want) - 1, want, buf);
		else
			ok++;
		close(fds[i]);	/* the server's recv() returns 0: we are done */
	}
	printf("client pid %d: %d of %ld replies ok\n", (int)getpid(), ok, k);
	lab_result("replies_ok", ok);
	exit(ok == k ? 0 : 1);
}

/* Wait for the client process; true when it exited 0. */
static int client_ok(pid_t client)
{
	int st;

	if (waitpid(client, &st, 0) < 0) {
		perror("waitpid(client)");
		exit(1);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* ---- basic: one client at a time ------------------------------------------ */

static int variant_basic(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	int one = 1, accepted = 0, replies = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("socket");
		exit(1);
	}
	/* reuse the port at once after a restart, despite old connections in TIME_WAIT */
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
	set_recv_timeout(lfd, IO_TIMEOUT_MS);	/* bounds accept() too */
	int port = ntohs(addr.sin_port);
	printf("server pid %d: listening on 127.0.0.1:%d (fd %d, backlog %d), one client at a time\n",
	       (int)getpid(), port, lfd, BACKLOG);

	fflush(stdout);
	pid_t client = fork();
	if (client < 0) {
		perror("fork");
		exit(1);
	}
	if (client == 0) {
		close(lfd);
		run_client(port, o->clients);
	}

	for (long i = 1; i <= o->clients; i++) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);

		int conn;

		do	/* EINTR: interrupted by a signal (under a debugger): accept again */
			conn = accept(lfd, (struct sockaddr *)&peer, &plen);
		while (conn < 0 && errno == EINTR);
		if (conn < 0) {
			perror("accept");
			break;
		}
		accepted++;
		printf("server: accepted connection %ld from 127.0.0.1:%d as fd %d%s\n", i,
		       ntohs(peer.sin_port), conn,
		       i < o->clients ? "; the next ones wait in the listen backlog" : "");
		set_recv_timeout(conn, IO_TIMEOUT_MS);
		int n = serve_connection(conn, i);
		replies += n > 0 ? n : 0;
		close(conn);
	}
	close(lfd);

	int cok = client_ok(client);
	printf("server: served %d connections, sent %d replies; the client %s\n", accepted, replies,
	       cok ? "got every reply right" : "FAILED");
	lab_result("listen_port", port);
	lab_result("connections", accepted);
	lab_result("replies_sent", replies);
	return accepted == o->clients && cok ? 0 : 1;
}

/* ---- timeout: receive timeouts, connect timeout ---------------------------- */

/*
 * The client of the timeout variant.  Connection 1 connects and then says
 * nothing, so the server's recv() times out.  Connections 2..K ping as usual.
 * Each connect has a timeout (non-blocking connect + poll), each read one too.
 */
static void run_timeout_client(int port, long k, long server_timeout_ms)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int ok = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (long i = 1; i <= k; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			perror("client: socket");
			exit(1);
		}
		/* connect timeout: start the connect, then wait for it at most IO_TIMEOUT_MS */
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno != EINPROGRESS) {
			perror("client: connect");
			exit(1);
		}
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int r;
		do
			r = poll(&pfd, 1, IO_TIMEOUT_MS);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			printf("client: connection %ld: connect timed out (ETIMEDOUT)\n", i);
			exit(1);
		}
		int err = 0;
		socklen_t elen = sizeof(err);
		if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 || err != 0) {
			printf("client: connection %ld: connect failed: %s\n", i,
			       strerror(err ? err : errno));
			exit(1);
		}
		/* back to blocking, with a read timeout */
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
			perror("client: fcntl");
			exit(1);
		}
		char buf[64];
		if (i == 1) {
			/* stay idle, but wait longer than the server does */
			set_recv_timeout(fd, 4 * server_timeout_ms);
			long start = lab_now_ms();
			ssize_t n;
			do
				n = recv(fd, buf, sizeof(buf), 0);
			while (n < 0 && errno == EINTR);
			if (n == 0) {
				printf("client: connection 1: sent nothing; the server closed it after "
				       "%ld ms (recv returned 0)\n", lab_now_ms() - start);
			} else {
				printf("client: connection 1: expected the server to close it, "
				       "recv gave %zd (%s)\n", n, n < 0 ? strerror(errno) : "data");
				exit(1);
			}
		} else {
			char msg[64], want[64];
			int len = snprintf(msg, sizeof(msg), "ping %ld\n", i);

			set_recv_timeout(fd, IO_TIMEOUT_MS);
			snprintf(want, sizeof(want), "pong %ld\n", i);
			if (send(fd, msg, (size_t)len, MSG_NOSIGNAL) != len) {
				perror("client: send");
				exit(1);
			}
			ssize_t n = recv_line(fd, buf, sizeof(buf));
			if (n < 0 && errno == EAGAIN)
				printf("client: connection %ld: read timed out (EAGAIN)\n", i);
			else if (n > 0 && strcmp(buf, want) == 0)
				ok++;
			else
				printf("client: connection %ld: bad reply '%s'\n", i, buf);
		}
		close(fd);
	}
	printf("client pid %d: %d of %ld replies ok (connection 1 was the idle one)\n", (int)getpid(),
	       ok, k - 1);
	lab_result("replies_ok", ok);
	exit(ok == k - 1 ? 0 : 1);
}

static int variant_timeout(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	int one = 1, accepted = 0, replies = 0, timed_out = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
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
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
		perror("getsockname");
		exit(1);
	}
	set_recv_timeout(lfd, IO_TIMEOUT_MS);	/* accept() gives up after this */
	int port = ntohs(addr.sin_port);
	printf("server pid %d: listening on 127.0.0.1:%d; every connection gets a %ld ms receive "
	       "timeout\n", (int)getpid(), port, o->timeout_ms);

	fflush(stdout);
	pid_t client = fork();
	if (client < 0) {
		perror("fork");
		exit(1);
	}
	if (client == 0) {
		close(lfd);
		run_timeout_client(port, o->clients, o->timeout_ms);
	}

	for (long i = 1; i <= o->clients; i++) {
		int conn;

		do	/* EINTR: interrupted by a signal (under a debugger): accept again */
			conn = accept(lfd, NULL, NULL);
		while (conn < 0 && errno == EINTR);
		if (conn < 0) {
			perror("accept");
			break;
		}
		accepted++;
		printf("server: accepted connection %ld as fd %d\n", i, conn);
		/* the lesson: a client that says nothing costs us at most timeout_ms */
		set_recv_timeout(conn, o->timeout_ms);
		int n = serve_connection(conn, i);
		if (n < 0)
			timed_out++;
		else
			replies += n;
		close(conn);
	}
	close(lfd);

	int cok = client_ok(client);
	printf("server: %d connections, %d closed for being idle, %d replies; the client %s\n",
	       accepted, timed_out, replies, cok ? "got every reply right" : "FAILED");
	lab_result("listen_port", port);
	lab_result("connections", accepted);
	lab_result("idle_closed", timed_out);
	lab_result("replies_sent", replies);
	return accepted == o->clients && timed_out == 1 && cok ? 0 : 1;
}

/* ---- fork: a process per connection ----------------------------------------- */

static int variant_fork(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	pid_t children[MAX_CLIENTS];
	int reaped[MAX_CLIENTS] = { 0 };
	int one = 1, accepted = 0, nreaped = 0, served_ok = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
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
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
		perror("getsockname");
		exit(1);
	}
	set_recv_timeout(lfd, IO_TIMEOUT_MS);
	int port = ntohs(addr.sin_port);
	printf("server pid %d: listening on 127.0.0.1:%d; one child process per connection\n",
	       (int)getpid(), port);

	fflush(stdout);
	pid_t client = fork();
	if (client < 0) {
		perror("fork");
		exit(1);
	}
	if (client == 0) {
		close(lfd);
		run_client(port, o->clients);
	}

	for (long i = 1; i <= o->clients; i++) {
		int conn;

		do	/* EINTR: interrupted by a signal (under a debugger): accept again */
			conn = accept(lfd, NULL, NULL);
		while (conn < 0 && errno == EINTR);
		if (conn < 0) {
			perror("accept");
			break;
		}
		accepted++;
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			close(lfd);	/* the child serves this connection only */
			set_recv_timeout(conn, IO_TIMEOUT_MS);
			int n = serve_connection(conn, i);
			close(conn);
			exit(n > 0 ? 0 : 1);
		}
		/* the child has its own copy of conn; ours must go or the socket never closes */
		close(conn);
		children[i - 1] = pid;
		printf("server: connection %ld accepted, handed to child %d\n", i, (int)pid);

		/* reap any child that has finished, without waiting for the others */
		for (long j = 0; j < i; j++) {
			int st;

			if (!reaped[j] && waitpid(children[j], &st, WNOHANG) == children[j]) {
				reaped[j] = 1;
				nreaped++;
				served_ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
			}
		}
	}
	close(lfd);
	/* then wait for the rest: their recv timeouts bound how long this takes */
	for (long j = 0; j < accepted; j++) {
		int st;

		if (reaped[j])
			continue;
		if (waitpid(children[j], &st, 0) < 0) {
			perror("waitpid");
			exit(1);
		}
		reaped[j] = 1;
		nreaped++;
		served_ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}

	int cok = client_ok(client);
	printf("server: %d connections, %d children reaped (no zombies left), %d served ok; "
	       "the client %s\n", accepted, nreaped, served_ok, cok ? "got every reply right" : "FAILED");
	lab_result("listen_port", port);
	lab_result("connections", accepted);
	lab_result("children_reaped", nreaped);
	lab_result("served_ok", served_ok);
	return accepted == o->clients && served_ok == accepted && cok ? 0 : 1;
}

/* ---- thread: a thread per connection ---------------------------------------- */

struct conn_arg {
	int fd;
	long num;
	int replies;
};

static void *connection_thread(void *p)
{
	struct conn_arg *a = p;

	a->replies = serve_connection(a->fd, a->num);
	close(a->fd);
	return NULL;
}

static int variant_thread(const struct lab_opts *o)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	socklen_t alen = sizeof(addr);
	pthread_t th[MAX_CLIENTS];
	struct conn_arg args[MAX_CLIENTS];
	int one = 1, accepted = 0, served_ok = 0;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
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
	if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
		perror("getsockname");
		exit(1);
	}
	set_recv_timeout(lfd, IO_TIMEOUT_MS);
	int port = ntohs(addr.sin_port);
	printf("server pid %d: listening on 127.0.0.1:%d; one thread per connection\n",
	       (int)getpid(), port);

	fflush(stdout);
	pid_t client = fork();	/* the client is a process, so the server's threads are all ours */
	if (client < 0) {
		perror("fork");
		exit(1);
	}
	if (client == 0) {
		close(lfd);
		run_client(port, o->clients);
	}

	for (long i = 1; i <= o->clients; i++) {
		int conn;

		do	/* EINTR: interrupted by a signal (under a debugger): accept again */
			conn = accept(lfd, NULL, NULL);
		while (conn < 0 && errno == EINTR);
		if (conn < 0) {
			perror("accept");
			break;
		}
		set_recv_timeout(conn, IO_TIMEOUT_MS);
		args[accepted] = (struct conn_arg){ .fd = conn, .num = i };
		int rc = pthread_create(&th[accepted], NULL, connection_thread, &args[accepted]);
		if (rc != 0) {
			fprintf(stderr, "pthread_create: %s\n", strerror(rc));
			exit(1);
		}
		accepted++;
		printf("server: connection %ld accepted as fd %d, handed to a new thread\n", i, conn);
	}
	close(lfd);
	for (int j = 0; j < accepted; j++) {
		int rc = pthread_join(th[j], NULL);
		if (rc != 0) {
			fprintf(stderr, "pthread_join: %s\n", strerror(rc));
			exit(1);
		}
		served_ok += args[j].replies > 0;
	}

	int cok = client_ok(client);
	printf("server: %d connections served by %d threads (%d ok); the client %s\n", accepted,
	       accepted, served_ok, cok ? "got every reply right" : "FAILED");
	lab_result("listen_port", port);
	lab_result("connections", accepted);
	lab_result("served_ok", served_ok);
	return accepted == o->clients && served_ok == accepted && cok ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "basic", "a blocking server that serves one client at a time",
	  variant_basic, { { "clients", 3 }, { "port", 0 } } },
	{ "timeout", "receive timeouts: the server closes an idle client; the client has timeouts too",
	  variant_timeout, { { "clients", 3 }, { "port", 0 }, { "timeout-ms", 500 } } },
	{ "fork", "a child process per connection; the parent reaps them all",
	  variant_fork, { { "clients", 3 }, { "port", 0 } } },
	{ "thread", "a thread per connection",
	  variant_thread, { { "clients", 3 }, { "port", 0 } } },
};

static const struct lab_option options[] = {
	{ "clients", offsetof(struct lab_opts, clients), 1, MAX_CLIENTS,
	  "connections the built-in client makes" },
	{ "port", offsetof(struct lab_opts, port), 0, 65535,
	  "TCP port on 127.0.0.1 (0: any free port)" },
	{ "timeout-ms", offsetof(struct lab_opts, timeout_ms), 10, 10000,
	  "the server's receive timeout in milliseconds" },
};

static const struct lab sockserver_lab = {
	.name = "sockserver",
	.summary = "TCP servers on 127.0.0.1: one client at a time, timeouts, fork and thread per "
		   "connection.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  sockserver basic                exactly 3 accept() calls, one client at a time\n"
		"  sockserver basic --port 10001 --clients 5\n"
		"  sockserver timeout --timeout-ms 200\n"
		"                                  an idle client is closed after 200 ms (EAGAIN)\n"
		"  sockserver fork --clients 10    10 connections, 10 child processes\n"
		"  sockserver thread --clients 10  10 connections, 10 threads\n",
};

int main(int argc, char **argv)
{
	return lab_main(&sockserver_lab, argc, argv);
}
