/*
 * routes.c — every API endpoint is one row here: method, path, the
 * permission it needs, handler. The router checks the permission before
 * the handler runs; HTTP_PUBLIC routes need no login.
 */
#include "api/api.h"

const struct http_route api_routes[] = {
    {HTTP_GET, "/api/v1/health", HTTP_PUBLIC, api_health},
    {HTTP_GET, "/api/v1/units", "units:read", api_units_list},
    {HTTP_GET, "/api/v1/units/{code}", "units:read", api_unit_get},
    {HTTP_GET, "/api/v1/units/{code}/children", "units:read", api_unit_children},
    {HTTP_GET, "/api/v1/units/{code}/summary", "units:read", api_unit_summary},
    {0, NULL, NULL, NULL},
};
