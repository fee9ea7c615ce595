/*
 * conns.c — the connections the server holds, and shedding the slow ones
 * (conns.h).
 *
 * libmicrohttpd's own timeout restarts at every byte, so a client sending
 * a header line every few seconds holds its connection for ever, and a few
 * thousand such clients fill every slot. Three rules keep slots for
 * everyone else:
 *
 *  1. A deadline for the whole request head and body (request_timeout):
 *     a connection is "waiting" from its accept, and again from the end of
 *     each response, until the server has the whole request; a reaper
 *     thread shuts down every connection waiting longer than the deadline.
 *  2. At most max_connections_per_address connections from one address
 *     (trusted reverse proxies excepted: they carry everyone's requests);
 *     more are refused at accept.
 *  3. Above max_connections in all, each new connection sheds the one that
 *     has waited longest — slow ones first, never one whose request is
 *     being answered.
 *
 * Waiting connections sit in one list ordered by when they started to
 * wait, so the deadline and the shedding look only at its head. A
 * connection is shed with shutdown(2) on its socket: libmicrohttpd sees the
 * end of input and closes it, and NOTIFY_CLOSED (conns_closed) forgets it.
 * That callback runs before libmicrohttpd closes the descriptor, and both
 * it and the shedding hold the mutex, so a shutdown never reaches a
 * descriptor number that was already reused.
 *
 * Owner: the server (http_server_start/stop); a struct conn is owned by its
 * connection (libmicrohttpd's socket context) from conns_started to
 * conns_closed.
 */
#include "http/conns.h"
#include "base/log.h"
#include "base/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ADDR_BUCKETS 4096
#define ADDR_MAX     48   /* INET6_ADDRSTRLEN and a NUL */
#define LINGER_MAX   256  /* connections read to their end at once, at most */
#define LINGER_MS    5000 /* … each for at most this long */

struct addr_count {
    struct addr_count *next;
    int n;    /* connections held from the address */
    int over; /* … of which shed for being past the limit (accepted at once by several threads) */
    char addr[ADDR_MAX];
};

struct conn {
    struct conn *prev, *next; /* in the waiting list while waiting */
    struct addr_count *ac;
    int fd;
    int64_t since; /* monotonic ms: when it started to wait */
    bool waiting, shed, linger, over;
};

struct conns {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    struct conn waiting; /* sentinel: next is the oldest */
    size_t n, nshed;
    int max_total, max_per_addr;
    int64_t timeout_ms;
    char trusted[256];
    bool stop;
    pthread_t reaper;
    uint64_t shed_deadline, shed_full, refused; /* counters for the log */
    struct addr_count *addrs[ADDR_BUCKETS];
    /* Answered before their body was read (413): the body still on its
     * way is read and dropped before the socket closes, so that closing
     * with unread input does not reset the connection and lose the answer. */
    struct {
        int fd;
        int64_t until;
    } linger[LINGER_MAX];
    int nlinger;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void conns_address(const struct sockaddr *sa, char *out, size_t cap)
{
    out[0] = '\0';
    if (!sa) return;
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    } else if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a)) /* one client, one count, whichever way it came */
            inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)cap);
        else
            inet_ntop(AF_INET6, a, out, (socklen_t)cap);
    }
}

bool conns_listed(const char *list, const char *addr, size_t len)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ')
            n--;
        if (n == len && memcmp(p, addr, len) == 0) return true;
        p += strcspn(p, ",");
        if (*p) p += 1 + strspn(p + 1, " ");
    }
    return false;
}

