// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * timeline.c - per-thread state intervals from the event stream, and the
 * text picture drawn from them.
 *
 * Each traced thread has a current state and the time it began; an event
 * that changes the state stores the finished stretch as an interval:
 *
 *   switch-in             -> running
 *   switch-out (reason)   -> runnable, futex wait, I/O wait, sleep, blocked
 *   wake-up while asleep  -> runnable (and a wake-up flow from the waker)
 *   process exit          -> unknown (nothing drawn after)
 *
 * The picture gives each column a time bucket and draws the state that took
 * most of the bucket, in one pass over each thread's intervals.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "strbuf.h"
#include "syscalls.h"

#define CALL_TEXT_MAX 1024	/* bytes of one syscall's text kept */
#define MAX_CPUS 8192		/* CPUs whose current thread is followed */

struct timeline {
	struct tl_thread *threads;	/* in order of first event */
	size_t n_threads, cap_threads;
	uint32_t *index;		/* open addressing by tid: 1 + position in threads */
	size_t index_cap;		/* a power of two, at least twice n_threads */
	struct tl_wakeup *wakeups;
	size_t n_wakeups, cap_wakeups;
	uint32_t *on_cpu;		/* by CPU: the traced thread running there (0: none) */
	size_t n_cpus;
	char *text;			/* the syscalls' texts, each NUL-terminated */
	size_t text_len, text_cap;
	uint64_t first_ts, last_ts;	/* first_ts 0: no event yet */
	size_t records, max_records;
	size_t max_text;
	uint64_t stopped_ts;		/* when max_records was reached (0: never) */
	uint64_t dropped;		/* events not recorded after that */
	struct strbuf sb;
};

static void *grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return v;
	while (n < need)
		n *= 2;
	v = realloc(v, n * size);
	if (!v) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	*cap = n;
	return v;
}

struct timeline *timeline_new(void)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	tl->max_records = TIMELINE_MAX_RECORDS;
	tl->max_text = TIMELINE_MAX_TEXT;
	return tl;
}

void timeline_limits(struct timeline *tl, size_t max_records, size_t max_text)
{
	tl->max_records = max_records;
	tl->max_text = max_text;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n_threads; i++) {
		free(tl->threads[i].iv);
		free(tl->threads[i].calls);
		free(tl->threads[i].enter);
	}
	free(tl->threads);
	free(tl->index);
	free(tl->wakeups);
	free(tl->on_cpu);
	free(tl->text);
	sb_free(&tl->sb);
	free(tl);
}

static size_t slot_of(const struct timeline *tl, uint32_t tid)
{
	size_t mask = tl->index_cap - 1;
	size_t h = (tid * 2654435761u) & mask;	/* Knuth's multiplicative hash */

	while (tl->index[h] && tl->threads[tl->index[h] - 1].tid != tid)
		h = (h + 1) & mask;
	return h;
}

const struct tl_thread *timeline_thread(const struct timeline *tl, uint32_t tid)
{
	if (!tl->index_cap)
		return NULL;
	size_t h = slot_of(tl, tid);

	return tl->index[h] ? &tl->threads[tl->index[h] - 1] : NULL;
}

static struct tl_thread *thread_of(struct timeline *tl, uint32_t tid, uint32_t tgid)
{
	struct tl_thread *th = (struct tl_thread *)timeline_thread(tl, tid);

	if (th) {
		if (tgid)
			th->tgid = tgid;
		return th;
	}
	if (2 * (tl->n_threads + 1) > tl->index_cap) {
		size_t cap = tl->index_cap ? 2 * tl->index_cap : 64;

		free(tl->index);
		tl->index = calloc(cap, sizeof(*tl->index));
		if (!tl->index) {
			fputs("oslab: out of memory\n", stderr);
			exit(1);
		}
		tl->index_cap = cap;
		for (size_t i = 0; i < tl->n_threads; i++)
			tl->index[slot_of(tl, tl->threads[i].tid)] = i + 1;
	}
	tl->threads = grow(tl->threads, &tl->cap_threads, tl->n_threads + 1, sizeof(*th));
	th = &tl->threads[tl->n_threads++];
	memset(th, 0, sizeof(*th));
	th->tid = tid;
	th->tgid = tgid;
	tl->index[slot_of(tl, tid)] = tl->n_threads;
	return th;
}

