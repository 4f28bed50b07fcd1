// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* call.c - walking the captured chunks of one syscall, and its log text. */
#include "syscalls.h"
#include "decode.h"

static const struct chunk *find_chunk(const struct event *ev, unsigned cap, unsigned part,
				      unsigned *nth)
{
	const uint8_t *p, *end;

	if (!ev)
		return NULL;
	p = (const uint8_t *)(ev + 1);
	end = p + ev->data_len;
	while (p + sizeof(struct chunk) <= end) {
		const struct chunk *ch = (const void *)p;
		size_t step = (sizeof(*ch) + ch->len + 7) & ~(size_t)7;

		if (p + sizeof(*ch) + ch->len > end)
			return NULL;	/* torn record: never read past it */
		if (ch->cap == cap && ch->part == part && (*nth)-- == 0)
			return ch;
		p += step;
	}
	return NULL;
}

const struct chunk *call_chunk(const struct call *c, unsigned cap, unsigned part, unsigned nth)
{
	const struct chunk *ch = find_chunk(c->ev, cap, part, &nth);

	return ch ? ch : find_chunk(c->enter, cap, part, &nth);
}

void call_format(struct strbuf *sb, const struct call *c)
{
	sb_puts(sb, c->def->name);
	sb_putc(sb, '(');
	if (c->def->args)
		c->def->args(sb, c);
	sb_puts(sb, ") = ");
	if (c->def->spec.flags & SC_NORETURN)
		sb_putc(sb, '?');
	else if (c->def->ret)
		c->def->ret(sb, c);
	else
		print_ret(sb, c->ev->ret);
}
