// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_net.c - the network family: socket, socketpair, bind, connect, listen,
 * accept, accept4, shutdown, close, and the socket reads and writes sendto,
 * sendmsg, recvfrom, recvmsg (also in the write and read families).
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "decode.h"
#include "syscalls.h"

/* Socket types and the flags or-ed into them, from <sys/socket.h>
 * (include/linux/net.h); strace prints SOCK_CLOEXEC first. */
/* clang-format off */
static const struct xlat sock_types[] = {
	XLAT(SOCK_STREAM), XLAT(SOCK_DGRAM), XLAT(SOCK_RAW), XLAT(SOCK_RDM),
	XLAT(SOCK_SEQPACKET), XLAT(SOCK_DCCP), XLAT(SOCK_PACKET),
	XLAT_END
};
/* clang-format on */
#define SOCK_TYPE_MASK 0xf /* include/linux/net.h */

/* clang-format off */
static const struct xlat sock_type_flags[] = {
	XLAT(SOCK_CLOEXEC), XLAT(SOCK_NONBLOCK),
	XLAT_END
};
/* clang-format on */

/* IP protocols, from <netinet/in.h> (include/uapi/linux/in.h, in6.h) */
/* clang-format off */
static const struct xlat inet_protocols[] = {
	XLAT(IPPROTO_IP), XLAT(IPPROTO_ICMP), XLAT(IPPROTO_IGMP), XLAT(IPPROTO_IPIP),
	XLAT(IPPROTO_TCP), XLAT(IPPROTO_EGP), XLAT(IPPROTO_PUP), XLAT(IPPROTO_UDP),
	XLAT(IPPROTO_IDP), XLAT(IPPROTO_TP), XLAT(IPPROTO_DCCP), XLAT(IPPROTO_IPV6),
	XLAT(IPPROTO_ROUTING), XLAT(IPPROTO_FRAGMENT), XLAT(IPPROTO_RSVP), XLAT(IPPROTO_GRE),
	XLAT(IPPROTO_ESP), XLAT(IPPROTO_AH), XLAT(IPPROTO_ICMPV6), XLAT(IPPROTO_NONE),
	XLAT(IPPROTO_DSTOPTS), XLAT(IPPROTO_MTP), XLAT(IPPROTO_BEETPH), XLAT(IPPROTO_ENCAP),
	XLAT(IPPROTO_PIM), XLAT(IPPROTO_COMP),
	XLAT_PAIR(115, "IPPROTO_L2TP"),	/* <linux/in.h> only */
	XLAT(IPPROTO_SCTP), XLAT(IPPROTO_MH), XLAT(IPPROTO_UDPLITE), XLAT(IPPROTO_MPLS),
	XLAT(IPPROTO_ETHERNET), XLAT(IPPROTO_RAW), XLAT(IPPROTO_MPTCP),
	XLAT_END
};
/* clang-format on */

/* Netlink protocols, from <linux/netlink.h> */
/* clang-format off */
static const struct xlat netlink_protocols[] = {
	XLAT(NETLINK_ROUTE), XLAT(NETLINK_UNUSED), XLAT(NETLINK_USERSOCK),
	XLAT(NETLINK_FIREWALL), XLAT(NETLINK_SOCK_DIAG), XLAT(NETLINK_NFLOG),
	XLAT(NETLINK_XFRM), XLAT(NETLINK_SELINUX), XLAT(NETLINK_ISCSI), XLAT(NETLINK_AUDIT),
	XLAT(NETLINK_FIB_LOOKUP), XLAT(NETLINK_CONNECTOR), XLAT(NETLINK_NETFILTER),
	XLAT(NETLINK_IP6_FW), XLAT(NETLINK_DNRTMSG), XLAT(NETLINK_KOBJECT_UEVENT),
	XLAT(NETLINK_GENERIC), XLAT(NETLINK_SCSITRANSPORT), XLAT(NETLINK_ECRYPTFS),
	XLAT(NETLINK_RDMA), XLAT(NETLINK_CRYPTO), XLAT(NETLINK_SMC),
	XLAT_END
};
/* clang-format on */

