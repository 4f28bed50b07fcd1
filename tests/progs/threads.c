/* threads T: T threads made with pthread_create, each writes one line; all
 * are joined. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *run(void *arg)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "thread %ld tid %d\n", (long)arg, gettid());

	if (write(STDOUT_FILENO, buf, n) != n)
		return (void *)1;
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t *th = calloc(t, sizeof(*th));

	if (!th)
		return 1;
	for (long i = 0; i < t; i++) {
		int err = pthread_create(&th[i], NULL, run, (void *)i);

		if (err) {
			fprintf(stderr, "pthread_create: error %d\n", err);
			return 1;
		}
	}
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	free(th);
	return 0;
}
