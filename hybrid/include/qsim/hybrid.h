/*
 * hybrid.h - the public API of libqsimhybrid: gradients of parameterized
 * circuits, classical optimizers, and the variational models built from
 * them (VQE, QAOA, variational classifiers, quantum kernels).
 *
 * What is not declared in this file is not API.  libqsimhybrid uses libqsim
 * only through <qsim/qsim.h>, and every convention written at the top of
 * that header holds here too: qs_status return codes with the message in
 * qs_last_error(), the caller's ownership of what it creates (*_destroy and
 * *_free accept NULL), copies of kept inputs, one thread per handle, and
 * results that are bit-for-bit the same for any number of threads.  Names
 * start with qh_.
 *
 * The whole optimization loop runs in C: qh_optimizer_run() (or one
 * qh_optimizer_iterate() per step) drives the objective, its gradients and
 * the optimizer without returning to the caller between evaluations.
 *
 *     qh_objective *o;   qh_optimizer *opt;
 *     qh_objective_create(circuit, hamiltonian, &o);
 *     qh_optimizer_alloc(qh_optimizer_bfgs, n, &opt);
 *     qh_optimizer_set(opt, qh_objective_fdf, o, x0);
 *     qh_optimizer_run(opt, NULL, NULL, &reason);
 *     printf("%.10f\n", qh_optimizer_f(opt));
 */
#ifndef QSIM_HYBRID_H
#define QSIM_HYBRID_H

#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(QH_BUILDING_LIBRARY) && defined(__GNUC__)
#define QH_API __attribute__((visibility("default")))
#else
#define QH_API
#endif

/** The version of libqsimhybrid, "major.minor.patch"; static storage. */
QH_API const char *qh_version(void);

/* ------------------------------------------------------------------ */
/* Ranks: data-parallel runs under mpirun                              */
/* ------------------------------------------------------------------ */

/*
 * Under `mpirun -np P`, batches of independent items are dealt out to the P
 * ranks: parameter vectors (qh_objective_values/_gradients, the QAOA
 * grid), shift and finite-difference evaluations of one gradient,
 * minibatch and prediction rows of the classifier, states and rows of a
 * kernel.  Every rank then holds every result, gathered in item order, so
 * every rank returns what one process returns, bit for bit.  Work that is
 * one item (an adjoint gradient, one value) is done by every rank alike.
 * Every rank must therefore make the same calls on the same inputs.
 *
 * The ranks are those of one communicator: the one given to qh_comm_set(),
 * else MPI_COMM_WORLD once MPI is initialised (by qh_comm_init(), the
 * program or mpi4py); without MPI this is one process.  A failure on any
 * rank inside a call is agreed on before any further communication, so the
 * call fails on every rank with the first failing rank's message ("...
 * (rank r)" on the others) and leaves no rank waiting; after that the
 * layer communicates no more (qh_comm_failed()).
 */

/** 1 if this libqsimhybrid was built with MPI. */
QH_API int qh_comm_built(void);
/**
 * Initialises MPI when the process was started by mpirun and nobody has
 * yet (a no-op otherwise; argc and argv may be NULL).  Call it first.
 */
QH_API qs_status qh_comm_init(int *argc, char ***argv);
/**
 * The communicator to spread over: a pointer to an MPI_Comm (mpi4py:
 * MPI._addressof(comm)), or NULL for MPI_COMM_WORLD; &MPI_COMM_SELF makes
 * every rank work alone.  Call it on every rank, before any work.
 * @retval QS_EINVAL MPI is not initialised; QS_EUNSUPPORTED built without MPI.
 */
QH_API qs_status qh_comm_set(const void *mpi_comm);
/** This process's rank (0 without MPI). */
QH_API int qh_comm_rank(void);
/** The number of ranks (1 without MPI). */
QH_API int qh_comm_size(void);
/**
 * Collective: every rank passes its status (and a message, or NULL for
 * qs_last_error()); returns QS_OK on every rank if all passed QS_OK, else
 * on every rank the status of the lowest failing rank, with its message as
 * qs_last_error().  A rank that fails outside the layer's calls should
 * call this next (as `qsim` does before it exits), so the others learn it
 * at their next call.  Once it has failed, no further communication.
 */
QH_API qs_status qh_comm_agree(qs_status st, const char *msg);
/**
 * Collective: rank 0's text to every rank (mpirun gives standard input to
 * rank 0 alone).  On rank 0, *text is a malloc'd NUL-terminated string, or
 * NULL if reading it failed (then every rank fails); on the others *text
 * gets a malloc'd copy.  One process: QS_OK when *text is not NULL.
 */
