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
#define MAX_ERRNO 4095

/* Set by user space before load. */
const volatile __u8 sc_slot[SC_NR_MAX];		/* syscall nr -> slot, 0: not traced */
const volatile struct sc_spec sc_specs[SC_SLOTS];
const volatile bool emit_events = false;	/* stream calls, not only count them */
const volatile __u32 strsize = 32;		/* -s: bytes of strings and buffers kept */
const volatile __u64 wake_bytes = 1 << 20;	/* wake the reader past this much data */
const volatile __u32 futex_slot;		/* futex's slot: also counted per operation */

struct tracer_stats stats;
__u64 exit_seq;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);			/* tid */
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

/* An event under construction: the header, then chunks.  The data array is
 * twice DATA_MAX so that any masked offset plus any clamped length stays
 * inside it, which is what the verifier needs to see. */
struct scratch {
	__u32 off;		/* where the next chunk goes */
	__u32 slot;		/* syscall being captured */
	bool entry;		/* running the entry captures */
	struct event ev;
	__u8 data[2 * DATA_MAX + sizeof(struct chunk)];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* Never written: the zeroed value a new thread record starts from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thread);
} blank SEC(".maps");

static __always_inline const volatile struct sc_spec *spec_of(__u32 slot)
{
	return &sc_specs[slot & (SC_SLOTS - 1)];
}

/* The syscall calling convention (tp_btf gives a trusted pt_regs pointer). */
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
	for (int i = 0; i < 6; i++)
		a[i] = regs->regs[i];
#else
#error "oslab supports x86-64 and arm64"
#endif
}

static __always_inline bool is_error(long ret)
{
	return ret < 0 && ret >= -MAX_ERRNO;
}

/*
 * Append one chunk of user memory at data offset off; returns the offset after
 * it.  A chunk that does not fit is cut; one whose pointer faults is kept as a
 * CHUNK_FAULT so the decoder can print the address the way strace does.
 */
static __noinline __u32 put_chunk(struct scratch *s, __u32 tag, const void *uptr, __u32 len,
				  bool str)
{
	__u32 off = s->off;
	struct chunk *c;
	__u32 room;
	long n;

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
	if (str)
		n = bpf_probe_read_user_str(&s->data[(off + sizeof(*c)) & (DATA_MAX - 1)], len,
					    uptr);
	else
		n = bpf_probe_read_user(&s->data[(off + sizeof(*c)) & (DATA_MAX - 1)], len,
					uptr) ? -1 : len;
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
static __noinline __u32 put_iov(struct scratch *s, __u32 cap, const struct iovec *uiov,
				__u64 cnt, __u64 total)
{
	struct iovec iov;
	__u32 n = cnt < CAP_IOV_MAX ? cnt : CAP_IOV_MAX;

	put_chunk(s, TAG(cap, CHUNK_IOV), uiov, n * sizeof(iov), false);
	for (__u32 i = 0; i < CAP_IOV_MAX && i < n; i++) {
		__u64 len;

		if (bpf_probe_read_user(&iov, sizeof(iov), &uiov[i]))
			break;
		len = iov.iov_len < total ? iov.iov_len : total;
		total -= len;
		if (len > strsize)
			len = strsize;
		put_chunk(s, TAG(cap, CHUNK_IOV_DATA), iov.iov_base, len, false);
	}
	return s->off;
}

static __noinline __u32 put_argv(struct scratch *s, __u32 cap, const char *const *uargv)
{
	const char *arg;
	__u32 i;

	for (i = 0; i < CAP_ARGV_MAX; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) || !arg)
			return s->off;
		put_chunk(s, TAG(cap, CHUNK_DATA), arg,
			  strsize < CAP_STR_MAX ? strsize + 1 : CAP_STR_MAX, true);
	}
	if (!bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) && arg)
		put_chunk(s, TAG(cap, CHUNK_STRV_MORE), NULL, 0, false);
	return s->off;
}

static __noinline __u32 put_msghdr(struct scratch *s, __u32 cap, const struct user_msghdr *umsg,
				   __u64 total)
{
	struct user_msghdr msg;

	if (bpf_probe_read_user(&msg, sizeof(msg), umsg))
		return put_chunk(s, TAG(cap, CHUNK_FAULT), NULL, 0, false);
	put_chunk(s, TAG(cap, CHUNK_MSG), umsg, sizeof(msg), false);
	if (msg.msg_name && msg.msg_namelen)
		put_chunk(s, TAG(cap, CHUNK_MSG_NAME), msg.msg_name,
			  msg.msg_namelen < 128 ? msg.msg_namelen : 128, false);
	return put_iov(s, cap, msg.msg_iov, msg.msg_iovlen, total);
}

/* Run capture spec i of the syscall in s; returns the new data offset. */
static __noinline __u32 capture(struct scratch *s, __u32 i)
{
	const volatile struct cap_spec *cs = &spec_of(s->slot)->caps[i & (CAPS_PER_SC - 1)];
	const __u64 *args = s->ev.args;
	long ret = s->ev.ret;
	__u32 off = s->off;
	__u64 len = cs->unit;
	const void *ptr;
	__u32 n;

	if (cs->kind == CAP_NONE || !!(cs->flags & CAP_AT_ENTRY) != s->entry)
		return off;
	if ((cs->flags & CAP_IF_OK) && (ret < 0))
		return off;
	ptr = (const void *)arg_at(args, cs->ptr_arg);
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

/* Build and send one event.  A full ring buffer is counted, never silent. */
static __always_inline void emit(struct thread *t, __u16 type, __u32 slot, __u64 now,
				 long ret, bool entry)
{
	__u32 zero = 0, off = 0;
	struct scratch *s;
	__u64 flags;

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
	for (__u32 i = 0; i < CAPS_PER_SC; i++)
		capture(s, i);
	/* put_chunk keeps off <= DATA_MAX; the mask shows the verifier so */
	off = s->off & (2 * DATA_MAX - 1);
	if (off > DATA_MAX)
		off = DATA_MAX;
	s->ev.data_len = off;
	flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wake_bytes ?
			BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, &s->ev, sizeof(s->ev) + off, flags))
		__sync_fetch_and_add(&stats.lost_events, 1);
}

