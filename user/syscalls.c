// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * syscalls.c - joins the per-family syscall tables into one registry and
 * gives each syscall present on this architecture a probe slot (1..count).
 */
#include "syscalls.h"

#include <stdio.h>
#include <string.h>

unsigned decode_strsize = 32;

static const struct syscall_family *const families[] = {
	&sys_process, &sys_futex, &sys_io, &sys_net, &sys_poll, &sys_time,
};
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

static const struct syscall_def *slots[SC_SLOTS];
static const struct syscall_def *by_nr[SC_NR_MAX];	/* the log looks one up per line */
static unsigned n_slots;

static void registry_init(void)
{
	if (n_slots)
		return;
	for (size_t f = 0; f < N_FAMILIES; f++) {
		for (size_t i = 0; i < families[f]->n; i++) {
			const struct syscall_def *d = &families[f]->defs[i];

			if (d->nr < 0 || d->nr >= SC_NR_MAX)
				continue;
			if (n_slots + 1 >= SC_SLOTS) {
				fprintf(stderr, "oslab: too many traced syscalls for %d slots\n", SC_SLOTS);
				return;
			}
			slots[++n_slots] = d;
			by_nr[d->nr] = d;
		}
	}
}

unsigned syscalls_count(void)
{
	registry_init();
	return n_slots;
}

const struct syscall_def *syscall_by_slot(unsigned slot)
{
	registry_init();
	return slot >= 1 && slot <= n_slots ? slots[slot] : NULL;
}

unsigned syscall_slot(const struct syscall_def *def)
{
	registry_init();
	for (unsigned s = 1; s <= n_slots; s++)
		if (slots[s] == def)
			return s;
	return 0;
}

const struct syscall_def *syscall_by_nr(long nr)
{
	registry_init();
	return nr >= 0 && nr < SC_NR_MAX ? by_nr[nr] : NULL;
}

const struct syscall_def *syscall_by_name(const char *name)
{
	registry_init();
	for (unsigned s = 1; s <= n_slots; s++)
		if (!strcmp(slots[s]->name, name))
			return slots[s];
	return NULL;
}

static const struct syscall_family *family_by_name(const char *name)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "process", FAM_PROCESS }, { "futex", FAM_FUTEX }, { "write", FAM_WRITE },
		{ "read", FAM_READ }, { "network", FAM_NETWORK }, { "net", FAM_NETWORK },
		{ "poll", FAM_POLL }, { "sleep", FAM_SLEEP },
	};
	static struct syscall_family fam;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(names[i].name, name)) {
			fam.name = names[i].name;
			fam.bit = names[i].bit;
			return &fam;
		}
	}
	return NULL;
}

/*
 * strace's -e trace= grammar, restricted to what we trace: a comma list of
 * syscall names and %family (or bare family) names, "all", and a leading "!"
 * that negates the whole set.  A name that is both a syscall and a family
 * ("futex", "write", "read") means the family, whose members include it.
 */
int syscalls_select(const char *expr, bool selected[SC_SLOTS], char *err, size_t errlen)
{
	char buf[1024], *save = NULL, *tok;
	bool negate = false;

	registry_init();
	memset(selected, 0, SC_SLOTS * sizeof(selected[0]));
	if (!expr || !*expr || !strcmp(expr, "all")) {
		for (unsigned s = 1; s <= n_slots; s++)
			selected[s] = true;
		return 0;
	}
	if (*expr == '!') {
		negate = true;
		expr++;
	}
	if (strlen(expr) >= sizeof(buf)) {
		snprintf(err, errlen, "trace expression too long");
		return -1;
	}
	strcpy(buf, expr);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *name = tok[0] == '%' ? tok + 1 : tok;
		const struct syscall_family *fam = family_by_name(name);
		const struct syscall_def *def;

		if (!strcmp(name, "all")) {
			for (unsigned s = 1; s <= n_slots; s++)
				selected[s] = true;
		} else if (fam) {
			for (unsigned s = 1; s <= n_slots; s++)
				if (slots[s]->families & fam->bit)
					selected[s] = true;
		} else if (tok[0] != '%' && (def = syscall_by_name(name))) {
			selected[syscall_slot(def)] = true;
		} else {
			snprintf(err, errlen, "unknown syscall or family '%s' in -e trace=", tok);
			return -1;
		}
	}
	if (negate)
		for (unsigned s = 1; s <= n_slots; s++)
			selected[s] = !selected[s];
	return 0;
}
