// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * locks.c - synchronisation: a race and its fixes (mutex, atomic), a
 * recursive mutex, a bounded queue with condition variables, a semaphore, a
 * reader/writer lock, a deadlock caught by a timeout, a futex hand-off with
 * exact counts, and an uncontended mutex that never enters the kernel.
 *
 * Where the kernel comes in: a pthread mutex, condition variable, semaphore
 * or rwlock is a word in our memory.  Taking a free one is one atomic
 * instruction in user space; only a thread that must WAIT makes a futex()
 * system call (FUTEX_WAIT_PRIVATE), and only an unlock that finds a waiter
 * makes one to wake it (FUTEX_WAKE_PRIVATE).  So the number of futex calls
 * tells how often threads actually collided.
 *
 * pthread_mutex_lock/unlock on a default mutex cannot fail, so their return
 * values are not checked; every other call is.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid, pthread_setname_np, accept4, ... */
#endif
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_THREADS 64		/* --threads, --producers, ... limit */
#define WAIT_TIMEOUT_MS 5000	/* no wait in this lab lasts longer than this */
#define POLL_MS 1		/* how often we look again while polling */

/* ---- race: no lock, lost updates ------------------------------------------ */

/*
 * volatile makes the compiler load, add and store on every iteration instead
 * of adding iters at once.  It does not make the three steps atomic: two
 * threads can load the same value, and one of their two stores is lost.
 */
static volatile long race_counter;

static void *race_thread(void *p)
{
	long iters = *(const long *)p;

	for (long i = 0; i < iters; i++)
		race_counter = race_counter + 1;	/* load, add 1, store: not atomic */
	return NULL;
}

static int variant_race(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	long expected = o->threads * o->iters;

	printf("%ld threads each add 1 to a shared counter %ld times, with no lock\n",
	       o->threads, o->iters);
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_create(&th[i], NULL, race_thread, (void *)&o->iters);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	printf("counter = %ld, expected %ld: %ld updates lost (%.2f%%)\n", race_counter, expected,
	       expected - race_counter, 100.0 * (double)(expected - race_counter) / (double)expected);
	if (race_counter < expected)
		printf("two threads loaded the same value and both stored value + 1: one add vanished\n");
	else
		printf("no update was lost this time (threads that rarely overlap can be lucky)\n");
	lab_result("counter", race_counter);
	lab_result("expected", expected);
	lab_result("lost", expected - race_counter);
	return 0;	/* a lost update is what this variant shows, not a failure */
}

/* ---- mutex: the same with a lock ------------------------------------------ */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;		/* only touched with counter_lock held */

static void *mutex_thread(void *p)
{
	long iters = *(const long *)p;

	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&counter_lock);	/* futex wait only if another thread holds it */
		counter = counter + 1;
		pthread_mutex_unlock(&counter_lock);	/* futex wake only if someone waits */
	}
	return NULL;
}

static int variant_mutex(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	long expected = o->threads * o->iters;

	printf("%ld threads each add 1 to a shared counter %ld times, holding a mutex (%p)\n",
	       o->threads, o->iters, (void *)&counter_lock);
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_create(&th[i], NULL, mutex_thread, (void *)&o->iters);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	printf("counter = %ld, expected %ld: %s\n", counter, expected,
	       counter == expected ? "exact, no update lost" : "WRONG");
	lab_result("counter", counter);
	lab_result("expected", expected);
	return counter == expected ? 0 : 1;
}

/* ---- recursive: a lock its holder may take again; a Point ------------------ */

static pthread_mutex_t rlock;	/* PTHREAD_MUTEX_RECURSIVE, set up in the variant */
static long rtotal;
static struct point {
	long x, y;		/* must change together: x == y whenever rlock is free */
} pt;

static void add_one(void)
{
	pthread_mutex_lock(&rlock);	/* second time for this thread: only a count goes up */
	rtotal++;
	pthread_mutex_unlock(&rlock);
}

static void add_two(void)
{
	pthread_mutex_lock(&rlock);
	add_one();		/* locks rlock again while we hold it */
	add_one();
	pthread_mutex_unlock(&rlock);
}

static void move_point(void)
{
	pthread_mutex_lock(&rlock);
	pt.x++;
	/* without the lock another thread could read the point right here */
	pt.y++;
	pthread_mutex_unlock(&rlock);
}

