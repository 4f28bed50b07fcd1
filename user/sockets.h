/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sockets.h - the socket report: each listening socket and each connection,
 * who made it, bytes each way, lifetime and how it ended.
 */
#ifndef OSLAB_SOCKETS_H
#define OSLAB_SOCKETS_H

#include <stdint.h>
#include <stdio.h>

#include "tracer.h"

struct sockets {
	struct sock_rec *v;	/* by open time */
	size_t n;
};

/* Collector callback: sockets is the ctx. */
void sockets_add(void *sockets, const struct sock_rec *r);
void sockets_finish(struct sockets *s);
void sockets_print(FILE *f, const struct sockets *s, uint64_t t0);
void sockets_json(FILE *f, const struct sockets *s);
void sockets_free(struct sockets *s);

#endif
