# probes.sh - which BPF links exist and who holds them, for the tests that
# check that oslab leaves nothing attached.  Other tracers (and other oslab
# runs) may be at work on the same machine, so nothing here counts totals:
# links are looked at by id.  A BPF link lives while a file descriptor (or a
# bpffs pin) holds it; oslab pins nothing.

# links_of PID: the ids of the BPF links PID holds open, one a line
links_of() {
	find "/proc/$1/fd" -maxdepth 1 -lname 'anon_inode:bpf_link' 2>/dev/null |
		sed 's,/fd/,/fdinfo/,' | xargs -r awk '$1 == "link_id:" { print $2 }' 2>/dev/null |
		sort
}

# links_held: the ids of the BPF links some process holds open
links_held() {
	find /proc/[0-9]*/fd -maxdepth 1 -lname 'anon_inode:bpf_link' 2>/dev/null |
		sed 's,/fd/,/fdinfo/,' | xargs -r awk '$1 == "link_id:" { print $2 }' 2>/dev/null |
		sort -u
}

# live_links: the ids of every BPF link in the kernel
live_links() {
	bpftool link show -j 2>/dev/null | jq '.[].id' | sort
}

# unheld_links: links no process holds (left behind), one id a line.  A link
# must be listed before and after the scan of every process's descriptors:
# one made or dropped meanwhile by another tracer is not counted.
unheld_links() {
	local before held after

	before=$(live_links)
	held=$(links_held)
	after=$(live_links)
	comm -12 <(echo "$before") <(echo "$after") | comm -23 - <(echo "$held") | grep .
}

# still_live IDS...: those of the given link ids the kernel still has
still_live() {
	local live

	live=$(live_links)
	for id in "$@"; do
		grep -qx "$id" <<<"$live" && echo "$id"
	done
}