QH_API qs_status qh_comm_share_text(char **text);
/** 1 once a failure has been agreed on (then only exit is left). */
QH_API int qh_comm_failed(void);
/** MPI_Abort on all ranks (when P > 1); for failures that cannot be
 * agreed on. */
QH_API void qh_comm_abort(int code);
/** MPI_Finalize, if qh_comm_init() initialised MPI. */
QH_API void qh_comm_finalize(void);

/* ------------------------------------------------------------------ */
/* Gradients                                                           */
/* ------------------------------------------------------------------ */

/** Methods of gradients. */
enum {
    QH_GRAD_ADJOINT = 0,      /**< one forward pass, one backward sweep (default) */
    QH_GRAD_PARAM_SHIFT = 1,  /**< shift rules, 2R runs per argument of spectrum degree R */
    QH_GRAD_FINITE_DIFF = 2   /**< central differences, 2 runs per parameter (checks) */
};
/** "adjoint", "shift" or "fd"; NULL for an unknown method. */
QH_API const char *qh_grad_method_name(int method);
/** The method named "adjoint", "shift" (or "parameter-shift") or "fd"
 * (or "finite-difference"). @retval QS_EINVAL unknown name. */
QH_API qs_status qh_grad_method_lookup(const char *name, int *method);

/**
 * Adjoint differentiation: the gradient of <psi|O|psi> with respect to
 * the parameters of @p p, where psi = P(params) psi0, from one backward
 * sweep over the program (a vector-Jacobian product).
 * @param[in,out] phi    on entry psi, the state after the run; on return
 *                       psi0 (the sweep undoes the program).
 * @param[in,out] lambda on entry O psi for a Hermitian O; clobbered.
 * @param work           a third state of the same size, clobbered.
 * @param[out] grad      num_params entries, assigned.
 * Memory: the three states; time: about two runs of the program plus one
 * derivative, copy and inner product per parameterized argument.  The
 * derivative of each step flows through its argument expressions to the
 * parameters (the chain rule).
 * @retval QS_EUNSUPPORTED the program measures, resets or has conditions:
 *         "qh_grad_adjoint: the adjoint method needs a circuit without
 *         measurement or reset (step 3 measures, resets or is
 *         conditional)".  (Objectives compile with deferred terminal
 *         measurements, so only measurements before the end remain.)
 */
QH_API qs_status qh_grad_adjoint(const qs_program *p, const double *params,
                                 size_t num_params, qs_state *phi,
                                 qs_state *lambda, qs_state *work,
                                 double *grad);

/* ------------------------------------------------------------------ */
/* Objectives: a parameterized circuit and an observable               */
/* ------------------------------------------------------------------ */

/**
 * E(params) = <0|U(params)^dagger O U(params)|0>: a circuit started from
 * |0...0> (prepare other inputs in the circuit itself) and a Hermitian
 * observable O.  Keeps state vectors for its evaluations, so repeated calls
 * allocate nothing.
 */
typedef struct qh_objective qh_objective;

/**
 * An objective with a Pauli-sum observable.  Compiles @p c and copies
 * @p h; both may be destroyed afterwards.  Measurements at the end of the
 * circuit are left out (QS_COMPILE_DEFER_MEASURE): E is taken on the state
 * before them.
 * @retval QS_EINVAL the sum acts on more qubits than the circuit has.
 */
QH_API qs_status qh_objective_create(const qs_circuit *c,
                                     const qs_pauli_sum *h,
                                     qh_objective **out);
/**
 * An objective whose observable is the real diagonal diag(values) (2^n
 * values, copied), e.g. minus a MaxCut cost: evaluated in one pass.
 */
QH_API qs_status qh_objective_create_diagonal(const qs_circuit *c,
                                              const double *values,
                                              qh_objective **out);
/**
 * An objective under noise: Tr(rho H) (or Tr(rho D) for the diagonal
 * @p values; give one of @p h and @p values) where rho is the density
 * matrix of the circuit with the noise model's errors attached
 * (qs_noise_model_apply(), qs_density_compile()).  Gradients by parameter
 * shift (exact on rho) or finite differences; the adjoint method and the
 * metric refuse it.  Its states (qh_objective_state()) are vectorised
 * density matrices of 2n qubits.
 */
