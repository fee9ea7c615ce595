/*
 * routes.c — every API endpoint is one row here: method, path, the
 * permission it needs, where its unit is (for the scope check), handler.
 * The router checks login, permission, CSRF and scope before the handler
 * runs; HTTP_PUBLIC routes need no login, HTTP_LOGIN ones just a login.
 * tests/api/matrix.test.js tests every row for every role.
 */
#include "api/api.h"

const struct http_route api_routes[] = {
    {HTTP_GET, "/api/v1/health", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_health},
    {HTTP_GET, "/api/v1/units", "units:read", HTTP_SCOPE_QUERY, api_units_list},
    {HTTP_GET, "/api/v1/units/{code}", "units:read", HTTP_SCOPE_PATH, api_unit_get},
    {HTTP_GET, "/api/v1/units/{code}/children", "units:read", HTTP_SCOPE_PATH, api_unit_children},
    {HTTP_GET, "/api/v1/units/{code}/summary", "units:read", HTTP_SCOPE_PATH, api_unit_summary},
    {HTTP_POST, "/api/v1/session", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_session_create},
    {HTTP_DELETE, "/api/v1/session", HTTP_LOGIN, HTTP_SCOPE_NONE, api_session_delete},
    {HTTP_GET, "/api/v1/me", HTTP_LOGIN, HTTP_SCOPE_NONE, api_me},
    {HTTP_GET, "/api/v1/roles", "users:manage", HTTP_SCOPE_NONE, api_roles_list},
    {HTTP_GET, "/api/v1/users", "users:manage", HTTP_SCOPE_QUERY, api_users_list},
    {HTTP_POST, "/api/v1/users", "users:manage", HTTP_SCOPE_BODY, api_users_create},
    {HTTP_GET, "/api/v1/users/{name}", "users:manage", HTTP_SCOPE_USER, api_users_get},
    {HTTP_PATCH, "/api/v1/users/{name}", "users:manage", HTTP_SCOPE_USER, api_users_update},
    {HTTP_DELETE, "/api/v1/users/{name}", "users:manage", HTTP_SCOPE_USER, api_users_disable},
    {HTTP_GET, "/api/v1/elements", "data:read", HTTP_SCOPE_NONE, api_elements_list},
    {HTTP_POST, "/api/v1/elements", "data:define", HTTP_SCOPE_NONE, api_elements_create},
    {HTTP_GET, "/api/v1/indicators", "data:read", HTTP_SCOPE_NONE, api_indicators_list},
    {HTTP_POST, "/api/v1/indicators", "data:define", HTTP_SCOPE_NONE, api_indicators_create},
    {HTTP_GET, "/api/v1/values", "data:read", HTTP_SCOPE_QUERY, api_values_list},
    {HTTP_POST, "/api/v1/values", "data:write", HTTP_SCOPE_ITEMS, api_values_write},
    {HTTP_POST, "/api/v1/values/import", "data:write", HTTP_SCOPE_NONE, api_values_import},
    {HTTP_GET, "/api/v1/analytics", "data:read", HTTP_SCOPE_QUERY, api_analytics},
    {HTTP_GET, "/api/v1/item-types", "items:read", HTTP_SCOPE_NONE, api_item_types},
    {HTTP_GET, "/api/v1/items", "items:read", HTTP_SCOPE_QUERY, api_items_list},
    {HTTP_POST, "/api/v1/items", "items:create", HTTP_SCOPE_BODY, api_items_create},
    {HTTP_POST, "/api/v1/items/batch", "items:dispatch", HTTP_SCOPE_NONE, api_items_batch},
    /* before /items/{id}, which would take "review" for an id */
    {HTTP_GET, "/api/v1/items/review", "items:read", HTTP_SCOPE_QUERY, api_items_review},
    {HTTP_GET, "/api/v1/items/export", "items:read", HTTP_SCOPE_QUERY, api_items_export},
    {HTTP_POST, "/api/v1/items/import", "items:create", HTTP_SCOPE_NONE, api_items_import},
    {HTTP_GET, "/api/v1/items/{id}", "items:read", HTTP_SCOPE_ITEM, api_items_get},
    {HTTP_POST, "/api/v1/items/{id}/transitions", "items:handle", HTTP_SCOPE_ITEM,
     api_items_transition},
    {HTTP_POST, "/api/v1/items/{id}/comments", "items:handle", HTTP_SCOPE_ITEM, api_items_comment},
    {HTTP_POST, "/api/v1/items/{id}/reassign", "items:handle", HTTP_SCOPE_ITEM, api_items_reassign},
    {HTTP_GET, "/api/v1/items/{id}/files/{sha256}", "items:read", HTTP_SCOPE_ITEM, api_item_file},
    {HTTP_POST, "/api/v1/files", "files:upload", HTTP_SCOPE_NONE, api_files_upload},
    {HTTP_GET, "/api/v1/audit", "audit:read", HTTP_SCOPE_QUERY, api_audit_list},
    /* Residents without an account (api/public.c): the tracking code is the key. */
    {HTTP_GET, "/api/v1/public/units", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_public_units},
    {HTTP_GET, "/api/v1/public/categories", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_public_categories},
    {HTTP_POST, "/api/v1/public/requests", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_public_submit},
    {HTTP_GET, "/api/v1/public/requests/{code}", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_public_status},
    {HTTP_POST, "/api/v1/public/requests/{code}/rating", HTTP_PUBLIC, HTTP_SCOPE_NONE,
     api_public_rate},
    /* Open311 GeoReport v2: public paths, API keys checked by the handlers. */
    {HTTP_GET, "/open311/v2/services.json", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_services},
    {HTTP_GET, "/open311/v2/services/{file}", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_service},
    {HTTP_POST, "/open311/v2/requests.json", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_submit},
    {HTTP_GET, "/open311/v2/requests.json", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_search},
    {HTTP_GET, "/open311/v2/requests/{file}", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_request},
    {HTTP_GET, "/open311/v2/tokens/{file}", HTTP_PUBLIC, HTTP_SCOPE_NONE, api_open311_token},
    {0, NULL, NULL, 0, NULL},
};
