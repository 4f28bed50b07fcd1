// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * threads.c - threads: create and join, TID vs PID, detached ("daemon")
 * threads, sleeping threads, and a thread pool with a work queue and futures.
 *
 * A thread is a task of its own in the kernel (its own TID, stack and
 * registers) that shares the memory, file descriptors and PID of its process.
 * glibc's pthread_create() is one clone3(CLONE_VM | CLONE_THREAD | ...) call.
 *
 * pthread_mutex_lock/unlock on a default mutex cannot fail, so their return
 * values are not checked; every other call is.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid, pthread_setname_np, accept4, ... */
#endif
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_THREADS 1000	/* --threads limit */
#define MAX_TASKS 10000		/* --tasks limit */
#define POOL_TIMEOUT_MS 10000	/* the pool's results must all come within this */

/* ---- basic: create and join N named threads ------------------------------ */

struct basic_arg {
	int num;		/* 1..N */
	pid_t tid;		/* filled in by the thread */
	pid_t pid;
};

static void *basic_thread(void *p)
{
	struct basic_arg *a = p;
	char name[16];		/* the kernel keeps 15 characters of a thread name */

	snprintf(name, sizeof(name), "Thread #%d", a->num);
	/* naming ourselves is a prctl(PR_SET_NAME); it shows in ps, top and the trace */
	int rc = pthread_setname_np(pthread_self(), name);
	if (rc != 0)
		lab_die_rc("pthread_setname_np", rc);
	a->tid = gettid();
	a->pid = getpid();
	printf("%s: my TID is %d, my PID is %d (shared with main), my stack is near %p\n",
	       name, (int)a->tid, (int)a->pid, (void *)&name);
	return NULL;
}