QH_API qs_status qh_objective_create_noisy(const qs_circuit *c,
                                           const qs_pauli_sum *h,
                                           const double *values,
                                           const qs_noise_model *noise,
                                           qh_objective **out);
/**
 * Estimates values from @p shots samples (0: exact), as hardware gives
 * them: the terms of the Pauli sum are grouped by their X/Y letters, the
 * final state (or density matrix) is rotated into each group's basis and
 * sampled, and each term is the mean of its parity; a diagonal observable
 * is the mean of its values over the shots.  Each estimate draws from a
 * generator seeded by @p seed and the state's amplitudes: reproducible,
 * the same for any thread count.  Gradients then come from estimates too
 * (parameter shift becomes the default method; adjoint refuses).
 */
QH_API qs_status qh_objective_set_shots(qh_objective *o, size_t shots,
                                        uint64_t seed);
/** 1 if the objective was made by qh_objective_create_noisy(). */
QH_API int qh_objective_is_noisy(const qh_objective *o);

/** Trajectories per value when a noisy objective's density matrix does
 * not fit. */
#define QH_DEFAULT_TRAJECTORIES 1000
/**
 * Noisy objectives hold the density matrix while it fits in memory (the
 * check qs_memory_check() makes, for 3 matrices) and run by quantum
 * trajectories beyond: each value is then the mean of <H> over
 * QH_DEFAULT_TRAJECTORIES seeded trajectories (seed 1), the same
 * trajectories at every point, and gradients come from central
 * differences of those means (step 1e-3; the other methods refuse).  This
 * call asks for trajectories (@p n of them, 2 to 2^30, from @p seed) even
 * when rho fits.  @retval QS_EINVAL the objective is not noisy.
 */
QH_API qs_status qh_objective_set_trajectories(qh_objective *o, size_t n,
                                               uint64_t seed);
/** Trajectories per value (0: the density matrix, exact). */
QH_API size_t qh_objective_num_trajectories(const qh_objective *o);
/**
 * E(params) and its standard error: 0 for exact values; the standard
 * error of the trajectory mean otherwise (from the spread over
 * trajectories for a Pauli sum, over 16 batches for a diagonal).
 */
QH_API qs_status qh_objective_value_error(qh_objective *o,
                                          const double *params, double *value,
                                          double *std_error);
QH_API void qh_objective_destroy(qh_objective *o);
QH_API int qh_objective_num_params(const qh_objective *o);
QH_API int qh_objective_num_qubits(const qh_objective *o);
/** The compiled program (owned by the objective). */
QH_API const qs_program *qh_objective_program(const qh_objective *o);
/**
 * Threads for batches (qh_objective_values(), qh_objective_gradients()):
 * 0 (the default) means qs_get_num_threads().  Results do not depend on it.
 */
QH_API qs_status qh_objective_set_threads(qh_objective *o, int num_threads);
/** The method qh_objective_fdf() uses (default QH_GRAD_ADJOINT). */
QH_API qs_status qh_objective_set_method(qh_objective *o, int method);
/** The step h of central differences (default 1e-6). */
QH_API qs_status qh_objective_set_fd_step(qh_objective *o, double h);

/** E(params). */
QH_API qs_status qh_objective_value(qh_objective *o, const double *params,
                                    double *value);
/**
 * E(params) into *value (may be NULL) and its gradient into @p grad, by
 * @p method.  The three methods agree to about 1e-9 (finite differences
 * to their truncation error).
 * @retval QS_EUNSUPPORTED adjoint: the circuit measures or resets;
 *         parameter shift: a step has no finite shift rule (a diagonal with
 *         non-integer values).
 */
QH_API qs_status qh_objective_gradient(qh_objective *o, int method,
                                       const double *params, double *value,
                                       double *grad);
/**
 * A batch: values[b] = E(params + b * num_params) for b < count.  Small
 * states run one vector per thread (qs_parallel_for), large states one
 * vector after the other with threaded kernels; the results are the same.
 */
QH_API qs_status qh_objective_values(qh_objective *o, size_t count,
                                     const double *params, double *values);
/** A batch of gradients: values (may be NULL) and grads (count x n). */
QH_API qs_status qh_objective_gradients(qh_objective *o, int method,
                                        size_t count, const double *params,
                                        double *values, double *grads);
/** The final state U(params)|0> into @p out (same number of qubits). */
QH_API qs_status qh_objective_state(qh_objective *o, const double *params,
                                    qs_state *out);
