// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lab.c - command line and result reporting shared by the lab programs.
 * See lab.h for the command line and the OSLAB_RESULT_FD protocol.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

#define MAX_OPTIONS 32		/* options one lab may declare */

static int result_fd = -1;	/* OSLAB_RESULT_FD, or -1: do not report */

/* One line on stderr, the hint to --help, exit 2: every usage mistake ends here. */
static void usage_error(const struct lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void usage_error(const struct lab *lab, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s; try '%s --help'\n", lab->name, msg, lab->name);
	exit(2);
}

static const struct lab_option *find_option(const struct lab *lab, const char *name, size_t len)
{
	for (size_t i = 0; i < lab->noptions; i++) {
		if (strlen(lab->options[i].name) == len &&
		    strncmp(lab->options[i].name, name, len) == 0)
			return &lab->options[i];
	}
	return NULL;
}

static const struct lab_default *variant_takes(const struct lab_variant *v, const char *option)
{
	for (int i = 0; i < LAB_MAX_DEFAULTS && v->takes[i].option; i++) {
		if (strcmp(v->takes[i].option, option) == 0)
			return &v->takes[i];
	}
	return NULL;
}

static long *option_field(struct lab_opts *o, const struct lab_option *opt)
{
	return (long *)((char *)o + opt->offset);
}

/* "--threads N (default 4), --iters N (default 1000000)" for one variant */
static void print_takes(FILE *f, const struct lab *lab, const struct lab_variant *v)
{
	const char *sep = "";

	for (int i = 0; i < LAB_MAX_DEFAULTS && v->takes[i].option; i++) {
		const char *name = v->takes[i].option;

		fprintf(f, "%s--%s %ld", sep, name, v->takes[i].value);
		sep = ", ";
		if (!find_option(lab, name, strlen(name)))
			fprintf(f, " (BUG: not in the option table)");
	}
	if (!*sep)
		fprintf(f, "no options");
}

static void print_variants(FILE *f, const struct lab *lab)
{
	int width = 0;

	for (size_t i = 0; i < lab->nvariants; i++) {
		int len = (int)strlen(lab->variants[i].name);
		if (len > width)
			width = len;
	}
	for (size_t i = 0; i < lab->nvariants; i++)
		fprintf(f, "  %-*s  %s\n", width, lab->variants[i].name, lab->variants[i].help);
}

static void print_help(const struct lab *lab)
{
	int width = 0;

	printf("usage: %s VARIANT [options]\n\n%s\n\nvariants:\n", lab->name, lab->summary);
	for (size_t i = 0; i < lab->nvariants; i++) {
		const struct lab_variant *v = &lab->variants[i];

		printf("  %-12s %s\n  %-12s defaults: ", v->name, v->help, "");
		print_takes(stdout, lab, v);
		printf("\n");
	}
	printf("\noptions (each variant takes only the ones listed above):\n");
	for (size_t i = 0; i < lab->noptions; i++) {
		const struct lab_option *opt = &lab->options[i];
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s N", opt->name);
		width = (int)strlen(flag) > width ? (int)strlen(flag) : width;
	}
	for (size_t i = 0; i < lab->noptions; i++) {
		const struct lab_option *opt = &lab->options[i];
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s N", opt->name);
		printf("  %-*s  %s [%ld..%ld]\n", width, flag, opt->help, opt->min, opt->max);
	}
	printf("  %-*s  show this help\n", width, "-h, --help");
	printf("  %-*s  print the variants, one \"name<TAB>description\" line each\n",
	       width, "--list");
	printf("\nresults: with OSLAB_RESULT_FD=N in the environment, every result is also\n"
	       "written to file descriptor N as one \"key=value\" line (see labs/lab.h).\n"
	       "exit status: 0 when the variant did what it shows, 1 when it did not,\n"
	       "2 on a command-line mistake.\n");
	printf("\nEXAMPLES:\n%s", lab->examples);
}

/* strtol with nothing left over and the range of the option checked */
static long parse_number(const struct lab *lab, const struct lab_option *opt, const char *arg)
{
	char *end;
	long val;

	errno = 0;
	val = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || !(arg[0] == '-' || (arg[0] >= '0' && arg[0] <= '9')))
		usage_error(lab, "--%s needs a whole number, not '%s'", opt->name, arg);
	if (errno == ERANGE || val < opt->min || val > opt->max)
		usage_error(lab, "--%s must be between %ld and %ld, not %s",
			    opt->name, opt->min, opt->max, arg);
	return val;
}

static void open_result_fd(const struct lab *lab)
{
	const char *env = getenv("OSLAB_RESULT_FD");
	char *end;
	long fd;

	if (!env)
		return;
	errno = 0;
	fd = strtol(env, &end, 10);
	if (end == env || *end != '\0' || errno || fd < 0 || fd > 1 << 20)
		usage_error(lab, "OSLAB_RESULT_FD='%s' is not a file descriptor number", env);
	if (fcntl((int)fd, F_GETFD) < 0)
		usage_error(lab, "OSLAB_RESULT_FD=%ld is not an open file descriptor", fd);
	result_fd = (int)fd;
}

