/* test_openapi.c — the OpenAPI document (api/openapi.c): built from the
 * real route table and the files of openapi/ without a single problem (every
 * route has its operation, every operation a route, every $ref a target),
 * and what the builder adds and refuses, on crafted tables. */
#include "testing.h"

#include <jansson.h>

#include "api/api.h"

static int ok_handler(struct http_req *req, struct http_resp *resp, struct err *err)
{
    (void)req;
    (void)resp;
    (void)err;
    return 0;
}

static json_t *build(const struct http_route *routes, struct buf *problems)
{
    char *text = api_openapi_build(routes, problems);
    assert_non_null(text);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    free(text);
    if (!doc) fail_msg("the document is not JSON: %s", jerr.text);
    return doc;
}

static json_t *op_of(json_t *doc, const char *path, const char *method)
{
    return json_object_get(json_object_get(json_object_get(doc, "paths"), path), method);
}

/* The shipped table and files: no problem at all, every route there. */
static void test_real_table(void **state)
{
    (void)state;
    struct buf p = BUF_INIT;
    json_t *doc = build(api_routes, &p);
    if (p.len) fail_msg("problems in the OpenAPI document:\n%.*s", (int)p.len, p.p);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *info = json_object_get(doc, "info");
    assert_string_equal(json_string_value(json_object_get(info, "title")), "基层治理平台 API");
    assert_string_equal(json_string_value(json_object_get(info, "version")), JICENG_VERSION);
    static const char *const methods[] = {"", "get", "head", "post", "put", "patch", "delete"};
    int n = 0;
    for (const struct http_route *r = api_routes; r->pattern; r++, n++) {
        json_t *op = op_of(doc, r->pattern, methods[r->method]);
        if (!op) fail_msg("%s %s is not in the document", methods[r->method], r->pattern);
        assert_null(json_object_get(op, "x-undocumented"));
        assert_string_equal(json_string_value(json_object_get(op, "operationId")), r->schema);
        assert_string_equal(json_string_value(json_object_get(op, "x-permission")), r->perm);
        json_t *security = json_object_get(op, "security");
        if (strcmp(r->perm, HTTP_PUBLIC) == 0)
            assert_true(json_is_array(security) && json_array_size(security) == 0);
        else
            assert_null(security); /* the document's: session or bearer */
    }
    assert_true(n > 80);
    buf_free(&p);
    json_decref(doc);
}

/* A table with a route the files do not describe, one naming nothing, and
 * one naming a missing operation: each a problem, each still in the
 * document (marked), and the files' operations no route uses listed. */
static void test_problems(void **state)
{
    (void)state;
    const struct http_route routes[] = {
        {HTTP_GET, "/api/v1/health", HTTP_PUBLIC, HTTP_SCOPE_NONE, ok_handler, "system.health"},
        {HTTP_GET, "/api/v1/ghosts/{id}", "ghosts:read", HTTP_SCOPE_NONE, ok_handler, NULL},
        {HTTP_POST, "/api/v1/ghosts", "ghosts:write", HTTP_SCOPE_BODY, ok_handler, "ghosts.create"},
        {HTTP_PUT, "/api/v1/units/{code}", "units:write", HTTP_SCOPE_PATH, ok_handler,
         "units.nothing"},
        {HTTP_GET, "/api/v1/again", HTTP_LOGIN, HTTP_SCOPE_NONE, ok_handler, "system.health"},
        {0, NULL, NULL, 0, NULL, NULL},
    };
    struct buf p = BUF_INIT;
    json_t *doc = build(routes, &p);
    buf_putc(&p, '\0');
    assert_non_null(strstr(p.p, "get /api/v1/ghosts/{id}: no operation named in api/routes.c"));
    assert_non_null(strstr(p.p, "post /api/v1/ghosts: no file openapi/ghosts.json"));
    assert_non_null(strstr(p.p, "put /api/v1/units/{code}: openapi/units.json has no operation "
                                "nothing"));
    assert_non_null(strstr(p.p, "system.health: used by two routes"));
    assert_non_null(strstr(p.p, "openapi/units.json: operation list belongs to no route"));
    json_t *ghost = op_of(doc, "/api/v1/ghosts/{id}", "get");
    assert_true(json_is_true(json_object_get(ghost, "x-undocumented")));
    /* the path parameter the pattern has, added */
    json_t *param = json_array_get(json_object_get(ghost, "parameters"), 0);
    assert_string_equal(json_string_value(json_object_get(param, "name")), "id");
    assert_string_equal(json_string_value(json_object_get(param, "in")), "path");
    buf_free(&p);
    json_decref(doc);
}

/* What the table adds: x-permission and x-scope, security, and the error
 * responses a login, a permission, a scope and a JSON body bring. */
static void test_added(void **state)
{
    (void)state;
    struct buf p = BUF_INIT;
    json_t *doc = build(api_routes, &p);
    json_t *health = op_of(doc, "/api/v1/health", "get");
    json_t *responses = json_object_get(health, "responses");
    assert_null(json_object_get(responses, "401"));
    assert_non_null(json_object_get(responses, "default"));
    json_t *create = op_of(doc, "/api/v1/users", "post");
    assert_string_equal(json_string_value(json_object_get(create, "x-permission")), "users:manage");
    assert_string_equal(json_string_value(json_object_get(create, "x-scope")), "body");
    responses = json_object_get(create, "responses");
    static const char *const statuses[] = {"201", "400", "401", "403", "409", "413", "415"};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (!json_object_get(responses, statuses[i]))
            fail_msg("POST /api/v1/users has no %s response", statuses[i]);
    /* statuses in order, default last */
    const char *key, *last = "";
    json_t *v;
    json_object_foreach(responses, key, v)
    {
        assert_true(strcmp(last, key) < 0);
        last = key;
    }
    assert_string_equal(last, "default");
    json_t *unit = op_of(doc, "/api/v1/units/{code}", "get");
    assert_non_null(json_object_get(json_object_get(unit, "responses"), "404"));
    json_t *o311 = op_of(doc, "/open311/v2/services/{file}", "get");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_object_get(o311, "responses"), "404"), "$ref")),
                        "#/components/responses/Open311Error404");
    buf_free(&p);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_table),
        cmocka_unit_test(test_problems),
        cmocka_unit_test(test_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
