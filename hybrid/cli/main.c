/*
 * main.c - `qsim`: dispatches to one subcommand per file (cmd_*.c).
 */
#include "config.h"
#include "cli.h"
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One row per subcommand; the table ends with a NULL name. */
static const cli_cmd commands[] = {
    {"run", cli_cmd_run, "simulate an OpenQASM program: state vector, probabilities, shots, <H>"},
    {"vqe", cmd_vqe, "variational eigensolver: ground energy of a Pauli-sum Hamiltonian"},
    {"qaoa", cmd_qaoa, "QAOA for weighted MaxCut on a graph file"},
    {"train", cmd_train, "train a variational quantum classifier on CSV data"},
    {"predict", cmd_predict, "classify CSV rows with a model saved by train"},
    {"kernel", cmd_kernel, "quantum-kernel matrix of CSV rows"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: qsim <command> [options]   (qsim <command> --help for details)\n\n"
               "commands:\n");
    for (size_t i = 0; commands[i].name; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nother options:\n"
               "  --version      print the version of qsim and of libqsim\n"
               "  --list-gates   list the gates with their qubit and parameter counts\n"
               "  --backends     the backends compiled in, which run on this CPU, the default\n"
               "  --calibrate [FILE]  measure the fusion cost model on this CPU (about a second\n"
               "                 per backend) into FILE, else into the cache that programs use\n"
               "  --help         this text\n"
               "\nevery command also takes --distributed (or QSIM_DISTRIBUTED=1 in the\n"
               "environment): one state vector spread over the ranks of mpirun.  Without it,\n"
               "`mpirun -np P qsim vqe|qaoa|train|predict|kernel ...` shares the items (parameter\n"
               "vectors, shift evaluations, data rows, grid points) out to the ranks and gives\n"
               "the result of one process; rank 0 prints and writes the files.\n");
}

static int list_gates(void)
{
    printf("%-8s %6s %8s %6s\n", "gate", "qubits", "controls", "params");
    for (int g = 0; g < QS_NUM_GATES; g++)
        printf("%-8s %6d %8d %6d\n", qs_gate_name((qs_gate)g), qs_gate_num_qubits((qs_gate)g),
               qs_gate_num_controls((qs_gate)g), qs_gate_num_params((qs_gate)g));
    return CLI_OK;
}

/* --calibrate [FILE]: measures, writes, then shows the rows and where. */
static int calibrate(const char *path)
{
    if (qs_cost_model_calibrate(path) != QS_OK) {
        fprintf(stderr, "qsim: error: --calibrate: %s\n", cli_lib_error());
        return CLI_EUSER;
    }
    const char *env = getenv("QSIM_COST_MODEL");
    if (!path && env && *env) {
        printf("# written to the cache file; QSIM_COST_MODEL=%s overrides it here\n", env);
        return CLI_OK;
    }
    const char *where = path ? path : qs_cost_model_source();
    char *text = NULL;
    size_t len = 0;
    if (qs_file_read(where, 1 << 16, &text, &len) == QS_OK)
        fwrite(text, 1, len, stdout);
    qs_free(text);
    printf("# written to %s%s\n", where,
           path ? " (use it with QSIM_COST_MODEL=FILE)" : ": programs compiled on this CPU use it");
    return CLI_OK;
}

/* A report lost on a full disk or a closed pipe is a failure, not exit 0. */
static int finish(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : EIO;
        fprintf(stderr, "qsim: error: cannot write the standard output: %s\n", strerror(e));
        return rc == CLI_OK ? CLI_EUSER : rc;
    }
    return rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EUSAGE;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        usage(stdout);
        return finish(CLI_OK);
    }
    if (!strcmp(c, "--version")) {
        printf("qsim %s (libqsim %s, backend %s)\n", PACKAGE_VERSION, qs_version(),
               qs_backend_default());
        return CLI_OK;
    }
    if (!strcmp(c, "--backends")) {
        /* for scripts: "name available|unavailable [default]" per line */
        for (int i = 0; qs_backend_name(i); i++)
            printf("%s %s%s\n", qs_backend_name(i),
                   qs_backend_available(i) ? "available" : "unavailable",
                   strcmp(qs_backend_name(i), qs_backend_default()) ? "" : " default");
        return finish(CLI_OK);
    }
    if (!strcmp(c, "--calibrate"))
        return finish(calibrate(argc > 2 ? argv[2] : NULL));
    if (!strcmp(c, "--list-gates"))
        return finish(list_gates());
    for (size_t i = 0; commands[i].name; i++)
        if (!strcmp(c, commands[i].name)) {
            int n = argc - 1, rc = cli_distributed(&n, argv + 1);
            return finish(rc != CLI_OK ? rc : commands[i].run(n, argv + 1));
        }
    fprintf(stderr, "qsim: error: unknown command '%s'\n", c);
    usage(stderr);
    return CLI_EUSAGE;
}

int main(int argc, char **argv)
{
    int rc = cli_ranks_begin(&argc, &argv);
    return cli_ranks_end(rc != CLI_OK ? rc : dispatch(argc, argv));
}
