/* exits CODE | exits -SIG: exit with CODE, or die by signal SIG. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int v = argc > 1 ? atoi(argv[1]) : 0;

	if (v < 0) {
		signal(-v, SIG_DFL);
		raise(-v);
		pause();
	}
	return v;
}
