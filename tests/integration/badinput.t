#!/usr/bin/env bash
# Bad input and privileges: every case gets one clear line on stderr and a
# non-zero exit, and leaves nothing behind (no BPF link, no process, no file).
# Also here: what the traced command inherits (no capabilities, no BPF
# descriptors) and that only the traced tree is reported.
#
# exit.t and attach.t hold the rest of the table: a missing or non-executable
# command, -s -1, an unknown -e set, a bad flag, -o into a missing directory,
# -p with a missing pid, a kernel thread or oslab itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/probes.sh"
need_root
need jq
need bpftool
need setpriv

skip() { # skip NAME REASON
	n_tests=$((n_tests + 1))
	echo "ok $n_tests # skip $1: $2"
}

# A copy of oslab and the fork and threads labs that any user can run (the
# build directory may not be readable by nobody).
mkdir -p "$tmp/bin/labs"
cp "$OSLAB" "$tmp/bin/oslab"
cp "$BUILD/labs/fork" "$BUILD/labs/threads" "$tmp/bin/labs/"
chmod -R a+rX "$tmp/bin"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# with ambient capabilities: what a service manager or setpriv hands a program
nobody_caps() { # nobody_caps CAPS CMD...
	local caps=$1
	shift
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps "$caps" \
		--ambient-caps "$caps" "$@"
}

# The kernel's BTF with one tracepoint's name changed, so oslab looks for it
# in vain: how a kernel without that tracepoint looks to it.
renamed_btf() { # renamed_btf TRACEPOINT FILE
	cp /sys/kernel/btf/vmlinux "$2" &&
		perl -0777 -pi -e "s/btf_trace_$1\\0/btf_trace_${1%?}X\\0/" "$2" &&
		! cmp -s "$2" /sys/kernel/btf/vmlinux
}
# in a mount namespace of its own: oslab sees another /sys/kernel/btf
have_unshare=0
unshare -m true 2>/dev/null && have_unshare=1

mkdir -p "$tmp/out" "$tmp/rootonly"
chmod 700 "$tmp/rootonly"
printf 'not a program\n' >"$tmp/garbage"
chmod 755 "$tmp/garbage"
# a zombie: a child its parent (perl) has not waited for, for 30 s
perl -e '$| = 1; $p = fork(); exit 0 unless $p; print "$p\n"; sleep 30' >"$tmp/zombie" &
zombie_parent=$!
for _ in $(seq 50); do [ -s "$tmp/zombie" ] && break; sleep 0.1; done
zombie=$(cat "$tmp/zombie")
many=$(seq -s, 1 65)

cases=0
# bad STATUS REGEX NAME CMD...: CMD exits with STATUS and says REGEX on
# exactly one stderr line; then no BPF link is left unheld, no process of
# ours is left running, and $tmp/out is still empty.
bad() {
	local st=$1 re=$2 name=$3 out got left
	shift 3
	cases=$((cases + 1))
	out=$("$@" 2>&1 >/dev/null </dev/null)
	got=$?
	is "$got" "$st" "$name: exit status"
	like "$out" "$re" "$name: message"
	is "$(grep -c . <<<"$out")" 1 "$name: one line on stderr"
	left=$(unheld_links)
	is "$left" "" "$name: no BPF link left behind"
	pgrep -P $$ >"$tmp/children"
	is "$(grep -vx "$zombie_parent" "$tmp/children")" "" "$name: no process left running"
	is "$(ls -A "$tmp/out")" "" "$name: no file left behind"
}

O=$tmp/bin/oslab

# -- privileges --
bad 1 "^oslab: tracing needs root \(or CAP_BPF and CAP_PERFMON\): run it with sudo$" \
	"not root" nobody "$O" trace -- true
bad 1 "^oslab: tracing needs root" \
	"not root, CAP_BPF without CAP_PERFMON" nobody_caps +bpf "$O" trace -- true
bad 1 "^oslab: tracing needs root" \
	"not root, a guided lab" nobody "$O" run fork basic
bad 1 "^oslab: tracing needs root" \
	"not root, -p" nobody "$O" trace -p $$ -d 1

