/*
 * geo.h — coordinates for the 30-minute health circle: the public GCJ-02
 * ↔ WGS-84 conversion (GCJ-02 is what Chinese web maps show, WGS-84 what
 * GPS gives), a China bounding check, great-circle distance, and a grid
 * index answering "nearest facility within r km" without comparing every
 * pair. No I/O.
 */
#ifndef JICENG_GEO_H
#define JICENG_GEO_H

#include <stdbool.h>
#include <stddef.h>

/* Whether (lat, lng) lies in the box the GCJ-02 offset is defined for
 * (lat 0.8293–55.8271, lng 72.004–137.8347); outside it a coordinate is
 * not in China and is refused. */
bool geo_in_china(double lat, double lng);

/* WGS-84 → GCJ-02 (the published obfuscation formula). */
void geo_wgs_to_gcj(double lat, double lng, double *glat, double *glng);

/* GCJ-02 → WGS-84 by fixed-point iteration on the forward formula
 * (converges to < 1e-7 degrees, about 1 cm). */
void geo_gcj_to_wgs(double glat, double glng, double *lat, double *lng);

/* Great-circle distance in kilometres (haversine, mean Earth radius). */
double geo_km(double lat1, double lng1, double lat2, double lng2);

/* Estimated travel minutes: km × detour ÷ speed (km/h) × 60. */
double geo_minutes(double km, double detour, double speed_kmh);

/* A grid index over points (WGS-84): buckets of cell_deg × cell_deg. */
struct geo_point {
    double lat, lng;
};

struct geo_index {
    const struct geo_point *pts;
    size_t n;
    double cell_deg;
    double lat0, lng0;
    int rows, cols;
    size_t *start; /* rows*cols+1 offsets into order */
    size_t *order; /* point indices sorted by cell */
};

/* Builds the index over pts[0..n) (kept by pointer, not copied); returns 0,
 * or -1 when out of memory. */
int geo_index_build(struct geo_index *ix, const struct geo_point *pts, size_t n, double cell_deg);
void geo_index_free(struct geo_index *ix);

/* The nearest indexed point within max_km of (lat, lng): its index, and
 * its distance in *km; -1 when none lies within max_km. */
long geo_index_nearest(const struct geo_index *ix, double lat, double lng, double max_km,
                       double *km);

/* The same by comparing every point (the reference the index is tested
 * against). */
long geo_nearest_all(const struct geo_point *pts, size_t n, double lat, double lng, double max_km,
                     double *km);

#endif