static struct addr_count **addr_slot(struct conns *c, const char *addr)
{
    uint32_t h = 2166136261u;
    for (const char *p = addr; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    struct addr_count **pp = &c->addrs[h % ADDR_BUCKETS];
    while (*pp && strcmp((*pp)->addr, addr) != 0)
        pp = &(*pp)->next;
    return pp;
}

static void unlink_waiting(struct conn *k)
{
    if (!k->waiting) return;
    k->prev->next = k->next;
    k->next->prev = k->prev;
    k->prev = k->next = NULL;
    k->waiting = false;
}

/* Appends k to the waiting list (now is the latest time, so order holds). */
static void link_waiting(struct conns *c, struct conn *k)
{
    unlink_waiting(k);
    k->since = now_ms();
    k->prev = c->waiting.prev;
    k->next = &c->waiting;
    c->waiting.prev->next = k;
    c->waiting.prev = k;
    k->waiting = true;
}

/* Ends a connection: libmicrohttpd reads the end of input and closes it. */
static void shed(struct conns *c, struct conn *k)
{
    unlink_waiting(k);
    if (k->shed) return;
    k->shed = true;
    c->nshed++;
    shutdown(k->fd, SHUT_RDWR);
}

/* Reads and drops what arrived on the lingering sockets, closing those at
 * their end, in error or past their time. Called with mu held; drops it
 * while it polls. */
static void linger_pass(struct conns *c)
{
    struct pollfd pf[LINGER_MAX];
    int n = c->nlinger;
    for (int i = 0; i < n; i++)
        pf[i] = (struct pollfd){.fd = c->linger[i].fd, .events = POLLIN};
    pthread_mutex_unlock(&c->mu);
    poll(pf, (nfds_t)n, 100);
    pthread_mutex_lock(&c->mu);
    int64_t now = now_ms();
    char sink[16384];
    for (int i = 0; i < n; i++) {
        bool done = now > c->linger[i].until || (pf[i].revents & (POLLERR | POLLNVAL));
        if (!done && pf[i].revents & (POLLIN | POLLHUP)) {
            ssize_t r;
            while ((r = read(pf[i].fd, sink, sizeof sink)) > 0)
                ;
            done = r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
        }
        if (done) {
            close(pf[i].fd);
            c->linger[i].fd = -1;
        }
    }
    int k = 0; /* entries added while unlocked sit past n and are kept */
    for (int i = 0; i < c->nlinger; i++)
        if (c->linger[i].fd >= 0) c->linger[k++] = c->linger[i];
    c->nlinger = k;
}

/* Connections past the deadline; every tick of the reaper. */
static void *reaper(void *arg)
{
    struct conns *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        if (c->nlinger) {
            linger_pass(c);
            if (c->stop) break;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (c->nlinger ? 1 : 200) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&c->wake, &c->mu, &until);
        int64_t limit = now_ms() - c->timeout_ms;
        uint64_t before = c->shed_deadline;
        while (c->waiting.next != &c->waiting && c->waiting.next->since < limit) {
            shed(c, c->waiting.next);
            c->shed_deadline++;
        }
        if (c->shed_deadline != before)
            log_msg(LOG_INFO, "http.shed", "reason=deadline n=%llu total=%llu",
                    (unsigned long long)(c->shed_deadline - before),
                    (unsigned long long)c->shed_deadline);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

struct conns *conns_new(int max_total, int max_per_addr, int timeout_s, const char *trusted)
{
    struct conns *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&c->wake, &ca);
    pthread_condattr_destroy(&ca);
    c->waiting.next = c->waiting.prev = &c->waiting;
    c->max_total = max_total;
    c->max_per_addr = max_per_addr;
    c->timeout_ms = (int64_t)timeout_s * 1000;
    snprintf(c->trusted, sizeof c->trusted, "%s", trusted ? trusted : "");
    if (pthread_create(&c->reaper, NULL, reaper, c) != 0) {
        log_msg(LOG_ERROR, "http.conns", "msg=\"no reaper thread: no request deadline\"");
        c->stop = true;
    }
    return c;
}

void conns_free(struct conns *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    bool running = !c->stop;
    c->stop = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->mu);
    if (running) pthread_join(c->reaper, NULL);
    for (int i = 0; i < c->nlinger; i++)
        close(c->linger[i].fd);
    for (size_t i = 0; i < ADDR_BUCKETS; i++)
        for (struct addr_count *a = c->addrs[i], *next; a; a = next) {
            next = a->next;
            free(a);
        }
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

bool conns_accept(struct conns *c, const struct sockaddr *sa)
{
    char addr[ADDR_MAX];
    conns_address(sa, addr, sizeof addr);
    if (conns_listed(c->trusted, addr, strlen(addr))) return true;
    pthread_mutex_lock(&c->mu);
    struct addr_count *a = *addr_slot(c, addr);
    bool ok = !a || a->n - a->over < c->max_per_addr;
    if (!ok && c->refused++ % 1000 == 0)
        log_msg(LOG_WARN, "http.refuse", "reason=per_address addr=%s open=%d refused=%llu", addr,
                a->n - a->over, (unsigned long long)c->refused);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

struct conn *conns_started(struct conns *c, int fd, const struct sockaddr *sa)
{
    char addr[ADDR_MAX];
    conns_address(sa, addr, sizeof addr);
    bool exempt = conns_listed(c->trusted, addr, strlen(addr));
    struct conn *k = xcalloc(1, sizeof *k);
    k->fd = fd;
    pthread_mutex_lock(&c->mu);
    struct addr_count **pp = addr_slot(c, addr);
    if (!*pp) {
        *pp = xcalloc(1, sizeof **pp);
        snprintf((*pp)->addr, sizeof(*pp)->addr, "%s", addr);
    }
    k->ac = *pp;
    k->ac->n++;
    c->n++;
    link_waiting(c, k);
    if (!exempt && k->ac->n - k->ac->over > c->max_per_addr) {
        /* several threads accepted at once past the check: this one goes,
         * and no longer counts against the address while it does */
        k->over = true;
        k->ac->over++;
        shed(c, k);
    } else if (c->n - c->nshed > (size_t)c->max_total) {
        shed(c, c->waiting.next); /* the one waiting longest: this one at worst */
        if (c->shed_full++ % 1000 == 0)
            log_msg(LOG_WARN, "http.shed", "reason=full open=%zu max=%d shed=%llu", c->n,
                    c->max_total, (unsigned long long)c->shed_full);
    }
    pthread_mutex_unlock(&c->mu);
    return k;
}

void conns_busy(struct conns *c, struct conn *k)
{
    if (!k) return;
    pthread_mutex_lock(&c->mu);
    unlink_waiting(k);
    pthread_mutex_unlock(&c->mu);
}

void conns_idle(struct conns *c, struct conn *k)
{
    if (!k) return;
    pthread_mutex_lock(&c->mu);
    if (!k->shed) link_waiting(c, k);
    pthread_mutex_unlock(&c->mu);
}

void conns_linger(struct conns *c, struct conn *k)
{
    if (!k) return;
    pthread_mutex_lock(&c->mu);
    k->linger = true;
    pthread_mutex_unlock(&c->mu);
}

/* Keeps a copy of the socket open to read it to its end (conns_linger). */
static void linger_start(struct conns *c, struct conn *k)
{
    if (c->nlinger == LINGER_MAX || c->stop) return;
    int fd = fcntl(k->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    shutdown(fd, SHUT_WR); /* the answer is complete */
    c->linger[c->nlinger].fd = fd;
    c->linger[c->nlinger].until = now_ms() + LINGER_MS;
    c->nlinger++;
    pthread_cond_signal(&c->wake);
}

void conns_closed(struct conns *c, struct conn *k)
{
    if (!k) return;
    pthread_mutex_lock(&c->mu);
    if (k->linger && !k->shed) linger_start(c, k);
    unlink_waiting(k);
    if (k->shed) c->nshed--;
    c->n--;
    if (k->over) k->ac->over--;
    if (--k->ac->n == 0) {
        struct addr_count **pp = addr_slot(c, k->ac->addr);
        *pp = k->ac->next;
        free(k->ac);
    }
    pthread_mutex_unlock(&c->mu);
    free(k);
}
