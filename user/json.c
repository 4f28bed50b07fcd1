// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "json.h"

void json_str(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)	/* keeps the line valid UTF-8 */
				sb_printf(sb, "\\u%04x", *p);
			else
				sb_putc(sb, *p);
		}
	}
	sb_putc(sb, '"');
}

void json_begin(struct strbuf *sb, const char *type)
{
	sb_reset(sb);
	sb_puts(sb, "{\"type\":");
	json_str(sb, type);
}

void json_kv_str(struct strbuf *sb, const char *key, const char *val)
{
	sb_printf(sb, ",\"%s\":", key);
	json_str(sb, val);
}

void json_kv_int(struct strbuf *sb, const char *key, long long val)
{
	sb_printf(sb, ",\"%s\":%lld", key, val);
}

void json_kv_uint(struct strbuf *sb, const char *key, unsigned long long val)
{
	sb_printf(sb, ",\"%s\":%llu", key, val);
}

void json_end(struct strbuf *sb, FILE *f)
{
	sb_puts(sb, "}\n");
	fwrite(sb->buf, 1, sb->len, f);
}
