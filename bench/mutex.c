/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mutex T N: T threads each lock and unlock one shared pthread mutex N times.
 * Uncontended lock calls never enter the kernel; contended ones become futex
 * waits and wakes, so the number of traced calls depends on the scheduling.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long iters;
static long counter; /* protected by lock: must end at T * N */

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static long arg_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < min || v > max ? -1 : v;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	long t;

	t = argc == 3 ? arg_long(argv[1], 1, 64) : -1;
	iters = argc == 3 ? arg_long(argv[2], 0, 1L << 40) : -1;
	if (t < 0 || iters < 0) {
		fprintf(stderr, "usage: mutex THREADS(1-64) ITERATIONS\n");
		return 2;
	}
	for (long i = 0; i < t; i++) {
		int err = pthread_create(&th[i], NULL, worker, NULL);

		if (err) {
			fprintf(stderr, "mutex: pthread_create: error %d\n", err);
			return 1;
		}
	}
	for (long i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	if (counter != t * iters) {
		fprintf(stderr, "mutex: counter is %ld, expected %ld\n", counter, t * iters);
		return 1;
	}
	return 0;
}
