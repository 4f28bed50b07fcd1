/* Unit tests for the expectation checker of the guided labs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "expect.h"

struct out {
	char *buf;
	size_t len;
	char *jbuf;
	size_t jlen;
	struct expect e;
};

static int setup(void **state)
{
	struct out *o = calloc(1, sizeof(*o));

	o->e.out = open_memstream(&o->buf, &o->len);
	o->e.json = open_memstream(&o->jbuf, &o->jlen);
	*state = o;
	return 0;
}

static int teardown(void **state)
{
	struct out *o = *state;

	fclose(o->e.out);
	fclose(o->e.json);
	free(o->buf);
	free(o->jbuf);
	free(o);
	return 0;
}

static void flush(struct out *o)
{
	fflush(o->e.out);
	fflush(o->e.json);
}

static void test_pass(void **state)
{
	struct out *o = *state;

	assert_true(expect_num(&o->e, "threads created with clone3(CLONE_THREAD)", 4, EXPECT_EQ, 4,
			       "threads share the process's memory"));
	flush(o);
	assert_string_equal(o->buf, "✓ threads created with clone3(CLONE_THREAD): 4 (expected 4) — "
				    "threads share the process's memory\n");
	assert_string_equal(o->jbuf, "{\"type\":\"expectation\",\"ok\":true,\"what\":\"threads created "
				     "with clone3(CLONE_THREAD)\",\"observed\":4,\"relation\":\"==\","
				     "\"expected\":4,\"why\":\"threads share the process's memory\"}\n");
	assert_int_equal(o->e.passed, 1);
	assert_int_equal(o->e.failed, 0);
}

static void test_fail(void **state)
{
	struct out *o = *state;

	assert_false(expect_num(&o->e, "race: counter", 4000000, EXPECT_LT, 4000000,
				"updates were lost"));
	flush(o);
	assert_string_equal(o->buf, "✗ race: counter: 4,000,000 (expected < 4,000,000) — updates were lost\n");
	assert_non_null(strstr(o->jbuf, "\"ok\":false"));
	assert_int_equal(o->e.failed, 1);
}

static void test_relations(void **state)
{
	struct out *o = *state;

	assert_true(expect_num(&o->e, "a", 1873, EXPECT_GE, 1, "w"));
	assert_false(expect_num(&o->e, "b", 0, EXPECT_GE, 1, "w"));
	assert_true(expect_num(&o->e, "c", 2, EXPECT_GT, 1, "w"));
	assert_false(expect_num(&o->e, "d", 1, EXPECT_GT, 1, "w"));
	assert_true(expect_num(&o->e, "e", 5, EXPECT_LE, 5, "w"));
	assert_false(expect_num(&o->e, "f", 6, EXPECT_LE, 5, "w"));
	assert_true(expect_num(&o->e, "g", -3, EXPECT_LT, 0, "w"));
	assert_false(expect_num(&o->e, "h", 0, EXPECT_EQ, 1, "w"));
	assert_int_equal(o->e.passed, 4);
	assert_int_equal(o->e.failed, 4);
	flush(o);
	assert_non_null(strstr(o->buf, "✓ a: 1,873 (expected ≥ 1) — w\n"));
	assert_non_null(strstr(o->buf, "✗ f: 6 (expected ≤ 5) — w\n"));
	assert_non_null(strstr(o->buf, "✓ g: -3 (expected < 0) — w\n"));
}

static void test_true(void **state)
{
	struct out *o = *state;

	assert_false(expect_true(&o->e, false, "the lab exited with 0", "why"));
	o->e.color = true;
	assert_true(expect_true(&o->e, true, "x", "y"));
	flush(o);
	assert_string_equal(o->buf, "✗ the lab exited with 0 — why\n\033[32m✓\033[0m x — y\n");
}

static void test_fmt_count(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(expect_fmt_count(buf, 0), "0");
	assert_string_equal(expect_fmt_count(buf, 999), "999");
	assert_string_equal(expect_fmt_count(buf, 1000), "1,000");
	assert_string_equal(expect_fmt_count(buf, 2611094), "2,611,094");
	assert_string_equal(expect_fmt_count(buf, -1234567), "-1,234,567");
	assert_string_equal(expect_fmt_count(buf, INT64_MIN), "-9,223,372,036,854,775,808");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_true, setup, teardown),
		cmocka_unit_test(test_fmt_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