# -- the kernel --
if [ $have_unshare = 1 ]; then
	bad 1 "^oslab: this kernel has no BTF \(/sys/kernel/btf/vmlinux\): oslab needs Linux 5.8\+" \
		"no BTF" unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$0" trace -- true' "$O"
	if renamed_btf sched_process_exec "$tmp/no-exec.btf"; then
		bad 1 "^oslab: this kernel has no 'sched_process_exec' tracepoint, which oslab needs$" \
			"no sched_process_exec tracepoint" unshare -m sh -c \
			'mount --bind "$1" /sys/kernel/btf/vmlinux && exec "$0" trace -- true' "$O" "$tmp/no-exec.btf"
	else
		skip "no sched_process_exec tracepoint" "could not rename it in a copy of the BTF"
	fi
	if renamed_btf sched_switch "$tmp/no-switch.btf"; then
		bad 1 "^oslab: this kernel has no 'sched_switch' tracepoint, which these reports need$" \
			"no sched_switch tracepoint, --tree" unshare -m sh -c \
			'mount --bind "$1" /sys/kernel/btf/vmlinux && exec "$0" trace --tree -- true' "$O" "$tmp/no-switch.btf"
		unshare -m sh -c 'mount --bind "$1" /sys/kernel/btf/vmlinux && exec "$0" trace -c -o /dev/null -- true' \
			"$O" "$tmp/no-switch.btf"
		is $? 0 "no sched_switch tracepoint: a trace without the scheduler reports still runs"
	else
		skip "no sched_switch tracepoint" "could not rename it in a copy of the BTF"
	fi
	# tp_btf needs no tracefs: hide it (and debugfs) and trace everything
	j=$tmp/notracefs.jsonl
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/tracing; mount -t tmpfs none /sys/kernel/debug;
		exec "$0" trace -c --all --json "$1" -o /dev/null -- "$2" 3' "$O" "$j" "$PROGS/threads" >/dev/null
	is $? 0 "no tracefs: oslab needs none (BTF raw tracepoints)"
	is "$(calls "$j" clone3)" 3 "no tracefs: the counts are exact (3 clone3)"
	rm -f "$j"
else
	for c in "no BTF" "no sched_process_exec tracepoint" "no sched_switch tracepoint" "no tracefs"; do
		skip "$c" "unshare -m (a mount namespace) is not allowed here"
	done
fi

# -- labs and options --
bad 2 "^oslab: unknown lab 'nolab'; 'oslab list' shows the labs$" "unknown lab" \
	"$OSLAB" run nolab
bad 2 "^oslab: lab 'fork' has no variant 'novariant'" "unknown variant" \
	"$OSLAB" run fork novariant
bad 2 "^fork: unknown option '--bogus'; try 'fork --help'$" "unknown lab option" \
	"$OSLAB" run fork basic --bogus
bad 2 "^threads: --threads must be between 1 and 1000, not 0" "--threads 0" \
	"$OSLAB" run threads basic --threads 0
bad 2 "^threads: --threads must be between 1 and 1000, not 1000000" "--threads 1000000" \
	"$OSLAB" run threads basic --threads 1000000
bad 2 "^threads: --threads must be between 1 and 1000, not -4" "--threads -4" \
	"$OSLAB" run threads basic --threads -4
bad 2 "^oslab: -s takes a number from 0 to 4000, not '-1'$" "oslab run -s -1" \
	"$OSLAB" run fork basic -s -1
bad 2 "^oslab: -s takes a number from 0 to 4000, not '4001'$" "-s 4001" \
	"$OSLAB" trace -s 4001 -- true
bad 2 "^oslab: -s takes a number from 0 to 4000, not '99999999999999999999'$" "-s overflowing" \
	"$OSLAB" trace -s 99999999999999999999 -- true
bad 2 "^oslab: --buffer-size takes a power of two from 4096 to 1G, not '1000'$" "--buffer-size 1000" \
	"$OSLAB" trace --buffer-size 1000 -- true
bad 2 "^oslab: --buffer-size takes a power of two from 4096 to 1G, not '3M'$" "--buffer-size 3M" \
	"$OSLAB" trace --buffer-size 3M -- true
bad 2 "^oslab: --buffer-size takes a power of two from 4096 to 1G, not '2G'$" "--buffer-size 2G" \
	"$OSLAB" trace --buffer-size 2G -- true
bad 2 "^oslab: -d takes seconds, more than 0 and at most 86400, not '0'$" "-d 0" \
	"$OSLAB" trace -p $$ -d 0
bad 2 "^oslab: -d goes with -p" "-d without -p" "$OSLAB" trace -d 1 -- true
bad 2 "^oslab: -e supports only trace=SET, not 'write'" "-e without trace=" \
	"$OSLAB" trace -e write -- true
bad 2 "^oslab: unknown or incomplete option '--bogus'; try 'oslab trace --help'$" "unknown long option" \
	"$OSLAB" trace --bogus -- true
bad 2 "^oslab: option -o needs an argument; try 'oslab trace --help'$" "-o without FILE" \
	"$OSLAB" trace -o
bad 2 "^oslab: option '--json' needs an argument; try 'oslab trace --help'$" "--json without FILE" \
	"$OSLAB" trace --json
bad 2 "^oslab: option '--tree' takes no argument; try 'oslab trace --help'$" "--tree=x" \
	"$OSLAB" trace --tree=x -- true
bad 2 "^oslab: unknown command 'tracee'; try 'oslab help'$" "unknown command" "$OSLAB" tracee
bad 2 "^oslab: list takes no arguments" "list with an argument" "$OSLAB" list extra

# -- the command --
bad 126 "^oslab: cannot run '$tmp': is a directory$" "a directory" "$OSLAB" trace -- "$tmp"
bad 126 "^oslab: failed to execute '$tmp/garbage': Exec format error$" "not a program (ENOEXEC)" \
	"$OSLAB" trace -- "$tmp/garbage"
