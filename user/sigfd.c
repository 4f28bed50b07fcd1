// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "sigfd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>

int sigfd_open(bool children, sigset_t *old)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	if (children)
		sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &mask, old)) {
		fprintf(stderr, "oslab: failed to block signals: %s\n", strerror(errno));
		return -1;
	}
	fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		fprintf(stderr, "oslab: failed to open a signalfd: %s\n", strerror(errno));
	return fd;
}
