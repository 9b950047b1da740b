// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB 2.0 host controller: tracepoint definitions (kite_trace.h).
 */

#define CREATE_TRACE_POINTS
#include "kite_trace.h"
