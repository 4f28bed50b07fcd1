# oslab - see README.md.  `make` builds, `make test` tests, `make run` runs a lab.
#
# Objects go to $(BUILD); V=1 shows the commands; SAN=address,undefined builds
# oslab and its unit tests with sanitizers, in a build directory of their own.

comma := ,
BUILD ?= $(if $(SAN),build/san-$(subst $(comma),-,$(SAN)),build)
PREFIX ?= /usr/local
CC ?= cc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
PKG_CONFIG ?= pkg-config

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ifeq ($(V),1)
Q :=
else
Q := @
endif

# Debian 12 packages the build, the tests and the labs need.
DEB_PKGS := make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev pkg-config \
	libcmocka-dev jq strace perl libncurses-dev tmux
# make fuzz: clang's libFuzzer and sanitizer runtimes
DEB_PKGS += libclang-rt-14-dev
# Runs commands that need root: nothing as root, sudo for a sudoer.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -MMD -MP -D_GNU_SOURCE
CFLAGS += -I$(BUILD) -Ibpf -Iuser $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LDLIBS += $(shell $(PKG_CONFIG) --libs libbpf libelf zlib 2>/dev/null || echo -lbpf -lelf -lz)
# oslab top's live view
LDLIBS += $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
# Sanitizers go into oslab and the unit tests only: the labs and the test
# programs stay plain, so the system calls the tests count are theirs, not a
# sanitizer runtime's.  Any finding stops the program (no recovering).
ifneq ($(SAN),)
SAN_FLAGS := -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

BPF_CFLAGS := -target bpf -g -O2 -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Ibpf -Wall -Werror

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

