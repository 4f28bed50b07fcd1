/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * strbuf.h - a growing byte buffer that report and log lines are built in.
 * Allocation failure is fatal (the collector cannot report without memory),
 * so callers never check.
 */
#ifndef OSLAB_STRBUF_H
#define OSLAB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct strbuf {
	char *buf;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_free(struct strbuf *sb);
/* Empty the buffer, keeping its memory for the next line. */
void sb_reset(struct strbuf *sb);
/* Make room for more bytes and the NUL; the rest is inline below, since
 * the log builds millions of lines a few bytes at a time. */
void sb_grow(struct strbuf *sb, size_t more);

static inline void sb_put(struct strbuf *sb, const void *data, size_t len)
{
	if (sb->len + len >= sb->cap)
		sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap)
		sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Decimal numbers without printf: the log's hot path prints millions. */
void sb_put_u64(struct strbuf *sb, unsigned long long v);
void sb_put_i64(struct strbuf *sb, long long v);
/* The contents as a C string ("" when empty). */
const char *sb_str(const struct strbuf *sb);

#endif
