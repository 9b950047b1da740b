/* SPDX-License-Identifier: MIT */
/* kite-sim logging: every message goes to stderr prefixed with "kite-sim: ". */
#ifndef KITE_BRIDGE_LOG_H
#define KITE_BRIDGE_LOG_H

#include <stdint.h>

void kb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Number of lines logged so far and the last one (for the unit tests). */
extern uint64_t kb_log_count;
extern char kb_log_last[256];
/* When set, kb_log() does not write to stderr (the tests check kb_log_last instead). */
extern int kb_log_quiet;

/* Rate limiter: at most `burst` messages, then one per `every` events. */
struct kb_ratelimit {
	uint64_t events;
	unsigned int burst;
	unsigned int every;
};
int kb_ratelimit_ok(struct kb_ratelimit *rl);

#endif
