/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * bench.c - `make bench`: what tracing costs the traced program.
 *
 * Each workload (the small programs beside this file, and /bin/true) runs
 *
 *   untraced                        the baseline
 *   oslab trace -c --json F -- ...  exact in-kernel counts only
 *   oslab trace -o FILE -- ...      the full decoded log
 *   strace -f -o /dev/null -- ...   at a smaller N (strace is ~100x slower),
 *                                   with its own untraced baseline at that N
 *
 * interleaved (A B C D E A B C D E ...) so that drift on the machine hits every
 * mode alike.  Per mode it prints the median wall time, the ratio to untraced,
 * the time added per traced syscall, the events counted and lost, and the
 * tracer's own peak RSS.
 *
 * Why these mechanisms:
 *  - wall time is CLOCK_MONOTONIC from just before fork() to the wait4() that
 *    reaps the process: it includes the tracer's start-up and tear-down;
 *  - "traced syscalls" is exact: oslab's own summary records (the -c run's
 *    JSON) or the lines of the -o log plus the events it reports lost; for
 *    strace, the calls of one extra untimed `strace -f -c` run;
 *  - the tracer's peak RSS must not include the traced program's (a grandchild
 *    that the tracer reaps, whose maxrss wait4() would fold in), so the harness
 *    attaches to the tracer with PTRACE_SEIZE and PTRACE_O_TRACEEXIT only and,
 *    when it stops on its way out (memory still mapped), reads its own VmHWM
 *    from /proc/PID/status.  The stop costs tens of microseconds; that time is
 *    measured and taken out of the wall time;
 *  - another tracer running beside a run (an oslab test, bpftrace, perf) hooks
 *    every syscall on the machine, and other work takes CPU time on a small
 *    machine, so before each run the harness waits until no tracing BPF
 *    program is loaded and the CPUs are idle; during the run it looks for
 *    other tracers' links every 100 ms and, after it, for CPU time that the
 *    run's own processes did not use (/proc/stat against wait4's rusage); a
 *    disturbed run is run again (up to 3 times; then it is marked *).
 *
 * With --quick it is a smoke test: fewer runs and smaller sizes, no targets,
 * but every count is still checked exactly and any failure exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS_DEFAULT  5		   /* timed runs per mode */
#define RUNS_QUICK    1		   /* --quick */
#define RUNS_MAX      100	   /* --runs limit */
#define MAX_ARGS      16	   /* argv entries of one command */
#define MAX_EXPECT    3		   /* syscalls with an exact expected count per workload */
#define NSEC	      1000000000LL /* ns per second */
#define OUT_MAX	      1024	   /* length of the output directory name */
#define QUIET_POLL_MS 100	   /* how often to look for other tracers and work */
#define IDLE_MAX_NS   20000000LL   /* CPU time in one poll that still counts as idle */
#define BUSY_MIN_NS   30000000LL   /* others' CPU time that disturbs a run (or 10% of it) */
#define QUIET_WAIT_MS 10000	   /* how long to wait for them before a run */
#define PATIENCE_MS   120000	   /* all the waiting one benchmark may do */
#define WATCH_MS      100	   /* how often to look for them during a run */
#define ATTEMPTS      3		   /* tries at a run that another tracer disturbed */

enum mode {
	M_PLAIN,   /* untraced, at N */
	M_COUNT,   /* oslab trace -c, at N */
	M_LOG,	   /* oslab trace -o FILE, at N */
	M_PLAIN_S, /* untraced, at strace's N */
	M_STRACE,  /* strace -f -o /dev/null, at strace's N */
	MODES,
	M_STRACE_COUNT = MODES, /* strace -f -c -o FILE: its call count, untimed */
};

static const char *const mode_names[MODES] = {
    "untraced", "oslab -c", "oslab -o FILE", "untraced", "strace -f",
};

/* A syscall whose count the workload fixes: per_n * N + extra calls. */
struct expect {
	const char *syscall;
	long per_n;
	long extra;
};

struct workload {
	const char *name;
	const char *what;    /* one line for the legend */
	const char *prog;    /* in --bin, or an absolute path */
	const char *args[4]; /* "N" stands for the size */
	long n, n_strace;    /* sizes of a full run */
	long quick_n, quick_n_strace;
	bool startup; /* a start-up measurement: no per-call figure */
	struct expect expect[MAX_EXPECT];
};

