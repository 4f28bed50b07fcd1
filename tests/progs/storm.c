/* storm T N: T threads released together, each makes exactly N one-byte
 * write(2) calls to /dev/null: T x N writes as fast as the CPUs go.
 *
 * storm -d SECONDS T: a busy program for SECONDS: T threads write and take
 * a shared mutex in turn, while the main thread starts a short-lived thread
 * every 10 ms.  Prints "writes=W threads=C" at the end: the exact number
 * of writes to /dev/null and of threads it created. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int devnull;
static long per_thread;
static pthread_barrier_t start;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stop;
static atomic_long writes;

static void *burst(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < per_thread; i++)
		if (write(devnull, "x", 1) != 1)
			exit(1);
	return NULL;
}

static void *busy(void *arg)
{
	long mine = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		if (write(devnull, "x", 1) != 1)
			exit(1);
		mine++;
		if (mine % 64 == 0) {
			pthread_mutex_lock(&lock);
			if (write(devnull, "y", 1) != 1)
				exit(1);
			mine++;
			pthread_mutex_unlock(&lock);
		}
	}
	atomic_fetch_add(&writes, mine);
	return NULL;
}

static void *brief(void *arg)
{
	(void)arg;
	if (write(devnull, "z", 1) != 1)
		exit(1);
	atomic_fetch_add(&writes, 1);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = 0;
	long created = 0;
	pthread_t *th;
	int t;

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		seconds = atof(argv[2]);
		argv += 2;
		argc -= 2;
	}
	t = argc > 1 ? atoi(argv[1]) : 4;
	per_thread = argc > 2 ? atol(argv[2]) : 100000;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	th = calloc(t, sizeof(*th));
	if (devnull < 0 || !th || t < 1)
		return 1;
	if (!seconds) {
		pthread_barrier_init(&start, NULL, t);
		for (int i = 0; i < t; i++)
			if (pthread_create(&th[i], NULL, burst, NULL))
				return 1;
		for (int i = 0; i < t; i++)
			pthread_join(th[i], NULL);
		return 0;
	}
	for (int i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, busy, NULL))
			return 1;
	for (double end = now() + seconds; now() < end; created++) {
		struct timespec ms10 = { 0, 10000000 };
		pthread_t b;

		if (pthread_create(&b, NULL, brief, NULL) || pthread_join(b, NULL))
			return 1;
		nanosleep(&ms10, NULL);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	printf("writes=%ld threads=%ld\n", atomic_load(&writes), created + t);
	return 0;
}
