/*
 * formula_parse.c — formula source → bytecode (formula.h, formula_int.h).
 *
 * A hand-written lexer and a recursive-descent parser that emits postfix
 * bytecode as it goes, with no tree in between. The parser recurses once per
 * precedence level and once per nesting level, and nesting is capped at
 * FORMULA_DEPTH_MAX, so its C stack use is bounded; evaluation itself never
 * recurses. While emitting, the parser tracks the height the value stack
 * will reach, so the evaluator knows its stack size up front.
 *
 * Every error names the 1-based character column of the offending token,
 * counted in code points from the start of the text (newlines included),
 * so that a UI can point at it in text that mixes Chinese and ASCII.
 */
#include "core/formula_int.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/num.h"
#include "base/utf8.h"

enum token_kind {
    T_END,
    T_NUM,
    T_REF,
    T_NAME,
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_OR,
    T_AND,
    T_NOT,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PLUS,
    T_MINUS,
    T_MUL,
    T_DIV,
};

struct token {
    int kind;     /* enum token_kind */
    size_t off;   /* byte offset of the token in the source */
    size_t len;   /* bytes */
    int col;      /* 1-based character column */
    double num;   /* T_NUM: its value */
    uint32_t ref; /* T_REF: index into f->refs */
};

struct parser {
    const char *src;
    size_t len;
    size_t pos;       /* lexer: byte offset of the next character */
    int col;          /* lexer: column of src[pos] */
    struct token tok; /* the lookahead */
    int depth;        /* current nesting */
    size_t height;    /* value stack height after the code emitted so far */
    size_t code_cap, consts_cap, refs_cap;
    struct formula *f;
    struct err *err;
};

/* Punctuation, longest spelling first so "<=" wins over "<". */
static const struct {
    const char *text;
    int kind;
} puncts[] = {
    {"||", T_OR},   {"&&", T_AND}, {"==", T_EQ},    {"!=", T_NE},    {"<>", T_NE},
    {"<=", T_LE},   {">=", T_GE},  {"(", T_LPAREN}, {")", T_RPAREN}, {",", T_COMMA},
    {"!", T_NOT},   {"=", T_EQ},   {"<", T_LT},     {">", T_GT},     {"+", T_PLUS},
    {"-", T_MINUS}, {"*", T_MUL},  {"/", T_DIV},    {"×", T_MUL},    {"÷", T_DIV},
};

/* Characters people type by mistake (full-width input, maths symbols) and
 * what to write instead. */
static const struct {
    const char *text;
    const char *instead;
} hints[] = {
    {"（", "("}, {"）", ")"},        {"，", ","},       {"＋", "+"},     {"－", "-"},
    {"＝", "="}, {"＜", "<"},        {"＞", ">"},       {"＊", "*"},     {"／", "/"},
    {"＃", "#"}, {"｛", "{"},        {"｝", "}"},       {"≤", "<="},     {"≥", ">="},
    {"≠", "!="}, {"&", "and 或 &&"}, {"|", "or 或 ||"}, {"％", "/ 100"}, {"%", "/ 100"},
};

static const struct {
    const char *name;
    int kind;
} keywords[] = {{"and", T_AND}, {"or", T_OR}, {"not", T_NOT}};

#define ARGS_ANY FORMULA_INSNS_MAX

static const struct {
    const char *name;
    int op;
    int min_args, max_args;
} functions[] = {
    {"if", FOP_IF, 3, 3},          {"min", FOP_MIN, 1, ARGS_ANY},
    {"max", FOP_MAX, 1, ARGS_ANY}, {"abs", FOP_ABS, 1, 1},
    {"isnull", FOP_ISNULL, 1, 1},  {"coalesce", FOP_COALESCE, 1, ARGS_ANY},
    {"round", FOP_ROUND, 1, 2},
};

#define NELEMS(a)        (sizeof(a) / sizeof((a)[0]))
#define ROUND_PLACES_MAX 10
#define NAME_SHOWN_MAX   32 /* bytes of an unknown name quoted in a message */

static int fail(struct parser *p, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int col, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int rc = err_set(p->err, ERR_INVALID, "第 %d 个字符处：%s", col, msg);
    err_at(p->err, "formula", 1, col);
    return rc;
}

