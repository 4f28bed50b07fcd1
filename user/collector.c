// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector.c - open -> configure -> load -> attach of the tracer probes, and
 * everything user space reads back from them.
 */
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "ringbuf.h"
#include "syscalls.h"
#include "tracer.skel.h"
#include "ulocks.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL	/* linux/pidfd.h, Linux 6.9 */
#endif

/* ~300k logged calls between reads: a reader that loses its CPU for a while
 * on a busy 2-CPU machine still loses no event of a million-call loop */
#define RINGBUF_DEFAULT (32u << 20)

struct collector {
	struct tracer_bpf *skel;
	struct bpf_link *ulinks[ULOCK_FUNCS];
	struct ringbuf *rb;
	event_fn on_event;
	void *ctx;
};

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;	/* failures are summed up by our own one-line errors */
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static bool has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* CAP_BPF + CAP_PERFMON (Linux 5.8+), or CAP_SYS_ADMIN, load these probes. */
static bool privileged(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &h, d))
		return false;
	return has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, 39 /* CAP_BPF */) &&
					     has_cap(d, 38 /* CAP_PERFMON */));
}

/* The tracepoints we attach to, checked up front so a missing one is named. */
static const char *const tracepoints[] = {
	"sys_enter", "sys_exit", "sched_process_fork", "sched_process_exec", "sched_process_exit",
};
static const char *const sched_tracepoints[] = { "sched_switch", "sched_wakeup", "sched_wakeup_new" };

static bool tracepoint_exists(const struct btf *btf, const char *tp)
{
	char name[64];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) >= 0;
}

static bool has_page_faults;	/* x86's exceptions:page_fault_user */

/* Name the first tracepoint we need that the kernel's BTF lacks.  Parsing
 * the BTF takes a dozen milliseconds and libbpf parses it again to load, so
 * this runs before loading only when the scheduler probes (which this
 * kernel may lack, and a trace can do without) are wanted, and otherwise
 * only to explain a failed load. */
static int check_tracepoints(bool sched)
{
	struct btf *btf = btf__load_vmlinux_btf();

	if (!btf) {
		fprintf(stderr, "oslab: failed to read the kernel's BTF: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++) {
		if (!tracepoint_exists(btf, tracepoints[i])) {
			fprintf(stderr, "oslab: this kernel has no '%s' tracepoint, which oslab needs\n",
				tracepoints[i]);
			btf__free(btf);
			return -1;
		}
	}
	for (size_t i = 0; sched && i < sizeof(sched_tracepoints) / sizeof(sched_tracepoints[0]); i++) {
		if (!tracepoint_exists(btf, sched_tracepoints[i])) {
			fprintf(stderr, "oslab: this kernel has no '%s' tracepoint, which these reports "
					"need\n", sched_tracepoints[i]);
			btf__free(btf);
			return -1;
		}
	}
	has_page_faults = tracepoint_exists(btf, "page_fault_user");
	btf__free(btf);
	return 0;
}

static int check_kernel(bool sched)
{
	if (!privileged()) {
		fprintf(stderr, "oslab: tracing needs root (or CAP_BPF and CAP_PERFMON): run it with sudo\n");
		return -1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "oslab: this kernel has no BTF (/sys/kernel/btf/vmlinux): "
				"oslab needs Linux 5.8+ built with CONFIG_DEBUG_INFO_BTF=y\n");
		return -1;
	}
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) <= 0) {
		fprintf(stderr, "oslab: this kernel has no BPF ring buffer: oslab needs Linux 5.8+\n");
		return -1;
	}
	return sched ? check_tracepoints(true) : 0;
}