/* Store [since, until) in the thread's current state, merged with the
 * previous interval when that one has the same state and touches it. */
static void close_state(struct timeline *tl, struct tl_thread *th, uint64_t until)
{
	struct tl_interval *last = th->n_iv ? &th->iv[th->n_iv - 1] : NULL;
	uint64_t start = th->since;

	if (th->state == TL_UNKNOWN || until <= start)
		return;
	if (last && start < last->end)
		start = last->end;	/* events from two CPUs a little out of order */
	if (until <= start)
		return;
	if (last && last->state == th->state && last->end == start) {
		last->end = until;
		return;
	}
	th->iv = grow(th->iv, &th->cap_iv, th->n_iv + 1, sizeof(*th->iv));
	th->iv[th->n_iv++] = (struct tl_interval){ .start = start, .end = until, .state = th->state };
	tl->records++;
}

/* End the current state at ts and begin another. */
static void set_state(struct timeline *tl, struct tl_thread *th, unsigned state, uint64_t ts)
{
	if (ts < th->since && th->state != TL_UNKNOWN)
		ts = th->since;
	close_state(tl, th, ts);
	th->state = state;
	th->since = ts;
}

/* enum off_reason to enum tl_state and back, by name: the order of either
 * enum may change. */
static unsigned off_state(unsigned reason)
{
	switch (reason) {
	case OFF_RUNNABLE:
		return TL_RUNNABLE;
	case OFF_FUTEX:
		return TL_FUTEX;
	case OFF_IO:
		return TL_IO;
	case OFF_SLEEP:
		return TL_SLEEP;
	default:
		return TL_OTHER;
	}
}

static unsigned off_reason_of(unsigned state)
{
	switch (state) {
	case TL_RUNNABLE:
		return OFF_RUNNABLE;
	case TL_FUTEX:
		return OFF_FUTEX;
	case TL_IO:
		return OFF_IO;
	case TL_SLEEP:
		return OFF_SLEEP;
	default:
		return OFF_OTHER;
	}
}

/*
 * A switch on a CPU where a traced thread was running, that does not name
 * that thread as the one leaving: it left without a word.  That is how a
 * thread ends (the probes forget it at sched_process_exit, before its last
 * switch), or events were lost.  Either way nothing is known after.
 */
static void check_cpu(struct timeline *tl, const struct sched_event *se)
{
	uint32_t cur;
	struct tl_thread *th;

	if (se->cpu >= MAX_CPUS)
		return;
	if (se->cpu >= tl->n_cpus) {
		size_t n = tl->n_cpus;

		tl->on_cpu = grow(tl->on_cpu, &tl->n_cpus, se->cpu + 1, sizeof(*tl->on_cpu));
		memset(tl->on_cpu + n, 0, (tl->n_cpus - n) * sizeof(*tl->on_cpu));
	}
	cur = tl->on_cpu[se->cpu];
	if (cur && !(se->tgid && se->tid == cur)) {
		th = (struct tl_thread *)timeline_thread(tl, cur);
		if (th && th->state == TL_RUNNING && th->cpu == se->cpu)
			set_state(tl, th, TL_UNKNOWN, se->ts);
	}
	tl->on_cpu[se->cpu] = se->other_tgid ? se->other_tid : 0;
}

static void on_switch(struct timeline *tl, const struct sched_event *se)
{
	struct tl_thread *th;

	check_cpu(tl, se);
	if (se->tgid && se->tid) {
		th = thread_of(tl, se->tid, se->tgid);
		if (th->state != TL_RUNNING) {
			/* its switch-in was not seen: it ran for duration_ns */
			uint64_t in = se->ts - (se->duration_ns < se->ts ? se->duration_ns : se->ts);

			if (in < tl->first_ts)
				in = tl->first_ts;
			if (in > se->ts)
				in = se->ts;
			set_state(tl, th, TL_RUNNING, in);
		}
		set_state(tl, th, off_state(se->reason), se->ts);
	}
	if (se->other_tgid && se->other_tid) {
		th = thread_of(tl, se->other_tid, se->other_tgid);
		set_state(tl, th, TL_RUNNING, se->ts);
		th->cpu = se->cpu;
	}
}

