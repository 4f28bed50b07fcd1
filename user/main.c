// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * main.c - the oslab command: dispatch to its subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "guide.h"
#include "top.h"
#include "trace.h"

#define OSLAB_VERSION "0.1"

static void usage(FILE *f)
{
	fputs("usage: oslab COMMAND [options]\n"
	      "\n"
	      "See what the kernel did when a program forked, started threads, took locks,\n"
	      "served sockets or ran an event loop: exact counts from eBPF, strace-style.\n"
	      "\n"
	      "commands:\n"
	      "  list                            the labs and their variants\n"
	      "  run LAB VARIANT [options]       a guided lab: run, trace, check\n"
	      "  trace [options] -- CMD [ARGS]   trace a command and all it creates\n"
	      "  top [-p PID] [options]          a live view of threads: CPU, syscalls, futex\n"
	      "  version                         print the version\n"
	      "  help                            this help\n"
	      "\n"
	      "'oslab COMMAND --help' describes each command.\n"
	      "\n"
	      "EXAMPLES\n"
	      "  sudo oslab run fork basic\n"
	      "  sudo oslab run locks race --threads 4 --iters 1000000\n"
	      "  sudo oslab trace -c -- ls\n"
	      "  sudo oslab trace -e trace=process,futex -- python3 threads.py\n"
	      "  sudo oslab top -p 4242\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "trace"))
		return cmd_trace(argc - 1, argv + 1);
	if (!strcmp(argv[1], "top"))
		return cmd_top(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("oslab %s\n", OSLAB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "oslab: unknown command '%s'; try 'oslab help'\n", argv[1]);
	return 2;
}
