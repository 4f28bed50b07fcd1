#!/usr/bin/env bash
# Exit status passthrough, clear errors for bad input, and the drop counter.
. "$(dirname "$0")/lib.sh"
need_root
need jq

"$OSLAB" trace -c -- "$PROGS/exits" 3 2>/dev/null
is $? 3 "oslab exits with the command's exit code"
"$OSLAB" trace -c -- "$PROGS/exits" -9 2>/dev/null
is $? 137 "a command killed by SIGKILL: 128+9"
"$OSLAB" trace -c -- "$PROGS/exits" -11 2>/dev/null
is $? 139 "a command killed by SIGSEGV: 128+11"

# Ctrl-C: oslab passes SIGINT on to the command and still reports.  (bash
# starts background jobs with SIGINT ignored; perl restores the default.)
perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$OSLAB" trace -c -o "$tmp/int.txt" -- sleep 30 &
pid=$!
for _ in $(seq 50); do pgrep -P "$pid" sleep >/dev/null && break; sleep 0.1; done
kill -INT "$pid"
wait "$pid"
is $? 130 "SIGINT: the command is stopped by it (128+2)"
like "$(cat "$tmp/int.txt")" "execve" "SIGINT: the summary is still printed"
"$OSLAB" trace -c -o "$tmp/term.txt" -- sleep 30 &
pid=$!
for _ in $(seq 50); do pgrep -P "$pid" sleep >/dev/null && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
is $? 143 "SIGTERM: passed on to the command (128+15)"
like "$(cat "$tmp/term.txt")" "execve" "SIGTERM: the summary is still printed"

err() { # err EXPECTED-STATUS REGEX NAME ARGS...
	local st=$1 re=$2 name=$3 out
	shift 3
	out=$("$OSLAB" "$@" 2>&1 >/dev/null)
	is "$?" "$st" "$name: exit status"
	like "$out" "$re" "$name: message"
	is "$(grep -c . <<<"$out")" 1 "$name: one line"
}
err 127 "^oslab: cannot run 'no-such-cmd': command not found$" "missing command" trace -- no-such-cmd
err 126 "^oslab: cannot run '/etc/passwd': permission denied" "not executable" trace -- /etc/passwd
err 2 "^oslab: unknown option '-Z'" "bad flag" trace -Z -- true
err 2 "^oslab: -s takes a number from 0 to 4000, not '-1'" "negative -s" trace -s -1 -- true
err 2 "^oslab: unknown syscall or family 'nosuch'" "bad -e" trace -e trace=nosuch -- true
err 2 "^oslab: no command to trace" "no command" trace
err 2 "^oslab: unknown command 'frob'" "unknown subcommand" frob
err 1 "^oslab: failed to open '/nonexistent/x' for writing" "unwritable -o" trace -o /nonexistent/x -- true

# A ring buffer far too small for the log: events are lost and said to be,
# the in-kernel counts stay exact.
j=$tmp/drop.jsonl
out=$("$OSLAB" trace --buffer-size 4096 -o /dev/null --json "$j" -- "$PROGS/writes" 100000 2>&1)
lost=$(jq -s '.[] | select(.type=="lost") | .events' "$j")
ok "$([ "$lost" -gt 0 ]; echo $?)" "a 4 KiB ring buffer loses events ($lost)"
is "$(calls "$j" write)" 100000 "the counts stay exact when events are lost"
total=$(jq -s '[.[] | select(.type=="summary" and (has("pid")|not)) | .calls] | add' "$j")
records=$(jq -s '[.[] | select(.type=="event" or .type=="exit")] | length' "$j")
is "$((records + lost))" "$((total + 1))" "logged + lost = every call and the one exit"
like "$out" "^oslab: $lost events lost" "the report says how many were lost"

# Under sudo the command runs as the invoking user, and oslab's files are theirs.
mkdir -m 1777 "$tmp/shared"
out=$(SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" trace -c -o "$tmp/shared/own.txt" -- "$PROGS/whoami" 2>/dev/null)
is "$out" "65534 65534 65534 65534 0" "under sudo: uid, euid, gid, egid of the invoking user, no groups"
is "$(stat -c %u:%g "$tmp/shared/own.txt")" "65534:65534" "under sudo: -o file belongs to the invoking user"
SUDO_UID=65534 SUDO_GID=65534 "$OSLAB" trace -c -o "$tmp/root-only.txt" -- true 2>/dev/null
ok "$([ ! -e "$tmp/root-only.txt" ]; echo $?)" "under sudo: no file where the invoking user may not write"

done_testing
