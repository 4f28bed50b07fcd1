#!/usr/bin/env bash
# oslab top: batch and JSON snapshots of a process whose threads write at a
# known rate, the system-wide view, errors, and the live view driven in a
# real terminal (tmux): it draws, sorts on a key, follows a resize, and quits
# on q leaving the terminal as it was.
. "$(dirname "$0")/lib.sh"
need_root
need jq

sock=oslab-top-$$
T() { tmux -L "$sock" "$@"; }
pids=()
cleanup() {
	command -v tmux >/dev/null && T kill-server 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

skip() { # skip REASON
	n_tests=$((n_tests + 1))
	echo "ok $n_tests # SKIP $1"
}

start_ticker() { # start_ticker THREADS HZ: sets pid once every thread runs
	"$PROGS/ticker" "$@" &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 100); do
		[ "$(ls "/proc/$pid/task" 2>/dev/null | wc -l)" -eq $(($1 + 1)) ] && return
		sleep 0.05
	done
}

# rows PID: the rows of PID in the last snapshot of batch output on stdin,
# with only the columns named in the heading line: "TID WRIT/s ..."
rows() {
	local p=$1
	shift
	awk -v p="$p" -v want="$*" '
		/^ +PID +TID/ { for (i = 1; i <= NF; i++) col[$i] = i; n = 0; next }
		$1 == p { line[++n] = $0 }
		END {
			k = split(want, w, " ")
			for (i = 1; i <= n; i++) {
				split(line[i], f, " ")
				s = ""
				for (j = 1; j <= k; j++) s = s (j > 1 ? " " : "") f[col[w[j]]]
				print s
			}
		}'
}

start_ticker 3 100
tids=$(ls "/proc/$pid/task" | sort -n | tr '\n' ' ')

# -- batch: every thread, writes at the known rate --
out=$("$OSLAB" top -b -n 2 -i 1 -p "$pid" 2>&1)
is $? 0 "top -b -n 2 -i 1 -p: exit 0"
is "$(grep -c '^oslab top - snapshot' <<<"$out")" 2 "two snapshots"
is "$(grep -c '^ *PID  *TID S  *%CPU' <<<"$out")" 2 "each with its column headings"
like "$out" "^Threads: 4 \(" "the header counts the 4 threads"
is "$(rows "$pid" TID <<<"$out" | sort -n | tr '\n' ' ')" "$tids" \
	"every thread of the process has a row: $tids"
w=$(rows "$pid" WRIT/s <<<"$out" | tr '\n' ' ')
ok "$(awk -v w="$w" 'BEGIN { n = split(w, v, " "); if (n != 4) exit 1
	for (i = 1; i <= n; i++) if (v[i] + 0 < 50 || v[i] + 0 > 150) exit 1 }'; echo $?)" \
	"each thread writes about 100/s: $w"
c=$(rows "$pid" COMMAND <<<"$out" | sort -u)
is "$c" "ticker" "the command name is the process's"
s=$(rows "$pid" S <<<"$out" | sort -u | tr -d '\n')
like "$s" '^[RS]+$' "states come from /proc ($s)"

# -- JSON: one object per thread and snapshot --
j=$tmp/top.jsonl
"$OSLAB" top --json -n 2 -i 1 -p "$pid" >"$j" 2>"$tmp/err"
is $? 0 "top --json: exit 0"
ok "$(jq -e . "$j" >/dev/null; echo $?)" "every line is JSON"
is "$(jqs "$j" '[.[] | select(.type == "top" and .snapshot == 2) | .tid] | sort | map(tostring) | join(" ")') " \
	"$tids" "snapshot 2 has one object per thread"
is "$(jqs "$j" '[.[] | select(.snapshot == 2 and (.writes_per_s < 50 or .writes_per_s > 150))] | length')" 0 \
	"writes_per_s within 50..150: $(jqs "$j" '[.[] | select(.snapshot == 2) | .writes_per_s] | join(" ")')"
is "$(jqs "$j" '[.[] | select((has("pid") and has("comm") and has("cpu_pct") and has("syscalls_per_s")
	and has("futex_waits_per_s") and has("vcsw_per_s") and has("ivcsw_per_s")) | not)] | length')" 0 \
	"every object has pid, comm, cpu_pct, syscalls_per_s, futex_waits_per_s, vcsw/ivcsw_per_s"
# the ticker sleeps between writes: one voluntary switch each
is "$(jqs "$j" '[.[] | select(.snapshot == 2 and .vcsw_per_s < 50)] | length')" 0 \
	"voluntary switches follow the sleeps"

# -- system-wide: the busy threads, the ticker's among them --
out=$("$OSLAB" top -b -n 1 -i 1 2>&1)
is $? 0 "system-wide top -b -n 1: exit 0"
like "$out" "^oslab top - snapshot 1 .*system-wide" "a system-wide header"
like "$out" "^ +$pid +[0-9]+ [RS] " "the ticker's threads are among the rows"

# -- top ends when the traced process exits --
start_ticker 1 50
"$OSLAB" top -b -i 0.5 -p "$pid" >"$tmp/out" 2>"$tmp/err" &
top_pid=$!
sleep 1.2
kill "$pid"
for _ in $(seq 50); do kill -0 "$top_pid" 2>/dev/null || break; sleep 0.1; done
ok "$(kill -0 "$top_pid" 2>/dev/null; [ $? -ne 0 ]; echo $?)" "top ends when the process exits"
wait "$top_pid"
is $? 0 "and exits 0"
like "$(cat "$tmp/err")" "^oslab: the traced process has exited" "saying why"

