// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "attach.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h: a kernel thread */

int attach_parse(const char *list, pid_t pids[ATTACH_MAX], size_t *n)
{
	const char *p = list;

	*n = 0;
	while (*p) {
		char *end;
		long v;

		errno = 0;
		v = strtol(p, &end, 10);
		if (errno || end == p || v <= 0 || v > 4194304 || (*end && *end != ',')) {
			fprintf(stderr, "oslab: -p takes PID[,PID...], positive numbers, not '%s'\n", list);
			return -1;
		}
		if (*n == ATTACH_MAX) {
			fprintf(stderr, "oslab: -p takes at most %d pids\n", ATTACH_MAX);
			return -1;
		}
		pids[(*n)++] = v;
		p = *end ? end + 1 : end;
	}
	if (!*n) {
		fprintf(stderr, "oslab: -p needs a PID\n");
		return -1;
	}
	return 0;
}

/* Fields 3 and 9 of /proc/PID/stat, the task's state and flags; the comm
 * before them may hold spaces and parentheses, so parse from the last ')'. */
static int task_flags(pid_t pid, char *state, unsigned long *flags, char *comm, size_t len)
{
	char path[64], buf[1024], *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close = strrchr(buf, ')');
	if (!close || sscanf(close + 2, "%c %*d %*d %*d %*d %*d %lu", state, flags) != 2)
		return -1;
	snprintf(comm, len, "%.*s", (int)(close - strchr(buf, '(') - 1), strchr(buf, '(') + 1);
	return 0;
}

/* A number from /proc/PID/status, such as "Threads:" (0 if unknown). */
static int status_field(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && sscanf(line + len, "%d", &n) == 1)
			break;
	fclose(f);
	return n;
}

int attach_check(pid_t pid)
{
	unsigned long flags;
	char comm[64], state;

	if (pid == getpid()) {
		fprintf(stderr, "oslab: %d is oslab itself; give the pid of another process\n", pid);
		return -1;
	}
	if (task_flags(pid, &state, &flags, comm, sizeof(comm))) {
		fprintf(stderr, "oslab: no process %d (see ps or pgrep for running processes)\n", pid);
		return -1;
	}
	if (flags & PF_KTHREAD) {
		fprintf(stderr, "oslab: %d (%s) is a kernel thread; oslab traces user processes\n",
			pid, comm);
		return -1;
	}
	/* a zombie main thread with no other thread left: the process is gone
	 * (one whose main thread called pthread_exit is a zombie too, but its
	 * other threads still run and count) */
	if ((state == 'Z' || state == 'X') && status_field(pid, "Threads:") <= 1) {
		fprintf(stderr, "oslab: %d (%s) has exited: a zombie until its parent waits for it\n",
			pid, comm);
		return -1;
	}
	return 0;
}

static bool known(const pid_t *v, size_t n, pid_t tid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == tid)
			return true;
	return false;
}

int attach_follow(struct collector *c, pid_t pid)
{
	pid_t *seen = NULL, ppid = status_field(pid, "PPid:");
	size_t n = 0, cap = 0;
	bool added = true;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	while (added) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (!d) {
			if (n)
				break;	/* it exited while we attached: its records stand */
			fprintf(stderr, "oslab: failed to list the threads of %d: %s\n", pid,
				strerror(errno));
			free(seen);
			return -1;
		}
		added = false;
		while ((e = readdir(d))) {
			pid_t tid = atoi(e->d_name);

			if (tid <= 0 || known(seen, n, tid))
				continue;
			if (n == cap) {
				pid_t *v = realloc(seen, (cap = cap ? 2 * cap : 64) * sizeof(*v));

				if (!v) {
					closedir(d);
					free(seen);
					return -1;
				}
				seen = v;
			}
			seen[n++] = tid;
			if (collector_follow(c, tid, pid, ppid, ORIGIN_ROOT)) {
				closedir(d);
				free(seen);
				return -1;
			}
			added = true;
		}
		closedir(d);
	}
	free(seen);
	return 0;
}