static void on_wakeup(struct timeline *tl, const struct sched_event *se)
{
	struct tl_thread *th;
	unsigned was;

	if (!se->tid)
		return;
	th = thread_of(tl, se->tid, se->tgid);
	was = th->state;
	if (se->other_tid && se->other_tid != se->tid) {
		struct tl_thread *waker = (struct tl_thread *)timeline_thread(tl, se->other_tid);

		if (waker && se->ts > waker->woke_ts)
			waker->woke_ts = se->ts;
	}
	if (was == TL_RUNNING || was == TL_RUNNABLE)
		return;	/* woken before it slept: nothing changes */
	set_state(tl, th, TL_RUNNABLE, se->ts);
	/* A sleep ends by a timer, which fires in whatever thread happens to be
	 * on that CPU: that thread did not wake it, so no flow. */
	if (was == TL_SLEEP || !se->other_tid || se->other_tid == se->tid)
		return;
	tl->wakeups = grow(tl->wakeups, &tl->cap_wakeups, tl->n_wakeups + 1, sizeof(*tl->wakeups));
	tl->wakeups[tl->n_wakeups++] =
		(struct tl_wakeup){ .ts = se->ts, .waker = se->other_tid, .woken = se->tid };
	tl->records++;
}

/* Keep "name(args) = ret" in the text arena; returns 1 + its offset, or 0. */
static uint32_t keep_text(struct timeline *tl, const struct event *ev,
			  const struct syscall_def *def, const struct event *enter)
{
	struct call c = { .ev = ev, .enter = enter, .def = def };
	size_t len;

	if (!def || tl->text_len >= tl->max_text)
		return 0;
	sb_reset(&tl->sb);
	call_format(&tl->sb, &c);
	len = tl->sb.len < CALL_TEXT_MAX ? tl->sb.len : CALL_TEXT_MAX;
	if (tl->text_len + len + 1 > tl->max_text || tl->text_len + len + 1 > UINT32_MAX) {
		tl->text_len = tl->max_text;	/* full: no more texts */
		return 0;
	}
	tl->text = grow(tl->text, &tl->text_cap, tl->text_len + len + 1, 1);
	memcpy(tl->text + tl->text_len, sb_str(&tl->sb), len);
	tl->text[tl->text_len + len] = '\0';
	tl->text_len += len + 1;
	return tl->text_len - len;	/* 1 + offset */
}

static void on_syscall(struct timeline *tl, const struct event *ev)
{
	struct tl_thread *th = thread_of(tl, ev->tid, ev->tgid);
	uint64_t start = ev->ts - (ev->duration_ns < ev->ts ? ev->duration_ns : ev->ts);
	struct tl_call *last = th->n_calls ? &th->calls[th->n_calls - 1] : NULL;
	const struct event *enter = th->enter && th->enter->nr == ev->nr ? th->enter : NULL;

	if (last && start < last->end)
		start = last->end;	/* calls of one thread never overlap */
	if (start > ev->ts)
		start = ev->ts;
	th->calls = grow(th->calls, &th->cap_calls, th->n_calls + 1, sizeof(*th->calls));
	th->calls[th->n_calls++] = (struct tl_call){
		.start = start,
		.end = ev->ts,
		.nr = ev->nr,
		.text = tl->max_text ? keep_text(tl, ev, syscall_by_nr(ev->nr), enter) : 0,
	};
	tl->records++;
	free(th->enter);
	th->enter = NULL;
	/* it returned, so it runs now (when no switch said so yet) */
	if (th->state == TL_UNKNOWN)
		set_state(tl, th, TL_RUNNING, ev->ts);
}

static void on_enter(struct timeline *tl, const struct event *ev, size_t size)
{
	struct tl_thread *th;

	if (tl->text_len >= tl->max_text)
		return;	/* no text will be kept for the call */
	th = thread_of(tl, ev->tid, ev->tgid);
	free(th->enter);
	th->enter = malloc(size);
	if (th->enter)
		memcpy(th->enter, ev, size);
}

/* The process ended: nothing is known about its threads after ts. */
static void on_process_exit(struct timeline *tl, const struct event *ev)
{
	for (size_t i = 0; i < tl->n_threads; i++) {
		struct tl_thread *th = &tl->threads[i];

		if (th->tgid != ev->tgid)
			continue;
		set_state(tl, th, TL_UNKNOWN, ev->ts);
		free(th->enter);
		th->enter = NULL;
	}
}

