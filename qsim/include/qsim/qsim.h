/*
 * qsim.h - the public API of libqsim, a state-vector quantum simulator.
 *
 * What is not declared in this file is not API.
 *
 * Conventions (hold for every function below):
 *  - Qubit 0 is the least significant bit of a basis-state index:
 *    index = sum_j b_j 2^j where b_j is the value of qubit j (Qiskit and
 *    OpenQASM tooling convention).  A k-qubit matrix acting on qubits
 *    q[0..k-1] uses the same rule: bit j of its row/column index is q[j].
 *  - Argument order: the object acted on first, then inputs, outputs last.
 *    Qubit lists of named gates follow the OpenQASM order (controls first,
 *    as in `cx c,t`).
 *  - Complex numbers cross the API as interleaved (re, im) double arrays,
 *    the memory layout of C99 `double complex` and numpy `complex128`.  No
 *    complex type and no struct is passed or returned by value.
 *  - Every function that can fail returns a qs_status (QS_OK = 0).  The
 *    message of the last failure on the calling thread is qs_last_error().
 *    The library never exits or aborts on bad input.
 *  - Ownership: whoever creates a handle destroys it; *_destroy(NULL) is a
 *    no-op.  Inputs are copied when kept.  Strings returned by the library
 *    are owned by it (lifetime given per function).
 *  - Threads: different handles may be used from different threads at once;
 *    one handle is not thread-safe.  Do not call the library from inside
 *    your own OpenMP parallel region.
 *  - Determinism: every reduction (norms, expectation values, probabilities)
 *    sums in an order fixed by the state size, never by the thread count, so
 *    results are bit-for-bit the same for any number of threads.
 */
#ifndef QSIM_QSIM_H
#define QSIM_QSIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(QS_BUILDING_LIBRARY) && defined(__GNUC__)
#define QS_API __attribute__((visibility("default")))
#else
#define QS_API
#endif

/* ------------------------------------------------------------------ */
/* Version                                                             */
/* ------------------------------------------------------------------ */

#define QS_VERSION_MAJOR 0
#define QS_VERSION_MINOR 1
#define QS_VERSION_PATCH 0
/** major*10000 + minor*100 + patch; compare with qs_version_number(). */
#define QS_VERSION_NUMBER \
    (QS_VERSION_MAJOR * 10000 + QS_VERSION_MINOR * 100 + QS_VERSION_PATCH)

/** The version of the library actually loaded, as QS_VERSION_NUMBER. */
QS_API int qs_version_number(void);
/** The version as "major.minor.patch"; static storage. */
QS_API const char *qs_version(void);

/* ------------------------------------------------------------------ */
/* Status codes and errors                                             */
/* ------------------------------------------------------------------ */

/** One table gives the codes, their names and their fixed messages. */
#define QS_STATUS_MAP(X)                                              \
    X(OK, "success")                                                  \
    X(EINVAL, "invalid argument")                                     \
    X(ERANGE, "index out of range")                                   \
    X(ETOOBIG, "does not fit in memory")                              \
    X(ENOMEM, "out of memory")                                        \
    X(EPARSE, "syntax error")                                         \
    X(EIO, "input/output error")                                      \
    X(EUNSUPPORTED, "operation not supported")                        \
    X(ENOTCONV, "did not converge")                                   \
    X(ECALLBACK, "stopped by a callback")                             \
    X(EINTERNAL, "internal error")

typedef enum qs_status {
#define QS__STATUS_ENUM(name, msg) QS_##name,
    QS_STATUS_MAP(QS__STATUS_ENUM)
#undef QS__STATUS_ENUM
    QS_NUM_STATUS
} qs_status;

/** Fixed text for a status ("invalid argument"); never NULL. */
QS_API const char *qs_strerror(int status);
/** The status's name ("QS_EINVAL"); never NULL. */
QS_API const char *qs_status_name(int status);
/**
 * The message of the last failed call on this thread, naming the function,
 * the argument and its value, e.g.
 * "qs_state_apply_gate: target 7 out of range for a 5-qubit state".
 * Owned by the library, valid until the next failure on the same thread;
 * "" if nothing failed yet.  Never NULL.
 */
QS_API const char *qs_last_error(void);
/** Clears the message of the calling thread. */
QS_API void qs_clear_error(void);
/**
 * Warnings of the last OpenQASM parse on this thread, one
 * "file:line:col: warning: ..." line each (a program without a version
 * line, read as OpenQASM 2.0); "" when there were none.  Never NULL.
 */
QS_API const char *qs_last_warning(void);
/**
 * Sets the calling thread's message to "func: <formatted text>" and
 * returns @p status: for layers built on this library (libqsimhybrid) and
 * for callbacks, so that their failures read like the library's own.
 */
