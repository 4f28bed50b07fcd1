// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tracer.bpf.c - follow a process tree from its first instruction and count,
 * per thread and per syscall, every call of the traced families; optionally
 * stream each call with its decoded-later arguments through a ring buffer.
 *
 * Everything attaches to BTF raw tracepoints (tp_btf): they need no tracefs,
 * work where kprobes and fentry do not, and are the kernel's stable interface.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "tracer.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define SIGNAL_GROUP_EXIT 0x00000004	/* include/linux/sched/signal.h */
#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000
#define SIGCHLD 17
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define EINPROGRESS 115
#define MAX_ERRNO 4095

/* Set by user space before load. */
const volatile __u8 sc_slot[SC_NR_MAX];		/* syscall nr -> slot, 0: not traced */
const volatile struct sc_spec sc_specs[SC_SLOTS];
const volatile bool emit_events = false;	/* stream calls, not only count them */
const volatile __u32 strsize = 32;		/* -s: bytes of strings and buffers kept */
const volatile __u32 futex_slot;		/* futex's slot: also counted per operation */
const volatile bool track_futexes = false;	/* --locks: stats per futex word */
const volatile bool track_sockets = false;	/* --sockets: a record per socket */
const volatile bool emit_sched = false;		/* --timeline: stream switches and wakeups */
const volatile bool trace_all = false;		/* oslab top: every thread on the system */
/* Time every call: the entry probe stamps each traced call and the exit probe
 * adds its latency.  Off (plain -c, or a log without times), a call is
 * counted from sys_exit alone, its number and arguments read from pt_regs,
 * and exit/exit_group at sched_process_exit: the entry probe then runs only
 * for calls whose memory must be read at entry (execve's argv, in a log),
 * and for plain -c is not attached at all. */
const volatile bool time_calls = true;

struct tracer_stats stats;
__u64 exit_seq;

/* A traced thread's record hangs off its task: every probe finds it in a
 * few loads, where a hash of tids costs a hash and a bucket walk on every
 * syscall of every process on the machine.  User space reads the live ones
 * through the dump_threads iterator and adds one with a pidfd for a key. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct thread);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);			/* exit sequence number */
	__type(value, struct thread);
} exited SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);		/* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct futex_word);
	__type(value, struct futex_stats);
} futexes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct futex_thread_key);
	__type(value, struct futex_thread_stats);
} futex_threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);			/* struct file *: shared across fork */
	__type(value, struct sock_rec);
} sockets SEC(".maps");

/* Sockets whose struct file was reused by a newer socket: their final record. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);			/* sequence number */
	__type(value, struct sock_rec);
} sockets_done SEC(".maps");

__u64 sock_seq;

/* An event under construction: the header, then chunks.  The data array is
 * twice DATA_MAX so that any masked offset plus any clamped length stays
 * inside it, which is what the verifier needs to see. */
struct scratch {
	__u32 off;		/* where the next chunk goes */
	__u32 slot;		/* syscall being captured */
	bool entry;		/* running the entry captures */
	__u64 sent;		/* records this CPU sent (ring_send) */
	struct event ev;
	__u8 data[2 * DATA_MAX + sizeof(struct chunk)];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* Never written: zeroes, as many as the largest record, for a new futex or
 * socket record to start from (a map update needs a value to copy). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thread);
} blank SEC(".maps");

static __always_inline struct thread *thread_of(struct task_struct *task)
{
	return bpf_task_storage_get(&threads, task, NULL, 0);
}

static __always_inline struct thread *current_thread(void)
{
	return thread_of(bpf_get_current_task_btf());
}

static __always_inline const volatile struct sc_spec *spec_of(__u32 slot)
{
	return &sc_specs[slot & (SC_SLOTS - 1)];
}

/* The syscall calling convention (tp_btf gives a trusted pt_regs pointer).
 * The argument registers still hold the arguments at sys_exit: x86-64 saves
 * them in pt_regs and returns in ax; arm64 keeps its x0 in orig_x0. */
static __always_inline void read_syscall_args(struct pt_regs *regs, __u64 *a)
{
#if defined(__TARGET_ARCH_x86)
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
#elif defined(__TARGET_ARCH_arm64)
	a[0] = regs->orig_x0;
	for (int i = 1; i < 6; i++)
		a[i] = regs->regs[i];
#else
#error "oslab supports x86-64 and arm64"
#endif
}

/* The number of the syscall a task is in (what the tracepoints report). */
static __always_inline __u64 syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#else
	return regs->syscallno;
#endif
}

