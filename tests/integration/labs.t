#!/usr/bin/env bash
# Every lab variant under `oslab run`: all expectations hold (exit 0), with
# the exact counts each variant makes deterministic, and a failing
# expectation gives ✗ and a non-zero exit.
. "$(dirname "$0")/lib.sh"
need_root
need jq

j=$tmp/run.jsonl
run() { # run NAME LAB VARIANT [ARGS...]: oslab run must pass every expectation
	local name=$1 out st
	shift
	rm -f "$j"
	out=$("$OSLAB" run "$@" --json "$j" 2>&1)
	st=$?
	is "$st" 0 "$name: every expectation holds"
	[ "$st" = 0 ] || sed 's/^/#   /' <<<"$out" | grep -E '✗|oslab:' | head -5
	is "$(jq -s '[.[] | select(.type=="expectation" and .ok==false)] | length' "$j")" 0 \
		"$name: no failed expectation in --json"
}

run "fork basic" fork basic
is "$(calls "$j" clone)" 3 "fork basic: 3 clone calls"
is "$(jq -s '[.[] | select(.type=="process")] | length' "$j")" 4 "fork basic: 4 processes"
run "fork (no variant: basic)" fork
like "$(jq -r 'select(.type=="expectation") | .what' "$j" | head -3)" "new processes created" "no variant runs the first, basic"
run "fork basic --children 5" fork basic --children 5
is "$(calls "$j" clone)" 5 "fork basic --children 5: 5 clone calls"
run "fork basic -w (trace's option, labs time anyway)" fork basic -w
run "fork cow" fork cow --pages 2048
run "fork exec" fork exec
is "$(calls "$j" execve)" 3 "fork exec: 3 execve"
run "fork zombie" fork zombie
run "fork pool" fork pool --workers 3 --tasks 10
is "$(calls "$j" clone)" 3 "fork pool: 3 workers forked"

run "threads basic" threads basic --threads 4
is "$(calls "$j" clone3)" 4 "threads basic: 4 clone3"
run "threads tid" threads tid
run "threads detached" threads detached
run "threads sleep" threads sleep --threads 10 --ms 300
is "$(calls "$j" clone3)" 10 "threads sleep: 10 clone3"
run "threads pool" threads pool

run "locks race" locks race --threads 2 --iters 2000000
run "locks mutex" locks mutex --threads 4 --iters 200000
run "locks recursive" locks recursive
run "locks atomic" locks atomic --threads 4 --iters 1000000
is "$(calls "$j" futex)" 0 "locks atomic: 0 futex calls"
run "locks condvar" locks condvar
run "locks semaphore" locks semaphore
run "locks rwlock" locks rwlock
run "locks deadlock" locks deadlock --timeout-ms 200
run "locks handoff" locks handoff --rounds 5
is "$(jq -s '[.[] | select(.type=="futex" and .op=="FUTEX_WAIT_PRIVATE" and (has("pid")|not))] | .[0].calls' "$j")" 5 \
	"locks handoff: exactly 5 FUTEX_WAIT_PRIVATE"
is "$(jq -s '[.[] | select(.type=="futex" and .op=="FUTEX_WAKE_PRIVATE" and (has("pid")|not))] | .[0].calls' "$j")" 5 \
	"locks handoff: exactly 5 FUTEX_WAKE_PRIVATE"
run "locks uncontended" locks uncontended
is "$(calls "$j" futex)" 0 "locks uncontended: 0 futex calls"

run "sockserver basic" sockserver basic --clients 3
is "$(calls "$j" accept)" 3 "sockserver basic: 3 accept"
is "$(calls "$j" socket)" 4 "sockserver basic: 4 socket"
run "sockserver timeout" sockserver timeout --timeout-ms 300
run "sockserver fork" sockserver fork --clients 4
run "sockserver thread" sockserver thread --clients 4
is "$(calls "$j" clone3)" 4 "sockserver thread: a thread per connection"

run "eventloop select" eventloop select
run "eventloop poll" eventloop poll
run "eventloop epoll" eventloop epoll --clients 5
is "$(calls "$j" epoll_ctl)" 11 "eventloop epoll --clients 5: 11 epoll_ctl"
run "eventloop timers" eventloop timers
is "$(calls "$j" timerfd_create)" 3 "eventloop timers: 3 timerfd_create"
run "eventloop tasks" eventloop tasks
run "eventloop blocking" eventloop blocking
run "eventloop offload" eventloop offload

# A failing expectation: a race too short to lose any update.
out=$("$OSLAB" run locks race --threads 2 --iters 1 2>&1)
is $? 1 "a failed expectation makes oslab run exit 1"
like "$out" '✗ race: counter: 2 \(expected < 2\)' "and prints ✗ with observed and expected"

# Errors and the list.
out=$("$OSLAB" run nosuch basic 2>&1); st=$?
is "$st" 2 "unknown lab: exit 2"
like "$out" "^oslab: unknown lab 'nosuch'" "unknown lab: message"
out=$("$OSLAB" run fork nosuch 2>&1); st=$?
is "$st" 2 "unknown variant: exit 2"
out=$("$OSLAB" run locks race --threads 0 2>&1); st=$?
is "$st" 2 "out-of-range lab option: exit 2"
like "$out" "threads" "out-of-range lab option: the lab says which"
is "$("$OSLAB" list | grep -vc '^py-')" 39 "oslab list: one line per variant of each C lab"
like "$("$OSLAB" list)" '^fork +basic +' "oslab list: lab, variant, description"

# Under sudo, the lab runs as the invoking user.
out=$(SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" run threads tid -C -e trace=execve 2>&1)
like "$out" "== oslab run threads tid ==" "a lab runs under SUDO_UID"

done_testing
