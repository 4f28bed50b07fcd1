// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "procs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool procs_is_leader(const struct thread *t)
{
	return t->tid == t->tgid && t->origin != ORIGIN_THREAD;
}

void procs_add_thread(void *ctx, const struct thread *t)
{
	struct procs *p = ctx;
	struct thread *v;

	if (p->n_threads == p->cap_threads) {
		size_t cap = p->cap_threads ? 2 * p->cap_threads : 64;

		v = realloc(p->threads, cap * sizeof(*v));
		if (!v) {
			fputs("oslab: out of memory\n", stderr);
			exit(1);
		}
		p->threads = v;
		p->cap_threads = cap;
	}
	v = &p->threads[p->n_threads++];
	*v = *t;
	/* the program chose its name (its file's, or prctl PR_SET_NAME): control
	 * characters become '?', as ps shows them, so that no report can send
	 * an escape sequence to the terminal */
	for (char *c = v->comm; c < v->comm + sizeof(v->comm) && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static int by_start(const void *a, const void *b)
{
	const struct thread *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	/* the exited copy of a record first: it is the complete one */
	return (y->state & THREAD_EXITED) - (x->state & THREAD_EXITED);
}

/* A thread that exited while the maps were walked was read twice. */
static void drop_duplicates(struct procs *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_threads; i++) {
		if (n && p->threads[n - 1].tid == p->threads[i].tid &&
		    p->threads[n - 1].start_ns == p->threads[i].start_ns)
			continue;
		p->threads[n++] = p->threads[i];
	}
	p->n_threads = n;
}

/* While procs_build runs, the newest process of each pid: threads come
 * sorted by start time, so a reused pid never collects an older process's
 * threads.  Open addressing over a table at least twice the processes. */
struct pid_index {
	size_t *at;	/* index + 1 into procs; 0: empty */
	size_t mask;
};

static size_t *pid_slot(const struct pid_index *x, const struct procs *p, uint32_t pid)
{
	size_t h = (pid * 2654435761u) & x->mask;

	while (x->at[h] && p->procs[x->at[h] - 1].pid != pid)
		h = (h + 1) & x->mask;
	return &x->at[h];
}

static struct proc *proc_of(const struct pid_index *x, struct procs *p, uint32_t pid)
{
	size_t at = *pid_slot(x, p, pid);

	return at ? &p->procs[at - 1] : NULL;
}

static void add_counts(struct sc_count *to, const struct sc_count *from, int n)
{
	for (int s = 0; s < n; s++) {
		to[s].calls += from[s].calls;
		to[s].errors += from[s].errors;
		to[s].total_ns += from[s].total_ns;
	}
}

void procs_build(struct procs *p)
{
	struct pid_index x = { .mask = 1 };
	size_t *parent;

	qsort(p->threads, p->n_threads, sizeof(*p->threads), by_start);
	drop_duplicates(p);
	while (x.mask < 2 * p->n_threads)
		x.mask <<= 1;
	p->procs = calloc(p->n_threads ? p->n_threads : 1, sizeof(*p->procs));
	parent = calloc(p->n_threads ? p->n_threads : 1, sizeof(*parent));
	x.at = calloc(x.mask, sizeof(*x.at));
	x.mask--;
	if (!p->procs || !parent || !x.at) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < p->n_threads; i++) {
		const struct thread *t = &p->threads[i];
		struct proc *pr = proc_of(&x, p, t->tgid);

		if (!pr || procs_is_leader(t)) {
			/* a process begins with its first thread (an attached
			 * process's other threads come as ORIGIN_ROOT too); its
			 * parent is the newest earlier process with its ppid */
			parent[p->n_procs] = *pid_slot(&x, p, t->ppid);
			pr = &p->procs[p->n_procs++];
			*pid_slot(&x, p, t->tgid) = p->n_procs;
			pr->pid = t->tgid;
			pr->ppid = t->ppid;
			pr->origin = t->origin;
			pr->clone_flags = t->clone_flags;
			pr->start_ns = t->start_ns;
		}
		p->created[t->origin & 3]++;
		pr->threads++;
		if (t->tid == t->tgid || !pr->comm[0])	/* the name it ended with */
			memcpy(pr->comm, t->comm, sizeof(pr->comm));
		if (t->state & THREAD_GROUP_DEAD) {
			pr->exited = 1;
			pr->exit_code = t->exit_code;
		}
		if (t->end_ns > pr->end_ns)
			pr->end_ns = t->end_ns;
		pr->cpu_ns += t->cpu_ns;
		pr->nvcsw += t->nvcsw;
		pr->nivcsw += t->nivcsw;
		pr->min_flt += t->min_flt;
		pr->maj_flt += t->maj_flt;
		pr->cow_faults += t->sched.cow_faults;
		add_counts(pr->counts, t->counts, SC_SLOTS);
		add_counts(p->total, t->counts, SC_SLOTS);
		add_counts(*pr->futex_ops, *t->futex_ops, 2 * FUTEX_CMDS);
		add_counts(*p->futex_total, *t->futex_ops, 2 * FUTEX_CMDS);
		for (int u = 0; u < ULOCK_FUNCS; u++) {
			pr->ulocks[u] += t->ulocks[u];
			p->ulock_total[u] += t->ulocks[u];
		}
	}
	/* an orphan outlived its parent and was adopted by a subreaper,
	 * oslab, or init */
	for (size_t i = 0; i < p->n_procs; i++) {
		struct proc *pr = &p->procs[i];
		const struct proc *pa = parent[i] ? &p->procs[parent[i] - 1] : NULL;

		pr->orphan = pa && pa->exited && (!pr->exited || pr->end_ns > pa->end_ns);
	}
	free(parent);
	free(x.at);
}

const char *procs_origin_name(unsigned origin)
{
	static const char *const names[] = { "traced", "fork", "vfork", "thread" };

	return names[origin & 3];
}

const struct proc *procs_find(const struct procs *p, uint32_t pid)
{
	for (size_t i = 0; i < p->n_procs; i++)
		if (p->procs[i].pid == pid)
			return &p->procs[i];
	return NULL;
}

void procs_free(struct procs *p)
{
	free(p->threads);
	free(p->procs);
	memset(p, 0, sizeof(*p));
}