/* Whether a task's registers are those of a syscall still in progress:
 * x86-64's entry code stores -ENOSYS as the result until the call returns
 * (an interrupt or exception leaves the user's rax there, and the vector
 * or error code in orig_ax); arm64 marks non-syscall entries NO_SYSCALL. */
static __always_inline bool in_syscall(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return (long)regs->ax == -38 /* -ENOSYS */;
#else
	return (int)regs->syscallno >= 0;
#endif
}

static __always_inline __u32 slot_of_nr(__u64 nr)
{
	return nr < SC_NR_MAX ? sc_slot[nr] : 0;
}

static __always_inline bool is_error(long ret)
{
	return ret < 0 && ret >= -MAX_ERRNO;
}

/*
 * Append one chunk of user memory at data offset off; returns the offset after
 * it.  A chunk that does not fit is cut; one whose pointer faults is kept as a
 * CHUNK_FAULT so the decoder can print the address the way strace does.
 *
 * This and the other put_* functions are global: the verifier checks each
 * once, on its own, instead of again at every call site in every program
 * (which made loading the logging probes take a fifth of a second).  So user
 * pointers come in as plain numbers, and s is checked for NULL.
 */
#define SMALL_READ 64	/* a power of two; -s 32 strings and buffers fit */

__noinline __u32 put_chunk(struct scratch *s, __u32 tag, __u64 uptr, __u32 len, __u32 str)
{
	struct chunk *c;
	__u32 room, off;
	long n;

	if (!s)
		return 0;
	off = s->off;
	if (off > DATA_MAX - sizeof(struct chunk))
		return off;
	room = DATA_MAX - sizeof(struct chunk) - off;
	if (len > room)
		len = room;
	/* len < DATA_MAX already; mask in the register the helper gets, or
	 * clang keeps the clamp on a copy and the verifier sees 0..65535 */
	asm volatile("%[len] &= %[mask]" : [len] "+r"(len) : [mask] "i"(DATA_MAX - 1));
	c = (void *)&s->data[off & (DATA_MAX - 1)];
	c->cap = tag >> 8;
	c->part = tag & 0xff;
	c->pad = 0;
	if (len < SMALL_READ) {
		/* the common case (-s 32): read onto the stack and store 8 words.
		 * A read into the per-CPU map would have the kernel's usercopy
		 * hardening look the destination up among vmalloc areas. */
		__u64 tmp[SMALL_READ / 8] = {}, *d;

		asm volatile("%[len] &= %[mask]" : [len] "+r"(len) : [mask] "i"(SMALL_READ - 1));
		if (str)
			n = bpf_probe_read_user_str(tmp, len, (const void *)uptr);
		else
			n = bpf_probe_read_user(tmp, len, (const void *)uptr) ? -1 : len;
		d = (void *)&s->data[(off + sizeof(*c)) & (DATA_MAX - 1)];
		for (int i = 0; i < SMALL_READ / 8; i++)
			d[i] = tmp[i];
	} else if (str)
		n = bpf_probe_read_user_str(&s->data[(off + sizeof(*c)) & (DATA_MAX - 1)], len,
					    (const void *)uptr);
	else
		n = bpf_probe_read_user(&s->data[(off + sizeof(*c)) & (DATA_MAX - 1)], len,
					(const void *)uptr) ? -1 : len;
	if (n < 0) {
		c->part = CHUNK_FAULT;
		n = 0;
	}
	c->len = n;
	s->off = off + ((sizeof(*c) + n + 7) & ~7U);
	return s->off;
}

#define TAG(cap, part) (((cap) << 8) | (part))

static __always_inline __u64 arg_at(const __u64 *args, __u32 i)
{
	return i < 6 ? args[i] : 0;
}

/* Clamp a capture length to its spec's limit. */
static __always_inline __u32 clamp_len(__u64 len, const volatile struct cap_spec *cs)
{
	__u64 max = cs->max ? cs->max : DATA_MAX;

	if ((cs->flags & CAP_STRSIZE) && strsize < max)
		max = strsize;
	return len < max ? len : max;
}

/* iovecs: the array itself, then each buffer, cut at strsize and at total. */
__noinline __u32 put_iov(struct scratch *s, __u32 cap, __u64 uiov_addr, __u64 cnt, __u64 total)
{
	const struct iovec *uiov = (const struct iovec *)uiov_addr;
	struct iovec iov;
	__u32 n = cnt < CAP_IOV_MAX ? cnt : CAP_IOV_MAX;

	if (!s)
		return 0;
	put_chunk(s, TAG(cap, CHUNK_IOV), uiov_addr, n * sizeof(iov), false);
	for (__u32 i = 0; i < CAP_IOV_MAX && i < n; i++) {
		__u64 len;

		if (bpf_probe_read_user(&iov, sizeof(iov), &uiov[i]))
			break;
		len = iov.iov_len < total ? iov.iov_len : total;
		total -= len;
		if (len > strsize)
			len = strsize;
		put_chunk(s, TAG(cap, CHUNK_IOV_DATA), (__u64)iov.iov_base, len, false);
	}
	return s->off;
}

