/*
 * cost_model.c - which fusion cost rows the fuser prices ops with: those
 * measured on this machine by qs_cost_model_calibrate() when a file of
 * them is there, else the shipped ones (fuse_cost.h).
 *
 * Where from: QSIM_COST_MODEL in the environment ("shipped", or the path
 * of a rows file, used whatever CPU wrote it: a file that does not parse
 * is then an error of every compile, as a bad QSIM_MEMORY_LIMIT is of
 * every memory check), else the cache file $XDG_CACHE_HOME/qsim/cost-model
 * (~/.cache/qsim/cost-model), used only when it parses and names this
 * machine's CPU model: it is a cache, so a stale or damaged one is
 * ignored.  A backend without a row in the file keeps its shipped row.
 *
 * The rows only steer which gates are fused: a fused program equals the
 * unfused one to rounding whatever the figures (tests/qsim/test_cost.c).
 * Ranks of a distributed run exchange qubits per segment, not per fused
 * op, so ranks with different tables still communicate alike; give them
 * one file (QSIM_COST_MODEL) to get the same bits on every node.
 */
#define _GNU_SOURCE
#include "ir/fuse_cost.h"
#include "ir/cost_model.h"
#include "backend/backend.h"
#include "core/error.h"
#include "core/file.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSHIPPED (sizeof qs__fuse_costs / sizeof *qs__fuse_costs)
#define MAX_ROWS 8
#define MAX_FILE (64u << 10)

typedef struct {
    char backend[32];
    qs__cost_row row;
} named_row;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;              /* the fields below hold the source of `key` */
static char key[1100];          /* what was read: the path and its stat */
static char source[1024];       /* a path, or "shipped" */
static named_row rows[MAX_ROWS];
static int nrows;

int qs__cost_cache_path(char *buf, size_t size)
{
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    int n;
    if (x && *x == '/')
        n = snprintf(buf, size, "%s/qsim/cost-model", x);
    else if (h && *h)
        n = snprintf(buf, size, "%s/.cache/qsim/cost-model", h);
    else
        return -1;
    return n > 0 && (size_t)n < size ? 0 : -1;
}

void qs__cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !c)
            continue;
        c += 1 + strspn(c + 1, " \t");
        c[strcspn(c, "\n")] = 0;
        snprintf(buf, size, "%s", c);
        break;
    }
    fclose(f);
}

/* Parses a rows file (qs_cost_model_calibrate's format) into rows/nrows;
 * *cpu gets its "machine" line.  Returns 0, or the line that is wrong. */
static int parse(char *text, char *cpu, size_t cpusize)
{
    static const char *kinds[3] = {"dense", "diag", "perm"};
    int line = 0, seen[MAX_ROWS] = {0};
    nrows = 0;
    *cpu = 0;
    for (char *s = text, *e; s && *s; s = e) {
        e = strchr(s, '\n');
        if (e)
            *e++ = 0;
        line++;
        if (*s == '#' || !*s)
            continue;
        if (!strncmp(s, "machine ", 8)) {
            snprintf(cpu, cpusize, "%s", s + 8);
            continue;
        }
        char be[32], kind[8];
        double v[5];
        int used = 0;
        if (sscanf(s, "%31s %7s %lf %lf %lf %lf %lf%n", be, kind, &v[0], &v[1], &v[2], &v[3],
                   &v[4], &used) != 7 || s[used + strspn(s + used, " \t\r")])
            return line;
        int k = 0;
        while (k < 3 && strcmp(kind, kinds[k]))
            k++;
        if (k == 3)
            return line;
        for (int j = 0; j < 5; j++)
            if (!(v[j] > 0 && v[j] < 1e6))   /* ns per amplitude */
                return line;
        int r = 0;
        while (r < nrows && strcmp(rows[r].backend, be))
            r++;
        if (r == nrows) {
            if (nrows == MAX_ROWS)
                return line;
            snprintf(rows[r].backend, sizeof rows[r].backend, "%s", be);
            nrows++;
        }
        double *dst = k == 0 ? rows[r].row.dense : k == 1 ? rows[r].row.diag : rows[r].row.perm;
        dst[0] = 0;
        memcpy(dst + 1, v, sizeof v);
        seen[r] |= 1 << k;
    }
    for (int r = 0; r < nrows; r++)
        if (seen[r] != 7)   /* a backend needs all three kinds */
            return line;
    return 0;
}

