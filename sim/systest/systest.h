/* SPDX-License-Identifier: MIT */
/*
 * systest: a small host controller driver in C for the system tests of the kite controller.
 *
 * It programs the Verilated controller (kite_model.h) through its registers exactly as the
 * programming model (docs/programming-model.md) says, with the generated header
 * driver/kite_regs.h, against a memory model and the USB device models of sim/usbdev/. The
 * memory model checks DMA containment: any write by the controller outside the rings and
 * buffers a test handed it fails the test.
 */
#ifndef SYSTEST_H
#define SYSTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kite_fixture.h"
#include "kite_model.h"
#include "kite_regs.h"
#include "kite_test.h"
#include "usbdev.h"

#define ST_MAX_PORTS 4

/* Guest memory: two windows, one below 4 GiB and one above, to exercise 64-bit addresses. */
#define ST_MEM_LO_BASE 0x10000000ull
#define ST_MEM_HI_BASE 0x1200000000ull
#define ST_MEM_SIZE (8u << 20)

struct st {
	struct kite_model *m;
	enum kite_attach attach;
	/* guest memory: window 0 below 4 GiB, window 1 above; DMA containment */
	struct kf_mem mem;
	struct kf_evt_ring evt;            /* event ring (consumer side) */

	struct usbdev_port *port[ST_MAX_PORTS];
	unsigned int num_ctx, num_ports;
	unsigned int addr_width;     /* CAP.ADDR_WIDTH: 32 keeps every buffer below 4 GiB */
	char why[256];               /* reason of the last failure of an st_* helper */
};

/* Create the model (attachment kind, memory latency in cycles) and the memory model. */
int st_init(struct st *t, enum kite_attach attach, unsigned int mem_latency);
void st_fini(struct st *t);

/* Memory: allocate `size` bytes aligned to `align` in the low (or high) window. DMA writes are
 * allowed into it when `device_writes`. Returns the bus address. */
uint64_t st_alloc(struct st *t, size_t size, size_t align, bool high, bool device_writes);
void *st_ptr(struct st *t, uint64_t addr);
void st_fault_range(struct st *t, uint64_t lo, uint64_t hi, bool on_read, bool on_write);
void st_fault_clear(struct st *t);

uint32_t st_rd(struct st *t, uint32_t reg);
void st_wr(struct st *t, uint32_t reg, uint32_t val);

/* Run the clocks for `cycles` bus cycles. */
void st_tick(struct st *t, unsigned int cycles);
uint64_t st_usb_cycles(struct st *t);

/* Controller: event ring of n entries, interrupts enabled, RUN = 1. */
int st_start(struct st *t, unsigned int evt_entries);

/* Wait (at most max_cycles bus cycles) for the next event; consumes it and moves EVT_DEQ. */
int st_next_event(struct st *t, struct kf_evt *e, uint64_t max_cycles);

/* Port: attach a device on `port` through the test's attachment kind. */
int st_plug(struct st *t, unsigned int port, struct usbdev *dev);
void st_unplug(struct st *t, unsigned int port);
/* Power, wait for connect, reset, wait for enabled; consumes the port events. */
int st_port_enable(struct st *t, unsigned int port);

/* Transfer rings. */
int st_ring_init(struct st *t, struct kf_ring *r, unsigned int n, bool high);
/* Append a TRB; the LINK at the end is handled. Returns the TRB's bus address. */
uint64_t st_ring_put(struct st *t, struct kf_ring *r, uint64_t ptr, uint32_t len, uint32_t dw3);

/* Context: program an endpoint and point it at ring r. ep_type is KITE_CTX_CFG0_TYPE_*. */
int st_ctx_setup(struct st *t, unsigned int ctx, unsigned int dev_addr, unsigned int ep,
		 bool dir_in, unsigned int ep_type, bool ls, unsigned int mps, unsigned int port,
		 unsigned int interval, struct kf_ring *r);
void st_doorbell(struct st *t, unsigned int ctx);
unsigned int st_ctx_state(struct st *t, unsigned int ctx);
/* Issue a command, wait for its COMMAND event; returns its completion code (or -1). */
int st_command(struct st *t, unsigned int op, unsigned int ctx, uint64_t arg);

/*
 * Control transfer on control context `ctx` (ring r): setup packet, data stage into/out of
 * the buffer at bus address `buf` (len bytes). Waits for the TD's event. Returns the
 * completion code; *actual gets the bytes transferred.
 */
int st_control(struct st *t, unsigned int ctx, struct kf_ring *r, const uint8_t setup[8],
	       uint64_t buf, unsigned int len, unsigned int *actual);

/* Enumerate the device on `port`: address `addr`, configuration `config`; ctx 0 is its EP0. */
int st_enumerate(struct st *t, unsigned int port, struct kf_ring *ep0, unsigned int addr,
		 unsigned int config, bool ls, unsigned int mps0);

/* Queue a bulk/interrupt TD made of `nseg` segments (addresses and lengths), IOC on the last. */
uint64_t st_queue_td(struct st *t, struct kf_ring *r, const uint64_t *addr, const uint32_t *len,
		     unsigned int nseg, uint32_t extra_dw3);

/* Wait for a transfer event of context ctx (other events are an error). */
int st_wait_xfer(struct st *t, unsigned int ctx, struct kf_evt *e, uint64_t max_cycles);

/*
 * Checks, on kite_test.h: st_fail() fails the test `name` (starting it if it is not the
 * current one), st_pass() ends it (PASS unless it failed). st_failures counts the failed tests.
 */
#define st_failures (kt_failures() + kt_failed())
void st_pass(const char *name);
void st_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail `name` if the controller wrote outside the allowed regions; true when clean. */
bool st_contained(struct st *t, const char *name);

/* The fast-forward's system tests (systest_ff.c): PASS/FAIL lines named `name`. */
void st_test_fast_forward_exact(const char *name, const char *name_ls, enum kite_attach attach,
				unsigned int latency);
void st_test_fast_forward_busy(const char *name, enum kite_attach attach, unsigned int latency);

#define ST_BUS_HZ 96000000ull        /* the bus clock the model runs at by default (2 per usb_clk) */
/*
 * usb_clk cycles per bus clock cycle for the next st_init() (kite_model_config.usb_per_bus;
 * 0 or 1: the default 96 MHz bus clock). st_init() sets st_cycles_per_ms to match, so that the
 * helpers' timeouts and delays stay in USB time.
 */
extern unsigned int st_usb_per_bus;
extern unsigned long long st_cycles_per_ms;
#define ST_CYCLES_PER_MS st_cycles_per_ms

#endif /* SYSTEST_H */
