/* test_geo.c — core/geo.c: the GCJ-02 ↔ WGS-84 conversion against
 * published pairs, the China bound, and the grid index against all pairs. */
#include "testing.h"

#include "core/geo.h"

#include <math.h>

/* WGS-84 → GCJ-02 pairs published with the reference implementation
 * (github.com/googollee/eviltransform test data). */
static const double pairs[][4] = {
    {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},
    {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},
    {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},
};

static void test_convert(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double glat, glng, wlat, wlng;
        geo_wgs_to_gcj(pairs[i][0], pairs[i][1], &glat, &glng);
        assert_true(fabs(glat - pairs[i][2]) < 1e-6);
        assert_true(fabs(glng - pairs[i][3]) < 1e-6);
        geo_gcj_to_wgs(pairs[i][2], pairs[i][3], &wlat, &wlng);
        assert_true(fabs(wlat - pairs[i][0]) < 1e-6);
        assert_true(fabs(wlng - pairs[i][1]) < 1e-6);
    }
}

static void test_china(void **state)
{
    (void)state;
    assert_true(geo_in_china(33.0, 113.5));   /* Henan */
    assert_false(geo_in_china(51.5, -0.12));  /* London */
    assert_false(geo_in_china(-33.9, 151.2)); /* Sydney */
    assert_false(geo_in_china(60.0, 100.0));
    /* outside the box the conversion is the identity */
    double a, b;
    geo_wgs_to_gcj(51.5, -0.12, &a, &b);
    assert_true(a == 51.5 && b == -0.12);
}

static void test_distance(void **state)
{
    (void)state;
    /* Beijing Tiananmen → Zhengzhou (about 623 km great-circle) */
    double d = geo_km(39.9087, 116.3975, 34.7466, 113.6253);
    assert_true(d > 600 && d < 640);
    assert_true(fabs(geo_km(34.0, 113.0, 34.0, 113.0)) < 1e-9);
    /* 10 km at ×1.3 detour and 30 km/h is 26 minutes */
    assert_true(fabs(geo_minutes(10, 1.3, 30) - 26.0) < 1e-9);
}

static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) & 0xffffff) / (double)0x1000000;
}

static void test_index_vs_all_pairs(void **state)
{
    (void)state;
    enum { NF = 400, NV = 4000 };
    struct geo_point *fac = malloc(NF * sizeof *fac);
    assert_non_null(fac);
    unsigned seed = 15;
    for (int i = 0; i < NF; i++)
        fac[i] = (struct geo_point){31.4 + 5.0 * rnd(&seed), 110.3 + 6.3 * rnd(&seed)};
    /* a duplicate facility: ties go to the lower index both ways */
    fac[NF - 1] = fac[7];
    struct geo_index ix;
    assert_int_equal(geo_index_build(&ix, fac, NF, 0.1), 0);
    int found = 0;
    for (int v = 0; v < NV; v++) {
        double lat = 31.0 + 5.8 * rnd(&seed), lng = 110.0 + 7.0 * rnd(&seed);
        if (v == 0) {
            lat = fac[7].lat;
            lng = fac[7].lng;
        }
        for (double r = 3; r <= 24; r *= 2) {
            double k1 = -1, k2 = -1;
            long a = geo_index_nearest(&ix, lat, lng, r, &k1);
            long b = geo_nearest_all(fac, NF, lat, lng, r, &k2);
            assert_int_equal(a, b);
            if (a >= 0) {
                found++;
                assert_true(k1 == k2);
            }
        }
    }
    assert_true(found > NV / 2); /* the test exercised both outcomes */
    assert_int_equal(geo_index_nearest(&ix, fac[7].lat, fac[7].lng, 1, NULL), 7);
    geo_index_free(&ix);
    struct geo_index empty;
    assert_int_equal(geo_index_build(&empty, fac, 0, 0.1), 0);
    assert_int_equal(geo_index_nearest(&empty, 33, 113, 50, NULL), -1);
    geo_index_free(&empty);
    free(fac);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_convert),
        cmocka_unit_test(test_china),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_index_vs_all_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