/* start-up first: its overhead per mode is what "net" takes out of the others */
static const struct workload workloads[] = {
    {
	.name = "start-up",
	.what = "trace /bin/true: start-up and tear-down",
	.prog = "/bin/true",
	.n = 1,
	.n_strace = 1,
	.quick_n = 1,
	.quick_n_strace = 1,
	.startup = true,
	.expect = {{"execve", 0, 1}, {"exit_group", 0, 1}},
    },
    {
	.name = "write",
	.what = "one-byte write(2) calls to /dev/null",
	.prog = "writes",
	.args = {"N"},
	.n = 1000000,
	.n_strace = 20000,
	.quick_n = 1000000,
	.quick_n_strace = 2000,
	.expect = {{"write", 1, 0}},
    },
    {
	.name = "mutex",
	.what = "4 threads lock/unlock one pthread mutex N times each",
	.prog = "mutex",
	.args = {"4", "N"},
	.n = 200000,
	.n_strace = 20000,
	.quick_n = 200000,
	.quick_n_strace = 2000,
	.expect = {{"clone3", 0, 4}},
    },
    {
	.name = "spawn",
	.what = "N fork+wait, then N pthread create+join",
	.prog = "spawn",
	.args = {"N", "N"},
	.n = 2000,
	.n_strace = 200,
	.quick_n = 300,
	.quick_n_strace = 30,
	.expect = {{"clone", 1, 0}, {"clone3", 1, 0}, {"wait4", 1, 0}},
    },
    {
	.name = "tcp",
	.what = "64-byte round trips over loopback TCP (127.0.0.1)",
	.prog = "tcp",
	.args = {"N"},
	.n = 50000,
	.n_strace = 5000,
	.quick_n = 10000,
	.quick_n_strace = 500,
	.expect = {{"write", 2, 0}, {"accept4", 0, 1}},
    },
};
#define N_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

/* One run of one mode. */
struct run {
	long long wall_ns;
	long long calls;	      /* traced syscalls (-1: not known) */
	long long lost;		      /* events the tracer reported lost (-1: not known) */
	long long rss_kb;	      /* the tracer's own VmHWM (-1: none) */
	long long counts[MAX_EXPECT]; /* the expected syscalls, as traced */
	bool disturbed;		      /* another tracer was loaded beside it */
};

/* What one mode came to over all runs. */
struct figures {
	bool ran;
	long n;
	long long wall_ns, calls, lost_max, rss_max_kb; /* medians, or max where named */
	double ratio;					/* wall / untraced wall at the same N */
	double ns_per_call;  /* (wall - untraced wall) / calls; < 0 if not known */
	double net_per_call; /* the same without the mode's start-up overhead */
	int disturbed;	     /* runs that had another tracer beside them */
	int failed;	     /* runs that crashed or traced a wrong count */
};

