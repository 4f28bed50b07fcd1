// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "summary.h"

#include <stdlib.h>

#include "syscalls.h"

static const struct sc_count *sort_base;

/* strace's order: most time first (untimed: most calls), then by number. */
static int by_time(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	const struct sc_count *cx = &sort_base[x], *cy = &sort_base[y];

	if (cx->total_ns != cy->total_ns)
		return cx->total_ns > cy->total_ns ? -1 : 1;
	if (cx->calls != cy->calls)
		return cx->calls > cy->calls ? -1 : 1;
	return syscall_by_slot(x)->nr < syscall_by_slot(y)->nr ? -1 : 1;
}

static const char rule[] = "------ ----------- ----------- --------- --------- ----------------\n";
static const char rule_untimed[] = "--------- --------- ----------------\n";

static void print_errors(FILE *f, unsigned long long errors)
{
	if (errors)
		fprintf(f, "%9llu", errors);
	else
		fprintf(f, "%9s", "");
}

/* strace -c -U calls,errors,name: the table when calls were not timed. */
static void print_untimed(FILE *f, const struct sc_count counts[SC_SLOTS], const unsigned *order,
			  unsigned n, unsigned long long calls, unsigned long long errors)
{
	fprintf(f, "    calls    errors syscall\n%s", rule_untimed);
	for (unsigned i = 0; i < n; i++) {
		const struct sc_count *c = &counts[order[i]];

		fprintf(f, "%9llu ", (unsigned long long)c->calls);
		print_errors(f, c->errors);
		fprintf(f, " %s\n", syscall_by_slot(order[i])->name);
	}
	fprintf(f, "%s%9llu %9llu total\n", rule_untimed, calls, errors);
}

void summary_print(FILE *f, const struct sc_count counts[SC_SLOTS], bool timed)
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
	if (!timed) {
		print_untimed(f, counts, order, n, calls, errors);
		return;
	}
	fprintf(f, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
	for (unsigned i = 0; i < n; i++) {
		const struct sc_count *c = &counts[order[i]];

		fprintf(f, "%6.2f %11.6f %11llu %9llu ", ns ? 100.0 * c->total_ns / ns : 0.0,
			c->total_ns / 1e9, (unsigned long long)(c->total_ns / 1000 / c->calls),
			(unsigned long long)c->calls);
		print_errors(f, c->errors);
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

void summary_print_per_process(FILE *f, const struct procs *p, bool timed)
{
	for (size_t i = 0; i < p->n_procs; i++) {
		fprintf(f, "%sPID %u (%s):\n", i ? "\n" : "", p->procs[i].pid, p->procs[i].comm);
		summary_print(f, p->procs[i].counts, timed);
	}
}
