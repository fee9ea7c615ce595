/* kinds.c — loading and finding case kinds (kinds.h). */
#include "app/kinds.h"
#include "app/cases.h"
#include "base/embed.h"
#include "base/buf.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct embed_file kind_defs[];

#define KIND_FILE_MAX ((size_t)256 * 1024)

static int add(struct app *app, const char *data, size_t len, const char *name, const char *where,
               struct err *err)
{
    if (app->nkinds == KINDS_MAX) return err_set(err, ERR_INVALID, "最多 %d 种事项类型", KINDS_MAX);
    struct wf_vocab vocab;
    cases_vocab(app, &vocab);
    struct wf_kind *k;
    int rc = wf_kind_parse(data, len, name, &vocab, &k, err);
    if (rc) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", where, name);
        err_at(err, path, err->line, err->column);
        return rc;
    }
    if (kinds_find(app, k->code)) {
        err_setf(err, ERR_INVALID, NULL, "%s/%s: 类型代码 \"%s\" 已被使用", where, name, k->code);
        wf_kind_free(k);
        return ERR_INVALID;
    }
    app->kinds[app->nkinds++] = k;
    return ERR_OK;
}

static bool is_json(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 && name[0] != '.';
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.json of dir, in name order. */
static int load_dir(struct app *app, const char *dir, struct err *err)
{
    DIR *d = opendir(dir);
    if (!d) return err_set(err, ERR_IO, "kinds_dir %s: %s", dir, strerror(errno));
    char *names[KINDS_MAX] = {0};
    int n = 0, rc = ERR_OK;
    for (struct dirent *e; (e = readdir(d)) && !rc;)
        if (is_json(e->d_name)) {
            if (n == KINDS_MAX)
                rc = err_set(err, ERR_INVALID, "%s: 类型定义过多", dir);
            else
                names[n++] = xstrdup(e->d_name);
        }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        if (!rc) {
            char path[CONFIG_PATH_MAX + 300];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            FILE *f = fopen(path, "rb");
            char *buf = xmalloc(KIND_FILE_MAX + 1);
            size_t len = f ? fread(buf, 1, KIND_FILE_MAX + 1, f) : 0;
            if (!f)
                rc = err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
            else if (ferror(f))
                rc = err_set(err, ERR_IO, "%s: read error", path);
            else
                rc = add(app, buf, len, names[i], dir, err);
            if (f) fclose(f);
            free(buf);
        }
        free(names[i]);
    }
    return rc;
}

static void make_lists(struct app *app)
{
    for (int s = 0; s < CASE_SUBJECTS; s++) {
        size_t cap = 2;
        for (int i = 0; i < app->nkinds; i++)
            cap += strlen(app->kinds[i]->code) + 1;
        char *list = xmalloc(cap);
        size_t len = (size_t)snprintf(list, cap, ",");
        for (int i = 0; i < app->nkinds; i++)
            if (app->kinds[i]->subject == s)
                len += (size_t)snprintf(list + len, cap - len, "%s,", app->kinds[i]->code);
        app->kind_lists[s] = list;
    }
    struct buf b = BUF_INIT;
    buf_puts(&b, ",");
    for (int i = 0; i < app->nkinds; i++)
        for (int t = 0; t < app->kinds[i]->ntransitions; t++)
            if (app->kinds[i]->transitions[t].reopens)
                buf_printf(&b, "%s:%s,", app->kinds[i]->code, app->kinds[i]->transitions[t].code);
    app->reopening = xstrdup(b.p);
    buf_free(&b);
    for (int i = 0; i < app->nkinds; i++) {
        size_t n = strlen(app->kinds[i]->code) + 3;
        app->kind_one[i] = xmalloc(n);
        snprintf(app->kind_one[i], n, ",%s,", app->kinds[i]->code);
    }
}

int kinds_load(struct app *app, struct err *err)
{
    int rc = ERR_OK;
    for (const struct embed_file *f = kind_defs; f->name && !rc; f++)
        rc = add(app, (const char *)f->data, f->len, f->name, "kinds", err);
    if (!rc && app->cfg.kinds_dir[0]) rc = load_dir(app, app->cfg.kinds_dir, err);
    if (!rc) make_lists(app);
    return rc;
}

void kinds_free(struct app *app)
{
    for (int i = 0; i < app->nkinds; i++) {
        wf_kind_free(app->kinds[i]);
        free(app->kind_one[i]);
        app->kind_one[i] = NULL;
    }
    app->nkinds = 0;
    for (int s = 0; s < CASE_SUBJECTS; s++) {
        free(app->kind_lists[s]);
        app->kind_lists[s] = NULL;
    }
    free(app->reopening);
    app->reopening = NULL;
}

const char *kinds_reopening(const struct app *app)
{
    return app->reopening;
}

const struct wf_kind *kinds_find(const struct app *app, const char *code)
{
    for (int i = 0; code && i < app->nkinds; i++)
        if (strcmp(app->kinds[i]->code, code) == 0) return app->kinds[i];
    return NULL;
}

int kinds_count(const struct app *app)
{
    return app->nkinds;
}

const struct wf_kind *kinds_at(const struct app *app, int i)
{
    return i >= 0 && i < app->nkinds ? app->kinds[i] : NULL;
}

const char *kinds_list(const struct app *app, int subject, const char *code)
{
    if (!code) return app->kind_lists[subject];
    for (int i = 0; i < app->nkinds; i++)
        if (strcmp(app->kinds[i]->code, code) == 0)
            return app->kinds[i]->subject == subject ? app->kind_one[i] : "";
    return "";
}
