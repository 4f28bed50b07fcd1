// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * perfetto.c - writes the timeline in the Chrome trace-event format (the
 * JSON object form: {"traceEvents":[...],"metadata":{...}}), one event per
 * line, through zlib.
 *
 * Each traced thread is a track (pid, tid).  Slices on one track must nest,
 * so the running and off-CPU stretches are cut at syscall boundaries: a
 * thread can only enter or leave a syscall while it runs, so an off-CPU
 * stretch is always wholly inside a syscall or wholly outside.
 */
#include "perfetto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "files.h"
#include "json.h"
#include "strbuf.h"
#include "syscalls.h"

#define FLUSH_AT (64 * 1024)	/* bytes gathered before one gzwrite */

struct out {
	gzFile gz;
	struct strbuf sb;
	uint64_t t0;		/* the first event: ts 0 */
	size_t events;
	bool failed;
};

static void flush(struct out *o)
{
	if (o->sb.len && !o->failed && gzwrite(o->gz, o->sb.buf, o->sb.len) != (int)o->sb.len)
		o->failed = true;
	sb_reset(&o->sb);
}

/* Numbers by hand: printf would take most of the time of a large file. */
static void put_u64(struct strbuf *sb, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);

	do
		d[--i] = '0' + v % 10;
	while (v /= 10);
	sb_put(sb, d + i, sizeof(d) - i);
}

static void put_key(struct out *o, const char *key)
{
	sb_puts(&o->sb, ",\"");
	sb_puts(&o->sb, key);
	sb_puts(&o->sb, "\":");
}

/* Begin one event object: {"ph":"X","pid":1,"tid":2 */
static void begin(struct out *o, char ph, uint32_t pid, uint32_t tid)
{
	sb_puts(&o->sb, o->events++ ? ",\n{\"ph\":\"" : "\n{\"ph\":\"");
	sb_putc(&o->sb, ph);
	sb_puts(&o->sb, "\",\"pid\":");
	put_u64(&o->sb, pid);
	sb_puts(&o->sb, ",\"tid\":");
	put_u64(&o->sb, tid);
}

static void end(struct out *o)
{
	sb_putc(&o->sb, '}');
	if (o->sb.len >= FLUSH_AT)
		flush(o);
}

/* ns as us with 3 decimals: "ts":1234.567 */
static void put_us(struct out *o, const char *key, uint64_t ns)
{
	char frac[4] = { '.', '0' + ns / 100 % 10, '0' + ns / 10 % 10, '0' + ns % 10 };

	put_key(o, key);
	put_u64(&o->sb, ns / 1000);
	sb_put(&o->sb, frac, sizeof(frac));
}

static void put_str(struct out *o, const char *key, const char *val)
{
	put_key(o, key);
	json_str(&o->sb, val);
}

static void put_id(struct out *o, uint64_t id)
{
	put_key(o, "id");
	put_u64(&o->sb, id);
}

static void name_meta(struct out *o, const char *what, uint32_t pid, uint32_t tid,
		      const char *name)
{
	begin(o, 'M', pid, tid);
	put_str(o, "name", what);
	sb_puts(&o->sb, ",\"args\":{\"name\":");
	json_str(&o->sb, name);
	sb_putc(&o->sb, '}');
	end(o);
}

static void slice(struct out *o, const struct tl_lane *l, const char *cat, const char *name,
		  uint64_t start, uint64_t stop)
{
	begin(o, 'X', l->pid, l->tid);
	put_str(o, "cat", cat);
	put_str(o, "name", name);
	put_us(o, "ts", start - o->t0);
	put_us(o, "dur", stop - start);
}

static void call_slice(struct out *o, const struct timeline *tl, const struct tl_lane *l,
		       const struct tl_call *c)
{
	const struct syscall_def *def = syscall_by_nr(c->nr);
	const char *text = timeline_call_text(tl, c);
	char name[32];

	if (c->start < o->t0)
		return;
	if (def)
		snprintf(name, sizeof(name), "%s", def->name);
	else
		snprintf(name, sizeof(name), "syscall_%u", c->nr);
	slice(o, l, "syscall", name, c->start, c->end);
	if (text) {
		sb_puts(&o->sb, ",\"args\":{\"call\":");
		json_str(&o->sb, text);
		sb_putc(&o->sb, '}');
	}
	end(o);
}

/* One lane's slices, syscalls and states merged in time order, each state
 * stretch cut where a syscall begins or ends. */
static void lane_slices(struct out *o, const struct timeline *tl, const struct tl_lane *l)
{
	const struct tl_thread *th = l->th;
	const struct tl_call *calls = th->calls;
	size_t nc = th->n_calls, next = 0, cut_at = 0;
	struct tl_iter it;
	struct tl_interval v;

	tl_iter_init(&it, tl, l);
	/* calls outside the lane's lifetime belong to another thread with its tid */
	while (next < nc && calls[next].start < it.lo)
		next++;
	cut_at = next;
	while (tl_iter_next(&it, &v)) {
		uint64_t pos = v.start;

		while (pos < v.end) {
			uint64_t cut = v.end;

			while (next < nc && calls[next].start <= pos)
				call_slice(o, tl, l, &calls[next++]);
			while (cut_at < nc &&
			       (calls[cut_at].end <= pos || calls[cut_at].start == calls[cut_at].end))
				cut_at++;
			if (cut_at < nc) {
				uint64_t b = calls[cut_at].start > pos ? calls[cut_at].start
								       : calls[cut_at].end;

				if (b < cut)
					cut = b;
			}
			slice(o, l, "sched", tl_state_name(v.state), pos, cut);
			end(o);
			pos = cut;
		}
	}
	for (; next < nc && calls[next].start < it.hi; next++)
		call_slice(o, tl, l, &calls[next]);
}

