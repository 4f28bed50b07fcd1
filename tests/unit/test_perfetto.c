/* Unit tests for the Perfetto file: a recorded event sequence is written,
 * gunzipped through zlib and checked: valid JSON (jq, when installed, and a
 * small validator here), thread names equal to the traced threads, slices
 * for every syscall and off-CPU stretch, slices that nest on every lane, and
 * wake-up flows in s/f pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "perfetto.h"
#include "procs.h"
#include "timeline.h"

#define B 1000000000ULL	/* the recorded sequence starts 1 s after boot */
#define US 1000ULL

static void sw(struct timeline *tl, uint64_t ts, uint32_t out_pid, uint32_t out_tid,
	       unsigned reason, uint64_t ran, uint32_t in_pid, uint32_t in_tid)
{
	struct sched_event e = { .ts = ts, .duration_ns = ran, .tgid = out_pid, .tid = out_tid,
				 .type = EV_SWITCH, .reason = reason, .other_tid = in_tid,
				 .other_tgid = in_pid };

	timeline_event(tl, &e, sizeof(e));
}

static void wake(struct timeline *tl, uint64_t ts, uint32_t pid, uint32_t tid, uint32_t waker)
{
	struct sched_event e = { .ts = ts, .tgid = pid, .tid = tid, .type = EV_WAKEUP,
				 .other_tid = waker, .other_tgid = waker ? pid : 0 };

	timeline_event(tl, &e, sizeof(e));
}

/* A syscall of pid/tid from `from` to `to` us, returning ret. */
static void sc(struct timeline *tl, uint64_t from, uint64_t to, uint32_t pid, uint32_t tid,
	       long nr, long long ret)
{
	struct event e = { .ts = B + to * US, .duration_ns = (to - from) * US, .tgid = pid,
			   .tid = tid, .type = EV_SYSCALL, .nr = nr, .ret = ret,
			   .args = { 0x1000, 0x81, 1 } };

	timeline_event(tl, &e, sizeof(e));
}

static void add_thread(struct procs *p, uint32_t tid, uint32_t tgid, const char *comm,
		       uint64_t end_us)
{
	struct thread t = { .tid = tid, .tgid = tgid, .ppid = 1, .start_ns = B - 1000 + tid,
			    .end_ns = end_us ? B + end_us * US : 0, .state = end_us ? THREAD_EXITED : 0,
			    .origin = tid == tgid ? ORIGIN_ROOT : ORIGIN_THREAD };

	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	procs_add_thread(p, &t);
}

/*
 * Process 100 "locks", its threads 101 and 102 (whose name needs escaping),
 * one CPU, times in us:
 *
 *   0     100 runs, clone3 at 490..500
 *   1000  100 waits in futex (990..10010)    101 runs
 *   3000  101 preempted                      102 runs, futex at 3990..6010
 *   4000  102 waits in futex                 101 runs, futex wake at 4990..5010
 *   5000  101 wakes 102                      (flow 1)
 *   6000  101 reads (5990..9510), I/O wait   102 runs
 *   8000  102 sleeps (7990..10040)           the CPU idles
 *   9000  an interrupt wakes 101 (no flow)   9500  101 runs
 *   9700  101 calls exit: sched_process_exit, then it runs on in the kernel
 *   9800  101 wakes 100 (flow 2)             through the clear-tid futex
 *   10000 the CPU goes from 101, forgotten by the probes, to 100
 *   10020 102's timer fires while 100 runs   (no flow: a sleep ends by a timer)
 *   10030 100 preempted                      102 runs
 *   10050 process 100 exits
 */