static int point_is_whole(void)
{
	pthread_mutex_lock(&rlock);
	int whole = pt.x == pt.y;
	pthread_mutex_unlock(&rlock);
	return whole;
}

static atomic_long torn_reads;

static void *recursive_thread(void *p)
{
	long iters = *(const long *)p;

	for (long i = 0; i < iters; i++) {
		add_two();
		move_point();
		if (!point_is_whole())
			atomic_fetch_add(&torn_reads, 1);
	}
	return NULL;
}

static int variant_recursive(const struct lab_opts *o)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t check;
	pthread_t th[MAX_THREADS];
	int rc;

	/* 1. a thread locking a mutex it already holds: the error-checking kind says so */
	rc = pthread_mutexattr_init(&attr);
	if (rc == 0)
		rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	if (rc == 0)
		rc = pthread_mutex_init(&check, &attr);
	if (rc != 0)
		lab_die_rc("errorcheck mutex init", rc);
	rc = pthread_mutex_lock(&check);
	if (rc != 0)
		lab_die_rc("pthread_mutex_lock", rc);
	int relock = pthread_mutex_lock(&check);
	printf("an error-checking mutex locked twice by one thread: the second lock returns %s (%s)\n"
	       "  (a default mutex would wait for itself forever; a recursive one counts)\n",
	       relock == EDEADLK ? "EDEADLK" : "?", strerror(relock));
	pthread_mutex_unlock(&check);
	pthread_mutex_destroy(&check);

	/* 2. the recursive kind: add_two() holds it and calls add_one(), which locks again */
	rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	if (rc == 0)
		rc = pthread_mutex_init(&rlock, &attr);
	if (rc != 0)
		lab_die_rc("recursive mutex init", rc);
	pthread_mutexattr_destroy(&attr);

	printf("%ld threads each call add_two() %ld times (lock, add_one() twice, unlock),\n"
	       "move a Point (x and y together) and check x == y, all under one recursive mutex %p\n",
	       o->threads, o->iters, (void *)&rlock);
	for (long i = 0; i < o->threads; i++) {
		rc = pthread_create(&th[i], NULL, recursive_thread, (void *)&o->iters);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	long expected = 2 * o->threads * o->iters;
	long torn = atomic_load(&torn_reads);
	printf("total = %ld, expected %ld; Point = (%ld, %ld); reads that saw x != y: %ld\n",
	       rtotal, expected, pt.x, pt.y, torn);
	pthread_mutex_destroy(&rlock);
	lab_result("relock_edeadlk", relock == EDEADLK);
	lab_result("counter", rtotal);
	lab_result("expected", expected);
	lab_result("point_x", pt.x);
	lab_result("point_y", pt.y);
	lab_result("torn_reads", torn);
	return relock == EDEADLK && rtotal == expected && pt.x == pt.y && torn == 0 ? 0 : 1;
}

/* ---- atomic: exact without any lock --------------------------------------- */

static atomic_long atomic_counter;

static void *atomic_thread(void *p)
{
	long iters = *(const long *)p;

	for (long i = 0; i < iters; i++)
		atomic_fetch_add(&atomic_counter, 1);	/* one "lock add" instruction */
	return NULL;
}

static int variant_atomic(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];
	long expected = o->threads * o->iters;

	printf("%ld threads each add 1 %ld times with atomic_fetch_add(): no lock at all\n",
	       o->threads, o->iters);
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_create(&th[i], NULL, atomic_thread, (void *)&o->iters);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	/*
	 * pthread_join() would sleep in futex() on the thread's TID word (the
	 * kernel clears it and wakes us when the thread exits).  To keep this
	 * variant free of futex calls we poll with pthread_tryjoin_np() instead.
	 */
	for (long i = 0; i < o->threads; i++) {
		int rc, waited = 0;

		while ((rc = pthread_tryjoin_np(th[i], NULL)) == EBUSY && waited < WAIT_TIMEOUT_MS) {
			lab_sleep_ms(POLL_MS);
			waited += POLL_MS;
		}
		if (rc != 0)
			lab_die_rc("pthread_tryjoin_np", rc);
	}
	long total = atomic_load(&atomic_counter);
	printf("counter = %ld, expected %ld: %s; and no futex() call was needed\n", total, expected,
	       total == expected ? "exact" : "WRONG");
	lab_result("counter", total);
	lab_result("expected", expected);
	return total == expected ? 0 : 1;
}

