// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_grow(struct strbuf *sb, size_t more)
{
	size_t want = sb->len + more + 1;
	char *p;

	if (want <= sb->cap)
		return;
	if (want < 2 * sb->cap)
		want = 2 * sb->cap;
	if (want < 128)
		want = 128;
	p = realloc(sb->buf, want);
	if (!p) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	sb->buf = p;
	sb->cap = want;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	sb_grow(sb, 64);	/* most pieces fit: format once, again only if not */
	room = sb->cap - sb->len;
	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		sb_grow(sb, n);
		vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	}
	sb->len += n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void sb_put_u64(struct strbuf *sb, unsigned long long v)
{
	char tmp[20], *p = tmp + sizeof(tmp);

	do
		*--p = '0' + v % 10;
	while (v /= 10);
	sb_put(sb, p, tmp + sizeof(tmp) - p);
}

void sb_put_i64(struct strbuf *sb, long long v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_put_u64(sb, -(unsigned long long)v);
		return;
	}
	sb_put_u64(sb, v);
}
