#!/usr/bin/env bash
# Plain -c counts each call from its return alone (exit and exit_group when
# the thread dies), with no entry probe; -w times every call from entry to
# exit.  The two are independent ways to the same counts: they must agree,
# and what only -w measures must show only with -w.
. "$(dirname "$0")/lib.sh"
need_root
need jq
need bpftool

F=$PROGS/faults
both() { # both NAME SKIP CMD...: -c and -c -w give the same calls and errors per
	# syscall, but for those in SKIP, whose counts depend on timing: a
	# contended join's futex calls; whether a thread reaches its exit call
	# before the last one's exit_group kills it
	local name=$1 skip=$2
	shift 2
	"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$@" >/dev/null 2>&1
	"$OSLAB" trace -c -w --json "$tmp/w.jsonl" -- "$@" >/dev/null 2>&1
	local q='($skip | split(" ")) as $s
	         | [.[] | select(.type=="summary" and (has("pid")|not) and (.syscall | IN($s[]) | not))
	          | "\(.syscall)=\(.calls)/\(.errors)"] | sort | join(" ")'
	is "$(jq -s -r --arg skip "$skip" "$q" "$tmp/u.jsonl")" \
		"$(jq -s -r --arg skip "$skip" "$q" "$tmp/w.jsonl")" "$name: -c and -c -w count alike"
}

# The entry probe is attached only where it has work: timing, or a logged
# call whose memory is read at entry (execve's argv).  entry_probe MODE...
# says whether a trace in that mode has it loaded, seen from bpftool.
entry_probe() {
	"$OSLAB" trace "$@" -o /dev/null -- sleep 0.5 >/dev/null 2>&1 &
	sleep 0.3
	if bpftool prog show 2>/dev/null | grep -q 'name sys_enter '; then echo yes; else echo no; fi
	wait
}
is "$(entry_probe -c)" no "-c: no entry probe"
is "$(entry_probe -e trace=write)" no "a log of write only: no entry probe"
is "$(entry_probe -e trace=write,execve)" yes "a log with execve: the entry probe reads its argv"
is "$(entry_probe -c -w)" yes "-w: the entry probe times each call"

both "forks 3 2" "" "$PROGS/forks" 3 2
both "threads 5" futex "$PROGS/threads" 5
both "sockets" "" "$PROGS/sockets"
both "segv" "" "$F" segv
both "thread-segv" futex "$F" thread-segv
both "pthread-exit 2" "futex exit" "$F" pthread-exit 2 10
both "thread-exit 3 5" futex "$F" thread-exit 3 5

# who called exit or exit_group, and who was only killed
"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$F" thread-exit 3 5 >/dev/null 2>&1
is "$(calls "$tmp/u.jsonl" exit_group)/$(calls "$tmp/u.jsonl" exit)" 1/0 \
	"thread-exit: one exit_group; the 3 sleepers it kills call no exit"
"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$F" pthread-exit 1 10 >/dev/null 2>&1
is "$(calls "$tmp/u.jsonl" exit_group)/$(calls "$tmp/u.jsonl" exit)" 1/1 \
	"pthread-exit 1: the first of the two threads to finish calls exit, the last exit_group"
"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$F" segv >/dev/null 2>&1
is "$(calls "$tmp/u.jsonl" exit_group)/$(calls "$tmp/u.jsonl" exit)" 0/0 \
	"segv: killed by a signal, no exit call is counted"
"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$PROGS/threads" 4 >/dev/null 2>&1
is "$(calls "$tmp/u.jsonl" exit)" 4 "threads 4: each thread's exit counted at its death"
is "$(calls "$tmp/u.jsonl" clone3)" 4 "threads 4: clone3 counted once, in the parent, not again in the child"

# the time columns belong to -w
out=$("$OSLAB" trace -c -- "$PROGS/writes" 10 2>&1 >/dev/null)
like "$out" "^    calls    errors syscall$" "-c: the table has calls, errors and syscall"
like "$out" "^       10           write$" "-c: 10 writes"
ok "$(grep -q 'usecs/call' <<<"$out"; echo $((!$?)))" "-c: no time columns without -w"
out=$("$OSLAB" trace -c -w -- "$PROGS/writes" 10 2>&1 >/dev/null)
like "$out" "^% time     seconds  usecs/call     calls    errors syscall$" "-c -w: strace's time columns"
like "$out" " 10           write$" "-c -w: 10 writes"
"$OSLAB" trace -c --json "$tmp/u.jsonl" -- "$PROGS/writes" 10 >/dev/null 2>&1
is "$(jqs "$tmp/u.jsonl" '[.[] | select(has("total_ns"))] | length')" 0 "-c --json: no total_ns"
"$OSLAB" trace -c -w --json "$tmp/w.jsonl" -- "$PROGS/writes" 10 >/dev/null 2>&1
is "$(jqs "$tmp/w.jsonl" '[.[] | select(.type=="summary" and .syscall=="write" and .total_ns > 0)] | length')" 2 \
	"-c -w --json: total_ns for the tree and the process"

# the log without times: the same lines, in the same order, as with -T's
# times taken off
"$OSLAB" trace -o "$tmp/u.log" -- "$PROGS/forks" 2 1 >/dev/null 2>&1
"$OSLAB" trace -T -o "$tmp/t.log" -- "$PROGS/forks" 2 1 >/dev/null 2>&1
is "$(sed 's/\[pid [0-9]*\]//; s/0x[0-9a-f]*/0xA/g; s/[0-9]\{3,\}/N/g' "$tmp/u.log" | sort)" \
	"$(sed 's/ <[0-9.]*>$//; s/\[pid [0-9]*\]//; s/0x[0-9a-f]*/0xA/g; s/[0-9]\{3,\}/N/g' "$tmp/t.log" | sort)" \
	"-o without times logs the same calls as -o -T"

done_testing
