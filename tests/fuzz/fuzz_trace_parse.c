// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fuzz_trace_parse.c - libFuzzer target: `oslab trace`'s command line.
 *
 * Input: byte 0 bit 0 says whether a command is required (oslab trace) or
 * not (oslab run's report options); the rest is split at NUL bytes into the
 * arguments after "trace".  Each argument is its own allocation, so reading
 * past one is seen.  trace_parse() must return -1, 0 or an index inside
 * argv, and fill only what its options describe; a -e trace=SET it
 * accepted then goes through syscalls_select(), as a trace would.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscalls.h"
#include "trace.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* --help prints the usage to stdout */
	return freopen("/dev/null", "w", stdout) ? 0 : 1;
}

/* glibc's getopt keeps where it was inside a cluster of short options
 * ("-cZ") across calls; optind = 0 makes it start afresh.  oslab parses
 * once per process, the fuzzer thousands of times. */
static void reset_getopt(void)
{
	char *argv[] = { "fuzz", NULL };

	optind = 0;
	opterr = 0;
	while (getopt(1, argv, "") != -1)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2];
	int argc = 0, idx;
	struct trace_opts o;
	size_t off = 1;

	if (size < 1)
		return 0;
	argv[argc++] = strdup("trace");
	while (off <= size && argc < MAX_ARGS + 1) {
		const uint8_t *nul = memchr(data + off, 0, size - off);
		size_t len = nul ? (size_t)(nul - (data + off)) : size - off;
		char *a = malloc(len + 1);

		if (!a)
			break;
		memcpy(a, data + off, len);
		a[len] = '\0';
		argv[argc++] = a;
		off += len + 1;
	}
	argv[argc] = NULL;
	reset_getopt();
	trace_opts_default(&o);
	idx = trace_parse(&o, argc, argv, data[0] & 1);
	if (idx < -1 || idx > argc)
		__builtin_trap();
	if (o.n_pids > ATTACH_MAX || o.strsize > 4000)
		__builtin_trap();
	if (o.ringbuf_bytes && (o.ringbuf_bytes & (o.ringbuf_bytes - 1)))
		__builtin_trap();
	/* -e trace=SET is parsed when the trace starts: that parser too */
	if (idx > 0 && o.trace_expr) {
		bool selected[SC_SLOTS];
		char err[256];

		syscalls_select(o.trace_expr, selected, err, sizeof(err));
	}
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
