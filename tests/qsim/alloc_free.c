/*
 * alloc_free.c - binding new parameters and re-running a compiled program
 * allocates nothing (nor does the adjoint sweep run again).  A program of
 * its own, not a Criterion suite: it replaces malloc and its kin (and
 * mmap) for the whole process, libqsim and libgomp included, and counts
 * the calls made between two marks.  Prints what it counted; exits 1 if
 * anything was allocated.
 */
#define _GNU_SOURCE
#include <qsim/qsim.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer replaces malloc itself: counting through __libc_malloc
 * would mix two allocators.  Skipped (exit 77), and says so. */
#include <stdio.h>
int main(void)
{
    puts("alloc_free: skipped under AddressSanitizer (it replaces malloc itself)");
    return 77;
}
#else

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/mman.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static volatile int counting;
static volatile long allocs;

static void count(void)
{
    if (counting)
        __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
    count();
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
    count();
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
    count();
    return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }
void *memalign(size_t a, size_t n)
{
    count();
    return __libc_memalign(a, n);
}
void *aligned_alloc(size_t a, size_t n)
{
    count();
    return __libc_memalign(a, n);
}
int posix_memalign(void **out, size_t a, size_t n)
{
    count();
    void *p = __libc_memalign(a, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    static void *(*real)(void *, size_t, int, int, int, off_t);
    if (!real)
        real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
    count();
    return real(addr, len, prot, flags, fd, off);
}

#define CHECK(call)                                                                   \
    do {                                                                              \
        if ((call) != QS_OK) {                                                        \
            counting = 0;                                                             \
            fprintf(stderr, "alloc_free: %s: %s\n", #call, qs_last_error());          \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

/* Layers of parameterized rotations, constant gates and CZ bricks: fused
 * groups with and without parameters, several cache-block segments. */
static qs_circuit *circuit(int n, int *np)
{
    static const qs_gate rot[3] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ};
    qs_circuit *c;
    CHECK(qs_circuit_create(n, 0, &c));
    *np = 0;
    for (int layer = 0; layer < 6; layer++) {
        for (int q = 0; q < n; q++) {
            char name[16], expr[40];
            const char *e[1] = {expr};
            snprintf(name, sizeof name, "t%d", *np);
            snprintf(expr, sizeof expr, "2*t%d - 0.1", (*np)++);
            CHECK(qs_circuit_add_param(c, name, NULL));
            CHECK(qs_circuit_append_gate_expr(c, rot[(q + layer) % 3], &q, e));
            if (q % 3 == 0)
                CHECK(qs_circuit_append_gate(c, QS_GATE_H, &q, NULL));
        }
        for (int q = layer % 2; q + 1 < n; q += 2) {
            int p[2] = {q, q + 1};
            CHECK(qs_circuit_append_gate(c, layer % 3 ? QS_GATE_CZ : QS_GATE_CX, p, NULL));
        }
        int far[2] = {0, n - 1};
        double t = 0.3 * layer;
        CHECK(qs_circuit_append_gate(c, QS_GATE_CRY, far, &t));
    }
    return c;
}

static long check(int n, unsigned flags, int threads)
{
    int np;
    qs_set_num_threads(threads);
    qs_circuit *c = circuit(n, &np);
    qs_program *p;
    qs_state *s, *lam, *work;
    CHECK(qs_program_compile(c, 0, &p));
    CHECK(qs_state_create(n, flags, &s));
    CHECK(qs_state_create(n, flags, &lam));
    CHECK(qs_state_create(n, flags, &work));
    double *x = malloc(sizeof *x * (size_t)np), *g = malloc(sizeof *g * (size_t)np);
    for (int i = 0; i < np; i++)
        x[i] = 0.01 * i;
    /* the first run and sweep grow the states' scratch */
    CHECK(qs_program_run(p, x, (size_t)np, s, NULL, NULL));
    CHECK(qs_state_assign(lam, s));
    CHECK(qs_program_backprop(p, x, (size_t)np, s, lam, work, g, NULL));
    allocs = 0;
    counting = 1;
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < np; i++)
            x[i] += 0.1;
        CHECK(qs_state_set_basis(s, 0));
        CHECK(qs_program_run(p, x, (size_t)np, s, NULL, NULL));
        CHECK(qs_state_assign(lam, s));
        CHECK(qs_program_backprop(p, x, (size_t)np, s, lam, work, g, NULL));
    }
    counting = 0;
    long got = allocs;
    printf("alloc_free: %2d qubits, %s, %d thread%s, %zu steps: %ld allocations in 3 re-runs\n", n,
           flags & QS_STATE_F32 ? "single" : "double", threads, threads > 1 ? "s" : "",
           qs_program_num_steps(p), got);
    free(x);
    free(g);
    qs_state_destroy(s);
    qs_state_destroy(lam);
    qs_state_destroy(work);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    return got;
}

int main(void)
{
    /* a control that the counting works at all */
    counting = 1;
    void *v = malloc(16);
    counting = 0;
    free(v);
    if (allocs != 1) {
        fprintf(stderr, "alloc_free: the malloc counter does not count (%ld)\n", allocs);
        return 1;
    }
    /* and that it sees the library's own calls */
    qs_state *s;
    allocs = 0;
    counting = 1;
    CHECK(qs_state_create(4, 0, &s));
    counting = 0;
    qs_state_destroy(s);
    if (allocs == 0) {
        fprintf(stderr, "alloc_free: the counter misses libqsim's allocations\n");
        return 1;
    }
    long bad = 0;
    for (int threads = 1; threads <= 2; threads++) {
        bad += check(8, 0, threads) > 0;          /* run whole */
        bad += check(17, 0, threads) > 0;         /* block by block */
        bad += check(17, QS_STATE_F32, threads) > 0;
    }
    return bad ? 1 : 0;
}
#endif /* __SANITIZE_ADDRESS__ */
