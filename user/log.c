// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * log.c - turns ring buffer records into log lines.  A syscall that captured
 * memory at entry sends an EV_ENTER first; it is kept per thread until the
 * matching EV_SYSCALL arrives.
 */
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "json.h"
#include "syscalls.h"

struct pending {
	uint32_t tid;
	struct event *ev;	/* a copy: the ring buffer slot is reused */
};

void log_init(struct log *l)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	l->realtime_offset_ns = (real.tv_sec - mono.tv_sec) * 1000000000LL +
				(real.tv_nsec - mono.tv_nsec);
}

static struct pending *pending_of(struct log *l, uint32_t tid)
{
	for (size_t i = 0; i < l->n_pending; i++)
		if (l->pending[i].tid == tid)
			return &l->pending[i];
	return NULL;
}

static void keep_enter(struct log *l, const struct event *ev, size_t size)
{
	struct pending *p = pending_of(l, ev->tid);

	if (!p) {
		if (l->n_pending == l->cap_pending) {
			size_t cap = l->cap_pending ? 2 * l->cap_pending : 8;
			struct pending *v = realloc(l->pending, cap * sizeof(*v));

			if (!v)
				return;	/* the call prints without its entry data */
			l->pending = v;
			l->cap_pending = cap;
		}
		p = &l->pending[l->n_pending++];
		p->tid = ev->tid;
		p->ev = NULL;
	}
	free(p->ev);
	p->ev = malloc(size);
	if (p->ev)
		memcpy(p->ev, ev, size);
}

/* Take the entry record of this call, if there is one; caller frees it. */
static struct event *take_enter(struct log *l, const struct event *ev)
{
	struct pending *p = pending_of(l, ev->tid);
	struct event *e;

	if (!p)
		return NULL;
	e = p->ev;
	*p = l->pending[--l->n_pending];
	if (e && e->nr != ev->nr) {
		free(e);
		return NULL;
	}
	return e;
}

static void put_prefix(struct log *l, struct strbuf *sb, const struct event *ev)
{
	/* added unsigned: a corrupt record's ts must not overflow an int64_t */
	int64_t ns = (int64_t)(ev->ts + (uint64_t)l->realtime_offset_ns);
	time_t secs = ns / 1000000000;
	struct tm tm;

	sb_puts(sb, "[pid ");
	/* the exit status is the process's: the line names the process */
	sb_put_u64(sb, ev->type == EV_EXIT ? ev->tgid : ev->tid);
	sb_put(sb, "] ", 2);
	if (l->time == LOG_TIME_NONE)
		return;
	if (l->time == LOG_TIME_EPOCH) {
		sb_printf(sb, "%lld.%06lld ", (long long)secs, (long long)(ns % 1000000000) / 1000);
		return;
	}
	localtime_r(&secs, &tm);
	sb_printf(sb, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (l->time == LOG_TIME_USEC)
		sb_printf(sb, ".%06lld", (long long)(ns % 1000000000) / 1000);
	sb_putc(sb, ' ');
}

static void json_event(struct log *l, const struct event *ev, const char *name,
		       const char *text)
{
	struct strbuf *j = &l->jline;

	json_begin(j, ev->type == EV_EXIT ? "exit" : "event");
	json_kv_uint(j, "ts_ns", ev->ts);
	json_kv_uint(j, "pid", ev->tgid);
	json_kv_uint(j, "tid", ev->tid);
	if (ev->type == EV_EXIT) {
		json_kv_int(j, "status", ev->ret);
	} else {
		json_kv_str(j, "syscall", name);
		json_kv_int(j, "ret", ev->ret);
		json_kv_uint(j, "duration_ns", ev->duration_ns);
	}
	json_kv_str(j, "text", text);
	json_end(j, l->json);
}

void log_event(void *ctx, const struct event *ev, size_t size)
{
	struct log *l = ctx;
	struct call c = { .ev = ev };
	struct strbuf *sb = &l->line;
	struct event *enter = NULL;
	size_t text, text_end;

	/* the chunks the header announces must lie inside the record */
	if (size < sizeof(*ev) || ev->data_len > size - sizeof(*ev))
		return;
	if (ev->type == EV_ENTER) {
		keep_enter(l, ev, size);
		return;
	}
	sb_reset(sb);
	put_prefix(l, sb, ev);
	text = sb->len;
	if (ev->type == EV_EXIT) {
		if (l->quiet && !l->json)
			return;
		sb_puts(sb, "+++ ");
		print_exit_status(sb, ev->ret);
		sb_puts(sb, " +++");
		text_end = sb->len;
	} else {
		c.def = syscall_by_nr(ev->nr);
		if (!c.def)
			return;
		c.enter = enter = take_enter(l, ev);
		call_format(sb, &c);
		text_end = sb->len;
		if (l->durations && !(c.def->spec.flags & SC_NORETURN))
			sb_printf(sb, " <%llu.%06llu>", (unsigned long long)ev->duration_ns / 1000000000,
				  (unsigned long long)(ev->duration_ns % 1000000000) / 1000);
		l->events++;
	}
	if (l->json) {
		char saved = sb->buf[text_end];

		sb->buf[text_end] = '\0';	/* the call without its -T duration */
		json_event(l, ev, c.def ? c.def->name : "", sb->buf + text);
		sb->buf[text_end] = saved;
	}
	if (l->out && !(ev->type == EV_EXIT && l->quiet)) {
		sb_putc(sb, '\n');
		/* one thread writes the log: no stream lock per line */
		fwrite_unlocked(sb->buf, 1, sb->len, l->out);
	}
	free(enter);
}

void log_free(struct log *l)
{
	for (size_t i = 0; i < l->n_pending; i++)
		free(l->pending[i].ev);
	free(l->pending);
	sb_free(&l->line);
	sb_free(&l->jline);
}