/* ---- lexer ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

static bool is_code_char(char c)
{
    return is_name_char(c) || c == '.' || c == '-';
}

/* ASCII case-insensitive match of s[0..n) against the lower-case word;
 * unlike strncasecmp, independent of the locale. */
static bool same_word(const char *word, const char *s, size_t n)
{
    if (strlen(word) != n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != word[i]) return false;
    }
    return true;
}

/* True if the source at pos starts with the NUL-terminated text t. */
static bool at_text(const struct parser *p, const char *t)
{
    size_t n = strlen(t);
    return p->len - p->pos >= n && memcmp(p->src + p->pos, t, n) == 0;
}

/* Byte length of the (valid) UTF-8 character at pos. */
static size_t char_len(const struct parser *p)
{
    size_t k = utf8_seq_len((const unsigned char *)p->src + p->pos, p->len - p->pos);
    assert(k >= 1); /* the source was validated up front */
    return k;
}

static uint32_t code_point(const unsigned char *s, size_t k)
{
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = s[0] & lead_mask[k];
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | (s[i] & 0x3Fu);
    return cp;
}

static void skip_space(struct parser *p)
{
    while (p->pos < p->len) {
        char c = p->src[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            p->pos++;
        else if (at_text(p, "\u3000") || at_text(p, "\u00A0")) /* ideographic, no-break */
            p->pos += char_len(p);
        else
            break;
        p->col++;
    }
}

/* Quotes the character at pos for a message: itself, or U+XXXX when it
 * would not show (control and format characters). */
static void quote_char(const struct parser *p, char out[16])
{
    size_t k = char_len(p);
    uint32_t cp = code_point((const unsigned char *)p->src + p->pos, k);
    bool invisible = cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || (cp >= 0x2000 && cp <= 0x206F) ||
                     cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF);
    if (invisible)
        snprintf(out, 16, "U+%04X", (unsigned)cp);
    else
        snprintf(out, 16, "“%.*s”", (int)k, p->src + p->pos);
}

static int lex_number(struct parser *p, struct token *t)
{
    size_t start = p->pos;
    while (p->pos < p->len && is_digit(p->src[p->pos]))
        p->pos++;
    bool ok = true;
    if (p->pos < p->len && p->src[p->pos] == '.') {
        size_t frac = ++p->pos;
        while (p->pos < p->len && is_digit(p->src[p->pos]))
            p->pos++;
        ok = p->pos > frac; /* "5." is not a number; ".5" is */
    }
    if (ok && p->pos < p->len && (p->src[p->pos] == 'e' || p->src[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->src[p->pos] == '+' || p->src[p->pos] == '-')) p->pos++;
        size_t exp = p->pos;
        while (p->pos < p->len && is_digit(p->src[p->pos]))
            p->pos++;
        ok = p->pos > exp;
    }
    if (ok && p->pos < p->len && (is_name_char(p->src[p->pos]) || p->src[p->pos] == '.'))
        ok = false; /* "2x", "1.2.3" */
    if (!ok) return fail(p, t->col, "数字格式不正确，应如 12、0.5、.5 或 1e3");
    if (num_parse(p->src + start, p->pos - start, &t->num) != NUM_OK)
        return fail(p, t->col, "数值超出范围（过大，或小到会被当作 0）");
    t->kind = T_NUM;
    return ERR_OK;
}

/* Index of the reference with this code, added if new. */
static int intern_ref(struct parser *p, const char *code, size_t n, uint32_t *index)
{
    struct formula *f = p->f;
    for (size_t i = 0; i < f->nrefs; i++)
        if (strlen(f->refs[i]) == n && memcmp(f->refs[i], code, n) == 0) {
            *index = (uint32_t)i;
            return ERR_OK;
        }
    if (f->nrefs == FORMULA_REFS_MAX)
        return fail(p, p->tok.col, "引用的数据元超过 %d 个", FORMULA_REFS_MAX);
    f->refs = xgrow(f->refs, sizeof f->refs[0], f->nrefs + 1, &p->refs_cap);
    memcpy(f->refs[f->nrefs], code, n);
    f->refs[f->nrefs][n] = '\0';
    *index = (uint32_t)f->nrefs++;
    return ERR_OK;
}

