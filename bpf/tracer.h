/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tracer.h - the one place that knows the layout of everything the tracer
 * probes share with user space: the per-thread record, the capture specs and
 * the ring buffer events.  Fixed-size fields only, no pointers, so the same
 * bytes mean the same thing on both sides.
 */
#ifndef OSLAB_TRACER_H
#define OSLAB_TRACER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>	/* user space; BPF gets the types from vmlinux.h */
#endif

#define TASK_COMM_LEN 16
#define SC_NR_MAX 512	 /* syscall numbers we index (x86-64 and arm64 stay below) */
#define SC_SLOTS 64	 /* traced syscalls; slot 0 means "not traced" */
#define CAPS_PER_SC 4	 /* user memory captures one syscall may ask for */
#define DATA_MAX 4096	 /* bytes of captured user memory one event can carry */
#define CAP_STR_MAX 256	 /* longest path or argv string kept */
#define CAP_ARGV_MAX 16	 /* argv entries kept for execve */
#define CAP_IOV_MAX 8	 /* iovecs kept for writev/readv/sendmsg/recvmsg */
#define ULOCK_FUNCS 8	 /* libc lock functions counted by --ulocks (user/ulocks.c) */
#define FUTEX_CMDS 16	 /* futex op & FUTEX_CMD_MASK is below this (FUTEX_LOCK_PI2 = 13) */

/* How a thread came to be, from the flags of the call that made it. */
enum thread_origin {
	ORIGIN_ROOT = 0,	/* the traced command or an attached pid */
	ORIGIN_PROCESS = 1,	/* fork, or clone without CLONE_THREAD/CLONE_VFORK */
	ORIGIN_VFORK = 2,	/* vfork or posix_spawn: CLONE_VFORK */
	ORIGIN_THREAD = 3,	/* CLONE_THREAD */
};

/* thread.state bits */
#define THREAD_EXITED 0x1	/* sched_process_exit seen */
#define THREAD_GROUP_DEAD 0x2	/* it was the last thread: exit_code is the process's */
#define THREAD_EXECED 0x4	/* the thread's process called execve successfully */

/* Why a thread is off the CPU: what it was doing when it switched out. */
enum off_reason {
	OFF_OTHER = 0,		/* asleep anywhere else (wait4, a page-in, ...) */
	OFF_RUNNABLE,		/* preempted, or woken and waiting for a CPU */
	OFF_FUTEX,		/* asleep in futex: a lock, a condition, a join */
	OFF_IO,			/* asleep in I/O or a poller: read, accept, poll, epoll_wait */
	OFF_SLEEP,		/* asleep in nanosleep or clock_nanosleep */
	OFF_REASONS,
};

/* What the scheduler and the MMU did to one thread (sched and fault probes). */
struct sched_stats {
	__u64 on_cpu_ns;
	__u64 off_ns[OFF_REASONS];	/* off-CPU time by reason */
	__u64 voluntary;		/* switched out asleep */
	__u64 involuntary;		/* switched out while runnable: preempted */
	__u64 wakeups;
	__u64 faults;			/* user page faults */
	__u64 cow_faults;		/* of which writes to a present page: copy-on-write */
	__u64 last_ts;			/* when it last switched in or out (0: not yet seen) */
	__u64 wake_ts;			/* when it was last woken */
	__u32 off_reason;		/* enum off_reason while off the CPU */
	__u32 on_cpu;			/* 1 while running */
};

struct sc_count {
	__u64 calls;
	__u64 errors;
	__u64 total_ns;
};

/*
 * One per traced thread, keyed by tid while it lives and by an exit sequence
 * number once it has exited.  Only the thread itself writes its counts, so they
 * need no atomics and are exact.
 */
struct thread {
	__u32 tid;
	__u32 tgid;
	__u32 ptid;		/* thread that created it */
	__u32 ppid;		/* process that created it */
	__u64 clone_flags;	/* flags of the creating call (fork: SIGCHLD) */
	__u64 start_ns;		/* CLOCK_MONOTONIC */
	__u64 end_ns;
	__s32 exit_code;	/* wait(2) status: code << 8, or the signal */
	__u16 origin;		/* enum thread_origin */
	__u16 state;		/* THREAD_* bits */
	__u64 cpu_ns;		/* time on a CPU, at exit (se.sum_exec_runtime) */
	__u64 nvcsw;		/* context switches at exit */
	__u64 nivcsw;
	__u64 min_flt;		/* page faults at exit */
	__u64 maj_flt;
	char comm[TASK_COMM_LEN];
	/* the program it runs, for naming futex words by symbol (--locks) */
	__u64 start_code;	/* mm->start_code: where the kernel put the text */
	char exe[128];		/* the path execve was given */
	/* the syscall in flight: entry time and arguments, for the exit probe */
	__u32 cur_slot;		/* 0 = none */
	__u32 cur_nr;
	__u64 cur_ts;
	__u64 cur_args[6];
	__u64 cur_file;		/* close(): the socket's struct file, read at entry */
	struct sc_count counts[SC_SLOTS];
	/* futex calls by operation: [0] shared, [1] FUTEX_PRIVATE_FLAG */
	struct sc_count futex_ops[2][FUTEX_CMDS];
	struct sched_stats sched;
	__u64 ulocks[ULOCK_FUNCS];	/* --ulocks: calls of each libc lock function */
};

