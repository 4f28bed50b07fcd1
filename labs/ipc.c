// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ipc.c - processes share nothing by default: a counter in shared memory
 * (without a lock, with a process-shared mutex, with atomics), a work queue
 * through a pipe, and a manager process that owns a table and serves get/set
 * requests over socketpairs (the "server process" model).
 *
 * After fork() every variable is the child's own copy.  Memory the processes
 * should share must be mapped MAP_SHARED before the fork: then parent and
 * children see the same physical pages.  A pthread mutex placed there must be
 * made PTHREAD_PROCESS_SHARED, and its futex calls lose FUTEX_PRIVATE_FLAG:
 * a private futex is found by its address in one process, a shared one by
 * the page it lies in, whatever address each process has mapped it at.
 *
 * pthread_mutex_lock/unlock on a mutex set up without errors cannot fail, so
 * their return values are not checked; every other call is.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define MAX_PROCS 16		/* --processes, --workers, --clients limit */
#define START_TIMEOUT_MS 5000	/* the start line gives up after this */
#define IO_TIMEOUT_MS 5000	/* no read or poll in this lab waits longer */

/* Wait for every child in pids; returns how many exited with status 0. */
static int wait_all(const pid_t *pids, long n, const char *what)
{
	int ok = 0;

	for (long i = 0; i < n; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) < 0) {
			perror("waitpid");
			exit(1);
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
		else
			printf("parent: %s %ld (pid %d) failed: wait status %#x\n", what, i + 1,
			       (int)pids[i], st);
	}
	return ok;
}

/* ---- race, mutex, atomic: a counter in shared memory ----------------------- */

/* What the processes share: one mapping, the same pages in all of them. */
struct shared {
	atomic_int ready;		/* processes at the start line */
	pthread_mutex_t lock;		/* mutex variant: PTHREAD_PROCESS_SHARED */
	volatile long counter;		/* race and mutex variants */
	atomic_long atomic_counter;	/* atomic variant */
};

enum how { NO_LOCK, SHARED_MUTEX, ATOMIC };

/*
 * The start line: each process says it is ready and spins until all are, so
 * that they really count at the same time.  A fork takes longer than a short
 * count, and without this the first child could be done before the last one
 * starts.  Spinning reads memory only: no system call.
 */
static void wait_at_start_line(struct shared *sh, long n)
{
	long start = lab_now_ms();

	atomic_fetch_add(&sh->ready, 1);
	while (atomic_load(&sh->ready) < n) {
		if (lab_now_ms() - start > START_TIMEOUT_MS) {
			fprintf(stderr, "child %d: the others never came to the start line\n",
				(int)getpid());
			exit(1);
		}
	}
}

