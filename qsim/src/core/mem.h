/*
 * mem.h - aligned allocation of amplitude arrays and the "will it fit?"
 * check made before every large allocation (internal).
 */
#ifndef QS_CORE_MEM_H
#define QS_CORE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

/* Bytes the process can still take: the least of MemAvailable, the cgroup
 * limit minus its usage, and QSIM_MEMORY_LIMIT (bytes, or with a K/M/G/T
 * suffix) when set.  UINT64_MAX when nothing is known. */
uint64_t qs__mem_available(void);

/* QS_OK, or QS_ETOOBIG with "need X GiB, have Y GiB" set for func. */
qs_status qs__mem_check(const char *func, uint64_t bytes);
/* The same for one of nranks processes that each need `bytes` (their
 * slice of a distributed state and its exchange buffer): the message says
 * "need X GiB per rank with P ranks, have Y GiB".  Each rank checks its
 * own memory; nranks = 1 is qs__mem_check. */
qs_status qs__mem_check_ranks(const char *func, uint64_t bytes, int nranks);

/* 64-byte aligned memory; blocks of 2 MiB or more are 2 MiB aligned and
 * advised into transparent huge pages.  NULL on failure.  Not zeroed. */
void *qs__alloc_aligned(size_t bytes);
void qs__free_aligned(void *p);

#endif
