/* test_import.c — importing units into a real SQLite database
 * (app/units_import.c): success, idempotence, GB18030, grids, and every
 * error path leaving the database unchanged. */
#include "testing.h"
#include "store/store.h"

#include "app/units_import.h"
#include "io/text.h"

#include <unistd.h>

struct fx {
    char dir[64];
    struct app *app;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/jiceng-unit-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    struct config cfg;
    config_defaults(&cfg);
    snprintf(cfg.data, sizeof cfg.data, "%s", fx->dir);
    struct err e;
    err_clear(&e);
    assert_int_equal(app_open(&cfg, true, 2, &fx->app, &e), ERR_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    app_close(fx->app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

static int64_t stored(struct fx *fx)
{
    int64_t n = -1;
    struct db *db = store_acquire(fx->app->store);
    assert_int_equal(store_units_count(db, &n, NULL), ERR_OK);
    store_release(fx->app->store, db);
    return n;
}

/* Imports fixture files; returns the result code, filling rep and e. */
static int import(struct fx *fx, struct import_report *rep, struct err *e, const char *a,
                  const char *b)
{
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s", fixture(a));
    struct import_file files[2] = {{pa, NULL}, {NULL, NULL}};
    if (b) {
        snprintf(pb, sizeof pb, "%s", fixture(b));
        files[1].path = pb;
    }
    err_clear(e);
    return units_import(fx->app, files, b ? 2 : 1, rep, NULL, NULL, e);
}

static void test_import_then_reimport_is_noop(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    assert_int_equal(import(fx, &rep, &e, "units-wuyang.csv", NULL), ERR_OK);
    assert_int_equal(rep.added, 10);
    assert_int_equal(stored(fx), 10);
    struct tree *t = app_tree(fx->app);
    uint32_t i = tree_find(t, "411121", 6);
    assert_int_not_equal(i, TREE_NONE);
    assert_string_equal(tree_name(t, i), "舞阳县");
    assert_int_equal(tree_node(t, tree_find(t, "411121100", 9))->kind, UNIT_KIND_TOWN);
    tree_unref(t);

    assert_int_equal(import(fx, &rep, &e, "units-wuyang.csv", NULL), ERR_OK);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 10);
    assert_int_equal(stored(fx), 10);
}

static void test_gb18030_excel_file(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    assert_int_equal(import(fx, &rep, &e, "units-wuyang-gb18030.csv", NULL), ERR_OK);
    assert_int_equal(rep.charset[0], TEXT_GB18030);
    assert_int_equal(rep.added, 10);
    /* the same rows in UTF-8 are then no change at all */
    assert_int_equal(import(fx, &rep, &e, "units-wuyang.csv", NULL), ERR_OK);
    assert_int_equal(rep.unchanged, 10);
    assert_int_equal(rep.charset[0], TEXT_UTF8);
}

static void test_grids_below_villages_in_any_file_order(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    /* children first, parents in the second file: one import, one check */
    assert_int_equal(import(fx, &rep, &e, "units-grids.csv", "units-wuyang.csv"), ERR_OK);
    assert_int_equal(rep.added, 13);
    struct tree *t = app_tree(fx->app);
    uint32_t estate = tree_find(t, "411121100201002", 15);
    assert_int_equal(tree_node(t, estate)->kind, UNIT_KIND_ESTATE);
    assert_int_equal(tree_node(t, estate)->level, UNIT_GRID);
    assert_int_equal(tree_node(t, tree_find(t, "411121100201002001", 18))->level, UNIT_BUILDING);
    assert_int_equal(tree_descendants(t, tree_find(t, "411121100201", 12)), 3);
    tree_unref(t);
}

static void test_renamed_unit_is_updated(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    assert_int_equal(import(fx, &rep, &e, "units-wuyang.csv", NULL), ERR_OK);
    char path[] = "/tmp/jiceng-rename-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    const char *csv = "code,name,parent_code\n411121,舞阳县（新）,4111\n";
    assert_int_equal(write(fd, csv, strlen(csv)), (ssize_t)strlen(csv));
    close(fd);
    struct import_file f = {path, NULL};
    err_clear(&e);
    assert_int_equal(units_import(fx->app, &f, 1, &rep, NULL, NULL, &e), ERR_OK);
    unlink(path);
    assert_int_equal(rep.updated, 1);
    struct tree *t = app_tree(fx->app);
    assert_string_equal(tree_name(t, tree_find(t, "411121", 6)), "舞阳县（新）");
    tree_unref(t);
}

/* Each bad file must fail with its file, line and a reason, and write nothing. */
static void expect_failure(struct fx *fx, const char *file, long line, const char *reason)
{
    struct import_report rep;
    struct err e;
    int64_t before = stored(fx);
    int rc = import(fx, &rep, &e, file, NULL);
    if (rc == ERR_OK || e.line != line || !strstr(e.msg, reason) || strcmp(e.where, file) != 0)
        fail_msg("%s: rc=%d where=%s line=%ld msg=%s", file, rc, e.where, e.line, e.msg);
    assert_int_equal(stored(fx), before);
    assert_int_equal(rep.added + rep.updated, 0);
}

static void test_bad_rows_write_nothing(void **state)
{
    struct fx *fx = *state;
    expect_failure(fx, "bad-unknown-parent.csv", 5, "411199");
    expect_failure(fx, "bad-duplicate.csv", 4, "重复");
    expect_failure(fx, "bad-code.csv", 3, "只能包含数字");
    expect_failure(fx, "bad-parent-mismatch.csv", 4, "4112");
    expect_failure(fx, "bad-encoding.csv", 3, "UTF-8");
    expect_failure(fx, "bad-quote.csv", 3, "引号");
    expect_failure(fx, "bad-kind.csv", 5, "村");
    expect_failure(fx, "bad-header.csv", 1, "parent_code");
    assert_int_equal(stored(fx), 0);
}

static void test_good_file_with_bad_file_writes_nothing(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    assert_int_not_equal(import(fx, &rep, &e, "units-wuyang.csv", "bad-unknown-parent.csv"),
                         ERR_OK);
    assert_string_equal(e.where, "bad-unknown-parent.csv");
    assert_int_equal(stored(fx), 0);
}

/* A failure while writing (here: a row another writer stored after our
 * tree was loaded) rolls back the rows already inserted. */
static void test_conflict_while_writing_rolls_back(void **state)
{
    struct fx *fx = *state;
    struct db *db = store_acquire(fx->app->store);
    struct err e;
    err_clear(&e);
    struct store_unit u = {"41", 2,    "河南省", strlen("河南省"), UNIT_PROVINCE, UNIT_KIND_NONE,
                           NULL, NULL, NULL};
    struct store_unit city = {"4111", 4,    "漯河市", strlen("漯河市"), UNIT_CITY, UNIT_KIND_NONE,
                              NULL,   NULL, NULL};
    assert_int_equal(store_units_insert(db, &u, &e), ERR_OK);
    assert_int_equal(store_units_insert(db, &city, &e), ERR_OK);
    store_release(fx->app->store, db);
    /* the app's tree is stale: it does not know 41 and 4111 */
    struct import_report rep;
    assert_int_equal(import(fx, &rep, &e, "units-wuyang.csv", NULL), ERR_CONFLICT);
    assert_int_equal(stored(fx), 2);
}

static void test_missing_file(void **state)
{
    struct fx *fx = *state;
    struct import_report rep;
    struct err e;
    struct import_file f = {"/nonexistent/units.csv", NULL};
    err_clear(&e);
    assert_int_equal(units_import(fx->app, &f, 1, &rep, NULL, NULL, &e), ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "/nonexistent/units.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_then_reimport_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gb18030_excel_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grids_below_villages_in_any_file_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_renamed_unit_is_updated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_file_with_bad_file_writes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_conflict_while_writing_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
