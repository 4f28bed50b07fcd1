/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * fake_event.h - build in memory the events the probe sends (a struct event
 * followed by chunks, each at an 8-byte aligned offset), and format them the
 * way the log does, so that decoder tests need neither root nor BPF.
 */
#ifndef OSLAB_FAKE_EVENT_H
#define OSLAB_FAKE_EVENT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "syscalls.h"

/* An event and room for its chunks, aligned as ring buffer records are. */
struct fake {
	union {
		struct event ev;
		uint64_t align[(sizeof(struct event) + 2 * DATA_MAX) / sizeof(uint64_t)];
	} u;
};

/* Six syscall arguments, unnamed ones 0: ARGS(1, 0x1000, 6). */
#define ARGS(...) ((const __u64[6]){__VA_ARGS__})

static inline struct event *fake_event(struct fake *f, long long ret, const __u64 args[6])
{
	memset(f, 0, sizeof(*f));
	f->u.ev.type = EV_SYSCALL;
	f->u.ev.ret = ret;
	memcpy(f->u.ev.args, args, sizeof(f->u.ev.args));
	return &f->u.ev;
}

/* An entry event (EV_ENTER) for the CAP_AT_ENTRY captures. */
static inline struct event *fake_enter(struct fake *f, const __u64 args[6])
{
	struct event *ev = fake_event(f, 0, args);

	ev->type = EV_ENTER;
	return ev;
}

/* Append a chunk as put_chunk() writes it. */
static inline void fake_chunk(struct event *ev, unsigned cap, unsigned part, const void *data,
			      size_t len)
{
	uint8_t *p = (uint8_t *)(ev + 1) + ev->data_len;
	struct chunk ch = {.cap = cap, .part = part, .len = len};

	assert_true(ev->data_len + sizeof(ch) + len <= 2 * DATA_MAX);
	memcpy(p, &ch, sizeof(ch));
	if (len)
		memcpy(p + sizeof(ch), data, len);
	ev->data_len += (sizeof(ch) + len + 7) & ~7U;
}

/* CHUNK_DATA with a value's bytes, or a NUL-terminated string as
 * bpf_probe_read_user_str() stores it (the length counts the NUL). */
#define fake_data(ev, cap, obj) fake_chunk((ev), (cap), CHUNK_DATA, &(obj), sizeof(obj))
static inline void fake_str(struct event *ev, unsigned cap, const char *s)
{
	fake_chunk(ev, cap, CHUNK_DATA, s, strlen(s) + 1);
}
static inline void fake_fault(struct event *ev, unsigned cap)
{
	fake_chunk(ev, cap, CHUNK_FAULT, NULL, 0);
}

static inline const struct syscall_def *fake_def(const struct syscall_family *fam, const char *name)
{
	for (size_t i = 0; i < fam->n; i++)
		if (!strcmp(fam->defs[i].name, name))
			return &fam->defs[i];
	fail_msg("no syscall %s in family %s", name, fam->name);
	return NULL;
}

/* The log text of one call: "name(args) = ret". */
static inline const char *fake_format(struct strbuf *sb, const struct syscall_family *fam,
				      const char *name, const struct event *ev,
				      const struct event *enter)
{
	struct call c = {.ev = ev, .enter = enter, .def = fake_def(fam, name)};

	sb_reset(sb);
	call_format(sb, &c);
	return sb_str(sb);
}

/* Sanity of a family's table: its bit, each member in one of the families
 * members (FAM_* bits), names, numbers and capture specs the probe can run. */
static inline void fake_check_family(const struct syscall_family *fam, unsigned bit,
				     unsigned members)
{
	assert_int_equal(fam->bit, bit);
	assert_true(fam->n > 0);
	for (size_t i = 0; i < fam->n; i++) {
		const struct syscall_def *d = &fam->defs[i];

		assert_non_null(d->name);
		assert_true(d->nr >= 0 && d->nr < SC_NR_MAX);
		assert_true(d->families & members);
		for (size_t j = 0; j < fam->n; j++)
			assert_true(j == i || strcmp(fam->defs[j].name, d->name));
		for (int k = 0; k < CAPS_PER_SC; k++) {
			const struct cap_spec *cs = &d->spec.caps[k];

			if (cs->kind == CAP_NONE)
				continue;
			assert_true(cs->kind <= CAP_MSGHDR);
			assert_true(cs->ptr_arg < 6 && cs->len_arg < 6);
			assert_true(cs->len_from <= LEN_ARG_U32);
			assert_true(cs->max <= DATA_MAX);
			/* a capture that has a length needs a unit */
			if (cs->kind == CAP_BYTES)
				assert_true(cs->unit > 0);
			/* exit and exit_group never reach the exit probe */
			if (d->spec.flags & SC_NORETURN)
				fail_msg("%s: a call that does not return captures nothing",
					 d->name);
		}
	}
}

#endif
