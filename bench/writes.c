/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * writes N: N one-byte write(2) calls to /dev/null, nothing else in the loop.
 * The cheapest syscall there is, so a tracer's cost per call shows undiluted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long n;
	int fd;

	errno = 0;
	n = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (n < 0 || errno || *end) {
		fprintf(stderr, "usage: writes N (N >= 0 one-byte writes to /dev/null)\n");
		return 2;
	}
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("writes: open /dev/null");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (write(fd, "x", 1) != 1) {
			perror("writes: write");
			return 1;
		}
	}
	return 0;
}
