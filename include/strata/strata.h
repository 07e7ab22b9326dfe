/*
 * strata/strata.h -- everything.  Include this, or the headers you use.
 * Call apr_initialize() (or apr_app_initialize()) before any strata call.
 */
#ifndef STRATA_H
#define STRATA_H

#include "strata/base.h"
#include "strata/stream.h"
#include "strata/meter.h"
#include "strata/file.h"
#include "strata/memory.h"
#include "strata/buffered.h"
#include "strata/pipe.h"
#include "strata/compress.h"
#include "strata/net.h"
#include "strata/tcp_server.h"
#include "strata/fault.h"
#include "strata/executor.h"
#include "strata/async.h"

#endif /* STRATA_H */
