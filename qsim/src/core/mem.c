/*
 * mem.c - aligned allocation and the memory check.  Reads /proc and the
 * cgroup files once per check; calls nothing else in the library except
 * error.c.
 */
#define _GNU_SOURCE
#include "core/mem.h"
#include "core/error.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

static uint64_t read_u64_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return UINT64_MAX;
    char buf[64];
    uint64_t v = UINT64_MAX;
    if (fgets(buf, sizeof buf, f) && isdigit((unsigned char)buf[0]))
        v = strtoull(buf, NULL, 10);
    fclose(f);
    return v;
}

static uint64_t meminfo_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return UINT64_MAX;
    char line[256];
    uint64_t kb = UINT64_MAX;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", (unsigned long long *)&kb) == 1)
            break;
    fclose(f);
    return kb == UINT64_MAX ? kb : kb * 1024;
}

static uint64_t cgroup_available(void)
{
    uint64_t lim = read_u64_file("/sys/fs/cgroup/memory.max");        /* v2 */
    uint64_t use = read_u64_file("/sys/fs/cgroup/memory.current");
    if (lim == UINT64_MAX) {
        lim = read_u64_file("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        use = read_u64_file("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    }
    if (lim == UINT64_MAX || lim > (1ull << 60))
        return UINT64_MAX;
    if (use == UINT64_MAX)
        use = 0;
    return lim > use ? lim - use : 0;
}

/* QSIM_MEMORY_LIMIT: bytes, or a number with K, M, G or T (binary);
 * *bad is set when it is there but not that (it is then not ignored: every
 * memory check fails and says why). */
static uint64_t env_limit(int *bad)
{
    const char *s = getenv("QSIM_MEMORY_LIMIT");
    *bad = 0;
    if (!s || !*s)
        return UINT64_MAX;
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0) || !isfinite(v)) {
        *bad = 1;
        return 0;
    }
    switch (toupper((unsigned char)*end)) {
    case 'T': v *= 1024.0; /* fall through */
    case 'G': v *= 1024.0; /* fall through */
    case 'M': v *= 1024.0; /* fall through */
    case 'K': v *= 1024.0; end++; break;
    default: break;
    }
    if (toupper((unsigned char)*end) == 'B' || toupper((unsigned char)*end) == 'I')
        end += toupper((unsigned char)*end) == 'I' && toupper((unsigned char)end[1]) == 'B' ? 2 : 1;
    if (*end) {
        *bad = 1;
        return 0;
    }
    return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
}

uint64_t qs__mem_available(void)
{
    int bad;
    uint64_t a = meminfo_available(), b = cgroup_available(), c = env_limit(&bad);
    uint64_t m = a < b ? a : b;
    /* a bad QSIM_MEMORY_LIMIT is reported by qs__mem_check, not read as 0 */
    return bad || m < c ? m : c;
}

qs_status qs__mem_check(const char *func, uint64_t bytes)
{
    return qs__mem_check_ranks(func, bytes, 1);
}

QS_API qs_status qs_memory_check(uint64_t bytes)
{
    return qs__mem_check(__func__, bytes);
}

qs_status qs__mem_check_ranks(const char *func, uint64_t bytes, int nranks)
{
    int bad;
    env_limit(&bad);
    if (bad)
        return qs__fail(QS_EINVAL, func, "QSIM_MEMORY_LIMIT='%s' is not a size (bytes, or a "
                        "number with K, M, G or T)", getenv("QSIM_MEMORY_LIMIT"));
    uint64_t have = qs__mem_available();
    if (bytes <= have && bytes <= (uint64_t)SIZE_MAX / 2)
        return QS_OK;
    if (nranks > 1)
        return qs__fail(QS_ETOOBIG, func, "need %.3g GiB per rank with %d ranks, have %.3g GiB",
                        (double)bytes / (1u << 30), nranks, (double)have / (1u << 30));
    return qs__fail(QS_ETOOBIG, func, "need %.3g GiB, have %.3g GiB", (double)bytes / (1u << 30),
                    (double)have / (1u << 30));
}

void *qs__alloc_aligned(size_t bytes)
{
    void *p = NULL;
    size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
    if (bytes == 0)
        bytes = 64;
    if (posix_memalign(&p, align, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* Fewer TLB misses on full passes over large states; advice only. */
    if (bytes >= HUGE_PAGE)
        (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void qs__free_aligned(void *p) { free(p); }