/* Ethernet protocols (an AF_PACKET socket's protocol), from <linux/if_ether.h> */
/* clang-format off */
static const struct xlat ethernet_protocols[] = {
	XLAT(ETH_P_802_3), XLAT(ETH_P_AX25), XLAT(ETH_P_ALL), XLAT(ETH_P_802_2),
	XLAT(ETH_P_SNAP), XLAT(ETH_P_DDCMP), XLAT(ETH_P_WAN_PPP), XLAT(ETH_P_PPP_MP),
	XLAT(ETH_P_LOCALTALK), XLAT(ETH_P_CAN), XLAT(ETH_P_CANFD), XLAT(ETH_P_PPPTALK),
	XLAT(ETH_P_TR_802_2), XLAT(ETH_P_MOBITEX), XLAT(ETH_P_CONTROL), XLAT(ETH_P_IRDA),
	XLAT(ETH_P_ECONET), XLAT(ETH_P_HDLC), XLAT(ETH_P_ARCNET), XLAT(ETH_P_DSA),
	XLAT(ETH_P_TRAILER), XLAT(ETH_P_LOOP), XLAT(ETH_P_PHONET), XLAT(ETH_P_IEEE802154),
	XLAT(ETH_P_CAIF), XLAT(ETH_P_XDSA), XLAT(ETH_P_MAP), XLAT(ETH_P_PUP),
	XLAT(ETH_P_PUPAT), XLAT(ETH_P_IP), XLAT(ETH_P_X25), XLAT(ETH_P_ARP),
	XLAT(ETH_P_IEEEPUP), XLAT(ETH_P_IEEEPUPAT), XLAT(ETH_P_ERSPAN2), XLAT(ETH_P_TSN),
	XLAT(ETH_P_BATMAN), XLAT(ETH_P_DEC), XLAT(ETH_P_DNA_DL), XLAT(ETH_P_DNA_RC),
	XLAT(ETH_P_DNA_RT), XLAT(ETH_P_LAT), XLAT(ETH_P_DIAG), XLAT(ETH_P_CUST),
	XLAT(ETH_P_SCA), XLAT(ETH_P_TEB), XLAT(ETH_P_RARP), XLAT(ETH_P_ATALK),
	XLAT(ETH_P_AARP), XLAT(ETH_P_8021Q), XLAT(ETH_P_IPX), XLAT(ETH_P_IPV6),
	XLAT(ETH_P_PAUSE), XLAT(ETH_P_SLOW), XLAT(ETH_P_WCCP), XLAT(ETH_P_MPLS_UC),
	XLAT(ETH_P_MPLS_MC), XLAT(ETH_P_ATMMPOA), XLAT(ETH_P_PPP_DISC), XLAT(ETH_P_PPP_SES),
	XLAT(ETH_P_LINK_CTL), XLAT(ETH_P_ATMFATE), XLAT(ETH_P_PAE), XLAT(ETH_P_PROFINET),
	XLAT(ETH_P_REALTEK), XLAT(ETH_P_AOE), XLAT(ETH_P_ETHERCAT), XLAT(ETH_P_8021AD),
	XLAT(ETH_P_802_EX1), XLAT(ETH_P_ERSPAN), XLAT(ETH_P_PREAUTH), XLAT(ETH_P_TIPC),
	XLAT(ETH_P_LLDP), XLAT(ETH_P_MRP), XLAT(ETH_P_MACSEC), XLAT(ETH_P_8021AH),
	XLAT(ETH_P_MVRP), XLAT(ETH_P_1588), XLAT(ETH_P_NCSI), XLAT(ETH_P_PRP),
	XLAT(ETH_P_CFM), XLAT(ETH_P_FCOE), XLAT(ETH_P_TDLS), XLAT(ETH_P_FIP),
	XLAT(ETH_P_IBOE), XLAT(ETH_P_80221), XLAT(ETH_P_HSR), XLAT(ETH_P_NSH),
	XLAT(ETH_P_LOOPBACK), XLAT(ETH_P_QINQ1), XLAT(ETH_P_QINQ2), XLAT(ETH_P_QINQ3),
	XLAT(ETH_P_EDSA), XLAT(ETH_P_DSA_8021Q), XLAT(ETH_P_IFE), XLAT(ETH_P_AF_IUCV),
	XLAT_END
};
/* clang-format on */

