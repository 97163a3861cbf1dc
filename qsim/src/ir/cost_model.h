/*
 * cost_model.h - the fusion cost rows in use (cost_model.c) and what the
 * calibration (api/calibrate.c) shares with it.
 */
#ifndef QS_IR_COST_MODEL_H
#define QS_IR_COST_MODEL_H

#include "ir/fuse_cost.h"
#include <qsim/qsim.h>
#include <stddef.h>

/* The row of the current backend, by the rules in cost_model.c, copied
 * into *out (a reload cannot change it under a compile).  Fails only on a
 * bad QSIM_COST_MODEL file; *out is then the shipped row. */
qs_status qs__cost_row_get(const char *func, qs__cost_row *out);
/* Makes the next qs__cost_row_get read its file again. */
void qs__cost_model_forget(void);
/* The default cache file's path into buf; -1 without HOME/XDG_CACHE_HOME. */
int qs__cost_cache_path(char *buf, size_t size);
/* This machine's CPU model name ("unknown" if /proc says none). */
void qs__cpu_model(char *buf, size_t size);

#endif