/**
 * The block-diagonal Fubini-Study metric tensor g (n x n, row-major) at
 * @p params, for quantum natural gradient.  Parameters are grouped into
 * blocks of steps that act on disjoint qubits or share a parameter
 * (a layer of rotations); each block's entries
 * g_ij = Re(<d_i psi|d_j psi> - <d_i psi|psi><psi|d_j psi>) are exact, the
 * entries between blocks are zero.
 */
QH_API qs_status qh_objective_metric(qh_objective *o, const double *params,
                                     double *metric);

/* ------------------------------------------------------------------ */
/* Optimizers                                                          */
/* ------------------------------------------------------------------ */

/**
 * The function an optimizer minimizes: *f = f(x) and, when @p grad is not
 * NULL, its gradient.  Return QS_OK, or a status that stops the optimizer
 * and is passed on by qh_optimizer_iterate() (set a message with
 * qs_set_error()).
 */
typedef qs_status (*qh_fdf)(void *ctx, const double *x, double *f,
                            double *grad);
/** A metric tensor g(x) (n x n, row-major) for quantum natural gradient. */
typedef qs_status (*qh_metric_fn)(void *ctx, const double *x, double *g);

/** An objective as a qh_fdf: ctx is the qh_objective; the gradient uses
 * the method of qh_objective_set_method(). */
QH_API qs_status qh_objective_fdf(void *objective, const double *x,
                                  double *f, double *grad);
/** qh_objective_metric() as a qh_metric_fn (ctx is the qh_objective). */
QH_API qs_status qh_objective_metric_fn(void *objective, const double *x,
                                        double *g);

/** An algorithm (GSL's multimin "type" object). */
typedef struct qh_optimizer_type qh_optimizer_type;
/** An optimizer: a type, its state and the current point. */
typedef struct qh_optimizer qh_optimizer;

/** Gradient descent with momentum: v <- mu v - eta g, x <- x + v.
 * Options: learning_rate (0.05), momentum (0.9). */
QH_API extern const qh_optimizer_type *const qh_optimizer_gd;
/** Adam (Kingma & Ba), bias-corrected.  Options: learning_rate (0.01),
 * beta1 (0.9), beta2 (0.999), epsilon (1e-8). */
QH_API extern const qh_optimizer_type *const qh_optimizer_adam;
/** SPSA (Spall): two evaluations per step along a random +-1 direction
 * drawn from GSL's mt19937 seeded with (seed, step).  Options: a (0.2),
 * c (0.1), A (10), alpha (0.602), gamma (0.101), seed (0). */
QH_API extern const qh_optimizer_type *const qh_optimizer_spsa;
/** BFGS: gsl_multimin_fdfminimizer_vector_bfgs2.  Options: step (0.01),
 * tol (0.1, line search). */
QH_API extern const qh_optimizer_type *const qh_optimizer_bfgs;
/** Nelder-Mead: gsl_multimin_fminimizer_nmsimplex2, gradient-free; the
 * gradient stopping rule applies to the simplex size.  Options: step (0.1,
 * initial simplex). */
QH_API extern const qh_optimizer_type *const qh_optimizer_nelder_mead;
/** Quantum natural gradient: x <- x - eta (g(x) + eps I)^{-1} grad f, with
 * the metric of qh_optimizer_set_metric().  Options: learning_rate (0.1),
 * regularization (1e-3). */
QH_API extern const qh_optimizer_type *const qh_optimizer_qng;

/** The type named "gd", "adam", "spsa", "bfgs", "nelder-mead" (or "nm"),
 * "qng"; NULL if unknown. */
QH_API const qh_optimizer_type *qh_optimizer_lookup(const char *name);
/** The i-th type, or NULL past the end (for listings). */
QH_API const qh_optimizer_type *qh_optimizer_type_at(int i);
QH_API const char *qh_optimizer_type_name(const qh_optimizer_type *t);

/**
 * Allocates an optimizer of type @p t for @p n variables.
 * @retval QS_EINVAL t is NULL or n is 0.
 */
QH_API qs_status qh_optimizer_alloc(const qh_optimizer_type *t, size_t n,
                                    qh_optimizer **out);
QH_API void qh_optimizer_free(qh_optimizer *o);
QH_API const char *qh_optimizer_name(const qh_optimizer *o);
/**
 * Sets a numeric option of the type (names under each type above), before
 * qh_optimizer_set().  @retval QS_EINVAL unknown name or invalid value.
 */
QH_API qs_status qh_optimizer_set_option(qh_optimizer *o, const char *name,
                                         double value);
