// SPDX-License-Identifier: MIT
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint64_t kb_log_count;
char kb_log_last[256];
int kb_log_quiet;

void kb_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kb_log_last, sizeof(kb_log_last), fmt, ap);
	va_end(ap);
	kb_log_count++;
	if (!kb_log_quiet)
		fprintf(stderr, "kite-sim: %s\n", kb_log_last);
}

int kb_ratelimit_ok(struct kb_ratelimit *rl)
{
	uint64_t n = rl->events++;

	if (n < rl->burst)
		return 1;
	return rl->every && ((n - rl->burst) % rl->every) == 0;
}