/* Tell the probes which syscalls to follow, what to capture, and what to count. */
static void configure(struct tracer_bpf *skel, const struct collector_opts *o)
{
	unsigned n = syscalls_count();
	bool entry_caps = false;	/* a selected call reads memory at entry */

	for (unsigned slot = 1; slot <= n; slot++) {
		const struct syscall_def *d = syscall_by_slot(slot);
		struct sc_spec spec = d->spec;

		for (int i = 0; i < CAPS_PER_SC; i++) {
			if (spec.caps[i].kind == CAP_NONE)
				continue;
			if (spec.caps[i].flags & CAP_AT_ENTRY) {
				spec.flags |= SC_ENTRY_CAPS;
				spec.entry_caps |= 1 << i;
			} else {
				spec.exit_caps |= 1 << i;
			}
		}
		if (o->selected[slot])
			spec.flags |= SC_SELECTED;
		if (o->selected[slot] && (spec.flags & SC_ENTRY_CAPS))
			entry_caps = true;
		skel->rodata->sc_slot[d->nr] = slot;
		memcpy((void *)&skel->rodata->sc_specs[slot], &spec, sizeof(spec));
	}
	if (syscall_by_name("futex"))
		skel->rodata->futex_slot = syscall_slot(syscall_by_name("futex"));
	skel->rodata->emit_events = o->events;
	skel->rodata->strsize = o->strsize;
	skel->rodata->track_futexes = o->futexes;
	skel->rodata->track_sockets = o->sockets;
	skel->rodata->emit_sched = o->sched_events;
	skel->rodata->trace_all = o->all;
	/* what reads the entry probe's record of the call in flight needs it
	 * for every call: off-CPU reasons, futex wait times, socket closes */
	skel->rodata->time_calls = o->timed || o->sched || o->futexes || o->sockets || o->all;
	/* untimed, the entry probe has work only for a logged call that reads
	 * memory at entry (execve's argv, select's sets): otherwise it is not
	 * attached, and no syscall on the machine runs it */
	bpf_program__set_autoload(skel->progs.sys_enter,
				  skel->rodata->time_calls || (o->events && entry_caps));
	/* the scheduler probes run on every context switch in the system:
	 * loaded only for the reports that need them */
	bpf_program__set_autoload(skel->progs.sched_switch, o->sched);
	bpf_program__set_autoload(skel->progs.sched_wakeup, o->sched);
	bpf_program__set_autoload(skel->progs.sched_wakeup_new, o->sched);
	bpf_program__set_autoload(skel->progs.page_fault_user, o->sched && has_page_faults);
	bpf_program__set_autoload(skel->progs.ulock_call, o->ulocks);
}

static void on_ringbuf(void *ctx, void *data, size_t size)
{
	struct collector *c = ctx;

	/* every record starts like struct event up to its type (tracer.h);
	 * each reader checks the full size of the type it knows */
	if (size >= sizeof(struct sched_event))
		c->on_event(c->ctx, data, size);
}

struct collector *collector_open(const struct collector_opts *o, event_fn on_event, void *ctx)
{
	/* counting alone sends nothing: one page, not megabytes of memory */
	size_t rb_bytes = o->ringbuf_bytes ? o->ringbuf_bytes :
			  on_event ? RINGBUF_DEFAULT : 4096;
	struct collector *c;
	int err;

	verbose = o->verbose;
	libbpf_set_print(print_libbpf);
	if (check_kernel(o->sched || o->sched_events))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		fprintf(stderr, "oslab: out of memory\n");
		return NULL;
	}
	c->on_event = on_event;
	c->ctx = ctx;
	c->skel = tracer_bpf__open();
	if (!c->skel) {
		fprintf(stderr, "oslab: failed to open the probes: %s\n", strerror(errno));
		goto fail;
	}
	configure(c->skel, o);
	err = bpf_map__set_max_entries(c->skel->maps.events, rb_bytes);
	if (!err)
		err = tracer_bpf__load(c->skel);
	if (err) {
		/* a missing tracepoint gets its own line; anything else this one */
		if (!check_tracepoints(o->sched || o->sched_events))
			fprintf(stderr, "oslab: failed to load the probes: %s%s\n", strerror(-err),
				verbose ? "" : " (run with -v for the verifier's log)");
		goto fail;
	}
	err = tracer_bpf__attach(c->skel);
	if (err) {
		fprintf(stderr, "oslab: failed to attach the probes: %s\n", strerror(-err));
		goto fail;
	}
	if (o->ulocks && ulocks_attach(c->skel->progs.ulock_call, c->ulinks))
		goto fail;
	if (on_event) {
		c->rb = ringbuf_open(bpf_map__fd(c->skel->maps.events),
				     bpf_map__max_entries(c->skel->maps.events), on_ringbuf, c);
		if (!c->rb) {
			fprintf(stderr, "oslab: failed to open the ring buffer: %s\n", strerror(errno));
			goto fail;
		}
	}
	return c;
