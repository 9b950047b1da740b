// SPDX-License-Identifier: MIT
/* usbdev attachments: creation, attach/detach and the bus events both backends share. */
#include "port_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct usbdev_port *usbdev_port_create(enum kite_attach kind, const struct usbdev_port_opts *opts)
{
	struct usbdev_port *p;

	if (kind != KITE_ATTACH_UTMI && kind != KITE_ATTACH_LINE) {
		fprintf(stderr, "usbdev_port_create: unknown attachment kind %d\n", (int)kind);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->kind = kind;
	if (opts)
		p->o = *opts;
	if (!p->o.turnaround_q)
		p->o.turnaround_q = 16;
	if (!p->o.wakeup_k_us)
		p->o.wakeup_k_us = 2000;
	if (!p->o.suspend_us)
		p->o.suspend_us = 3000;
	if (p->o.turnaround_q < 8 || p->o.turnaround_q > 30 || p->o.wakeup_k_us > 15000) {
		fprintf(stderr, "usbdev_port_create: turnaround_q must be 8..30 (2..7.5 bit times), "
			"wakeup_k_us at most 15000\n");
		free(p);
		return NULL;
	}
	return p;
}

void usbdev_port_destroy(struct usbdev_port *p)
{
	free(p);
}

struct kite_port_backend usbdev_port_backend(struct usbdev_port *p)
{
	struct kite_port_backend b = { 0 };

	b.ctx = p;
	if (p->kind == KITE_ATTACH_UTMI) {
		b.utmi = utmi_backend;
		b.quiet = utmi_quiet;
		b.idle = utmi_idle;
	} else {
		b.line = line_backend;
		b.quiet = line_quiet;
		b.idle = line_idle;
	}
	return b;
}

static void reset_state(struct usbdev_port *p)
{
	p->se0 = 0;
	p->idle = p->susp = 0;
	p->wake = false;
	p->resp.len = 0;
	if (p->kind == KITE_ATTACH_UTMI)
		utmi_reset_state(p);
	else
		line_reset_state(p);
}

int usbdev_attach(struct usbdev_port *p, struct usbdev *d)
{
	if (!p || !d)
		return -EINVAL;
	p->dev = d;
	p->attached = true;
	d->detach_req = false;
	d->verbose |= p->o.verbose;
	reset_state(p);
	usbdev_bus_reset(d);  /* power-on state */
	if (p->o.verbose)
		fprintf(stderr, "usbdev port: %s attached (%s speed)\n", d->name,
			d->desc.low_speed ? "low" : "full");
	return 0;
}

void usbdev_detach(struct usbdev_port *p)
{
	if (!p->attached)
		return;
	p->attached = false;
	p->st.detaches++;
	if (p->dev)
		p->dev->detach_req = false;
	reset_state(p);
	if (p->o.verbose)
		fprintf(stderr, "usbdev port: %s detached\n", p->dev ? p->dev->name : "?");
}

struct usbdev *usbdev_port_device(const struct usbdev_port *p)
{
	return p->dev;
}

bool usbdev_port_attached(const struct usbdev_port *p)
{
	return p->attached;
}

void usbdev_port_get_stats(const struct usbdev_port *p, struct usbdev_port_stats *st)
{
	*st = p->st;
}

void port_bus_cond(struct usbdev_port *p, enum port_cond c)
{
	struct usbdev *d = p->dev;

	if (c == PORT_SE0) {
		if (++p->se0 == USBDEV_RESET_CYCLES) {
			p->st.resets++;
			usbdev_bus_reset(d);
		}
	} else {
		if (p->se0 && p->se0 < USBDEV_RESET_CYCLES)
			p->st.keepalives++;
		p->se0 = 0;
	}
	if (c == PORT_IDLE) {
		if (++p->idle == (uint64_t)p->o.suspend_us * (USBDEV_CLK_HZ / 1000000))
			usbdev_suspend(d);
	} else {
		p->idle = 0;
		if (d->suspended && !p->wake)
			usbdev_resume(d);
	}
	if (d->suspended) {
		p->susp++;
		if (!p->wake && d->wakeup_request && d->remote_wakeup_enabled &&
		    p->susp >= USBDEV_WAKE_MIN_CYCLES) {
			p->wake = true;
			p->wake_end = p->now + (uint64_t)p->o.wakeup_k_us * (USBDEV_CLK_HZ / 1000000);
			d->wakeup_request = false;
			d->stats.wakeups++;
			p->st.wakeups++;
			if (p->o.verbose)
				fprintf(stderr, "usbdev port: %s signals remote wake-up\n", d->name);
		}
	} else {
		p->susp = 0;
	}
	if (p->wake && p->now >= p->wake_end)
		p->wake = false;
}

static uint64_t suspend_cycles(const struct usbdev_port *p)
{
	return (uint64_t)p->o.suspend_us * (USBDEV_CLK_HZ / 1000000);
}

uint64_t port_idle_quiet(const struct usbdev_port *p)
{
	const struct usbdev *d = p->dev;
	uint64_t wake_at, thr = suspend_cycles(p);

	if (!p->attached || !d)
		return UINT64_MAX;
	if (p->wake || d->detach_req)
		return 0;
	if (!d->wakeup_request || !d->remote_wakeup_enabled)
		return UINT64_MAX;
	/* the first idle cycle (1 = the next) whose port_bus_cond starts the K */
	if (d->suspended)
		wake_at = p->susp + 1 >= USBDEV_WAKE_MIN_CYCLES ? 1 : USBDEV_WAKE_MIN_CYCLES - p->susp;
	else if (p->idle < thr)
		wake_at = thr - p->idle + USBDEV_WAKE_MIN_CYCLES - 1;
	else
		return UINT64_MAX;  /* idle past the threshold without a suspend: none comes */
	return wake_at - 1;
}

void port_idle_advance(struct usbdev_port *p, uint64_t n)
{
	struct usbdev *d = p->dev;
	uint64_t thr = suspend_cycles(p);

	p->now += n;
	p->st.cycles += n;
	if (!n || !p->attached || !d)
		return;
	if (p->se0 && p->se0 < USBDEV_RESET_CYCLES)
		p->st.keepalives++;
	p->se0 = 0;
	if (p->idle < thr && p->idle + n >= thr) {
		uint64_t k = thr - p->idle;    /* the cycle that suspends the device */

		p->susp = d->suspended ? p->susp + k - 1 : 0;
		usbdev_suspend(d);
		p->susp += n - k + 1;
	} else if (d->suspended) {
		p->susp += n;
	} else {
		p->susp = 0;
	}
	p->idle += n;
}

void port_deliver(struct usbdev_port *p, const uint8_t *pkt, unsigned len, bool err)
{
	p->st.packets_rx++;
	if (err)
		p->st.rx_errors++;
	usbdev_rx_packet(p->dev, pkt, len, err, &p->resp);
	if (p->resp.len)
		p->st.packets_tx++;
}

void port_check_detach(struct usbdev_port *p, bool after_tx)
{
	if (!p->attached || !p->dev)
		return;
	if (p->dev->detach_req || (after_tx && p->resp.detach_after))
		usbdev_detach(p);
}
