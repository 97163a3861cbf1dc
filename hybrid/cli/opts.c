/*
 * opts.c - the one option parser of the `qsim` command line (see cli.h):
 * "--name VALUE", "--name=VALUE", flags, a one-letter alias, positional
 * arguments, "--" ending the options, and --help.
 */
#include "cli.h"

#include <string.h>

static const cli_opt *find(const cli_opt *const *tables, const char *name, size_t len, char alias)
{
    for (; *tables; tables++)
        for (const cli_opt *o = *tables; o->name; o++)
            if (alias ? o->alias == alias : strlen(o->name) == len && !strncmp(o->name, name, len))
                return o;
    return NULL;
}

/* Which options were given: to refuse a second --seed. */
typedef struct seen {
    const cli_opt *o[64];
    int n;
} seen;

static int given(seen *s, const cli_opt *o)
{
    for (int i = 0; i < s->n; i++)
        if (s->o[i] == o)
            return 1;
    if (s->n < 64)
        s->o[s->n++] = o;
    return 0;
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *const *tables,
              cli_take_fn take, void *ctx)
{
    seen s = {.n = 0};
    int options_end = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_end || a[0] != '-' || a[1] == '\0') {
            int rc = take(ctx, NULL, a);
            if (rc)
                return rc;
            continue;
        }
        if (!strcmp(a, "--")) {
            options_end = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return CLI_HELP;
        const cli_opt *o;
        const char *eq = NULL;
        if (a[1] != '-') {
            if (a[2] != '\0' || !(o = find(tables, NULL, 0, a[1])))
                return cli_fail(CLI_EUSAGE, cmd, "unknown option '%s' (see qsim %s --help)", a,
                                cmd);
        } else {
            eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (!(o = find(tables, a + 2, len, 0)))
                return cli_fail(CLI_EUSAGE, cmd, "unknown option '%.*s' (see qsim %s --help)",
                                (int)len + 2, a, cmd);
        }
        const char *value = NULL;
        if (o->arg) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
                value = argv[++i];
            } else {
                return cli_fail(CLI_EUSAGE, cmd, "--%s needs a value (--%s %s)", o->name, o->name,
                                o->arg);
            }
        } else if (eq) {
            return cli_fail(CLI_EUSAGE, cmd, "--%s takes no value", o->name);
        }
        if (!(o->flags & CLI_OPT_REPEAT) && given(&s, o))
            return cli_fail(CLI_EUSAGE, cmd, "--%s is given twice", o->name);
        int rc = take(ctx, o, value);
        if (rc)
            return rc;
    }
    return CLI_OK;
}
