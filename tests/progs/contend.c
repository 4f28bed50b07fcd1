/* contend T R: T threads take one global mutex R times each and hold it
 * for 1 ms, so every thread but the holder sleeps in futex: a lock the
 * lock report must find by its name, contended_lock. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

pthread_mutex_t contended_lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds;

static void *worker(void *arg)
{
	struct timespec ms = { 0, 1000000 };

	(void)arg;
	for (long i = 0; i < rounds; i++) {
		pthread_mutex_lock(&contended_lock);
		nanosleep(&ms, NULL);	/* holding it: the others must wait */
		pthread_mutex_unlock(&contended_lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t th[64];

	rounds = argc > 2 ? atol(argv[2]) : 5;
	if (t < 1 || t > 64)
		return 2;
	for (int i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 1;
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	printf("%d threads x %ld rounds on %p\n", t, rounds, (void *)&contended_lock);
	return 0;
}