const struct lab_variant *lab_parse(const struct lab *lab, int argc, char **argv,
				    struct lab_opts *o)
{
	const struct lab_option *given[MAX_OPTIONS] = { 0 };	/* options on the command line */
	long given_val[MAX_OPTIONS] = { 0 };
	const struct lab_variant *v = NULL;
	const char *variant = NULL;
	int check_only = 0;

	if (lab->noptions > MAX_OPTIONS) {
		fprintf(stderr, "%s: BUG: more than %d options\n", lab->name, MAX_OPTIONS);
		exit(2);
	}
	/* --help wins over any mistake elsewhere on the line */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			print_help(lab);
			exit(0);
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--list") == 0) {
			for (size_t j = 0; j < lab->nvariants; j++)
				printf("%s\t%s\n", lab->variants[j].name, lab->variants[j].help);
			exit(0);
		}
		if (strcmp(arg, "--check") == 0) {
			check_only = 1;
			continue;
		}
		if (strncmp(arg, "--", 2) == 0) {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct lab_option *opt = find_option(lab, name, len);
			const char *val;
			size_t idx;

			if (!opt)
				usage_error(lab, "unknown option '--%.*s'", (int)len, name);
			if (eq) {
				val = eq + 1;
			} else {
				if (i + 1 >= argc)
					usage_error(lab, "--%s needs a value", opt->name);
				val = argv[++i];
			}
			idx = (size_t)(opt - lab->options);
			given[idx] = opt;
			given_val[idx] = parse_number(lab, opt, val);
		} else if (arg[0] == '-' && arg[1] != '\0') {
			usage_error(lab, "unknown option '%s'", arg);
		} else if (!variant) {
			variant = arg;
		} else {
			usage_error(lab, "unexpected argument '%s' (variant is '%s')", arg, variant);
		}
	}

	if (!variant) {
		fprintf(stderr, "%s: no variant given; choose one of:\n", lab->name);
		print_variants(stderr, lab);
		fprintf(stderr, "for example '%s %s'; try '%s --help'\n",
			lab->name, lab->variants[0].name, lab->name);
		exit(2);
	}
	for (size_t i = 0; i < lab->nvariants; i++) {
		if (strcmp(lab->variants[i].name, variant) == 0)
			v = &lab->variants[i];
	}
	if (!v)
		usage_error(lab, "unknown variant '%s'", variant);

	memset(o, 0, sizeof(*o));
	o->variant = v->name;
	for (int i = 0; i < LAB_MAX_DEFAULTS && v->takes[i].option; i++) {
		const char *name = v->takes[i].option;
		const struct lab_option *opt = find_option(lab, name, strlen(name));

		if (!opt) {
			fprintf(stderr, "%s: BUG: variant '%s' takes unknown option '%s'\n",
				lab->name, v->name, name);
			exit(2);
		}
		*option_field(o, opt) = v->takes[i].value;
	}
	for (size_t i = 0; i < lab->noptions; i++) {
		if (!given[i])
			continue;
		if (!variant_takes(v, given[i]->name))
			usage_error(lab, "variant '%s' does not take --%s", v->name, given[i]->name);
		*option_field(o, given[i]) = given_val[i];
	}

	if (check_only)
		exit(0);
	open_result_fd(lab);
	for (int i = 0; i < LAB_MAX_DEFAULTS && v->takes[i].option; i++) {
		const char *name = v->takes[i].option;
		const struct lab_option *opt = find_option(lab, name, strlen(name));
		char key[64];

		snprintf(key, sizeof(key), "%s", name);
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		lab_result(key, *option_field(o, opt));
	}
	return v;
}

void lab_result(const char *key, long long value)
{
	char line[128];
	int len;
	ssize_t n;

	if (result_fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s=%lld\n", key, value);
	if (len <= 0 || len >= (int)sizeof(line)) {
		fprintf(stderr, "lab_result: key '%s' is too long\n", key);
		return;
	}
	/* one write(2) per line: atomic on a pipe, never split by stdio */
	n = write(result_fd, line, (size_t)len);
	if (n != len)
		fprintf(stderr, "lab_result: cannot write '%s' to OSLAB_RESULT_FD %d: %s\n",
			key, result_fd, n < 0 ? strerror(errno) : "short write");
}

long lab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void lab_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

struct timespec lab_deadline(clockid_t clock, long ms)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

void lab_die_rc(const char *what, int rc)
{
	fprintf(stderr, "%s: %s\n", what, strerror(rc));
	exit(1);
}

int lab_main(const struct lab *lab, int argc, char **argv)
{
	struct lab_opts o;
	const struct lab_variant *v;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* whole lines, even when stdout is a pipe */
	v = lab_parse(lab, argc, argv, &o);
	return v->run(&o);
}
