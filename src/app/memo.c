/* memo.c — a small least-recently-used store of computed bodies (memo.h). */
#include "app/memo.h"
#include "base/mem.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key, *body;
    size_t len;
    uint64_t gen, used;
};

struct memo {
    pthread_mutex_t mu;
    _Atomic uint64_t gen;
    uint64_t clock;
    struct entry *e;
    size_t n, cap;
};

struct memo *memo_new(size_t capacity)
{
    struct memo *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    m->cap = capacity ? capacity : 1;
    m->e = xcalloc(m->cap, sizeof *m->e);
    return m;
}

void memo_free(struct memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].key);
        free(m->e[i].body);
    }
    free(m->e);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

uint64_t memo_generation(const struct memo *m)
{
    return atomic_load(&m->gen);
}

void memo_bump(struct memo *m)
{
    atomic_fetch_add(&m->gen, 1);
}

static struct entry *find(struct memo *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].key, key) == 0) return &m->e[i];
    return NULL;
}

bool memo_get(struct memo *m, const char *key, uint64_t gen, struct buf *out)
{
    pthread_mutex_lock(&m->mu);
    struct entry *e = find(m, key);
    bool hit = e && e->gen == gen && gen == atomic_load(&m->gen);
    if (hit) {
        e->used = ++m->clock;
        buf_add(out, e->body, e->len);
    }
    pthread_mutex_unlock(&m->mu);
    return hit;
}

void memo_put(struct memo *m, const char *key, uint64_t gen, const char *body, size_t len)
{
    pthread_mutex_lock(&m->mu);
    struct entry *e = find(m, key);
    if (!e && m->n < m->cap) {
        e = &m->e[m->n++];
        e->key = xstrdup(key);
    } else if (!e) { /* the least recently used gives way */
        e = &m->e[0];
        for (size_t i = 1; i < m->n; i++)
            if (m->e[i].used < e->used) e = &m->e[i];
        free(e->key);
        e->key = xstrdup(key);
    }
    free(e->body);
    e->body = xmalloc(len + 1);
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    e->len = len;
    e->gen = gen;
    e->used = ++m->clock;
    pthread_mutex_unlock(&m->mu);
}