/* Where a capture's pointer and length come from. */
enum cap_kind {
	CAP_NONE = 0,
	CAP_BYTES,	/* len bytes at args[ptr_arg] */
	CAP_STR,	/* NUL-terminated string at args[ptr_arg] */
	CAP_STRV,	/* NULL-terminated array of strings (argv) */
	CAP_IOV,	/* struct iovec[len] at args[ptr_arg], then each buffer */
	CAP_MSGHDR,	/* struct msghdr at args[ptr_arg], then name and iovecs */
};

enum cap_len {
	LEN_CONST = 0,	/* unit bytes */
	LEN_ARG,	/* args[len_arg] * unit */
	LEN_RET,	/* return value * unit */
	LEN_ARG_U32,	/* *(u32 *)args[len_arg] * unit, read at capture time */
};

#define CAP_AT_ENTRY 0x1	/* memory changes or vanishes during the call */
#define CAP_IF_OK 0x2		/* only when the call succeeded (output buffers) */
#define CAP_STRSIZE 0x4		/* clamp to the user's -s N, not to max */

struct cap_spec {
	__u8 kind;	/* enum cap_kind */
	__u8 ptr_arg;
	__u8 len_from;	/* enum cap_len */
	__u8 len_arg;
	__u8 flags;	/* CAP_* */
	__u8 pad;
	__u16 unit;
	__u16 max;	/* byte limit (0: DATA_MAX) */
	__u16 pad2;
};

struct sc_spec {
	__u8 flags;	/* SC_* */
	__u8 spawn;	/* enum spawn_kind: where the new task's clone flags are */
	__u8 wait;	/* enum off_reason of a thread asleep in this call */
	__u8 sock;	/* enum sock_op: what it does to a socket (--sockets) */
	__u8 entry_caps;	/* bit i: caps[i] runs at entry (set by the collector) */
	__u8 exit_caps;		/* bit i: caps[i] runs at exit */
	__u8 pad[2];
	struct cap_spec caps[CAPS_PER_SC];
};

#define SC_NORETURN 0x1		/* exit, exit_group: log and count at entry */
#define SC_SELECTED 0x2		/* in -e trace=: counted and logged */
#define SC_ENTRY_CAPS 0x4	/* some capture is CAP_AT_ENTRY: send an EV_ENTER */

enum spawn_kind {
	SPAWN_NONE = 0,
	SPAWN_FORK,	/* fork(): flags are SIGCHLD */
	SPAWN_VFORK,	/* vfork(): CLONE_VM|CLONE_VFORK|SIGCHLD */
	SPAWN_CLONE,	/* clone(): flags in args[0] */
	SPAWN_CLONE3,	/* clone3(): flags in the struct clone_args at args[0] */
};

/* Captured user memory inside an event: a chunk header, then len bytes. */
struct chunk {
	__u8 cap;	/* which cap_spec of the syscall made it */
	__u8 part;	/* CHUNK_* */
	__u16 len;
	__u32 pad;	/* keeps chunk data 8-byte aligned */
};

enum chunk_part {
	CHUNK_DATA = 0,		/* the bytes (or string) themselves */
	CHUNK_FAULT,		/* the pointer could not be read (len 0) */
	CHUNK_STRV_MORE,	/* argv had more entries than were kept (len 0) */
	CHUNK_IOV,		/* raw struct iovec array */
	CHUNK_IOV_DATA,		/* one iovec's buffer, in order */
	CHUNK_MSG,		/* raw struct msghdr */
	CHUNK_MSG_NAME,		/* msghdr's msg_name */
};

enum event_type {
	EV_SYSCALL = 1,		/* a finished (or never-returning) syscall */
	EV_ENTER,		/* memory captured at entry; its EV_SYSCALL follows */
	EV_EXIT,		/* the last thread of a process exited */
	EV_SWITCH,		/* a context switch with a traced thread on either side */
	EV_WAKEUP,		/* a traced thread was woken */
};