void timeline_event(struct timeline *tl, const void *rec, size_t size)
{
	const struct event *ev = rec;
	const struct sched_event *se = rec;
	uint64_t first;

	if (size < offsetof(struct event, type) + sizeof(ev->type))
		return;
	switch (ev->type) {
	case EV_SYSCALL:
	case EV_ENTER:
	case EV_EXIT:
		/* the chunks the header announces must lie inside the record */
		if (size < sizeof(*ev) || ev->data_len > size - sizeof(*ev))
			return;
		break;
	case EV_SWITCH:
	case EV_WAKEUP:
		if (size < sizeof(*se))
			return;
		if (ev->type == EV_SWITCH && !se->tgid && !se->other_tgid)
			return;	/* nothing traced on either side */
		break;
	default:
		return;
	}
	if (ev->type == EV_ENTER) {
		if (!tl->stopped_ts)
			on_enter(tl, ev, size);
		return;
	}
	if (ev->ts > tl->last_ts)
		tl->last_ts = ev->ts;
	if (tl->stopped_ts || tl->records >= tl->max_records) {
		if (!tl->stopped_ts)
			tl->stopped_ts = ev->ts ? ev->ts : 1;
		tl->dropped++;
		return;
	}
	first = ev->ts;
	if (ev->type == EV_SYSCALL && ev->duration_ns < ev->ts)
		first = ev->ts - ev->duration_ns;
	if (!tl->first_ts || first < tl->first_ts)
		tl->first_ts = first ? first : 1;
	switch (ev->type) {
	case EV_SYSCALL:
		on_syscall(tl, ev);
		break;
	case EV_EXIT:
		on_process_exit(tl, ev);
		break;
	case EV_SWITCH:
		on_switch(tl, se);
		break;
	case EV_WAKEUP:
		on_wakeup(tl, se);
		break;
	}
}

uint64_t timeline_start(const struct timeline *tl)
{
	return tl->first_ts;
}

uint64_t timeline_end(const struct timeline *tl)
{
	uint64_t end = tl->stopped_ts ? tl->stopped_ts : tl->last_ts;

	return end > tl->first_ts ? end : tl->first_ts;
}

uint64_t timeline_stopped(const struct timeline *tl, uint64_t *dropped)
{
	if (dropped)
		*dropped = tl->dropped;
	return tl->stopped_ts;
}

const struct tl_wakeup *timeline_wakeups(const struct timeline *tl, size_t *n)
{
	*n = tl->n_wakeups;
	return tl->wakeups;
}

const char *timeline_call_text(const struct timeline *tl, const struct tl_call *c)
{
	return c->text ? tl->text + c->text - 1 : NULL;
}

const char *tl_state_name(unsigned state)
{
	static const char *const names[TL_STATES] = {
		[TL_UNKNOWN] = "",
		[TL_RUNNING] = "running",
		[TL_RUNNABLE] = "runnable",
		[TL_FUTEX] = "futex wait",
		[TL_IO] = "I/O wait",
		[TL_SLEEP] = "sleep",
		[TL_OTHER] = "blocked",
	};

	return state < TL_STATES ? names[state] : "";
}

void tl_iter_init(struct tl_iter *it, const struct timeline *tl, const struct tl_lane *lane)
{
	uint64_t end = timeline_end(tl);

	it->th = lane->th;
	it->i = 0;
	it->lo = lane->lo > tl->first_ts ? lane->lo : tl->first_ts;
	it->hi = lane->hi < end ? lane->hi : end;
}

bool tl_iter_next(struct tl_iter *it, struct tl_interval *out)
{
	const struct tl_thread *th = it->th;

	while (th && it->i <= th->n_iv) {
		struct tl_interval v;
		size_t i = it->i++;

		if (i < th->n_iv)
			v = th->iv[i];
		else if (th->state != TL_UNKNOWN)
			v = (struct tl_interval){ .start = th->since, .end = it->hi, .state = th->state };
		else
			break;
		if (v.start < it->lo)
			v.start = it->lo;
		if (v.end > it->hi)
			v.end = it->hi;
		if (v.start >= v.end) {
			if (i < th->n_iv && th->iv[i].start >= it->hi)
				break;	/* past the lane's end: so is the rest */
			continue;
		}
		*out = v;
		return true;
	}
	return false;
}