QS_API qs_status qs_set_error(qs_status status, const char *func,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/**
 * Where in a source text the last failure on this thread was found: set
 * by qs_circuit_parse_file() and qs_circuit_parse_string() for every
 * syntax or semantic error, so that tools can print the compiler-style
 * "file:line:col: error: msg".
 * @param[out] file  the file the error is in (an included file when it is
 *                   there), or the name given to qs_circuit_parse_string();
 *                   may be NULL.
 * @param[out] line  1-based line; may be NULL.
 * @param[out] col   1-based column, counted in bytes; may be NULL.
 * @param[out] msg   the message alone ("undefined gate 'foo'"); may be NULL.
 * @return 1 when the last failure has a location; 0 otherwise, with ""
 *         and 0 in the outputs.  The strings are owned by the library and
 *         valid until the next failure on the same thread.
 *
 *     const char *f, *m; int l, c;
 *     if (qs_circuit_parse_file("bell.qasm", 0, &circ) != QS_OK &&
 *         qs_last_error_location(&f, &l, &c, &m))
 *         fprintf(stderr, "%s:%d:%d: error: %s\n", f, l, c, m);
 */
QS_API int qs_last_error_location(const char **file, int *line, int *col,
                                  const char **msg);

/* ------------------------------------------------------------------ */
/* Threads and backends                                                */
/* ------------------------------------------------------------------ */

/** The most threads any call accepts (a larger request is refused). */
#define QS_MAX_THREADS 1024
/**
 * Threads used by kernels on large states (small states always run on one
 * thread).  0 restores the default: OMP_NUM_THREADS, else the number of
 * processors.  Process-wide.
 * @retval QS_EINVAL negative, or more than QS_MAX_THREADS.
 */
QS_API qs_status qs_set_num_threads(int num_threads);
/** The number of threads kernels use now. */
QS_API int qs_get_num_threads(void);
/**
 * Name of the backend that new states use ("cpu-avx512", "cpu-avx2",
 * "cpu", ...), chosen at first use: QS_BACKEND in the environment if set,
 * else the first one available on this machine.  Static storage.
 */
QS_API const char *qs_backend_default(void);
/**
 * Selects the backend for states created from now on, by name; NULL or ""
 * restores the automatic choice.
 * @retval QS_EINVAL        no backend has that name.
 * @retval QS_EUNSUPPORTED  it exists but cannot run on this machine.
 */
QS_API qs_status qs_backend_select(const char *name);
/** The i-th compiled-in backend's name, or NULL past the end. */
QS_API const char *qs_backend_name(int i);
/** 1 if the i-th backend runs on this machine, else 0. */
QS_API int qs_backend_available(int i);
/**
 * Measures the fusion cost model on this machine: for every backend that
 * runs here, the time per amplitude of one dense, diagonal and permutation
 * op on 1..5 targets (2^14 amplitudes, one thread; about a second per
 * backend), written atomically to @p path, or when NULL to the cache file
 * ($XDG_CACHE_HOME/qsim/cost-model, else ~/.cache/qsim/cost-model) that
 * programs compiled from then on use on this CPU (qs_cost_model_source).
 * The table only decides which gates are fused: results agree with and
 * without it to rounding.  It switches the default backend and the thread
 * count while it runs: call it while no other thread uses the library.
 * @retval QS_EIO    the file or its directory cannot be written.
 * @retval QS_EINVAL path NULL and neither XDG_CACHE_HOME nor HOME is set.
 */
QS_API qs_status qs_cost_model_calibrate(const char *path);
/**
 * Where the fusion cost rows of the current backend come from: the path of
 * a file written by qs_cost_model_calibrate (QSIM_COST_MODEL in the
 * environment names one, used as it is; else the cache file, used when it
 * names this CPU model), "shipped" (the rows compiled in; also
 * QSIM_COST_MODEL=shipped), or "error" when QSIM_COST_MODEL names a file
 * that cannot be read or parsed: every compile then fails saying why.
 * Per-thread storage.
 */
QS_API const char *qs_cost_model_source(void);

/**
 * A task of qs_parallel_for(): item @p index, run on worker @p thread
 * (0 <= thread < qs_parallel_threads()), for per-thread workspaces.
 * Returns QS_OK, or a status that stops the loop.
 */
typedef qs_status (*qs_task_fn)(void *ctx, size_t index, int thread);
/**
 * Runs fn(ctx, i, thread) for every i in [0, n) on up to @p num_threads
 * threads (0: qs_get_num_threads()); each thread takes a contiguous slice
 * of the indices, in order.  Library calls made inside fn keep their
 * kernels on the calling thread, so this is the supported way to run many
 * small simulations side by side (the library must not be called from
 * your own OpenMP region).  Since every reduction is thread-count
 * independent, results that fn stores per index are bit-for-bit those of
 * a serial loop.  Called from inside a task, it runs serially.
 * @retval QS_EINVAL fn is NULL, num_threads < 0 or > QS_MAX_THREADS.
 * @return otherwise QS_OK, or the status of the lowest index whose task
 *         failed (with its message): a slice stops at its first failure.
 *
 *     // energies[i] of B parameter vectors, each on its own thread:
 *     qs_parallel_for(B, 0, one_energy, &ctx);
 */
QS_API qs_status qs_parallel_for(size_t n, int num_threads, qs_task_fn fn,
                                 void *ctx);
/** The number of threads qs_parallel_for(n, num_threads, ...) uses. */
QS_API int qs_parallel_threads(size_t n, int num_threads);

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

/** A seeded random generator (GSL's mt19937); one per thread of use. */
typedef struct qs_rng qs_rng;

/** Creates a generator seeded with @p seed (0 is a valid seed). */
QS_API qs_status qs_rng_create(uint64_t seed, qs_rng **out);
QS_API void qs_rng_destroy(qs_rng *rng);
/** Re-seeds; the sequence then repeats that of a new generator. */
QS_API qs_status qs_rng_seed(qs_rng *rng, uint64_t seed);
/** A uniform double in [0, 1). */
QS_API qs_status qs_rng_uniform(qs_rng *rng, double *out);

/* ------------------------------------------------------------------ */
/* States                                                              */
/* ------------------------------------------------------------------ */

/** A state vector of 2^n complex amplitudes. */
typedef struct qs_state qs_state;

/** Largest number of qubits accepted before the memory check. */
#define QS_MAX_QUBITS 60
/** The most named parameters a circuit may have. */
#define QS_MAX_PARAMS 65536

/**
 * Whether @p bytes more fit in the memory available now (the least of
 * MemAvailable, the cgroup limit and QSIM_MEMORY_LIMIT): the check
 * qs_state_create() makes, for callers about to allocate arrays of their own.
 * @retval QS_ETOOBIG "need X GiB, have Y GiB".
 * @retval QS_EINVAL  QSIM_MEMORY_LIMIT is set but is not a size.
 */
QS_API qs_status qs_memory_check(uint64_t bytes);

/** Flags of qs_state_create(). */
enum {
    QS_STATE_DEFAULT = 0,   /**< complex double amplitudes */
    QS_STATE_F32 = 1u << 0,  /**< complex float amplitudes (single precision) */
    /** Spread over the ranks of MPI_COMM_WORLD (qs_state_create_distributed()). */
    QS_STATE_DISTRIBUTED = 1u << 1
};

/**
 * Creates a state of @p num_qubits qubits in |0...0>.
 * The amplitudes are 64-byte aligned (large states also sit in transparent
 * huge pages) and first touched by the threads that will work on them.
 * @param flags     QS_STATE_DEFAULT, or QS_STATE_F32 for single precision.
 * @param[out] out  The new state, or NULL on failure; free with
 *                  qs_state_destroy().
 * @retval QS_EINVAL   num_qubits < 1 or > QS_MAX_QUBITS, or unknown flags.
 * @retval QS_ETOOBIG  the amplitudes would not fit in the memory available
 *                     ("need X GiB, have Y GiB"); checked before allocating.
 * @retval QS_ENOMEM   the allocation failed anyway.
 *
 *     qs_state *s;
 *     if (qs_state_create(20, QS_STATE_DEFAULT, &s) != QS_OK)
 *         fprintf(stderr, "%s\n", qs_last_error());
 */
QS_API qs_status qs_state_create(int num_qubits, unsigned flags,
                                 qs_state **out);
QS_API void qs_state_destroy(qs_state *s);

/**
 * Creates a state of @p num_qubits qubits in |0...0> spread over the
 * ranks of an MPI communicator (libqsim built with MPI; see the README's
 * "Past one machine").  The P ranks (a power of two) each hold 2^(n-k)
 * amplitudes, P = 2^k, the top k qubits being global; every other call
 * works on such a state as on any other, with the result one process
 * would give, on every rank.
 * Every call on a distributed state is collective: all ranks of the
 * communicator make it, in the same order, with the same arguments (and
 * generators seeded alike).  If MPI is not initialised yet, the library
 * initialises it and finalises it at exit.
 * qs_state_create(n, QS_STATE_DISTRIBUTED, &s) is the same with
 * MPI_COMM_WORLD.
 * @param comm  Points to an MPI_Comm (C: &comm; mpi4py:
 *              MPI._addressof(comm)), or NULL for MPI_COMM_WORLD.
 * @retval QS_EUNSUPPORTED  built without MPI.
 * @retval QS_EINVAL  the rank count is not a power of two, or too large
 *                    for the qubit count (each rank keeps at least 6
 *                    qubits); the message names the count.
 * @retval QS_ETOOBIG some rank lacks the memory ("need X GiB per rank with
 *                    P ranks, have Y GiB"; the slice plus the exchange
 *                    buffer); every rank refuses.
 */
QS_API qs_status qs_state_create_distributed(int num_qubits, unsigned flags, const void *comm,
                                             qs_state **out);
/** Ranks holding the state: 1 unless distributed; 0 for NULL. */
QS_API int qs_state_num_ranks(const qs_state *s);
/**
 * Communication of a distributed state so far, on this rank: stats[0]
 * bytes sent, [1] qubit swaps between global and local bits, [2] rank
 * relabellings (gates on global qubits that moved no data), [3] exchanges
 * (messages).  All zero for a one-process state.
 */
QS_API qs_status qs_state_comm_stats(const qs_state *s, uint64_t stats[4]);
/** 1 when libqsim was built with MPI (distributed states available). */
QS_API int qs_mpi_enabled(void);
/** A new state equal to @p src (same size, precision and backend). */
QS_API qs_status qs_state_copy(const qs_state *src, qs_state **out);
/**
 * Copies the amplitudes of @p src into @p dst, converting the precision if
 * they differ.  @retval QS_EINVAL the qubit counts differ.
 */
QS_API qs_status qs_state_assign(qs_state *dst, const qs_state *src);

/** Number of qubits; 0 for NULL. */
QS_API int qs_state_num_qubits(const qs_state *s);
/** The flags it was created with (QS_STATE_F32 for single precision). */
QS_API unsigned qs_state_flags(const qs_state *s);
/** Name of the backend the state runs on; static storage. */
QS_API const char *qs_state_backend(const qs_state *s);

/** Sets the basis state |index>. @retval QS_ERANGE index >= 2^n. */
QS_API qs_status qs_state_set_basis(qs_state *s, uint64_t index);
/** Sets the uniform superposition |+...+>. */
QS_API qs_status qs_state_set_uniform(qs_state *s);
/** Sets a random state, uniform on the unit sphere (Haar). */
QS_API qs_status qs_state_set_random(qs_state *s, qs_rng *rng);

/**
 * Copies amplitudes [first, first+count) into @p re_im (2*count doubles).
 * @retval QS_ERANGE the range goes past 2^n.
 */
QS_API qs_status qs_state_get_amps(const qs_state *s, uint64_t first,
                                   uint64_t count, double *re_im);
/** Writes amplitudes [first, first+count) from @p re_im (no renormalising). */
QS_API qs_status qs_state_set_amps(qs_state *s, uint64_t first,
                                   uint64_t count, const double *re_im);
/**
 * The state's own memory, for zero-copy views: *data points at 2^n
 * interleaved (re, im) pairs of double, or of float for QS_STATE_F32.
 * Valid while the state lives; writes through it change the state.
 */
QS_API qs_status qs_state_data(qs_state *s, void **data);

/** Sum of |a_i|^2. */
QS_API qs_status qs_state_norm2(const qs_state *s, double *out);
/** Scales the state to norm 1. @retval QS_EINVAL the norm is 0. */
QS_API qs_status qs_state_normalize(qs_state *s);
/**
 * <bra|ket> = sum_i conj(bra_i) ket_i into out[2] (re, im).
 * The states must have the same number of qubits (precisions may differ).
 */
QS_API qs_status qs_state_inner(const qs_state *bra, const qs_state *ket,
                                double out[2]);
/** |<a|b>|^2 / (<a|a><b|b>). */
QS_API qs_status qs_state_fidelity(const qs_state *a, const qs_state *b,
                                   double *out);
/** s <- alpha * s, alpha = (re, im). */
QS_API qs_status qs_state_scale(qs_state *s, const double alpha[2]);
/** y <- y + alpha * x, alpha = (re, im); same sizes and precisions. */
QS_API qs_status qs_state_axpy(qs_state *y, const double alpha[2],
                               const qs_state *x);

/* ------------------------------------------------------------------ */
/* Gates                                                               */
/* ------------------------------------------------------------------ */

/** The named gates; the table and its conventions are in gates.def. */
typedef enum qs_gate {
#define QS_GATE(id, name, c, t, p, kind, base) QS_GATE_##id,
#include <qsim/gates.def>
    QS_NUM_GATES
} qs_gate;

/** Largest number of target qubits of qs_state_apply_matrix() & co. */
#define QS_MAX_TARGETS 5

/** Looks a gate up by its OpenQASM name ("cx"). @retval QS_EINVAL unknown. */
QS_API qs_status qs_gate_lookup(const char *name, qs_gate *out);
/** The gate's OpenQASM name, or NULL if @p g is not a gate. Static. */
QS_API const char *qs_gate_name(qs_gate g);
/** Total qubit arguments (controls + targets), or -1 if not a gate. */
QS_API int qs_gate_num_qubits(qs_gate g);
/** Leading qubit arguments that are controls, or -1 if not a gate. */
QS_API int qs_gate_num_controls(qs_gate g);
/** Number of real parameters, or -1 if not a gate. */
QS_API int qs_gate_num_params(qs_gate g);
/**
 * The gate's full unitary, 4^q complex entries (q = qs_gate_num_qubits),
 * row-major into @p out (2*4^q doubles); bit j of a row or column index
 * is the j-th qubit argument.
 */
QS_API qs_status qs_gate_matrix(qs_gate g, const double *params,
                                double *out);

/**
 * Applies a named gate.  @p qubits has qs_gate_num_qubits(g) distinct
 * entries in OpenQASM order; @p params has qs_gate_num_params(g) entries
 * (may be NULL when there are none).  One pass over the state at most;
 * controlled gates touch only the amplitudes whose controls are set.
 * @retval QS_ERANGE a qubit is out of range.
 * @retval QS_EINVAL a qubit repeats, or @p g is not a gate.
 *
 *     int q[2] = {0, 3};
 *     qs_state_apply_gate(s, QS_GATE_CX, q, NULL);   // control 0, target 3
 */
QS_API qs_status qs_state_apply_gate(qs_state *s, qs_gate g,
                                     const int *qubits, const double *params);
/**
 * Applies a named gate with @p num_controls extra controls.  Control j
 * requires qubit controls[j] to be |control_values[j]> (0 or 1);
 * @p control_values NULL means all 1.
 */
QS_API qs_status qs_state_apply_controlled_gate(
    qs_state *s, const int *controls, const int *control_values,
    int num_controls, qs_gate g, const int *qubits, const double *params);

/**
 * Applies a dense 2^k x 2^k matrix (k = @p num_targets, 1..QS_MAX_TARGETS),
 * row-major interleaved complex, to @p targets (bit j of a row index is
 * targets[j]), under optional controls as in
 * qs_state_apply_controlled_gate().  The matrix need not be unitary.
 * One read+write pass over the amplitudes whose controls are set.
 */
QS_API qs_status qs_state_apply_matrix(qs_state *s, const int *targets,
                                       int num_targets, const int *controls,
                                       const int *control_values,
                                       int num_controls, const double *matrix);
/** Applies a diagonal matrix: @p diag holds its 2^k complex entries. */
QS_API qs_status qs_state_apply_diagonal(qs_state *s, const int *targets,
                                         int num_targets, const int *controls,
                                         const int *control_values,
                                         int num_controls, const double *diag);
/**
 * Applies the permutation |j> -> phase_j |perm[j]> of the 2^k basis states
 * of @p targets; @p phases (2^k complex) may be NULL for a pure
 * permutation, which then moves amplitudes without arithmetic.
 * @retval QS_EINVAL perm is not a permutation of 0..2^k-1.
 */
QS_API qs_status qs_state_apply_permutation(
    qs_state *s, const int *targets, int num_targets, const int *controls,
    const int *control_values, int num_controls, const uint32_t *perm,
    const double *phases);
/**
 * Applies exp(-i theta/2 P) for the Pauli string P = paulis[0] on
 * qubits[0] (x) paulis[1] on qubits[1] ..., letters 'I', 'X', 'Y', 'Z'
 * (@p paulis has @p n letters; a NUL ends it early).  One pass over the
 * state whatever the weight of P.
 */
QS_API qs_status qs_state_apply_pauli_rotation(qs_state *s, const int *qubits,
                                               const char *paulis, int n,
                                               double theta);
/** Applies the Pauli string P itself (same conventions). */
QS_API qs_status qs_state_apply_pauli(qs_state *s, const int *qubits,
                                      const char *paulis, int n);
/** Multiplies every amplitude by e^{i phi}. */
QS_API qs_status qs_state_apply_global_phase(qs_state *s, double phi);
/**
 * Applies exp(-i t D) for the real diagonal D = diag(values): amplitude b
 * is multiplied by e^{-i t values[b]} (@p values has 2^n entries, one per
 * basis state).  One read+write pass, with no matrix or gate per term: a
 * QAOA cost layer is one call on the precomputed cost of every basis
 * state.  The values are read as given (not checked: a NaN makes NaN
 * amplitudes).
 * @retval QS_EINVAL t is not finite, or values is NULL.
 */
QS_API qs_status qs_state_apply_diagonal_exp(qs_state *s, const double *values,
                                             double t);
/**
 * Multiplies amplitude b by values[b] (2^n entries): D|s> for the real
 * diagonal observable D = diag(values).  Not unitary.  One pass.
 */
QS_API qs_status qs_state_apply_real_diagonal(qs_state *s,
                                              const double *values);

/** Flags of qs_state_apply_qft(). */
enum { QS_QFT_INVERSE = 1u << 0 };
/**
 * The quantum Fourier transform on qubits [first, first+count), through
 * FFTW: |j> -> 2^{-m/2} sum_k e^{2 pi i jk / 2^m} |k> with j, k the values
 * of those qubits (qubit `first` least significant); equal to the textbook
 * circuit with its final swaps (Qiskit's QFT).  QS_QFT_INVERSE applies the
 * inverse.  Plans are made on first use and kept with the state.
 */
QS_API qs_status qs_state_apply_qft(qs_state *s, int first, int count,
                                    unsigned flags);

/* ------------------------------------------------------------------ */
/* Probabilities, measurement, sampling                                */
/* ------------------------------------------------------------------ */

/** P(qubit = 1), one read pass. */
QS_API qs_status qs_state_prob_one(const qs_state *s, int qubit, double *out);
/** The 2^n probabilities |a_i|^2 into @p out. */
QS_API qs_status qs_state_probabilities(const qs_state *s, double *out);
/**
 * Marginal distribution of @p k qubits into @p out (2^k doubles): bit j of
 * an outcome is qubits[j].  One read pass.
 */
QS_API qs_status qs_state_marginal(const qs_state *s, const int *qubits,
                                   int k, double *out);
/**
 * Measures @p k qubits: draws an outcome from their marginal, collapses the
 * state onto it and renormalises.  Bit j of *outcome is qubits[j]; *prob
 * (may be NULL) gets the outcome's probability before the collapse.
 */
QS_API qs_status qs_state_measure(qs_state *s, const int *qubits, int k,
                                  qs_rng *rng, uint64_t *outcome,
                                  double *prob);
/**
 * Projects onto a given outcome of @p k qubits and renormalises.
 * @retval QS_EINVAL the outcome has probability 0 (the state is unchanged).
 */
QS_API qs_status qs_state_collapse(qs_state *s, const int *qubits, int k,
                                   uint64_t outcome, double *prob);
/**
 * Resets @p k qubits to |0>: measures them and flips those found in |1>
 * (the physical reset: a partial trace, then |0>).
 */
QS_API qs_status qs_state_reset(qs_state *s, const int *qubits, int k,
                                qs_rng *rng);
/**
 * Draws @p shots outcomes of @p k qubits (all qubits, bit j = qubit j, when
 * @p qubits is NULL) without changing the state: one pass over the state
 * plus O(shots log shots).  out[i] is the i-th shot; shots are independent
 * and in random order.
 */
QS_API qs_status qs_state_sample(const qs_state *s, const int *qubits, int k,
                                 size_t shots, qs_rng *rng, uint64_t *out);

/* ------------------------------------------------------------------ */
/* Pauli sums (observables, Hamiltonians)                              */
/* ------------------------------------------------------------------ */

/** A weighted sum of Pauli strings with real coefficients. */
typedef struct qs_pauli_sum qs_pauli_sum;

/**
 * Creates an empty sum on @p num_qubits qubits (0: grows to the highest
 * qubit named by its terms).
 */
QS_API qs_status qs_pauli_sum_create(int num_qubits, qs_pauli_sum **out);
QS_API void qs_pauli_sum_destroy(qs_pauli_sum *h);
QS_API qs_status qs_pauli_sum_copy(const qs_pauli_sum *h, qs_pauli_sum **out);
/**
 * Adds coef * term, with the term written as in the Pauli-sum file format:
 * "X0 Z3 Y5" (letter then qubit, any order, each qubit once) or "I" / ""
 * for the identity.  A term already present has its coefficient added.
 * @retval QS_EPARSE the term is malformed (message gives the column).
 */
QS_API qs_status qs_pauli_sum_add_term(qs_pauli_sum *h, double coef,
                                       const char *term);
/** Adds coef * (paulis[0] on qubits[0]) (x) ... ; same as above. */
QS_API qs_status qs_pauli_sum_add(qs_pauli_sum *h, double coef,
                                  const int *qubits, const char *paulis,
                                  int n);
/**
 * Reads the Pauli-sum file format: '#' lines are comments, "# key: value"
 * comments are kept as header entries, other lines are "<coef> <term>".
 * @retval QS_EIO    the file cannot be read.
 * @retval QS_EPARSE a line is malformed; the message is
 *                   "path:line:col: what was expected".
 */
QS_API qs_status qs_pauli_sum_read(const char *path, qs_pauli_sum **out);
/** The same from a string; @p name labels error messages. */
QS_API qs_status qs_pauli_sum_parse(const char *text, const char *name,
                                    qs_pauli_sum **out);
/** Number of qubits (highest qubit + 1, or the size given at creation). */
QS_API int qs_pauli_sum_num_qubits(const qs_pauli_sum *h);
/** Number of distinct terms. */
QS_API size_t qs_pauli_sum_num_terms(const qs_pauli_sum *h);
/**
 * Term @p i: its coefficient and its text ("X0 Z3", "I") into @p buf of
 * @p buflen bytes.  @retval QS_ERANGE i too large or buf too small.
 */
QS_API qs_status qs_pauli_sum_term(const qs_pauli_sum *h, size_t i,
                                   double *coef, char *buf, size_t buflen);
/**
 * The header value of @p key read from a file ("n_electrons"), the text
 * after the colon with surrounding blanks removed, or NULL if absent.
 * Owned by the sum, valid while it lives.
 */
QS_API const char *qs_pauli_sum_header(const qs_pauli_sum *h,
                                       const char *key);

/**
 * <s|H|s> (real part; H is Hermitian).  Terms are grouped by their X/Y
 * positions, and every group whose X/Y positions fit one cache tile of
 * the state shares one read pass (Z-only terms, X on each of 24 qubits:
 * 2 passes in all); qs_pauli_sum_passes() says how many.  No copy of the
 * state is made.
 */
QS_API qs_status qs_state_expect(const qs_state *s, const qs_pauli_sum *h,
                                 double *out);
/** <s|P|s> of one Pauli string (conventions of qs_state_apply_pauli()). */
QS_API qs_status qs_state_expect_pauli(const qs_state *s, const int *qubits,
                                       const char *paulis, int n,
                                       double *out);
/**
 * <s|D|s> = sum_b |s_b|^2 values[b] for the real diagonal observable
 * D = diag(values) (2^n entries).  One read pass.
 */
QS_API qs_status qs_state_expect_diagonal(const qs_state *s,
                                          const double *values, double *out);
/**
 * out <- H in.  @p out must be another state of the same size and
 * precision.  Passes as qs_state_expect() (each reads in, writes out).
 */
QS_API qs_status qs_pauli_sum_apply(const qs_pauli_sum *h, const qs_state *in,
                                    qs_state *out);
/**
 * Number of passes over a @p num_qubits qubit state (precision from
 * @p state_flags) that qs_state_expect() and qs_pauli_sum_apply() make
 * for @p h into *out.
 */
QS_API qs_status qs_pauli_sum_passes(const qs_pauli_sum *h, int num_qubits,
                                     unsigned state_flags, size_t *out);

/* ------------------------------------------------------------------ */
/* Exact references (LAPACKE)                                          */
/* ------------------------------------------------------------------ */

/** Methods of qs_pauli_sum_eigensolve(). */
enum {
    QS_EIG_AUTO = 0,    /**< dense up to 12 qubits, Krylov beyond */
    QS_EIG_DENSE = 1,   /**< full matrix, LAPACKE ?syevr / ?heevr */
    QS_EIG_KRYLOV = 2   /**< matrix-free Lanczos (thick restart) */
};
/** Largest sum accepted by the dense method and qs_pauli_sum_matrix(). */
#define QS_EIG_DENSE_MAX_QUBITS 14
/** Largest sum accepted by the Krylov method. */
#define QS_EIG_KRYLOV_MAX_QUBITS 24

/**
 * The @p k lowest eigenvalues of @p h, ascending, into @p evals, and when
 * @p evecs is not NULL the eigenvectors, each 2^n complex amplitudes,
 * vector j at evecs + j * 2^(n+1).  Eigenvalues agree to about 1e-10
 * whichever method is used.
 * @retval QS_ETOOBIG  more qubits than the method allows.
 * @retval QS_ENOTCONV the Krylov method did not converge.
 */
QS_API qs_status qs_pauli_sum_eigensolve(const qs_pauli_sum *h, int k,
                                         unsigned method, double *evals,
                                         double *evecs);
/** The dense 2^n x 2^n matrix of @p h, row-major interleaved complex. */
QS_API qs_status qs_pauli_sum_matrix(const qs_pauli_sum *h, double *out);

/** Largest sector qs_pauli_sum_eigensolve_sector() accepts. */
#define QS_EIG_SECTOR_MAX_DIM 4096
/**
 * The @p k lowest eigenvalues of @p h restricted to the basis states |b>
 * with popcount(b & masks[j]) == counts[j] for each of the
 * @p num_constraints constraints: a particle-number sector.  For the
 * interleaved spin orbitals of the molecular data files (qubit 2k spin up,
 * 2k+1 spin down), masks 0x5555... and 0xAAAA... with counts n_alpha and
 * n_beta give the energies a particle-conserving ansatz can reach.
 * Exact when @p h maps the sector into itself, as a Hamiltonian that
 * conserves those numbers does; terms leading out of it are dropped.  The
 * sector's matrix (D x D, D far below 2^n) is built term by term and
 * diagonalised densely by LAPACKE.
 * @retval QS_EINVAL   num_constraints < 0, or k not in [1, D] (D = 0: the
 *                     sector is empty).
 * @retval QS_ETOOBIG  D > QS_EIG_SECTOR_MAX_DIM, or more than
 *                     QS_EIG_KRYLOV_MAX_QUBITS qubits to enumerate.
 */
QS_API qs_status qs_pauli_sum_eigensolve_sector(const qs_pauli_sum *h,
                                                int num_constraints,
                                                const uint64_t *masks,
                                                const int *counts, int k,
                                                double *evals);

/* ------------------------------------------------------------------ */
/* Circuits and compiled programs                                      */
/* ------------------------------------------------------------------ */

/**
 * A circuit: qubits, classical bits, named symbolic parameters and a list
 * of operations whose gate arguments are expressions of the parameters.
 */
typedef struct qs_circuit qs_circuit;

/** Creates an empty circuit. @retval QS_EINVAL negative sizes. */
QS_API qs_status qs_circuit_create(int num_qubits, int num_clbits,
                                   qs_circuit **out);
QS_API void qs_circuit_destroy(qs_circuit *c);
QS_API qs_status qs_circuit_copy(const qs_circuit *c, qs_circuit **out);
QS_API int qs_circuit_num_qubits(const qs_circuit *c);
QS_API int qs_circuit_num_clbits(const qs_circuit *c);
/** Number of operations appended (measurements and barriers included). */
QS_API size_t qs_circuit_num_ops(const qs_circuit *c);

/**
 * Named registers, as declared by a parsed program (qreg/creg, qubit[n]/
 * bit[n]), in declaration order; each is a contiguous range of qubits or
 * classical bits.  Circuits built through this API have none.
 */
QS_API int qs_circuit_num_qregs(const qs_circuit *c);
QS_API int qs_circuit_num_cregs(const qs_circuit *c);
/**
 * Quantum register @p i: its name (owned by the circuit, valid while it
 * lives), first qubit and size; any output may be NULL.
 * @retval QS_ERANGE i is not a register index.
 */
QS_API qs_status qs_circuit_qreg(const qs_circuit *c, int i, const char **name,
                                 int *first, int *size);
/**
 * Adds a classical register of @p size new bits after the circuit's
 * others (Qiskit's measure_all adds "meas" so); *first (may be NULL) gets
 * its first bit.  Bits the circuit had outside any register become
 * register "c" first.
 * @retval QS_EINVAL not an identifier, a register of that name exists,
 *         or size < 1.
 */
QS_API qs_status qs_circuit_add_creg(qs_circuit *c, const char *name, int size,
                                     int *first);
/** Classical register @p i, as qs_circuit_qreg(). */
QS_API qs_status qs_circuit_creg(const qs_circuit *c, int i, const char **name,
                                 int *first, int *size);

/**
 * Declares a symbolic parameter; its index (0, 1, ... in declaration
 * order) is where its value goes in the params array of runs.
 * @retval QS_EINVAL not an identifier, a reserved name, or declared twice.
 */
QS_API qs_status qs_circuit_add_param(qs_circuit *c, const char *name,
                                      int *index);
QS_API int qs_circuit_num_params(const qs_circuit *c);
/** Name of parameter @p i, or NULL; owned by the circuit. */
QS_API const char *qs_circuit_param_name(const qs_circuit *c, int i);
/** Index of the parameter named @p name, or -1. */
QS_API int qs_circuit_param_index(const qs_circuit *c, const char *name);

/** Appends a named gate with constant parameters. */
QS_API qs_status qs_circuit_append_gate(qs_circuit *c, qs_gate g,
                                        const int *qubits,
                                        const double *params);
/**
 * Appends a named gate whose parameters are expressions ("2*theta + 0.1",
 * "pi/4", "-sin(phi)^2"): numbers, `pi`, declared parameters, + - * / ^
 * (also **), unary minus, parentheses and sin cos tan asin acos atan exp
 * ln sqrt.  @retval QS_EPARSE malformed, with the column in the message.
 */
QS_API qs_status qs_circuit_append_gate_expr(qs_circuit *c, qs_gate g,
                                             const int *qubits,
                                             const char *const *exprs);
/**
 * Appends exp(-i theta/2 P) for a Pauli string P (conventions of
 * qs_state_apply_pauli_rotation()) with theta an expression.
 */
QS_API qs_status qs_circuit_append_pauli_rotation(qs_circuit *c,
                                                  const int *qubits,
                                                  const char *paulis, int n,
                                                  const char *theta);
/** Appends a constant dense matrix on 1..QS_MAX_TARGETS qubits. */
QS_API qs_status qs_circuit_append_matrix(qs_circuit *c, const int *targets,
                                          int num_targets,
                                          const double *matrix);
/**
 * Circuit-level extra controls, as qs_state_apply_controlled_gate(): the
 * operation acts where qubit controls[j] is |control_values[j]> for every
 * j (@p control_values NULL: all |1>), and is the identity elsewhere.
 * Any number of controls (up to 63) on a gate with constant parameters or
 * a matrix; a gate with parameter expressions spans at most
 * QS_MAX_TARGETS qubits with its controls (its derivative takes them as
 * targets).  The OpenQASM writer refuses such operations for now.
 * @retval QS_EINVAL a control repeats or is a target, a value not 0 or 1,
 *         or too many qubits for a parameterized gate.
 */
QS_API qs_status qs_circuit_append_controlled_gate(qs_circuit *c,
                                                   const int *controls,
                                                   const int *control_values,
                                                   int num_controls, qs_gate g,
                                                   const int *qubits,
                                                   const double *params);
/** The same with parameter expressions (see qs_circuit_append_gate_expr()). */
QS_API qs_status qs_circuit_append_controlled_gate_expr(
    qs_circuit *c, const int *controls, const int *control_values,
    int num_controls, qs_gate g, const int *qubits, const char *const *exprs);
/** A constant dense matrix under extra controls. */
QS_API qs_status qs_circuit_append_controlled_matrix(
    qs_circuit *c, const int *controls, const int *control_values,
    int num_controls, const int *targets, int num_targets,
    const double *matrix);
/** Appends a global phase e^{i phi}, phi an expression. */
QS_API qs_status qs_circuit_append_global_phase(qs_circuit *c,
                                                const char *phi);
/**
 * Appends exp(-i t D), D = diag(values) over all 2^n basis states of the
 * circuit's qubits (see qs_state_apply_diagonal_exp()), t an expression.
 * The values are copied; appending the same values again shares the copy,
 * so p QAOA layers keep one table.
 * @retval QS_EINVAL a value is not finite, or the circuit has no qubit.
 */
QS_API qs_status qs_circuit_append_diagonal_exp(qs_circuit *c,
                                                const double *values,
                                                const char *t);
/** Appends the QFT (or its inverse) on qubits [first, first+count). */
QS_API qs_status qs_circuit_append_qft(qs_circuit *c, int first, int count,
                                       unsigned flags);
/** Appends a measurement of @p qubit into classical bit @p clbit. */
QS_API qs_status qs_circuit_append_measure(qs_circuit *c, int qubit,
                                           int clbit);
/** Appends a reset of @p qubit to |0>. */
QS_API qs_status qs_circuit_append_reset(qs_circuit *c, int qubit);
/** Appends a barrier on @p n qubits (all qubits when n == 0): a fence. */
QS_API qs_status qs_circuit_append_barrier(qs_circuit *c, const int *qubits,
                                           int n);
/**
 * Makes the last appended operation conditional: it runs only when the
 * classical bits [first_clbit, first_clbit+num_bits), read as an unsigned
 * integer with first_clbit least significant, equal @p value.
 */
QS_API qs_status qs_circuit_set_condition(qs_circuit *c, int first_clbit,
                                          int num_bits, uint64_t value);

/** A circuit compiled for repeated runs: bind parameters, run, repeat. */
typedef struct qs_program qs_program;

/** Flags of qs_program_compile(). */
enum {
    QS_COMPILE_DEFAULT = 0,
    /**
     * Leaves the terminal measurements out of the program's steps and
     * lists them instead (qs_program_deferred()).  A measurement is
     * terminal when it is unconditional and nothing after it acts on its
     * qubit, writes its bit or reads its bit in a condition (barriers do
     * not count).  Runs then end in the state just before them, which is
     * what statevector and probability outputs report, and sampling them
     * from that state is exact.
     */
    QS_COMPILE_DEFER_MEASURE = 1u << 0,
    /**
     * Runs the steps one by one as the circuit has them: no cache
     * blocking and no gate fusion (see qs_program_compile()).  For
     * comparisons and benchmarks.
     */
    QS_COMPILE_NO_FUSION = 1u << 1
};

/**
 * Compiles @p c: gates are lowered to dense, diagonal and permutation
 * operations, constant matrices are built once, and parameterized ones get
 * slots filled at each run.  The program copies what it needs; @p c may be
 * destroyed afterwards.
 * @param flags QS_COMPILE_DEFAULT or QS_COMPILE_DEFER_MEASURE.
 */
QS_API qs_status qs_program_compile(const qs_circuit *c, unsigned flags,
                                    qs_program **out);
QS_API void qs_program_destroy(qs_program *p);
QS_API int qs_program_num_qubits(const qs_program *p);
QS_API int qs_program_num_clbits(const qs_program *p);
QS_API int qs_program_num_params(const qs_program *p);
/** Number of operations a run applies to the gates between fences after
 * fusion (fences, such as measurements and QFTs, not counted): what the
 * fusion cost model decided.  0 for QS_COMPILE_NO_FUSION. */
QS_API size_t qs_program_num_fused_ops(const qs_program *p);
/**
 * 1 if the program measures, resets or branches on classical bits (after
 * QS_COMPILE_DEFER_MEASURE: other than through deferred measurements).
 */
QS_API int qs_program_is_dynamic(const qs_program *p);
/** Number of measurements QS_COMPILE_DEFER_MEASURE left out. */
QS_API int qs_program_num_deferred(const qs_program *p);
/**
 * Deferred measurement @p i (in circuit order): its qubit and classical bit
 * (-1 when the outcome is discarded, as OpenQASM 3's `measure q;`).
 * @retval QS_ERANGE i >= qs_program_num_deferred().
 */
QS_API qs_status qs_program_deferred(const qs_program *p, int i, int *qubit,
                                     int *clbit);
/**
 * Runs the program on @p s (which it does not reset first) with parameter
 * values @p params (@p num_params must equal qs_program_num_params()).
 * Measurements draw from @p rng (may be NULL if the program measures
 * nothing) and store bits in @p clbits (num_clbits bytes, 0/1; may be NULL
 * when there are no classical bits; bits are cleared first).
 * @retval QS_EINVAL wrong parameter count, size mismatch, or rng missing.
 */
QS_API qs_status qs_program_run(const qs_program *p, const double *params,
                                size_t num_params, qs_state *s, qs_rng *rng,
                                unsigned char *clbits);

/* ------------------------------------------------------------------ */
/* Step primitives, for libraries built on qsim                        */
/* ------------------------------------------------------------------ */

/*
 * A program is a list of steps, one per operation of its circuit, in
 * order (less the measurements QS_COMPILE_DEFER_MEASURE leaves out, so a
 * circuit whose measurements all come at the end compiles to unitary
 * steps).  A step takes real arguments (a gate's
 * parameters, a Pauli rotation's or a diagonal's angle, a phase), each an
 * expression of the program's parameters.  With these functions a caller
 * can run any slice of a program forward or backward, apply the derivative
 * of one step with respect to one argument, and carry the derivative
 * through the expressions to the parameters (the chain rule): enough for
 * adjoint differentiation, parameter-shift rules and metric tensors
 * without access to the program's insides.
 */

/** Number of steps (the operations of the circuit compiled, less the
 * deferred measurements). */
QS_API size_t qs_program_num_steps(const qs_program *p);

/** Flags of qs_program_step_flags(). */
enum {
    QS_STEP_PARAMETERIZED = 1u << 0, /**< an argument uses a parameter */
    QS_STEP_NONUNITARY = 1u << 1,    /**< measures, resets or is conditional */
    /**
     * In a program of qs_density_compile(): this step is U on the ket
     * qubits and the next one conj(U) on the bra qubits, with the same
     * argument expressions up to sign.  A parameter-shift rule must shift
     * both together (one step alone is not a rotation of rho).
     */
    QS_STEP_PAIRED = 1u << 2
};
/** Flags of step @p k (0 when k is out of range or p is NULL). */
QS_API unsigned qs_program_step_flags(const qs_program *p, size_t k);
/** Number of real arguments of step @p k; -1 when k is out of range. */
QS_API int qs_program_step_num_args(const qs_program *p, size_t k);
/**
 * Writes to @p args the arguments of step @p k (qs_program_step_num_args()
 * values) for the parameter values @p params.
 * @retval QS_ERANGE k is out of range.
 * @retval QS_EINVAL wrong parameter count, or an argument is not finite.
 */
QS_API qs_status qs_program_step_args(const qs_program *p, size_t k,
                                      const double *params, size_t num_params,
                                      double *args);
/**
 * The parameters that argument @p a of step @p k uses, ascending, into
 * @p idx (at most @p max of them; may be NULL when max is 0); *count gets
 * how many there are in all.
 */
QS_API qs_status qs_program_step_arg_params(const qs_program *p, size_t k,
                                            int a, int *idx, int max,
                                            int *count);
/**
 * The chain rule through argument @p a of step @p k: adds
 * seed * d(argument)/d(param j) to grad[j] for every parameter j, at the
 * parameter values @p params (grad has num_params entries).
 */
QS_API qs_status qs_program_step_arg_grad(const qs_program *p, size_t k,
                                          int a, const double *params,
                                          size_t num_params, double seed,
                                          double *grad);
/**
 * The spectrum of argument @p a of step @p k: with everything else fixed,
 * every expectation value taken after the step is a trigonometric
 * polynomial c_0 + sum_{r=1..R} (a_r cos(r w x) + b_r sin(r w x)) of the
 * argument x, with *omega = w and *degree = R (0: no dependence).  This is
 * what parameter-shift rules need: R = 1, w = 1 for a Pauli rotation or a
 * phase gate; R = 2, w = 1/2 for a controlled rotation (eigenvalue gaps
 * 1/2 and 1); R = (max - min) / gcd for a diagonal of integer values.
 * @retval QS_EUNSUPPORTED the step's dependence has no such finite form
 *         (a diagonal with non-integer values).
 */
QS_API qs_status qs_program_step_arg_spectrum(const qs_program *p, size_t k,
                                              int a, double *omega,
                                              int *degree);
/** Flags of qs_program_step_apply() and qs_program_run_range(). */
enum {
    QS_RUN_ADJOINT = 1u << 0  /**< the conjugate transpose, in reverse order */
};
/**
 * Applies step @p k with the argument values @p args (num_args values;
 * any real numbers, so a caller can shift one), or with QS_RUN_ADJOINT
 * its conjugate transpose, which is its inverse for every step but a
 * non-unitary matrix appended with qs_circuit_append_matrix().
 * @retval QS_EUNSUPPORTED the step measures, resets or is conditional.
 */
QS_API qs_status qs_program_step_apply(const qs_program *p, size_t k,
                                       const double *args, unsigned flags,
                                       qs_state *s);
/**
 * s <- (dU/dx_a) s: the derivative of step @p k's operator with respect to
 * its argument @p a, at the argument values @p args.  Not unitary; for a
 * controlled gate it zeroes the amplitudes whose controls are not set.
 * Exact for every gate (its matrix entries are trigonometric polynomials of
 * the argument, differentiated by exact interpolation).
 * @retval QS_EUNSUPPORTED the step measures, resets or is conditional.
 */
QS_API qs_status qs_program_step_apply_derivative(const qs_program *p,
                                                  size_t k, int a,
                                                  const double *args,
                                                  qs_state *s);
/**
 * Runs steps [first, end) of @p p on @p s with parameter values @p params,
 * or with QS_RUN_ADJOINT applies their conjugate transposes from step
 * end-1 down to step first (undoing a forward run of the same slice).
 * A whole program runs with first = 0, end = qs_program_num_steps().
 * @retval QS_EUNSUPPORTED a step in the slice measures, resets or is
 *         conditional: the message names it ("the adjoint method needs a
 *         circuit without measurement or reset").
 * @retval QS_ERANGE first > end or end > qs_program_num_steps().
 */
QS_API qs_status qs_program_run_range(const qs_program *p,
                                      const double *params, size_t num_params,
                                      size_t first, size_t end, unsigned flags,
                                      qs_state *s);

/**
 * The backward sweep of adjoint differentiation over the whole program.
 * On entry @p phi holds the program's output U|psi0> (U = U_N ... U_1, the
 * steps) and @p lambda any state (O U|psi0> for the gradient of <O>).  The
 * sweep applies the steps' adjoints to both, from the last to the first
 * step that uses a parameter, and for every argument x of every step k
 * adds d x/d theta_j <lambda_k| dU_k/dx |phi_{k-1}> to the gradient of
 * parameter j, where phi_k = U_k ... U_1 psi0 and
 * lambda_k = U_{k+1}^dag ... U_N^dag lambda: its real part to
 * @p grad_re[j], its imaginary part to @p grad_im[j] (each num_params
 * entries, zeroed first; either may be NULL).  For E = <psi|O|psi> the
 * gradient is 2 grad_re.
 *
 * It runs the program's schedule backwards: segments are done block by
 * block on both states at once, so a segment costs one pass over each
 * state plus its arithmetic.  Overlaps are summed in an order fixed by
 * the state size: the same bits for any thread count.
 * @param work  a third state, scratch for the steps outside segments.
 * The three states must have the same size and precision; afterwards
 * phi and lambda hold unspecified contents.
 * @retval QS_EUNSUPPORTED a step measures, resets or is conditional.
 * @retval QS_EINVAL wrong parameter count, states that differ or are the
 *         same, or an argument that is not finite.
 */
QS_API qs_status qs_program_backprop(const qs_program *p, const double *params,
                                     size_t num_params, qs_state *phi,
                                     qs_state *lambda, qs_state *work,
                                     double *grad_re, double *grad_im);

/* ------------------------------------------------------------------ */
/* Programs: measurement branches, sampling, unitaries                 */
/* ------------------------------------------------------------------ */

/**
 * Called by qs_program_enumerate() for each measurement branch: @p prob is
 * the branch's probability, @p s its (normalised) final state and
 * @p clbits its classical bits (num_clbits bytes; deferred measurements
 * not set).  Both are valid during the call only.  A status other than
 * QS_OK stops the enumeration, which returns it.
 */
typedef qs_status (*qs_branch_fn)(void *ctx, double prob, const qs_state *s,
                                  const unsigned char *clbits);

/**
 * Runs every branch of a program's mid-circuit measurements and resets
 * exactly: where an outcome is random both are followed, each with its
 * probability, so the final mixed state is sum_b prob_b |s_b><s_b|.
 * Branches whose probability falls below @p min_prob are dropped (1e-14
 * keeps everything that matters in double precision).  Memory: one state
 * copy per random outcome on the current path.
 * @param s  the start state (usually |0...0>), also used as work space:
 *           its content afterwards is unspecified.
 * @retval QS_ETOOBIG more than @p max_branches branches (counting those
 *                    dropped; known before they are all run: a measurement
 *                    of consecutive qubits, a register, is refused before
 *                    its first branch when its outcomes alone are too
 *                    many), or no memory for a copy.
 *
 *     // probabilities of a dynamic circuit: sum_b prob_b |s_b|^2
 *     qs_program_enumerate(prog, NULL, 0, 1e-14, 4096, s, add_probs, acc);
 */
QS_API qs_status qs_program_enumerate(const qs_program *p, const double *params,
                                      size_t num_params, double min_prob,
                                      size_t max_branches, qs_state *s,
                                      qs_branch_fn fn, void *ctx);

/**
 * Runs @p shots shots of a program and returns their classical bits: row
 * i is out[i*W .. i*W+W) with W = (num_clbits + 63) / 64 words, classical
 * bit j in bit j%64 of word j/64.  Rows are in random order.
 *
 * Shots are split where an outcome is random (Binomial(shots, p) take
 * outcome 1), so each distinct path is simulated once whatever the shot
 * count: a program whose measurements are all deferred runs once and is
 * sampled.  Deep random paths fall back to one simulation per shot: at
 * most 64 state copies wait on the current path, holding at most 1 GiB
 * and a quarter of the memory available.
 * @param s  the start state (usually |0...0>), also used as work space.
 * @p out may be NULL when the program has no classical bits.
 */
QS_API qs_status qs_program_sample(const qs_program *p, const double *params,
                                   size_t num_params, size_t shots, qs_state *s,
                                   qs_rng *rng, uint64_t *out);

/**
 * The dense 2^n x 2^n unitary of a circuit without measurement or reset,
 * row-major interleaved complex into @p out, computed by running the
 * circuit on every basis state at once.
 * @retval QS_ETOOBIG   n > 12.
 * @retval QS_EUNSUPPORTED the circuit measures or resets.
 */
QS_API qs_status qs_circuit_unitary(const qs_circuit *c, const double *params,
                                    size_t num_params, double *out);

/* ------------------------------------------------------------------ */
/* OpenQASM                                                            */
/* ------------------------------------------------------------------ */

/** Flags of qs_circuit_parse_file() and qs_circuit_parse_string(). */
enum {
    QS_PARSE_DEFAULT = 0,
    /**
     * OpenQASM 2.0 exactly as the paper has it: qelib1.inc holds its 23
     * gates (with its cu3, controlled-U up to a relative phase), and
     * OpenQASM 3 programs are refused.
     */
    QS_PARSE_STRICT = 1u << 0,
    /**
     * Refuses, at the register that crosses the line, a program whose
     * state vector would not fit in the memory available now (complex
     * double amplitudes, or complex float with QS_PARSE_F32).
     */
    QS_PARSE_CHECK_MEMORY = 1u << 1,
    QS_PARSE_F32 = 1u << 2
};

/**
 * Reads an OpenQASM 2.0 program, or an OpenQASM 3 program of the form
 * Qiskit's qasm3.dumps() writes, into a new circuit.
 *
 * Language: all of OpenQASM 2.0; qelib1.inc is built in (Qiskit's
 * extended version, every gate mapped to the gate table's exact matrix)
 * and other includes are read relative to the including file.  OpenQASM 3
 * adds `input float[64] x;` (also `input float x;`, `input angle[32] x;`)
 * as symbolic parameters in declaration order, `qubit[n]`/`bit[n]`,
 * `c[0] = measure q[0];`, `if (c == n) { ... }`, `gphase`, and
 * stdgates.inc.  A gate definition named after a table gate whose body
 * equals that gate's matrix (up to global phase) runs as the table gate.
 * Each operation is one of the circuit's; named registers are kept
 * (qs_circuit_qreg()).
 *
 * @param flags  QS_PARSE_* bits.
 * @param[out] out  the circuit, or NULL on failure; free it with
 *                  qs_circuit_destroy().
 * @retval QS_EPARSE  the program is malformed: qs_last_error() says
 *                    "path:line:col: message" and qs_last_error_location()
 *                    gives the parts.
 * @retval QS_EIO     @p path (or an include) cannot be read.
 * @retval QS_ETOOBIG more than QS_MAX_QUBITS qubits, or with
 *                    QS_PARSE_CHECK_MEMORY a state that would not fit
 *                    (located at the register's declaration).
 *
 *     qs_circuit *c;
 *     if (qs_circuit_parse_file("ghz.qasm", QS_PARSE_DEFAULT, &c) != QS_OK)
 *         fprintf(stderr, "%s\n", qs_last_error());
 */
QS_API qs_status qs_circuit_parse_file(const char *path, unsigned flags,
                                       qs_circuit **out);
/**
 * The same for a program in memory; @p name labels error locations
 * ("<string>" when NULL).  Includes other than the built-in ones are read
 * relative to the current directory.
 */
QS_API qs_status qs_circuit_parse_string(const char *text, const char *name,
                                         unsigned flags, qs_circuit **out);

/** Flags of qs_circuit_write_qasm(). */
enum {
    QS_QASM_AUTO = 0,     /**< 2.0 when possible, else 3.0 */
    QS_QASM_3 = 1u << 0   /**< always OpenQASM 3.0 */
};

/**
 * Writes @p c as OpenQASM into @p buf (@p buflen bytes, NUL-terminated)
 * and the text's length, without the NUL, into *len (may be NULL).  The
 * text is 2.0 with qelib1.inc unless the circuit has parameters, global
 * phases or discarded measurements, which need 3.0 (`input float[64]`).
 * Gates outside the header's set get `gate` definitions exact up to
 * global phase; Pauli rotations and QFTs are written as gates.  Parsing
 * the text gives the same operations (numbers are written with 17
 * significant digits).
 * @retval QS_ERANGE       @p buflen too small: *len says how much is
 *                         needed (plus one for the NUL); nothing useful
 *                         is in @p buf.
 * @retval QS_EUNSUPPORTED a dense matrix operation, or a condition that
 *                         is not a whole classical register (2.0) or a
 *                         single bit (3.0).
 */
QS_API qs_status qs_circuit_write_qasm(const qs_circuit *c, unsigned flags,
                                       char *buf, size_t buflen, size_t *len);
/** The same into a file (replaced atomically: written aside, renamed). */
QS_API qs_status qs_circuit_write_qasm_file(const qs_circuit *c,
                                            const char *path, unsigned flags);

/* ------------------------------------------------------------------ */
/* Files: whole-file reads with a size cap, atomic writes              */
/* ------------------------------------------------------------------ */

/** The size limit of every text file the libraries read (Pauli sums,
 *  graphs, data sets, models): 256 MiB.  OpenQASM programs: 1 GiB. */
#define QS_FILE_MAX_BYTES ((size_t)1 << 28)

/**
 * Reads the whole file @p path into a NUL-terminated buffer *text (free it
 * with qs_free), its length without the NUL into *len (may be NULL).  The
 * text may contain NUL bytes (check *len against strlen).
 * @retval QS_ETOOBIG longer than @p max_bytes (a regular file is refused
 *                    before it is read; a pipe or device when it passes
 *                    the limit).
 * @retval QS_EIO     cannot be opened or read, or is a directory.
 */
QS_API qs_status qs_file_read(const char *path, size_t max_bytes, char **text,
                              size_t *len);
/** The same from an open stream (standard input); @p name is for messages. */
QS_API qs_status qs_stream_read(FILE *f, const char *name, size_t max_bytes,
                                char **text, size_t *len);
/** Frees memory the library allocated for the caller. */
QS_API void qs_free(void *p);

/**
 * An atomic output file.  qs_output_open(path) gives a stream
 * (qs_output_stream) that writes to a temporary file beside @p path when
 * @p path is a regular file (symlinks followed: the link stays) or absent;
 * qs_output_commit checks every write, fsyncs, closes and renames it over
 * the target, keeping the target's mode (a new file gets 0666 less the
 * umask).  A device, FIFO or socket is written in place, never replaced.
 * Path NULL or "-" is the standard output (commit flushes it and reports a
 * write error).  Either commit or discard frees the handle.
 * @retval QS_EIO  on open: a directory, or no temporary file can be made;
 *                 on commit: a write, fsync, close or rename failed
 *                 (the target is untouched; the message says why).
 */
typedef struct qs_output qs_output;
QS_API qs_status qs_output_open(const char *path, qs_output **out);
QS_API FILE *qs_output_stream(const qs_output *o);
QS_API qs_status qs_output_commit(qs_output *o);
/** Drops the output: the target is untouched (stdout is only flushed). */
QS_API void qs_output_discard(qs_output *o);

/* ------------------------------------------------------------------ */
/* Noise: channels, density matrices, trajectories, noise models       */
/* ------------------------------------------------------------------ */

/*
 * Quantum channels are completely positive, trace-preserving maps given
 * by Kraus operators K_i (rho -> sum_i K_i rho K_i^dag, sum_i K_i^dag K_i
 * = I).  The named ones follow Qiskit Aer's definitions (parameters in
 * its order); a Kraus matrix uses the bit convention of
 * qs_state_apply_matrix() (bit j of its index is qubits[j]).
 */
typedef enum qs_channel_kind {
    QS_CHANNEL_KRAUS,              /**< matrices given by the caller */
    QS_CHANNEL_DEPOLARIZING,       /**< p: rho -> (1-p) rho + p I/2, p in [0, 4/3] */
    QS_CHANNEL_DEPOLARIZING2,      /**< p, on 2 qubits: (1-p) rho + p I/4, p in [0, 16/15] */
    QS_CHANNEL_AMPLITUDE_DAMPING,  /**< gamma in [0, 1] */
    QS_CHANNEL_GENERALIZED_AMPLITUDE_DAMPING, /**< gamma, p_excited, both in [0, 1] */
    QS_CHANNEL_PHASE_DAMPING,      /**< lambda in [0, 1] */
    QS_CHANNEL_BIT_FLIP,           /**< p: X with probability p */
    QS_CHANNEL_PHASE_FLIP,         /**< p: Z with probability p */
    QS_CHANNEL_PAULI,              /**< px, py, pz, each >= 0, sum <= 1 */
    /** t1, t2, time, p_excited: relaxation towards the thermal state
     * (excited population p_excited) and dephasing, t2 <= 2 t1, as Aer's
     * thermal_relaxation_error(t1, t2, time, excited_state_population). */
    QS_CHANNEL_THERMAL_RELAXATION,
    QS_NUM_CHANNELS
} qs_channel_kind;

/** Most qubits a channel acts on (its superoperator is a 2k-qubit op). */
#define QS_CHANNEL_MAX_QUBITS 2
/** Most Kraus operators of one channel. */
#define QS_CHANNEL_MAX_KRAUS 64
/** Tolerance of the trace-preservation check of Kraus sets. */
#define QS_KRAUS_TOLERANCE 1e-8

/** The channel's name ("amplitude_damping"), or NULL. Static. */
QS_API const char *qs_channel_name(int kind);
/** Looks a channel up by name. @retval QS_EINVAL unknown name. */
QS_API qs_status qs_channel_lookup(const char *name, int *kind);
/** Qubits the named channel acts on (1 or 2); -1 for QS_CHANNEL_KRAUS. */
QS_API int qs_channel_num_qubits(int kind);
/** Number of real parameters of a named channel; -1 if not one. */
QS_API int qs_channel_num_params(int kind);
/**
 * The Kraus operators of a named channel: *num_ops of them, each 4^k
 * complex entries (k = qs_channel_num_qubits()), into @p ops, which has
 * room for QS_CHANNEL_MAX_KRAUS * 2 * 16 doubles.
 * @retval QS_EINVAL a parameter is out of its range (the message says
 *                   which and the range), or @p kind is not a named channel.
 */
QS_API qs_status qs_channel_kraus(int kind, const double *params,
                                  int *num_ops, double *ops);
/**
 * Checks that @p num_ops Kraus matrices on @p num_qubits qubits are trace
 * preserving: ||sum K_i^dag K_i - I||_max <= @p tol.
 * @retval QS_EINVAL they are not (the message gives the deviation), or
 *         the counts are out of range.
 */
QS_API qs_status qs_kraus_check(int num_qubits, int num_ops, const double *ops,
                                double tol);
/**
 * The superoperator of a Kraus set as a 2k-qubit matrix (4^(2k) complex
 * entries, k = @p num_qubits) acting on the vectorised rho of
 * qs_density_state(): targets qubits[0..k) on the ket side, then the same
 * qubits on the bra side.  @p out has room for 2 * 16^k doubles.
 */
QS_API qs_status qs_kraus_superop(int num_qubits, int num_ops,
                                  const double *ops, double *out);

/** A density matrix rho of n qubits. */
typedef struct qs_density qs_density;

/**
 * Creates rho = |0...0><0...0| on @p num_qubits qubits, held as the 4^n
 * amplitudes of a 2n-qubit state (the vectorised rho: amplitude
 * k + 2^n b is rho[k][b]), so that every state kernel, SIMD, fusion and
 * cache blocking serve density matrices too.  The memory check of
 * qs_state_create() says before allocating whether it fits (14 qubits of
 * double take 4 GiB).
 * @param flags  QS_STATE_DEFAULT or QS_STATE_F32.
 * @retval QS_EINVAL  num_qubits < 1 or > QS_MAX_QUBITS / 2.
 * @retval QS_ETOOBIG it would not fit.
 */
QS_API qs_status qs_density_create(int num_qubits, unsigned flags,
                                   qs_density **out);
QS_API void qs_density_destroy(qs_density *rho);
QS_API qs_status qs_density_copy(const qs_density *rho, qs_density **out);
/** Number of qubits n (the matrix is 2^n x 2^n); 0 for NULL. */
QS_API int qs_density_num_qubits(const qs_density *rho);
/**
 * The vectorised rho as a state of 2n qubits (owned by @p rho): qubit j
 * is the ket index's bit j, qubit n + j the bra index's.  Gates applied
 * to it directly act on one side only.
 */
QS_API qs_state *qs_density_state(qs_density *rho);
/** rho = |psi><psi| (psi normalised as given; same number of qubits). */
QS_API qs_status qs_density_set_pure(qs_density *rho, const qs_state *psi);
/** rho = |index><index|. */
QS_API qs_status qs_density_set_basis(qs_density *rho, uint64_t index);
/** rho = I / 2^n. */
QS_API qs_status qs_density_set_mixed(qs_density *rho);
/** rho from a dense 2^n x 2^n matrix, row-major interleaved complex. */
QS_API qs_status qs_density_set_matrix(qs_density *rho, const double *m);
/** The dense 2^n x 2^n matrix of rho into @p out (2 * 4^n doubles). */
QS_API qs_status qs_density_get_matrix(const qs_density *rho, double *out);

/** rho -> U rho U^dag for a named gate (conventions of qs_state_apply_gate()). */
QS_API qs_status qs_density_apply_gate(qs_density *rho, qs_gate g,
                                       const int *qubits,
                                       const double *params);
/** rho -> U rho U^dag for a dense 2^k x 2^k matrix (k <= QS_MAX_TARGETS). */
QS_API qs_status qs_density_apply_matrix(qs_density *rho, const int *targets,
                                         int num_targets, const double *u);
/**
 * Applies a named channel on qubits[0..qs_channel_num_qubits(kind)): one
 * pass over rho (its superoperator is one dense op on 2k qubits).
 */
QS_API qs_status qs_density_apply_channel(qs_density *rho, int kind,
                                          const int *qubits,
                                          const double *params);
/**
 * Applies the channel of @p num_ops Kraus matrices on @p num_qubits
 * (1..QS_CHANNEL_MAX_QUBITS) qubits, checked to be trace preserving
 * within QS_KRAUS_TOLERANCE.
 */
QS_API qs_status qs_density_apply_kraus(qs_density *rho, const int *qubits,
                                        int num_qubits, int num_ops,
                                        const double *ops);

/** Tr(rho) (real part). */
QS_API qs_status qs_density_trace(const qs_density *rho, double *out);
/** Tr(rho^2): 1 for a pure state, 2^-n for the maximally mixed one. */
QS_API qs_status qs_density_purity(const qs_density *rho, double *out);
/** <psi|rho|psi> for a pure state psi of the same size. */
QS_API qs_status qs_density_fidelity_pure(const qs_density *rho,
                                          const qs_state *psi, double *out);
/** The diagonal of rho: 2^n probabilities. */
QS_API qs_status qs_density_probabilities(const qs_density *rho, double *out);
/** Marginal of @p k qubits (bit j of an outcome is qubits[j]). */
QS_API qs_status qs_density_marginal(const qs_density *rho, const int *qubits,
                                     int k, double *out);
/** Draws @p shots outcomes as qs_state_sample() does, from rho's diagonal. */
QS_API qs_status qs_density_sample(const qs_density *rho, const int *qubits,
                                   int k, size_t shots, qs_rng *rng,
                                   uint64_t *out);
/**
 * Measures @p k qubits: draws an outcome, projects rho onto it
 * (P rho P / p) and gives its probability in *prob (may be NULL).
 */
QS_API qs_status qs_density_measure(qs_density *rho, const int *qubits, int k,
                                    qs_rng *rng, uint64_t *outcome,
                                    double *prob);
/** Tr(rho H) for a Pauli sum: O(2^n) per term, never a pass over 4^n. */
QS_API qs_status qs_density_expect(const qs_density *rho,
                                   const qs_pauli_sum *h, double *out);
/**
 * Tr(rho H) with rho given as a vectorised density matrix: a 2n-qubit
 * state laid out as qs_density_state() (what a program of
 * qs_density_compile() leaves in any 2n-qubit state).  For layers that
 * keep density matrices in plain states (gradients by parameter shift).
 */
QS_API qs_status qs_density_expect_state(const qs_state *rho,
                                         const qs_pauli_sum *h, double *out);
/** Tr(rho D) = sum_k values[k] rho[k][k] for a real diagonal D (2^n values). */
QS_API qs_status qs_density_expect_diagonal_state(const qs_state *rho,
                                                  const double *values,
                                                  double *out);
/**
 * The reduced density matrix of @p k qubits (the others traced out) into
 * @p out (2 * 4^k doubles, bit j of an index is qubits[j]); k <= 14.
 */
QS_API qs_status qs_density_reduced(const qs_density *rho, const int *qubits,
                                    int k, double *out);
/**
 * Von Neumann entropy -Tr(r log2 r) of the reduced density matrix r of
 * @p k qubits (all of them when k == 0), from its eigenvalues (LAPACKE).
 */
QS_API qs_status qs_density_entropy(const qs_density *rho, const int *qubits,
                                    int k, double *out);

/**
 * Appends a named channel on qubits[0..qs_channel_num_qubits(kind)) to a
 * circuit: an operation of the IR like a gate.  Circuits with channels
 * run on density matrices (qs_density_compile()) or by trajectories
 * (qs_trajectories_run()); qs_program_compile() refuses them.
 */
QS_API qs_status qs_circuit_append_channel(qs_circuit *c, int kind,
                                           const int *qubits,
                                           const double *params);
/** Appends a Kraus channel (checked as qs_density_apply_kraus()). */
QS_API qs_status qs_circuit_append_kraus(qs_circuit *c, const int *qubits,
                                         int num_qubits, int num_ops,
                                         const double *ops);
/** Number of channel operations in a circuit. */
QS_API size_t qs_circuit_num_channels(const qs_circuit *c);

/**
 * Compiles a circuit (with channels or not) for density matrices: the
 * program acts on the 2n qubits of qs_density_state(), each gate U as U
 * on the ket qubits and conj(U) on the bra qubits (parameterized gates
 * keep their parameters), each channel, reset and measurement as its
 * superoperator, and then fuses and cache-blocks like any program.
 * Measurements become dephasing (the outcome is not recorded), or are
 * left out when terminal with QS_COMPILE_DEFER_MEASURE.
 * @retval QS_EUNSUPPORTED a conditional operation (it needs outcomes:
 *         use trajectories), or more than QS_MAX_QUBITS / 2 qubits.
 */
QS_API qs_status qs_density_compile(const qs_circuit *c, unsigned flags,
                                    qs_program **out);
/** Runs a program of qs_density_compile() on rho. */
QS_API qs_status qs_density_run(const qs_program *p, const double *params,
                                size_t num_params, qs_density *rho);

/**
 * Quantum trajectories: runs @p num_traj pure-state trajectories of a
 * circuit with channels from |0...0>, each channel sampled as one Kraus
 * operator with its exact probability ||K_i psi||^2.  Trajectory t draws
 * from its own generator seeded by (seed, t), so results do not depend on
 * the number of threads; trajectories run in parallel.  Measurements
 * collapse (outcomes drawn), resets reset, conditions are honoured.
 * @param probs      NULL, or 2^n doubles: the mean probabilities.
 * @param h          NULL, or a Pauli sum whose mean and standard error
 *                   over trajectories go to expect[0], expect[1].
 * @param clbits_out NULL, or num_traj * num_clbits bytes: each
 *                   trajectory's classical bits (one shot each).
 */
QS_API qs_status qs_trajectories_run(const qs_circuit *c, const double *params,
                                     size_t num_params, size_t num_traj,
                                     uint64_t seed, unsigned state_flags,
                                     double *probs, const qs_pauli_sum *h,
                                     double *expect, unsigned char *clbits_out);

/**
 * A noise model: which channels follow which gates, on all qubits or on
 * given ones, and readout errors.  Read from qsim's own JSON format or
 * from the JSON Qiskit Aer writes with
 * json.dump(noise_model.to_dict(serializable=True), f), as it is.
 */
typedef struct qs_noise_model qs_noise_model;

/**
 * Reads a noise model (either format, told apart by its content).
 * @retval QS_EIO    the file cannot be read.
 * @retval QS_EPARSE malformed JSON or model: "path:line:col: what", with
 *                   qs_last_error_location() set.
 * @retval QS_EINVAL a channel that is not trace preserving, a probability
 *                   outside [0, 1], ... (located the same way).
 */
QS_API qs_status qs_noise_model_read(const char *path, qs_noise_model **out);
/** The same from a string; @p name labels error locations. */
QS_API qs_status qs_noise_model_parse(const char *text, const char *name,
                                      qs_noise_model **out);
QS_API void qs_noise_model_destroy(qs_noise_model *m);
/** Number of quantum error entries (after composing repeated ones). */
QS_API size_t qs_noise_model_num_errors(const qs_noise_model *m);
/**
 * A new circuit: @p c with, after each gate whose name matches an error's
 * operations, that error's channel on the gate's qubits (a qubit-specific
 * error replaces the all-qubit one, as in Aer).
 * @retval QS_EINVAL an error's qubit count differs from its gate's.
 */
QS_API qs_status qs_noise_model_apply(const qs_noise_model *m,
                                      const qs_circuit *c, qs_circuit **out);
/**
 * The readout confusion matrix of @p qubit: conf[i*2 + j] = P(read j |
 * true i); the identity when the model has none.  *has (may be NULL) is 1
 * when the model has one.
 */
QS_API qs_status qs_noise_model_readout(const qs_noise_model *m, int qubit,
                                        double conf[4], int *has);
/**
 * Applies the readout errors to measured bits: bit j of each of the
 * @p count outcomes (qubit qubits[j]) is flipped with the model's
 * probabilities, drawing from @p rng.
 */
QS_API qs_status qs_noise_model_apply_readout(const qs_noise_model *m,
                                              const int *qubits, int k,
                                              size_t count, qs_rng *rng,
                                              uint64_t *outcomes);

#ifdef __cplusplus
}
#endif

#endif /* QSIM_QSIM_H */
