/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * spawn.h - start a command stopped before its first instruction, so that it
 * can be registered with the probes and then let go: nothing it runs escapes
 * the trace.  Under sudo the command runs as the invoking user.
 */
#ifndef OSLAB_SPAWN_H
#define OSLAB_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

struct spawned {
	pid_t pid;
	int errfd;	/* carries errno if execve fails; EOF once it succeeded */
};

/* cmd itself when it holds a '/', else the first runnable cmd on $PATH,
 * into path; -1 when there is none.  Quiet. */
int spawn_find(const char *cmd, char *path, size_t len);
/* Resolve argv[0] on PATH; prints one "oslab: ..." line and returns -1 when
 * there is nothing runnable (exit 127 / 126 in the caller, like a shell). */
int spawn_resolve(const char *cmd, char *path, size_t len, int *exit_code);

/*
 * Fork a child that drops to SUDO_UID/SUDO_GID (when run as root through
 * sudo), stops itself, and once continued execs path with argv.  Returns 0
 * with the child stopped (waited for with WUNTRACED), or -1.
 */
int spawn_stopped(struct spawned *sp, const char *path, char *const argv[], const sigset_t *mask);

/* Continue the child and report whether execve succeeded (0) or its errno. */
int spawn_release(struct spawned *sp);

/* The uid/gid a traced program and oslab's files should belong to. */
bool spawn_invoking_user(uid_t *uid, gid_t *gid);

#endif