/* send/recv flags, from <sys/socket.h> and, for the ones glibc leaves out,
 * include/linux/socket.h; strace's names (MSG_PROBE is glibc's MSG_PROXY). */
/* clang-format off */
static const struct xlat msg_flags[] = {
	XLAT(MSG_OOB), XLAT(MSG_PEEK), XLAT(MSG_DONTROUTE), XLAT(MSG_CTRUNC),
	XLAT_PAIR(MSG_PROXY, "MSG_PROBE"), XLAT(MSG_TRUNC), XLAT(MSG_DONTWAIT), XLAT(MSG_EOR),
	XLAT(MSG_WAITALL), XLAT(MSG_FIN), XLAT(MSG_SYN), XLAT(MSG_CONFIRM), XLAT(MSG_RST),
	XLAT(MSG_ERRQUEUE), XLAT(MSG_NOSIGNAL), XLAT(MSG_MORE), XLAT(MSG_WAITFORONE),
	XLAT_PAIR(0x20000, "MSG_SENDPAGE_NOTLAST"), XLAT(MSG_BATCH),
	XLAT_PAIR(0x80000, "MSG_NO_SHARED_FRAGS"), XLAT(MSG_ZEROCOPY), XLAT(MSG_FASTOPEN),
	XLAT(MSG_CMSG_CLOEXEC), XLAT_PAIR(0x80000000, "MSG_CMSG_COMPAT"),
	XLAT_END
};
/* clang-format on */

/* shutdown's how, from <sys/socket.h> */
/* clang-format off */
static const struct xlat shutdown_modes[] = {
	XLAT(SHUT_RD), XLAT(SHUT_WR), XLAT(SHUT_RDWR),
	XLAT_END
};
/* clang-format on */

/* The biggest address a capture keeps, as strace reads no more either. */
#define SOCKADDR_MAX sizeof(struct sockaddr_storage)

static void print_sock_type(struct strbuf *sb, unsigned type)
{
	const char *name = xlat_name(sock_types, type & SOCK_TYPE_MASK);

	if (name) {
		sb_puts(sb, name);
		type &= ~SOCK_TYPE_MASK;
		if (!type)
			return;
		sb_putc(sb, '|');
	}
	print_flags_ex(sb, sock_type_flags, type, "SOCK_???");
}

/* socket's protocol means something per family */
static void print_sock_protocol(struct strbuf *sb, unsigned family, unsigned proto)
{
	switch (family) {
	case AF_INET:
	case AF_INET6:
		print_xval(sb, inet_protocols, proto, "%#llx", "IPPROTO_???");
		break;
	case AF_NETLINK:
		print_xval(sb, netlink_protocols, proto, "%#llx", "NETLINK_???");
		break;
	case AF_PACKET:
		sb_puts(sb, "htons(");
		print_xval(sb, ethernet_protocols, ntohs(proto), "%#llx", "ETH_P_???");
		sb_putc(sb, ')');
		break;
	default:
		sb_printf(sb, "%u", proto);
	}
}

static void socket_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	print_xval(sb, addr_families, (unsigned)a[0], "%#llx", "AF_???");
	sb_puts(sb, ", ");
	print_sock_type(sb, a[1]);
	sb_puts(sb, ", ");
	print_sock_protocol(sb, a[0], a[2]);
}

static void socketpair_args_fmt(struct strbuf *sb, const struct call *c)
{
	size_t len;
	const int *sv = call_bytes(c, 0, &len);

	/* strace decodes socketpair's protocol as a plain number */
	print_xval(sb, addr_families, (unsigned)c->ev->args[0], "%#llx", "AF_???");
	sb_puts(sb, ", ");
	print_sock_type(sb, c->ev->args[1]);
	sb_printf(sb, ", %u, ", (unsigned)c->ev->args[2]);
	if (sv && len >= 2 * sizeof(int))
		sb_printf(sb, "[%d, %d]", sv[0], sv[1]);
	else
		print_addr(sb, c->ev->args[3]);
}

/* A socket address the call was given, addrlen bytes at addr, captured by
 * capture cap: strace's decode_sockaddr(). */