/* ---- condvar: a bounded queue of 5 ---------------------------------------- */

#define QUEUE_SIZE 5		/* slots in the bounded queue */
#define SENTINEL 0		/* "no more items": one per consumer (items are 1..N) */

static struct bqueue {
	pthread_mutex_t lock;
	pthread_cond_t not_full;	/* signalled by get: a slot is free */
	pthread_cond_t not_empty;	/* signalled by put: an item is there */
	int items[QUEUE_SIZE];
	int head, count;
	int max_count;		/* the fullest we ever saw it */
} q;

/* put: wait while the queue is full, then add and wake one waiting consumer */
static void queue_put(int item)
{
	struct timespec deadline = lab_deadline(CLOCK_MONOTONIC, WAIT_TIMEOUT_MS);

	pthread_mutex_lock(&q.lock);
	while (q.count == QUEUE_SIZE) {
		if (pthread_cond_timedwait(&q.not_full, &q.lock, &deadline) == ETIMEDOUT) {
			fprintf(stderr, "put: queue full for %d ms; giving up\n", WAIT_TIMEOUT_MS);
			exit(1);
		}
	}
	q.items[(q.head + q.count) % QUEUE_SIZE] = item;
	q.count++;
	if (q.count > q.max_count)
		q.max_count = q.count;
	pthread_cond_signal(&q.not_empty);
	pthread_mutex_unlock(&q.lock);
}

/* get: wait while the queue is empty, then take and wake one waiting producer */
static int queue_get(void)
{
	struct timespec deadline = lab_deadline(CLOCK_MONOTONIC, WAIT_TIMEOUT_MS);

	pthread_mutex_lock(&q.lock);
	while (q.count == 0) {
		if (pthread_cond_timedwait(&q.not_empty, &q.lock, &deadline) == ETIMEDOUT) {
			fprintf(stderr, "get: queue empty for %d ms; giving up\n", WAIT_TIMEOUT_MS);
			exit(1);
		}
	}
	int item = q.items[q.head];
	q.head = (q.head + 1) % QUEUE_SIZE;
	q.count--;
	pthread_cond_signal(&q.not_full);
	pthread_mutex_unlock(&q.lock);
	return item;
}

struct pc_arg {
	int num;		/* 0..N-1 */
	long nthreads;		/* producers: how many share the items */
	long items;
	long count;		/* consumers: items taken */
	long sum;
};

static void *producer(void *p)
{
	struct pc_arg *a = p;

	/* producer k puts items k+1, k+1+P, k+1+2P, ...: together 1..items */
	for (long item = a->num + 1; item <= a->items; item += a->nthreads) {
		queue_put((int)item);
		a->count++;
	}
	return NULL;
}

static void *consumer(void *p)
{
	struct pc_arg *a = p;

	for (;;) {
		int item = queue_get();
		if (item == SENTINEL)
			break;	/* our own stop sign: end cleanly, holding nothing */
		a->count++;
		a->sum += item;
		lab_sleep_ms(1);	/* "process" the item, so the consumers share the work */
	}
	printf("consumer %d: got the sentinel after %ld items; exiting\n", a->num + 1, a->count);
	return NULL;
}

