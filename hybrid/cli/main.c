/*
 * main.c - `qsim`: dispatches to one subcommand per file (cmd_*.c).
 */
#include "config.h"
#include "cli.h"
#include "run.h"

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

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EUSAGE;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(c, "--version")) {
        printf("qsim %s (libqsim %s, backend %s)\n", PACKAGE_VERSION, qs_version(),
               qs_backend_default());
        return CLI_OK;
    }
    if (!strcmp(c, "--list-gates"))
        return list_gates();
    for (size_t i = 0; commands[i].name; i++)
        if (!strcmp(c, commands[i].name)) {
            int n = argc - 1, rc = cli_distributed(&n, argv + 1);
            return rc != CLI_OK ? rc : commands[i].run(n, argv + 1);
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