/** The metric for qh_optimizer_qng (other types ignore it). */
QH_API qs_status qh_optimizer_set_metric(qh_optimizer *o, qh_metric_fn g,
                                         void *ctx);
/**
 * Stopping rules of qh_optimizer_run(): at most @p max_iter iterations
 * (0: no limit), the gradient norm (simplex size for Nelder-Mead) below
 * @p gtol, or |f_k - f_{k-1}| below @p ftol (0 disables a rule).
 * Defaults: 1000, 1e-6, 0.
 */
QH_API qs_status qh_optimizer_set_stop(qh_optimizer *o, size_t max_iter,
                                       double gtol, double ftol);
/**
 * Starts at @p x0 (copied) minimizing @p fdf; evaluates it at x0.
 * Errors of fdf are passed on.
 */
QH_API qs_status qh_optimizer_set(qh_optimizer *o, qh_fdf fdf, void *ctx,
                                  const double *x0);
/** One iteration.  Returns QS_OK, or the status of a failed evaluation. */
QH_API qs_status qh_optimizer_iterate(qh_optimizer *o);

/** Why qh_optimizer_run() stopped. */
enum {
    QH_STOP_NONE = 0,      /**< still running */
    QH_STOP_MAXITER,       /**< max_iter reached */
    QH_STOP_GTOL,          /**< gradient norm (or simplex size) below gtol */
    QH_STOP_FTOL,          /**< change in value below ftol */
    QH_STOP_NOPROGRESS     /**< the line search found no lower point */
};
/** "maxiter", "gtol", "ftol", "no progress" or "running". */
QH_API const char *qh_stop_reason_name(int reason);
/**
 * Called after every iteration of qh_optimizer_run(); return QS_OK to go
 * on, anything else stops the run with that status (e.g. to write a
 * checkpoint and stop).
 */
typedef qs_status (*qh_iter_fn)(void *ctx, const qh_optimizer *o);
/**
 * Iterates until a stopping rule holds (*reason, may be NULL), calling
 * @p cb (may be NULL) after each iteration.  A resumed optimizer goes on
 * from its saved iteration count.
 */
QH_API qs_status qh_optimizer_run(qh_optimizer *o, qh_iter_fn cb, void *ctx,
                                  int *reason);

/** The current point (n values; owned, valid until the next iteration). */
QH_API const double *qh_optimizer_x(const qh_optimizer *o);
/** f at the current point. */
QH_API double qh_optimizer_f(const qh_optimizer *o);
/** The gradient at the current point, or NULL for gradient-free types. */
QH_API const double *qh_optimizer_gradient(const qh_optimizer *o);
/** |gradient| (simplex size for Nelder-Mead, NAN for SPSA). */
QH_API double qh_optimizer_grad_norm(const qh_optimizer *o);
QH_API size_t qh_optimizer_iterations(const qh_optimizer *o);
/** Evaluations of fdf so far (replayed ones included). */
QH_API size_t qh_optimizer_evaluations(const qh_optimizer *o);
/** The reason of the last qh_optimizer_run() (QH_STOP_NONE before). */
QH_API int qh_optimizer_stop_reason(const qh_optimizer *o);

/**
 * Checkpoints.  qh_optimizer_save() writes everything the optimizer needs
 * to continue as doubles (exactly representable): the current point, the
 * iteration and evaluation counts, the stopping rules' memory and the
 * type's own state.  GSL's minimizers keep private state, so for them the
 * checkpoint holds the values of every evaluation so far and resuming
 * replays them through a fresh minimizer, reaching the same state bit for
 * bit without evaluating the function again.
 * *len gets the size needed; with @p buf NULL or @p cap too small nothing
 * is written (QS_ERANGE when buf was given).
 */
QH_API qs_status qh_optimizer_save(const qh_optimizer *o, double *buf,
                                   size_t cap, size_t *len);
/**
 * Continues from a checkpoint instead of qh_optimizer_set(): the options
 * and stopping rules must be set as for the saved run, and @p fdf must be
 * the same function; the run then ends exactly as the uninterrupted one.
 * @retval QS_EINVAL the checkpoint is not one of this type and size, or a
 *         replayed evaluation does not match (another function or x0).
 */
QH_API qs_status qh_optimizer_resume(qh_optimizer *o, qh_fdf fdf, void *ctx,
                                     const double *buf, size_t len);

/* ------------------------------------------------------------------ */
/* VQE: ansatz circuits and molecular Hamiltonians                     */
/* ------------------------------------------------------------------ */

