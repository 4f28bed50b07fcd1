// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ringbuf.c - read a BPF ring buffer, publishing the read position per batch.
 *
 * The layout is the kernel's (kernel/bpf/ringbuf.c): a page holding the
 * consumer position (ours to write), a page holding the producer position,
 * then the data pages, which the kernel offers mapped twice in a row so a
 * record that wraps around the end reads as one piece.  We map them once:
 * mapped pages are resident from the start, so a second mapping would count
 * the whole buffer twice in our RSS; the rare record that wraps is copied
 * into one piece instead.  Each record starts with an 8-byte header: its
 * length with a busy bit (still being written) and a discard bit.
 */
#include "ringbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>

/* Records between two publications of the read position: few enough that
 * the space they hold back is nothing next to the buffer's size. */
#define RINGBUF_BATCH 64

struct ringbuf {
	int fd;
	size_t page;
	size_t mask;
	unsigned long *consumer_pos;	/* read-write page */
	unsigned long *producer_pos;	/* read-only: producer page, then the data once */
	uint8_t *data;
	uint8_t *wrap;		/* a record that wraps around the end, in one piece */
	size_t wrap_cap;
	ringbuf_fn fn;
	void *ctx;
};

struct ringbuf *ringbuf_open(int map_fd, size_t size, ringbuf_fn fn, void *ctx)
{
	struct ringbuf *rb = calloc(1, sizeof(*rb));
	void *p;

	if (!rb)
		return NULL;
	rb->fd = map_fd;
	rb->page = sysconf(_SC_PAGESIZE);
	rb->mask = size - 1;
	rb->fn = fn;
	rb->ctx = ctx;
	p = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	rb->consumer_pos = p;
	p = mmap(NULL, rb->page + size, PROT_READ, MAP_SHARED, map_fd, rb->page);
	if (p == MAP_FAILED)
		goto fail;
	rb->producer_pos = p;
	rb->data = (uint8_t *)p + rb->page;
	return rb;
fail:
	ringbuf_close(rb);
	return NULL;
}

/* The record of len bytes at data offset at, as one piece. */
static void *record(struct ringbuf *rb, size_t at, size_t len)
{
	size_t first = rb->mask + 1 - at;

	if (len <= first)
		return rb->data + at;
	if (len > rb->wrap_cap) {
		uint8_t *p = realloc(rb->wrap, len);

		if (!p)
			return NULL;
		rb->wrap = p;
		rb->wrap_cap = len;
	}
	memcpy(rb->wrap, rb->data + at, first);
	memcpy(rb->wrap + first, rb->data, len - first);
	return rb->wrap;
}

long ringbuf_consume(struct ringbuf *rb)
{
	unsigned long cons = *rb->consumer_pos, prod;
	long n = 0;
	int batch = 0;

	for (;;) {
		prod = __atomic_load_n(rb->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(rb->data + (cons & rb->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			unsigned long at = (cons + BPF_RINGBUF_HDR_SZ) & rb->mask;

			if (len & BPF_RINGBUF_BUSY_BIT)
				goto out;	/* its writer is not done: read it next time */
			cons += (len & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ;
			cons = (cons + 7) & ~7UL;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				void *data = record(rb, at, len);

				if (data) {
					rb->fn(rb->ctx, data, len);
					n++;
				}
			}
			if (++batch == RINGBUF_BATCH) {
				__atomic_store_n(rb->consumer_pos, cons, __ATOMIC_RELEASE);
				batch = 0;
			}
		}
	}
out:
	__atomic_store_n(rb->consumer_pos, cons, __ATOMIC_RELEASE);
	return n;
}

int ringbuf_fd(const struct ringbuf *rb)
{
	return rb->fd;
}

void ringbuf_close(struct ringbuf *rb)
{
	if (!rb)
		return;
	if (rb->producer_pos)
		munmap(rb->producer_pos, rb->page + rb->mask + 1);
	if (rb->consumer_pos)
		munmap(rb->consumer_pos, rb->page);
	free(rb->wrap);
	free(rb);
}
