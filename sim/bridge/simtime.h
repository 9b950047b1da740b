/* SPDX-License-Identifier: MIT */
/*
 * Everything about time in kite-sim: wall clock, how far the model is ticked per loop
 * iteration, and the idle/busy decision, for the free-running mode. The time-travel mode
 * (kite-sim --time-travel) keeps time in calendar.[ch] and run_time_travel() in main.c.
 */
#ifndef KITE_BRIDGE_SIMTIME_H
#define KITE_BRIDGE_SIMTIME_H

#include <stdbool.h>
#include <stdint.h>

struct kite_model;

struct simtime {
	unsigned int batch;      /* cycles ticked per busy loop iteration */
	uint64_t spin_ns;        /* keep polling this long after the last activity */
	uint64_t irq_resend_ns;  /* level irq still high and nothing happened: re-send */
	uint64_t idle_poll_ms;   /* poll() timeout when idle */
	uint64_t start_ns;
	uint64_t last_activity_ns;
	uint64_t cycles;         /* cycles ticked by the loop (reg accesses tick inside the model) */
};

uint64_t simtime_now_ns(void);
void simtime_init(struct simtime *t);
/* Note guest activity (a virtqueue request): keeps the loop spinning for spin_ns. */
void simtime_activity(struct simtime *t);
/* Should the loop spin (tick + poll rings) rather than sleep in poll()? */
bool simtime_should_spin(const struct simtime *t, bool model_busy);
/* Advance the model by one batch. */
void simtime_advance(struct simtime *t, struct kite_model *m);
/* poll() timeout in ms when idle. */
int simtime_idle_timeout_ms(const struct simtime *t);
double simtime_wall_s(const struct simtime *t);

#endif