static int count_in_processes(const struct lab_opts *o, enum how how)
{
	static const char *const names[] = { "no lock", "a process-shared mutex", "atomic adds" };
	pid_t pids[MAX_PROCS] = { 0 };
	long expected = o->processes * o->iters;

	/* MAP_SHARED | MAP_ANONYMOUS: memory with no file behind it that fork() shares */
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (how == SHARED_MUTEX) {
		pthread_mutexattr_t attr;
		int rc = pthread_mutexattr_init(&attr);

		/* without this the mutex would use private futexes: wrong across processes */
		if (rc == 0)
			rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
		if (rc == 0)
			rc = pthread_mutex_init(&sh->lock, &attr);
		if (rc != 0)
			lab_die_rc("process-shared mutex init", rc);
		pthread_mutexattr_destroy(&attr);
	}
	printf("parent %d: a shared counter at %p (MAP_SHARED); %ld processes each add 1 to it "
	       "%ld times with %s\n", (int)getpid(), (void *)sh, o->processes, o->iters,
	       names[how]);

	for (long i = 0; i < o->processes; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			wait_at_start_line(sh, o->processes);
			for (long k = 0; k < o->iters; k++) {
				if (how == NO_LOCK) {
					sh->counter = sh->counter + 1;	/* load, add, store */
				} else if (how == SHARED_MUTEX) {
					pthread_mutex_lock(&sh->lock);	/* FUTEX_WAIT if held */
					sh->counter = sh->counter + 1;
					pthread_mutex_unlock(&sh->lock);	/* FUTEX_WAKE if needed */
				} else {
					atomic_fetch_add(&sh->atomic_counter, 1);
				}
			}
			exit(0);
		}
		printf("parent: forked process %ld, pid %d\n", i + 1, (int)pid);
		pids[i] = pid;
	}
	int ok = wait_all(pids, o->processes, "process");

	long total = how == ATOMIC ? atomic_load(&sh->atomic_counter) : sh->counter;
	printf("parent: counter = %ld, expected %ld: %ld updates lost\n", total, expected,
	       expected - total);
	if (how == NO_LOCK && total < expected)
		printf("two processes loaded the same value and both stored value + 1: one add "
		       "vanished, exactly as with threads\n");
	else if (how == NO_LOCK)
		printf("no update was lost this time: the processes did not run at the same "
		       "moment (try more --iters)\n");
	else if (how == SHARED_MUTEX)
		printf("exact: a process that found the mutex held slept in futex(FUTEX_WAIT), the "
		       "shared kind, not FUTEX_WAIT_PRIVATE\n");
	else
		printf("exact, with no lock and no system call: each add is one atomic instruction\n");
	if (how == SHARED_MUTEX)
		pthread_mutex_destroy(&sh->lock);
	munmap(sh, sizeof(*sh));
	lab_result("counter", total);
	lab_result("expected", expected);
	lab_result("lost", expected - total);
	lab_result("exited_ok", ok);
	if (ok != o->processes)
		return 1;
	/* losing updates is what the race shows, not a failure */
	return how == NO_LOCK || total == expected ? 0 : 1;
}

static int variant_race(const struct lab_opts *o)
{
	return count_in_processes(o, NO_LOCK);
}

static int variant_mutex(const struct lab_opts *o)
{
	return count_in_processes(o, SHARED_MUTEX);
}

static int variant_atomic(const struct lab_opts *o)
{
	return count_in_processes(o, ATOMIC);
}

/* ---- pipe: a work queue between processes --------------------------------- */

#define SENTINEL 0		/* "no more items": one per worker (items are 1..N) */

struct worker_report {		/* one message from a worker when it stops */
	int worker;		/* 1..N */
	int pid;
	long items;		/* items it took */
	long sum;		/* their sum */
};

