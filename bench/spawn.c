/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * spawn F T: F times fork() a child that exits at once and wait for it, then
 * T times create a thread that returns at once and join it.  Process and
 * thread creation is where a tracer that follows a tree does extra work.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nothing(void *arg)
{
	return arg;
}

static long arg_long(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < 0 ? -1 : v;
}

int main(int argc, char **argv)
{
	long forks = argc == 3 ? arg_long(argv[1]) : -1;
	long threads = argc == 3 ? arg_long(argv[2]) : -1;
	int status;

	if (forks < 0 || threads < 0) {
		fprintf(stderr, "usage: spawn FORKS THREADS\n");
		return 2;
	}
	for (long i = 0; i < forks; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("spawn: fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "spawn: child %d did not exit cleanly\n", pid);
			return 1;
		}
	}
	for (long i = 0; i < threads; i++) {
		pthread_t th;
		int err = pthread_create(&th, NULL, nothing, NULL);

		if (err) {
			fprintf(stderr, "spawn: pthread_create: error %d\n", err);
			return 1;
		}
		pthread_join(th, NULL);
	}
	return 0;
}
