// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "sockets.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json.h"
#include "strbuf.h"

void sockets_add(void *ctx, const struct sock_rec *r)
{
	struct sockets *s = ctx;
	struct sock_rec *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v) {
		fputs("oslab: out of memory\n", stderr);
		exit(1);
	}
	s->v = v;
	s->v[s->n++] = *r;
}

static int by_open(const void *a, const void *b)
{
	const struct sock_rec *x = a, *y = b;

	return x->open_ns < y->open_ns ? -1 : x->open_ns > y->open_ns;
}

void sockets_finish(struct sockets *s)
{
	if (s->n)	/* no socket: v is NULL, which qsort may not get */
		qsort(s->v, s->n, sizeof(*s->v), by_open);
}

static const char *state_name(unsigned state)
{
	static const char *const names[] = { "socket", "bound", "listening", "accepted", "connected" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

static const char *proto(const struct sock_rec *r)
{
	if (r->family == AF_UNIX)
		return r->type == SOCK_DGRAM ? "unix-dgram" : "unix";
	if (r->type == SOCK_STREAM)
		return r->family == AF_INET6 ? "tcp6" : "tcp";
	if (r->type == SOCK_DGRAM)
		return r->family == AF_INET6 ? "udp6" : "udp";
	return "raw";
}

/* "127.0.0.1:10001", "[::1]:80", or "-" */
static void put_endpoint(struct strbuf *sb, const struct sock_rec *r, const uint8_t *addr,
			 unsigned port)
{
	char ip[INET6_ADDRSTRLEN];

	if (r->family == AF_INET && inet_ntop(AF_INET, addr, ip, sizeof(ip)))
		sb_printf(sb, "%s:%u", ip, port);
	else if (r->family == AF_INET6 && inet_ntop(AF_INET6, addr, ip, sizeof(ip)))
		sb_printf(sb, "[%s]:%u", ip, port);
	else
		sb_putc(sb, '-');
}

static void put_ending(struct strbuf *sb, const struct sock_rec *r)
{
	static const char *const shut[] = { "", "shutdown(SHUT_RD), ", "shutdown(SHUT_WR), ",
					     "shutdown(SHUT_RDWR), " };

	if (r->last_tgid && (r->sends || r->recvs))
		sb_printf(sb, "served by %u/%u; ", r->last_tgid, r->last_tid);
	sb_puts(sb, shut[r->shut & 3]);
	if (r->closes)
		sb_printf(sb, "closed by %u", r->close_tgid);
	else
		sb_puts(sb, "open at the end");
}

void sockets_print(FILE *f, const struct sockets *s, uint64_t t0)
{
	struct strbuf local = STRBUF_INIT, peer = STRBUF_INIT, end = STRBUF_INIT;

	if (!s->n) {
		fputs("sockets: none created, accepted or connected\n", f);
		return;
	}
	fprintf(f, "%-10s %-5s %-22s %-22s %-13s %9s %9s %8s %8s  %s\n", "STATE", "PROTO", "LOCAL",
		"PEER", "BY pid/tid", "BYTES OUT", "BYTES IN", "OPEN s", "LIFE s", "END");
	for (size_t i = 0; i < s->n; i++) {
		const struct sock_rec *r = &s->v[i];
		char by[32];

		sb_reset(&local);
		sb_reset(&peer);
		sb_reset(&end);
		put_endpoint(&local, r, r->laddr, r->lport);
		if (r->state == SOCKST_ACCEPTED || r->state == SOCKST_CONNECTED)
			put_endpoint(&peer, r, r->raddr, r->rport);
		else
			sb_putc(&peer, '-');
		put_ending(&end, r);
		if (r->state == SOCKST_LISTENING)
			sb_printf(&end, "; accepted %llu", (unsigned long long)r->accepted);
		snprintf(by, sizeof(by), "%u/%u", r->tgid, r->tid);
		fprintf(f, "%-10s %-5s %-22s %-22s %-13s %9llu %9llu %8.3f %8.3f  %s\n",
			state_name(r->state), proto(r), sb_str(&local), sb_str(&peer), by,
			(unsigned long long)r->bytes_out, (unsigned long long)r->bytes_in,
			r->open_ns > t0 ? (r->open_ns - t0) / 1e9 : 0.0,
			r->close_ns > r->open_ns ? (r->close_ns - r->open_ns) / 1e9 : 0.0, sb_str(&end));
	}
	sb_free(&local);
	sb_free(&peer);
	sb_free(&end);
}

void sockets_json(FILE *f, const struct sockets *s)
{
	struct strbuf j = STRBUF_INIT, a = STRBUF_INIT;

	for (size_t i = 0; i < s->n; i++) {
		const struct sock_rec *r = &s->v[i];

		json_begin(&j, "socket");
		json_kv_str(&j, "state", state_name(r->state));
		json_kv_str(&j, "proto", proto(r));
		sb_reset(&a);
		put_endpoint(&a, r, r->laddr, r->lport);
		json_kv_str(&j, "local", sb_str(&a));
		sb_reset(&a);
		put_endpoint(&a, r, r->raddr, r->rport);
		json_kv_str(&j, "peer", sb_str(&a));
		json_kv_uint(&j, "pid", r->tgid);
		json_kv_uint(&j, "tid", r->tid);
		json_kv_uint(&j, "bytes_out", r->bytes_out);
		json_kv_uint(&j, "bytes_in", r->bytes_in);
		json_kv_uint(&j, "sends", r->sends);
		json_kv_uint(&j, "recvs", r->recvs);
		json_kv_uint(&j, "accepted", r->accepted);
		json_kv_uint(&j, "served_by_pid", r->last_tgid);
		json_kv_uint(&j, "served_by_tid", r->last_tid);
		json_kv_uint(&j, "closes", r->closes);
		json_kv_uint(&j, "lifetime_ns", r->close_ns > r->open_ns ? r->close_ns - r->open_ns : 0);
		json_end(&j, f);
	}
	sb_free(&j);
	sb_free(&a);
}

void sockets_free(struct sockets *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
