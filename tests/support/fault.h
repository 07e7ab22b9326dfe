/*
 * fault.h -- kept for tests written before the fault-injection stream
 * became public: it is now strata/fault.h, in the library.
 */
#ifndef STRATA_TEST_FAULT_H
#define STRATA_TEST_FAULT_H
#include "strata/fault.h"
#endif
