/* geo.c — see geo.h. The GCJ-02 formula is the widely published one
 * (Krasovsky 1940 ellipsoid, a = 6378245, ee = 0.00669342162296594323). */
#include "core/geo.h"

#include <math.h>
#include <stdlib.h>

#define GEO_PI       3.14159265358979323846
#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323
#define EARTH_KM     6371.0088

bool geo_in_china(double lat, double lng)
{
    return lat >= 0.8293 && lat <= 55.8271 && lng >= 72.004 && lng <= 137.8347;
}

static double transform_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * GEO_PI) + 20.0 * sin(2.0 * x * GEO_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * GEO_PI) + 40.0 * sin(y / 3.0 * GEO_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * GEO_PI) + 320.0 * sin(y * GEO_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double transform_lng(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * GEO_PI) + 20.0 * sin(2.0 * x * GEO_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * GEO_PI) + 40.0 * sin(x / 3.0 * GEO_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * GEO_PI) + 300.0 * sin(x / 30.0 * GEO_PI)) * 2.0 / 3.0;
    return r;
}

void geo_wgs_to_gcj(double lat, double lng, double *glat, double *glng)
{
    if (!geo_in_china(lat, lng)) {
        *glat = lat;
        *glng = lng;
        return;
    }
    double dlat = transform_lat(lng - 105.0, lat - 35.0);
    double dlng = transform_lng(lng - 105.0, lat - 35.0);
    double rad = lat / 180.0 * GEO_PI;
    double magic = sin(rad);
    magic = 1 - KRASOVSKY_EE * magic * magic;
    double sq = sqrt(magic);
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sq) * GEO_PI);
    dlng = (dlng * 180.0) / (KRASOVSKY_A / sq * cos(rad) * GEO_PI);
    *glat = lat + dlat;
    *glng = lng + dlng;
}

void geo_gcj_to_wgs(double glat, double glng, double *lat, double *lng)
{
    double wlat = glat, wlng = glng;
    for (int i = 0; i < 30; i++) {
        double tlat, tlng;
        geo_wgs_to_gcj(wlat, wlng, &tlat, &tlng);
        double elat = tlat - glat, elng = tlng - glng;
        wlat -= elat;
        wlng -= elng;
        if (fabs(elat) < 1e-9 && fabs(elng) < 1e-9) break;
    }
    *lat = wlat;
    *lng = wlng;
}

double geo_km(double lat1, double lng1, double lat2, double lng2)
{
    double p1 = lat1 * GEO_PI / 180.0, p2 = lat2 * GEO_PI / 180.0;
    double dp = p2 - p1, dl = (lng2 - lng1) * GEO_PI / 180.0;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (h > 1.0) h = 1.0;
    return 2.0 * EARTH_KM * asin(sqrt(h));
}

double geo_minutes(double km, double detour, double speed_kmh)
{
    return speed_kmh > 0 ? km * detour / speed_kmh * 60.0 : INFINITY;
}

static int cell_row(const struct geo_index *ix, double lat)
{
    int r = (int)floor((lat - ix->lat0) / ix->cell_deg);
    return r < 0 ? 0 : r >= ix->rows ? ix->rows - 1 : r;
}

static int cell_col(const struct geo_index *ix, double lng)
{
    int c = (int)floor((lng - ix->lng0) / ix->cell_deg);
    return c < 0 ? 0 : c >= ix->cols ? ix->cols - 1 : c;
}

int geo_index_build(struct geo_index *ix, const struct geo_point *pts, size_t n, double cell_deg)
{
    *ix = (struct geo_index){.pts = pts, .n = n, .cell_deg = cell_deg > 0 ? cell_deg : 0.1};
    double lat1 = 0, lng1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || pts[i].lat < ix->lat0) ix->lat0 = pts[i].lat;
        if (i == 0 || pts[i].lng < ix->lng0) ix->lng0 = pts[i].lng;
        if (i == 0 || pts[i].lat > lat1) lat1 = pts[i].lat;
        if (i == 0 || pts[i].lng > lng1) lng1 = pts[i].lng;
    }
    ix->rows = (int)floor((lat1 - ix->lat0) / ix->cell_deg) + 1;
    ix->cols = (int)floor((lng1 - ix->lng0) / ix->cell_deg) + 1;
    size_t cells = (size_t)ix->rows * (size_t)ix->cols;
    ix->start = calloc(cells + 1, sizeof *ix->start);
    ix->order = malloc((n ? n : 1) * sizeof *ix->order);
    if (!ix->start || !ix->order) {
        geo_index_free(ix);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        ix->start[(size_t)cell_row(ix, pts[i].lat) * ix->cols + cell_col(ix, pts[i].lng) + 1]++;
    for (size_t c = 0; c < cells; c++)
        ix->start[c + 1] += ix->start[c];
    size_t *fill = calloc(cells ? cells : 1, sizeof *fill);
    if (!fill) {
        geo_index_free(ix);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)cell_row(ix, pts[i].lat) * ix->cols + cell_col(ix, pts[i].lng);
        ix->order[ix->start[c] + fill[c]++] = i;
    }
    free(fill);
    return 0;
}

void geo_index_free(struct geo_index *ix)
{
    free(ix->start);
    free(ix->order);
    ix->start = NULL;
    ix->order = NULL;
}

long geo_index_nearest(const struct geo_index *ix, double lat, double lng, double max_km,
                       double *km)
{
    if (ix->n == 0) return -1;
    /* degrees spanned by max_km: latitude 111.19 km/degree; longitude
     * shrinks with cos(lat) — take the widest latitude of the window */
    double dlat = max_km / 111.19 + 1e-9;
    double worst = fabs(lat) + dlat;
    double c = cos((worst > 89.0 ? 89.0 : worst) * GEO_PI / 180.0);
    double dlng = max_km / (111.19 * c) + 1e-9;
    if (lat + dlat < ix->lat0 || lat - dlat > ix->lat0 + ix->rows * ix->cell_deg ||
        lng + dlng < ix->lng0 || lng - dlng > ix->lng0 + ix->cols * ix->cell_deg)
        return -1;
    int r0 = cell_row(ix, lat - dlat), r1 = cell_row(ix, lat + dlat);
    int c0 = cell_col(ix, lng - dlng), c1 = cell_col(ix, lng + dlng);
    long best = -1;
    double best_km = max_km;
    for (int r = r0; r <= r1; r++)
        for (int col = c0; col <= c1; col++) {
            size_t cell = (size_t)r * ix->cols + col;
            for (size_t k = ix->start[cell]; k < ix->start[cell + 1]; k++) {
                size_t i = ix->order[k];
                double d = geo_km(lat, lng, ix->pts[i].lat, ix->pts[i].lng);
                if (d <= best_km && (best < 0 || d < best_km || (long)i < best)) {
                    best = (long)i;
                    best_km = d;
                }
            }
        }
    if (best >= 0 && km) *km = best_km;
    return best;
}

long geo_nearest_all(const struct geo_point *pts, size_t n, double lat, double lng, double max_km,
                     double *km)
{
    long best = -1;
    double best_km = max_km;
    for (size_t i = 0; i < n; i++) {
        double d = geo_km(lat, lng, pts[i].lat, pts[i].lng);
        if (d <= best_km && (best < 0 || d < best_km || (long)i < best)) {
            best = (long)i;
            best_km = d;
        }
    }
    if (best >= 0 && km) *km = best_km;
    return best;
}