__noinline __u32 put_argv(struct scratch *s, __u32 cap, __u64 uargv_addr)
{
	const char *const *uargv = (const char *const *)uargv_addr;
	const char *arg;
	__u32 i;

	if (!s)
		return 0;
	for (i = 0; i < CAP_ARGV_MAX; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) || !arg)
			return s->off;
		put_chunk(s, TAG(cap, CHUNK_DATA), (__u64)arg,
			  strsize < CAP_STR_MAX ? strsize + 1 : CAP_STR_MAX, true);
	}
	if (!bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) && arg)
		put_chunk(s, TAG(cap, CHUNK_STRV_MORE), 0, 0, false);
	return s->off;
}

__noinline __u32 put_msghdr(struct scratch *s, __u32 cap, __u64 umsg, __u64 total)
{
	struct user_msghdr msg;

	if (!s)
		return 0;
	if (bpf_probe_read_user(&msg, sizeof(msg), (const void *)umsg))
		return put_chunk(s, TAG(cap, CHUNK_FAULT), 0, 0, false);
	put_chunk(s, TAG(cap, CHUNK_MSG), umsg, sizeof(msg), false);
	if (msg.msg_name && msg.msg_namelen)
		put_chunk(s, TAG(cap, CHUNK_MSG_NAME), (__u64)msg.msg_name,
			  msg.msg_namelen < 128 ? msg.msg_namelen : 128, false);
	return put_iov(s, cap, (__u64)msg.msg_iov, msg.msg_iovlen, total);
}

/* Run capture spec i of the syscall in s; returns the new data offset.
 * Global, so the verifier checks it once rather than at every call site:
 * that cuts loading the probes from about a second to a quarter. */
__noinline __u32 capture(struct scratch *s, __u32 i)
{
	if (!s)
		return 0;
	const volatile struct cap_spec *cs = &spec_of(s->slot)->caps[i & (CAPS_PER_SC - 1)];
	const __u64 *args = s->ev.args;
	long ret = s->ev.ret;
	__u32 off = s->off;
	__u64 len = cs->unit;
	__u64 ptr;
	__u32 n;

	if (cs->kind == CAP_NONE || !!(cs->flags & CAP_AT_ENTRY) != s->entry)
		return off;
	if ((cs->flags & CAP_IF_OK) && (ret < 0))
		return off;
	ptr = arg_at(args, cs->ptr_arg);
	if (!ptr)
		return off;
	switch (cs->len_from) {
	case LEN_ARG:
		len *= arg_at(args, cs->len_arg);
		break;
	case LEN_RET:
		len *= ret > 0 ? ret : 0;
		break;
	case LEN_ARG_U32:
		if (bpf_probe_read_user(&n, sizeof(n), (void *)arg_at(args, cs->len_arg)))
			n = 0;
		len *= n;
		break;
	}
	switch (cs->kind) {
	case CAP_BYTES:
		return put_chunk(s, TAG(i, CHUNK_DATA), ptr, clamp_len(len, cs), false);
	case CAP_STR:
		return put_chunk(s, TAG(i, CHUNK_DATA), ptr, clamp_len(CAP_STR_MAX, cs), true);
	case CAP_STRV:
		return put_argv(s, i, ptr);
	case CAP_IOV:
		return put_iov(s, i, ptr, len, cs->flags & CAP_IF_OK ? ret : ~0ULL);
	case CAP_MSGHDR:
		return put_msghdr(s, i, ptr, cs->flags & CAP_IF_OK ? ret : ~0ULL);
	}
	return off;
}

/*
 * Send one record; a full ring buffer is counted, never silent.  The reader
 * polls the ring on its own clock (user/trace.c): a wakeup from here is only
 * a safety valve for a ring half full, checked every 1024 records a CPU
 * sends.  Waking it every few thousand records had the scheduler pull it
 * onto the traced thread's CPU, which cost a write loop ~100 ns a call.
 */
static __always_inline void ring_send(struct scratch *s, void *data, __u64 size)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (!(++s->sent & 1023) &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >
		    bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 2)
		flags = BPF_RB_FORCE_WAKEUP;
	if (bpf_ringbuf_output(&events, data, size, flags))
		__sync_fetch_and_add(&stats.lost_events, 1);
}

