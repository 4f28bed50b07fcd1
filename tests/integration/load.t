#!/usr/bin/env bash
# Load: 1,000 short-lived processes, 1,000 threads and a server with 500
# connections open at once are each followed, every one of them in the tree
# and the counts exact; a busy multi-threaded trace keeps the collector's
# memory bounded.
#
# SOAK_SECONDS=N (make soak: 60) runs only the memory check, for N seconds;
# without it the check runs for 10 s along with the rest.
. "$(dirname "$0")/lib.sh"
need_root
need jq

j=$tmp/l.jsonl

if [ -z "${SOAK_SECONDS:-}" ]; then
	# -- 1,000 processes, each forked, writing one line and exiting --
	"$OSLAB" trace -c --tree --json "$j" -o "$tmp/p.txt" -- "$PROGS/forks" 1000 >"$tmp/p.out"
	is $? 0 "1000 processes: the command succeeded"
	is "$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="fork")] | length')" 1000 \
		"1000 processes: all in the tree"
	is "$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="fork") | .pid] | sort | join(" ")')" \
		"$(awk '{print $2}' "$tmp/p.out" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
		"1000 processes: the very pids the children printed"
	is "$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="fork") | .exit_code] | sort | map(tostring) | join(",")')" \
		"$(for i in $(seq 0 999); do echo $((i % 256)); done | sort -n | tr '\n' , | sed 's/,$//')" \
		"1000 processes: each one's exit code (its index mod 256)"
	is "$(jqs "$j" '.[] | select(.type=="created") | .processes')" 1000 "1000 processes: 1000 created"
	is "$(calls "$j" clone)" 1000 "1000 processes: 1000 clone (fork)"
	is "$(calls "$j" wait4)" 1000 "1000 processes: 1000 wait4"
	is "$(calls "$j" write)" 1000 "1000 processes: 1000 writes"
	is "$(calls "$j" exit_group)" 1001 "1000 processes: 1001 exit_group"
	is "$(jqs "$j" '.[] | select(.type=="lost") | .threads + .exits')" 0 "1000 processes: no task lost"

	# -- 1,000 threads, each writing one line --
	"$OSLAB" trace -c --tree --json "$j" -o "$tmp/t.txt" -- "$PROGS/threads" 1000 >"$tmp/t.out"
	is $? 0 "1000 threads: the command succeeded"
	is "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread")] | length')" 1000 \
		"1000 threads: all in the tree"
	is "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread") | .tid] | sort | join(" ")')" \
		"$(awk '{print $4}' "$tmp/t.out" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
		"1000 threads: the very tids the threads printed"
	is "$(jqs "$j" '.[] | select(.type=="process") | .threads')" 1001 "1000 threads: one process, 1001 threads"
	is "$(jqs "$j" '.[] | select(.type=="created") | .threads')" 1000 "1000 threads: 1000 created"
	is "$(calls "$j" clone3)" 1000 "1000 threads: 1000 clone3"
	is "$(calls "$j" write)" 1000 "1000 threads: 1000 writes"
	is "$(calls "$j" exit)" 1000 "1000 threads: 1000 exit (one per thread)"
	is "$(jqs "$j" '.[] | select(.type=="lost") | .threads + .exits')" 0 "1000 threads: no task lost"

	# -- a server with 500 connections open at once, a thread each --
	"$OSLAB" trace -c --tree --sockets --json "$j" -o "$tmp/c.txt" -- "$PROGS/conns" 500 >/dev/null
	is $? 0 "500 connections: every reply was right"
	is "$(calls "$j" connect)" 500 "500 connections: 500 connect"
	is "$(calls "$j" accept)" 500 "500 connections: 500 accept"
	is "$(calls "$j" socket)" 501 "500 connections: 501 socket (500 and the listener)"
	is "$(calls "$j" sendto)" 1000 "500 connections: 1000 sends (500 each way)"
	is "$(calls "$j" clone3)" 500 "500 connections: 500 server threads"
	is "$(jqs "$j" '[.[] | select(.type=="thread")] | length')" 502 \
		"500 connections: 502 threads in the tree (500, the server's main, the client)"
	is "$(jqs "$j" '[.[] | select(.type=="socket") | .state] | group_by(.) | map("\(.[0])=\(length)") | join(",")')" \
		"accepted=500,connected=500,listening=1" "500 connections: every socket is in the report"
	is "$(jqs "$j" '.[] | select(.type=="socket" and .state=="listening") | .accepted')" 500 \
		"500 connections: the listener accepted 500"
	is "$(jqs "$j" '[.[] | select(.type=="socket" and .state=="accepted") | .served_by_tid] | unique | length')" 500 \
		"500 connections: each served by a thread of its own"
	is "$(jqs "$j" '[.[] | select(.type=="socket" and .state=="connected") | .bytes_out] | add')" 3890 \
		"500 connections: every byte the client sent (ping 0 .. ping 499)"
	is "$(jqs "$j" '.[] | select(.type=="lost") | .sockets + .threads + .exits')" 0 "500 connections: nothing lost"

	# The sockserver lab's built-in client allows at most 100 connections.
	out=$("$OSLAB" run sockserver thread --clients 100 --json "$j" 2>&1)
	is $? 0 "sockserver thread --clients 100 (its maximum): every expectation holds"
	like "$out" "server: 100 connections served by 100 threads \(100 ok\)" "sockserver: 100 served"
	is "$(calls "$j" accept)" 100 "sockserver: 100 accept"