static int lex_ref(struct parser *p, struct token *t)
{
    p->pos++; /* '#' */
    p->col++;
    if (p->pos >= p->len || p->src[p->pos] != '{')
        return fail(p, t->col, "# 后应为 {，引用数据元请写成 #{代码}");
    p->pos++;
    p->col++;
    size_t start = p->pos;
    while (p->pos < p->len && is_code_char(p->src[p->pos])) {
        p->pos++;
        p->col++;
    }
    size_t n = p->pos - start;
    if (p->pos >= p->len) return fail(p, p->col, "#{…} 缺少右花括号 }");
    if (p->src[p->pos] != '}') {
        char q[16];
        quote_char(p, q);
        return fail(p, p->col,
                    "数据元代码中不能有字符 %s（代码只能含字母、数字和 _ . -，以 } 结束）", q);
    }
    p->pos++;
    p->col++;
    if (n == 0) return fail(p, t->col, "#{…} 中的数据元代码为空");
    if (n > FORMULA_CODE_MAX) return fail(p, t->col, "数据元代码超过 %d 个字符", FORMULA_CODE_MAX);
    t->kind = T_REF;
    return intern_ref(p, p->src + start, n, &t->ref);
}

static void lex_name(struct parser *p, struct token *t)
{
    while (p->pos < p->len && is_name_char(p->src[p->pos]))
        p->pos++;
    t->kind = T_NAME;
    size_t n = p->pos - t->off;
    for (size_t i = 0; i < NELEMS(keywords); i++)
        if (same_word(keywords[i].name, p->src + t->off, n)) t->kind = keywords[i].kind;
}

static int lex_other(struct parser *p, struct token *t)
{
    for (size_t i = 0; i < NELEMS(puncts); i++)
        if (at_text(p, puncts[i].text)) {
            t->kind = puncts[i].kind;
            p->pos += strlen(puncts[i].text);
            return ERR_OK;
        }
    char q[16];
    quote_char(p, q);
    for (size_t i = 0; i < NELEMS(hints); i++)
        if (at_text(p, hints[i].text))
            return fail(p, t->col, "无法识别的字符 %s，请改用 %s", q, hints[i].instead);
    return fail(p, t->col, "无法识别的字符 %s", q);
}

/* Reads the next token into p->tok. */
static int advance(struct parser *p)
{
    skip_space(p);
    struct token *t = &p->tok;
    memset(t, 0, sizeof *t);
    t->off = p->pos;
    t->col = p->col;
    int rc = ERR_OK;
    if (p->pos >= p->len) {
        t->kind = T_END;
        return ERR_OK;
    }
    char c = p->src[p->pos];
    if (is_digit(c) || (c == '.' && p->pos + 1 < p->len && is_digit(p->src[p->pos + 1])))
        rc = lex_number(p, t);
    else if (c == '#')
        rc = lex_ref(p, t);
    else if (is_name_start(c))
        lex_name(p, t);
    else
        rc = lex_other(p, t);
    if (rc) return rc;
    t->len = p->pos - t->off;
    /* lex_ref counts its own columns; everything else is counted here */
    if (t->kind != T_REF) p->col += (int)utf8_chars(p->src + t->off, t->len);
    return ERR_OK;
}

/* ---- emitter ---- */

static int emit(struct parser *p, int op, uint32_t arg, int col)
{
    struct formula *f = p->f;
    if (f->ncode == FORMULA_INSNS_MAX)
        return fail(p, col, "公式过于复杂：超过 %d 条指令", FORMULA_INSNS_MAX);
    f->code = xgrow(f->code, sizeof f->code[0], f->ncode + 1, &p->code_cap);
    struct formula_insn *in = &f->code[f->ncode++];
    in->op = (uint8_t)op;
    in->arg = arg;
    size_t pops = formula_insn_pops(in);
    assert(p->height >= pops);
    p->height = p->height - pops + 1;
    if (p->height > f->max_stack) f->max_stack = p->height;
    return ERR_OK;
}

static int emit_const(struct parser *p, double v, int col)
{
    struct formula *f = p->f;
    f->consts = xgrow(f->consts, sizeof f->consts[0], f->nconsts + 1, &p->consts_cap);
    f->consts[f->nconsts] = v;
    return emit(p, FOP_CONST, (uint32_t)f->nconsts++, col);
}

/* ---- parser ---- */

static int parse_level(struct parser *p, int prec);

