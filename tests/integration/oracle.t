#!/usr/bin/env bash
# strace as the oracle: for programs written for the tests (and a python3
# script that starts threads), oslab's exact -c counts of successful calls
# per syscall equal strace -f -c's, for every traced syscall strace reports.
. "$(dirname "$0")/lib.sh"
need_root
need jq
need strace

j=$tmp/out.jsonl
s=$tmp/strace.txt
cat >"$tmp/threads.py" <<'PY'
import threading
def work(n):
    print("thread", n, threading.get_native_id(), flush=True)
ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
PY

# A call that a signal interrupts and the kernel restarts (ERESTARTNOINTR: a
# fork while SIGCHLD is pending in a shell with a SIGCHLD handler) is two
# calls to both tools, and how often that happens depends on the timing,
# which strace changes. So the calls compared are the ones that succeeded.
ours_ok() { # ours_ok JSON SYSCALL
	jq -s --arg s "$2" '[.[] | select(.type=="summary" and .syscall==$s and (has("pid")|not))
	                     | .calls - .errors] | add // 0' "$1"
}
theirs_ok() { # theirs_ok STRACE-C-FILE SYSCALL
	awk -v s="$2" '$NF == s { print $4 - (NF == 6 ? $5 : 0); f = 1 } END { if (!f) print 0 }' "$1"
}

compare() { # compare NAME SKIP CMD...: SKIP lists syscalls whose count varies run to run
	local name=$1 skip=" $2 " sc our theirs bad=""
	shift 2
	"$OSLAB" trace -c --json "$j" -- "$@" >/dev/null 2>&1
	strace -f -c -o "$s" "$@" >/dev/null 2>&1
	for sc in $( (jq -r 'select(.type=="summary" and (has("pid")|not)) | .syscall' "$j"
	              awk 'NR > 2 && $1 !~ /^-/ && $NF != "total" { print $NF }' "$s") | sort -u); do
		case $sc in exit|exit_group) continue ;; esac  # strace -c never sees them return
		case $skip in *" $sc "*) continue ;; esac
		grep -qx "$sc" <(jq -r 'select(.type=="summary") | .syscall' "$j") ||
			$OSLAB trace -e trace="$sc" -c -- true >/dev/null 2>&1 || continue  # not ours
		our=$(ours_ok "$j" "$sc")
		theirs=$(theirs_ok "$s" "$sc")
		[ "$our" = "$theirs" ] || bad="$bad $sc:$our/$theirs"
	done
	is "${bad:-none}" none "$name: every traced syscall's successful calls equal strace -f -c's"
}

# Contended futex calls depend on timing, and strace changes the timing.
compare "writes 10000" "" "$PROGS/writes" 10000
compare "forks 4 2" "" "$PROGS/forks" 4 2
compare "threads 6" futex "$PROGS/threads" 6
compare "futex 5" "clock_nanosleep nanosleep" "$PROGS/futex" 5  # it polls /proc with sleeps
compare "sockets" "" "$PROGS/sockets"
compare "hello" "" "$PROGS/hello"
compare "sh pipeline" "" sh -c 'echo a | cat >/dev/null; ls / >/dev/null'
py=$(command -v /usr/bin/python3 python3 | head -1)  # the interpreter itself, not a shell shim
if [ -n "$py" ]; then
	compare "python3 threads" futex "$py" "$tmp/threads.py"
	"$OSLAB" trace -c --json "$j" -- "$py" "$tmp/threads.py" >/dev/null 2>&1
	is "$(calls "$j" clone3)" 4 "python3: 4 threading.Thread are 4 clone3 calls"
else
	echo "ok 99 # SKIP python3 not installed"
fi

done_testing
