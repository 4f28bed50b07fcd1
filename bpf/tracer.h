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
	/* the syscall in flight: entry time and arguments, for the exit probe */
	__u32 cur_slot;		/* 0 = none */
	__u32 cur_nr;
	__u64 cur_ts;
	__u64 cur_args[6];
	__u64 unfinished;	/* syscalls that never returned (killed inside one) */
	struct sc_count counts[SC_SLOTS];
	/* futex calls by operation: [0] shared, [1] FUTEX_PRIVATE_FLAG */
	struct sc_count futex_ops[2][FUTEX_CMDS];
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
	__u8 pad[6];
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

/* Counters the probes keep about themselves, read at the end. */
struct tracer_stats {
	__u64 lost_events;	/* ring buffer full: events not delivered */
	__u64 lost_threads;	/* thread map full: a task could not be followed */
	__u64 lost_exits;	/* exited-thread map full: a thread's counts were lost */
};

#endif /* OSLAB_TRACER_H */