static int enter(struct parser *p, int col)
{
    if (++p->depth > FORMULA_DEPTH_MAX)
        return fail(p, col, "嵌套超过 %d 层（括号、函数和前置运算符）", FORMULA_DEPTH_MAX);
    return ERR_OK;
}

/* The binary operator each token kind stands for; 0 (FOP_CONST) for none. */
static const uint8_t binary_ops[] = {
    [T_OR] = FOP_OR,    [T_AND] = FOP_AND,   [T_EQ] = FOP_EQ,   [T_NE] = FOP_NE,
    [T_LT] = FOP_LT,    [T_LE] = FOP_LE,     [T_GT] = FOP_GT,   [T_GE] = FOP_GE,
    [T_PLUS] = FOP_ADD, [T_MINUS] = FOP_SUB, [T_MUL] = FOP_MUL, [T_DIV] = FOP_DIV,
};

/* The binary operator a token stands for, or -1. */
static int binary_op(int kind)
{
    return kind < (int)NELEMS(binary_ops) && binary_ops[kind] ? binary_ops[kind] : -1;
}

static int missing_operand(struct parser *p)
{
    const struct token *t = &p->tok;
    switch (t->kind) {
    case T_END:
        return fail(p, t->col, "公式不完整，末尾缺少运算数");
    case T_NOT:
        return fail(p, t->col, "not 的优先级低于比较和算术运算，此处请加括号，如 (not …)");
    default:
        return fail(p, t->col, "“%.*s” 前缺少运算数", (int)t->len, p->src + t->off);
    }
}

/* round's second argument: a literal whole number of decimal places. */
static int parse_places(struct parser *p, uint32_t *places)
{
    struct token t = p->tok; /* a copy: advance() overwrites p->tok */
    bool ok = t.kind == T_NUM && t.num == floor(t.num) && t.num <= ROUND_PLACES_MAX;
    if (ok) {
        *places = (uint32_t)t.num;
        int rc = advance(p);
        if (rc) return rc;
        ok = p->tok.kind == T_COMMA || p->tok.kind == T_RPAREN;
    }
    if (!ok) return fail(p, t.col, "round 的小数位数须为 0–%d 的整数", ROUND_PLACES_MAX);
    return ERR_OK;
}

/* A function call; p->tok is its name. */
static int parse_call(struct parser *p)
{
    struct token name = p->tok;
    const char *text = p->src + name.off;
    int shown = (int)(name.len < NAME_SHOWN_MAX ? name.len : NAME_SHOWN_MAX);
    size_t fn = NELEMS(functions);
    for (size_t i = 0; i < NELEMS(functions); i++)
        if (same_word(functions[i].name, text, name.len)) fn = i;
    int rc = advance(p);
    if (rc) return rc;
    if (p->tok.kind != T_LPAREN) {
        if (fn < NELEMS(functions))
            return fail(p, name.col, "函数 %s 后缺少左括号", functions[fn].name);
        return fail(p, name.col, "未知的名称 %.*s，引用数据元请写成 #{代码}", shown, text);
    }
    if (fn == NELEMS(functions)) return fail(p, name.col, "未知函数 %.*s", shown, text);
    if ((rc = enter(p, name.col)) || (rc = advance(p))) return rc;
    int op = functions[fn].op, argc = 0;
    uint32_t places = 0;
    while (p->tok.kind != T_RPAREN || argc > 0) { /* "f()" has no arguments; "f(x,)" is an error */
        if (op == FOP_ROUND && argc == 1)
            rc = parse_places(p, &places);
        else
            rc = parse_level(p, FPREC_OR);
        if (rc) return rc;
        argc++;
        if (p->tok.kind == T_RPAREN) break;
        if (p->tok.kind == T_END) return fail(p, p->tok.col, "公式不完整，缺少右括号");
        if (p->tok.kind != T_COMMA) return fail(p, p->tok.col, "缺少逗号或右括号");
        if ((rc = advance(p))) return rc;
    }
    int lo = functions[fn].min_args, hi = functions[fn].max_args;
    const char *fname = functions[fn].name;
    if (argc < lo || argc > hi) {
        if (lo == hi)
            return fail(p, name.col, "函数 %s 需要 %d 个参数，这里有 %d 个", fname, lo, argc);
        if (hi == ARGS_ANY) return fail(p, name.col, "函数 %s 至少需要 %d 个参数", fname, lo);
        return fail(p, name.col, "函数 %s 需要 %d–%d 个参数，这里有 %d 个", fname, lo, hi, argc);
    }
    if ((rc = advance(p))) return rc;
    p->depth--;
    return emit(p, op, op == FOP_ROUND ? places : (uint32_t)argc, name.col);
}

