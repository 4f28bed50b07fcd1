/* conns K: a loopback TCP server with K connections open at once, one
 * thread per connection.  A forked client opens all K first, then sends
 * "ping I" on each, reads every "pong I" and only then closes them all.
 * Exactly: 1 fork, K connect, K accept, K server threads, K sends and K
 * replies; exit 0 when every reply was right. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void *serve(void *arg)
{
	int fd = (int)(long)arg;
	char buf[32];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return (void *)1;
	buf[1] = 'o';	/* "ping I" -> "pong I" */
	if (send(fd, buf, n, MSG_NOSIGNAL) != n)
		return (void *)1;
	/* hold the connection until the client closes it */
	n = recv(fd, buf, sizeof(buf), 0);
	close(fd);
	return n == 0 ? NULL : (void *)1;
}

static int client(const struct sockaddr_in *addr, int k)
{
	int *fds = calloc(k, sizeof(*fds)), ok = 0;

	if (!fds)
		return 1;
	for (int i = 0; i < k; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (const struct sockaddr *)addr, sizeof(*addr))) {
			perror("client: connect");
			return 1;
		}
	}
	for (int i = 0; i < k; i++) {
		char msg[32];
		int len = snprintf(msg, sizeof(msg), "ping %d", i);

		if (send(fds[i], msg, len, MSG_NOSIGNAL) != len)
			return 1;
	}
	for (int i = 0; i < k; i++) {
		char want[32], got[32];
		int len = snprintf(want, sizeof(want), "pong %d", i);

		ok += recv(fds[i], got, len, MSG_WAITALL) == len && !memcmp(got, want, len);
	}
	for (int i = 0; i < k; i++)
		close(fds[i]);
	return ok == k ? 0 : 1;
}

int main(int argc, char **argv)
{
	int k = argc > 1 ? atoi(argv[1]) : 10, srv, st, bad = 0;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	pthread_t *th = calloc(k > 0 ? k : 1, sizeof(*th));
	pid_t pid;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (!th || srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(srv, k) || getsockname(srv, (struct sockaddr *)&addr, &len)) {
		perror("server");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(srv);
		_exit(client(&addr, k));
	}
	for (int i = 0; i < k; i++) {
		int fd = accept(srv, NULL, NULL);

		if (fd < 0 || pthread_create(&th[i], NULL, serve, (void *)(long)fd)) {
			perror("server: accept");
			return 1;
		}
	}
	for (int i = 0; i < k; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad += r != NULL;
	}
	close(srv);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) || bad) {
		fprintf(stderr, "conns: %d connections failed, client status %#x\n", bad, st);
		return 1;
	}
	printf("conns: %d connections served by %d threads\n", k, k);
	return 0;
}