/* Start of the woken thread's first running stretch at or after ts, or 0. */
static uint64_t next_running(const struct tl_thread *th, uint64_t ts)
{
	size_t lo = 0, hi = th->n_iv;

	while (lo < hi) {	/* first interval starting at or after ts */
		size_t mid = lo + (hi - lo) / 2;

		if (th->iv[mid].start < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < th->n_iv; lo++)
		if (th->iv[lo].state == TL_RUNNING)
			return th->iv[lo].start;
	if (th->state == TL_RUNNING && th->since >= ts)
		return th->since;
	return 0;
}

/* Wake-ups as flows: "s" on the waker's lane (bound to its slice then), "f"
 * 1 ns into the woken thread's next running slice, bound to it ("bp":"e"). */
static void flows(struct out *o, const struct timeline *tl)
{
	size_t n;
	const struct tl_wakeup *w = timeline_wakeups(tl, &n);
	uint64_t stop = timeline_end(tl);

	for (size_t i = 0; i < n; i++) {
		const struct tl_thread *waker = timeline_thread(tl, w[i].waker);
		const struct tl_thread *woken = timeline_thread(tl, w[i].woken);
		uint64_t run;

		if (!waker || !woken || !waker->tgid || w[i].ts < o->t0)
			continue;
		run = next_running(woken, w[i].ts);
		if (!run || run >= stop)
			continue;
		begin(o, 's', waker->tgid, waker->tid);
		put_str(o, "cat", "wakeup");
		put_str(o, "name", "wakeup");
		put_id(o, i + 1);
		put_us(o, "ts", w[i].ts - o->t0);
		end(o);
		begin(o, 'f', woken->tgid, woken->tid);
		put_str(o, "cat", "wakeup");
		put_str(o, "name", "wakeup");
		put_id(o, i + 1);
		put_str(o, "bp", "e");
		put_us(o, "ts", run + (stop - run > 1) - o->t0);
		end(o);
	}
}

static void write_trace(struct out *o, const struct timeline *tl, const struct procs *p)
{
	size_t n_lanes;
	struct tl_lane *lanes = timeline_lanes(tl, p, &n_lanes);
	uint64_t dropped, stopped = timeline_stopped(tl, &dropped);

	sb_puts(&o->sb, "{\"traceEvents\":[");
	for (size_t i = 0; p && i < p->n_procs; i++)
		name_meta(o, "process_name", p->procs[i].pid, p->procs[i].pid, p->procs[i].comm);
	for (size_t i = 0; p && i < p->n_threads; i++)
		name_meta(o, "thread_name", p->threads[i].tgid, p->threads[i].tid,
			  p->threads[i].comm);
	for (size_t i = 0; i < n_lanes; i++)
		if (lanes[i].th)
			lane_slices(o, tl, &lanes[i]);
	flows(o, tl);
	if (stopped) {
		begin(o, 'i', 0, 0);
		put_str(o, "s", "g");
		put_str(o, "name", "oslab stopped recording here (memory limit)");
		put_us(o, "ts", stopped - o->t0);
		end(o);
	}
	sb_puts(&o->sb, "\n],\"metadata\":{\"generator\":\"oslab\"");
	if (stopped)
		sb_printf(&o->sb,
			  ",\"note\":\"the timeline stopped recording at its memory limit: "
			  "%llu later events are not in this file\"",
			  (unsigned long long)dropped);
	sb_puts(&o->sb, "}}\n");
	flush(o);
	free(lanes);
}

int perfetto_write(const char *path, const struct timeline *tl, const struct procs *p)
{
	struct out o = { .sb = STRBUF_INIT, .t0 = timeline_start(tl) };
	FILE *f = fopen_as_user(path, "w");
	int fd, err;

	if (!f)
		return -1;
	/* zlib writes through its own descriptor, close-on-exec like f's */
	fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 0);
	err = errno;
	fclose(f);
	/* level 1: a 2M-record trace compresses in seconds, still about 20 to 1 */
	o.gz = fd >= 0 ? gzdopen(fd, "wb1") : NULL;
	if (!o.gz) {
		if (fd >= 0) {
			err = ENOMEM;	/* gzdopen only fails to allocate */
			close(fd);
		}
		fprintf(stderr, "oslab: failed to write '%s': %s\n", path, strerror(err));
		return -1;
	}
	gzbuffer(o.gz, 256 * 1024);
	write_trace(&o, tl, p);
	sb_free(&o.sb);
	if (o.failed) {
		int zerr;
		const char *msg = gzerror(o.gz, &zerr);

		fprintf(stderr, "oslab: failed to write '%s': %s\n", path,
			zerr == Z_ERRNO ? strerror(errno) : msg);
		gzclose(o.gz);
		return -1;
	}
	err = gzclose(o.gz);
	if (err != Z_OK) {
		fprintf(stderr, "oslab: failed to write '%s': %s\n", path,
			err == Z_ERRNO ? strerror(errno) : "zlib error");
		return -1;
	}
	return 0;
}
