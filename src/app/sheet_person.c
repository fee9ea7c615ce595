/* sheet_person.c — the person a cell of an imported sheet names, found in
 * the people registry: by ID-card number through its keyed hash (the
 * number itself is never stored, logged or echoed), or by name inside a
 * scope when the name is that of one person only. */
#include "app/people_sheet_int.h"
#include "core/pii.h"
#include "core/seal.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

int sheet_person_by_id_number(struct app *app, const char *number, int64_t *id, struct err *err)
{
    char norm[PII_IDCARD_LEN + 1], hash[SEAL_HASH_HEX], masked[32];
    int rc = pii_idcard_normalize(number, strlen(number), norm, err);
    if (rc) return rc;
    seal_lookup_hash(&app->seal, norm, strlen(norm), hash);
    pii_mask_idcard(norm, strlen(norm), masked, sizeof masked);
    sodium_memzero(norm, sizeof norm);
    struct db *db = store_acquire(app->store);
    rc = store_person_id_by_hash(db, hash, id, err);
    store_release(app->store, db);
    if (rc == ERR_NOT_FOUND) {
        err_clear(err);
        rc =
            err_set(err, ERR_INVALID,
                    "人员库中没有身份证号为 %s 的人员，请先在“花名册”导入此人，再导入本表", masked);
    }
    return rc;
}

int sheet_person_by_name(struct app *app, const char *name, const char *scope, int64_t *id,
                         struct err *err)
{
    int64_t ids[2];
    int n = 0;
    struct db *db = store_acquire(app->store);
    int rc = store_person_ids_by_name(db, name, scope, ids, &n, err);
    store_release(app->store, db);
    if (rc) return rc;
    if (n == 0)
        return err_set(err, ERR_INVALID, "人员库中没有名为“%s”的人员，请先在“花名册”导入此人",
                       name);
    if (n > 1)
        return err_set(err, ERR_INVALID, "人员库中有不止一位“%s”，请在身份证号一列写明是哪一位",
                       name);
    *id = ids[0];
    return ERR_OK;
}
