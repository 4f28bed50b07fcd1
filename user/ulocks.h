/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ulocks.h - --ulocks: uprobes on libc's lock functions, to count the lock
 * calls that never reach the kernel.  A uprobe traps on every call in every
 * process using that libc (about a microsecond each), so it is never on by
 * default and the report says so.
 */
#ifndef OSLAB_ULOCKS_H
#define OSLAB_ULOCKS_H

#include <stdio.h>

#include <bpf/libbpf.h>

#include "procs.h"

/* The functions, by the cookie their link gives the probe. */
extern const char *const ulock_names[ULOCK_FUNCS];

/* Attach prog to each function of the system's libc (the one oslab itself
 * uses).  Prints one "oslab: ..." line and returns -1 on failure. */
int ulocks_attach(struct bpf_program *prog, struct bpf_link *links[ULOCK_FUNCS]);
void ulocks_print(FILE *f, const struct procs *p);
void ulocks_json(FILE *f, const struct procs *p);

#endif
