// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * spawn.c - the race-free start.  The child stops itself with SIGSTOP before
 * execve; the parent sees the stop, registers the child with the probes, and
 * only then sends SIGCONT.  The child's first traced syscall is its execve.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool runnable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int spawn_find(const char *cmd, char *path, size_t len)
{
	const char *env = getenv("PATH");
	char dirs[4096], *save = NULL;

	if (strchr(cmd, '/'))
		return snprintf(path, len, "%s", cmd) < (int)len && runnable(path) ? 0 : -1;
	snprintf(dirs, sizeof(dirs), "%s", env ? env : "/usr/local/bin:/usr/bin:/bin");
	for (char *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		if (snprintf(path, len, "%s/%s", *dir ? dir : ".", cmd) < (int)len && runnable(path))
			return 0;
	return -1;
}

int spawn_resolve(const char *cmd, char *path, size_t len, int *exit_code)
{
	struct stat st;

	if (!spawn_find(cmd, path, len))
		return 0;
	/* say why: a path that is there but cannot run, or nothing at all */
	if (strchr(cmd, '/') && !stat(cmd, &st)) {
		fprintf(stderr, "oslab: cannot run '%s': %s\n", cmd,
			S_ISDIR(st.st_mode) ? "is a directory" : "permission denied (not executable)");
		*exit_code = 126;
		return -1;
	}
	fprintf(stderr, "oslab: cannot run '%s': command not found\n", cmd);
	*exit_code = 127;
	return -1;
}

bool spawn_invoking_user(uid_t *uid, gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	char *end;
	long v;

	if (geteuid() != 0 || !u || !g)
		return false;
	v = strtol(u, &end, 10);
	if (*end || v <= 0)
		return false;
	*uid = v;
	v = strtol(g, &end, 10);
	if (*end || v < 0)
		return false;
	*gid = v;
	return true;
}

/* In the child: become the invoking user, stop, then exec.  Only
 * async-signal-safe calls between fork and execve. */
static void child(int errfd, const char *path, char *const argv[], const sigset_t *mask)
{
	uid_t uid;
	gid_t gid;
	int err;

	if (spawn_invoking_user(&uid, &gid) &&
	    (setgroups(0, NULL) || setgid(gid) || setuid(uid))) {
		err = errno;
		goto fail;
	}
	/* ambient capabilities (CAP_BPF and CAP_PERFMON given to oslab by setpriv
	 * or systemd's AmbientCapabilities=) would pass through execve to the
	 * command; it gets none.  Fails only where there are none (Linux < 4.3). */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	sigprocmask(SIG_SETMASK, mask, NULL);
	raise(SIGSTOP);
	execve(path, argv, environ);
	err = errno;
fail:
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

int spawn_stopped(struct spawned *sp, const char *path, char *const argv[], const sigset_t *mask)
{
	int pipefd[2], status;

	if (pipe2(pipefd, O_CLOEXEC)) {
		fprintf(stderr, "oslab: failed to create a pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	sp->pid = fork();
	if (sp->pid < 0) {
		fprintf(stderr, "oslab: failed to fork: %s\n", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (sp->pid == 0) {
		close(pipefd[0]);
		child(pipefd[1], path, argv, mask);
	}
	close(pipefd[1]);
	sp->errfd = pipefd[0];
	if (waitpid(sp->pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status)) {
		int err = 0;

		if (read(sp->errfd, &err, sizeof(err)) == sizeof(err))
			fprintf(stderr, "oslab: failed to become the invoking user: %s\n", strerror(err));
		else
			fprintf(stderr, "oslab: the command did not start\n");
		close(sp->errfd);
		return -1;
	}
	return 0;
}

int spawn_release(struct spawned *sp)
{
	int err = 0;
	ssize_t n;

	kill(sp->pid, SIGCONT);
	do
		n = read(sp->errfd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(sp->errfd);
	sp->errfd = -1;
	return n == sizeof(err) ? err : 0;
}
