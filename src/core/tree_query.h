/*
 * tree_query.h — finding units the way a person asks for them: a few
 * words typed ("舞阳 郝庄"), the levels wanted (only villages, only
 * counties), inside a subtree, in pre-order, a page at a time.
 *
 * The words are matched along the path: a unit matches when its own name
 * holds one of the words and every word is held by its own name or by the
 * name of one of its ancestors. So "舞阳 郝庄" finds 郝庄村 of 舞阳县 (辛安镇)
 * and not the 139 other villages called 郝庄, and a path pasted whole
 * ("漯河市 › 舞阳县 › 郝庄村") finds that village. A word of digits is a
 * code prefix (of the unit itself, hence of its subtree). One word is
 * exactly tree_search; no word lists the units of the levels asked for.
 *
 * Indexed, not a scan: candidates come from tree_search (the name index),
 * and a word an ancestor must hold turns into a jump to the next subtree
 * whose root holds it, so the work follows the matches and the subtrees
 * named, not the size of the tree.
 */
#ifndef JICENG_TREE_QUERY_H
#define JICENG_TREE_QUERY_H

#include "core/tree.h"

#define TREE_QUERY_TERMS 8    /* words in one query */
#define TREE_QUERY_STEPS 2000 /* steps of one query before it gives up (a few ms) */

/* One text looked up in the name index again and again with a growing
 * `from` (tree_search.c): the posting list is chosen once, and each call
 * goes on from where the last one stopped. What tree_cursor_next answers
 * is what tree_search would; a smaller `from` than before is allowed (it
 * searches the list again). q must outlive the cursor. */
struct tree_cursor {
    const char *q;
    size_t qlen;
    bool code;  /* all digits: a code prefix, no list */
    bool check; /* more than two characters: candidates' names are read */
    const uint32_t *list;
    uint32_t count, at; /* the list's length, the place reached */
};
void tree_cursor_init(const struct tree *t, struct tree_cursor *c, const char *q, size_t qlen);
uint32_t tree_cursor_next(const struct tree *t, struct tree_cursor *c, uint32_t from,
                          uint32_t last);

/* 64 bits, one per character's hash: of a text, and of every name on the
 * path of unit i (tree_search.c). A word can be on the path only if all
 * its bits are in the path's. */
uint64_t tree_text_sig(const char *s, size_t len);
uint64_t tree_path_sig(const struct tree *t, uint32_t i);

struct tree_term {
    const char *p; /* into the text given to tree_query_parse, not owned */
    size_t len;
    bool code;    /* all digits: a code prefix */
    uint64_t sig; /* tree_text_sig of the word */
};

struct tree_query {
    uint32_t lo, hi; /* the index range searched: a subtree, or the whole tree */
    unsigned levels; /* bit (1u << enum unit_level) per level wanted; 0: every level */
    int nterms;
    struct tree_term terms[TREE_QUERY_TERMS];
    uint32_t budget;  /* steps left before tree_query_next gives up (TREE_QUERY_STEPS) */
    uint32_t stopped; /* where it gave up: the next call should start here; else TREE_NONE */
    /* per word, its cursor, the last answer (pos) and where it began (at);
     * valid for any later start inside [at, pos], so paging reuses it */
    struct tree_cursor cur[TREE_QUERY_TERMS];
    uint32_t at[TREE_QUERY_TERMS], pos[TREE_QUERY_TERMS];
    /* per word, the subtree [held, post(held)] of the last unit found
     * holding it on a path: every unit in there has it on its path too */
    uint32_t held[TREE_QUERY_TERMS];
};

/* Sets up q over the whole of t (callers narrow lo/hi and set levels
 * after) with the words of text[0..len): separated by spaces (also the
 * ideographic space), '›', '>', '/', ',', '，' or '、'. ERR_INVALID with a
 * Chinese message when there are more than TREE_QUERY_TERMS words. q
 * points into text, which must outlive it. */
int tree_query_init(struct tree_query *q, const struct tree *t, const char *text, size_t len,
                    struct err *err);

/* The first unit at index >= from (and inside [q->lo, q->hi]) that the
 * query matches, TREE_NONE when there is none. Call again with the answer
 * + 1 for the next one. Words that are everywhere but seldom on one path
 * ("东 西 南 北") can take many steps: after q->budget steps in all (about
 * a microsecond each) it gives up, returning TREE_NONE with q->stopped set
 * to where to go on — the caller answers a shorter page that continues
 * there. */
uint32_t tree_query_next(const struct tree *t, struct tree_query *q, uint32_t from);

#endif
