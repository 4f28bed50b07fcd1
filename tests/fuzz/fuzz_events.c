// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fuzz_events.c - libFuzzer target: arbitrary ring buffer records through
 * everything in user space that reads them.  The probes are trusted to write
 * well-formed records, but the readers must never go past a record's end
 * whatever its header says: each record here sits in its own allocation of
 * exactly its size, so AddressSanitizer sees any byte read beyond it.
 *
 * Input (the format record.c writes from a live trace):
 *   byte 0       options: bits 0-1 the -t mode, bit 2 -T, bit 3 -q,
 *                bits 4-7 pick -s (0, 1, 4, 32, 4000, ...)
 *   then records, each a little-endian u16 size and that many bytes.
 *
 * Each record goes to log_event() (text and JSON to /dev/null) and to
 * timeline_event(), as the collector delivers it.  Each record large enough
 * to be a struct event is then also formatted by traced syscalls' decoders
 * (call_format), with the record before it as its entry event, its data_len
 * cut to the bytes that are there (what log_event() checks): the first
 * ALL_DEFS records by every decoder, each later one by one decoder in turn,
 * which keeps a long recorded trace fast to run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"
#include "syscalls.h"
#include "timeline.h"

#define ALL_DEFS 8	/* records formatted by every decoder */

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : 1;
}

/* A record in an allocation of exactly its size (at least 1 byte for malloc). */
static void *copy_record(const uint8_t *data, size_t size)
{
	void *rec = malloc(size ? size : 1);

	if (rec && size)
		memcpy(rec, data, size);
	return rec;
}

/* Decoders on one record, the way the log would print it: every one for
 * the first records, one in turn for the others (nth is the record's index). */
static void format_record(struct strbuf *sb, const uint8_t *data, size_t size,
			  const struct event *enter, unsigned nth)
{
	unsigned n = syscalls_count(), first = 1, last = n;
	struct event *ev;
	size_t room;

	if (size < sizeof(*ev))
		return;
	ev = copy_record(data, size);
	if (!ev)
		return;
	room = size - sizeof(*ev);
	if (ev->data_len > room)
		ev->data_len = room;
	if (nth >= ALL_DEFS)
		first = last = 1 + nth % n;
	for (unsigned s = first; s <= last; s++) {
		struct call c = { .ev = ev, .enter = enter, .def = syscall_by_slot(s) };

		sb_reset(sb);
		call_format(sb, &c);
	}
	free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned strsizes[16] = { 0, 1, 4, 32, 4000, 2, 8, 16,
					       31, 33, 64, 128, 255, 256, 1024, 4095 };
	struct log lg = { 0 };
	struct timeline *tl;
	struct strbuf sb = STRBUF_INIT;
	struct event *enter = NULL;
	size_t off = 1;
	unsigned nth = 0;

	if (size < 1)
		return 0;
	lg.time = (enum log_time)(data[0] & 3);
	lg.durations = data[0] & 4;
	lg.quiet = data[0] & 8;
	lg.out = devnull;
	lg.json = devnull;
	decode_strsize = strsizes[data[0] >> 4];
	log_init(&lg);
	tl = timeline_new();
	if (!tl)
		return 0;
	timeline_limits(tl, 1000, 1 << 16);
	while (off + 2 <= size) {
		size_t len = data[off] | (size_t)data[off + 1] << 8;
		void *rec;

		off += 2;
		if (len > size - off)
			len = size - off;
		rec = copy_record(data + off, len);
		if (!rec)
			break;
		log_event(&lg, rec, len);
		timeline_event(tl, rec, len);
		free(rec);
		format_record(&sb, data + off, len, enter, nth++);
		/* the next record's entry event: this one, cut to what is there */
		free(enter);
		enter = NULL;
		if (len >= sizeof(*enter)) {
			enter = copy_record(data + off, len);
			if (enter && enter->data_len > len - sizeof(*enter))
				enter->data_len = len - sizeof(*enter);
		}
		off += len;
	}
	free(enter);
	sb_free(&sb);
	timeline_free(tl);
	log_free(&lg);
	return 0;
}