/* Build and send one event. */
static __always_inline void emit(struct thread *t, __u16 type, __u32 slot, __u64 now,
				 long ret, bool entry)
{
	__u32 zero = 0, off = 0, caps;
	struct scratch *s;

	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return;
	s->ev.ts = now;
	s->ev.duration_ns = now - t->cur_ts;
	s->ev.tgid = t->tgid;
	s->ev.tid = t->tid;
	s->ev.type = type;
	s->ev.nr = t->cur_nr;
	s->ev.ret = ret;
	__builtin_memcpy(s->ev.args, t->cur_args, sizeof(s->ev.args));
	s->off = 0;
	s->slot = slot;
	s->entry = entry;
	/* only the captures this side of the call has: most calls have one */
	caps = entry ? spec_of(slot)->entry_caps : spec_of(slot)->exit_caps;
	for (__u32 i = 0; i < CAPS_PER_SC; i++)
		if (caps & (1 << i))
			capture(s, i);
	/* put_chunk keeps off <= DATA_MAX; the mask shows the verifier so */
	off = s->off & (2 * DATA_MAX - 1);
	if (off > DATA_MAX)
		off = DATA_MAX;
	s->ev.data_len = off;
	ring_send(s, &s->ev, sizeof(s->ev) + off);
}

static __always_inline void add(struct sc_count *c, long ret, __u64 ns)
{
	c->calls++;
	c->errors += is_error(ret);
	c->total_ns += ns;
}

/* log2 of a wait in microseconds, for the lock report's histogram */
static __always_inline __u32 hist_slot(__u64 ns)
{
	__u64 us = ns / 1000;
	__u32 slot = 0;

	for (int i = 0; i < FUTEX_HIST_SLOTS - 1; i++) {
		if (us < 2)
			break;
		us >>= 1;
		slot++;
	}
	return slot;
}

static __always_inline bool futex_is_wait(__u32 op)
{
	/* FUTEX_WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2 */
	return op == 0 || op == 6 || op == 9 || op == 11 || op == 13;
}

static __always_inline bool futex_is_wake(__u32 op)
{
	/* WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, UNLOCK_PI, WAKE_BITSET, CMP_REQUEUE_PI */
	return op == 1 || op == 3 || op == 4 || op == 5 || op == 7 || op == 10 || op == 12;
}

/* --locks: who waited on, and who woke, which futex word. */
static __noinline void count_futex_word(struct thread *t, __u32 op, long ret, __u64 ns)
{
	struct futex_thread_key tk = { .f = { .tgid = t->tgid, .uaddr = t->cur_args[0] },
				       .tid = t->tid };
	struct futex_thread_stats *ts, tzero = {};
	struct futex_stats *fs;
	bool wait = futex_is_wait(op);

	if (!wait && !futex_is_wake(op))
		return;
	fs = bpf_map_lookup_elem(&futexes, &tk.f);
	if (!fs) {
		struct futex_stats *zero = bpf_map_lookup_elem(&blank, &(__u32){ 0 });

		/* the blank thread record is zero and larger than futex_stats; a
		 * racing insert by another thread is fine: we look it up next */
		if (!zero)
			return;
		bpf_map_update_elem(&futexes, &tk.f, zero, BPF_NOEXIST);
		fs = bpf_map_lookup_elem(&futexes, &tk.f);
		if (!fs) {
			__sync_fetch_and_add(&stats.lost_futexes, 1);
			return;
		}
		fs->first_ts = t->cur_ts;
	}
	fs->last_ts = t->cur_ts + ns;
	if (!(t->cur_args[1] & FUTEX_PRIVATE_FLAG))
		__sync_fetch_and_add(&fs->shared, 1);
	if (wait) {
		__sync_fetch_and_add(&fs->waits, 1);
		__sync_fetch_and_add(&fs->wait_ns, ns);
		if (is_error(ret))
			__sync_fetch_and_add(&fs->wait_errors, 1);
		__sync_fetch_and_add(&fs->hist[hist_slot(ns) & (FUTEX_HIST_SLOTS - 1)], 1);
	} else {
		__sync_fetch_and_add(&fs->wakes, 1);
		if (ret > 0)
			__sync_fetch_and_add(&fs->woken, ret);
	}
	ts = bpf_map_lookup_elem(&futex_threads, &tk);
	if (!ts) {
		bpf_map_update_elem(&futex_threads, &tk, &tzero, BPF_NOEXIST);
		ts = bpf_map_lookup_elem(&futex_threads, &tk);
		if (!ts)
			return;
	}
	/* only this thread writes its own row */
	if (wait) {
		ts->waits++;
		ts->wait_ns += ns;
	} else {
		ts->wakes++;
	}
}

