/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * attach.h - tracing processes that are already running (-p): checking the
 * pids, and registering every thread they have with the probes; what they
 * create from then on is followed in the kernel.
 */
#ifndef OSLAB_ATTACH_H
#define OSLAB_ATTACH_H

#include <stddef.h>
#include <sys/types.h>

#include "collector.h"

#define ATTACH_MAX 64	/* pids one -p list may name */

/* Parse "PID[,PID...]" into pids; one "oslab: ..." line and -1 when bad. */
int attach_parse(const char *list, pid_t pids[ATTACH_MAX], size_t *n);
/* A pid that can be traced: it exists, is a user process, and is not
 * oslab itself.  One "oslab: ..." line and -1 otherwise. */
int attach_check(pid_t pid);
/* Follow every thread of pid; a thread born while we list them is
 * caught by listing again until no new one appears. */
int attach_follow(struct collector *c, pid_t pid);

#endif