static void print_sockaddr_arg(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr,
			       int addrlen)
{
	size_t len;
	const void *sa = call_bytes(c, cap, &len);

	if (addrlen < (int)sizeof(sa_family_t) || !sa || len < sizeof(sa_family_t)) {
		print_addr(sb, addr);
		return;
	}
	print_sockaddr(sb, sa, len < (size_t)addrlen ? len : (size_t)addrlen);
}

/* bind, connect */
static void sockaddr_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_sockaddr_arg(sb, c, 0, a[1], a[2]);
	sb_printf(sb, ", %d", (int)a[2]);
}

static void listen_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d, %d", (int)c->ev->args[0], (int)c->ev->args[1]);
}

static void fd_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d", (int)c->ev->args[0]);
}

static void shutdown_args_fmt(struct strbuf *sb, const struct call *c)
{
	sb_printf(sb, "%d, ", (int)c->ev->args[0]);
	print_xval(sb, shutdown_modes, (unsigned)c->ev->args[1], "%#llx", "SHUT_???");
}

static int cap_int(const struct call *c, unsigned cap, int *v)
{
	size_t len;
	const void *p = call_bytes(c, cap, &len);

	if (!p || len < sizeof(*v))
		return 0;
	memcpy(v, p, sizeof(*v));
	return 1;
}

/*
 * An address the kernel fills in (accept, recvfrom): the sockaddr at addr and
 * its socklen_t at lenp, strace's "[128 => 16]" when the length changed.
 * Captures: cap_sa the address, cap_in the length at entry, cap_out at exit.
 * accept prints the bare pointers when the length was 0 (zero_is_none).
 */
static void print_sockaddr_out(struct strbuf *sb, const struct call *c, unsigned cap_sa,
			       unsigned cap_in, unsigned cap_out, uint64_t addr, uint64_t lenp,
			       int zero_is_none)
{
	int ulen, rlen, have_out = cap_int(c, cap_out, &rlen);

	if (!cap_int(c, cap_in, &ulen))
		ulen = rlen; /* no entry record: the length at exit is all we have */
	if (!addr || !lenp || !have_out || (zero_is_none && !ulen)) {
		print_addr(sb, addr);
		sb_puts(sb, ", ");
		print_addr(sb, lenp);
		return;
	}
	if (c->ev->ret < 0) {
		print_addr(sb, addr);
		sb_printf(sb, ", [%d]", ulen);
		return;
	}
	print_sockaddr_arg(sb, c, cap_sa, addr, ulen < rlen ? ulen : rlen);
	if (ulen != rlen)
		sb_printf(sb, ", [%d => %d]", ulen, rlen);
	else
		sb_printf(sb, ", [%d]", rlen);
}

static void accept_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_sockaddr_out(sb, c, 0, 1, 2, a[1], a[2], 1);
}

static void accept4_args_fmt(struct strbuf *sb, const struct call *c)
{
	accept_args_fmt(sb, c);
	sb_puts(sb, ", ");
	print_flags_ex(sb, sock_type_flags, (unsigned)c->ev->args[3], "SOCK_???");
}

static void sendto_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_buf(sb, c, 0, a[1], a[2]);
	sb_printf(sb, ", %llu, ", (unsigned long long)a[2]);
	print_flags_ex(sb, msg_flags, (unsigned)a[3], "MSG_???");
	sb_puts(sb, ", ");
	print_sockaddr_arg(sb, c, 1, a[4], a[5]);
	sb_printf(sb, ", %d", (int)a[5]);
}

static void recvfrom_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	if (c->ev->ret >= 0)
		print_buf(sb, c, 0, a[1], c->ev->ret);
	else
		print_addr(sb, a[1]);
	sb_printf(sb, ", %llu, ", (unsigned long long)a[2]);
	print_flags_ex(sb, msg_flags, (unsigned)a[3], "MSG_???");
	sb_puts(sb, ", ");
	print_sockaddr_out(sb, c, 1, 2, 3, a[4], a[5], 0);
}

/*
 * struct msghdr from a CAP_MSGHDR capture: CHUNK_MSG, the name when there is
 * one, then the iovec chunks.  user_namelen is msg_namelen before a recvmsg
 * (NULL for sendmsg); data_size bounds the data shown, as in print_iov.
 */
