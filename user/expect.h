/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * expect.h - a guided lab's expectations, checked against what was traced:
 * one line each, ✓ or ✗, what was observed against what was expected, and
 * one sentence of why.  Also as JSON "expectation" records.
 */
#ifndef OSLAB_EXPECT_H
#define OSLAB_EXPECT_H

#include <stdbool.h>
#include <stdio.h>

struct expect {
	FILE *out;		/* the ✓/✗ lines */
	FILE *json;		/* JSON Lines, or NULL */
	bool color;		/* green ✓, red ✗ */
	unsigned passed, failed;
};

enum expect_rel { EXPECT_EQ, EXPECT_GE, EXPECT_GT, EXPECT_LE, EXPECT_LT };

/*
 * Check observed REL expected.  what names the quantity ("threads created
 * with clone3(CLONE_THREAD)"), why is the lesson.  Prints, e.g.,
 *   ✓ threads created with clone3(CLONE_THREAD): 4 (expected 4) — why
 *   ✗ futex waits: 0 (expected ≥ 1) — why
 * Returns whether it held.
 */
bool expect_num(struct expect *e, const char *what, long long observed, enum expect_rel rel,
		long long expected, const char *why);
/* A yes/no fact: "✓ what — why". */
bool expect_true(struct expect *e, bool ok, const char *what, const char *why);
/* 1234567 as "1,234,567" into buf (at least 32 bytes). */
const char *expect_fmt_count(char *buf, long long n);

#endif
