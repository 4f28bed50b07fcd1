// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * labrun.c - `oslab list` and `oslab run LAB [VARIANT]`: explain what to
 * watch for, run the lab program under the tracer (as the invoking user),
 * show the reports the lesson needs, and check its expectations.
 *
 * The lab's own results come back as key=value lines on a pipe whose number
 * is in OSLAB_RESULT_FD (see labs/lab.h), never by parsing its human output.
 */
#include "guide.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "spawn.h"
#include "summary.h"
#include "sys_futex.h"
#include "syscalls.h"

#define MAX_ARGS 64

static const struct guide *const guides[] = {
	&guide_fork, &guide_threads, &guide_locks, &guide_sockserver, &guide_eventloop,
	&guide_gil, &guide_ipc, &guide_py_fork, &guide_py_threads, &guide_py_gil,
	&guide_py_sockets, &guide_py_asyncio,
};
#define N_GUIDES (sizeof(guides) / sizeof(guides[0]))

static const struct guide *guide_by_name(const char *name)
{
	for (size_t i = 0; i < N_GUIDES; i++)
		if (!strcmp(guides[i]->lab, name))
			return guides[i];
	return NULL;
}

static const struct guide_variant *variant_by_name(const struct guide *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->variants[i].name, name))
			return &g->variants[i];
	return NULL;
}

/* The lab programs live beside oslab (build/labs/) or in its libexec dir;
 * a Python lab's script in python/ there. */
static int lab_path(const struct guide *g, char *path, size_t len)
{
	const char *dir = g->script ? "labs/python" : "labs";
	const char *name = g->script ? g->script : g->lab;
	int mode = g->script ? R_OK : X_OK;
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	if (snprintf(path, len, "%s/%s/%s", exe, dir, name) < (int)len && !access(path, mode))
		return 0;
	if (snprintf(path, len, "%s/../libexec/oslab/%s/%s", exe, dir, name) >= (int)len)
		return -1;
	return access(path, mode) ? -1 : 0;
}

/*
 * The interpreter of the Python labs: $OSLAB_PYTHON, else /usr/bin/python3,
 * else python3 on PATH (last, because a shim there, like pyenv's, is a shell
 * script whose own system calls would be traced and counted).
 */
static int python_path(char *path, size_t len)
{
	const char *env = getenv("OSLAB_PYTHON");

	if (env && *env)
		return spawn_find(env, path, len);
	return spawn_find("/usr/bin/python3", path, len) && spawn_find("python3", path, len) ?
		       -1 : 0;
}

/* No PYTHON* variables, no user site-packages, no .pyc files written: the
 * interpreter starts the same way on every run. */
static const char *const python_flags[] = { "-E", "-s", "-B" };
#define N_PYTHON_FLAGS (sizeof(python_flags) / sizeof(python_flags[0]))

long long run_result(const struct lab_run *run, const char *key, long long dflt)
{
	for (size_t i = 0; i < run->n_kv; i++)
		if (!strcmp(run->kv[i].key, key))
			return run->kv[i].val;
	return dflt;
}

long long run_calls(const struct lab_run *run, const char *name)
{
	const struct syscall_def *d = syscall_by_name(name);

	return d ? (long long)run->r->procs.total[syscall_slot(d)].calls : 0;
}

long long run_errors(const struct lab_run *run, const char *name)
{
	const struct syscall_def *d = syscall_by_name(name);

	return d ? (long long)run->r->procs.total[syscall_slot(d)].errors : 0;
}

long long run_futex(const struct lab_run *run, unsigned cmd, bool private_op)
{
	return cmd < FUTEX_CMDS ? (long long)run->r->procs.futex_total[private_op][cmd].calls : 0;
}

long long run_created(const struct lab_run *run, unsigned origin)
{
	return run->r->procs.created[origin & 3];
}

/* Read every key=value line the lab and its children wrote. */
static void read_results(int fd, struct lab_run *run)
{
	char buf[65536], *line, *save = NULL;
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '='), *end;
		struct lab_kv *v;
		long long val;

		if (!eq || eq - line >= (long)sizeof(run->kv->key))
			continue;
		errno = 0;
		val = strtoll(eq + 1, &end, 10);
		if (errno || *end)
			continue;
		v = realloc(run->kv, (run->n_kv + 1) * sizeof(*v));
		if (!v)
			return;
		run->kv = v;
		v += run->n_kv++;
		snprintf(v->key, sizeof(v->key), "%.*s", (int)(eq - line), line);
		v->val = val;
	}
}