static __always_inline void count(struct thread *t, __u32 slot, long ret, __u64 ns)
{
	__u32 op;

	add(&t->counts[slot & (SC_SLOTS - 1)], ret, ns);
	if (slot != futex_slot)
		return;
	/* waits, wakes and requeues are what lock reports and labs assert on */
	op = t->cur_args[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	if (op >= FUTEX_CMDS)
		return;
	/* clang would index with a fresh copy the verifier cannot bound */
	asm volatile("%[op] &= %[mask]" : [op] "+r"(op) : [mask] "i"(FUTEX_CMDS - 1));
	add(&t->futex_ops[!!(t->cur_args[1] & FUTEX_PRIVATE_FLAG)][op], ret, ns);
	if (track_futexes)
		count_futex_word(t, op, ret, ns);
}

/* The open file behind fd in the current process, or NULL. */
static __always_inline struct file *fd_file(__u64 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline bool is_socket(struct file *f)
{
	return f && (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) == S_IFSOCK;
}

/* Both ends of a socket, from the kernel's struct sock. */
static __always_inline void sock_addrs(struct file *f, struct sock_rec *r)
{
	struct socket *so = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(so, sk);

	if (!sk)
		return;
	r->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	r->type = BPF_CORE_READ(sk, sk_type);
	r->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (r->family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)r->laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)r->raddr, sk, __sk_common.skc_daddr);
	} else if (r->family == AF_INET6) {
		BPF_CORE_READ_INTO(&r->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->raddr, sk, __sk_common.skc_v6_daddr);
	}
}

/* A new socket at fd (socket, accept): its record starts now.  A record
 * left at the same struct file by a socket since freed is kept aside. */
static __noinline struct sock_rec *sock_new(struct thread *t, __u64 fd, __u16 state)
{
	struct file *f = fd_file(fd);
	__u64 key = (__u64)f, seq;
	struct sock_rec *r, *old;

	if (!is_socket(f))
		return NULL;
	old = bpf_map_lookup_elem(&sockets, &key);
	if (old) {
		seq = __sync_fetch_and_add(&sock_seq, 1);
		bpf_map_update_elem(&sockets_done, &seq, old, BPF_ANY);
		bpf_map_delete_elem(&sockets, &key);
	}
	r = bpf_map_lookup_elem(&blank, &(__u32){ 0 });
	if (!r || bpf_map_update_elem(&sockets, &key, r, BPF_ANY)) {
		__sync_fetch_and_add(&stats.lost_sockets, 1);
		return NULL;
	}
	r = bpf_map_lookup_elem(&sockets, &key);
	if (!r)
		return NULL;
	r->open_ns = bpf_ktime_get_ns();
	r->tgid = t->tgid;
	r->tid = t->tid;
	r->state = state;
	sock_addrs(f, r);
	return r;
}

/* --sockets: what this syscall did to which socket. */
static __noinline void track_socket(struct thread *t, __u32 op, long ret)
{
	struct sock_rec *r;
	struct file *f;
	__u64 key;

	if (op == SOCK_CREATE || op == SOCK_ACCEPT) {
		if (ret < 0)
			return;
		r = sock_new(t, ret, op == SOCK_ACCEPT ? SOCKST_ACCEPTED : SOCKST_CREATED);
		if (!r || op != SOCK_ACCEPT)
			return;
		key = (__u64)fd_file(t->cur_args[0]);
		r = bpf_map_lookup_elem(&sockets, &key);
		if (r)
			__sync_fetch_and_add(&r->accepted, 1);
		return;
	}
	if (op == SOCK_CLOSE) {
		key = t->cur_file;
		r = ret == 0 && key ? bpf_map_lookup_elem(&sockets, &key) : NULL;
		if (r) {
			r->closes++;
			r->close_ns = bpf_ktime_get_ns();
			r->close_tgid = t->tgid;
		}
		return;
	}
	if (ret < 0 && !(op == SOCK_CONNECT && ret == -EINPROGRESS))
		return;
	f = fd_file(t->cur_args[0]);
	key = (__u64)f;
	r = bpf_map_lookup_elem(&sockets, &key);
	if (!r)
		return;		/* not a socket, or made before the trace */
	switch (op) {
	case SOCK_SEND:
		__sync_fetch_and_add(&r->bytes_out, ret);
		__sync_fetch_and_add(&r->sends, 1);
		r->last_tgid = t->tgid;
		r->last_tid = t->tid;
		break;
	case SOCK_RECV:
		__sync_fetch_and_add(&r->bytes_in, ret);
		__sync_fetch_and_add(&r->recvs, 1);
		r->last_tgid = t->tgid;
		r->last_tid = t->tid;
		break;
	case SOCK_BIND:
		r->state = SOCKST_BOUND;
		sock_addrs(f, r);
		break;
	case SOCK_LISTEN:
		r->state = SOCKST_LISTENING;
		sock_addrs(f, r);
		break;
	case SOCK_CONNECT:
		r->state = SOCKST_CONNECTED;
		r->tgid = t->tgid;
		r->tid = t->tid;
		sock_addrs(f, r);
		break;
	case SOCK_SHUTDOWN:
		r->shut |= (t->cur_args[1] & 3) + 1;
		break;
	}
}

