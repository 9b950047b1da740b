// SPDX-License-Identifier: MIT
#include "simtime.h"

#include <time.h>

#include "kite_model.h"

uint64_t simtime_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void simtime_init(struct simtime *t)
{
	t->batch = 64;
	t->spin_ns = 2000000;        /* 2 ms */
	t->irq_resend_ns = 10000000; /* 10 ms */
	t->idle_poll_ms = 10;
	t->start_ns = simtime_now_ns();
	t->last_activity_ns = t->start_ns;
	t->cycles = 0;
}

void simtime_activity(struct simtime *t)
{
	t->last_activity_ns = simtime_now_ns();
}

bool simtime_should_spin(const struct simtime *t, bool model_busy)
{
	if (model_busy)
		return true;
	return simtime_now_ns() - t->last_activity_ns < t->spin_ns;
}

void simtime_advance(struct simtime *t, struct kite_model *m)
{
	kite_model_tick(m, t->batch);
	t->cycles += t->batch;
}

int simtime_idle_timeout_ms(const struct simtime *t)
{
	return (int)t->idle_poll_ms;
}

double simtime_wall_s(const struct simtime *t)
{
	return (double)(simtime_now_ns() - t->start_ns) / 1e9;
}
