#!/usr/bin/env bash
# oslab trace -p: attach to a running process and its threads, count for a
# while, detach and leave it running untouched.
. "$(dirname "$0")/lib.sh"
need_root
need jq

j=$tmp/a.jsonl
"$PROGS/ticker" 3 100 &
pid=$!
sleep 0.3
"$OSLAB" trace -c --json "$j" -p "$pid" -d 2 2>/dev/null
is $? 0 "attached for 2 s, then detached"
is "$(jqs "$j" '[.[] | select(.type=="thread")] | length')" 4 "every thread of the process was found"
w=$(calls "$j" write)
# 4 threads x 100 writes/s x 2 s = 800, give or take scheduling
ok "$([ "$w" -ge 600 ] && [ "$w" -le 1000 ]; echo $?)" "writes at the known rate: $w in 2 s (expected about 800)"
ok "$(kill -0 "$pid"; echo $?)" "the process is still alive after detach"
state=$(awk '{print $3}' "/proc/$pid/stat")
like "$state" '^[SR]$' "and running normally (state $state)"
is "$(bpftool link show 2>/dev/null | grep -c tracing)" 0 "no probe stays attached after detach"

kill "$pid"
wait "$pid" 2>/dev/null

# Threads born after the attach are followed from their first instruction.
"$PROGS/ticker" 2 100 1000 &
pid=$!
sleep 0.3
"$OSLAB" trace -c --json "$j" -p "$pid" -d 2 2>/dev/null
is "$(calls "$j" clone3)" 2 "the 2 threads created while attached: 2 clone3"
is "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread")] | length')" 2 \
	"and both are followed"
kill "$pid"
wait "$pid" 2>/dev/null

"$PROGS/ticker" 1 50 &
pid=$!
sleep 0.2
out=$(timeout 10 "$OSLAB" trace -c -p "$pid" 2>&1 & sleep 1; kill "$pid"; wait)
like "$out" "execve|write|total" "oslab ends when the attached process exits"

err() { # err REGEX NAME ARGS...
	local re=$1 name=$2 out st
	shift 2
	out=$("$OSLAB" "$@" 2>&1 >/dev/null); st=$?
	ok "$([ "$st" -ne 0 ]; echo $?)" "$name: non-zero exit ($st)"
	like "$out" "$re" "$name: one clear line"
}
err "^oslab: no process 4194303" "a pid that does not exist" trace -p 4194303 -d 1
err "^oslab: 2 \(kthreadd\) is a kernel thread" "a kernel thread" trace -p 2 -d 1
err "^oslab: -p takes PID" "not a number" trace -p abc
err "^oslab: -d takes seconds" "a bad duration" trace -p 1 -d -3
err "^oslab: give either -p PID or a command" "both -p and a command" trace -p 1 -- true
# oslab's own pid: run it through a shell whose pid it inherits with exec
out=$(bash -c 'exec "$0" trace -p $$ -d 1' "$OSLAB" 2>&1); st=$?
ok "$([ "$st" -ne 0 ]; echo $?)" "oslab itself: refused"
like "$out" "is oslab itself" "oslab itself: says so"

done_testing
