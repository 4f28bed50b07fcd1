/* faults MODE: a traced program that ends badly, one way per mode.
 *
 *   segv              a NULL write: killed by SIGSEGV
 *   thread-segv       the same in a second thread, while the first waits
 *   pthread-exit N [MS]  main calls pthread_exit while N threads still run;
 *                     each writes one line MS ms (default 100) after main
 *                     has gone; exit 0
 *   thread-exit N C   N threads asleep, one more calls exit(C): the whole
 *                     process ends with C, the sleepers never wake
 *   orphan MS         forks a child and exits at once; the child (now an
 *                     orphan) sleeps MS ms, writes one line and exits 0
 *   ignore-term       ignores SIGTERM and SIGINT, writes a line every 10 ms
 *                     for 30 s
 *   thread-exec PROG ARG  a second thread execs PROG ARG while main sleeps:
 *                     the kernel ends main, and the thread takes its pid
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void say(const char *what)
{
	char buf[80];
	int n = snprintf(buf, sizeof(buf), "%s pid %d tid %d\n", what, getpid(), gettid());

	if (write(STDOUT_FILENO, buf, n) != n)
		_exit(100);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

static volatile int *volatile null_ptr;

static void *segv_thread(void *arg)
{
	(void)arg;
	*null_ptr = 1;
	return NULL;
}

/* pthread-exit: run after main has left */
static void *late_thread(void *arg)
{
	sleep_ms((long)arg);
	say("late thread");
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static char *const *exec_argv;

static void *execer(void *arg)
{
	(void)arg;
	sleep_ms(50);
	execv(exec_argv[0], exec_argv);
	_exit(127);
}

static void *exiter(void *arg)
{
	sleep_ms(50);
	say("exiting thread");
	exit((int)(long)arg);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 1;
	pthread_t th;

	if (!strcmp(mode, "segv")) {
		*null_ptr = 1;
	} else if (!strcmp(mode, "thread-segv")) {
		if (pthread_create(&th, NULL, segv_thread, NULL))
			return 1;
		pthread_join(th, NULL);
	} else if (!strcmp(mode, "pthread-exit")) {
		long ms = argc > 3 ? atol(argv[3]) : 100;

		for (long i = 0; i < n; i++)
			if (pthread_create(&th, NULL, late_thread, (void *)ms))
				return 1;
		say("main thread leaving");
		pthread_exit(NULL);
	} else if (!strcmp(mode, "thread-exit")) {
		long code = argc > 3 ? atol(argv[3]) : 3;

		for (long i = 0; i < n; i++)
			if (pthread_create(&th, NULL, sleeper, NULL))
				return 1;
		if (pthread_create(&th, NULL, exiter, (void *)code))
			return 1;
		pause();
	} else if (!strcmp(mode, "orphan")) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			sleep_ms(n);
			say("orphan");
			_exit(0);
		}
		say("parent leaving");
		return 0;
	} else if (!strcmp(mode, "ignore-term")) {
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		for (int i = 0; i < 3000; i++) {
			say("still here");
			sleep_ms(10);
		}
		return 0;
	} else if (!strcmp(mode, "thread-exec") && argc > 2) {
		exec_argv = argv + 2;
		if (pthread_create(&th, NULL, execer, NULL))
			return 1;
		pause();
	} else {
		fprintf(stderr, "usage: faults segv|thread-segv|pthread-exit N [MS]|thread-exit N CODE|"
				"orphan MS|ignore-term|thread-exec PROG [ARG...]\n");
		return 2;
	}
	return 1;
}