static void record(struct timeline *tl)
{
	struct event ex = { .ts = B + 10050 * US, .tgid = 100, .tid = 100, .type = EV_EXIT };

	sw(tl, B, 0, 0, 0, 0, 100, 100);
	sc(tl, 490, 500, 100, 100, SYS_clone3, 101);
	sw(tl, B + 1000 * US, 100, 100, OFF_FUTEX, 1000 * US, 100, 101);
	sw(tl, B + 3000 * US, 100, 101, OFF_RUNNABLE, 2000 * US, 100, 102);
	sw(tl, B + 4000 * US, 100, 102, OFF_FUTEX, 1000 * US, 100, 101);
	wake(tl, B + 5000 * US, 100, 102, 101);
	sc(tl, 4990, 5010, 100, 101, SYS_futex, 1);
	sw(tl, B + 6000 * US, 100, 101, OFF_IO, 2000 * US, 100, 102);
	sc(tl, 3990, 6010, 100, 102, SYS_futex, 0);
	sw(tl, B + 8000 * US, 100, 102, OFF_SLEEP, 2000 * US, 0, 0);
	wake(tl, B + 9000 * US, 100, 101, 0);
	sw(tl, B + 9500 * US, 0, 0, 0, 0, 100, 101);
	sc(tl, 5990, 9510, 100, 101, SYS_read, 5);
	sc(tl, 9700, 9700, 100, 101, SYS_exit, 0);
	wake(tl, B + 9800 * US, 100, 100, 101);
	sw(tl, B + 10000 * US, 0, 0, 0, 0, 100, 100);
	sc(tl, 990, 10010, 100, 100, SYS_futex, 0);
	wake(tl, B + 10020 * US, 100, 102, 100);
	sw(tl, B + 10030 * US, 100, 100, OFF_RUNNABLE, 30 * US, 100, 102);
	sc(tl, 7990, 10040, 100, 102, SYS_nanosleep, 0);
	timeline_event(tl, &ex, sizeof(ex));
}

static void record_procs(struct procs *p)
{
	add_thread(p, 100, 100, "locks", 0);
	/* sched_process_exit comes before the exiting thread wakes its joiner */
	add_thread(p, 101, 100, "worker", 9700);
	add_thread(p, 102, 100, "wo\"rk\\er", 0);
	procs_build(p);
}

struct tmp {
	char dir[64];
	char gz[96];	/* the Perfetto file */
	char json[96];	/* gunzipped, for jq */
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/oslab-perfetto-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->gz, sizeof(t->gz), "%s/t.json.gz", t->dir);
	snprintf(t->json, sizeof(t->json), "%s/t.json", t->dir);
}

static void tmp_remove(struct tmp *t)
{
	unlink(t->gz);
	unlink(t->json);
	rmdir(t->dir);
}

/* The gunzipped file, NUL-terminated; also written to t->json. */
static char *gunzip(struct tmp *t)
{
	unsigned char magic[2] = { 0 };
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	FILE *f = fopen(t->gz, "r");
	gzFile gz;
	int n;

	/* gzread passes plain files through: check it really is gzip */
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(magic[0], 0x1f);
	assert_int_equal(magic[1], 0x8b);
	gz = gzopen(t->gz, "rb");
	assert_non_null(gz);
	while ((n = gzread(gz, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	assert_int_equal(n, 0);
	assert_int_equal(gzclose(gz), Z_OK);
	buf[len] = '\0';
	f = fopen(t->json, "w");
	assert_non_null(f);
	fwrite(buf, 1, len, f);
	fclose(f);
	return buf;
}

static char *write_and_read(struct tmp *t, const struct timeline *tl, const struct procs *p)
{
	tmp_make(t);
	assert_int_equal(perfetto_write(t->gz, tl, p), 0);
	return gunzip(t);
}

/*
 * A small JSON validator (RFC 8259's grammar, no semantics): enough to
 * know the file parses where jq is not installed.
 */
static const char *json_value(const char *s);

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s != '\\')
			continue;
		s++;
		if (*s == 'u') {
			for (int i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
					return NULL;
			s += 4;
		} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
			return NULL;
		}
	}
	return s + 1;
}

static const char *json_number(const char *s)
{
	const char *start;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return NULL;
	if (*s == '.') {
		start = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == start)
			return NULL;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		start = s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == start)
			return NULL;
	}
	return s;
}