/* oslab top without -p: a thread first seen in a syscall or on a CPU gets
 * its record then (it was not created under our eyes). */
static __noinline struct thread *adopt(struct task_struct *task)
{
	__u32 tid = task->pid;
	struct thread *t;

	if (!tid || task->flags & 0x00200000)	/* PF_KTHREAD */
		return NULL;
	t = bpf_task_storage_get(&threads, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		__sync_fetch_and_add(&stats.lost_threads, 1);
		return NULL;
	}
	t->tid = tid;
	t->tgid = task->tgid;
	t->ppid = BPF_CORE_READ(task, real_parent, tgid);
	t->start_ns = bpf_ktime_get_ns();
	__builtin_memcpy(t->comm, task->comm, TASK_COMM_LEN);
	return t;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u32 slot = slot_of_nr(id);
	const volatile struct sc_spec *spec = spec_of(slot);
	struct thread *t;

	/* untimed, only calls whose memory must be read now have anything to
	 * do here (exit and exit_group are counted at sched_process_exit) */
	if (!time_calls && !(emit_events && (spec->flags & SC_ENTRY_CAPS)))
		return 0;
	t = current_thread();
	if (!t && trace_all)
		t = adopt(bpf_get_current_task_btf());
	if (!t)
		return 0;
	t->cur_slot = slot;
	if (!slot)
		return 0;
	t->cur_nr = id;
	t->cur_ts = bpf_ktime_get_ns();
	read_syscall_args(regs, t->cur_args);
	if (track_sockets && spec->sock == SOCK_CLOSE) {
		/* after close the fd no longer leads to the file */
		struct file *f = fd_file(t->cur_args[0]);

		t->cur_file = is_socket(f) ? (__u64)f : 0;
	}
	if (!(spec->flags & SC_SELECTED))
		return 0;
	if (spec->flags & SC_NORETURN) {
		/* exit and exit_group never reach sys_exit: count them now */
		t->cur_slot = 0;
		count(t, slot, 0, 0);
		if (emit_events)
			emit(t, EV_SYSCALL, slot, t->cur_ts, 0, false);
		return 0;
	}
	if (emit_events && (spec->flags & SC_ENTRY_CAPS))
		emit(t, EV_ENTER, slot, t->cur_ts, 0, true);
	return 0;
}

/* Untimed: count (and log) the call in regs with result ret, no entry seen. */
static __always_inline void count_from_regs(struct thread *t, struct pt_regs *regs, __u64 nr,
					    __u32 slot, long ret)
{
	t->cur_nr = nr;
	t->cur_ts = 0;
	read_syscall_args(regs, t->cur_args);
	count(t, slot, ret, 0);
	if (emit_events)
		emit(t, EV_SYSCALL, slot, 0, ret, false);
}

/* Untimed: the call is counted (and logged) from its return alone. */
static __always_inline int count_untimed(struct thread *t, struct pt_regs *regs, long ret)
{
	__u64 nr = syscall_nr(regs);
	__u32 slot = slot_of_nr(nr);
	const volatile struct sc_spec *spec = spec_of(slot);

	if (!slot || !(spec->flags & SC_SELECTED))
		return 0;
	/* a new child's first return is from its parent's fork: counted there */
	if (spec->spawn && ret == 0)
		return 0;
	count_from_regs(t, regs, nr, slot, ret);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct thread *t = current_thread();
	__u64 now;
	__u32 slot;

	if (!t)
		return 0;
	slot = t->cur_slot;
	if (!slot && !time_calls)
		return count_untimed(t, regs, ret);
	if (!slot)
		return 0;
	t->cur_slot = 0;
	if (track_sockets && spec_of(slot)->sock)
		track_socket(t, spec_of(slot)->sock, ret);
	if (!(spec_of(slot)->flags & SC_SELECTED))
		return 0;
	now = bpf_ktime_get_ns();
	count(t, slot, ret, now - t->cur_ts);
	if (emit_events)
		emit(t, EV_SYSCALL, slot, now, ret, false);
	return 0;
}

/* The clone flags of the call the parent is in, for the child's record:
 * from the parent's registers, so no entry probe is needed. */
