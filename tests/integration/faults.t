#!/usr/bin/env bash
# Faults: a traced command that crashes, is killed, leaves by a thread or
# leaves orphans; Ctrl-C and SIGTERM during a trace and a lab; SIGKILL of
# oslab itself; an event storm from several threads.  The reports always
# complete, the exit status says what happened, and nothing stays attached.
# (exit.t: exit codes of a plain exit, SIGKILL and SIGSEGV, and Ctrl-C and
# SIGTERM passed on to a single process.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/probes.sh"
need_root
need jq
need bpftool

j=$tmp/f.jsonl
txt=$tmp/f.txt
F=$PROGS/faults
# proc FIELD [FILTER]: FIELD of the process records (jq), one per line
proc() { jqs "$j" "[.[] | select(.type==\"process\"${2:+ and $2}) | .$1] | map(tostring) | join(\",\")"; }
tree() { sed -n '/^PID\/TID/,/^$/p' "$txt"; }
# running PID: it exists and is no zombie (init may not have reaped it yet)
running() { local s; s=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }

# -- the command crashes --
"$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" segv
is $? 139 "segfault: 128+SIGSEGV"
is "$(proc signal)" "SIGSEGV" "segfault: the process record says SIGSEGV"
is "$(proc exit_code)" "null" "segfault: and has no exit code"
like "$(tree)" "killed by SIGSEGV" "segfault: the tree says killed by SIGSEGV"
is "$(calls "$j" execve)" 1 "segfault: the summary is complete (1 execve)"

"$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" thread-segv
is $? 139 "segfault in a second thread: 128+SIGSEGV"
is "$(proc threads)" 2 "segfault in a second thread: both threads in the tree"
is "$(proc signal)" "SIGSEGV" "segfault in a second thread: the process was killed by SIGSEGV"
is "$(jqs "$j" '[.[] | select(.type=="thread")] | length')" 2 "segfault in a second thread: two thread records"

# -- exit from a thread --
out=$("$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" pthread-exit 3 100)
is $? 0 "main calls pthread_exit, 3 threads go on: exit 0"
is "$(grep -c '^late thread' <<<"$out")" 3 "pthread_exit: the 3 threads wrote after main had left"
is "$(calls "$j" write)" 4 "pthread_exit: every write counted (main's 1 and 3 late ones)"
is "$(proc threads),$(proc exit_code)" "4,0" "pthread_exit: 4 threads, the process exited with 0"
main=$(jqs "$j" '.[] | select(.type=="process") | .pid')
life_main=$(jqs "$j" ".[] | select(.type==\"thread\" and .tid==$main) | .end_ns - .start_ns")
life_proc=$(proc lifetime_ns)
ok "$([ "$life_main" -lt "$life_proc" ] && [ "$life_proc" -ge 100000000 ]; echo $?)" \
	"pthread_exit: the main thread's life ($life_main ns) ended before the process's ($life_proc ns)"
"$OSLAB" trace -o "$txt" -- "$F" pthread-exit 1 50 >/dev/null
pid=$(sed -n '1s/^\[pid \([0-9]*\)\] execve.*/\1/p' "$txt")
like "$(tail -1 "$txt")" "^\[pid $pid\] \+\+\+ exited with 0 \+\+\+\$" \
	"pthread_exit: the log's exit line names the process, not its last thread"

# -- a second thread calls execve: the kernel ends main, the thread takes the pid --
"$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" thread-exec "$PROGS/exits" 5
is $? 5 "thread-exec: the program the thread exec'd exits 5, so does oslab"
is "$(proc pid | tr , '\n' | wc -l)" 1 "thread-exec: one process"
is "$(proc comm),$(proc threads),$(proc exit_code)" "exits,2,5" \
	"thread-exec: named after the program it ran last, 2 threads, exit 5"
is "$(calls "$j" execve)" 2 "thread-exec: 2 execve (the command, then the thread's)"
is "$(jqs "$j" '[.[] | select(.type=="thread" and .comm=="exits" and .tid==.pid)] | length')" 1 \
	"thread-exec: the thread's record carries the pid after its execve"
like "$(tree)" '^ └ [0-9]+ +[0-9]+ thread .* thread exited .* exits$' \
	"thread-exec: the tree shows it under its process, as a thread"

"$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" thread-exit 3 7 >/dev/null
is $? 7 "a thread calls exit(7) while 3 sleep: oslab exits 7"
is "$(proc threads),$(proc exit_code)" "5,7" "thread exit: 5 threads, the process exited with 7"
is "$(calls "$j" exit_group)" 1 "thread exit: one exit_group"
is "$(jqs "$j" '[.[] | select(.type=="thread" and .end_ns > 0)] | length')" 5 \
	"thread exit: every thread's end is known"

# -- a child that outlives its parent --
start=$(date +%s%N)
out=$("$OSLAB" trace -c --tree --json "$j" -o "$txt" -- "$F" orphan 400)
st=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
is $st 0 "orphan: the command exited 0"
like "$out" "^orphan pid" "orphan: oslab waited for the orphan ($took ms)"
is "$(proc orphan)" "false,true" "orphan: the JSON says which process was the orphan"
is "$(proc exit_code '.orphan')" 0 "orphan: and that it exited 0"
like "$(tree)" "exited with 0 \(orphan\)" "orphan: the tree says so"
is "$(calls "$j" write)" 2 "orphan: both writes counted, the orphan's too"