/**
 * Hardware-efficient ansatz on @p num_qubits qubits: @p layers times
 * (ry, rz on every qubit, then a chain of cx q -> q+1), then a final ry, rz
 * layer: 2 n (layers + 1) parameters named ry<l>_<q>, rz<l>_<q>.
 */
QH_API qs_status qh_ansatz_hea(int num_qubits, int layers, qs_circuit **out);
/**
 * Unitary coupled cluster with singles and doubles from the Hartree-Fock
 * state |hf_index> (x gates on its occupied qubits), for spin orbitals in
 * the interleaved order of the data files (qubit 2k spin up, 2k+1 spin
 * down) under Jordan-Wigner: one parameter per spin-conserving excitation
 * (doubles first, then singles), each excitation exp(t (T - T^dagger))
 * built from its commuting multi-qubit Pauli rotations (2 for a single, 8
 * for a double), so the circuit conserves the particle number and S_z.
 * @retval QS_EINVAL hf_index has no occupied or no virtual orbital.
 */
QH_API qs_status qh_ansatz_uccsd(int num_qubits, uint64_t hf_index,
                                 qs_circuit **out);
/**
 * The electron counts and Hartree-Fock state of a molecular Hamiltonian
 * from its file header: n_electrons, n_alpha, n_beta, hf_state_index
 * (defaults: n_alpha = ceil(n/2), n_beta = floor(n/2), and the lowest
 * orbitals of each spin occupied).
 * @retval QS_EINVAL no n_electrons in the header.
 */
QH_API qs_status qh_molecule_info(const qs_pauli_sum *h, int *n_alpha,
                                  int *n_beta, uint64_t *hf_index);
/**
 * The exact ground energy with n_alpha spin-up and n_beta spin-down
 * electrons (qs_pauli_sum_eigensolve_sector()): the reference for a
 * particle-conserving ansatz such as qh_ansatz_uccsd().
 */
QH_API qs_status qh_sector_ground_energy(const qs_pauli_sum *h, int n_alpha,
                                         int n_beta, double *energy);

/* ------------------------------------------------------------------ */
/* MaxCut and QAOA                                                     */
/* ------------------------------------------------------------------ */

/** An undirected graph with weighted edges (nodes 0..n-1). */
typedef struct qh_graph qh_graph;

/** An edgeless graph of @p num_nodes nodes (1..QS_MAX_QUBITS). */
QH_API qs_status qh_graph_create(int num_nodes, qh_graph **out);
/** Adds edge (u, v) of weight w. @retval QS_EINVAL u == v or out of range. */
QH_API qs_status qh_graph_add_edge(qh_graph *g, int u, int v, double w);
/**
 * Reads the graph format of the data files: "# key: value" header lines
 * (nodes, maxcut_value, ...), then one edge per line "u v" or "u v w".
 * @retval QS_EIO    the file cannot be read.
 * @retval QS_EPARSE a malformed line: "path:line:col: what was expected".
 */
QH_API qs_status qh_graph_read(const char *path, qh_graph **out);
QH_API void qh_graph_destroy(qh_graph *g);
QH_API int qh_graph_num_nodes(const qh_graph *g);
QH_API size_t qh_graph_num_edges(const qh_graph *g);
/** A header value ("maxcut_value") or NULL; owned by the graph. */
QH_API const char *qh_graph_header(const qh_graph *g, const char *key);
/**
 * The cut value of every assignment: values[b] = sum of w_uv over the
 * edges with bits u and v of b different (2^n values), which is the
 * eigenvalue of C = sum w_uv (1 - Z_u Z_v)/2 on |b>.
 */
QH_API qs_status qh_maxcut_values(const qh_graph *g, double *values);
/**
 * The QAOA circuit |g,b> = prod_l exp(-i b_l sum_j X_j) exp(-i g_l C) |+>^n
 * for the cost C = diag(cost) (2^n values): each cost layer is one
 * diagonal step, each mixer an rx(2 b_l) on every qubit.  Parameters in
 * the order gamma1, beta1, gamma2, beta2, ... (the data files' (g, b)).
 */
QH_API qs_status qh_qaoa_circuit(int num_qubits, const double *cost,
                                 int layers, qs_circuit **out);

/**
 * The best point of a grid for a one-layer QAOA objective (two parameters
 * gamma, beta): gamma at @p n_gamma points of [0, gamma_max), beta at
 * @p n_beta points of [0, pi/2), all evaluated as one batch
 * (qh_objective_values()).  With the objective -<C>, the lowest value is
 * the largest expected cut.  best[0..1] gets (gamma, beta).
 */
