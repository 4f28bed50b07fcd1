# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""py_threads.py - threads in Python: start and join, a bounded queue shared
by two worker threads, a counter protected by a lock.

A threading.Thread is a real kernel thread: start() is pthread_create(),
one clone3() call with CLONE_THREAD, a new TID in the same process.  Its
locks (threading.Lock, the queue's conditions, the GIL itself) sleep in
futex() when they must wait.
"""
import os
import queue
import threading
import time

import lab


def variant_basic(o):
    tids = {}

    def run(num):
        name = threading.current_thread().name
        tids[num] = threading.get_native_id()       # gettid(): the kernel's id for us
        print(f"{name}: my TID is {tids[num]}, my PID is {os.getpid()} (shared with main)")

    threads = [threading.Thread(target=run, args=(i + 1,), name=f"Thread #{i + 1}")
               for i in range(o.threads)]
    print(f"main (TID {threading.get_native_id()}): starting {o.threads} threads")
    for t in threads:
        t.start()                       # clone3(CLONE_VM | CLONE_THREAD | ...)
    for t in threads:
        t.join()                        # sleeps until the thread has finished
    distinct = len(set(tids.values()))
    print(f"main: joined {len(threads)} threads with {distinct} different TIDs")
    lab.result("distinct_tids", distinct)
    return 0 if distinct == o.threads else 1


SENTINEL = None                         # "no more items": one per worker


def variant_queue(o):
    q = queue.Queue(maxsize=5)          # put() waits while 5 items are in it
    taken = [0] * o.workers
    total = [0] * o.workers
    longest = 0

    def worker(num):
        while True:
            item = q.get()              # waits while the queue is empty
            if item is SENTINEL:
                break                   # our own stop sign: end cleanly, holding nothing
            taken[num] += 1
            total[num] += item
            time.sleep(0.001)           # "process" the item, so the workers share the work
        print(f"worker {num + 1}: got the sentinel after {taken[num]} items; exiting")

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(o.workers)]
    for t in workers:
        t.start()
    print(f"main: putting items 1..{o.items} into a queue of 5 for {o.workers} workers")
    for item in range(1, o.items + 1):
        q.put(item)                     # waits while the queue is full
        longest = max(longest, q.qsize())
    for _ in workers:
        q.put(SENTINEL)
    for t in workers:
        t.join()
    consumed = sum(taken)
    ok = sum(total) == o.items * (o.items + 1) // 2
    print(f"main: {consumed} items consumed ({', '.join(map(str, taken))} per worker); "
          f"the queue never held more than {longest}")
    lab.result("consumed", consumed)
    lab.result("sum_ok", ok)
    lab.result("queue_size", q.maxsize)
    lab.result("max_queue_len", longest)
    return 0 if consumed == o.items and ok else 1


def variant_lock(o):
    lock = threading.Lock()
    counter = 0

    def add():
        nonlocal counter
        for _ in range(o.iters):
            with lock:                  # acquire; release at the end of the block
                counter += 1

    threads = [threading.Thread(target=add) for _ in range(o.threads)]
    print(f"{o.threads} threads each add 1 to a counter {o.iters} times, holding a lock")
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = o.threads * o.iters
    print(f"counter = {counter}, expected {expected}: "
          f"{'exact' if counter == expected else 'WRONG'}")
    lab.result("counter", counter)
    lab.result("expected", expected)
    return 0 if counter == expected else 1


LAB = lab.Lab(
    "py-threads",
    "Threads in Python: start and join, a bounded queue with two workers, a lock.",
    [
        lab.Variant("basic", "start N named threads and join them: clone3 with CLONE_THREAD",
                    variant_basic, {"threads": 4}),
        lab.Variant("queue", "a queue of 5 shared by two worker threads; a sentinel per worker",
                    variant_queue, {"workers": 2, "items": 50}),
        lab.Variant("lock", "threads add to a counter under a threading.Lock: exact",
                    variant_lock, {"threads": 2, "iters": 200000}),
    ],
    [
        lab.Option("threads", 1, 64, "threads"),
        lab.Option("workers", 1, 64, "worker threads"),
        lab.Option("items", 1, 100000, "items to pass through the queue"),
        lab.Option("iters", 1, 10000000, "adds per thread"),
    ],
    "  py-threads basic --threads 4    four threads: four clone3 calls\n"
    "  py-threads queue --items 100\n"
    "  py-threads lock --iters 1000000\n",
)

if __name__ == "__main__":
    lab.main(LAB)
