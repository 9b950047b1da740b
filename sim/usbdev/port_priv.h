/* SPDX-License-Identifier: MIT */
/* usbdev attachments: state shared by the UTMI (utmi_phy.c) and line (line.c) backends. */
#ifndef USBDEV_PORT_PRIV_H
#define USBDEV_PORT_PRIV_H

#include "usbdev.h"

#define USBDEV_CLK_HZ 48000000u
#define USBDEV_RESET_CYCLES 120u      /* SE0 for 2.5 us is a bus reset */
#define USBDEV_WAKE_MIN_CYCLES (5u * 48000u)  /* suspended >= 5 ms before remote wake-up */
#define USBDEV_MAX_SYMS 12000u

enum port_cond { PORT_IDLE, PORT_SE0, PORT_ACTIVE };

/* UTMI attachment state */
enum utmi_tx { UTX_IDLE, UTX_ON, UTX_EOP };
enum utmi_rx { URX_IDLE, URX_WAIT, URX_BYTES, URX_EOP };

/* line attachment state */
enum line_sym { SYM_SE0 = 0, SYM_J = 1, SYM_K = 2, SYM_SE1 = 3 };
enum line_rx { LRX_IDLE, LRX_SYNC, LRX_DATA, LRX_EOP, LRX_WAIT_IDLE };

struct usbdev_port {
	enum kite_attach kind;
	struct usbdev_port_opts o;
	struct usbdev *dev;
	bool attached;
	struct usbdev_port_stats st;
	uint64_t now;

	/* bus events */
	unsigned se0;
	uint64_t idle, susp;
	bool wake;
	uint64_t wake_end;

	/* the response being sent */
	struct usbdev_pkt resp;

	/* UTMI */
	enum utmi_tx utx;
	enum utmi_rx urx;
	uint64_t utx_next, urx_next, urx_start;
	unsigned utx_cpb, utx_ones, urx_ones;
	uint8_t rx_buf[USBDEV_MAX_PKT + 8];
	unsigned rx_len, urx_pos, urx_err_pos;
	bool rx_overflow;
	uint8_t data_in;

	/* line */
	enum line_rx lrx;
	unsigned lrx_phase, lrx_zeros, lrx_ones, lrx_nbits;
	enum line_sym lrx_level, lrx_prev;
	bool lrx_err;
	uint8_t lrx_cur;
	uint8_t tx_sym[USBDEV_MAX_SYMS];
	unsigned tx_nsym;
	bool tx_on;
	uint64_t tx_start;
	unsigned contention_logged;

	/* the last answer given to the model (fast-forward: an idle answer must repeat it) */
	struct kite_utmi_phy last_utmi;
	struct kite_line_bus last_line;
};

/* Clocks per bit of the attached device (FS 4, LS 32). */
static inline unsigned port_cpb(const struct usbdev_port *p)
{
	return p->dev && p->dev->desc.low_speed ? 32 : 4;
}

void port_bus_cond(struct usbdev_port *p, enum port_cond c);
/* Hand a received packet to the device; sets p->resp. */
void port_deliver(struct usbdev_port *p, const uint8_t *pkt, unsigned len, bool err);
/* After a response was sent or when idle: detach if the device asked for it. */
void port_check_detach(struct usbdev_port *p, bool after_tx);
/*
 * Fast-forward (kite_port_backend quiet/idle) with nothing on the line: how many more idle
 * cycles pass before the bus events do something the line shows (the remote wake-up K;
 * UINT64_MAX: nothing, or no device), and n idle cycles at once (the cycle counts; with a
 * device, suspend detection and the rest as port_bus_cond(PORT_IDLE) n times).
 */
uint64_t port_idle_quiet(const struct usbdev_port *p);
void port_idle_advance(struct usbdev_port *p, uint64_t n);

void utmi_backend(void *ctx, const struct kite_utmi_host *h, struct kite_utmi_phy *o);
void line_backend(void *ctx, const struct kite_line_host *h, struct kite_line_bus *b);
void utmi_reset_state(struct usbdev_port *p);
void line_reset_state(struct usbdev_port *p);
uint64_t utmi_quiet(void *ctx);
void utmi_idle(void *ctx, uint64_t n);
uint64_t line_quiet(void *ctx);
void line_idle(void *ctx, uint64_t n);

#endif
