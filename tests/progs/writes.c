/* writes N: exactly N one-byte write(2) calls to /dev/null, nothing else traced
 * but the open and close around them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0) {
		perror("open /dev/null");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (write(fd, "x", 1) != 1) {
			perror("write");
			return 1;
		}
	}
	return 0;
}