# -- Ctrl-C and SIGTERM: every process of the tree stops, reports print --
# (bash starts background jobs with SIGINT ignored; perl restores the default)
for sig in INT TERM; do
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' \
		"$OSLAB" trace -c --tree --json "$j" -o "$txt" -- perl -e 'fork; fork; sleep 30' &
	pid=$!
	for _ in $(seq 50); do [ "$(pgrep -c -P "$pid")" -ge 1 ] && [ "$(pgrep -f -c 'fork; fork; sleep 30')" -ge 5 ] && break; sleep 0.1; done
	kill -$sig "$pid"
	wait "$pid"
	st=$?
	[ $sig = INT ] && n=2 || n=15
	is $st $((128 + n)) "SIG$sig to oslab: the command stops by it"
	is "$(pgrep -f -c 'perl -e fork; fork; sleep 30')" 0 "SIG$sig to oslab: no process of the tree is left running"
	is "$(proc signal)" "SIG$sig,SIG$sig,SIG$sig,SIG$sig" "SIG$sig to oslab: all 4 processes were stopped by it"
	like "$(tree)" "killed by SIG$sig" "SIG$sig to oslab: the tree is printed"
done

# A command that ignores SIGTERM: the second signal kills it.
"$OSLAB" trace -c -o "$txt" -- "$F" ignore-term >/dev/null &
pid=$!
sleep 1
kill -TERM "$pid"
sleep 0.3
ok "$(kill -0 "$pid" 2>/dev/null; echo $?)" "a command that ignores SIGTERM outlives the first one"
kill -TERM "$pid"
wait "$pid"
is $? 137 "the second SIGTERM kills it (128+SIGKILL)"
like "$(cat "$txt")" "total" "and the summary is still printed"

# A guided lab: its worker processes stop too, the reports and checks print.
for sig in INT TERM; do
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' \
		"$OSLAB" run ipc mutex --processes 2 --iters 100000000 >"$txt" 2>&1 &
	pid=$!
	lab=
	for _ in $(seq 100); do
		lab=$(pgrep -P "$pid" -f 'labs/ipc mutex')
		[ -n "$lab" ] && [ "$(pgrep -c -P "$lab")" -ge 2 ] && break
		sleep 0.1
	done
	procs="$lab $(pgrep -P "$lab" | tr '\n' ' ')"
	sleep 0.5
	kill -$sig "$pid"
	wait "$pid"
	ok "$([ $? -ne 0 ]; echo $?)" "SIG$sig during oslab run: a non-zero exit"
	is "$(for p in $procs; do running "$p" && echo "$p"; done)" "" \
		"SIG$sig during oslab run: the lab's 3 processes ($procs) are stopped"
	like "$(cat "$txt")" "what the kernel did" "SIG$sig during oslab run: the reports print"
	like "$(cat "$txt")" "expectations held" "SIG$sig during oslab run: the checks print"
done

# -- SIGKILL of oslab: nothing stays attached, the traced program goes on --
mark=$tmp/mark
"$OSLAB" trace -c --all -o /dev/null -- sh -c 'i=0; while [ $i -lt 15 ]; do echo $i >>"$1"; sleep 0.1; i=$((i+1)); done; echo done >>"$1"' sh "$mark" &
pid=$!
for _ in $(seq 50); do [ -s "$mark" ] && break; sleep 0.1; done
links=$(links_of "$pid")
ok "$([ -n "$links" ]; echo $?)" "oslab holds its links while it runs ($(echo $links))"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 30); do [ -z "$(still_live $links)" ] && break; sleep 0.1; done
is "$(still_live $links)" "" "SIGKILL of oslab: none of its links stays attached"
for _ in $(seq 50); do grep -qx done "$mark" && break; sleep 0.1; done
is "$(tr '\n' ' ' <"$mark")" "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 done " \
	"SIGKILL of oslab: the traced command ran on to its normal end"

# An attached process, the same.
"$PROGS/ticker" 2 100 &
victim=$!
sleep 0.2
"$OSLAB" trace -c -o /dev/null -p "$victim" &
pid=$!
for _ in $(seq 50); do [ -n "$(links_of "$pid")" ] && break; sleep 0.1; done
links=$(links_of "$pid")
sleep 0.3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 30); do [ -z "$(still_live $links)" ] && break; sleep 0.1; done
is "$(still_live $links)" "" "SIGKILL of oslab -p: none of its links stays attached"
sleep 0.2
state=$(awk '{print $3}' "/proc/$victim/stat" 2>/dev/null)
like "$state" '^[SR]$' "SIGKILL of oslab -p: the attached process runs on (state $state)"
kill "$victim"
wait "$victim" 2>/dev/null

# -- an event storm from 4 threads into a 4 KiB ring buffer --
out=$("$OSLAB" trace --buffer-size 4096 -o /dev/null --json "$j" -- "$PROGS/storm" 4 50000 2>&1)
is $? 0 "storm: 4 threads x 50000 writes traced"
lost=$(jqs "$j" '.[] | select(.type=="lost") | .events')
ok "$([ "$lost" -gt 0 ]; echo $?)" "storm: events were lost ($lost)"
is "$(calls "$j" write)" 200000 "storm: the write count stays exact (200000)"
is "$(calls "$j" clone3)" 4 "storm: the clone3 count too (4)"
total=$(jqs "$j" '[.[] | select(.type=="summary" and (has("pid")|not)) | .calls] | add')
records=$(jqs "$j" '[.[] | select(.type=="event" or .type=="exit")] | length')
echo "# storm: $total calls, $records logged, $lost lost"
is "$((records + lost))" "$((total + 1))" "storm: logged + lost = every call and the one exit"
like "$out" "^oslab: $lost events lost" "storm: the report says how many were lost"
is "$(jqs "$j" '[.[] | select(.type=="thread")] | length')" 5 "storm: all 5 threads in the tree"

is "$(unheld_links)" "" "in the end, no BPF link is left that nobody holds"
done_testing