/* The file the environment names now (explicit: QSIM_COST_MODEL) and a
 * key that changes when the file does (path, inode, size, mtime). */
static int resolve(char *path, size_t size, int *explicit, char *k, size_t ksize)
{
    const char *env = getenv("QSIM_COST_MODEL");
    *explicit = env && *env;
    if (*explicit)
        snprintf(path, size, "%s", env);
    else if (qs__cost_cache_path(path, size) != 0)
        snprintf(path, size, "shipped");
    struct stat st;
    if (stat(path, &st) != 0)
        memset(&st, 0, sizeof st);
    snprintf(k, ksize, "%d %s %llu %lld %lld.%09ld", *explicit, path, (unsigned long long)st.st_ino,
             (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    return 0;
}

/* Loads the rows of path (lock held). */
static qs_status load(const char *func, const char *path, int explicit)
{
    char cpu[256], here[256];
    loaded = 0;
    nrows = 0;
    snprintf(source, sizeof source, "shipped");
    if (!strcmp(path, "shipped")) {
        loaded = 1;
        return QS_OK;
    }
    char *text;
    size_t len;
    struct stat st;
    int err = qs__read_all(path, MAX_FILE, &text, &len, &st);
    if (err) {
        loaded = !explicit;
        return explicit ? qs__fail(QS_EINVAL, func, "QSIM_COST_MODEL: %s: %s", path,
                                   qs__read_why(err, MAX_FILE))
                        : QS_OK;
    }
    int bad = parse(text, cpu, sizeof cpu);
    free(text);
    qs__cpu_model(here, sizeof here);
    if (bad) {
        nrows = 0;
        loaded = !explicit;
        return explicit ? qs__fail(QS_EINVAL, func,
                                   "QSIM_COST_MODEL: %s:%d: expected 'BACKEND dense|diag|perm' and "
                                   "five positive ns-per-amplitude figures (a file written by "
                                   "qsim --calibrate)", path, bad)
                        : QS_OK;
    }
    if (!explicit && strcmp(cpu, here)) {   /* a cache of another machine */
        nrows = 0;
        loaded = 1;
        return QS_OK;
    }
    snprintf(source, sizeof source, "%s", path);
    loaded = 1;
    return QS_OK;
}

qs_status qs__cost_row_get(const char *func, qs__cost_row *out)
{
    const char *be = qs__backend_current()->name;
    char path[1024], k[sizeof key];
    int explicit;
    resolve(path, sizeof path, &explicit, k, sizeof k);
    pthread_mutex_lock(&lock);
    qs_status st = QS_OK;
    if (!loaded || strcmp(key, k)) {
        snprintf(key, sizeof key, "%s", k);
        st = load(func, path, explicit);
    }
    const qs__cost_row *r = &qs__fuse_costs[NSHIPPED - 1];
    for (size_t i = 0; i < NSHIPPED; i++)
        if (!strcmp(qs__fuse_costs[i].backend, be))
            r = &qs__fuse_costs[i];
    *out = *r;
    for (int i = 0; i < nrows; i++)
        if (!strcmp(rows[i].backend, be)) {
            *out = rows[i].row;
            out->backend = r->backend;
        }
    pthread_mutex_unlock(&lock);
    return st;
}

void qs__cost_model_forget(void)
{
    pthread_mutex_lock(&lock);
    loaded = 0;
    pthread_mutex_unlock(&lock);
}

QS_API const char *qs_cost_model_source(void)
{
    static _Thread_local char out[1024];
    qs__cost_row r;
    qs_status st = qs__cost_row_get(__func__, &r);
    pthread_mutex_lock(&lock);
    int own = 0;
    for (int i = 0; i < nrows; i++)
        own |= !strcmp(rows[i].backend, qs__backend_current()->name);
    snprintf(out, sizeof out, "%s", st != QS_OK ? "error" : own ? source : "shipped");
    pthread_mutex_unlock(&lock);
    return out;
}
