// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "expect.h"

#include <stdlib.h>

#include "json.h"

const char *expect_fmt_count(char *buf, long long n)
{
	char digits[32];
	int len, out = 0;
	unsigned long long v = n < 0 ? -(unsigned long long)n : (unsigned long long)n;

	len = snprintf(digits, sizeof(digits), "%llu", v);
	if (n < 0)
		buf[out++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	buf[out] = '\0';
	return buf;
}

static const char *const rel_text[] = { "", "≥ ", "> ", "≤ ", "< " };
static const char *const rel_json[] = { "==", ">=", ">", "<=", "<" };

static void mark(struct expect *e, bool ok)
{
	if (ok)
		e->passed++;
	else
		e->failed++;
	if (e->color)
		fputs(ok ? "\033[32m✓\033[0m " : "\033[31m✗\033[0m ", e->out);
	else
		fputs(ok ? "✓ " : "✗ ", e->out);
}

static void json_line(struct expect *e, bool ok, const char *what, const char *why,
		      const long long *observed, const char *rel, const long long *expected)
{
	struct strbuf j = STRBUF_INIT;

	if (!e->json)
		return;
	json_begin(&j, "expectation");
	sb_printf(&j, ",\"ok\":%s", ok ? "true" : "false");
	json_kv_str(&j, "what", what);
	if (observed) {
		json_kv_int(&j, "observed", *observed);
		json_kv_str(&j, "relation", rel);
		json_kv_int(&j, "expected", *expected);
	}
	json_kv_str(&j, "why", why);
	json_end(&j, e->json);
	sb_free(&j);
}

bool expect_num(struct expect *e, const char *what, long long observed, enum expect_rel rel,
		long long expected, const char *why)
{
	char a[32], b[32];
	bool ok;

	switch (rel) {
	case EXPECT_EQ:
		ok = observed == expected;
		break;
	case EXPECT_GE:
		ok = observed >= expected;
		break;
	case EXPECT_GT:
		ok = observed > expected;
		break;
	case EXPECT_LE:
		ok = observed <= expected;
		break;
	default:
		ok = observed < expected;
		break;
	}
	mark(e, ok);
	fprintf(e->out, "%s: %s (expected %s%s) — %s\n", what, expect_fmt_count(a, observed),
		rel_text[rel], expect_fmt_count(b, expected), why);
	json_line(e, ok, what, why, &observed, rel_json[rel], &expected);
	return ok;
}

bool expect_true(struct expect *e, bool ok, const char *what, const char *why)
{
	mark(e, ok);
	fprintf(e->out, "%s — %s\n", what, why);
	json_line(e, ok, what, why, NULL, NULL, NULL);
	return ok;
}
