// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "summary.h"

#include <stdlib.h>

#include "syscalls.h"

static const struct sc_count *sort_base;

/* strace's order: most time first, then by syscall number. */
static int by_time(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	const struct sc_count *cx = &sort_base[x], *cy = &sort_base[y];

	if (cx->total_ns != cy->total_ns)
		return cx->total_ns > cy->total_ns ? -1 : 1;
	return syscall_by_slot(x)->nr < syscall_by_slot(y)->nr ? -1 : 1;
}

static const char rule[] = "------ ----------- ----------- --------- --------- ----------------\n";

void summary_print(FILE *f, const struct sc_count counts[SC_SLOTS])
{
	unsigned order[SC_SLOTS], n = 0, count = syscalls_count();
	unsigned long long calls = 0, errors = 0, ns = 0;

	for (unsigned s = 1; s <= count; s++) {
		if (!counts[s].calls)
			continue;
		order[n++] = s;
		calls += counts[s].calls;
		errors += counts[s].errors;
		ns += counts[s].total_ns;
	}
	sort_base = counts;
	qsort(order, n, sizeof(order[0]), by_time);
	fprintf(f, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (unsigned i = 0; i < n; i++) {
		const struct sc_count *c = &counts[order[i]];

		fprintf(f, "%6.2f %11.6f %11llu %9llu ", ns ? 100.0 * c->total_ns / ns : 0.0,
			c->total_ns / 1e9, (unsigned long long)(c->total_ns / 1000 / c->calls),
			(unsigned long long)c->calls);
		if (c->errors)
			fprintf(f, "%9llu", (unsigned long long)c->errors);
		else
			fprintf(f, "%9s", "");
		fprintf(f, " %s\n", syscall_by_slot(order[i])->name);
	}
	fprintf(f, "%s%6.2f %11.6f %11llu %9llu %9llu total\n", rule, n ? 100.0 : 0.0, ns / 1e9,
		calls ? ns / 1000 / calls : 0, calls, errors);
}

void summary_print_created(FILE *f, const struct procs *p)
{
	fprintf(f, "created: %u process%s (fork/clone), %u thread%s (clone with CLONE_THREAD), "
		   "%u vfork-style spawn%s (CLONE_VFORK)\n",
		p->created[ORIGIN_PROCESS], p->created[ORIGIN_PROCESS] == 1 ? "" : "es",
		p->created[ORIGIN_THREAD], p->created[ORIGIN_THREAD] == 1 ? "" : "s",
		p->created[ORIGIN_VFORK], p->created[ORIGIN_VFORK] == 1 ? "" : "s");
}

void summary_print_per_process(FILE *f, const struct procs *p)
{
	for (size_t i = 0; i < p->n_procs; i++) {
		fprintf(f, "%sPID %u (%s):\n", i ? "\n" : "", p->procs[i].pid, p->procs[i].comm);
		summary_print(f, p->procs[i].counts);
	}
}