# -- errors: one line, non-zero --
err() { # err REGEX NAME ARGS...
	local re=$1 name=$2 out st
	shift 2
	out=$("$OSLAB" "$@" 2>&1 >/dev/null </dev/null); st=$?
	ok "$([ "$st" -ne 0 ]; echo $?)" "$name: non-zero exit ($st)"
	like "$out" "$re" "$name: one clear line"
	is "$(wc -l <<<"$out")" 1 "$name: just one"
}
err "^oslab: no process 4194303" "a pid that does not exist" top -b -p 4194303
err "^oslab: 2 \(kthreadd\) is a kernel thread" "a kernel thread" top -b -p 2
err "^oslab: -p takes PID" "a pid that is not a number" top -b -p abc
err "^oslab: -i takes seconds from 0.1 to 3600" "a zero interval" top -b -i 0
err "^oslab: -i takes seconds" "an interval too long" top -b -i 5000
err "^oslab: -n takes a number of refreshes" "zero iterations" top -b -n 0
err "^oslab: -n takes a number of refreshes" "iterations not a number" top -b -n 2x
err "^oslab: -d takes seconds" "a negative duration" top -b -d -1
err "^oslab: unknown option '-x'" "an unknown option" top -b -x
err "^oslab: the live view needs a terminal" "the live view without a terminal" top
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$OSLAB" 2>/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$OSLAB" top -b -n 1 2>&1); st=$?
	ok "$([ "$st" -ne 0 ]; echo $?)" "not root: non-zero exit ($st)"
	like "$out" "^oslab: tracing needs root" "not root: one clear line"
	is "$(wc -l <<<"$out")" 1 "not root: just one"
else
	skip "nobody cannot run $OSLAB here: not-root check"
fi

# -- the live view, in a real terminal --
if ! command -v tmux >/dev/null; then
	skip "tmux is not installed: the live view is not driven"
	done_testing
	exit
fi

# wait_screen REGEX: up to 10 s for the pane to show a line matching it
wait_screen() {
	for _ in $(seq 100); do
		screen=$(T capture-pane -p -t top)
		grep -Eq -- "$1" <<<"$screen" && return 0
		sleep 0.1
	done
	return 1
}

start_ticker 3 100
tids=$(ls "/proc/$pid/task" | sort -n | tr '\n' ' ')
T new-session -d -s top -x 120 -y 30 "env -i PATH=$PATH TERM=screen HOME=$tmp PS1='$ ' bash --norc --noprofile"
T send-keys -t top "stty -g >$tmp/stty.before; clear" Enter
T send-keys -t top "$OSLAB top -p $pid; echo top-exit=\$?" Enter
wait_screen "^Threads: 4 "
ok $? "the live view draws (120x30)"
view_rows() { grep -E "^ +$pid +[0-9]+ " <<<"$screen"; }
is "$(view_rows | awk '{print $2}' | sort -n | tr '\n' ' ')" "$tids" "a row for every thread"
like "$screen" "^oslab top - [0-9:]+  pid $pid  every 1.0 s  sort %CPU" "the title names pid, interval, sort"
like "$screen" "WRIT/s SOCK/s COMMAND" "every column on a wide terminal"
like "$screen" "^P cpu  s syscalls  f futex  w switches  t tid  q quit" "the keys in the footer"

T send-keys -t top t
wait_screen "sort TID"
ok $? "t sorts by thread id"
is "$(view_rows | awk '{print $2}' | tr '\n' ' ')" "$tids" "rows in tid order"
T send-keys -t top s
wait_screen "sort SYSC/s"
ok $? "s sorts by syscalls"

T resize-window -t top -x 80 -y 24
wait_screen "WRIT/s COMMAND$"
ok $? "a resize to 80x24 redraws: the socket column goes"
screen80=$screen
is "$(awk 'length > 80' <<<"$screen80" | wc -l)" 0 "no line wider than 80"
is "$(view_rows | wc -l)" 4 "every thread still shown"
like "$screen" "^Threads: 4 \(.*\)  CPU: .*%  Switches: .*/s vol, .*/s invol" "the totals: threads, CPU, switches,"
like "$screen" "^Syscalls: .*/s  Writes: .*/s  Sockets: .*/s" "syscalls,"
like "$screen" "^Futex: .* waits/s, .* ms/s blocked" "futex"
echo "# the view at 80x24:"
sed 's/^/#   /' <<<"$screen80"

T send-keys -t top q
wait_screen "^top-exit=0"
ok $? "q quits, exit status 0"
ok "$(grep -q 'q quit' <<<"$screen"; [ $? -ne 0 ]; echo $?)" "and the view is gone (the shell's screen is back)"
T send-keys -t top "stty -g >$tmp/stty.after; echo sane-\$((6 * 7))" Enter
wait_screen "^sane-42"
ok $? "the shell reads and echoes commands again"
is "$(cat "$tmp/stty.after")" "$(cat "$tmp/stty.before")" "terminal modes as before top"

# the traced process exits under the live view: top ends, terminal restored
T send-keys -t top "clear; $OSLAB top -p $pid; echo top-exit=\$?" Enter
wait_screen "^Threads: 4 "
ok $? "the live view again"
kill "$pid"
wait_screen "^top-exit=0"
ok $? "it ends when the process exits"
like "$screen" "^oslab: the traced process has exited" "and says why, below the shell's screen"
T send-keys -t top "stty -g >$tmp/stty.after" Enter
sleep 0.3
is "$(cat "$tmp/stty.after")" "$(cat "$tmp/stty.before")" "terminal modes as before again"
T send-keys -t top "exit" Enter
for _ in $(seq 50); do T has-session -t top 2>/dev/null || break; sleep 0.1; done
ok "$(T has-session -t top 2>/dev/null; [ $? -ne 0 ]; echo $?)" "the shell exits: the session ends"

done_testing