static int variant_pipe(const struct lab_opts *o)
{
	int queue[2], reports[2];
	pid_t pids[MAX_PROCS] = { 0 };
	long taken = 0, sum = 0;

	/*
	 * The queue is a pipe: the parent puts each item with one write(), a
	 * worker gets one with one read().  An item is a long, far smaller than
	 * PIPE_BUF, so a write arrives whole and no two workers get the same item.
	 */
	if (pipe(queue) < 0 || pipe(reports) < 0) {
		perror("pipe");
		exit(1);
	}
	printf("parent %d: %ld worker processes take %ld items from a pipe; one sentinel (0) "
	       "per worker stops it\n", (int)getpid(), o->workers, o->items);
	for (long w = 0; w < o->workers; w++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			struct worker_report r = { (int)w + 1, (int)getpid(), 0, 0 };
			long item;
			ssize_t n;

			close(queue[1]);	/* only the parent puts */
			close(reports[0]);
			for (;;) {
				n = read(queue[0], &item, sizeof(item));	/* one read per item */
				if (n != sizeof(item) || item == SENTINEL)
					break;
				r.items++;
				r.sum += item;
				lab_sleep_ms(1);	/* "process" the item, so that every worker gets some */
			}
			if (n != sizeof(item)) {
				fprintf(stderr, "worker %ld: the queue closed before my sentinel\n",
					w + 1);
				exit(1);
			}
			if (write(reports[1], &r, sizeof(r)) != sizeof(r)) {
				perror("worker: write report");
				exit(1);
			}
			exit(0);
		}
		pids[w] = pid;
	}
	close(queue[0]);
	close(reports[1]);
	for (long item = 1; item <= o->items + o->workers; item++) {
		long put = item <= o->items ? item : SENTINEL;

		if (write(queue[1], &put, sizeof(put)) != sizeof(put)) {
			perror("write item");
			exit(1);
		}
	}
	close(queue[1]);
	printf("parent: put items 1..%ld and %ld sentinels\n", o->items, o->workers);

	struct worker_report r;
	ssize_t n;
	while ((n = read(reports[0], &r, sizeof(r))) == sizeof(r)) {
		printf("parent: worker %d (pid %d) took %ld items\n", r.worker, r.pid, r.items);
		taken += r.items;
		sum += r.sum;
	}
	if (n < 0)
		perror("read reports");
	close(reports[0]);
	int ok = wait_all(pids, o->workers, "worker");

	long want = o->items * (o->items + 1) / 2;
	printf("parent: %ld items taken, sum %ld (expected %ld): each item went to exactly one "
	       "worker\n", taken, sum, want);
	lab_result("taken", taken);
	lab_result("sum_ok", sum == want);
	lab_result("exited_ok", ok);
	return taken == o->items && sum == want && ok == o->workers ? 0 : 1;
}

/* ---- manager: a server process owns the data ------------------------------ */

enum op { OP_GET, OP_SET, OP_ADD, OP_STOP };

struct request {
	int op;			/* enum op */
	char key[16];
	long value;		/* SET: the new value; ADD: the amount */
};

struct reply {
	int ok;			/* 0: no such key (GET) or the table is full (SET, ADD) */
	long value;		/* the value after the request */
};

#define TABLE_SIZE 32		/* keys the manager can hold */

/* The manager's table: only the manager process ever touches it. */
static struct entry {
	char key[16];
	long value;
} table[TABLE_SIZE];
static int table_len;

static struct entry *lookup(const char *key, int create)
{
	for (int i = 0; i < table_len; i++)
		if (strcmp(table[i].key, key) == 0)
			return &table[i];
	if (!create || table_len == TABLE_SIZE)
		return NULL;
	snprintf(table[table_len].key, sizeof(table[table_len].key), "%s", key);
	table[table_len].value = 0;
	return &table[table_len++];
}

/*
 * The manager: wait in poll() until some client sends a request, answer it
 * with one send(), repeat until STOP.  It serves one request at a time, so
 * each request is atomic, with no lock: ADD from many clients loses nothing.
 */