struct config {
	const char *oslab;
	const char *bin;
	char out[OUT_MAX];
	const char *strace; /* NULL: not installed, the strace modes are skipped */
	int runs;
	bool quick;
	bool keep;	  /* keep the logs and JSON files */
	const char *only; /* run just this workload */
};

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench: FAIL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* VmHWM of a live (or exit-stopped) process, in kB; -1 if unreadable. */
static long long vmhwm_kb(pid_t pid)
{
	char path[64], line[256];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Calls bpf(2) without libbpf: the harness links nothing but libc. */
static int sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Does process pid hold BPF link id (an open fd of it)? */
static bool holds_link(pid_t pid, __u32 id)
{
	char path[64], line[128], fdinfo[320];
	struct dirent *de;
	bool found = false;
	unsigned v;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
	d = opendir(path);
	while (d && !found && (de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdinfo, sizeof(fdinfo), "%s/%s", path, de->d_name);
		f = fopen(fdinfo, "re");
		while (f && !found && fgets(line, sizeof(line), f))
			found = sscanf(line, "link_id: %u", &v) == 1 && v == id;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

/* Fill info for the BPF object id of a kind (programs or links); 0 on success. */
static int bpf_info(enum bpf_cmd get_fd, __u32 id, void *info, __u32 size)
{
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	if (get_fd == BPF_PROG_GET_FD_BY_ID)
		attr.prog_id = id;
	else
		attr.link_id = id;
	fd = sys_bpf(get_fd, &attr);
	if (fd < 0)
		return -1;
	memset(info, 0, size);
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = size;
	attr.info.info = (__u64)(unsigned long)info;
	err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
	close(fd);
	return err;
}

/*
 * Another tracer (an oslab test, bpftrace, perf) hooks every syscall on the
 * machine, the untraced baseline's as well as ours, so a run beside one is
 * not clean.
 *
 * BPF programs of the tracing kinds loaded now, attached or not: before a
 * run there must be none, not even the last run's, which the kernel frees a
 * little after the tracer has closed them.
 */
static int tracing_programs(void)
{
	struct bpf_prog_info info;
	union bpf_attr attr = {0};
	int n = 0;

	while (!sys_bpf(BPF_PROG_GET_NEXT_ID, &attr)) {
		attr.start_id = attr.next_id;
		if (!bpf_info(BPF_PROG_GET_FD_BY_ID, attr.next_id, &info, sizeof(info)) &&
		    (info.type == BPF_PROG_TYPE_KPROBE || info.type == BPF_PROG_TYPE_TRACEPOINT ||
		     info.type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
		     info.type == BPF_PROG_TYPE_TRACING || info.type == BPF_PROG_TYPE_PERF_EVENT))
			n++;
	}
	return n;
}

/*
 * During a run: tracing links (attached programs) that the tracer under test
 * (process own, 0 for none) does not hold.  A link's id goes when its last
 * fd closes, so the tracer's own links vanish with it, unlike its programs.
 */
static int foreign_links(pid_t own)
{
	struct bpf_link_info info;
	union bpf_attr attr = {0};
	int n = 0;

	while (!sys_bpf(BPF_LINK_GET_NEXT_ID, &attr)) {
		attr.start_id = attr.next_id;
		if (!bpf_info(BPF_LINK_GET_FD_BY_ID, attr.next_id, &info, sizeof(info)) &&
		    (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT ||
		     info.type == BPF_LINK_TYPE_TRACING || info.type == BPF_LINK_TYPE_PERF_EVENT ||
		     info.type == BPF_LINK_TYPE_KPROBE_MULTI ||
		     info.type == 12 /* BPF_LINK_TYPE_UPROBE_MULTI, Linux 6.6 */) &&
		    !(own > 0 && holds_link(own, attr.next_id)))
			n++;
	}
	return n;
}

static int patience_ms = PATIENCE_MS; /* what is left of it */

/* Wait up to QUIET_WAIT_MS for other tracers (and the last run's, which the
 * kernel frees a little after it exits) to go; false if one is still there. */
/* CPU time the machine has spent busy, all CPUs together, in ns (/proc/stat). */
static long long busy_ns(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return 0;
	/* user nice system idle iowait irq softirq steal: all but idle and iowait */
	return (long long)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * (NSEC / sysconf(_SC_CLK_TCK));
}

/* Wait up to QUIET_WAIT_MS until no tracing program is loaded and the CPUs
 * are idle for a poll; false if they never were. */
static bool wait_quiet(void)
{
	struct timespec poll = {0, QUIET_POLL_MS * 1000000L};

	for (int waited = 0;; waited += QUIET_POLL_MS) {
		long long busy = busy_ns();

		nanosleep(&poll, NULL);
		patience_ms -= QUIET_POLL_MS;
		if (!tracing_programs() && busy_ns() - busy <= IDLE_MAX_NS)
			return true;
		if (waited >= QUIET_WAIT_MS || patience_ms <= 0)
			return false;
	}
}

static void on_alarm(int sig)
{
	(void)sig; /* only interrupts wait4() so that run_cmd looks around */
}

/*
 * Run argv with stdout to /dev/null and stderr to errfile; fill wall_ns, and
 * with trace_exit the process's own peak RSS (see the top of the file).
 * Returns the wait status, or -1 if it could not be run.
 */
static int run_cmd(char *const argv[], const char *errfile, bool trace_exit, struct run *r)
{
	struct itimerval watch = {{0, WATCH_MS * 1000}, {0, WATCH_MS * 1000}}, off = {0};
	long long t0, stop_ns = 0;
	int sync[2], status = -1;
	long long busy = busy_ns(), others;
	struct rusage ru;
	pid_t pid, w;
	char go;

	if (pipe2(sync, O_CLOEXEC))
		return -1;
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		close(sync[0]);
		close(sync[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null < 0 || err < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(err, 2) < 0)
			_exit(126);
		close(sync[1]);
		/* wait until the parent has attached, so no exit goes unseen */
		if (read(sync[0], &go, 1) != 1)
			_exit(126);
		execv(argv[0], argv);
		dprintf(2, "bench: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(sync[0]);
	if (trace_exit && ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)) {
		fprintf(stderr, "bench: PTRACE_SEIZE %d: %s\n", pid, strerror(errno));
		trace_exit = false;
	}
	if (write(sync[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(sync[1]);
	r->rss_kb = -1;
	setitimer(ITIMER_REAL, &watch, NULL);
	for (;;) {
		w = wait4(-1, &status, __WALL, &ru);
		if (w < 0 && errno == EINTR) {
			/* the tracer under test is pid itself, or nothing */
			if (foreign_links(trace_exit ? pid : 0))
				r->disturbed = true;
			continue;
		}
		if (w < 0)
			break;
		if (w == pid && (WIFEXITED(status) || WIFSIGNALED(status)))
			break;
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			long long t = now_ns();

			if (w == pid) {
				r->rss_kb = vmhwm_kb(pid);
				if (foreign_links(pid))
					r->disturbed = true;
			}
			ptrace(PTRACE_CONT, w, 0, 0);
			stop_ns += now_ns() - t;
		} else if (status >> 16 == PTRACE_EVENT_STOP) {
			ptrace(PTRACE_CONT, w, 0, 0); /* a group stop: carry on */
		} else {
			ptrace(PTRACE_CONT, w, 0, WSTOPSIG(status)); /* deliver the signal */
		}
	}
	r->wall_ns = now_ns() - t0 - stop_ns;
	/* CPU time that neither this process tree nor an idle machine spent */
	others = busy_ns() - busy - (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * NSEC -
		 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
	if (w > 0 && others > BUSY_MIN_NS && others > r->wall_ns / 10)
		r->disturbed = true;
	setitimer(ITIMER_REAL, &off, NULL);
	return w < 0 ? -1 : status;
}

/* The number after "key": in a JSON line; -1 if absent. */
static long long json_num(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* True if "key":"value" is in a JSON line. */
static bool json_is(const char *line, const char *key, const char *value)
{
	char pat[128];

	snprintf(pat, sizeof(pat), "\"%s\":\"%s\"", key, value);
	return strstr(line, pat) != NULL;
}

/* -c --json: whole-tree summary records (no "pid") and the lost record. */
static int parse_json(const char *path, const struct workload *w, struct run *r)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	r->calls = 0;
	r->lost = -1;
	while (getline(&line, &cap, f) > 0) {
		if (json_is(line, "type", "summary") && !strstr(line, "\"pid\":")) {
			long long calls = json_num(line, "calls");

			r->calls += calls;
			for (int i = 0; i < MAX_EXPECT && w->expect[i].syscall; i++)
				if (json_is(line, "syscall", w->expect[i].syscall))
					r->counts[i] = calls;
		} else if (json_is(line, "type", "lost")) {
			r->lost = json_num(line, "events");
		}
	}
	free(line);
	fclose(f);
	return r->lost < 0 ? -1 : 0;
}

/* -o FILE: one line per call, "[pid N] name(...) = ..."; "+++" lines are exits. */
static int parse_log(const char *path, const struct workload *w, struct run *r)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	r->calls = 0;
	while (getline(&line, &cap, f) > 0) {
		const char *p = strncmp(line, "[pid ", 5) ? NULL : strstr(line, "] ");
		size_t len;

		if (!p || !strncmp(p + 2, "+++", 3))
			continue;
		p += 2;
		len = strcspn(p, "(");
		r->calls++;
		for (int i = 0; i < MAX_EXPECT && w->expect[i].syscall; i++)
			if (strlen(w->expect[i].syscall) == len &&
			    !strncmp(p, w->expect[i].syscall, len))
				r->counts[i]++;
	}
	free(line);
	fclose(f);
	return 0;
}

/* "oslab: N events lost" on the tracer's stderr; 0 when it says nothing. */
static long long parse_lost(const char *path)
{
	char line[512];
	long long n, lost = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oslab: %lld events lost", &n) == 1)
			lost = n;
	fclose(f);
	return lost;
}

/* The "total" line of strace -c: "100.00 SECONDS USECS CALLS [ERRORS] total". */
static long long parse_strace_total(const char *path)
{
	char line[512], *word[8], *save;
	long long calls = -1;
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		n = 0;
		for (char *p = strtok_r(line, " \t\n", &save); p && n < 8;
		     p = strtok_r(NULL, " \t\n", &save))
			word[n++] = p;
		if (n >= 5 && !strcmp(word[n - 1], "total"))
			calls = strtoll(word[3], NULL, 10);
	}
	fclose(f);
	return calls;
}

/* argv for one mode of a workload at size n; strings live in buf. */
static void build_argv(const struct config *c, const struct workload *w, int m, long n,
		       char *argv[MAX_ARGS], char buf[][PATH_MAX])
{
	int a = 0, b = 0;

	switch (m) {
	case M_COUNT:
		argv[a++] = (char *)c->oslab;
		argv[a++] = "trace";
		argv[a++] = "-c";
		argv[a++] = "--json";
		snprintf(buf[b], PATH_MAX, "%s/%s.json", c->out, w->name);
		argv[a++] = buf[b++];
		argv[a++] = "--";
		break;
	case M_LOG:
		argv[a++] = (char *)c->oslab;
		argv[a++] = "trace";
		argv[a++] = "-o";
		snprintf(buf[b], PATH_MAX, "%s/%s.log", c->out, w->name);
		argv[a++] = buf[b++];
		argv[a++] = "--";
		break;
	case M_STRACE:
		argv[a++] = (char *)c->strace;
		argv[a++] = "-f";
		argv[a++] = "-o";
		argv[a++] = "/dev/null";
		argv[a++] = "--";
		break;
	case M_STRACE_COUNT:
		argv[a++] = (char *)c->strace;
		argv[a++] = "-f";
		argv[a++] = "-c";
		argv[a++] = "-o";
		snprintf(buf[b], PATH_MAX, "%s/%s.strace-c", c->out, w->name);
		argv[a++] = buf[b++];
		argv[a++] = "--";
		break;
	default:
		break;
	}
	if (w->prog[0] == '/')
		snprintf(buf[b], PATH_MAX, "%s", w->prog);
	else
		snprintf(buf[b], PATH_MAX, "%s/%s", c->bin, w->prog);
	argv[a++] = buf[b++];
	for (int i = 0; w->args[i]; i++) {
		if (strcmp(w->args[i], "N")) {
			argv[a++] = (char *)w->args[i];
			continue;
		}
		snprintf(buf[b], PATH_MAX, "%ld", n);
		argv[a++] = buf[b++];
	}
	argv[a] = NULL;
}

/* "4 200000": the workload's arguments at size n. */
static void size_label(const struct workload *w, long n, char *out, size_t size)
{
	size_t len = 0;

	snprintf(out, size, "%s", w->startup ? "1 run" : "");
	for (int i = 0; !w->startup && w->args[i] && len < size; i++) {
		if (strcmp(w->args[i], "N"))
			len += snprintf(out + len, size - len, "%s%s", i ? " " : "", w->args[i]);
		else
			len += snprintf(out + len, size - len, "%s%ld", i ? " " : "", n);
	}
}

/* Run mode m of w once and check what it traced.  Returns false on failure. */
static bool run_mode(const struct config *c, const struct workload *w, enum mode m, long n,
		     struct run *r)
{
	char buf[MAX_ARGS][PATH_MAX], errfile[PATH_MAX], path[PATH_MAX];
	char *argv[MAX_ARGS];
	int st;

	memset(r, 0, sizeof(*r));
	r->calls = r->lost = -1;
	build_argv(c, w, m, n, argv, buf);
	snprintf(errfile, sizeof(errfile), "%s/%s.%d.err", c->out, w->name, m);
	/* --quick asserts no timings: it neither waits nor tries again */
	for (int attempt = 0; attempt < (c->quick ? 1 : ATTEMPTS); attempt++) {
		bool quiet = c->quick || wait_quiet();

		r->disturbed = false;
		st = run_cmd(argv, errfile, m == M_COUNT || m == M_LOG, r);
		r->disturbed = !c->quick && (r->disturbed || !quiet);
		if (!r->disturbed || st < 0 || patience_ms <= 0)
			break;
	}
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fail("%s, %s: exit status %d%s (its messages: %s)", w->name, mode_names[m],
		     st < 0	     ? -1
		     : WIFEXITED(st) ? WEXITSTATUS(st)
				     : 128 + WTERMSIG(st),
		     st >= 0 && WIFSIGNALED(st) ? ", killed by a signal" : "", errfile);
		return false;
	}
	if (m == M_COUNT) {
		snprintf(path, sizeof(path), "%s/%s.json", c->out, w->name);
		if (parse_json(path, w, r)) {
			fail("%s, %s: no summary/lost records in %s", w->name, mode_names[m], path);
			return false;
		}
	} else if (m == M_LOG) {
		snprintf(path, sizeof(path), "%s/%s.log", c->out, w->name);
		r->lost = parse_lost(errfile);
		if (parse_log(path, w, r)) {
			fail("%s, %s: cannot read the log %s", w->name, mode_names[m], path);
			return false;
		}
		r->calls += r->lost; /* traced calls: logged ones and lost ones */
	} else {
		return true;
	}
	/* Exact counts: the product.  A log may miss calls only if it says so. */
	for (int i = 0; i < MAX_EXPECT && w->expect[i].syscall; i++) {
		const struct expect *e = &w->expect[i];
		long long want = e->per_n * n + e->extra, got = r->counts[i];

		if (got == want || (m == M_LOG && got < want && got + r->lost >= want))
			continue;
		fail("%s, %s: %lld %s calls traced, expected exactly %lld", w->name, mode_names[m],
		     got, e->syscall, want);
		return false;
	}
	return true;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void summarize(const struct run *runs, int n, long size, struct figures *f)
{
	long long wall[RUNS_MAX], calls[RUNS_MAX];

	f->ran = true;
	f->n = size;
	f->lost_max = f->rss_max_kb = -1;
	for (int i = 0; i < n; i++) {
		wall[i] = runs[i].wall_ns;
		calls[i] = runs[i].calls;
		if (runs[i].lost > f->lost_max)
			f->lost_max = runs[i].lost;
		if (runs[i].rss_kb > f->rss_max_kb)
			f->rss_max_kb = runs[i].rss_kb;
		f->disturbed += runs[i].disturbed;
	}
	f->wall_ns = median(wall, n);
	f->calls = median(calls, n);
}

/* Ratio and time per call against the untraced baseline at the same N;
 * startup_ns is what the mode adds to /bin/true (0: not known). */
static void compare(struct figures *f, const struct figures *base, long long startup_ns)
{
	f->ratio = (double)f->wall_ns / base->wall_ns;
	f->ns_per_call = f->calls > 0 ? (double)(f->wall_ns - base->wall_ns) / f->calls : -1;
	f->net_per_call = f->calls > 0 && startup_ns > 0
			      ? (double)(f->wall_ns - base->wall_ns - startup_ns) / f->calls
			      : -1;
}

static void print_ms(long long ns, char *out, size_t size)
{
	snprintf(out, size, "%.1f ms", ns / 1e6);
}

static void print_row(const struct workload *w, enum mode m, const struct figures *f)
{
	char size[32], wall[32], ratio[16] = "-", per[16] = "-", net[16] = "-", calls[24] = "-",
				 lost[24] = "-", rss[16] = "-";

	size_label(w, f->n, size, sizeof(size));
	print_ms(f->wall_ns, wall, sizeof(wall));
	if (f->disturbed)
		strcat(wall, " *");
	if (m != M_PLAIN && m != M_PLAIN_S) {
		snprintf(ratio, sizeof(ratio), "%.2fx", f->ratio);
		if (!w->startup && f->calls > 0)
			snprintf(per, sizeof(per), "%.0f", f->ns_per_call);
		if (!w->startup && f->net_per_call != -1)
			snprintf(net, sizeof(net), "%.0f", f->net_per_call);
		if (f->calls >= 0)
			snprintf(calls, sizeof(calls), "%lld", f->calls);
	}
	if (f->lost_max >= 0)
		snprintf(lost, sizeof(lost), "%lld", f->lost_max);
	if (f->rss_max_kb >= 0)
		snprintf(rss, sizeof(rss), "%.1f MB", f->rss_max_kb / 1024.0);
	printf("| %-8s | %-13s | %11s | %12s | %8s | %7s | %7s | %10s | %6s | %8s |\n", w->name,
	       mode_names[m], size, wall, ratio, per, net, calls, lost, rss);
}

static void print_machine(const struct config *c)
{
	char line[256], model[256] = "unknown CPU";
	struct utsname u;
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "model name : %255[^\n]", model) == 1)
			break;
	if (f)
		fclose(f);
	uname(&u);
	printf("machine: %ld CPUs (%s), Linux %s %s\n", sysconf(_SC_NPROCESSORS_ONLN), model,
	       u.release, u.machine);
	printf("runs: %d per mode, interleaved; medians%s\n\n", c->runs,
	       c->quick ? " (quick smoke run: sizes reduced, no targets)" : "");
}

static void print_legend(const struct config *c)
{
	printf("workloads (N as in the table):\n");
	for (size_t i = 0; i < N_WORKLOADS; i++)
		if (!c->only || !strcmp(c->only, workloads[i].name))
			printf("  %-8s  %s\n", workloads[i].name, workloads[i].what);
	printf("columns: wall = median wall time, fork to reap; x untraced = against the\n"
	       "untraced run at the same N; ns/call = (traced - untraced) / traced syscalls;\n"
	       "net = the same after taking out what the mode adds to /bin/true (start-up);\n"
	       "events = traced syscalls (oslab -c: its JSON summary; -o: log lines + lost;\n"
	       "strace: one extra untimed strace -f -c run); lost = worst run; RSS = the\n"
	       "tracer's own peak (VmHWM at exit), worst run; * = another tracer or other\n"
	       "work ran beside some run (%s).\n\n",
	       c->quick ? "--quick does not look" : "in every try, each after a wait for quiet");
}

static void print_header(void)
{
	printf("| %-8s | %-13s | %11s | %12s | %8s | %7s | %7s | %10s | %6s | %8s |\n", "workload",
	       "mode", "N", "wall", "x untr.", "ns/call", "net", "events", "lost", "RSS");
	printf("|----------|---------------|------------:|-------------:|---------:|--------:|"
	       "--------:|-----------:|-------:|---------:|\n");
}

static const struct figures *fig(struct figures f[][MODES], const char *name, enum mode m)
{
	for (size_t i = 0; i < N_WORKLOADS; i++)
		if (!strcmp(workloads[i].name, name))
			return f[i][m].ran ? &f[i][m] : NULL;
	return NULL;
}

static void target(const char *what, bool known, bool met, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void target(const char *what, bool known, bool met, const char *fmt, ...)
{
	char figure[128] = "not measured";
	va_list ap;

	if (known) {
		va_start(ap, fmt);
		vsnprintf(figure, sizeof(figure), fmt, ap);
		va_end(ap);
	}
	printf("| %-46s | %-42s | %-6s |\n", what, figure, !known ? "-" : met ? "met" : "MISSED");
}

/* What a mode adds per traced call: net of its start-up and tear-down, which
 * have a target of their own, when the start-up workload ran beside it. */
static double per_call(const struct figures *m)
{
	return m->net_per_call != -1 ? m->net_per_call : m->ns_per_call;
}

/* The targets of the performance issue, beside the figures (informational). */
static void print_targets(struct figures f[][MODES])
{
	const struct figures *cw = fig(f, "write", M_COUNT), *lw = fig(f, "write", M_LOG);
	const struct figures *sw = fig(f, "write", M_STRACE), *cs = fig(f, "spawn", M_COUNT);
	const struct figures *ct = fig(f, "start-up", M_COUNT);

	printf("\n| %-46s | %-42s | %-6s |\n", "target (informational)", "measured", "result");
	printf("|------------------------------------------------|---------------------------------"
	       "-----------|--------|\n");
	target("-c, write loop: <= 100 ns/call, counts exact", cw,
	       cw && per_call(cw) <= 100 && !cw->failed, "%.0f ns/call net (%.0f gross), %s",
	       cw ? per_call(cw) : 0, cw ? cw->ns_per_call : 0,
	       cw && !cw->failed ? "exact" : "NOT exact");
	target("-o FILE, write loop: <= 400 ns/call", lw, lw && per_call(lw) <= 400,
	       "%.0f ns/call net (%.0f gross)", lw ? per_call(lw) : 0, lw ? lw->ns_per_call : 0);
	target("-o FILE, 1,000,000 writes: 0 lost, log whole", lw && lw->n >= 1000000,
	       lw && lw->lost_max == 0 && !lw->failed, "%lld lost (worst run), log %s",
	       lw ? lw->lost_max : 0, lw && !lw->failed ? "whole" : "NOT whole");
	target("vs strace -f, write loop: >= 30x less per call", lw && sw && per_call(lw) > 0,
	       lw && sw && per_call(sw) >= 30 * per_call(lw),
	       "%.0f vs %.0f ns/call net (-o): %.1fx", sw ? per_call(sw) : 0,
	       lw ? per_call(lw) : 0,
	       lw && sw && per_call(lw) > 0 ? per_call(sw) / per_call(lw) : 0);
	target("spawn (fork/thread), -c: <= 1.5x untraced", cs, cs && cs->ratio <= 1.5, "%.2fx",
	       cs ? cs->ratio : 0);
	target("start-up + tear-down, -c /bin/true: <= 150 ms", ct, ct && ct->wall_ns <= 150000000,
	       "%.1f ms", ct ? ct->wall_ns / 1e6 : 0);
	target("-c RSS independent of event count (<= 1 MB)", cw && ct,
	       cw && ct && cw->rss_max_kb - ct->rss_max_kb <= 1024,
	       "%.1f MB at 1M calls, %.1f MB at /bin/true", cw ? cw->rss_max_kb / 1024.0 : 0,
	       ct ? ct->rss_max_kb / 1024.0 : 0);
	target("-o RSS logging 1,000,000 events: <= 64 MB", lw && lw->n >= 1000000,
	       lw && lw->rss_max_kb <= 64 * 1024, "%.1f MB", lw ? lw->rss_max_kb / 1024.0 : 0);
}

/* Run every mode of w, interleaved, and print its rows. */
static void bench_workload(const struct config *c, size_t wi, struct figures f[MODES],
			   const struct figures startup[MODES])
{
	const struct workload *w = &workloads[wi];
	long n = c->quick ? w->quick_n : w->n;
	long ns = c->quick ? w->quick_n_strace : w->n_strace;
	static struct run runs[MODES][RUNS_MAX];
	bool use[MODES] = {true, true, true, c->strace && ns != n, c->strace != NULL};
	long long strace_calls = -1;
	char buf[MAX_ARGS][PATH_MAX], errfile[PATH_MAX], path[PATH_MAX];
	char *argv[MAX_ARGS];
	int done[MODES] = {0};

	/* strace's call count, from one untimed run (also warms the caches) */
	if (use[M_STRACE]) {
		struct run r;

		build_argv(c, w, M_STRACE_COUNT, ns, argv, buf);
		snprintf(errfile, sizeof(errfile), "%s/%s.strace-c.err", c->out, w->name);
		snprintf(path, sizeof(path), "%s/%s.strace-c", c->out, w->name);
		if (run_cmd(argv, errfile, false, &r) != 0 ||
		    (strace_calls = parse_strace_total(path)) < 0)
			fail("%s: strace -f -c did not run or print a total", w->name);
	}
	for (int i = 0; i < c->runs; i++)
		for (int m = 0; m < MODES; m++) {
			if (!use[m])
				continue;
			if (!run_mode(c, w, m, m >= M_PLAIN_S ? ns : n, &runs[m][done[m]])) {
				f[m].failed++;
				continue;
			}
			if (m == M_STRACE)
				runs[m][done[m]].calls = strace_calls;
			done[m]++;
		}
	for (int m = 0; m < MODES; m++) {
		if (use[m] && done[m])
			summarize(runs[m], done[m], m >= M_PLAIN_S ? ns : n, &f[m]);
	}
	for (int m = M_COUNT; m < MODES; m++) {
		const struct figures *base =
		    m != M_STRACE || !use[M_PLAIN_S] ? &f[M_PLAIN] : &f[M_PLAIN_S];
		long long su = 0;

		if (m == M_PLAIN_S || !f[m].ran || !base->ran)
			continue;
		if (startup && startup[m].ran && startup[M_PLAIN].ran)
			su = startup[m].wall_ns - startup[M_PLAIN].wall_ns;
		compare(&f[m], base, su);
	}
	for (int m = 0; m < MODES; m++)
		if (f[m].ran)
			print_row(w, m, &f[m]);
	fflush(stdout);
}

static void usage(FILE *f)
{
	fputs("usage: bench --oslab PATH --bin DIR [options]\n"
	      "\n"
	      "Time each workload untraced, under oslab trace -c, oslab trace -o FILE and\n"
	      "strace -f, interleaved, and print medians, per-call costs, exact counts and\n"
	      "the tracer's peak RSS.  Needs root (oslab loads BPF programs).\n"
	      "\n"
	      "options:\n"
	      "  --oslab PATH    the oslab binary\n"
	      "  --bin DIR       where the workload programs are\n"
	      "  --out DIR       logs and JSON (default: a fresh directory in $TMPDIR, removed)\n"
	      "  --runs N        timed runs per mode (default 5; --quick: 1)\n"
	      "  --quick         smoke run: smaller sizes, counts checked, no targets\n"
	      "  --only NAME     one workload (write, mutex, spawn, tcp, start-up)\n"
	      "  --keep          keep the output directory\n"
	      "\n"
	      "EXAMPLES\n"
	      "  sudo build/bench/bench --oslab build/oslab --bin build/bench\n"
	      "  sudo build/bench/bench --oslab build/oslab --bin build/bench --only write --runs "
	      "9\n",
	      f);
}

static const char *find_strace(void)
{
	static const char *const paths[] = {"/usr/bin/strace", "/bin/strace",
					    "/usr/local/bin/strace"};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

/* oslab writes its files as the invoking user under sudo: let it. */
static int make_outdir(struct config *c, bool *temp)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");

	if (!c->out[0]) {
		const char *tmp = getenv("TMPDIR");

		if (snprintf(c->out, sizeof(c->out), "%s/oslab-bench.XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(c->out) ||
		    !mkdtemp(c->out))
			return -1;
		*temp = true;
	} else if (mkdir(c->out, 0755) && errno != EEXIST) {
		return -1;
	}
	if (uid && gid && chown(c->out, atoi(uid), atoi(gid)))
		return -1;
	return 0;
}

static void remove_outdir(const struct config *c)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < N_WORKLOADS; i++) {
		static const char *const suffixes[] = {"json",	       "log",	"strace-c",
						       "strace-c.err", "0.err", "1.err",
						       "2.err",	       "3.err", "4.err"};

		for (size_t s = 0; s < sizeof(suffixes) / sizeof(suffixes[0]); s++) {
			snprintf(path, sizeof(path), "%s/%s.%s", c->out, workloads[i].name,
				 suffixes[s]);
			unlink(path);
		}
	}
	rmdir(c->out);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"oslab", required_argument, NULL, 'O'},
	    {"bin", required_argument, NULL, 'B'},
	    {"out", required_argument, NULL, 'D'},
	    {"runs", required_argument, NULL, 'r'},
	    {"quick", no_argument, NULL, 'q'},
	    {"only", required_argument, NULL, '1'},
	    {"keep", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct figures figs[N_WORKLOADS][MODES];
	struct config c = {.runs = 0};
	bool temp = false, known = false;
	int opt;
	char *end;
	long v;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'O':
			c.oslab = optarg;
			break;
		case 'B':
			c.bin = optarg;
			break;
		case 'D':
			if (strlen(optarg) >= sizeof(c.out)) {
				fprintf(stderr, "bench: --out: name too long\n");
				return 2;
			}
			strcpy(c.out, optarg);
			break;
		case 'r':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 || v > RUNS_MAX) {
				fprintf(stderr, "bench: --runs takes 1 to %d, not '%s'\n", RUNS_MAX,
					optarg);
				return 2;
			}
			c.runs = v;
			break;
		case 'q':
			c.quick = true;
			break;
		case '1':
			c.only = optarg;
			break;
		case 'k':
			c.keep = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!c.oslab || !c.bin || optind != argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < N_WORKLOADS; i++)
		known |= c.only && !strcmp(c.only, workloads[i].name);
	if (c.only && !known) {
		fprintf(stderr, "bench: no workload '%s'; see bench --help\n", c.only);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr,
			"bench: needs root to load oslab's BPF programs: run it with sudo\n");
		return 1;
	}
	if (!c.runs)
		c.runs = c.quick ? RUNS_QUICK : RUNS_DEFAULT;
	sigaction(SIGALRM, &(struct sigaction){.sa_handler = on_alarm}, NULL); /* no SA_RESTART */
	c.strace = find_strace();
	if (make_outdir(&c, &temp)) {
		fprintf(stderr, "bench: failed to create the output directory '%s': %s\n", c.out,
			strerror(errno));
		return 1;
	}
	print_machine(&c);
	print_legend(&c);
	if (!c.strace)
		printf("strace is not installed: its rows are skipped\n\n");
	print_header();
	for (size_t i = 0; i < N_WORKLOADS; i++)
		if (!c.only || !strcmp(c.only, workloads[i].name))
			bench_workload(&c, i, figs[i], workloads[0].startup ? figs[0] : NULL);
	if (!c.quick)
		print_targets(figs);
	if (temp && !c.keep)
		remove_outdir(&c);
	else
		printf("\nlogs and JSON: %s\n", c.out);
	if (failures) {
		fprintf(stderr, "bench: %d failure%s\n", failures, failures == 1 ? "" : "s");
		return 1;
	}
	return 0;
}
