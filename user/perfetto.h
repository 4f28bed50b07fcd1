/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * perfetto.h - the timeline as a Chrome trace-event JSON file, gzip-compressed,
 * for ui.perfetto.dev and chrome://tracing.
 */
#ifndef OSLAB_PERFETTO_H
#define OSLAB_PERFETTO_H

#include "procs.h"
#include "timeline.h"

/* Write a Chrome trace-event JSON file, gzip-compressed through zlib (gzopen),
 * that ui.perfetto.dev and chrome://tracing open: process_name/thread_name
 * metadata for every traced process and thread, "X" slices for each syscall
 * (name = syscall, args = its strace-style text) and for each off-CPU
 * interval (name = the reason: "futex wait", "I/O wait", "sleep",
 * "runnable", "blocked"), and flow events ("s"/"f" with bind "e") from the
 * waker's lane to the woken thread's next running slice.  Returns 0, or -1
 * after printing one "oslab: ..." line.
 *
 * Also: "running" slices for the time on a CPU (the flows end in them), cut
 * where a syscall begins or ends so that every lane nests properly (a
 * syscall's slice holds the running and off-CPU slices inside it).
 * Timestamps are in us relative to the first event, with ns fractions.
 * p may be NULL (no names).  The file is created or truncated with the
 * invoking user's rights. */
int perfetto_write(const char *path, const struct timeline *tl, const struct procs *p);

#endif