static int parse_primary(struct parser *p)
{
    struct token t = p->tok;
    int rc;
    switch (t.kind) {
    case T_NUM:
        if ((rc = emit_const(p, t.num, t.col))) return rc;
        return advance(p);
    case T_REF:
        if ((rc = emit(p, FOP_REF, t.ref, t.col))) return rc;
        return advance(p);
    case T_LPAREN:
        if ((rc = enter(p, t.col)) || (rc = advance(p)) || (rc = parse_level(p, FPREC_OR)))
            return rc;
        if (p->tok.kind != T_RPAREN)
            return fail(p, p->tok.col, "缺少右括号（与第 %d 个字符处的左括号配对）", t.col);
        p->depth--;
        return advance(p);
    case T_NAME:
        return parse_call(p);
    default:
        return missing_operand(p);
    }
}

/* Prefix operators: "not" at FPREC_NOT, "-" and "+" at FPREC_UNARY. */
static int parse_prefix(struct parser *p, int prec)
{
    struct token t = p->tok;
    bool is_not = t.kind == T_NOT;
    bool mine = prec == FPREC_NOT ? is_not : t.kind == T_MINUS || t.kind == T_PLUS;
    if (!mine) return prec == FPREC_NOT ? parse_level(p, FPREC_CMP) : parse_primary(p);
    int rc;
    if ((rc = enter(p, t.col)) || (rc = advance(p)) || (rc = parse_prefix(p, prec))) return rc;
    p->depth--;
    if (t.kind == T_PLUS) return ERR_OK; /* "+x" is x */
    return emit(p, is_not ? FOP_NOT : FOP_NEG, 0, t.col);
}

/* One level of binary operators, left-associative except comparisons,
 * which do not associate at all. */
static int parse_level(struct parser *p, int prec)
{
    if (prec == FPREC_NOT || prec == FPREC_UNARY) return parse_prefix(p, prec);
    int rc = parse_level(p, prec + 1);
    while (!rc) {
        int op = binary_op(p->tok.kind);
        if (op < 0 || formula_ops[op].prec != prec) break;
        int col = p->tok.col;
        if ((rc = advance(p)) || (rc = parse_level(p, prec + 1)) || (rc = emit(p, op, 0, col)))
            break;
        int next = binary_op(p->tok.kind);
        if (prec == FPREC_CMP && next >= 0 && formula_ops[next].prec == FPREC_CMP)
            rc = fail(p, p->tok.col, "比较运算不能连用，a < b < c 请写成 a < b and b < c");
    }
    return rc;
}

static int trailing(struct parser *p)
{
    const struct token *t = &p->tok;
    switch (t->kind) {
    case T_RPAREN:
        return fail(p, t->col, "多余的右括号");
    case T_COMMA:
        return fail(p, t->col, "多余的逗号（逗号只用于分隔函数参数）");
    default:
        return fail(p, t->col, "此处缺少运算符");
    }
}

int formula_compile(const char *src, size_t len, struct formula **out, struct err *err)
{
    *out = NULL;
    if (len > FORMULA_SRC_MAX) {
        int rc =
            err_set(err, ERR_INVALID, "公式过长：%zu 字节，上限 %d 字节", len, FORMULA_SRC_MAX);
        err_at(err, "formula", 1, 0);
        return rc;
    }
    if (!src) src = "";
    struct parser p = {.src = src, .len = len, .col = 1, .err = err};
    size_t bad;
    if (!utf8_valid(src, len, &bad))
        return fail(&p, (int)utf8_chars(src, bad) + 1, "公式不是有效的 UTF-8 文本");
    p.f = xcalloc(1, sizeof *p.f);
    int rc = advance(&p);
    if (!rc && p.tok.kind == T_END) rc = fail(&p, 1, "公式为空");
    if (!rc) rc = parse_level(&p, FPREC_OR);
    if (!rc && p.tok.kind != T_END) rc = trailing(&p);
    if (rc) {
        formula_free(p.f);
        return rc;
    }
    assert(p.height == 1 && p.depth == 0);
    *out = p.f;
    return ERR_OK;
}