fi

# -- a busy trace: the collector's memory stays bounded --
# 3 threads writing flat out and taking a mutex, a new short-lived thread
# every 10 ms, the whole log formatted (to nowhere) and the tree kept.
secs=${SOAK_SECONDS:-10}
"$OSLAB" trace -C --tree -- "$PROGS/storm" -d "$secs" 3 \
	2> >(grep -v '^\[pid ' >"$tmp/soak.txt") >"$tmp/soak.out" &
pid=$!
rss=()
while kill -0 "$pid" 2>/dev/null; do
	r=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
	[ -n "$r" ] && rss+=("$r")
	sleep 0.5
done
wait "$pid"
is $? 0 "busy trace of $secs s: the command succeeded"
sleep 0.5	# the log filter's last lines
n=${#rss[@]}
max() { printf '%s\n' "$@" | sort -n | tail -1; }
early=$(max "${rss[@]:0:$((n / 3))}")
late=$(max "${rss[@]:$((2 * n / 3))}")
peak=$(max "${rss[@]}")
echo "# oslab's RSS over $secs s ($n samples): ${early} KiB in the first third, ${late} KiB in the last, peak ${peak} KiB"
ok "$([ "$n" -ge $((secs)) ]; echo $?)" "busy trace: $n RSS samples"
if grep -qa __asan_init "$OSLAB"; then
	# AddressSanitizer holds freed memory in quarantine (up to 256 MiB)
	for c in "no growth" "peak RSS"; do
		n_tests=$((n_tests + 1))
		echo "ok $n_tests # skip busy trace: $c: oslab is built with AddressSanitizer"
	done
else
	ok "$([ "$late" -le $((early + 16384)) ]; echo $?)" \
		"busy trace: no growth beyond 16 MiB from the first third to the last ($early -> $late KiB)"
	ok "$([ "$peak" -le $((256 * 1024)) ]; echo $?)" "busy trace: peak RSS under 256 MiB ($peak KiB)"
fi
writes=$(sed -n 's/^writes=\([0-9]*\) .*/\1/p' "$tmp/soak.out")
threads=$(sed -n 's/.* threads=\([0-9]*\)$/\1/p' "$tmp/soak.out")
lost=$(sed -n 's/^oslab: \([0-9]*\) events lost.*/\1/p' "$tmp/soak.txt")
echo "# busy trace: $writes writes by $threads threads, ${lost:-0} log events lost"
is "$(strace_calls "$tmp/soak.txt" write)" "$((writes + 1))" \
	"busy trace: every write counted ($writes to /dev/null and the result line)"
like "$(cat "$tmp/soak.txt")" "created: 0 processes \(fork/clone\), $threads threads" \
	"busy trace: every thread created ($threads)"
is "$(grep -c '^ └ ' "$tmp/soak.txt")" "$threads" "busy trace: every thread in the tree"
ok "$(! grep -q 'could not be followed' "$tmp/soak.txt"; echo $?)" "busy trace: no task lost"

done_testing
