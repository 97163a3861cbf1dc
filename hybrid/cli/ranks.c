/*
 * ranks.c - `qsim` under mpirun: every rank runs the command (the hybrid
 * layer deals the work out and gives every rank every result), rank 0
 * alone prints and writes files, and the ranks agree on failure before they
 * exit, so an error on any rank ends all of them, shown once, by rank 0.
 *
 * A rank that fails goes to cli_ranks_end(), whose agreement meets the
 * next agreement of the others (the hybrid layer agrees before each of its
 * collectives); they then fail in that call and come here too, without
 * communicating again.  A killed rank is mpirun's to handle: it ends the
 * job.
 */
#include "cli.h"

#include <qsim/hybrid.h>
#include <stdlib.h>
#include <string.h>

int cli_ranks_begin(int *argc, char ***argv)
{
    if (qh_comm_init(argc, argv) != QS_OK) {
        fprintf(stderr, "qsim: error: %s\n", qs_last_error());
        return CLI_EINTERNAL;
    }
    if (qh_comm_rank() != 0) {
        /* what rank 0 prints is the output; the others' copies go nowhere */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return CLI_EINTERNAL;
    }
    return CLI_OK;
}

int cli_ranks_end(int rc)
{
    if (qh_comm_size() > 1 && !qh_comm_failed()) {
        const char *msg = rc == CLI_OK ? NULL : cli_last_message();
        char fallback[64];
        if (rc != CLI_OK && !*msg) {
            snprintf(fallback, sizeof fallback, "qsim: error: exit status %d", rc);
            msg = fallback;
        }
        qs_status st = qh_comm_agree(rc == CLI_OK ? QS_OK : QS_EINVAL, msg);
        if (st != QS_OK && rc == CLI_OK) {
            /* another rank failed: rank 0 shows its message */
            rc = cli_status_code(st);
            if (qh_comm_rank() == 0)
                fprintf(stderr, "%s\n", qs_last_error());
        }
    }
    fflush(stdout);
    qh_comm_finalize();
    return rc;
}

int cli_distributed(int *argc, char **argv)
{
    int want = 0, n = 0;
    for (int i = 0; i < *argc; i++) {
        if (i > 0 && !strcmp(argv[i], "--distributed"))
            want = 1;
        else
            argv[n++] = argv[i];
    }
    argv[n] = NULL;
    *argc = n;
    const char *env = getenv("QSIM_DISTRIBUTED");
    if (!want && !(env && strcmp(env, "") && strcmp(env, "0")))
        return CLI_OK;
    /* The flag and the variable are one switch, which the core reads. */
    setenv("QSIM_DISTRIBUTED", "1", 1);
    return cli_fail(CLI_EUSAGE, argv[0], "--distributed (or QSIM_DISTRIBUTED=1): this qsim has no "
                    "distributed state vector yet (issue 11, part 2); run without it, and under "
                    "mpirun the ranks share out the hybrid commands' work instead");
}
