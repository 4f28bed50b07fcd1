// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "ulocks.h"

#include <errno.h>
#include <link.h>
#include <linux/futex.h>
#include <string.h>

#include "elfsym.h"
#include "expect.h"
#include "json.h"

const char *const ulock_names[ULOCK_FUNCS] = {
	"pthread_mutex_lock", "pthread_mutex_trylock", "pthread_mutex_unlock",
	"pthread_cond_wait", "pthread_cond_signal", "pthread_cond_broadcast",
	"sem_wait", "sem_post",
};

static int find_libc(struct dl_phdr_info *info, size_t size, void *data)
{
	const char *base = strrchr(info->dlpi_name, '/');

	(void)size;
	if (base && !strncmp(base + 1, "libc.so", 7)) {
		snprintf(data, 4096, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

int ulocks_attach(struct bpf_program *prog, struct bpf_link *links[ULOCK_FUNCS])
{
	char libc[4096] = "";

	if (!dl_iterate_phdr(find_libc, libc)) {
		fprintf(stderr, "oslab: --ulocks: failed to find the C library\n");
		return -1;
	}
	for (int i = 0; i < ULOCK_FUNCS; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = i);
		long off = elf_func_offset(libc, ulock_names[i]);

		if (off < 0) {
			fprintf(stderr, "oslab: --ulocks: %s has no %s\n", libc, ulock_names[i]);
			return -1;
		}
		links[i] = bpf_program__attach_uprobe_opts(prog, -1, libc, off, &opts);
		if (!links[i]) {
			fprintf(stderr, "oslab: --ulocks: failed to attach a uprobe to %s: %s\n",
				ulock_names[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

void ulocks_print(FILE *f, const struct procs *p)
{
	unsigned long long calls = 0, futexes = p->futex_total[1][FUTEX_WAIT].calls +
					       p->futex_total[1][FUTEX_WAKE].calls +
					       p->futex_total[0][FUTEX_WAIT].calls +
					       p->futex_total[0][FUTEX_WAKE].calls;
	char a[32], b[32];

	fputs("user-space lock calls (uprobes on libc: each call trapped, slowing it by about a "
	      "microsecond)\n", f);
	for (int i = 0; i < ULOCK_FUNCS; i++) {
		if (!p->ulock_total[i])
			continue;
		fprintf(f, "  %-24s %12s\n", ulock_names[i],
			expect_fmt_count(a, p->ulock_total[i]));
		calls += p->ulock_total[i];
	}
	if (!calls) {
		fputs("  none: the program took no pthread lock, condition or semaphore\n", f);
		return;
	}
	fprintf(f, "  %s lock calls, %s futex waits and wakes: %.1f%% of lock calls never "
		   "entered the kernel\n", expect_fmt_count(a, calls), expect_fmt_count(b, futexes),
		futexes >= calls ? 0.0 : 100.0 * (calls - futexes) / calls);
}

void ulocks_json(FILE *f, const struct procs *p)
{
	struct strbuf j = STRBUF_INIT;

	for (size_t n = 0; n <= p->n_procs; n++) {
		const uint64_t *v = n ? p->procs[n - 1].ulocks : p->ulock_total;

		for (int i = 0; i < ULOCK_FUNCS; i++) {
			if (!v[i])
				continue;
			json_begin(&j, "ulock");
			if (n)
				json_kv_uint(&j, "pid", p->procs[n - 1].pid);
			json_kv_str(&j, "func", ulock_names[i]);
			json_kv_uint(&j, "calls", v[i]);
			json_end(&j, f);
		}
	}
	sb_free(&j);
}