static const char *json_members(const char *s, char close, bool keys)
{
	s = json_ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (keys) {
			s = json_string(json_ws(s));
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s++ != ':')
				return NULL;
		}
		s = json_value(s);
		if (!s)
			return NULL;
		s = json_ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *s)
{
	s = json_ws(s);
	switch (*s) {
	case '{':
		return json_members(s, '}', true);
	case '[':
		return json_members(s, ']', false);
	case '"':
		return json_string(s);
	case 't':
		return strncmp(s, "true", 4) ? NULL : s + 4;
	case 'f':
		return strncmp(s, "false", 5) ? NULL : s + 5;
	case 'n':
		return strncmp(s, "null", 4) ? NULL : s + 4;
	default:
		return json_number(s);
	}
}

static bool json_valid(const char *s)
{
	s = json_value(s);
	return s && !*json_ws(s);
}

static bool have_jq(void)
{
	return system("command -v jq >/dev/null 2>&1") == 0;
}

/* What jq prints for filter on file (NULL when jq fails). */
static char *jq(const char *filter, const char *file)
{
	char cmd[1024], *out = NULL;
	size_t len = 0;
	FILE *p, *o = open_memstream(&out, &len);
	int c, status;

	snprintf(cmd, sizeof(cmd), "jq -r '%s' %s", filter, file);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF)
		fputc(c, o);
	status = pclose(p);
	fclose(o);
	if (status) {
		free(out);
		return NULL;
	}
	return out;
}

/* One trace event, from its line: the writer puts one event per line. */
struct ev {
	char ph;
	unsigned pid, tid;
	char cat[32], name[64];
	uint64_t ts, dur;	/* ns */
	long id;
	bool bind_enclosing;
};

static uint64_t us_field(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	unsigned long long us, frac;

	if (!p)
		return UINT64_MAX;
	assert_int_equal(sscanf(p + strlen(key), "%llu.%3llu", &us, &frac), 2);
	return us * 1000 + frac;
}

static size_t parse_events(const char *text, struct ev **out)
{
	size_t n = 0, cap = 64;
	struct ev *v = malloc(cap * sizeof(*v));

	for (const char *l = text; (l = strstr(l, "\n{\"ph\":\"")); l++) {
		struct ev *e;
		const char *p;

		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		e = &v[n++];
		memset(e, 0, sizeof(*e));
		assert_int_equal(sscanf(l, "\n{\"ph\":\"%c\",\"pid\":%u,\"tid\":%u", &e->ph, &e->pid,
					&e->tid),
				 3);
		if ((p = strstr(l, "\"cat\":\"")))
			sscanf(p, "\"cat\":\"%31[^\"]", e->cat);
		if ((p = strstr(l, "\"name\":\"")))
			sscanf(p, "\"name\":\"%63[^\"]", e->name);
		if ((p = strstr(l, "\"id\":")))
			e->id = atol(p + 5);
		p = strstr(l, "\"bp\":\"e\"");
		e->bind_enclosing = p && (!strchr(l + 1, '\n') || p < strchr(l + 1, '\n'));
		e->ts = us_field(l, "\"ts\":");
		e->dur = us_field(l, "\"dur\":");
	}
	*out = v;
	return n;
}