static void usage(FILE *f)
{
	fputs("usage: oslab run LAB [VARIANT] [lab options] [report options]\n"
	      "\n"
	      "Run a lab program under the tracer, show what the kernel did, and check\n"
	      "the lesson's expectations against the trace: one line each, ✓ or ✗.\n"
	      "Under sudo the lab runs as you, not as root.\n"
	      "\n"
	      "lab options: those of the lab program (see 'oslab list' and\n"
	      "  build/labs/LAB --help), e.g. --threads 4 --iters 1000000\n"
	      "report options: those of 'oslab trace' (-C for the full log, -e, -s, -T,\n"
	      "  -o FILE, --json FILE, --per-process, -v)\n"
	      "Python labs (py-*) run their script with /usr/bin/python3, else python3 on\n"
	      "  PATH, or $OSLAB_PYTHON; without python3 they exit 77 (skipped)\n"
	      "\n"
	      "EXAMPLES\n"
	      "  sudo oslab list\n"
	      "  sudo oslab run fork basic\n"
	      "  sudo oslab run locks race --threads 4 --iters 1000000\n"
	      "  sudo oslab run threads basic -C -e trace=clone3\n"
	      "  sudo oslab run gil giant --switch-ms 1\n"
	      "  sudo oslab run py-gil cpu\n",
	      f);
}

/* oslab's own options (with their argument, if any) vs the lab's. */
static bool is_trace_opt(const char *a, bool *takes_arg)
{
	static const char *const with_arg[] = { "-e", "-o", "-s", "--json", "--buffer-size",
						 "--perfetto" };
	static const char *const flags[] = { "-c", "-C", "-t", "-tt", "-ttt", "-T", "-w", "-q", "-v",
					     "--per-process", "--tree", "--locks", "--sockets",
					     "--timeline", "--all", "--force", "--ulocks" };

	*takes_arg = false;
	for (size_t i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++) {
		size_t n = strlen(with_arg[i]);

		if (!strncmp(a, with_arg[i], n) && (a[n] == '\0' || a[n] == '=' ||
						     (n == 2 && a[n])))
			return *takes_arg = a[n] == '\0', true;
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (!strcmp(a, flags[i]))
			return true;
	return false;
}

static void print_futex(FILE *f, const struct procs *p)
{
	bool any = false;

	for (int priv = 1; priv >= 0; priv--)
		for (unsigned cmd = 0; cmd < FUTEX_CMDS; cmd++) {
			const struct sc_count *c = &p->futex_total[priv][cmd];
			struct strbuf name = STRBUF_INIT;

			if (!c->calls)
				continue;
			if (!any)
				fprintf(f, "%-28s %9s %9s %12s\n", "futex operation", "calls", "errors",
					"seconds");
			any = true;
			futex_print_op(&name, cmd | (priv ? FUTEX_PRIVATE_FLAG : 0));
			fprintf(f, "%-28s %9llu %9llu %12.6f\n", sb_str(&name),
				(unsigned long long)c->calls, (unsigned long long)c->errors,
				c->total_ns / 1e9);
			sb_free(&name);
		}
	if (!any)
		fputs("futex operations: none — no thread ever slept or woke another in the kernel\n", f);
}

int cmd_list(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "oslab: list takes no arguments; try 'oslab list'\n");
		return 2;
	}
	for (size_t i = 0; i < N_GUIDES; i++) {
		char path[PATH_MAX], python[PATH_MAX], cmd[2 * PATH_MAX + 32], line[512];
		FILE *p;

		if (guides[i]->script && python_path(python, sizeof(python))) {
			printf("%-10s (python3 not installed)\n", guides[i]->lab);
			continue;
		}
		if (lab_path(guides[i], path, sizeof(path))) {
			printf("%-10s (not built: run make)\n", guides[i]->lab);
			continue;
		}
		/* the lab program is the one place that describes its variants */
		if (guides[i]->script)
			snprintf(cmd, sizeof(cmd), "'%s' -E -s -B '%s' --list", python, path);
		else
			snprintf(cmd, sizeof(cmd), "'%s' --list", path);
		p = popen(cmd, "r");
		if (!p)
			continue;
		while (fgets(line, sizeof(line), p)) {
			char *tab = strchr(line, '\t');

			if (!tab)
				continue;
			*tab = '\0';
			printf("%-10s %-12s %s", guides[i]->lab, line, tab + 1);
		}
		pclose(p);
	}
	return 0;
}

/* Run the lab program with --check first: its own one-line error for a bad
 * option, before any probe is loaded. */
