#!/usr/bin/env bash
# The strace-style log: exact lines for calls whose arguments are known,
# pids and addresses matched by pattern.
. "$(dirname "$0")/lib.sh"
need_root

# The program writes to a file, not /dev/null: a write to /dev/null never
# touches its buffer, and a BPF probe cannot fault a page in to read it.
log=$tmp/log.txt
out=$tmp/stdout.txt
"$OSLAB" trace -o "$log" -- "$PROGS/hello" >"$out"
like "$(head -1 "$log")" '^\[pid [0-9]+\] execve\(".*/hello", \[".*"(\.\.\.)?\], 0x[0-9a-f]+\) = 0$' \
	"the first line is the command's execve"
like "$(cat "$log")" '\] write\(1, "hello\\n", 6\) = 6$' "write with an escaped string"
like "$(cat "$log")" '\] write\(1, "tab\\there \\"q\\" \\\\ end", 18\) = 18$' "tabs, quotes and backslashes escaped"
like "$(cat "$log")" '\] write\(-1, "x", 1\) = -1 EBADF \(Bad file descriptor\)$' "errors as -1 ENAME (text)"
like "$(cat "$log")" '\] exit_group\(0\) = \?$' "exit_group never returns"
like "$(tail -1 "$log")" '^\[pid [0-9]+\] \+\+\+ exited with 0 \+\+\+$' "the exit line"

"$OSLAB" trace -s 4 -o "$log" -- "$PROGS/hello" >"$out"
like "$(cat "$log")" '\] write\(1, "hell"\.\.\., 6\) = 6$' "-s 4 cuts strings"

"$OSLAB" trace -T -tt -e trace=write -o "$log" -- "$PROGS/hello" >"$out"
like "$(head -1 "$log")" '^\[pid [0-9]+\] [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} write\(1, "hello\\n", 6\) = 6 <[0-9]+\.[0-9]{6}>$' \
	"-tt and -T"
is "$(grep -c . "$log")" 4 "-e trace=write logs only writes (3) and the exit line"

"$OSLAB" trace -e trace=clone3 -o "$log" -- "$PROGS/threads" 2 >/dev/null
like "$(head -1 "$log")" '^\[pid [0-9]+\] clone3\(\{flags=CLONE_VM\|CLONE_FS\|CLONE_FILES\|CLONE_SIGHAND\|CLONE_THREAD\|CLONE_SYSVSEM\|CLONE_SETTLS\|CLONE_PARENT_SETTID\|CLONE_CHILD_CLEARTID, .*\}, 88\) = [0-9]+' \
	"clone3's struct decoded from user memory"

"$OSLAB" trace -e trace=socket,connect,bind -o "$log" -- "$PROGS/sockets" >/dev/null
like "$(cat "$log")" '\] socket\(AF_INET, SOCK_STREAM, IPPROTO_IP\) = [0-9]+$' "socket domain, type, protocol"
like "$(cat "$log")" '\] connect\([0-9]+, \{sa_family=AF_INET, sin_port=htons\([0-9]+\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, 16\) = 0$' \
	"connect's sockaddr"

j=$tmp/ev.jsonl
"$OSLAB" trace -e trace=write --json "$j" -o /dev/null -- "$PROGS/hello" >"$out"
is "$(jq -s -r '[.[] | select(.type=="event")] | length' "$j")" 3 "--json has one event per logged call"
is "$(jq -s -r '[.[] | select(.type=="event")][0].text' "$j")" 'write(1, "hello\n", 6) = 6' "an event's text"
is "$(jq -s -r '.[] | select(.type=="lost") | .events' "$j")" 0 "no events lost"

done_testing