static __always_inline __u64 spawn_flags(struct task_struct *parent)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	__u64 flags = 0, args[6];

	if (!regs)
		return 0;
	read_syscall_args(regs, args);
	switch (spec_of(slot_of_nr(syscall_nr(regs)))->spawn) {
	case SPAWN_FORK:
		return SIGCHLD;
	case SPAWN_VFORK:
		return CLONE_VM | CLONE_VFORK | SIGCHLD;
	case SPAWN_CLONE:
		return args[0];
	case SPAWN_CLONE3:
		bpf_probe_read_user(&flags, sizeof(flags), (void *)args[0]);
		return flags;
	}
	return 0;
}

/* Runs in the parent before the child is first woken: no instruction of a
 * traced tree's child ever runs untraced. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptid = parent->pid, ctid = child->pid;
	struct thread *pt, *ct;

	pt = thread_of(parent);
	if (!pt)
		return 0;
	ct = bpf_task_storage_get(&threads, child, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ct) {
		__sync_fetch_and_add(&stats.lost_threads, 1);
		return 0;
	}
	ct->tid = ctid;
	ct->tgid = child->tgid;
	ct->ptid = ptid;
	ct->ppid = parent->tgid;
	ct->clone_flags = spawn_flags(parent);
	ct->start_ns = bpf_ktime_get_ns();
	if (child->tgid == parent->tgid)
		ct->origin = ORIGIN_THREAD;
	else if (ct->clone_flags & CLONE_VFORK)
		ct->origin = ORIGIN_VFORK;
	else
		ct->origin = ORIGIN_PROCESS;
	__builtin_memcpy(ct->comm, child->comm, TASK_COMM_LEN);
	ct->start_code = pt->start_code;	/* same program until it execs */
	__builtin_memcpy(ct->exe, pt->exe, sizeof(ct->exe));
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct thread *t = thread_of(p);

	if (!t)
		return 0;
	/* a non-leader thread that execs takes over the leader's tid */
	t->tid = p->pid;
	t->state |= THREAD_EXECED;
	__builtin_memcpy(t->comm, p->comm, TASK_COMM_LEN);
	t->start_code = BPF_CORE_READ(p, mm, start_code);
	bpf_probe_read_kernel_str(t->exe, sizeof(t->exe), BPF_CORE_READ(bprm, filename));
	return 0;
}

/* Untimed: a thread leaving through exit or exit_group is still inside that
 * call; one killed by a signal is not inside any (or inside another). */
static __always_inline void count_noreturn(struct thread *t, struct task_struct *p)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
	__u64 nr;
	__u32 slot;

	if (!regs || !in_syscall(regs))
		return;
	nr = syscall_nr(regs);
	slot = slot_of_nr(nr);
	if (!(spec_of(slot)->flags & SC_NORETURN) || !(spec_of(slot)->flags & SC_SELECTED))
		return;
	count_from_regs(t, regs, nr, slot, 0);
}

/* Runs once per exiting thread: freeze its record under a fresh key so a
 * reused tid can never mix two threads' counts. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	struct thread *t = thread_of(p);
	__u64 seq;

	if (!t)
		return 0;
	if (!time_calls)
		count_noreturn(t, p);
	t->end_ns = bpf_ktime_get_ns();
	t->state |= THREAD_EXITED;
	/* the slice it is running now is not in either sum yet */
	if (t->sched.on_cpu && t->sched.last_ts)
		t->sched.on_cpu_ns += t->end_ns - t->sched.last_ts;
	t->cpu_ns = p->se.sum_exec_runtime;
	if (t->sched.on_cpu_ns > t->cpu_ns)
		t->cpu_ns = t->sched.on_cpu_ns;
	t->nvcsw = p->nvcsw;
	t->nivcsw = p->nivcsw;
	t->min_flt = p->min_flt;
	t->maj_flt = p->maj_flt;
	__builtin_memcpy(t->comm, p->comm, TASK_COMM_LEN);
	if (sig->live.counter == 0) {
		t->state |= THREAD_GROUP_DEAD;
		t->exit_code = (sig->flags & SIGNAL_GROUP_EXIT) ? sig->group_exit_code :
								  p->group_leader->exit_code;
		if (emit_events) {
			t->cur_slot = 0;
			t->cur_nr = 0;
			t->cur_ts = t->end_ns;
			emit(t, EV_EXIT, 0, t->end_ns, t->exit_code, false);
		}
	} else {
		t->exit_code = p->exit_code;
	}
	if (!trace_all) {	/* top shows the living only */
		seq = __sync_fetch_and_add(&exit_seq, 1);
		if (bpf_map_update_elem(&exited, &seq, t, BPF_NOEXIST))
			__sync_fetch_and_add(&stats.lost_exits, 1);
	}
	bpf_task_storage_delete(&threads, p);
	return 0;
}

