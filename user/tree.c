// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "tree.h"

#include <stdbool.h>
#include <sys/wait.h>

#include "decode.h"
#include "strbuf.h"

static void print_proc(FILE *f, const struct procs *p, size_t i, int depth, bool *done)
{
	const struct proc *pr = &p->procs[i];
	char pid[32];
	struct strbuf end = STRBUF_INIT;

	done[i] = true;
	if (pr->exited)
		print_exit_status(&end, pr->exit_code);
	else
		sb_puts(&end, "running");
	snprintf(pid, sizeof(pid), "%*s%u", 2 * depth, "", pr->pid);	/* children indented */
	fprintf(f, "%-10s %-7u %-7s %7u  %-26s %8.3f  %s\n", pid, pr->ppid,
		procs_origin_name(pr->origin), pr->threads, sb_str(&end), pr->cpu_ns / 1e9, pr->comm);
	sb_free(&end);
	for (size_t c = 0; c < p->n_procs; c++)
		if (!done[c] && p->procs[c].ppid == pr->pid && p->procs[c].start_ns >= pr->start_ns)
			print_proc(f, p, c, depth + 1, done);
}

void tree_print(FILE *f, const struct procs *p)
{
	bool done[p->n_procs + 1];

	for (size_t i = 0; i < p->n_procs; i++)
		done[i] = false;
	fprintf(f, "%-10s %-7s %-7s %7s  %-26s %8s  %s\n", "PID", "PPID", "CREATED", "THREADS",
		"END", "CPU s", "COMMAND");
	for (size_t i = 0; i < p->n_procs; i++)
		if (!done[i])
			print_proc(f, p, i, 0, done);
}