bad 127 "^oslab: cannot run 'no-such-cmd': command not found$" "not on an empty PATH" \
	env PATH= "$OSLAB" trace -- no-such-cmd

# -- -p --
bad 2 "^oslab: -p takes PID\[,PID...\], positive numbers, not '0'$" "-p 0" "$OSLAB" trace -p 0
bad 2 "^oslab: -p takes PID\[,PID...\], positive numbers, not '-5'$" "-p -5" "$OSLAB" trace -p -5
bad 2 "^oslab: -p takes PID\[,PID...\], positive numbers, not '1,,2'$" "-p 1,,2" "$OSLAB" trace -p 1,,2
bad 2 "^oslab: -p takes PID\[,PID...\], positive numbers, not '99999999999'$" "-p out of range" \
	"$OSLAB" trace -p 99999999999
bad 2 "^oslab: -p takes at most 64 pids$" "-p with 65 pids" "$OSLAB" trace -p "$many"
bad 1 "^oslab: $zombie \(perl\) has exited: a zombie until its parent waits for it$" "-p a zombie" \
	"$OSLAB" trace -p "$zombie" -d 1

# -- output files: refused before anything runs --
bad 1 "^oslab: failed to open '/nonexistent/x.jsonl' for writing: No such file or directory$" \
	"--json into a missing directory" "$OSLAB" trace --json /nonexistent/x.jsonl -- touch "$tmp/out/ran"
bad 1 "^oslab: failed to open '/nonexistent/t.json.gz' for writing: No such file or directory$" \
	"--perfetto into a missing directory" "$OSLAB" trace --perfetto /nonexistent/t.json.gz -- touch "$tmp/out/ran"
bad 1 "^oslab: failed to open '$tmp/out' for writing: Is a directory$" "-o a directory" \
	"$OSLAB" trace -o "$tmp/out" -- touch "$tmp/out/ran"
bad 1 "^oslab: failed to open '$tmp/rootonly/x.jsonl' for writing: Permission denied$" \
	"--json where the invoking user may not write" \
	env SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" trace --json "$tmp/rootonly/x.jsonl" -- touch "$tmp/out/ran"
bad 1 "^oslab: failed to open '$tmp/rootonly/t.json.gz' for writing: Permission denied$" \
	"--perfetto where the invoking user may not write" \
	env SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" trace --perfetto "$tmp/rootonly/t.json.gz" -- touch "$tmp/out/ran"
is "$(ls -A "$tmp/rootonly")" "" "no file was created where the invoking user may not write"
# a run that fails after the --perfetto file was created removes it again
"$OSLAB" trace --perfetto "$tmp/p.json.gz" -- no-such-cmd 2>/dev/null
ok "$([ ! -e "$tmp/p.json.gz" ]; echo $?)" "a failed run leaves no empty --perfetto file to refuse next time"
kill "$zombie_parent" 2>/dev/null
wait "$zombie_parent" 2>/dev/null

# -- what the traced command inherits --
# CAP_BPF and CAP_PERFMON suffice to trace, and the command gets neither.
out=$(nobody_caps +bpf,+perfmon "$O" trace -c -o /dev/null -- grep -E '^Cap(Eff|Prm|Amb)' /proc/self/status)
is $? 0 "not root but CAP_BPF and CAP_PERFMON: tracing works"
is "$(awk '{print $2}' <<<"$out" | sort -u)" "0000000000000000" \
	"... and the command runs with no capabilities ($(tr '\n\t' ' ' <<<"$out"))"
out=$(SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" trace -c -o /dev/null -- grep -E '^Cap(Eff|Prm|Amb)' /proc/self/status)
is "$(awk '{print $2}' <<<"$out" | sort -u)" "0000000000000000" "under sudo: the command has no capabilities"
# none of oslab's descriptors: no BPF object, no -o or --json file
out=$("$OSLAB" trace -c -o "$tmp/fds.txt" --json "$tmp/fds.jsonl" -- sh -c 'ls -l /proc/$$/fd')
ok "$(! grep -q bpf <<<"$out"; echo $?)" "the command holds no BPF map, program or link"
ok "$(! grep -q 'fds\.' <<<"$out"; echo $?)" "nor oslab's output files"

# -- only the traced tree is reported --
"$PROGS/faults" ignore-term >/dev/null &
bystander=$!
j=$tmp/tree.jsonl
"$OSLAB" trace -c --json "$j" -- "$PROGS/forks" 2 1 >/dev/null 2>&1
is "$(calls "$j" write)" 3 "an untraced writer nearby: only the tree's 3 writes are counted"
is "$(jqs "$j" "[.[] | select(.type==\"process\" and .pid==$bystander)] | length")" 0 \
	"and the untraced process is not in the tree"
kill -9 "$bystander"
wait "$bystander" 2>/dev/null

echo "# $cases bad-input cases"
is "$(unheld_links)" "" "in the end, no BPF link is left that nobody holds"
done_testing