fail:
	collector_close(c);
	return NULL;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void read_comm(pid_t tgid, pid_t tid, char comm[TASK_COMM_LEN])
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", tgid, tid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, TASK_COMM_LEN, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/* A running process's program and where its text is (field 26 of stat,
 * startcode): what exec would have told the probes, for naming its futex
 * words by symbol.  A command about to exec gets both again at its exec. */
static void read_exe(pid_t tgid, struct thread *t)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/exe", tgid);
	n = readlink(path, t->exe, sizeof(t->exe) - 1);
	t->exe[n > 0 ? n : 0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/stat", tgid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	if (p)
		sscanf(p + 2, "%*c" "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
			      " %*s %*s %*s %*s %*s %*s %llu", (unsigned long long *)&t->start_code);
}

int collector_follow(struct collector *c, pid_t tid, pid_t tgid, pid_t ppid, unsigned origin)
{
	struct thread t = {
		.tid = tid, .tgid = tgid, .ppid = ppid, .origin = origin,
		.start_ns = monotonic_ns(),
	};

	/* the record hangs off the task: user space names it by a pidfd,
	 * a thread's own since Linux 6.9 (PIDFD_THREAD) */
	int pidfd = syscall(SYS_pidfd_open, tid, tid == tgid ? 0 : PIDFD_THREAD), err = 0;

	read_comm(tgid, tid, t.comm);
	read_exe(tgid, &t);
	if (pidfd < 0 || bpf_map_update_elem(bpf_map__fd(c->skel->maps.threads), &pidfd, &t, BPF_ANY))
		err = -errno;
	if (pidfd >= 0)
		close(pidfd);
	if (err == -EINVAL && pidfd < 0 && tid != tgid) {
		fprintf(stderr, "oslab: following thread %d of %d needs Linux 6.9+ (a thread's "
				"pidfd); this kernel gives none\n", tid, tgid);
		return -1;
	}
	if (err) {
		fprintf(stderr, "oslab: failed to follow %d: %s\n", tid, strerror(-err));
		return -1;
	}
	return 0;
}

int collector_fd(const struct collector *c)
{
	return c->rb ? ringbuf_fd(c->rb) : -1;
}

int collector_consume(struct collector *c)
{
	return c->rb ? ringbuf_consume(c->rb) : 0;
}

typedef void (*entry_fn)(void *ctx, const void *key, const void *val);

/*
 * Call fn(ctx, key, value) for every entry of a hash map; returns how many,
 * or -errno.  The kernel hands them over a few hundred a syscall (thousands
 * of exited threads after a fork loop would otherwise take two each).
 */
#define WALK_BATCH 256
static int walk(const struct bpf_map *map, entry_fn fn, void *ctx)
{
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	int fd = bpf_map__fd(map);
	__u32 count, want = WALK_BATCH / 2;
	__u64 in = 0, out = 0;	/* the kernel's cursor: a hash bucket's index */
	char *keys = NULL, *vals = NULL;
	bool first = true, grow = true, last = false;
	int n = 0;

	for (;;) {
		if (grow) {	/* at first, and for a bucket larger than want */
			char *k = realloc(keys, 2 * want * ks), *v;

			keys = k ? k : keys;
			v = realloc(vals, 2 * want * vs);
			vals = v ? v : vals;
			if (!k || !v) {
				n = -ENOMEM;
				break;
			}
			want *= 2;
			grow = false;
		}
		count = want;
		if (bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys, vals, &count, NULL)) {
			if (errno == ENOSPC && count == 0) {
				grow = true;
				continue;
			}
			if (errno != ENOENT) {
				n = -errno;
				break;
			}
			last = true;	/* ENOENT: these are the last */
		}
		for (__u32 i = 0; i < count; i++)
			fn(ctx, keys + i * ks, vals + i * vs);
		n += count;
		if (last)
			break;
		in = out;
		first = false;
	}
	free(keys);
	free(vals);
	return n;
}


