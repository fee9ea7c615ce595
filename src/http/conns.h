/*
 * conns.h — the connections a server holds: a deadline for each request's
 * head and body, a limit per client address and, above a global limit,
 * the connection that has waited longest shed first (conns.c).
 *
 * The server calls conns_accept when a connection arrives (false: refuse
 * it), conns_started once it is set up, conns_busy when a whole request is
 * in, conns_idle when its response has been sent, and conns_closed when it
 * is gone. Thread-safe; a reaper thread enforces the deadline.
 */
#ifndef JICENG_CONNS_H
#define JICENG_CONNS_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;
struct conns;
struct conn;

/* trusted: comma-separated addresses exempt from the per-address limit. */
struct conns *conns_new(int max_total, int max_per_addr, int timeout_s, const char *trusted);
void conns_free(struct conns *c);
bool conns_accept(struct conns *c, const struct sockaddr *sa);
struct conn *conns_started(struct conns *c, int fd, const struct sockaddr *sa);
void conns_busy(struct conns *c, struct conn *k);
void conns_idle(struct conns *c, struct conn *k);
/* The connection was answered before its body was read: once closed, the
 * rest of the body is read and dropped for a few seconds first. */
void conns_linger(struct conns *c, struct conn *k);
void conns_closed(struct conns *c, struct conn *k);

/* The address as text (IPv4-mapped IPv6 as IPv4); "" when unknown. */
void conns_address(const struct sockaddr *sa, char *out, size_t cap);
/* Is addr (len bytes) one of the comma-separated addresses in list? */
bool conns_listed(const char *list, const char *addr, size_t len);

#endif
