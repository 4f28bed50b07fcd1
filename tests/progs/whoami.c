/* whoami: write "uid euid gid egid groups" to stdout, to show whom a traced
 * program runs as. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("%d %d %d %d %d\n", getuid(), geteuid(), getgid(), getegid(), getgroups(0, NULL));
	return 0;
}
