// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "tree.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "decode.h"
#include "json.h"
#include "strbuf.h"

static double ms(uint64_t ns)
{
	return ns / 1e6;
}

static const char *created(const struct thread *t)
{
	if (t->origin != ORIGIN_THREAD && (t->state & THREAD_EXECED))
		return t->origin == ORIGIN_ROOT ? "exec" :
		       t->origin == ORIGIN_VFORK ? "vfork+exec" : "fork+exec";
	return procs_origin_name(t->origin);
}

static void print_thread(FILE *f, const struct thread *t, const struct proc *pr, int depth,
			 uint64_t t0, bool sched)
{
	bool leader = procs_is_leader(t);
	struct strbuf end = STRBUF_INIT;
	char id[40];

	if (leader && pr->exited)
		print_exit_status(&end, pr->exit_code);
	else if (t->state & THREAD_EXITED)
		sb_puts(&end, leader ? "exited" : "thread exited");
	else
		sb_puts(&end, "running");
	if (leader && pr->orphan)
		sb_puts(&end, " (orphan)");
	/* processes indented under their parent, threads under their process
	 * ("└" is one column but three bytes: printf pads by bytes) */
	if (leader)
		snprintf(id, sizeof(id), "%*s%-*u", 2 * depth, "", 14 - 2 * depth, t->tid);
	else
		snprintf(id, sizeof(id), "%*s└ %-*u", 2 * depth + 1, "", 12 - 2 * depth, t->tid);
	fprintf(f, "%s %7u %-10s %9.3f %9.3f %-22s %9.3f %6llu %6llu %7llu", id, pr->ppid,
		created(t), t->start_ns > t0 ? ms(t->start_ns - t0) : 0.0,
		t->end_ns > t->start_ns ? ms(t->end_ns - t->start_ns) : 0.0, sb_str(&end),
		ms(t->cpu_ns), (unsigned long long)t->nvcsw, (unsigned long long)t->nivcsw,
		(unsigned long long)(t->min_flt + t->maj_flt));
	if (sched)
		fprintf(f, " %6llu", (unsigned long long)t->sched.cow_faults);
	fprintf(f, "  %s\n", t->comm);
	sb_free(&end);
}

static void print_proc(FILE *f, const struct procs *p, size_t i, int depth, bool *done, uint64_t t0,
		       bool sched)
{
	const struct proc *pr = &p->procs[i];

	done[i] = true;
	for (size_t t = 0; t < p->n_threads; t++)	/* the process's first thread first */
		if (p->threads[t].tgid == pr->pid && procs_is_leader(&p->threads[t]) &&
		    p->threads[t].start_ns >= pr->start_ns)
			print_thread(f, &p->threads[t], pr, depth, t0, sched);
	for (size_t t = 0; t < p->n_threads; t++)
		if (p->threads[t].tgid == pr->pid && !procs_is_leader(&p->threads[t]) &&
		    p->threads[t].start_ns >= pr->start_ns &&
		    (!pr->end_ns || p->threads[t].start_ns <= pr->end_ns))
			print_thread(f, &p->threads[t], pr, depth, t0, sched);
	for (size_t c = 0; c < p->n_procs; c++)
		if (!done[c] && p->procs[c].ppid == pr->pid && p->procs[c].start_ns >= pr->start_ns)
			print_proc(f, p, c, depth + 1, done, t0, sched);
}

uint64_t tree_t0(const struct procs *p)
{
	return p->n_threads ? p->threads[0].start_ns : 0;
}

void tree_print(FILE *f, const struct procs *p, bool sched)
{
	bool *done = calloc(p->n_procs + 1, sizeof(*done));
	uint64_t t0 = tree_t0(p);

	if (!done)
		return;
	fprintf(f, "%-14s %7s %-10s %9s %9s %-22s %9s %6s %6s %7s%s  %s\n", "PID/TID", "PPID",
		"CREATED", "START ms", "LIFE ms", "END", "CPU ms", "VCSW", "ICSW", "FAULTS",
		sched ? "    COW" : "", "COMMAND");
	for (size_t i = 0; i < p->n_procs; i++)
		if (!done[i])
			print_proc(f, p, i, 0, done, t0, sched);
	free(done);
}

static const char *const reason_names[OFF_REASONS] = {
	[OFF_OTHER] = "blocked", [OFF_RUNNABLE] = "runnable", [OFF_FUTEX] = "futex",
	[OFF_IO] = "I/O", [OFF_SLEEP] = "sleep",
};

void tree_print_time(FILE *f, const struct procs *p)
{
	static const int order[] = { OFF_RUNNABLE, OFF_FUTEX, OFF_IO, OFF_SLEEP, OFF_OTHER };

	fprintf(f, "%-9s %-16s %10s", "TID", "COMMAND", "running ms");
	for (size_t r = 0; r < sizeof(order) / sizeof(order[0]); r++)
		fprintf(f, " %10s", reason_names[order[r]]);
	fprintf(f, " %8s %8s %8s\n", "wakeups", "vol", "invol");
	for (size_t i = 0; i < p->n_threads; i++) {
		const struct thread *t = &p->threads[i];

		fprintf(f, "%-9u %-16s %10.3f", t->tid, t->comm, ms(t->sched.on_cpu_ns));
		for (size_t r = 0; r < sizeof(order) / sizeof(order[0]); r++)
			fprintf(f, " %10.3f", ms(t->sched.off_ns[order[r]]));
		fprintf(f, " %8llu %8llu %8llu\n", (unsigned long long)t->sched.wakeups,
			(unsigned long long)t->sched.voluntary, (unsigned long long)t->sched.involuntary);
	}
	fputs("(ms off the CPU by reason: runnable = preempted or woken and waiting for a CPU; "
	      "futex = asleep on a lock or condition; I/O = in read/accept/poll/epoll_wait...; "
	      "sleep = nanosleep)\n", f);
}

void tree_json_thread(struct strbuf *j, const struct thread *t, bool sched)
{
	json_kv_uint(j, "cpu_ns", t->cpu_ns);
	json_kv_uint(j, "nvcsw", t->nvcsw);
	json_kv_uint(j, "nivcsw", t->nivcsw);
	json_kv_uint(j, "min_flt", t->min_flt);
	json_kv_uint(j, "maj_flt", t->maj_flt);
	json_kv_uint(j, "start_ns", t->start_ns);
	json_kv_uint(j, "end_ns", t->end_ns);
	if (!sched)
		return;
	json_kv_uint(j, "on_cpu_ns", t->sched.on_cpu_ns);
	for (int r = 0; r < OFF_REASONS; r++) {
		char key[32];

		snprintf(key, sizeof(key), "off_%s_ns", r == OFF_IO ? "io" : reason_names[r]);
		json_kv_uint(j, key, t->sched.off_ns[r]);
	}
	json_kv_uint(j, "wakeups", t->sched.wakeups);
	json_kv_uint(j, "voluntary", t->sched.voluntary);
	json_kv_uint(j, "involuntary", t->sched.involuntary);
	json_kv_uint(j, "faults", t->sched.faults);
	json_kv_uint(j, "cow_faults", t->sched.cow_faults);
}
