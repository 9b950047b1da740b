/* SPDX-License-Identifier: MIT */
/*
 * The time-travel calendar: kite-sim as the external scheduler of a User-Mode Linux started with
 * `time-travel=ext:PATH` (include/uapi/linux/um_timetravel.h, arch/um/kernel/time.c). The guest
 * runs only when the calendar says RUN, at the time the calendar gives; everything else (its
 * timers, jiffies, timeouts) follows. The calendar's time is the controller's simulated bus time,
 * so Linux's clocks run on the USB clock. See docs/cosim.md, "Simulated time".
 *
 * The guest's CPU work takes no simulated time: it never gets FREE_UNTIL, so every step of its
 * clock (a timer, a udelay, the 256 ns each clock read costs in time-travel mode) is a REQUEST
 * and a WAIT that the calendar answers after the hardware caught up.
 */
#ifndef KITE_BRIDGE_CALENDAR_H
#define KITE_BRIDGE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* include/uapi/linux/um_timetravel.h */
enum cal_op {
	CAL_ACK = 0,
	CAL_START = 1,
	CAL_REQUEST = 2,
	CAL_WAIT = 3,
	CAL_GET = 4,
	CAL_UPDATE = 5,
	CAL_RUN = 6,
	CAL_FREE_UNTIL = 7,
	CAL_GET_TOD = 8,
};

struct cal_msg {
	uint32_t op;
	uint32_t seq;
	uint64_t time;
};

struct cal_stats {
	uint64_t messages, runs, waits, requests, gets, updates;
};

struct calendar {
	int listen_fd, fd;
	uint64_t now;          /* ns since the guest connected: what the guest's clock reads */
	uint64_t req;          /* the guest's latest REQUEST (UINT64_MAX: none) */
	bool waiting;          /* the guest sent WAIT and was not given RUN yet */
	bool started;          /* START received */
	uint64_t tod_base;     /* GET_TOD answers tod_base + now (ns since the epoch) */
	uint32_t seq;
	/* The guest reported (UPDATE) a time past `now`: bring the hardware there first. */
	void (*on_update)(void *arg, uint64_t t);
	void *arg;
	struct cal_stats st;
};

void cal_init(struct calendar *c);
/* Listen on PATH (a stale socket is replaced). 0, or -1 (logged). */
int cal_listen(struct calendar *c, const char *path);
/* Accept the guest's connection (listen_fd is readable). 0, or -1 (logged). */
int cal_accept(struct calendar *c);
/* Read and handle one message from the guest. 0, 1 when the guest closed the socket, -1 on a
 * protocol error (logged). */
int cal_serve(struct calendar *c);
/* Let the waiting guest run at time t (>= now; becomes now). 0, or -1 (logged). */
int cal_run(struct calendar *c, uint64_t t);
void cal_close(struct calendar *c);

#endif
