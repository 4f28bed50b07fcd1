# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""py_fork.py - processes in Python: os.fork() and os.waitpid(), and a
multiprocessing Pool of worker processes.

os.fork() is the fork system call (glibc makes it a clone() with SIGCHLD):
it returns 0 in the child and the child's pid in the parent.  The child gets
a copy of everything, the interpreter included: a variable it changes is
its own copy.
"""
import multiprocessing
import os
import time

import lab


def variant_basic(o):
    foo = "bar"
    print(f"parent: hello, I am parent (pid:{os.getpid()}); foo = {foo!r}; "
          f"forking {o.children} children")
    pids = []
    for i in range(o.children):
        pid = os.fork()                 # one clone() system call
        if pid == 0:
            foo = "baz"                 # the child's own copy of foo
            print(f"child {i + 1}: hello, I am child (pid:{os.getpid()}), my parent is "
                  f"{os.getppid()}; foo = {foo!r}; exiting with {10 + i}")
            # _exit: leave at once, without the parent's cleanup that the copy inherited
            os._exit(10 + i)
        print(f"parent: forked child {i + 1}, pid {pid}")
        pids.append(pid)

    ok = 0
    for i, pid in enumerate(pids):
        _, status = os.waitpid(pid, 0)  # wait4(): sleeps until that child has exited
        code = os.waitstatus_to_exitcode(status)
        print(f"parent: child {pid} exited with status {code}")
        ok += code == 10 + i
    print(f"parent: foo = {foo!r}: each child changed only its own copy")
    lab.result("forked", len(pids))
    lab.result("exited_ok", ok)
    lab.result("parent_foo_unchanged", foo == "bar")
    return 0 if ok == o.children and foo == "bar" else 1


def square(n):
    """The work a Pool worker does: runs in the worker process."""
    time.sleep(0.001)                   # "takes" 1 ms, so every worker gets some
    return n, n * n, os.getpid()


def variant_pool(o):
    # "fork": the workers are forked copies of this process (the default on
    # Linux before Python 3.14, said here so that it stays true)
    ctx = multiprocessing.get_context("fork")
    print(f"parent {os.getpid()}: a Pool of {o.workers} worker processes squares "
          f"1..{o.tasks}")
    pool = ctx.Pool(processes=o.workers)   # forks the workers, starts 3 helper threads
    ok, workers = 0, set()
    # imap_unordered: results come back as the workers finish them
    for n, sq, pid in pool.imap_unordered(square, range(1, o.tasks + 1)):
        print(f"parent: {n} squared is {sq}, done by worker pid {pid}")
        ok += sq == n * n
        workers.add(pid)
    pool.close()                        # no more tasks: each worker exits when done
    pool.join()                         # waits for the workers and the helper threads
    print(f"parent: {ok} of {o.tasks} results correct, from {len(workers)} different workers")
    lab.result("results_ok", ok)
    lab.result("workers_used", len(workers))
    return 0 if ok == o.tasks else 1


LAB = lab.Lab(
    "py-fork",
    "Processes in Python: os.fork and os.waitpid; a multiprocessing Pool.",
    [
        lab.Variant("basic", "os.fork N children; each exits with its own code, the parent "
                    "waits for each", variant_basic, {"children": 3}),
        lab.Variant("pool", "a multiprocessing Pool of N worker processes squares numbers",
                    variant_pool, {"workers": 3, "tasks": 10}),
    ],
    [
        lab.Option("children", 1, 64, "children to fork"),
        lab.Option("workers", 1, 16, "worker processes"),
        lab.Option("tasks", 1, 10000, "numbers to square"),
    ],
    "  py-fork basic                   fork 3 children, wait for each\n"
    "  py-fork pool --workers 3 --tasks 10\n",
)

if __name__ == "__main__":
    lab.main(LAB)