struct event {
	__u64 ts;		/* CLOCK_MONOTONIC ns at exit (entry for EV_ENTER) */
	__u64 duration_ns;
	__u32 tgid;
	__u32 tid;
	__u16 type;		/* enum event_type */
	__u16 data_len;		/* bytes of chunks after the header */
	__u32 nr;		/* syscall number */
	__s64 ret;		/* syscall result, or wait status for EV_EXIT */
	__u64 args[6];
};

/*
 * A scheduler event (EV_SWITCH, EV_WAKEUP).  It begins like struct event
 * (ts, duration_ns, tgid, tid, type) so one reader dispatches both.
 */
struct sched_event {
	__u64 ts;
	__u64 duration_ns;	/* EV_SWITCH: how long tid had been on the CPU */
	__u32 tgid;		/* EV_SWITCH: the thread switched out (0: untraced) */
	__u32 tid;		/* EV_WAKEUP: the thread woken */
	__u16 type;
	__u16 reason;		/* EV_SWITCH: enum off_reason of the thread switched out */
	__u32 other_tid;	/* EV_SWITCH: switched in (0: untraced); EV_WAKEUP: the waker */
	__u32 other_tgid;
	__u32 cpu;
};

/* Per futex word (--locks): key struct futex_word {tgid, uaddr}.  Time blocked is in log2
 * slots of microseconds: slot i counts waits of [2^i, 2^(i+1)) us. */
#define FUTEX_HIST_SLOTS 32
struct futex_word {
	__u32 tgid;
	__u32 pad;
	__u64 uaddr;
};

struct futex_stats {
	__u64 waits;		/* wait-kind calls (FUTEX_WAIT, WAIT_BITSET, LOCK_PI...) */
	__u64 wait_errors;	/* of which returned an error: EAGAIN, ETIMEDOUT, EINTR */
	__u64 wait_ns;		/* time blocked in them */
	__u64 wakes;		/* wake-kind calls */
	__u64 woken;		/* waiters they woke (their results) */
	__u64 shared;		/* calls without FUTEX_PRIVATE_FLAG */
	__u64 first_ts, last_ts;
	__u32 hist[FUTEX_HIST_SLOTS];
};

/* Per futex word and thread: who contended (key {tgid, uaddr} + tid). */
struct futex_thread_key {
	struct futex_word f;
	__u32 tid;
	__u32 pad;
};

struct futex_thread_stats {
	__u64 waits;
	__u64 wait_ns;
	__u64 wakes;
};

/* What a syscall does to a socket (--sockets). */
enum sock_op {
	SOCK_NONE = 0,
	SOCK_CREATE,	/* socket(): a new socket at the returned fd */
	SOCK_BIND,	/* bind(): local address known */
	SOCK_LISTEN,	/* listen() */
	SOCK_ACCEPT,	/* accept, accept4: a new connection at the returned fd */
	SOCK_CONNECT,	/* connect(): peer address known */
	SOCK_SEND,	/* write, writev, sendto, sendmsg: bytes out */
	SOCK_RECV,	/* read, readv, recvfrom, recvmsg: bytes in */
	SOCK_SHUTDOWN,
	SOCK_CLOSE,
};

/* sock.state */
enum sock_state {
	SOCKST_CREATED = 0,
	SOCKST_BOUND,
	SOCKST_LISTENING,
	SOCKST_ACCEPTED,
	SOCKST_CONNECTED,
};

/* One socket, keyed by its open file (struct file *): every process that
 * shares it after fork adds to the same record. */
struct sock_rec {
	__u64 open_ns;
	__u64 close_ns;		/* last close of an fd for it (0: open at the end) */
	__u64 bytes_out, bytes_in;
	__u64 sends, recvs;
	__u64 accepted;		/* listening socket: connections accepted from it */
	__u32 tgid, tid;	/* who created (socket) or accepted/connected it */
	__u32 last_tgid, last_tid;	/* the last to send or receive on it */
	__u32 close_tgid;	/* who closed it last */
	__u16 family, type;
	__u16 state;		/* enum sock_state */
	__u16 shut;		/* shutdown how + 1, ORed: 1 RD, 2 WR, 3 RDWR */
	__u16 lport, rport;	/* host order */
	__u32 closes;
	__u8 laddr[16], raddr[16];	/* IPv4 in the first 4 bytes, or IPv6 */
};

struct tracer_stats {
	__u64 lost_events;	/* ring buffer full: events not delivered */
	__u64 lost_futexes;	/* futex map full: a word's stats were not kept */
	__u64 lost_sockets;	/* socket map full */
	__u64 lost_threads;	/* thread map full: a task could not be followed */
	__u64 lost_exits;	/* exited-thread map full: a thread's counts were lost */
};

#endif /* OSLAB_TRACER_H */