bool timeline_totals(const struct timeline *tl, uint32_t tid, struct timeline_totals *out)
{
	const struct tl_thread *th = timeline_thread(tl, tid);
	struct tl_lane lane = { .tid = tid, .th = th, .lo = 0, .hi = UINT64_MAX };
	struct tl_iter it;
	struct tl_interval v;

	memset(out, 0, sizeof(*out));
	if (!th)
		return false;
	tl_iter_init(&it, tl, &lane);
	while (tl_iter_next(&it, &v)) {
		if (v.state == TL_RUNNING)
			out->running_ns += v.end - v.start;
		else
			out->off_ns[off_reason_of(v.state)] += v.end - v.start;
	}
	return true;
}

/* The process a thread belongs to: the newest one with its pid that had
 * started by then (pids are reused). */
static size_t proc_index(const struct procs *p, const struct thread *t)
{
	size_t best = p->n_procs;

	for (size_t i = 0; i < p->n_procs; i++)
		if (p->procs[i].pid == t->tgid &&
		    (best == p->n_procs || p->procs[i].start_ns <= t->start_ns))
			best = i;
	return best;
}

/*
 * Where an exited thread's lane ends.  sched_process_exit comes before the
 * thread's last work in the kernel (releasing its memory wakes a joiner
 * through the clear-tid futex), so a thread running at end_ns runs on: until
 * its switch-out when one was seen, else at least until the last wake-up it
 * made, and at most until another switch on its CPU (check_cpu).
 */
static uint64_t lane_end(const struct tl_thread *th, uint64_t end_ns)
{
	size_t lo = 0, hi;
	uint64_t stop, last;
	unsigned next;

	if (!th)
		return end_ns;
	hi = th->n_iv;
	while (lo < hi) {	/* the first interval ending after end_ns */
		size_t mid = lo + (hi - lo) / 2;

		if (th->iv[mid].end <= end_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < th->n_iv) {
		if (th->iv[lo].start > end_ns || th->iv[lo].state != TL_RUNNING)
			return end_ns;
		stop = th->iv[lo].end;
		if (lo + 1 < th->n_iv)
			next = th->iv[lo + 1].start == stop ? th->iv[lo + 1].state : TL_UNKNOWN;
		else
			next = th->since == stop ? th->state : TL_UNKNOWN;
	} else {
		if (th->state != TL_RUNNING || th->since > end_ns)
			return end_ns;
		stop = UINT64_MAX;	/* still running when the trace ended */
		next = TL_UNKNOWN;
	}
	if (next != TL_UNKNOWN && next != TL_RUNNING)
		return stop;	/* its switch-out was seen */
	last = th->woke_ts >= end_ns ? th->woke_ts + 1 : end_ns;
	return last < stop ? last : stop;
}

struct lane_sort {
	struct tl_lane lane;
	size_t group;	/* process index; then events-only threads by tgid */
	size_t order;
};

static int by_group(const void *a, const void *b)
{
	const struct lane_sort *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_tid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct tl_lane *timeline_lanes(const struct timeline *tl, const struct procs *p, size_t *n)
{
	size_t np = p ? p->n_threads : 0, k = 0;
	struct lane_sort *s = calloc(np + tl->n_threads + 1, sizeof(*s));
	uint32_t *tids = calloc(np + 1, sizeof(*tids));	/* p's tids, sorted */
	struct tl_lane *lanes;

	if (!s || !tids) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < np; i++) {
		const struct thread *t = &p->threads[i];
		struct tl_lane *l = &s[k].lane;

		l->pid = t->tgid;
		l->tid = t->tid;
		l->comm = t->comm;
		l->th = timeline_thread(tl, t->tid);
		l->lo = t->start_ns;
		l->hi = (t->state & THREAD_EXITED) && t->end_ns ? lane_end(l->th, t->end_ns)
								: UINT64_MAX;
		s[k].group = proc_index(p, t);
		s[k].order = k;	/* threads come sorted by start time */
		tids[k] = t->tid;
		k++;
	}
	qsort(tids, np, sizeof(*tids), by_tid);
	for (size_t i = 0; i < tl->n_threads; i++) {
		const struct tl_thread *th = &tl->threads[i];

		if (np && bsearch(&th->tid, tids, np, sizeof(*tids), by_tid))
			continue;
		s[k].lane = (struct tl_lane){ .pid = th->tgid, .tid = th->tid, .comm = "",
					      .th = th, .lo = 0, .hi = UINT64_MAX };
		s[k].group = (p ? p->n_procs : 0) + 1 + th->tgid;
		s[k].order = th->tid;
		k++;
	}
	qsort(s, k, sizeof(*s), by_group);
	lanes = calloc(k + 1, sizeof(*lanes));
	if (!lanes) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < k; i++)
		lanes[i] = s[i].lane;
	free(s);
	free(tids);
	*n = k;
	return lanes;
}

