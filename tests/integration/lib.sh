# lib.sh - TAP helpers for the integration tests (run through prove).
# Each test file sources this, calls ok/is, and ends with done_testing.
# These tests load BPF programs: they need root and skip cleanly without it.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$top/build}
OSLAB=${OSLAB:-$BUILD/oslab}
PROGS=$BUILD/tests/progs
n_tests=0
n_failed=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP needs root to load BPF programs (run make test as root or a sudoer)"
		exit 0
	fi
}

need() {
	command -v "$1" >/dev/null || { echo "1..0 # SKIP $1 is not installed"; exit 0; }
}

ok() { # ok CONDITION-STATUS NAME
	n_tests=$((n_tests + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n_tests - $2"
	else
		echo "not ok $n_tests - $2"
		n_failed=$((n_failed + 1))
	fi
}

is() { # is GOT EXPECTED NAME
	n_tests=$((n_tests + 1))
	if [ "$1" == "$2" ]; then
		echo "ok $n_tests - $3"
	else
		echo "not ok $n_tests - $3"
		echo "#   got:      '$1'" >&2
		echo "#   expected: '$2'" >&2
		n_failed=$((n_failed + 1))
	fi
}

like() { # like TEXT REGEX NAME
	n_tests=$((n_tests + 1))
	# grep takes each line of a pattern as a pattern of its own, and an
	# empty one matches anything: a newline would make the test unfailable
	if [[ $2 != *$'\n'* ]] && grep -Eq -- "$2" <<<"$1"; then
		echo "ok $n_tests - $3"
	else
		echo "not ok $n_tests - $3"
		echo "#   '$1'" >&2
		echo "#   does not match '$2'" >&2
		n_failed=$((n_failed + 1))
	fi
}

done_testing() {
	echo "1..$n_tests"
	[ "$n_failed" -eq 0 ]
}

# calls JSON SYSCALL [PID]: the exact call count oslab reported (0 if none)
calls() {
	if [ -n "${3:-}" ]; then
		jq -s --arg s "$2" --argjson p "$3" \
			'[.[] | select(.type=="summary" and .syscall==$s and .pid==$p) | .calls] | add // 0' "$1"
	else
		jq -s --arg s "$2" \
			'[.[] | select(.type=="summary" and .syscall==$s and (has("pid")|not)) | .calls] | add // 0' "$1"
	fi
}

# jqs JSON FILTER: run a jq filter over all records as one array
jqs() { jq -s -r "$2" "$1"; }

# strace_calls FILE SYSCALL: the calls column of strace -c output (0 if absent)
strace_calls() {
	awk -v s="$2" '$NF == s { print $4; f = 1 } END { if (!f) print 0 }' "$1"
}
