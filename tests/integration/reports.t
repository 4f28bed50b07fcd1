#!/usr/bin/env bash
# The reports of what the kernel did: the tree, locks, sockets, copy-on-write
# faults, the timeline and the Perfetto file.
. "$(dirname "$0")/lib.sh"
need_root
need jq

j=$tmp/r.jsonl

# A known number of threads and a known contended lock.
"$OSLAB" trace -c --tree --locks --json "$j" -o "$tmp/r.txt" -- "$PROGS/contend" 3 5 >/dev/null
is "$(jqs "$j" '[.[] | select(.type=="thread")] | length')" 4 "tree: the main thread and 3 threads"
is "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread")] | length')" 3 \
	"tree: 3 created as threads"
ok "$(jqs "$j" '[.[] | select(.type=="thread") | .on_cpu_ns > 0] | all' | grep -qx true; echo $?)" \
	"tree: every thread's time on the CPU is known"
ok "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread") | .off_futex_ns > 0] | any' | grep -qx true; echo $?)" \
	"tree: threads spent time asleep in futex"
lock=$(jqs "$j" '[.[] | select(.type=="lock" and .name=="contended_lock")] | .[0]')
ok "$([ "$lock" != null ]; echo $?)" "locks: a row for the global contended_lock, named by its symbol"
ok "$([ "$(jq .waits <<<"$lock")" -ge 1 ]; echo $?)" "locks: contended_lock was waited on ($(jq .waits <<<"$lock") waits)"
ok "$([ "$(jq .wakes <<<"$lock")" -ge 1 ]; echo $?)" "locks: and woken ($(jq .wakes <<<"$lock") wakes)"
is "$(jq '.shared' <<<"$lock")" false "locks: a process-private futex"
is "$(jq '[.hist_us_log2[]] | add' <<<"$lock")" "$(jq .waits <<<"$lock")" "locks: the histogram counts every wait"
ok "$([ "$(jq '.threads | length' <<<"$lock")" -ge 2 ]; echo $?)" "locks: which threads contended"
like "$(cat "$tmp/r.txt")" 'contended_lock +[0-9]+ +[0-9]+' "locks: the text report names it"

# --ulocks: uprobes count the lock calls that never reach the kernel.
"$OSLAB" trace -c --ulocks --json "$j" -- "$PROGS/contend" 3 5 >/dev/null 2>&1
ul() { jqs "$j" "[.[] | select(.type==\"ulock\" and .func==\"$1\" and (has(\"pid\")|not)) | .calls] | add // 0"; }
ok "$([ "$(ul pthread_mutex_lock)" -ge 15 ]; echo $?)" "ulocks: >= 3 x 5 pthread_mutex_lock calls ($(ul pthread_mutex_lock))"
is "$(ul pthread_mutex_unlock)" "$(ul pthread_mutex_lock)" "ulocks: as many unlocks as locks"
is "$(bpftool link show 2>/dev/null | grep -c uprobe)" 0 "ulocks: no uprobe stays attached after the trace"

# Copy-on-write: the fork lab's child writes N pages after fork.
"$OSLAB" trace -c --tree --json "$j" -- "$BUILD/labs/fork" cow --pages 2048 >/dev/null 2>&1
child=$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="fork")][0]')
parent=$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="traced")][0]')
ok "$([ "$(jq .cow_faults <<<"$child")" -ge 2048 ]; echo $?)" \
	"cow: the child took >= 2048 copy-on-write faults ($(jq .cow_faults <<<"$child"))"
ok "$([ "$(jq .cow_faults <<<"$parent")" -lt 100 ]; echo $?)" \
	"cow: the parent did not ($(jq .cow_faults <<<"$parent"))"

# Sockets: one exchange on loopback.
"$OSLAB" trace -c --sockets --json "$j" -- "$PROGS/sockets" >/dev/null 2>&1
is "$(jqs "$j" '[.[] | select(.type=="socket") | .state] | sort | join(",")')" \
	"accepted,connected,listening" "sockets: a listener, the accepted and the connected end"
is "$(jqs "$j" '.[] | select(.type=="socket" and .state=="connected") | .bytes_out')" 4 \
	"sockets: the client sent 4 bytes"
is "$(jqs "$j" '.[] | select(.type=="socket" and .state=="accepted") | .bytes_in')" 4 \
	"sockets: the server received them"
is "$(jqs "$j" '.[] | select(.type=="socket" and .state=="listening") | .accepted')" 1 \
	"sockets: the listener accepted one connection"
like "$(jqs "$j" '.[] | select(.type=="socket" and .state=="accepted") | .peer')" '^127\.0\.0\.1:[0-9]+$' \
	"sockets: the peer address from the kernel"

# The timeline and the Perfetto file.
p=$tmp/t.json.gz
out=$("$OSLAB" trace -c --all --perfetto "$p" -- "$BUILD/labs/locks" mutex --threads 4 --iters 20000 2>&1)
like "$out" 'timeline: .* 5 threads' "timeline: a lane per thread"
like "$out" 'wrote .*t.json.gz' "perfetto: the file is written"
ok "$(gzip -dc "$p" | jq -e . >/dev/null; echo $?)" "perfetto: gunzips to valid JSON"
is "$(gzip -dc "$p" | jq '[.traceEvents[] | select(.ph=="M" and .name=="thread_name")] | length')" 5 \
	"perfetto: 5 thread lanes, one per traced thread"
ok "$(gzip -dc "$p" | jq -e '[.traceEvents[] | select(.ph=="X")] | length > 10' >/dev/null; echo $?)" \
	"perfetto: slices for syscalls and off-CPU time"
out=$("$OSLAB" trace -c --perfetto "$p" -- true 2>&1); st=$?
is "$st" 2 "perfetto: an existing file is refused"
like "$out" "exists; choose another --perfetto file or add --force" "perfetto: and says so"
"$OSLAB" trace -c --perfetto "$p" --force -- true 2>/dev/null
is $? 0 "perfetto: --force overwrites it"

done_testing