/*
 * The picture.
 */

int timeline_width(FILE *f)
{
	struct winsize ws;

	if (isatty(fileno(f)) && !ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

bool timeline_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(no && *no);
}

#define NS_PER_S 1000000000ULL
#define MIN_WIDTH 20	/* narrower terminals get 20 columns anyway */
#define LABEL_MAX 32	/* longest "pid/tid comm" label */

/* How each state is drawn: readable without colour, coloured with it. */
static const struct {
	char ch;
	const char *color;	/* ANSI SGR */
	const char *legend;
} look[TL_STATES] = {
	[TL_UNKNOWN] = { ' ', NULL, "not seen" },
	[TL_RUNNING] = { '#', "32", "running" },
	[TL_RUNNABLE] = { '.', "33", "runnable" },
	[TL_FUTEX] = { 'F', "31", "futex wait" },
	[TL_IO] = { 'I', "34", "I/O wait" },
	[TL_SLEEP] = { 'z', "90", "sleep" },
	[TL_OTHER] = { '-', "35", "blocked (other)" },
};

/* A duration with 3 significant digits: "12.3 ms", "154 us", "2 s", "1.5 h". */
static void put_dur(struct strbuf *sb, uint64_t ns)
{
	static const struct {
		uint64_t ns;
		const char *unit;
	} units[] = { { 3600000000000, "h" }, { 60000000000, "min" }, { 1000000000, "s" },
		      { 1000000, "ms" }, { 1000, "us" } };
	char num[32];
	char *e;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns < units[i].ns)
			continue;
		double v = (double)ns / units[i].ns;

		snprintf(num, sizeof(num), "%.*f", v < 10 ? 2 : v < 100 ? 1 : 0, v);
		e = num + strlen(num);
		if (strchr(num, '.')) {
			while (e[-1] == '0')
				*--e = '\0';
			if (e[-1] == '.')
				*--e = '\0';
		}
		sb_printf(sb, "%s %s", num, units[i].unit);
		return;
	}
	sb_printf(sb, "%llu ns", (unsigned long long)ns);
}

/* Start of column i of n over [t0, t0 + span). */
static uint64_t col_start(uint64_t t0, uint64_t span, size_t n, size_t i)
{
	return t0 + (uint64_t)((unsigned __int128)span * i / n);
}

/* Time between ticks: at least 10 columns, 1-2-5 steps below a minute,
 * then the minutes and hours a clock face uses, then days. */
static uint64_t ruler_step(uint64_t span, size_t n)
{
	static const uint64_t clock_s[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
					    43200, 86400 };
	static const uint64_t mant[] = { 1, 2, 5 };
	uint64_t need = (uint64_t)(((unsigned __int128)10 * span + n - 1) / n);
	uint64_t step;

	for (uint64_t pow = 1; pow < 60 * NS_PER_S; pow *= 10)
		for (size_t m = 0; m < 3; m++)
			if (mant[m] * pow >= need && mant[m] * pow < 60 * NS_PER_S)
				return mant[m] * pow;
	for (size_t i = 0; i < sizeof(clock_s) / sizeof(clock_s[0]); i++)
		if (clock_s[i] * NS_PER_S >= need)
			return clock_s[i] * NS_PER_S;
	for (step = 86400 * NS_PER_S; step < need; step *= 2)
		;
	return step;
}