static void print_msghdr(struct strbuf *sb, const struct call *c, unsigned cap, uint64_t addr,
			 const int *user_namelen, uint64_t data_size)
{
	const struct chunk *v[3 + CAP_IOV_MAX];
	size_t n = call_cap_chunks(c, cap, v, 3 + CAP_IOV_MAX), i = 1;
	const struct chunk *name = NULL;
	struct msghdr m;
	int namelen;

	if (!n || v[0]->part != CHUNK_MSG || v[0]->len < sizeof(m)) {
		print_addr(sb, addr);
		return;
	}
	memcpy(&m, chunk_data(v[0]), sizeof(m));
	if (m.msg_name && m.msg_namelen && i < n)
		name = v[i++]; /* the probe read the name under this same test */
	namelen = m.msg_namelen;
	if (user_namelen && namelen > *user_namelen)
		namelen = *user_namelen; /* the kernel wrote no more than that */
	sb_puts(sb, "{msg_name=");
	if (namelen >= (int)sizeof(sa_family_t) && name && name->part == CHUNK_MSG_NAME &&
	    name->len >= sizeof(sa_family_t))
		print_sockaddr(sb, chunk_data(name),
			       name->len < (size_t)namelen ? name->len : (size_t)namelen);
	else
		print_addr(sb, (uintptr_t)m.msg_name);
	sb_puts(sb, ", msg_namelen=");
	if (user_namelen && *user_namelen != (int)m.msg_namelen)
		sb_printf(sb, "%d => ", *user_namelen);
	sb_printf(sb, "%d, msg_iov=", (int)m.msg_namelen);
	print_iov(sb, v + i, n - i, (uintptr_t)m.msg_iov, m.msg_iovlen, data_size, 1);
	sb_printf(sb, ", msg_iovlen=%llu", (unsigned long long)m.msg_iovlen);
	if (m.msg_controllen) {
		/* strace decodes the control messages; we keep only the pointer */
		sb_puts(sb, ", msg_control=");
		print_addr(sb, (uintptr_t)m.msg_control);
	}
	sb_printf(sb, ", msg_controllen=%llu, msg_flags=", (unsigned long long)m.msg_controllen);
	print_flags_ex(sb, msg_flags, (unsigned)m.msg_flags, "MSG_???");
	sb_putc(sb, '}');
}

static void sendmsg_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;

	sb_printf(sb, "%d, ", (int)a[0]);
	print_msghdr(sb, c, 0, a[1], NULL, UINT64_MAX);
	sb_puts(sb, ", ");
	print_flags_ex(sb, msg_flags, (unsigned)a[2], "MSG_???");
}

static void recvmsg_args_fmt(struct strbuf *sb, const struct call *c)
{
	const __u64 *a = c->ev->args;
	const struct msghdr *before;
	size_t len;
	int namelen;

	sb_printf(sb, "%d, ", (int)a[0]);
	before = call_bytes(c, 1, &len);
	if (!before || len < sizeof(*before)) {
		print_addr(sb, a[1]);
	} else if (c->ev->ret < 0) {
		/* nothing was received: strace shows only what was offered */
		sb_printf(sb, "{msg_namelen=%d}", (int)before->msg_namelen);
	} else {
		namelen = before->msg_namelen;
		print_msghdr(sb, c, 0, a[1], &namelen, c->ev->ret);
	}
	sb_puts(sb, ", ");
	print_flags_ex(sb, msg_flags, (unsigned)a[2], "MSG_???");
}

/* clang-format off */
/* The socklen_t an address's length lives in, read at entry and at exit. */
#define SOCKLEN_AT_ENTRY(arg) \
	{ .kind = CAP_BYTES, .ptr_arg = (arg), .flags = CAP_AT_ENTRY, .unit = sizeof(socklen_t) }
#define SOCKLEN_AT_EXIT(arg) \
	{ .kind = CAP_BYTES, .ptr_arg = (arg), .unit = sizeof(socklen_t) }

