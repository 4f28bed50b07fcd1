/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ringbuf.h - the reading end of a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF).
 *
 * libbpf's ring_buffer publishes its read position after every record; the
 * probe reads that position on every reserve, so each record costs the
 * traced program a cache line pulled back from the reader's CPU.  This reader
 * publishes it once per batch of records instead, and maps the data once
 * rather than twice (ringbuf.c says why).
 */
#ifndef OSLAB_RINGBUF_H
#define OSLAB_RINGBUF_H

#include <stddef.h>

typedef void (*ringbuf_fn)(void *ctx, void *data, size_t size);

struct ringbuf;

/* Map the ring buffer map map_fd of size bytes; NULL with errno set. */
struct ringbuf *ringbuf_open(int map_fd, size_t size, ringbuf_fn fn, void *ctx);
/* Call fn for every record committed so far, in order; returns how many. */
long ringbuf_consume(struct ringbuf *rb);
/* Readable (EPOLLIN) when records wait: the map's own fd. */
int ringbuf_fd(const struct ringbuf *rb);
void ringbuf_close(struct ringbuf *rb);

#endif
