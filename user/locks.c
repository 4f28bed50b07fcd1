// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * locks.c - the lock report.  The counts come from the probes' per-word
 * maps; names come from the traced program's symbol table through libelf.
 */
#include "locks.h"

#include <stdlib.h>
#include <string.h>

#include "elfsym.h"
#include "json.h"

static void *grow(void *v, size_t n, size_t size)
{
	void *p = realloc(v, (n + 1) * size);

	if (!p) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

void locks_add_word(void *ctx, const struct futex_word *w, const struct futex_stats *s)
{
	struct locks *l = ctx;

	l->v = grow(l->v, l->n, sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	l->v[l->n].w = *w;
	l->v[l->n].s = *s;
	l->n++;
}

static struct lock *find(struct locks *l, const struct futex_word *w)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].w.tgid == w->tgid && l->v[i].w.uaddr == w->uaddr)
			return &l->v[i];
	return NULL;
}

void locks_add_thread(void *ctx, const struct futex_thread_key *k, const struct futex_thread_stats *s)
{
	struct lock *lk = find(ctx, &k->f);

	if (!lk)
		return;
	lk->threads = grow(lk->threads, lk->n_threads, sizeof(*lk->threads));
	lk->threads[lk->n_threads].tid = k->tid;
	lk->threads[lk->n_threads].s = *s;
	lk->n_threads++;
}

static int by_blocked(const void *a, const void *b)
{
	const struct lock *x = a, *y = b;

	if (x->s.wait_ns != y->s.wait_ns)
		return x->s.wait_ns > y->s.wait_ns ? -1 : 1;
	return x->s.waits + x->s.wakes > y->s.waits + y->s.wakes ? -1 : 1;
}

static int by_waits(const void *a, const void *b)
{
	const struct lock_thread *x = a, *y = b;

	if (x->s.waits != y->s.waits)
		return x->s.waits > y->s.waits ? -1 : 1;
	return x->tid < y->tid ? -1 : 1;
}

/* The thread record of the process that used the word: its program. */
static const struct thread *leader(const struct procs *p, uint32_t tgid)
{
	for (size_t i = 0; i < p->n_threads; i++)
		if (p->threads[i].tid == tgid)
			return &p->threads[i];
	for (size_t i = 0; i < p->n_threads; i++)
		if (p->threads[i].tgid == tgid)
			return &p->threads[i];
	return NULL;
}

void locks_finish(struct locks *l, const struct procs *p)
{
	if (l->n)	/* no futex word: v is NULL, which qsort may not get */
		qsort(l->v, l->n, sizeof(*l->v), by_blocked);
	for (size_t i = 0; i < l->n; i++) {
		struct lock *lk = &l->v[i];
		const struct thread *t = leader(p, lk->w.tgid);

		if (lk->n_threads)	/* none when the per-thread map was full */
			qsort(lk->threads, lk->n_threads, sizeof(*lk->threads), by_waits);
		if (t)
			elf_symbolize(t->exe, t->start_code, lk->w.uaddr, lk->name, sizeof(lk->name));
	}
}

/* The log2 histogram of time blocked (computed in the kernel), bpftrace's way. */
static void print_hist(FILE *f, const struct futex_stats *s)
{
	static const char bar[] = "****************************************";
	uint32_t max = 0;
	int lo = FUTEX_HIST_SLOTS, hi = -1;

	for (int i = 0; i < FUTEX_HIST_SLOTS; i++) {
		if (!s->hist[i])
			continue;
		lo = lo < i ? lo : i;
		hi = i;
		max = s->hist[i] > max ? s->hist[i] : max;
	}
	for (int i = lo; i <= hi; i++)
		fprintf(f, "      [%8llu, %8llu) us %8u |%-40.*s|\n", i ? 1ULL << i : 0ULL,
			1ULL << (i + 1), s->hist[i], (int)(40ULL * s->hist[i] / max), bar);
}

void locks_print(FILE *f, const struct locks *l, const struct procs *p)
{
	(void)p;
	if (!l->n) {
		fputs("locks: no futex word was waited on or woken: no thread ever slept on a lock\n", f);
		return;
	}
	fprintf(f, "%-18s %-20s %7s %8s %8s %8s %10s  %s\n", "FUTEX", "NAME", "PID", "WAITS", "WAKES",
		"WOKEN", "BLOCKED s", "KIND");
	for (size_t i = 0; i < l->n; i++) {
		const struct lock *lk = &l->v[i];

		fprintf(f, "%#-18llx %-20s %7u %8llu %8llu %8llu %10.6f  %s\n",
			(unsigned long long)lk->w.uaddr, lk->name[0] ? lk->name : "-", lk->w.tgid,
			(unsigned long long)lk->s.waits, (unsigned long long)lk->s.wakes,
			(unsigned long long)lk->s.woken, lk->s.wait_ns / 1e9,
			lk->s.shared ? "shared" : "private");
		for (size_t t = 0; t < lk->n_threads; t++)
			fprintf(f, "    tid %-8u waited %llu times for %.6f s, woke others %llu times\n",
				lk->threads[t].tid, (unsigned long long)lk->threads[t].s.waits,
				lk->threads[t].s.wait_ns / 1e9,
				(unsigned long long)lk->threads[t].s.wakes);
		if (lk->s.waits) {
			fprintf(f, "    time blocked per wait:\n");
			print_hist(f, &lk->s);
		}
	}
	fputs("(private: FUTEX_PRIVATE_FLAG, a lock within one process; shared: without it, as a "
	      "process-shared mutex or pthread_join's wait on a thread's TID)\n", f);
}

void locks_json(FILE *f, const struct locks *l)
{
	struct strbuf j = STRBUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		const struct lock *lk = &l->v[i];

		json_begin(&j, "lock");
		json_kv_uint(&j, "pid", lk->w.tgid);
		json_kv_uint(&j, "uaddr", lk->w.uaddr);
		json_kv_str(&j, "name", lk->name);
		json_kv_uint(&j, "waits", lk->s.waits);
		json_kv_uint(&j, "wait_errors", lk->s.wait_errors);
		json_kv_uint(&j, "wakes", lk->s.wakes);
		json_kv_uint(&j, "woken", lk->s.woken);
		json_kv_uint(&j, "wait_ns", lk->s.wait_ns);
		sb_printf(&j, ",\"shared\":%s,\"hist_us_log2\":[", lk->s.shared ? "true" : "false");
		for (int h = 0; h < FUTEX_HIST_SLOTS; h++)
			sb_printf(&j, "%s%u", h ? "," : "", lk->s.hist[h]);
		sb_puts(&j, "],\"threads\":[");
		for (size_t t = 0; t < lk->n_threads; t++)
			sb_printf(&j, "%s{\"tid\":%u,\"waits\":%llu,\"wait_ns\":%llu,\"wakes\":%llu}",
				  t ? "," : "", lk->threads[t].tid,
				  (unsigned long long)lk->threads[t].s.waits,
				  (unsigned long long)lk->threads[t].s.wait_ns,
				  (unsigned long long)lk->threads[t].s.wakes);
		sb_putc(&j, ']');
		json_end(&j, f);
	}
	sb_free(&j);
}

void locks_free(struct locks *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].threads);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