static const struct syscall_def defs[] = {
	{ "socket", SYS_socket, FAM_NETWORK, { .sock = SOCK_CREATE }, socket_args_fmt, NULL },
	{ "socketpair", SYS_socketpair, FAM_NETWORK,
	  { .caps = { { .kind = CAP_BYTES, .ptr_arg = 3, .flags = CAP_IF_OK,
			.unit = 2 * sizeof(int) } } },
	  socketpair_args_fmt, NULL },
	{ "bind", SYS_bind, FAM_NETWORK,
	  { .sock = SOCK_BIND, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.unit = 1, .max = SOCKADDR_MAX } } },
	  sockaddr_args_fmt, NULL },
	{ "connect", SYS_connect, FAM_NETWORK,
	  { .wait = OFF_IO, .sock = SOCK_CONNECT, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.unit = 1, .max = SOCKADDR_MAX } } },
	  sockaddr_args_fmt, NULL },
	{ "listen", SYS_listen, FAM_NETWORK, { .sock = SOCK_LISTEN }, listen_args_fmt, NULL },
	/* the peer's address, sized by the length the kernel wrote back */
	{ "accept", SYS_accept, FAM_NETWORK,
	  { .wait = OFF_IO, .sock = SOCK_ACCEPT, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG_U32, .len_arg = 2,
			.flags = CAP_IF_OK, .unit = 1, .max = SOCKADDR_MAX },
		      SOCKLEN_AT_ENTRY(2), SOCKLEN_AT_EXIT(2) } },
	  accept_args_fmt, NULL },
	{ "accept4", SYS_accept4, FAM_NETWORK,
	  { .wait = OFF_IO, .sock = SOCK_ACCEPT, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG_U32, .len_arg = 2,
			.flags = CAP_IF_OK, .unit = 1, .max = SOCKADDR_MAX },
		      SOCKLEN_AT_ENTRY(2), SOCKLEN_AT_EXIT(2) } },
	  accept4_args_fmt, NULL },
	{ "shutdown", SYS_shutdown, FAM_NETWORK, { .sock = SOCK_SHUTDOWN }, shutdown_args_fmt, NULL },
	/* every close is traced: the descriptor may be a socket */
	{ "close", SYS_close, FAM_NETWORK, { .sock = SOCK_CLOSE }, fd_args_fmt, NULL },
	{ "sendto", SYS_sendto, FAM_NETWORK | FAM_WRITE,
	  { .wait = OFF_IO, .sock = SOCK_SEND, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_ARG, .len_arg = 2,
			.flags = CAP_STRSIZE, .unit = 1 },
		      { .kind = CAP_BYTES, .ptr_arg = 4, .len_from = LEN_ARG, .len_arg = 5,
			.unit = 1, .max = SOCKADDR_MAX } } },
	  sendto_args_fmt, NULL },
	{ "sendmsg", SYS_sendmsg, FAM_NETWORK | FAM_WRITE,
	  { .wait = OFF_IO, .sock = SOCK_SEND, .caps = { { .kind = CAP_MSGHDR, .ptr_arg = 1 } } },
	  sendmsg_args_fmt, NULL },
	{ "recvfrom", SYS_recvfrom, FAM_NETWORK | FAM_READ,
	  { .wait = OFF_IO, .sock = SOCK_RECV, .caps = { { .kind = CAP_BYTES, .ptr_arg = 1, .len_from = LEN_RET,
			.flags = CAP_IF_OK | CAP_STRSIZE, .unit = 1 },
		      { .kind = CAP_BYTES, .ptr_arg = 4, .len_from = LEN_ARG_U32, .len_arg = 5,
			.flags = CAP_IF_OK, .unit = 1, .max = SOCKADDR_MAX },
		      SOCKLEN_AT_ENTRY(5), SOCKLEN_AT_EXIT(5) } },
	  recvfrom_args_fmt, NULL },
	/* the msghdr again at entry: msg_namelen as offered, before the
	 * kernel overwrites it, for strace's "msg_namelen=128 => 16" */
	{ "recvmsg", SYS_recvmsg, FAM_NETWORK | FAM_READ,
	  { .wait = OFF_IO, .sock = SOCK_RECV, .caps = { { .kind = CAP_MSGHDR, .ptr_arg = 1, .flags = CAP_IF_OK },
		      { .kind = CAP_BYTES, .ptr_arg = 1, .flags = CAP_AT_ENTRY,
			.unit = sizeof(struct msghdr) } } },
	  recvmsg_args_fmt, NULL },
};

const struct syscall_family sys_net = {
	"network", FAM_NETWORK, defs, sizeof(defs) / sizeof(defs[0]),
};
/* clang-format on */
