/* forks P [G]: P children made with fork(), each writes one line and exits
 * with its index; if G is given, child 0 also forks G grandchildren that each
 * write one line.  Every child is waited for. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *what)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%s %d\n", what, getpid());

	if (write(STDOUT_FILENO, buf, n) != n)
		_exit(100);
}

int main(int argc, char **argv)
{
	int p = argc > 1 ? atoi(argv[1]) : 3;
	int g = argc > 2 ? atoi(argv[2]) : 0;
	sigset_t chld;

	/* Under ptrace a child's SIGCHLD is queued even though it is ignored, and
	 * a fork that finds it pending restarts (ERESTARTNOINTR): strace would
	 * count an extra clone.  Blocked, it never interrupts a fork. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	for (int i = 0; i < p; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			for (int j = 0; i == 0 && j < g; j++) {
				pid_t gc = fork();

				if (gc < 0)
					_exit(101);
				if (gc == 0) {
					say("grandchild");
					_exit(0);
				}
				if (waitpid(gc, NULL, 0) != gc)
					_exit(102);
			}
			say("child");
			_exit(i);
		}
	}
	for (int i = 0; i < p; i++)
		if (wait(NULL) < 0) {
			perror("wait");
			return 1;
		}
	return 0;
}