static __always_inline void send_sched(__u16 type, __u64 now, struct thread *t, __u16 reason,
				       __u64 ran, __u32 other_tid, __u32 other_tgid)
{
	struct sched_event e = {
		.ts = now, .duration_ns = ran, .type = type, .reason = reason,
		.tgid = t ? t->tgid : 0, .tid = t ? t->tid : 0,
		.other_tid = other_tid, .other_tgid = other_tgid, .cpu = bpf_get_smp_processor_id(),
	};
	struct scratch *s = bpf_map_lookup_elem(&scratch, &(__u32){ 0 });

	if (s)
		ring_send(s, &e, sizeof(e));
}

/*
 * On- and off-CPU time of traced threads.  A thread switched out while still
 * runnable was preempted; one that went to sleep is off for the reason of
 * the syscall it sleeps in (the slot it is in, from its record).
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct thread *pt = thread_of(prev), *nt = thread_of(next);

	if (trace_all && !nt && next->pid)
		nt = adopt(next);
	__u64 now, ran = 0;
	__u16 reason = OFF_RUNNABLE;

	/* two tests: clang would OR the pointers, which the verifier refuses */
	barrier_var(pt);
	if (!pt) {
		barrier_var(nt);
		if (!nt)
			return 0;
	}
	now = bpf_ktime_get_ns();
	if (pt) {
		struct sched_stats *s = &pt->sched;

		if (preempt || prev_state == 0) {	/* TASK_RUNNING */
			s->involuntary++;
		} else {
			s->voluntary++;
			reason = pt->cur_slot ? spec_of(pt->cur_slot)->wait : OFF_OTHER;
		}
		if (s->on_cpu && s->last_ts) {
			ran = now - s->last_ts;
			s->on_cpu_ns += ran;
		}
		s->on_cpu = 0;
		s->off_reason = reason;
		s->last_ts = now;
	}
	if (nt) {
		struct sched_stats *s = &nt->sched;
		__u32 r = s->off_reason < OFF_REASONS ? s->off_reason : OFF_OTHER;

		if (!s->on_cpu && s->last_ts) {
			if (s->wake_ts > s->last_ts && r != OFF_RUNNABLE) {
				s->off_ns[r] += s->wake_ts - s->last_ts;
				s->off_ns[OFF_RUNNABLE] += now - s->wake_ts;
			} else {
				s->off_ns[r] += now - s->last_ts;
			}
		} else if (!s->last_ts && s->wake_ts) {
			s->off_ns[OFF_RUNNABLE] += now - s->wake_ts;	/* new: woken, not yet run */
		}
		s->on_cpu = 1;
		s->last_ts = now;
	}
	if (emit_sched)
		send_sched(EV_SWITCH, now, pt, reason, ran, nt ? nt->tid : 0, nt ? nt->tgid : 0);
	return 0;
}

static __always_inline int on_wakeup(struct task_struct *p)
{
	struct thread *t = thread_of(p);
	__u64 now;

	if (!t)
		return 0;
	now = bpf_ktime_get_ns();
	t->sched.wake_ts = now;
	t->sched.wakeups++;
	if (emit_sched)
		send_sched(EV_WAKEUP, now, t, 0, 0, (__u32)bpf_get_current_pid_tgid(),
			   bpf_get_current_pid_tgid() >> 32);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p);
}

/* x86's user page faults: a write (bit 1) to a present page (bit 0) is the
 * copy-on-write of a page shared since fork. */
SEC("tp_btf/page_fault_user")
int BPF_PROG(page_fault_user, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	struct thread *t = current_thread();

	if (!t)
		return 0;
	t->sched.faults++;
	if ((error_code & 3) == 3)
		t->sched.cow_faults++;
	return 0;
}

/* --ulocks: a libc lock function was called; which one is the link's cookie.
 * Uprobes trap on every call in every process, so they are opt-in. */
SEC("uprobe")
int BPF_KPROBE(ulock_call)
{
	struct thread *t = current_thread();
	__u64 fn = bpf_get_attach_cookie(ctx);

	if (t && fn < ULOCK_FUNCS)
		t->ulocks[fn]++;
	return 0;
}

/* The live threads' records, for user space: a task storage map has no keys
 * to walk, so this visits every task and writes out those with a record. */
SEC("iter/task")
int dump_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct thread *t;

	if (!task)
		return 0;
	t = thread_of(task);
	if (t)
		bpf_seq_write(ctx->meta->seq, t, sizeof(*t));
	return 0;
}