USER_SRCS := $(wildcard user/*.c)
USER_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(BUILD)/user/main.o,$(USER_OBJS))

LAB_SRCS := $(filter-out labs/lab.c,$(wildcard labs/*.c))
LABS := $(patsubst labs/%.c,$(BUILD)/labs/%,$(LAB_SRCS))
# the Python labs: scripts run by python3, copied beside the C labs
PY_LABS := $(patsubst labs/python/%,$(BUILD)/labs/python/%,$(wildcard labs/python/*.py))
PROG_SRCS := $(wildcard tests/progs/*.c)
PROGS := $(patsubst tests/progs/%.c,$(BUILD)/tests/progs/%,$(PROG_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNITS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCH := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

.DELETE_ON_ERROR:
.SECONDARY: $(BPF_OBJS)
.PHONY: all deps run test unit integration bench soak fuzz install clean vmlinux format

all: $(BUILD)/oslab $(LABS) $(PY_LABS) $(PROGS)

# Install what is missing: apt-get as root, through sudo for a sudoer,
# otherwise one line naming the packages.
deps:
	$(Q)missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then inst=""; \
	elif command -v sudo >/dev/null; then inst=sudo; \
	else echo "oslab: missing packages:" $$missing "- install them as root: apt-get install" $$missing >&2; exit 1; fi; \
	echo "installing:" $$missing; \
	$$inst env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$$inst env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null

$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/tracer.h | $(BUILD)
	@echo "  BPF     $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	@echo "  SKEL    $@"
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/user/%.o: user/%.c | $(SKELS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/oslab: $(USER_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) $(SAN_FLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/labs/%: labs/%.c labs/lab.c labs/lab.h
	@mkdir -p $(@D)
	@echo "  LAB     $@"
	$(Q)$(CC) $(filter-out -MMD -MP -I%,$(CFLAGS)) -pthread $(LDFLAGS) $< labs/lab.c -o $@

$(BUILD)/labs/python/%.py: labs/python/%.py
	@mkdir -p $(@D)
	@echo "  PY      $@"
	$(Q)cp $< $@

$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(@D)
	@echo "  PROG    $@"
	$(Q)$(CC) $(filter-out -MMD -MP -I%,$(CFLAGS)) -pthread $(LDFLAGS) $< -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) $< $(LIB_OBJS) $(LDLIBS) -lcmocka -o $@

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(@D)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(filter-out -MMD -MP -I%,$(CFLAGS)) -pthread $(LDFLAGS) $< -o $@

$(BUILD):
	$(Q)mkdir -p $@

# Unit tests need no root; integration tests load BPF and need root (sudo
# for a sudoer), and skip with a reason where neither is possible.  Last, a
# smoke run of the benchmark: it checks counts, never timings.
test: deps all $(UNITS)
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory integration
	$(Q)$(MAKE) --no-print-directory bench QUICK=1

unit: $(UNITS)
	$(Q)fail=0; for t in $(UNITS); do $$t || fail=1; done; exit $$fail

integration: all
	$(Q)$(SUDO) env OSLAB=$(abspath $(BUILD)/oslab) BUILD=$(abspath $(BUILD)) \
		OSLAB_SANITIZED=$(SAN) prove -f tests/integration/*.t

# What tracing costs the traced program: untraced vs oslab -c, oslab -o FILE
# and strace -f, interleaved, medians (needs root).  QUICK=1: a ~10 s smoke
# run; RUNS=N: timed runs per mode (default 5).
# (With SAN: LeakSanitizer cannot work in a ptraced process, and the
# benchmark ptraces oslab for its peak RSS; the other tests check leaks.)
bench: $(BUILD)/oslab $(BENCH)
	$(Q)$(SUDO) $(if $(SAN),env ASAN_OPTIONS=detect_leaks=0) $(BUILD)/bench/bench \
		--oslab $(abspath $(BUILD)/oslab) \
		--bin $(abspath $(BUILD)/bench) $(if $(filter-out 0,$(QUICK)),--quick) \
		$(if $(RUNS),--runs $(RUNS))

# The long load check: 60 s of a busy multi-threaded trace, the collector's
# memory sampled twice a second and bounded (make test runs a 10 s one).
soak: all
	$(Q)$(SUDO) env OSLAB=$(abspath $(BUILD)/oslab) BUILD=$(abspath $(BUILD)) \
		SOAK_SECONDS=$(or $(SOAK_SECONDS),60) prove -v tests/integration/load.t

# libFuzzer targets (tests/fuzz/fuzz_*.c) over user/ built by clang with the
# fuzzer, address and undefined sanitizers.  make fuzz runs each for
# FUZZ_SECONDS (default 60) from its seeds in tests/fuzz/corpus/NAME; what
# it learns goes to $(BUILD)/fuzz/corpus/NAME, a crash to $(BUILD)/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJS := $(patsubst user/%.c,$(BUILD)/fuzz/user/%.o,$(filter-out user/main.c,$(USER_SRCS)))
.SECONDARY: $(FUZZ_OBJS)

$(BUILD)/fuzz/user/%.o: user/%.c | $(SKELS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@echo "  FUZZER  $@"
	$(Q)$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJS) $(LDLIBS) -o $@

# Records a trace as a fuzz_events input: how the seeds were made (root).
$(BUILD)/fuzz/record: tests/fuzz/record.c $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) $< $(LIB_OBJS) $(LDLIBS) -o $@

fuzz: $(FUZZERS)
	$(Q)for f in $(FUZZERS); do \
		n=$${f##*/}; mkdir -p $(BUILD)/fuzz/corpus/$$n; \
		echo "  FUZZ    $$n for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$n- $(BUILD)/fuzz/corpus/$$n \
			tests/fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 || \
			{ cat $(BUILD)/fuzz/$$n.log; echo "oslab: $$n failed" >&2; exit 1; }; \
		awk '/number_of_executed_units/ { r = $$2 } /cov:/ { c = $$0 } \
			END { sub(/.*cov: /, "cov: ", c); sub(/ (lim|exec).*/, "", c); \
			print "          " r " inputs, " c }' $(BUILD)/fuzz/$$n.log; \
	done

run: deps all
	$(Q)$(SUDO) $(BUILD)/oslab run fork

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/oslab/labs/python
	install -m 755 $(BUILD)/oslab $(DESTDIR)$(PREFIX)/bin/oslab
	install -m 755 $(LABS) $(DESTDIR)$(PREFIX)/libexec/oslab/labs/
	install -m 644 $(PY_LABS) $(DESTDIR)$(PREFIX)/libexec/oslab/labs/python/

clean:
	rm -rf $(BUILD)

# Regenerate the checked-in CO-RE header from the running kernel.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

format:
	clang-format -i $(USER_SRCS) user/*.h $(LAB_SRCS) labs/lab.c labs/lab.h

-include $(USER_OBJS:.o=.d) $(UNITS:=.d) $(FUZZ_OBJS:.o=.d) $(FUZZERS:=.d)