static int run_manager(int *fds, int nfds)
{
	struct pollfd pfd[MAX_PROCS + 1];
	long served = 0;
	int open_fds = nfds, stop = 0;

	for (int i = 0; i < nfds; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	while (!stop && open_fds > 0) {
		int n = poll(pfd, (nfds_t)nfds, IO_TIMEOUT_MS);
		if (n < 0) {
			perror("manager: poll");
			return 1;
		}
		if (n == 0) {
			fprintf(stderr, "manager: no request for %d ms; giving up\n", IO_TIMEOUT_MS);
			return 1;
		}
		for (int i = 0; i < nfds; i++) {
			struct request req;
			struct reply rep = { 0, 0 };
			struct entry *e;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			ssize_t got = recv(pfd[i].fd, &req, sizeof(req), 0);
			if (got == 0) {		/* the client closed its end: it is done */
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			if (got != sizeof(req)) {
				fprintf(stderr, "manager: bad request (%zd bytes)\n", got);
				return 1;
			}
			req.key[sizeof(req.key) - 1] = '\0';
			switch (req.op) {
			case OP_GET:
				e = lookup(req.key, 0);
				rep = (struct reply){ e != NULL, e ? e->value : 0 };
				break;
			case OP_SET:
				e = lookup(req.key, 1);
				if (e)
					e->value = req.value;
				rep = (struct reply){ e != NULL, e ? e->value : 0 };
				break;
			case OP_ADD:
				e = lookup(req.key, 1);
				if (e)
					e->value += req.value;
				rep = (struct reply){ e != NULL, e ? e->value : 0 };
				break;
			case OP_STOP:
				stop = 1;
				rep.ok = 1;
				break;
			}
			served++;
			/* one reply per request: send() is the sendto system call */
			if (send(pfd[i].fd, &rep, sizeof(rep), 0) != sizeof(rep)) {
				perror("manager: send");
				return 1;
			}
		}
	}
	printf("manager %d: served %ld requests; the table has %d keys\n", (int)getpid(), served,
	       table_len);
	lab_result("manager_pid", getpid());
	lab_result("requests", served);
	return stop ? 0 : 1;
}

/* A client's proxy call: one request out, one reply back. */
static struct reply call(int fd, int op, const char *key, long value)
{
	struct request req = { .op = op, .value = value };
	struct reply rep;

	snprintf(req.key, sizeof(req.key), "%s", key);
	if (send(fd, &req, sizeof(req), 0) != sizeof(req)) {
		perror("client: send");
		exit(1);
	}
	ssize_t n = recv(fd, &rep, sizeof(rep), 0);	/* a receive timeout is set on fd */
	if (n != sizeof(rep)) {
		fprintf(stderr, "client %d: no reply from the manager (%s)\n", (int)getpid(),
			n < 0 ? strerror(errno) : "closed");
		exit(1);
	}
	return rep;
}

static void set_recv_timeout(int fd)
{
	struct timeval tv = { IO_TIMEOUT_MS / 1000, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("setsockopt(SO_RCVTIMEO)");
		exit(1);
	}
}

static int variant_manager(const struct lab_opts *o)
{
	int sv[MAX_PROCS + 1][2], manager_ends[MAX_PROCS + 1];
	pid_t manager, clients[MAX_PROCS] = { 0 };
	long nconn = o->clients + 1;	/* every client, and the parent itself */

	/*
	 * One socketpair per client and one for the parent: [0] stays with the
	 * manager, [1] goes to the client.  SOCK_SEQPACKET keeps each send() one
	 * message, so a request is never split or merged with the next.
	 */
	for (long i = 0; i < nconn; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv[i]) < 0) {
			perror("socketpair");
			exit(1);
		}
		manager_ends[i] = sv[i][0];
	}
	printf("parent %d: a manager process owns a table; %ld client processes each send %ld "
	       "rounds of SET, GET and ADD through their own socketpair\n", (int)getpid(),
	       o->clients, o->rounds);

	fflush(stdout);
	manager = fork();
	if (manager < 0) {
		perror("fork");
		exit(1);
	}
	if (manager == 0) {
		for (long i = 0; i < nconn; i++)
			close(sv[i][1]);	/* the manager keeps only its own ends */
		exit(run_manager(manager_ends, (int)nconn));
	}
	printf("parent: forked the manager, pid %d\n", (int)manager);
	for (long i = 0; i < nconn; i++)
		close(sv[i][0]);

	for (long c = 0; c < o->clients; c++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			int fd = sv[c][1];
			char key[16];
			int bad = 0;

			/* keep only our own connection: the parent has closed the ends of
			 * the clients before us; close those of the later ones and its own */
			for (long i = c + 1; i < nconn; i++)
				close(sv[i][1]);
			set_recv_timeout(fd);
			snprintf(key, sizeof(key), "client%ld", c + 1);
			for (long r = 1; r <= o->rounds; r++) {
				call(fd, OP_SET, key, r);		/* table[key] = r */
				/* nobody else writes our key: we must read back what we set */
				if (call(fd, OP_GET, key, 0).value != r)
					bad++;
				call(fd, OP_ADD, "total", 1);	/* table["total"] += 1, in the manager */
			}
			printf("client %ld (pid %d): %ld rounds, %d wrong answers\n", c + 1,
			       (int)getpid(), o->rounds, bad);
			close(fd);	/* the manager reads end-of-file: this client is done */
			exit(bad ? 1 : 0);
		}
		clients[c] = pid;
		close(sv[c][1]);	/* the client's end is the client's alone: when it closes
					 * it, the manager reads end-of-file */
	}
	int ok = wait_all(clients, o->clients, "client");

	/* every client is done: ask for the total, then tell the manager to stop */
	int fd = sv[o->clients][1];
	set_recv_timeout(fd);
	struct reply total = call(fd, OP_GET, "total", 0);
	call(fd, OP_STOP, "", 0);
	close(fd);
	int manager_ok = wait_all(&manager, 1, "manager");

	long want = o->clients * o->rounds;
	printf("parent: total = %ld, expected %ld: %s\n", total.value, want,
	       total.value == want ? "exact: the manager applied every ADD, one at a time"
				   : "WRONG");
	lab_result("total", total.value);
	lab_result("expected", want);
	lab_result("clients_ok", ok);
	return total.value == want && ok == o->clients && manager_ok == 1 ? 0 : 1;
}

