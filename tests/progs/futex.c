/* futex R: R hand-offs between two threads with raw shared (non-private)
 * futex calls, exact by construction: the waiter is verifiably asleep in
 * futex(2) before each wake, so there are exactly R FUTEX_WAIT and R
 * FUTEX_WAKE calls, each wake waking one waiter.  glibc's own locks use
 * private futexes, so the shared ones are all ours. */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Atomic int word;	/* round number the waiter may pass */
static _Atomic int seen;	/* last round the waiter passed */
static _Atomic int tid;

static long futex(_Atomic int *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/* True once thread t sleeps in futex(2), read from /proc. */
static int asleep_in_futex(int t)
{
	char path[64];
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", t);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
	return nr == SYS_futex;
}

static void *waiter(void *arg)
{
	long rounds = (long)arg;

	tid = gettid();
	for (int r = 1; r <= rounds; r++) {
		while (word < r)
			futex(&word, FUTEX_WAIT, r - 1);
		seen = r;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 3;
	struct timespec ms = { 0, 1000000 };
	pthread_t th;

	if (pthread_create(&th, NULL, waiter, (void *)rounds))
		return 1;
	for (int r = 1; r <= rounds; r++) {
		while (!tid || !asleep_in_futex(tid))
			nanosleep(&ms, NULL);
		word = r;
		if (futex(&word, FUTEX_WAKE, 1) != 1) {
			fprintf(stderr, "round %d: the wake found no waiter\n", r);
			return 1;
		}
		/* the next round's check must not see this round's sleep */
		while (seen < r)
			nanosleep(&ms, NULL);
	}
	/* pthread_join may sleep on the exiting thread's tid word: poll instead */
	while (pthread_tryjoin_np(th, NULL))
		nanosleep(&ms, NULL);
	printf("%ld hand-offs\n", rounds);
	return 0;
}