/* "0", "250us", "2ms", "30s", "45m", "1h", "1h30" */
static int tick_label(char *buf, size_t size, uint64_t t, uint64_t step)
{
	static const struct {
		uint64_t ns;
		const char *unit;
	} units[] = { { NS_PER_S, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" } };
	unsigned long long h = t / (3600 * NS_PER_S), m = t / (60 * NS_PER_S) % 60;

	if (!t)
		return snprintf(buf, size, "0");
	if (step >= 60 * NS_PER_S) {
		if (h && m)
			return snprintf(buf, size, "%lluh%02llu", h, m);
		if (h)
			return snprintf(buf, size, "%lluh", h);
		return snprintf(buf, size, "%llum", m);
	}
	for (size_t i = 0;; i++)
		if (step >= units[i].ns)
			return snprintf(buf, size, "%llu%s", (unsigned long long)(t / units[i].ns),
					units[i].unit);
}

/* The ruler: "|0       |2ms     |4ms", a tick at the column holding each
 * multiple of the step, labelled when the label fits before the next. */
static void put_ruler(struct strbuf *sb, uint64_t span, size_t n)
{
	uint64_t step = ruler_step(span, n);
	char line[n + 1], label[32];

	memset(line, ' ', n);
	line[n] = '\0';
	for (uint64_t t = 0; t < span; t += step) {
		size_t col = (unsigned __int128)t * n / span;
		size_t next = (unsigned __int128)(t + step) * n / span;
		int len = tick_label(label, sizeof(label), t, step);

		if (col >= n)
			break;
		line[col] = '|';
		if (col + 1 + len <= n && col + 1 + len < next)
			memcpy(line + col + 1, label, len);
	}
	/* no trailing blanks */
	for (size_t e = n; e > 0 && line[e - 1] == ' '; e--)
		line[e - 1] = '\0';
	sb_puts(sb, line);
}

static void put_label(struct strbuf *sb, const struct tl_lane *l, size_t width)
{
	char label[64];
	int len = snprintf(label, sizeof(label), "%u/%u %s", l->pid, l->tid,
			   l->comm && l->comm[0] ? l->comm : "?");

	if (len < 0)
		len = 0;
	if ((size_t)len > width)
		len = width;
	sb_put(sb, label, len);
	for (size_t i = len; i < width; i++)
		sb_putc(sb, ' ');
}

static size_t label_len(const struct tl_lane *l)
{
	return snprintf(NULL, 0, "%u/%u %s", l->pid, l->tid,
			l->comm && l->comm[0] ? l->comm : "?");
}

/* One lane: each column the state with most time in its bucket. */
static void put_lane(struct strbuf *sb, const struct timeline *tl, const struct tl_lane *lane,
		     uint64_t t0, uint64_t span, size_t n, uint64_t (*acc)[TL_STATES], bool color)
{
	struct tl_iter it;
	struct tl_interval v;
	unsigned prev = TL_UNKNOWN;

	memset(acc, 0, n * sizeof(*acc));
	tl_iter_init(&it, tl, lane);
	while (tl_iter_next(&it, &v)) {
		size_t i = (unsigned __int128)(v.start - t0) * n / span;

		while (i + 1 < n && col_start(t0, span, n, i + 1) <= v.start)
			i++;
		for (; i < n; i++) {
			uint64_t b0 = col_start(t0, span, n, i);
			uint64_t b1 = col_start(t0, span, n, i + 1);
			uint64_t s = v.start > b0 ? v.start : b0;
			uint64_t e = v.end < b1 ? v.end : b1;

			if (b0 >= v.end)
				break;
			if (e > s)
				acc[i][v.state] += e - s;
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned best = TL_UNKNOWN;

		for (unsigned s = TL_RUNNING; s < TL_STATES; s++)
			if (acc[i][s] > acc[i][best])
				best = s;
		if (color && best != prev) {
			if (prev != TL_UNKNOWN)
				sb_puts(sb, "\033[0m");
			if (best != TL_UNKNOWN)
				sb_printf(sb, "\033[%sm", look[best].color);
		}
		sb_putc(sb, look[best].ch);
		prev = best;
	}
	if (color && prev != TL_UNKNOWN)
		sb_puts(sb, "\033[0m");
}

/* Print the NUL-separated items in sb joined by sep, starting a new line
 * where the next item would pass width.  Colour sequences take no room. */
static void put_wrapped(FILE *f, const struct strbuf *sb, const char *sep, int width)
{
	size_t col = 0;

	for (const char *item = sb->buf; item && item < sb->buf + sb->len;
	     item += strlen(item) + 1) {
		size_t len = 0;

		for (const char *c = item; *c; c++) {
			if (*c == '\033')
				c = strchr(c, 'm');
			else
				len++;
		}
		if (col && col + strlen(sep) + len > (size_t)width) {
			fputc('\n', f);
			col = 0;
		} else if (col) {
			fputs(sep, f);
			col += strlen(sep);
		}
		fputs(item, f);
		col += len;
	}
	fputc('\n', f);
}

/* "# running  . runnable ...", wrapped at width. */
static void put_legend(FILE *f, int width, bool color)
{
	struct strbuf sb = STRBUF_INIT;

	for (unsigned s = 0; s < TL_STATES; s++) {
		unsigned st = (s + 1) % TL_STATES;	/* "not seen" last */

		if (st == TL_UNKNOWN)
			sb_puts(&sb, "(blank)");
		else if (color)
			sb_printf(&sb, "\033[%sm%c\033[0m", look[st].color, look[st].ch);
		else
			sb_putc(&sb, look[st].ch);
		sb_printf(&sb, " %s", look[st].legend);
		sb_putc(&sb, '\0');
	}
	put_wrapped(f, &sb, "  ", width);
	sb_free(&sb);
}

void timeline_print(FILE *f, const struct timeline *tl, const struct procs *p, int width,
		    bool color)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n_lanes, shown, labelw = 12, n;
	struct tl_lane *lanes;
	uint64_t t0 = timeline_start(tl), t1 = timeline_end(tl), span, dropped;
	uint64_t (*acc)[TL_STATES];

	if (!tl->first_ts) {
		fputs("timeline: no events were recorded\n", f);
		return;
	}
	if (width < MIN_WIDTH)
		width = MIN_WIDTH;
	lanes = timeline_lanes(tl, p, &n_lanes);
	shown = n_lanes < TIMELINE_MAX_LANES ? n_lanes : TIMELINE_MAX_LANES;
	for (size_t i = 0; i < shown; i++)
		if (label_len(&lanes[i]) > labelw)
			labelw = label_len(&lanes[i]);
	if (labelw > LABEL_MAX)
		labelw = LABEL_MAX;
	if (labelw > (size_t)width / 3)
		labelw = width / 3;
	n = width - labelw - 1;
	/* at least 1 ns per column, so every column is a real bucket */
	span = t1 - t0 > n ? t1 - t0 : n;

	sb_puts(&sb, "timeline: ");
	put_dur(&sb, t1 - t0);
	sb_putc(&sb, '\0');
	sb_puts(&sb, "one column = ");
	put_dur(&sb, (span + n / 2) / n);
	sb_putc(&sb, '\0');
	sb_printf(&sb, "%zu thread%s", n_lanes, n_lanes == 1 ? "" : "s");
	put_wrapped(f, &sb, ", ", width);
	sb_reset(&sb);
	sb_printf(&sb, "%-*.*s ", (int)labelw, (int)labelw, "pid/tid comm");
	put_ruler(&sb, span, n);
	fprintf(f, "%s\n", sb_str(&sb));

	acc = malloc(n * sizeof(*acc));
	if (!acc) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < shown; i++) {
		sb_reset(&sb);
		put_label(&sb, &lanes[i], labelw);
		sb_putc(&sb, ' ');
		put_lane(&sb, tl, &lanes[i], t0, span, n, acc, color);
		fprintf(f, "%s\n", sb_str(&sb));
	}
	free(acc);
	if (n_lanes > shown)
		fprintf(f, "... %zu more threads not shown\n", n_lanes - shown);
	put_legend(f, width, color);
	if (timeline_stopped(tl, &dropped)) {
		sb_reset(&sb);
		sb_puts(&sb, "note: recording stopped at ");
		put_dur(&sb, t1 - t0);
		sb_printf(&sb, " (limit: %zu records);", tl->max_records);
		sb_putc(&sb, '\0');
		sb_printf(&sb, "%llu later events (", (unsigned long long)dropped);
		put_dur(&sb, tl->last_ts - t1);
		sb_puts(&sb, ") are not shown");
		put_wrapped(f, &sb, " ", width);
	}
	free(lanes);
	sb_free(&sb);
}