static int variant_basic(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	struct basic_arg args[MAX_THREADS];
	int distinct = 0, same_pid = 0;

	printf("main: PID %d, TID %d; creating %ld threads\n", (int)getpid(), (int)gettid(),
	       o->threads);
	for (long i = 0; i < o->threads; i++) {
		args[i] = (struct basic_arg){ .num = (int)i + 1 };
		int rc = pthread_create(&th[i], NULL, basic_thread, &args[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	/* every TID is different from main's and from each other's */
	for (long i = 0; i < o->threads; i++) {
		int unique = args[i].tid != getpid();

		for (long j = 0; j < i; j++)
			unique &= args[j].tid != args[i].tid;
		distinct += unique;
		same_pid += args[i].pid == getpid();
	}
	printf("main: joined %ld threads: %d distinct TIDs, %d of them in PID %d\n",
	       o->threads, distinct, same_pid, (int)getpid());
	lab_result("created", o->threads);
	lab_result("distinct_tids", distinct);
	lab_result("same_pid", same_pid);
	return distinct == o->threads && same_pid == o->threads ? 0 : 1;
}

/* ---- tid: getpid() vs gettid() ------------------------------------------- */

static pthread_barrier_t tid_barrier;

static void *tid_thread(void *p)
{
	long num = (long)(intptr_t)p;

	printf("thread %ld: getpid() = %d, gettid() = %d, pthread_self() = %#lx\n", num,
	       (int)getpid(), (int)gettid(), (unsigned long)pthread_self());
	/* stay alive until main has listed /proc/self/task */
	pthread_barrier_wait(&tid_barrier);
	pthread_barrier_wait(&tid_barrier);
	return NULL;
}

static int variant_tid(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	int tasks = 0;

	printf("main: getpid() = %d, gettid() = %d: in the main thread they are equal\n",
	       (int)getpid(), (int)gettid());
	int rc = pthread_barrier_init(&tid_barrier, NULL, (unsigned)o->threads + 1);
	if (rc != 0)
		lab_die_rc("pthread_barrier_init", rc);
	for (long i = 0; i < o->threads; i++) {
		rc = pthread_create(&th[i], NULL, tid_thread, (void *)(intptr_t)(i + 1));
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	pthread_barrier_wait(&tid_barrier);	/* all threads have printed */

	/* the kernel's view: one directory per thread (task) of our process */
	DIR *d = opendir("/proc/self/task");
	if (!d) {
		perror("opendir /proc/self/task");
		exit(1);
	}
	printf("main: /proc/%d/task lists the TIDs of every thread of this process:", (int)getpid());
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		printf(" %s", e->d_name);
		tasks++;
	}
	printf("\n");
	closedir(d);

	pthread_barrier_wait(&tid_barrier);	/* let them finish */
	for (long i = 0; i < o->threads; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	pthread_barrier_destroy(&tid_barrier);
	printf("main: %d tasks = main + %ld threads; \"PID\" is the thread group, "
	       "\"TID\" one task in it\n", tasks, o->threads);
	lab_result("main_pid_is_tid", getpid() == gettid());
	lab_result("tasks_seen", tasks);
	return tasks == o->threads + 1 ? 0 : 1;
}

/* ---- detached: daemon threads die with the process ------------------------ */

static atomic_long daemon_ticks;
static atomic_int daemons_running;

static void *daemon_thread(void *p)
{
	long num = (long)(intptr_t)p;

	atomic_fetch_add(&daemons_running, 1);
	for (int tick = 1;; tick++) {	/* forever: nobody will stop us but exit() */
		printf("daemon thread %ld (TID %d): still running, tick %d\n", num, (int)gettid(), tick);
		atomic_fetch_add(&daemon_ticks, 1);
		lab_sleep_ms(100);
	}
	return NULL;
}

static int variant_detached(const struct lab_opts *o)
{
	pthread_attr_t attr;

	/* detached: nobody joins them; their resources go back when they end */
	int rc = pthread_attr_init(&attr);
	if (rc == 0)
		rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (rc != 0)
		lab_die_rc("pthread_attr", rc);
	for (long i = 0; i < o->threads; i++) {
		pthread_t th;

		rc = pthread_create(&th, &attr, daemon_thread, (void *)(intptr_t)(i + 1));
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	pthread_attr_destroy(&attr);

	/* let them all get going, then give them o->ms to run */
	for (int waited = 0; atomic_load(&daemons_running) < o->threads && waited < 5000; waited++)
		lab_sleep_ms(1);
	lab_sleep_ms(o->ms);
	long ticks = atomic_load(&daemon_ticks);
	int running = atomic_load(&daemons_running);
	printf("main: after %ld ms, %d detached threads are still running (%ld ticks so far)\n",
	       o->ms, running, ticks);
	printf("main: returning from main: exit() makes an exit_group() system call, which ends "
	       "every thread of the process, daemons included\n");
	lab_result("running_at_exit", running);
	lab_result("ticks_before_exit", ticks);
	return running == o->threads ? 0 : 1;	/* main returns: the process exits */
}

/* ---- sleep: N threads sleep at the same time ------------------------------ */

static void *sleep_thread(void *p)
{
	long ms = (long)(intptr_t)p;

	lab_sleep_ms(ms);	/* a nanosleep() system call: this thread alone is blocked */
	return NULL;
}

static int variant_sleep(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	long start = lab_now_ms();

	printf("main: %ld threads will each sleep %ld ms\n", o->threads, o->ms);
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_create(&th[i], NULL, sleep_thread, (void *)(intptr_t)o->ms);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	long elapsed = lab_now_ms() - start;
	printf("main: all %ld threads done after %ld ms of wall time, not %ld ms: "
	       "they slept at the same time\n", o->threads, elapsed, o->threads * o->ms);
	lab_result("elapsed_ms", elapsed);
	return 0;
}

/* ---- pool: a thread pool with a work queue and futures -------------------- */

/* A future: a result that a worker fills in later. */
struct future {
	long input;
	long result;
	int worker;		/* who computed it */
	struct future *next_done;	/* in the completion list */
};

/*
 * The pool: a queue of submitted futures, one mutex, and two condition
 * variables, "work" (a task was queued, or shut down) and "done" (a result is
 * ready).  Every field is read and written with the mutex held.
 */
struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_cond_t done;
	struct future **queue;	/* submitted, not yet taken: queue[head..tail) */
	long head, tail;
	struct future *done_list;	/* finished, not yet seen by main */
	int shutdown;
};

struct worker_arg {
	struct pool *pool;
	int num;
};

static void *pool_worker(void *p)
{
	struct worker_arg *a = p;
	struct pool *pool = a->pool;
	char name[16];

	snprintf(name, sizeof(name), "worker-%d", a->num);
	pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (pool->head == pool->tail && !pool->shutdown)
			pthread_cond_wait(&pool->work, &pool->lock);	/* sleeps in futex */
		if (pool->head == pool->tail)
			break;	/* shut down and nothing left */
		struct future *f = pool->queue[pool->head++];
		pthread_mutex_unlock(&pool->lock);

		/* the work, done without the lock so the other workers can proceed */
		lab_sleep_ms(10 * ((f->input * 7) % 5));	/* uneven durations: out-of-order completion */
		f->result = f->input * f->input;
		f->worker = a->num;

		pthread_mutex_lock(&pool->lock);
		f->next_done = pool->done_list;
		pool->done_list = f;
		pthread_cond_signal(&pool->done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

static int variant_pool(const struct lab_opts *o)
{
	struct pool pool = { .head = 0, .tail = 0, .done_list = NULL, .shutdown = 0 };
	pthread_t th[MAX_THREADS];
	struct worker_arg args[MAX_THREADS];
	struct future *futures = calloc((size_t)o->tasks, sizeof(*futures));
	pthread_condattr_t cattr;
	long got = 0, ok = 0;
	int rc;

	pool.queue = calloc((size_t)o->tasks, sizeof(*pool.queue));
	if (!futures || !pool.queue) {
		perror("calloc");
		exit(1);
	}
	/* timed waits on the monotonic clock, so a change of the date cannot matter */
	rc = pthread_condattr_init(&cattr);
	if (rc == 0)
		rc = pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_mutex_init(&pool.lock, NULL);
	if (rc == 0)
		rc = pthread_cond_init(&pool.work, &cattr);
	if (rc == 0)
		rc = pthread_cond_init(&pool.done, &cattr);
	if (rc != 0)
		lab_die_rc("pool init", rc);

	printf("main: a pool of %ld worker threads squares %ld numbers\n", o->workers, o->tasks);
	for (long i = 0; i < o->workers; i++) {
		args[i] = (struct worker_arg){ &pool, (int)i + 1 };
		rc = pthread_create(&th[i], NULL, pool_worker, &args[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}

	/* submit: each task gets a future; a worker will fill it in */
	pthread_mutex_lock(&pool.lock);
	for (long i = 0; i < o->tasks; i++) {
		futures[i].input = i + 1;
		pool.queue[pool.tail++] = &futures[i];
	}
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);

	/* as_completed: print each result the moment it is ready */
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += POOL_TIMEOUT_MS / 1000;
	pthread_mutex_lock(&pool.lock);
	while (got < o->tasks) {
		while (!pool.done_list) {
			rc = pthread_cond_timedwait(&pool.done, &pool.lock, &deadline);
			if (rc == ETIMEDOUT) {
				fprintf(stderr, "main: no result within %d ms; giving up\n",
					POOL_TIMEOUT_MS);
				exit(1);	/* ends the workers too */
			}
		}
		struct future *f = pool.done_list;
		pool.done_list = f->next_done;
		got++;
		ok += f->result == f->input * f->input;
		printf("main: result %ld: %ld squared is %ld (worker %d)\n", got, f->input,
		       f->result, f->worker);
	}
	pool.shutdown = 1;
	pthread_cond_broadcast(&pool.work);	/* wake idle workers so they see shutdown */
	pthread_mutex_unlock(&pool.lock);

	for (long i = 0; i < o->workers; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	printf("main: %ld of %ld results correct; the pool is shut down\n", ok, o->tasks);
	lab_result("results", got);
	lab_result("results_ok", ok);
	pthread_cond_destroy(&pool.work);
	pthread_cond_destroy(&pool.done);
	pthread_mutex_destroy(&pool.lock);
	free(pool.queue);
	free(futures);
	return ok == o->tasks ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "basic", "create and join N threads named \"Thread #1\"...: own TIDs, one shared PID",
	  variant_basic, { { "threads", 4 } } },
	{ "tid", "getpid() vs gettid() in main and in threads; /proc/self/task lists them",
	  variant_tid, { { "threads", 2 } } },
	{ "detached", "detached (daemon) threads still running when main returns die with the process",
	  variant_detached, { { "threads", 2 }, { "ms", 350 } } },
	{ "sleep", "N threads each sleep --ms: they finish together, not one after another",
	  variant_sleep, { { "threads", 10 }, { "ms", 1000 } } },
	{ "pool", "a pool of worker threads with a work queue and futures; results as they complete",
	  variant_pool, { { "workers", 3 }, { "tasks", 10 } } },
};

static const struct lab_option options[] = {
	{ "threads", offsetof(struct lab_opts, threads), 1, MAX_THREADS, "threads to create" },
	{ "ms", offsetof(struct lab_opts, ms), 0, 10000,
	  "milliseconds to sleep (sleep) or before main returns (detached)" },
	{ "workers", offsetof(struct lab_opts, workers), 1, 64, "worker threads in the pool" },
	{ "tasks", offsetof(struct lab_opts, tasks), 1, MAX_TASKS, "numbers to square" },
};

static const struct lab threads_lab = {
	.name = "threads",
	.summary = "Threads: create and join, TID vs PID, detached threads, sleeping threads, a thread pool.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  threads basic                   4 threads: 4 clone3() calls, one PID\n"
		"  threads basic --threads 8\n"
		"  threads tid                     compare getpid() and gettid()\n"
		"  threads sleep --threads 10 --ms 1000\n"
		"                                  10 x 1 s of sleep in about 1 s\n"
		"  threads pool --workers 3 --tasks 10\n",
};

int main(int argc, char **argv)
{
	return lab_main(&threads_lab, argc, argv);
}