static int lab_check(char **lab_argv)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(lab_argv[0], lab_argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int cmd_run(int argc, char **argv)
{
	char *lab_argv[MAX_ARGS + 4 + N_PYTHON_FLAGS], *trace_argv[MAX_ARGS + 1], path[PATH_MAX];
	char python[PATH_MAX], fdnum[16];
	int n_lab = 0, n_trace = 0, code, pipefd[2] = { -1, -1 };
	const struct guide_variant *v;
	const struct guide *g;
	int first;
	struct trace_opts o;
	struct trace_result r;
	struct lab_run run = { .r = &r };
	struct expect e = { .out = stdout };
	bool takes;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "oslab: usage: oslab run LAB [VARIANT] [options]; 'oslab list' "
				"shows the labs\n");
		return 2;
	}
	g = guide_by_name(argv[1]);
	if (!g) {
		fprintf(stderr, "oslab: unknown lab '%s'; 'oslab list' shows the labs\n", argv[1]);
		return 2;
	}
	/* no variant: the lab's first, its basic one */
	first = argc < 3 || argv[2][0] == '-' ? 2 : 3;
	v = first == 2 ? &g->variants[0] : variant_by_name(g, argv[2]);
	if (!v) {
		fprintf(stderr, "oslab: lab '%s' has no variant '%s'; 'oslab list' shows them\n",
			g->lab, argv[2]);
		return 2;
	}
	if (g->script && python_path(python, sizeof(python))) {
		/* 77: skipped, not failed (the automake and strace convention) */
		fprintf(stderr, "oslab: the '%s' lab runs python3, which is not installed\n", g->lab);
		return 77;
	}
	if (lab_path(g, path, sizeof(path))) {
		fprintf(stderr, "oslab: the '%s' lab program is not built; run make\n", g->lab);
		return 1;
	}
	if (g->script) {
		lab_argv[n_lab++] = python;
		for (size_t i = 0; i < N_PYTHON_FLAGS; i++)
			lab_argv[n_lab++] = (char *)python_flags[i];
	}
	lab_argv[n_lab++] = path;
	lab_argv[n_lab++] = (char *)v->name;
	trace_argv[n_trace++] = "oslab run";
	for (int i = first; i < argc; i++) {
		if (n_lab >= MAX_ARGS || n_trace >= MAX_ARGS) {
			fprintf(stderr, "oslab: too many arguments\n");
			return 2;
		}
		if (is_trace_opt(argv[i], &takes)) {
			trace_argv[n_trace++] = argv[i];
			if (takes && i + 1 < argc)
				trace_argv[n_trace++] = argv[++i];
		} else {
			lab_argv[n_lab++] = argv[i];
		}
	}
	trace_argv[n_trace] = NULL;
	trace_opts_default(&o);
	o.log = false;		/* a guided run shows reports; -C adds the log */
	o.summary = true;
	o.timed = true;		/* lessons read latencies: the blocked call, the slow loop */
	if (trace_parse(&o, n_trace, trace_argv, false) < 0)
		return 2;
	/* the reports this lesson needs, on top of any asked for */
	o.tree |= !!(v->reports & REPORT_TREE);
	o.locks |= !!(v->reports & REPORT_LOCKS);
	o.sockets |= !!(v->reports & REPORT_SOCKETS);
	o.timeline |= !!(v->reports & REPORT_TIMELINE);
	if (optind < n_trace) {
		fprintf(stderr, "oslab: unexpected argument '%s'; try 'oslab run --help'\n",
			trace_argv[optind]);
		return 2;
	}
	decode_strsize = o.strsize;
	lab_argv[n_lab++] = "--check";
	lab_argv[n_lab] = NULL;
	if (lab_check(lab_argv))
		return 2;
	lab_argv[--n_lab] = NULL;

	/* the write end stays open across exec for the lab; ours is never read
	 * to EOF, so the read side is non-blocking and read once all exited */
	if (pipe2(pipefd, O_NONBLOCK)) {
		fprintf(stderr, "oslab: failed to create the results pipe: %s\n", strerror(errno));
		return 1;
	}
	fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
	snprintf(fdnum, sizeof(fdnum), "%d", pipefd[1]);
	setenv("OSLAB_RESULT_FD", fdnum, 1);

	printf("== oslab run %s %s ==\n%s\n\n-- the lab's output --\n", g->lab, v->name, v->watch);
	fflush(stdout);
	if (trace_command(&o, lab_argv, &r, &code)) {
		close(pipefd[0]);
		close(pipefd[1]);
		return code;
	}
	close(pipefd[1]);
	read_results(pipefd[0], &run);
	close(pipefd[0]);
	run.lab_status = r.status;

	printf("\n-- what the kernel did --\n");
	trace_report(&o, &r, stdout);
	if (v->reports & REPORT_FUTEX) {
		printf("\n");
		print_futex(stdout, &r.procs);
	}
	printf("\n-- expectations --\n");
	e.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (o.jsonfile)
		e.json = fopen_as_user(o.jsonfile, "a");
	expect_true(&e, WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0,
		    "the lab program exited with status 0",
		    "it checks its own result and says so in its exit status");
	v->check(&e, &run);
	if (r.stats.lost_threads || r.stats.lost_exits)
		expect_true(&e, false, "every task was followed",
			    "the probes' maps were full, so counts are incomplete");
	printf("\n%u of %u expectations held\n", e.passed, e.passed + e.failed);
	if (e.json)
		fclose(e.json);
	free(run.kv);
	trace_result_free(&r);
	return e.failed ? 1 : 0;
}
