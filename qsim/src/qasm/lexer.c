/*
 * lexer.c - OpenQASM tokens: identifiers (ASCII and UTF-8), integers,
 * reals, strings and punctuation, each with its line:col.  Blanks, line
 * comments and block comments are skipped; an unterminated comment or
 * string is reported where it starts.  Calls only source.c (diagnostics).
 */
#include "qasm/qasm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void qq_lex_start(qq_src *s)
{
    s->pos = s->line_start = 0;
    s->line = 1;
    /* A UTF-8 byte-order mark is not part of the program. */
    if (s->len >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0)
        s->pos = s->line_start = 3;
    memset(&s->tok, 0, sizeof s->tok);
    s->prev = s->tok;
}

static qq_loc loc_here(const qq_parser *ps, size_t off)
{
    const qq_src *s = ps->src;
    return (qq_loc){s->name, s->line, (int)(off - s->line_start) + 1};
}

static void newline(qq_src *s, size_t at)
{
    s->line++;
    s->line_start = at + 1;
}

/* Skips blanks and comments; 0 on an unterminated comment. */
static int skip(qq_parser *ps)
{
    qq_src *s = ps->src;
    const char *t = s->text;
    for (;;) {
        char c = t[s->pos];
        if (c == '\n') {
            newline(s, s->pos);
            s->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            s->pos++;
        } else if (c == '/' && t[s->pos + 1] == '/') {
            while (t[s->pos] && t[s->pos] != '\n')
                s->pos++;
        } else if (c == '/' && t[s->pos + 1] == '*') {
            qq_loc at = loc_here(ps, s->pos);
            size_t p = s->pos + 2;
            while (t[p] && !(t[p] == '*' && t[p + 1] == '/')) {
                if (t[p] == '\n')
                    newline(s, p);
                p++;
            }
            if (!t[p])
                return qq_error(ps, QS_EPARSE, at, "unterminated comment: '/*' without '*/'");
            s->pos = p + 2;
        } else {
            return 1;
        }
    }
}

static int ident_char(unsigned char c) { return isalnum(c) || c == '_' || c >= 0x80; }

static size_t scan_digits(const char *t, size_t p)
{
    while (isdigit((unsigned char)t[p]))
        p++;
    return p;
}

int qq_next(qq_parser *ps)
{
    qq_src *s = ps->src;
    s->prev = s->tok;
    if (!skip(ps))
        return 0;
    const char *t = s->text;
    size_t p = s->pos;
    qq_tok *k = &s->tok;
    k->off = p;
    k->line = s->line;
    k->col = (int)(p - s->line_start) + 1;
    unsigned char c = (unsigned char)t[p];
    if (c == '\0') {
        k->kind = T_EOF;
        k->len = 0;
        return 1;
    }
    size_t e = p + 1;
    if (isalpha(c) || c == '_' || c >= 0x80) {
        while (ident_char((unsigned char)t[e]))
            e++;
        k->kind = T_ID;
    } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)t[p + 1]))) {
        e = scan_digits(t, p);
        k->kind = T_INT;
        if (t[e] == '.') {
            e = scan_digits(t, e + 1);
            k->kind = T_REAL;
        }
        size_t x = e + 1;
        if ((t[e] == 'e' || t[e] == 'E') && (t[x] == '+' || t[x] == '-'))
            x++;
        if ((t[e] == 'e' || t[e] == 'E') && isdigit((unsigned char)t[x])) {
            e = scan_digits(t, x);
            k->kind = T_REAL;
        }
    } else if (c == '$' && isdigit((unsigned char)t[p + 1])) {
        e = scan_digits(t, p + 1);   /* a physical qubit (OpenQASM 3) */
        k->kind = T_HWQ;
    } else if (c == '"') {
        while (t[e] && t[e] != '"' && t[e] != '\n')
            e++;
        if (t[e] != '"')
            return qq_error(ps, QS_EPARSE, loc_here(ps, p), "unterminated string");
        e++;
        k->kind = T_STRING;
    } else {
        static const struct { const char *s; int kind; } punct[] = {
            {"->", T_ARROW}, {"==", T_EQEQ}, {"!=", T_NE}, {";", T_SEMI}, {",", T_COMMA},
            {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK},
            {"{", T_LBRACE}, {"}", T_RBRACE}, {"=", T_EQ}, {"!", T_BANG}, {"@", T_AT},
            {":", T_COLON}, {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH},
            {"^", T_CARET},
        };
        k->kind = T_OTHER;
        for (size_t i = 0; i < sizeof punct / sizeof *punct; i++) {
            size_t n = strlen(punct[i].s);
            if (strncmp(t + p, punct[i].s, n) == 0) {
                k->kind = punct[i].kind;
                e = p + n;
                break;
            }
        }
    }
    k->len = e - p;
    s->pos = e;
    return 1;
}

int qq_peek(qq_parser *ps)
{
    qq_src saved = *ps->src;
    /* A lexical error found here is the one reading would find next. */
    int kind = qq_next(ps) ? ps->src->tok.kind : T_OTHER;
    *ps->src = saved;
    return kind;
}

/* Moves the position from the current token's start to `off`, counting
 * lines on the way. */
static void rewind_to_token(qq_src *s)
{
    s->pos = s->tok.off;
    s->line = s->tok.line;
    s->line_start = s->tok.off - (size_t)(s->tok.col - 1);
}

int qq_seek(qq_parser *ps, size_t off)
{
    qq_src *s = ps->src;
    rewind_to_token(s);
    for (; s->pos < off; s->pos++)
        if (s->text[s->pos] == '\n')
            newline(s, s->pos);
    return qq_next(ps);
}

qq_loc qq_loc_of(const qq_parser *ps, const qq_tok *t)
{
    return (qq_loc){ps->src->name, t->line, t->col};
}

qq_loc qq_loc_at(const qq_parser *ps, size_t off)
{
    qq_src s = *ps->src;
    rewind_to_token(&s);
    for (; s.pos < off && s.text[s.pos]; s.pos++)
        if (s.text[s.pos] == '\n')
            newline(&s, s.pos);
    return (qq_loc){s.name, s.line, (int)(off - s.line_start) + 1};
}

qq_loc qq_loc_after_prev(const qq_parser *ps)
{
    const qq_tok *p = &ps->src->prev;
    if (p->line == 0)
        return qq_loc_of(ps, &ps->src->tok);
    /* The previous token never spans lines. */
    return (qq_loc){ps->src->name, p->line, p->col + (int)p->len};
}

const char *qq_tok_desc(const qq_parser *ps, const qq_tok *t, char *buf, size_t n)
{
    if (t->kind == T_EOF)
        return "end of file";
    size_t len = t->len > 40 ? 40 : t->len;
    snprintf(buf, n, "'%.*s%s'", (int)len, ps->src->text + t->off, t->len > len ? "..." : "");
    return buf;
}

int qq_is(const qq_parser *ps, const char *word)
{
    const qq_tok *t = &ps->src->tok;
    return t->kind == T_ID && t->len == strlen(word) &&
           memcmp(ps->src->text + t->off, word, t->len) == 0;
}