QH_API qs_status qh_qaoa_grid_search(qh_objective *o, int n_gamma, int n_beta,
                                     double gamma_max, double *best,
                                     double *value);
/**
 * INTERP (Zhou et al. 2020): a starting point for p + 1 layers from
 * optimal parameters of p layers (both interleaved gamma1, beta1, ...):
 * each schedule is linearly interpolated onto p + 1 points.
 */
QH_API qs_status qh_qaoa_interp(int p, const double *params,
                                double *params_next);

/* ------------------------------------------------------------------ */
/* Data sets, variational classifiers and quantum kernels              */
/* ------------------------------------------------------------------ */

/** Rows of real features with an integer class label each. */
typedef struct qh_dataset qh_dataset;
/**
 * Reads a CSV file: a header line, then rows of numbers; the last column
 * is the label (an integer >= 0), the others are features.
 * @retval QS_EIO / QS_EPARSE as qh_graph_read().
 */
QH_API qs_status qh_dataset_read_csv(const char *path, qh_dataset **out);
QH_API void qh_dataset_destroy(qh_dataset *d);
QH_API size_t qh_dataset_num_rows(const qh_dataset *d);
QH_API int qh_dataset_num_features(const qh_dataset *d);
/** 1 + the largest label. */
QH_API int qh_dataset_num_classes(const qh_dataset *d);
/** The features, row-major (rows x features); owned by the data set. */
QH_API const double *qh_dataset_features(const qh_dataset *d);
QH_API const int *qh_dataset_labels(const qh_dataset *d);

/**
 * A variational classifier: features standardised with the training set's
 * mean and deviation, encoded as rotation angles w x + b with trainable w,
 * b and re-uploaded in every layer (feature j on qubit j mod q, ry and rz
 * in turn), trainable ry, rz on every qubit and a ring of cz after each
 * layer; class scores s_c <Z_c> + t_c (trainable s, t) from the Pauli-Z
 * expectation of qubit c, and softmax cross-entropy.
 */
typedef struct qh_classifier qh_classifier;

/**
 * @param num_qubits 0 for max(classes, min(features, 8)).
 * @retval QS_EINVAL fewer than 2 classes, or more classes than qubits.
 * @retval QS_ETOOBIG more than 20 qubits, more than QS_MAX_PARAMS parameters,
 *                    or not enough memory ("need X GiB, have Y GiB"; checked
 *                    before allocating).
 */
QH_API qs_status qh_classifier_create(int num_features, int num_classes,
                                      int num_qubits, int layers,
                                      qh_classifier **out);
QH_API void qh_classifier_destroy(qh_classifier *m);
QH_API int qh_classifier_num_params(const qh_classifier *m);
QH_API int qh_classifier_num_qubits(const qh_classifier *m);
QH_API int qh_classifier_num_features(const qh_classifier *m);
QH_API int qh_classifier_num_classes(const qh_classifier *m);
/** Threads for batches (0: qs_get_num_threads()); results do not depend on it. */
QH_API qs_status qh_classifier_set_threads(qh_classifier *m, int num_threads);
/**
 * Simulates the classifier under @p noise (NULL: noiseless again): each
 * row's state is the density matrix of the circuit with the model's errors
 * attached (after its ry, rz and cz gates), <Z_c> = Tr(rho Z_c), and
 * gradients come from parameter shifts on rho.  The model is not kept and
 * model files do not record it.
 * @retval QS_ETOOBIG the density matrix cannot be held.
 */
QH_API qs_status qh_classifier_set_noise(qh_classifier *m,
                                         const qs_noise_model *noise);
/** 1 after qh_classifier_set_noise() with a model. */
QH_API int qh_classifier_is_noisy(const qh_classifier *m);
/**
 * Estimates every <Z_c> from @p shots samples of the row's state (0:
 * exact), drawn from a generator seeded by @p seed and the state's
 * amplitudes (reproducible for any thread count); gradients become
 * parameter shifts of such estimates.
 */
QH_API qs_status qh_classifier_set_shots(qh_classifier *m, size_t shots,
                                         uint64_t seed);
/** Standardisation from the training rows X (n x features). */
QH_API qs_status qh_classifier_fit_scaling(qh_classifier *m, size_t n,
                                           const double *X);
/** Initial parameters (seeded): w = 1, small random rotations, s = 1. */
QH_API qs_status qh_classifier_init_params(const qh_classifier *m,
                                           uint64_t seed, double *params);