static const struct lab_variant variants[] = {
	{ "race", "processes add to a counter in shared memory with no lock: updates are lost",
	  variant_race, { { "processes", 2 }, { "iters", 10000000 } } },
	{ "mutex", "the same with a process-shared mutex: exact; FUTEX_WAIT, not FUTEX_WAIT_PRIVATE",
	  variant_mutex, { { "processes", 2 }, { "iters", 1000000 } } },
	{ "atomic", "the same with atomic adds: exact, no futex call",
	  variant_atomic, { { "processes", 2 }, { "iters", 1000000 } } },
	{ "pipe", "worker processes take items from a pipe until their sentinel",
	  variant_pipe, { { "workers", 2 }, { "items", 50 } } },
	{ "manager", "a manager process owns a table and serves GET/SET/ADD over socketpairs",
	  variant_manager, { { "clients", 2 }, { "rounds", 10 } } },
};

static const struct lab_option options[] = {
	{ "processes", offsetof(struct lab_opts, processes), 1, MAX_PROCS, "processes that count" },
	{ "iters", offsetof(struct lab_opts, iters), 1, 100000000, "adds per process" },
	{ "workers", offsetof(struct lab_opts, workers), 1, MAX_PROCS, "worker processes" },
	{ "items", offsetof(struct lab_opts, items), 1, 5000, "items to pass through the pipe" },
	{ "clients", offsetof(struct lab_opts, clients), 1, MAX_PROCS, "client processes" },
	{ "rounds", offsetof(struct lab_opts, rounds), 1, 10000, "SET, GET, ADD rounds per client" },
};

static const struct lab ipc_lab = {
	.name = "ipc",
	.summary = "Processes share nothing by default: shared memory, a process-shared mutex, "
		   "a pipe queue, a manager process.",
	.variants = variants,
	.nvariants = LAB_ARRAY_SIZE(variants),
	.options = options,
	.noptions = LAB_ARRAY_SIZE(options),
	.examples =
		"  ipc race                        2 processes x 10000000 adds, no lock: updates lost\n"
		"  ipc mutex --processes 4         exact; FUTEX_WAIT and FUTEX_WAKE, the shared kind\n"
		"  ipc atomic                      exact, and no futex call at all\n"
		"  ipc pipe --workers 3 --items 100\n"
		"  ipc manager --clients 4 --rounds 100\n",
};

int main(int argc, char **argv)
{
	return lab_main(&ipc_lab, argc, argv);
}