struct thread_walk {
	thread_fn fn;
	void *ctx;
};

static void on_thread(void *ctx, const void *key, const void *val)
{
	struct thread_walk *w = ctx;

	(void)key;
	w->fn(w->ctx, val);
}

/* The live threads' records, as the dump_threads iterator writes them out. */
int collector_live_threads(struct collector *c, thread_fn fn, void *ctx)
{
	struct bpf_link *link = c->skel->links.dump_threads;
	struct thread t;
	size_t have = 0;
	ssize_t got;
	int fd, n = 0;

	fd = link ? bpf_iter_create(bpf_link__fd(link)) : -EINVAL;
	if (fd < 0)
		return fd;
	/* read() stops at the end of the kernel's buffer, not at a record's */
	while ((got = read(fd, (char *)&t + have, sizeof(t) - have)) > 0) {
		have += got;
		if (have < sizeof(t))
			continue;
		fn(ctx, &t);
		n++;
		have = 0;
	}
	if (got < 0)
		n = -errno;
	close(fd);
	return n;
}

int collector_threads(struct collector *c, thread_fn fn, void *ctx)
{
	struct thread_walk w = { fn, ctx };
	int live = collector_live_threads(c, fn, ctx);
	int dead = walk(c->skel->maps.exited, on_thread, &w);

	return live < 0 ? live : dead < 0 ? dead : live + dead;
}

struct futex_walk {
	void (*word)(void *ctx, const struct futex_word *w, const struct futex_stats *s);
	void (*thread)(void *ctx, const struct futex_thread_key *k, const struct futex_thread_stats *s);
	void *ctx;
};

static void on_futex_word(void *ctx, const void *key, const void *val)
{
	struct futex_walk *w = ctx;

	w->word(w->ctx, key, val);
}

static void on_futex_thread(void *ctx, const void *key, const void *val)
{
	struct futex_walk *w = ctx;

	w->thread(w->ctx, key, val);
}

int collector_futexes(struct collector *c,
		      void (*fn)(void *ctx, const struct futex_word *w, const struct futex_stats *s),
		      void *ctx)
{
	struct futex_walk w = { .word = fn, .ctx = ctx };

	return walk(c->skel->maps.futexes, on_futex_word, &w);
}

int collector_futex_threads(struct collector *c,
			    void (*fn)(void *ctx, const struct futex_thread_key *k,
				       const struct futex_thread_stats *s),
			    void *ctx)
{
	struct futex_walk w = { .thread = fn, .ctx = ctx };

	return walk(c->skel->maps.futex_threads, on_futex_thread, &w);
}

struct sock_walk {
	void (*fn)(void *ctx, const struct sock_rec *r);
	void *ctx;
};

static void on_sock(void *ctx, const void *key, const void *val)
{
	struct sock_walk *w = ctx;

	(void)key;
	w->fn(w->ctx, val);
}

int collector_sockets(struct collector *c, void (*fn)(void *ctx, const struct sock_rec *r),
		      void *ctx)
{
	struct sock_walk w = { fn, ctx };
	int live = walk(c->skel->maps.sockets, on_sock, &w);
	int done = walk(c->skel->maps.sockets_done, on_sock, &w);

	return live < 0 ? live : done < 0 ? done : live + done;
}

void collector_stats(const struct collector *c, struct tracer_stats *out)
{
	*out = c->skel->bss->stats;
}

bool collector_timed(const struct collector *c)
{
	return c->skel->rodata->time_calls;
}

void collector_close(struct collector *c)
{
	if (!c)
		return;
	ringbuf_close(c->rb);
	for (int i = 0; i < ULOCK_FUNCS; i++)
		bpf_link__destroy(c->ulinks[i]);
	tracer_bpf__destroy(c->skel);
	free(c);
}
