#!/usr/bin/env bash
# Exact counts for small programs with known syscalls, traced from their
# first instruction, with their descendants followed in the kernel.
. "$(dirname "$0")/lib.sh"
need_root
need jq

j=$tmp/out.jsonl

"$OSLAB" trace -c --json "$j" -- "$PROGS/writes" 1000 2>/dev/null
is "$(calls "$j" write)" 1000 "1,000 writes counted exactly"
is "$(calls "$j" execve)" 1 "one execve: the command is traced from its first syscall"

"$OSLAB" trace -c --json "$j" -- "$PROGS/writes" 1000000 2>/dev/null
is "$(calls "$j" write)" 1000000 "1,000,000 writes counted exactly"

"$OSLAB" trace -c --json "$j" -- "$PROGS/forks" 5 >/dev/null 2>&1
is "$(calls "$j" clone)" 5 "fork() x5 is clone x5"
is "$(jqs "$j" '[.[] | select(.type=="process")] | length')" 6 "6 processes in the tree"
is "$(jqs "$j" '.[] | select(.type=="created") | .processes')" 5 "5 created as new processes"
is "$(jqs "$j" '[.[] | select(.type=="process" and .created_by=="fork") | .exit_code] | sort | join(",")')" \
	"0,1,2,3,4" "each child's exit code"
is "$(calls "$j" wait4)" 5 "5 wait4 calls"

"$OSLAB" trace -c --json "$j" -- "$PROGS/forks" 2 3 >/dev/null 2>&1
is "$(calls "$j" clone)" 5 "2 children and 3 grandchildren: 5 clones"
is "$(jqs "$j" '[.[] | select(.type=="process")] | length')" 6 "grandchildren are in the tree"
gc=$(jqs "$j" '[.[] | select(.type=="process")] | .[2].pid')
is "$(calls "$j" write "$gc")" 1 "a grandchild's own write is counted for it"

"$OSLAB" trace -c --json "$j" -- "$PROGS/threads" 4 >/dev/null 2>&1
is "$(calls "$j" clone3)" 4 "pthread_create x4 is clone3 x4"
is "$(jqs "$j" '.[] | select(.type=="created") | .threads')" 4 "4 threads created"
is "$(jqs "$j" '.[] | select(.type=="process") | .threads')" 5 "one process with 5 threads"
is "$(jqs "$j" '[.[] | select(.type=="thread" and .created_by=="thread") | .clone_flags % 131072 >= 65536] | all')" \
	true "every thread was made with CLONE_THREAD"
is "$(calls "$j" write)" 4 "one write per thread"

"$OSLAB" trace -c --json "$j" -- "$PROGS/sockets" 2>/dev/null
for s in socket:2 bind:1 listen:1 connect:1 accept4:1 sendto:1 recvfrom:1 shutdown:1; do
	is "$(calls "$j" "${s%%:*}")" "${s#*:}" "sockets: ${s%%:*} x${s#*:}"
done
is "$(calls "$j" close)" 5 "sockets: close x5 (3 sockets, and ld.so's cache and libc)"

"$OSLAB" trace -c --json "$j" -- "$PROGS/futex" 4 >/dev/null 2>&1
op() { jqs "$j" "[.[] | select(.type==\"futex\" and .op==\"$1\" and (has(\"pid\")|not)) | .calls] | add // 0"; }
is "$(op FUTEX_WAIT)" 4 "4 shared FUTEX_WAIT calls, counted per operation in the kernel"
is "$(op FUTEX_WAKE)" 4 "4 shared FUTEX_WAKE calls"

"$OSLAB" trace -c -e trace=write --json "$j" -- "$PROGS/forks" 3 >/dev/null 2>&1
is "$(jqs "$j" '[.[] | select(.type=="summary" and (has("pid")|not)) | .syscall] | join(",")')" write \
	"-e trace=write counts only write"
"$OSLAB" trace -c -e trace=process --json "$j" -- "$PROGS/forks" 3 >/dev/null 2>&1
is "$(jqs "$j" '[.[] | select(.type=="summary" and (has("pid")|not)) | .syscall] | sort | join(",")')" \
	"clone,execve,exit_group,wait4" "-e trace=process counts the process family"
is "$(jqs "$j" '[.[] | select(.type=="process")] | length')" 4 "the tree is followed whatever -e selects"

done_testing
