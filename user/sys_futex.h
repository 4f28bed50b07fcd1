/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sys_futex.h - what a futex(2) operation does, for the reports that count
 * lock waits and wakes.
 */
#ifndef OSLAB_SYS_FUTEX_H
#define OSLAB_SYS_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

enum futex_kind {
	FUTEX_KIND_WAIT,    /* may sleep: WAIT, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI, LOCK_PI2 */
	FUTEX_KIND_WAKE,    /* wakes sleepers: WAKE, WAKE_BITSET, WAKE_OP, UNLOCK_PI */
	FUTEX_KIND_REQUEUE, /* moves sleepers: REQUEUE, CMP_REQUEUE, CMP_REQUEUE_PI */
	FUTEX_KIND_OTHER,   /* TRYLOCK_PI, FD, and operations the kernel rejects */
};

/* The kind of futex operation op (futex's second argument, flags included);
 * classified by op & FUTEX_CMD_MASK, as the kernel does. */
int futex_op_kind(uint64_t op);
/* True when op carries FUTEX_PRIVATE_FLAG (a process-private futex). */
bool futex_op_private(uint64_t op);
/* op's name as strace prints it: "FUTEX_WAIT_PRIVATE",
 * "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME", or the number and the
 * comment FUTEX_??? when the kernel knows no such operation. */
void futex_print_op(struct strbuf *sb, uint64_t op);

#endif