/** The parameters predictions use (copied in and out). */
QH_API qs_status qh_classifier_set_params(qh_classifier *m,
                                          const double *params);
QH_API qs_status qh_classifier_get_params(const qh_classifier *m,
                                          double *params);
/**
 * The mean cross-entropy over rows X (n x features) with labels y, and
 * when @p grad is not NULL its gradient (adjoint differentiation of one
 * weighted observable per row; parameter shifts under noise or shots),
 * rows in parallel.
 */
QH_API qs_status qh_classifier_loss(qh_classifier *m, const double *params,
                                    size_t n, const double *X, const int *y,
                                    double *loss, double *grad);
/** Predicted classes (and, if @p probs is not NULL, n x classes
 * probabilities) with the current parameters. */
QH_API qs_status qh_classifier_predict(qh_classifier *m, size_t n,
                                       const double *X, int *labels,
                                       double *probs);
/** Fraction of rows predicted right. */
QH_API qs_status qh_classifier_accuracy(qh_classifier *m, size_t n,
                                        const double *X, const int *y,
                                        double *accuracy);
/** Writes the model (sizes, scaling, parameters; text, exact). */
QH_API qs_status qh_classifier_save(const qh_classifier *m, const char *path);
/** Reads a model written by qh_classifier_save(). */
QH_API qs_status qh_classifier_load(const char *path, qh_classifier **out);

/**
 * Minibatches for training: each call of qh_minibatch_fdf() returns the
 * loss and gradient on the next minibatch of @p batch_size rows; the rows
 * are reshuffled every epoch from @p seed and the epoch number, so the
 * sequence depends on nothing but the step count.
 */
typedef struct qh_minibatch qh_minibatch;
/** Copies the rows.  The classifier must outlive the minibatch. */
QH_API qs_status qh_minibatch_create(qh_classifier *m, size_t n,
                                     const double *X, const int *y,
                                     size_t batch_size, uint64_t seed,
                                     qh_minibatch **out);
QH_API void qh_minibatch_destroy(qh_minibatch *b);
/** A qh_fdf over minibatches (ctx is the qh_minibatch). */
QH_API qs_status qh_minibatch_fdf(void *minibatch, const double *x,
                                  double *f, double *grad);
/** Calls of qh_minibatch_fdf() so far (for checkpoints). */
QH_API uint64_t qh_minibatch_step(const qh_minibatch *b);
QH_API qs_status qh_minibatch_set_step(qh_minibatch *b, uint64_t step);

/** Feature maps of quantum kernels. */
enum {
    QH_MAP_ANGLE = 0,  /**< prod_j ry(z_j) |0>: one qubit per feature */
    QH_MAP_ZZ = 1      /**< Havlicek et al.: (U_Z(z) H^n)^2, pairs (pi-z_i)(pi-z_j) */
};
/** "angle" or "zz". @retval QS_EINVAL unknown. */
QH_API qs_status qh_feature_map_lookup(const char *name, int *map);
/**
 * Min-max scaling to [lo, hi] with the column minima and maxima of the
 * @p n_fit rows Xfit, applied to the @p n rows of X into out (features
 * columns).  Constant columns map to lo.
 */
QH_API qs_status qh_minmax_scale(size_t n_fit, int features,
                                 const double *Xfit, double lo, double hi,
                                 size_t n, const double *X, double *out);
/**
 * The kernel K[i][j] = |<phi(a_i)|phi(b_j)>|^2 (na x nb, row-major) of the
 * rows of A and B (already scaled to angles), states computed once per row
 * and in parallel.
 * @retval QS_ETOOBIG more than 20 features (qubits).
 */
QH_API qs_status qh_kernel_matrix(int map, int features, size_t na,
                                  const double *A, size_t nb,
                                  const double *B, double *K);
/**
 * The kernel under @p noise: K[i][j] = Tr(rho(a_i) rho(b_j)), the
 * Hilbert-Schmidt inner product of the feature map's density matrices with
 * the model's errors attached (|<phi|phi'>|^2 when no error acts;
 * K[i][i] is the purity, below 1 under noise).  At most 10 features.
 */
QH_API qs_status qh_kernel_matrix_noisy(int map, int features, size_t na,
                                        const double *A, size_t nb,
                                        const double *B,
                                        const qs_noise_model *noise,
                                        double *K);

#ifdef __cplusplus
}
#endif

#endif /* QSIM_HYBRID_H */