static __always_inline void add(struct sc_count *c, long ret, __u64 ns)
{
	c->calls++;
	c->errors += is_error(ret);
	c->total_ns += ns;
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
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	const volatile struct sc_spec *spec;
	struct thread *t;
	__u32 slot;

	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return 0;
	slot = (__u64)id < SC_NR_MAX ? sc_slot[id] : 0;
	t->cur_slot = slot;
	if (!slot)
		return 0;
	t->cur_nr = id;
	t->cur_ts = bpf_ktime_get_ns();
	read_syscall_args(regs, t->cur_args);
	spec = spec_of(slot);
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

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct thread *t;
	__u64 now;
	__u32 slot;

	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t || !t->cur_slot)
		return 0;
	slot = t->cur_slot;
	t->cur_slot = 0;
	if (!(spec_of(slot)->flags & SC_SELECTED))
		return 0;
	now = bpf_ktime_get_ns();
	count(t, slot, ret, now - t->cur_ts);
	if (emit_events)
		emit(t, EV_SYSCALL, slot, now, ret, false);
	return 0;
}

/* The clone flags of the call the parent is in, for the child's record. */
static __always_inline __u64 spawn_flags(const struct thread *pt)
{
	__u64 flags = 0;

	if (!pt->cur_slot)
		return 0;
	switch (spec_of(pt->cur_slot)->spawn) {
	case SPAWN_FORK:
		return SIGCHLD;
	case SPAWN_VFORK:
		return CLONE_VM | CLONE_VFORK | SIGCHLD;
	case SPAWN_CLONE:
		return pt->cur_args[0];
	case SPAWN_CLONE3:
		bpf_probe_read_user(&flags, sizeof(flags), (void *)pt->cur_args[0]);
		return flags;
	}
	return 0;
}

/* Runs in the parent before the child is first woken: no instruction of a
 * traced tree's child ever runs untraced. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptid = parent->pid, ctid = child->pid, zero = 0;
	struct thread *pt, *ct, *tmpl;

	pt = bpf_map_lookup_elem(&threads, &ptid);
	if (!pt)
		return 0;
	tmpl = bpf_map_lookup_elem(&blank, &zero);
	if (!tmpl)
		return 0;
	if (bpf_map_update_elem(&threads, &ctid, tmpl, BPF_ANY)) {
		__sync_fetch_and_add(&stats.lost_threads, 1);
		return 0;
	}
	ct = bpf_map_lookup_elem(&threads, &ctid);
	if (!ct)
		return 0;
	ct->tid = ctid;
	ct->tgid = child->tgid;
	ct->ptid = ptid;
	ct->ppid = parent->tgid;
	ct->clone_flags = spawn_flags(pt);
	ct->start_ns = bpf_ktime_get_ns();
	if (child->tgid == parent->tgid)
		ct->origin = ORIGIN_THREAD;
	else if (ct->clone_flags & CLONE_VFORK)
		ct->origin = ORIGIN_VFORK;
	else
		ct->origin = ORIGIN_PROCESS;
	__builtin_memcpy(ct->comm, child->comm, TASK_COMM_LEN);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tid = p->pid, old = old_pid;
	struct thread *t;

	/* A non-leader thread that execs takes over the leader's tid. */
	if (old != tid) {
		t = bpf_map_lookup_elem(&threads, &old);
		if (!t)
			return 0;
		t->tid = tid;
		bpf_map_update_elem(&threads, &tid, t, BPF_ANY);
		bpf_map_delete_elem(&threads, &old);
	}
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return 0;
	t->state |= THREAD_EXECED;
	__builtin_memcpy(t->comm, p->comm, TASK_COMM_LEN);
	return 0;
}

/* Runs once per exiting thread: freeze its record under a fresh key so a
 * reused tid can never mix two threads' counts. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u32 tid = p->pid;
	struct signal_struct *sig = p->signal;
	struct thread *t;
	__u64 seq;

	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		return 0;
	t->end_ns = bpf_ktime_get_ns();
	t->state |= THREAD_EXITED;
	t->cpu_ns = p->se.sum_exec_runtime;
	t->nvcsw = p->nvcsw;
	t->nivcsw = p->nivcsw;
	t->min_flt = p->min_flt;
	t->maj_flt = p->maj_flt;
	__builtin_memcpy(t->comm, p->comm, TASK_COMM_LEN);
	if (t->cur_slot)
		t->unfinished++;
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
	seq = __sync_fetch_and_add(&exit_seq, 1);
	if (bpf_map_update_elem(&exited, &seq, t, BPF_NOEXIST))
		__sync_fetch_and_add(&stats.lost_exits, 1);
	bpf_map_delete_elem(&threads, &tid);
	return 0;
}