static int variant_condvar(const struct lab_opts *o)
{
	pthread_t pth[MAX_THREADS], cth[MAX_THREADS];
	struct pc_arg pa[MAX_THREADS], ca[MAX_THREADS];
	pthread_condattr_t cattr;
	long produced = 0, consumed = 0, sum = 0;
	int rc;

	/* the timed waits use the monotonic clock: a change of the date cannot matter */
	rc = pthread_condattr_init(&cattr);
	if (rc == 0)
		rc = pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_mutex_init(&q.lock, NULL);
	if (rc == 0)
		rc = pthread_cond_init(&q.not_full, &cattr);
	if (rc == 0)
		rc = pthread_cond_init(&q.not_empty, &cattr);
	if (rc != 0)
		lab_die_rc("queue init", rc);
	pthread_condattr_destroy(&cattr);

	printf("producers: %ld, putting items 1..%ld into a queue of %d; consumers: %ld\n",
	       o->producers, o->items, QUEUE_SIZE, o->consumers);
	for (long i = 0; i < o->consumers; i++) {
		ca[i] = (struct pc_arg){ .num = (int)i };
		rc = pthread_create(&cth[i], NULL, consumer, &ca[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->producers; i++) {
		pa[i] = (struct pc_arg){ .num = (int)i, .nthreads = o->producers, .items = o->items };
		rc = pthread_create(&pth[i], NULL, producer, &pa[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->producers; i++) {
		rc = pthread_join(pth[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
		produced += pa[i].count;
	}
	printf("main: producers done (%ld items); putting one sentinel per consumer\n", produced);
	for (long i = 0; i < o->consumers; i++)
		queue_put(SENTINEL);
	for (long i = 0; i < o->consumers; i++) {
		rc = pthread_join(cth[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
		printf("main: consumer %ld consumed %ld items\n", i + 1, ca[i].count);
		consumed += ca[i].count;
		sum += ca[i].sum;
	}
	long want_sum = o->items * (o->items + 1) / 2;
	printf("main: produced %ld, consumed %ld, sum %ld (expected %ld); the queue never held "
	       "more than %d\n", produced, consumed, sum, want_sum, q.max_count);
	lab_result("produced", produced);
	lab_result("consumed", consumed);
	lab_result("sum_ok", sum == want_sum);
	lab_result("queue_size", QUEUE_SIZE);
	lab_result("max_queue_len", q.max_count);
	return produced == o->items && consumed == o->items && sum == want_sum ? 0 : 1;
}

/* ---- semaphore: at most K threads at once --------------------------------- */

static sem_t slots;		/* starts at K: each sem_wait takes a slot, sem_post returns it */
static atomic_int inside, max_inside;

static void *sem_thread(void *p)
{
	int num = (int)(intptr_t)p;
	struct timespec deadline = lab_deadline(CLOCK_REALTIME, WAIT_TIMEOUT_MS);

	if (sem_timedwait(&slots, &deadline) < 0) {	/* sleeps in futex while 0 */
		perror("sem_timedwait");
		exit(1);
	}
	int now = atomic_fetch_add(&inside, 1) + 1;
	int seen = atomic_load(&max_inside);
	while (now > seen && !atomic_compare_exchange_weak(&max_inside, &seen, now))
		;	/* raise the maximum unless another thread raised it further */
	printf("thread %d: in the critical section, %d inside now\n", num, now);
	lab_sleep_ms(50);
	atomic_fetch_sub(&inside, 1);
	if (sem_post(&slots) < 0) {
		perror("sem_post");
		exit(1);
	}
	return NULL;
}

static int variant_semaphore(const struct lab_opts *o)
{
	pthread_t th[MAX_THREADS];

	if (sem_init(&slots, 0, (unsigned)o->limit) < 0) {	/* 0: shared by threads only */
		perror("sem_init");
		exit(1);
	}
	printf("%ld threads, a semaphore with %ld slots: at most %ld in the critical section\n",
	       o->threads, o->limit, o->limit);
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_create(&th[i], NULL, sem_thread, (void *)(intptr_t)(i + 1));
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < o->threads; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	sem_destroy(&slots);
	int max = atomic_load(&max_inside);
	printf("at most %d threads were inside at once (limit %ld)\n", max, o->limit);
	lab_result("max_concurrency", max);
	return max <= o->limit ? 0 : 1;
}

/* ---- rwlock: readers together, writers alone ------------------------------ */

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long table_value;	/* the shared data: written only under the write lock */
static atomic_int readers_in, writers_in, max_readers;
static atomic_long reads, writes, violations;

static void *reader(void *p)
{
	long rounds = *(const long *)p;

	for (long i = 0; i < rounds; i++) {
		pthread_rwlock_rdlock(&table_lock);	/* shared: other readers may hold it too */
		int now = atomic_fetch_add(&readers_in, 1) + 1;
		int seen = atomic_load(&max_readers);
		while (now > seen && !atomic_compare_exchange_weak(&max_readers, &seen, now))
			;
		if (atomic_load(&writers_in) != 0)
			atomic_fetch_add(&violations, 1);
		(void)table_value;
		lab_sleep_ms(10);
		atomic_fetch_sub(&readers_in, 1);
		atomic_fetch_add(&reads, 1);
		pthread_rwlock_unlock(&table_lock);
		lab_sleep_ms(5);	/* between reads, so writers get a turn */
	}
	return NULL;
}

static void *writer(void *p)
{
	long rounds = *(const long *)p;

	for (long i = 0; i < rounds; i++) {
		pthread_rwlock_wrlock(&table_lock);	/* exclusive: no reader, no other writer */
		if (atomic_fetch_add(&writers_in, 1) != 0 || atomic_load(&readers_in) != 0)
			atomic_fetch_add(&violations, 1);
		table_value++;
		lab_sleep_ms(10);
		atomic_fetch_sub(&writers_in, 1);
		atomic_fetch_add(&writes, 1);
		pthread_rwlock_unlock(&table_lock);
		lab_sleep_ms(5);
	}
	return NULL;
}

static int variant_rwlock(const struct lab_opts *o)
{
	pthread_t th[2 * MAX_THREADS];
	long n = 0;

	printf("%ld readers and %ld writers, %ld rounds each, share one pthread_rwlock (%p)\n",
	       o->readers, o->writers, o->rounds, (void *)&table_lock);
	for (long i = 0; i < o->readers + o->writers; i++) {
		int rc = pthread_create(&th[n++], NULL, i < o->readers ? reader : writer,
					(void *)&o->rounds);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (long i = 0; i < n; i++) {
		int rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	printf("%ld reads, %ld writes; up to %d readers held the lock together; "
	       "a writer was never with anyone else: %s\n", atomic_load(&reads), atomic_load(&writes),
	       atomic_load(&max_readers), atomic_load(&violations) == 0 ? "yes" : "NO");
	lab_result("reads", atomic_load(&reads));
	lab_result("writes", atomic_load(&writes));
	lab_result("max_readers_together", atomic_load(&max_readers));
	lab_result("violations", atomic_load(&violations));
	lab_result("value", table_value);
	return atomic_load(&violations) == 0 && table_value == o->writers * o->rounds ? 0 : 1;
}

/* ---- deadlock: opposite lock order, caught by a timeout ------------------- */

static pthread_mutex_t lock1 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold, both_tried;
static atomic_int timeouts;

struct dl_arg {
	const char *name;
	pthread_mutex_t *first, *second;
	const char *first_name, *second_name;
	long timeout_ms;
};

static void *deadlock_thread(void *p)
{
	struct dl_arg *a = p;

	pthread_mutex_lock(a->first);
	printf("%s: holds %s, now wants %s\n", a->name, a->first_name, a->second_name);
	pthread_barrier_wait(&both_hold);	/* make sure the other holds its first lock too */

	/* a plain lock here would wait forever; the timed lock gives up */
	struct timespec deadline = lab_deadline(CLOCK_REALTIME, a->timeout_ms);
	long start = lab_now_ms();
	int rc = pthread_mutex_timedlock(a->second, &deadline);
	if (rc == ETIMEDOUT) {
		printf("%s: gave up on %s after %ld ms: the other thread holds it and waits for "
		       "%s, which we hold: a DEADLOCK\n", a->name, a->second_name, lab_now_ms() - start,
		       a->first_name);
		atomic_fetch_add(&timeouts, 1);
	} else if (rc != 0) {
		lab_die_rc("pthread_mutex_timedlock", rc);
	}
	/* keep holding our first lock until both have tried: both must time out */
	pthread_barrier_wait(&both_tried);
	if (rc == 0)
		pthread_mutex_unlock(a->second);
	pthread_mutex_unlock(a->first);
	return NULL;
}

#define ORDERED_ITERS 10000	/* lock pairs per thread in the fixed-order step */

static long ordered_total;

static void *ordered_thread(void *p)
{
	struct dl_arg *a = p;

	for (int i = 0; i < ORDERED_ITERS; i++) {
		/* both threads take lock1 first, then lock2: nobody can hold the second and wait */
		struct timespec deadline = lab_deadline(CLOCK_REALTIME, a->timeout_ms);
		int rc = pthread_mutex_timedlock(&lock1, &deadline);
		if (rc == 0) {
			rc = pthread_mutex_timedlock(&lock2, &deadline);
			if (rc == 0) {
				ordered_total++;
				pthread_mutex_unlock(&lock2);
			}
			pthread_mutex_unlock(&lock1);
		}
		if (rc == ETIMEDOUT)
			atomic_fetch_add(&timeouts, 1);
		else if (rc != 0)
			lab_die_rc("pthread_mutex_timedlock", rc);
	}
	return NULL;
}

static int variant_deadlock(const struct lab_opts *o)
{
	struct dl_arg args[2] = {
		{ "thread A", &lock1, &lock2, "lock 1", "lock 2", o->timeout_ms },
		{ "thread B", &lock2, &lock1, "lock 2", "lock 1", o->timeout_ms },
	};
	pthread_t th[2];
	int rc;

	rc = pthread_barrier_init(&both_hold, NULL, 2);
	if (rc == 0)
		rc = pthread_barrier_init(&both_tried, NULL, 2);
	if (rc != 0)
		lab_die_rc("pthread_barrier_init", rc);

	printf("step 1: thread A takes lock 1 then lock 2; thread B takes lock 2 then lock 1\n");
	for (int i = 0; i < 2; i++) {
		rc = pthread_create(&th[i], NULL, deadlock_thread, &args[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (int i = 0; i < 2; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	int deadlock_timeouts = atomic_exchange(&timeouts, 0);
	printf("step 1: %d of 2 threads timed out: deadlock %s\n", deadlock_timeouts,
	       deadlock_timeouts > 0 ? "detected" : "NOT detected");

	printf("step 2: the fix: both threads take lock 1 first, then lock 2, %d times each\n",
	       ORDERED_ITERS);
	for (int i = 0; i < 2; i++) {
		rc = pthread_create(&th[i], NULL, ordered_thread, &args[i]);
		if (rc != 0)
			lab_die_rc("pthread_create", rc);
	}
	for (int i = 0; i < 2; i++) {
		rc = pthread_join(th[i], NULL);
		if (rc != 0)
			lab_die_rc("pthread_join", rc);
	}
	int ordered_timeouts = atomic_load(&timeouts);
	int ordered_ok = ordered_timeouts == 0 && ordered_total == 2 * ORDERED_ITERS;
	printf("step 2: %ld lock pairs taken, %d timeouts: %s\n", ordered_total, ordered_timeouts,
	       ordered_ok ? "no deadlock with one lock order" : "FAILED");
	pthread_barrier_destroy(&both_hold);
	pthread_barrier_destroy(&both_tried);
	lab_result("deadlock_detected", deadlock_timeouts > 0);
	lab_result("deadlock_timeouts", deadlock_timeouts);
	lab_result("ordered_pairs", ordered_total);
	lab_result("ordered_ok", ordered_ok);
	return deadlock_timeouts == 2 && ordered_ok ? 0 : 1;
}

/* ---- handoff: raw futex, exact counts ------------------------------------ */

/*
 * The futex word: the last round main has released.  B sleeps in
 * FUTEX_WAIT_PRIVATE while it is below B's round; main raises it and calls
 * FUTEX_WAKE_PRIVATE.  It is its own word, used by nothing else.
 */
static atomic_uint handoff_word;
static atomic_int waiter_tid;		/* B's TID, so main can look at /proc */
static atomic_int waiter_round;		/* the last round B has finished */
static long waiter_waits, waiter_timeouts;	/* B's own counts, read after B exits */

static void *handoff_waiter(void *p)
{
	long rounds = *(const long *)p;

	atomic_store(&waiter_tid, (int)gettid());
	for (unsigned r = 1; r <= rounds; r++) {
		while (atomic_load(&handoff_word) < r) {
			/* sleep unless the word has already moved past r - 1 */
			struct timespec timeout = { WAIT_TIMEOUT_MS / 1000, 0 };
			long rc = syscall(SYS_futex, &handoff_word, FUTEX_WAIT_PRIVATE, r - 1,
					  &timeout, NULL, 0);
			waiter_waits++;
			if (rc < 0 && errno == ETIMEDOUT) {
				waiter_timeouts++;
				return NULL;
			}
		}
		atomic_store(&waiter_round, (int)r);
	}
	return NULL;	/* B prints nothing: stdout's lock could add futex calls */
}

/*
 * Is thread tid asleep inside futex() on uaddr?  Its /proc stat state is 'S'
 * and /proc/self/task/TID/syscall starts with the number of the system call
 * it is blocked in and its first argument.
 */
static int asleep_in_futex(int tid, const void *uaddr, char *wchan, size_t wlen)
{
	char path[96], buf[512], *p;
	long nr = -1;
	unsigned long arg0 = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!p || p[1] != ' ' || p[2] != 'S')
		return 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%ld %lx", &nr, &arg0) != 2)
		nr = -1;
	fclose(f);
	if (nr != SYS_futex || arg0 != (unsigned long)(uintptr_t)uaddr)
		return 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", tid);
	snprintf(wchan, wlen, "?");
	f = fopen(path, "r");
	if (f) {
		if (!fgets(wchan, (int)wlen, f) || strcmp(wchan, "0") == 0)
			snprintf(wchan, wlen, "?");
		fclose(f);
	}
	return 1;
}

static int variant_handoff(const struct lab_opts *o)
{
	pthread_t th;
	long wakes = 0, woken = 0;
	int tid, rc;

	printf("main: thread B waits %ld times for a signal from main, on the futex word %p\n",
	       o->rounds, (void *)&handoff_word);
	rc = pthread_create(&th, NULL, handoff_waiter, (void *)&o->rounds);
	if (rc != 0)
		lab_die_rc("pthread_create", rc);
	for (int waited = 0; (tid = atomic_load(&waiter_tid)) == 0; waited += POLL_MS) {
		if (waited >= WAIT_TIMEOUT_MS) {
			fprintf(stderr, "main: thread B never started\n");
			exit(1);
		}
		lab_sleep_ms(POLL_MS);
	}

	for (unsigned r = 1; r <= o->rounds; r++) {
		char wchan[64];
		int waited = 0;

		/* wake B only once it has finished the last round AND sleeps in the kernel */
		while (atomic_load(&waiter_round) != (int)r - 1 ||
		       !asleep_in_futex(tid, &handoff_word, wchan, sizeof(wchan))) {
			if (waited >= WAIT_TIMEOUT_MS) {
				fprintf(stderr, "main: B (TID %d) is not asleep in futex after %d ms\n",
					tid, WAIT_TIMEOUT_MS);
				exit(1);
			}
			lab_sleep_ms(POLL_MS);
			waited += POLL_MS;
		}
		printf("main: round %u: B (TID %d) is asleep: state S, blocked in syscall %d (futex) "
		       "on %p, wchan %s\n", r, tid, SYS_futex, (void *)&handoff_word, wchan);
		atomic_store(&handoff_word, r);
		long n = syscall(SYS_futex, &handoff_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		if (n < 0) {
			perror("futex(FUTEX_WAKE_PRIVATE)");
			exit(1);
		}
		wakes++;
		woken += n;
		printf("main: round %u: stored %u, FUTEX_WAKE_PRIVATE woke %ld thread\n", r, r, n);
	}

	/* pthread_join() could add a futex wait of its own: poll instead */
	int waited = 0;
	while ((rc = pthread_tryjoin_np(th, NULL)) == EBUSY && waited < WAIT_TIMEOUT_MS) {
		lab_sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	if (rc != 0)
		lab_die_rc("pthread_tryjoin_np", rc);

	printf("B made %ld FUTEX_WAIT_PRIVATE calls (%ld timed out), main made %ld "
	       "FUTEX_WAKE_PRIVATE calls that woke %ld: all on %p.\n"
	       "The counts are exact by construction: main wakes B only after /proc shows B asleep "
	       "inside futex() on that word, so no wait returns early and no wake finds nobody.\n"
	       "A pthread mutex or condvar would make these counts depend on timing.\n",
	       waiter_waits, waiter_timeouts, wakes, woken, (void *)&handoff_word);
	lab_result("futex_addr", (long long)(uintptr_t)&handoff_word);
	lab_result("waiter_tid", tid);
	lab_result("waits", waiter_waits);
	lab_result("wakes", wakes);
	lab_result("woken", woken);
	return waiter_waits == o->rounds && woken == o->rounds && waiter_timeouts == 0 ? 0 : 1;
}

/* ---- uncontended: a mutex nobody else wants ------------------------------- */

static int variant_uncontended(const struct lab_opts *o)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct timespec t0, t1;
	long total = 0;

	printf("one thread locks and unlocks a mutex (%p) %ld times; nobody else wants it\n",
	       (void *)&lock, o->iters);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < o->iters; i++) {
		pthread_mutex_lock(&lock);	/* free: one compare-and-swap, no system call */
		total++;
		pthread_mutex_unlock(&lock);	/* no waiter: one atomic store, no system call */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("counter = %ld; %.1f ns per lock+unlock: it never entered the kernel (no futex call)\n",
	       total, ns / (double)o->iters);
	lab_result("counter", total);
	lab_result("expected", o->iters);
	return total == o->iters ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "race", "no lock: threads add to a shared counter and lose updates",
	  variant_race, { { "threads", 2 }, { "iters", 1000000 } } },
	{ "mutex", "the same with a pthread mutex: exact; futex calls only on contention",
	  variant_mutex, { { "threads", 2 }, { "iters", 1000000 } } },
	{ "recursive", "a recursive mutex taken again by its holder; a Point whose x, y change together",
	  variant_recursive, { { "threads", 2 }, { "iters", 100000 } } },
	{ "atomic", "atomic_fetch_add: exact, no lock, zero futex calls",
	  variant_atomic, { { "threads", 2 }, { "iters", 1000000 } } },
	{ "condvar", "a bounded queue of 5 with two condition variables; one sentinel per consumer",
	  variant_condvar, { { "producers", 1 }, { "consumers", 2 }, { "items", 50 } } },
	{ "semaphore", "a semaphore lets at most K of N threads into a critical section",
	  variant_semaphore, { { "threads", 6 }, { "limit", 3 } } },
	{ "rwlock", "a reader/writer lock: readers together, writers alone",
	  variant_rwlock, { { "readers", 4 }, { "writers", 2 }, { "rounds", 5 } } },
	{ "deadlock", "two threads take two locks in opposite order; a timed lock catches the deadlock",
	  variant_deadlock, { { "timeout-ms", 1000 } } },
	{ "handoff", "raw futex: B sleeps, main wakes it R times: exactly R waits and R wakes",
	  variant_handoff, { { "rounds", 3 } } },
	{ "uncontended", "one thread locks and unlocks a mutex N times: zero futex calls",
	  variant_uncontended, { { "iters", 1000000 } } },
};

static const struct lab_option options[] = {
	{ "threads", offsetof(struct lab_opts, threads), 1, MAX_THREADS, "threads" },
	{ "iters", offsetof(struct lab_opts, iters), 1, 100000000, "iterations per thread" },
	{ "producers", offsetof(struct lab_opts, producers), 1, MAX_THREADS, "producer threads" },
	{ "consumers", offsetof(struct lab_opts, consumers), 1, MAX_THREADS, "consumer threads" },
	{ "items", offsetof(struct lab_opts, items), 1, 1000000, "items to pass through the queue" },
	{ "limit", offsetof(struct lab_opts, limit), 1, MAX_THREADS,
	  "threads allowed in the critical section at once" },
	{ "readers", offsetof(struct lab_opts, readers), 1, MAX_THREADS, "reader threads" },
	{ "writers", offsetof(struct lab_opts, writers), 1, MAX_THREADS, "writer threads" },
	{ "rounds", offsetof(struct lab_opts, rounds), 1, 1000,
	  "rounds per thread (rwlock) or hand-offs (handoff)" },
	{ "timeout-ms", offsetof(struct lab_opts, timeout_ms), 10, 10000,
	  "lock timeout in milliseconds" },
};

static const struct lab locks_lab = {
	.name = "locks",
	.summary = "Synchronisation: races, mutexes, atomics, condition variables, semaphores, "
		   "rwlocks, deadlock, futex.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  locks race                      2 threads x 1000000 adds, no lock: updates lost\n"
		"  locks race --threads 4 --iters 1000000\n"
		"  locks mutex                     the same, exact, with futex calls on contention\n"
		"  locks atomic                    exact, and no futex call at all\n"
		"  locks condvar --consumers 3 --items 100\n"
		"  locks deadlock --timeout-ms 500\n"
		"  locks handoff --rounds 3        exactly 3 FUTEX_WAIT_PRIVATE, 3 FUTEX_WAKE_PRIVATE\n",
};

int main(int argc, char **argv)
{
	return lab_main(&locks_lab, argc, argv);
}
