/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sigfd.h - the signals oslab's wait loops handle, as a signalfd they can
 * poll beside their other descriptors.
 */
#ifndef OSLAB_SIGFD_H
#define OSLAB_SIGFD_H

#include <signal.h>
#include <stdbool.h>

/*
 * Block SIGINT, SIGTERM, SIGHUP and SIGQUIT, and SIGCHLD too with children,
 * and return a non-blocking signalfd that reads them; the mask they replaced
 * goes to *old, for the caller to restore.  One "oslab: ..." line and -1 on
 * failure.
 */
int sigfd_open(bool children, sigset_t *old);

#endif
