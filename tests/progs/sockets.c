/* sockets: one loopback TCP exchange with every socket call visible:
 * socket x2, bind, listen, connect, accept4, sendto "ping", recvfrom,
 * shutdown, close x3. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	char buf[16];
	int srv, cli, conn;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(srv, 8) || getsockname(srv, (struct sockaddr *)&addr, &len)) {
		perror("server");
		return 1;
	}
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("client");
		return 1;
	}
	conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0 || sendto(cli, "ping", 4, 0, NULL, 0) != 4 ||
	    recvfrom(conn, buf, sizeof(buf), 0, NULL, NULL) != 4 || memcmp(buf, "ping", 4)) {
		perror("exchange");
		return 1;
	}
	shutdown(cli, SHUT_WR);
	close(conn);
	close(cli);
	close(srv);
	return 0;
}
