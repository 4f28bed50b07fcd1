/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tcp N: N round trips of 64 bytes over one loopback TCP connection.  The
 * server listens on 127.0.0.1 at an ephemeral port; a forked child connects
 * and, N times, writes 64 bytes and reads the 64-byte echo.  Every write is
 * whole (a blocking socket) and each side reads exactly 64 bytes per trip.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG 64 /* bytes per message */

/* Read exactly MSG bytes; 0 on success, -1 on error or early EOF. */
static int read_msg(int fd, char *buf)
{
	size_t got = 0;

	while (got < MSG) {
		ssize_t n = read(fd, buf + got, MSG - got);

		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

static int client(const struct sockaddr_in *addr, long n)
{
	char buf[MSG];
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof(*addr))) {
		perror("tcp: client: connect");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(buf, 'c', sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (write(fd, buf, MSG) != MSG || read_msg(fd, buf)) {
			perror("tcp: client: round trip");
			return 1;
		}
	}
	close(fd);
	return 0;
}

static int serve(int lfd, long n)
{
	char buf[MSG];
	int one = 1;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		perror("tcp: server: accept");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (long i = 0; i < n; i++) {
		if (read_msg(fd, buf) || write(fd, buf, MSG) != MSG) {
			perror("tcp: server: echo");
			return 1;
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t len = sizeof(addr);
	char *end;
	long n;
	int lfd, status, ret;
	pid_t pid;

	errno = 0;
	n = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (n < 0 || errno || *end) {
		fprintf(stderr, "usage: tcp N (N >= 0 round trips of %d bytes)\n", MSG);
		return 2;
	}
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len)) {
		perror("tcp: listen on 127.0.0.1");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("tcp: fork");
		return 1;
	}
	if (pid == 0) {
		close(lfd);
		_exit(client(&addr, n));
	}
	ret = serve(lfd, n);
	close(lfd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		ret = 1;
	return ret;
}