static void test_valid_json(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	char *text, *out;

	(void)state;
	record(tl);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	/* the validator can say no */
	assert_false(json_valid("{\"a\":[1,2}"));
	assert_false(json_valid("{\"a\":\"\x01\"}"));
	assert_false(json_valid("{\"a\":1.}"));
	assert_true(json_valid("{\"a\":[1,2.5e3,\"\\u00e9\\\"\"],\"b\":{}}"));
	assert_true(json_valid(text));
	assert_non_null(strstr(text, "{\"traceEvents\":[\n"));
	if (have_jq()) {
		out = jq(".traceEvents | length", t.json);
		assert_non_null(out);
		assert_true(atoi(out) > 40);
		free(out);
		out = jq(".metadata.generator", t.json);
		assert_string_equal(out, "oslab\n");
		free(out);
	} else {
		print_message("jq is not installed: checked with the built-in validator only\n");
	}
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

/* The thread lanes are exactly the traced threads, with their names. */
static void test_thread_names(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	struct ev *v;
	size_t n, names = 0;
	char *text;

	(void)state;
	record(tl);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	assert_non_null(strstr(text, "\n{\"ph\":\"M\",\"pid\":100,\"tid\":100,\"name\":\"process_name\","
				     "\"args\":{\"name\":\"locks\"}}"));
	assert_non_null(strstr(text, "\n{\"ph\":\"M\",\"pid\":100,\"tid\":102,\"name\":\"thread_name\","
				     "\"args\":{\"name\":\"wo\\\"rk\\\\er\"}}"));
	n = parse_events(text, &v);
	for (size_t i = 0; i < n; i++) {
		if (v[i].ph == 'M' && !strcmp(v[i].name, "thread_name"))
			names++;
		/* every event is on a traced thread's lane */
		assert_int_equal(v[i].pid, 100);
		assert_in_range(v[i].tid, 100, 102);
	}
	assert_int_equal(names, 3);
	if (have_jq()) {
		char *out = jq("[.traceEvents[] | select(.ph == \"M\" and .name == \"thread_name\")"
			       " | \"\\(.pid)/\\(.tid) \\(.args.name)\"] | join(\",\")",
			       t.json);

		assert_string_equal(out, "100/100 locks,100/101 worker,100/102 wo\"rk\\er\n");
		free(out);
		out = jq("[.traceEvents[] | select(.ph == \"X\") | .tid] | unique | map(tostring)"
			 " | join(\",\")",
			 t.json);
		assert_string_equal(out, "100,101,102\n");
		free(out);
	}
	free(v);
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

/* Every syscall is a slice with its text; every off-CPU stretch is a slice
 * named for its reason; times are us from the first event. */
static void test_slices(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	char *text;
	static const char *const want[] = {
		/* syscalls */
		"{\"ph\":\"X\",\"pid\":100,\"tid\":100,\"cat\":\"syscall\",\"name\":\"clone3\","
		"\"ts\":490.000,\"dur\":10.000,\"args\":{\"call\":\"clone3(0x1000, 129) = 101\"}}",
		"\"tid\":100,\"cat\":\"syscall\",\"name\":\"futex\",\"ts\":990.000,\"dur\":9020.000,"
		"\"args\":{\"call\":\"futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = 0\"}}",
		"\"tid\":101,\"cat\":\"syscall\",\"name\":\"futex\",\"ts\":4990.000,\"dur\":20.000,",
		"\"tid\":101,\"cat\":\"syscall\",\"name\":\"read\",\"ts\":5990.000,\"dur\":3520.000,",
		"\"tid\":101,\"cat\":\"syscall\",\"name\":\"exit\",\"ts\":9700.000,\"dur\":0.000,",
		"\"tid\":102,\"cat\":\"syscall\",\"name\":\"futex\",\"ts\":3990.000,\"dur\":2020.000,",
		"\"tid\":102,\"cat\":\"syscall\",\"name\":\"nanosleep\",\"ts\":7990.000,"
		"\"dur\":2050.000,",
		/* off the CPU */
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"futex wait\",\"ts\":1000.000,\"dur\":8800.000}",
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":9800.000,\"dur\":200.000}",
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":10030.000,\"dur\":20.000}",
		"\"tid\":101,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":3000.000,\"dur\":1000.000}",
		"\"tid\":101,\"cat\":\"sched\",\"name\":\"I/O wait\",\"ts\":6000.000,\"dur\":3000.000}",
		"\"tid\":101,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":9000.000,\"dur\":500.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"futex wait\",\"ts\":4000.000,\"dur\":1000.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":5000.000,\"dur\":1000.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"sleep\",\"ts\":8000.000,\"dur\":2020.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"runnable\",\"ts\":10020.000,\"dur\":10.000}",
		/* running, cut where syscalls begin and end */
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"running\",\"ts\":0.000,\"dur\":490.000}",
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"running\",\"ts\":490.000,\"dur\":10.000}",
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"running\",\"ts\":500.000,\"dur\":490.000}",
		"\"tid\":100,\"cat\":\"sched\",\"name\":\"running\",\"ts\":990.000,\"dur\":10.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"running\",\"ts\":6000.000,\"dur\":10.000}",
		"\"tid\":102,\"cat\":\"sched\",\"name\":\"running\",\"ts\":6010.000,\"dur\":1980.000}",
		/* 101 runs past its exit until the last thread it woke */
		"\"tid\":101,\"cat\":\"sched\",\"name\":\"running\",\"ts\":9510.000,\"dur\":290.001}",
	};

	(void)state;
	record(tl);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(text, want[i]))
			fail_msg("no %s in\n%s", want[i], text);
	/* nothing after the process exited, nor after 101's last switch-out */
	assert_null(strstr(text, "\"ts\":10050.000"));
	assert_null(strstr(text, "\"name\":\"blocked\""));
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

static int by_start(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->dur > y->dur ? -1 : x->dur < y->dur;	/* the parent first */
}

/* Slices on one lane nest: each one ends before the one around it does. */
static bool nested(const char *text)
{
	struct ev *v, *x;
	size_t n = parse_events(text, &v), nx = 0, depth = 0;
	const struct ev *stack[64];
	bool ok = true;

	x = calloc(n + 1, sizeof(*x));
	for (size_t i = 0; i < n; i++)
		if (v[i].ph == 'X')
			x[nx++] = v[i];
	qsort(x, nx, sizeof(*x), by_start);
	for (size_t i = 0; i < nx && ok; i++) {
		if (i && x[i].tid != x[i - 1].tid)
			depth = 0;
		while (depth && stack[depth - 1]->ts + stack[depth - 1]->dur <= x[i].ts)
			depth--;
		if (depth && x[i].ts + x[i].dur > stack[depth - 1]->ts + stack[depth - 1]->dur) {
			print_message("tid %u: %s at %llu ns overlaps %s at %llu ns\n", x[i].tid,
				      x[i].name, (unsigned long long)x[i].ts, stack[depth - 1]->name,
				      (unsigned long long)stack[depth - 1]->ts);
			ok = false;
		}
		assert_true(depth < 64);
		stack[depth++] = &x[i];
	}
	free(x);
	free(v);
	return ok;
}

static void test_nesting(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	char *text;

	(void)state;
	record(tl);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	assert_true(nested(text));
	/* and the checker can say no */
	assert_false(nested(
		"\n{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"a\",\"ts\":0.000,\"dur\":2.000}"
		"\n{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"b\",\"ts\":1.000,\"dur\":2.000}"));
	assert_true(nested(
		"\n{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"a\",\"ts\":0.000,\"dur\":2.000}"
		"\n{\"ph\":\"X\",\"pid\":1,\"tid\":1,\"name\":\"b\",\"ts\":1.000,\"dur\":1.000}"));
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

/* Is ts inside a slice named name (any, when NULL) on lane tid? */
static bool inside(const struct ev *v, size_t n, unsigned tid, uint64_t ts, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ph == 'X' && v[i].tid == tid && v[i].ts <= ts && ts < v[i].ts + v[i].dur &&
		    (!name || !strcmp(v[i].name, name)))
			return true;
	return false;
}

/* Wake-ups are s/f pairs: from inside the waker's slice to 1 ns into the
 * woken thread's next running slice; none for timers and interrupts. */
static void test_flows(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	struct ev *v;
	size_t n, pairs = 0;
	char *text;

	(void)state;
	record(tl);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	n = parse_events(text, &v);
	for (size_t i = 0; i < n; i++) {
		size_t ends = 0;
		const struct ev *f = NULL;

		if (v[i].ph == 'f') {
			assert_true(v[i].bind_enclosing);
			assert_true(inside(v, n, v[i].tid, v[i].ts, "running"));
		}
		if (v[i].ph != 's')
			continue;
		assert_string_equal(v[i].cat, "wakeup");
		assert_true(inside(v, n, v[i].tid, v[i].ts, NULL));
		for (size_t j = 0; j < n; j++)
			if (v[j].ph == 'f' && v[j].id == v[i].id) {
				ends++;
				f = &v[j];
			}
		assert_int_equal(ends, 1);
		assert_string_equal(f->name, v[i].name);
		assert_string_equal(f->cat, v[i].cat);
		assert_true(f->ts >= v[i].ts);
		pairs++;
	}
	assert_int_equal(pairs, 2);
	assert_non_null(strstr(text, "{\"ph\":\"s\",\"pid\":100,\"tid\":101,\"cat\":\"wakeup\","
				     "\"name\":\"wakeup\",\"id\":1,\"ts\":5000.000}"));
	assert_non_null(strstr(text, "{\"ph\":\"f\",\"pid\":100,\"tid\":102,\"cat\":\"wakeup\","
				     "\"name\":\"wakeup\",\"id\":1,\"bp\":\"e\",\"ts\":6000.001}"));
	assert_non_null(strstr(text, "{\"ph\":\"s\",\"pid\":100,\"tid\":101,\"cat\":\"wakeup\","
				     "\"name\":\"wakeup\",\"id\":2,\"ts\":9800.000}"));
	assert_non_null(strstr(text, "{\"ph\":\"f\",\"pid\":100,\"tid\":100,\"cat\":\"wakeup\","
				     "\"name\":\"wakeup\",\"id\":2,\"bp\":\"e\",\"ts\":10000.001}"));
	if (have_jq()) {
		char *out = jq("[.traceEvents[] | select(.ph == \"s\" or .ph == \"f\")] | group_by(.id)"
			       " | map(map(.ph) | join(\"\")) | join(\",\")",
			       t.json);

		assert_string_equal(out, "sf,sf\n");
		free(out);
	}
	free(v);
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

/* A timeline that hit its limit says so in the file. */
static void test_limit_note(void **state)
{
	struct timeline *tl = timeline_new();
	struct tmp t;
	char *text;

	(void)state;
	timeline_limits(tl, 10, 0);
	record(tl);
	text = write_and_read(&t, tl, NULL);
	assert_true(json_valid(text));
	assert_non_null(strstr(text, "\"s\":\"g\",\"name\":\"oslab stopped recording here"));
	assert_non_null(strstr(text, "\"note\":\"the timeline stopped recording at its memory "
				     "limit: "));
	/* no texts were kept, so no args */
	assert_null(strstr(text, "\"args\":{\"call\""));
	assert_non_null(strstr(text, "\"cat\":\"syscall\",\"name\":\"clone3\""));
	free(text);
	tmp_remove(&t);
	timeline_free(tl);
}

/* No events: still a file that opens, with the names of the threads. */
static void test_empty(void **state)
{
	struct timeline *tl = timeline_new();
	struct procs p = { 0 };
	struct tmp t;
	char *text;

	(void)state;
	text = write_and_read(&t, tl, NULL);
	assert_string_equal(text, "{\"traceEvents\":[\n],\"metadata\":{\"generator\":\"oslab\"}}\n");
	free(text);
	tmp_remove(&t);
	record_procs(&p);
	text = write_and_read(&t, tl, &p);
	assert_true(json_valid(text));
	assert_non_null(strstr(text, "\"tid\":101,\"name\":\"thread_name\""));
	assert_null(strstr(text, "\"ph\":\"X\""));
	free(text);
	tmp_remove(&t);
	procs_free(&p);
	timeline_free(tl);
}

static void test_bad_path(void **state)
{
	struct timeline *tl = timeline_new();

	(void)state;
	record(tl);
	assert_int_equal(perfetto_write("/nonexistent-dir/t.json.gz", tl, NULL), -1);
	timeline_free(tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_json),
		cmocka_unit_test(test_thread_names),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_flows),
		cmocka_unit_test(test_limit_note),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
