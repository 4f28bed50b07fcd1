/* ticker T HZ [DELAY_MS]: T threads (and main) each write one byte to
 * /dev/null HZ times a second, until killed: a running process with a known
 * number of threads and a known write rate, for attaching to.  With
 * DELAY_MS the threads start that late, so an attach can see them born. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int fd;
static long hz;

static void *tick(void *arg)
{
	struct timespec next;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_nsec += 1000000000L / hz;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (write(fd, "x", 1) != 1)
			exit(1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t th;

	long delay = argc > 3 ? atol(argv[3]) : 0;
	struct timespec d = { delay / 1000, delay % 1000 * 1000000L };

	hz = argc > 2 ? atol(argv[2]) : 100;
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || hz < 1 || t < 0 || delay < 0)
		return 2;
	nanosleep(&d, NULL);
	for (int i = 0; i < t; i++)
		if (pthread_create(&th, NULL, tick, NULL))
			return 1;
	tick(NULL);
	return 0;
}
