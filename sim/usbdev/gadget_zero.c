// SPDX-License-Identifier: MIT
/*
 * Gadget zero (Linux drivers/usb/gadget/legacy/zero.c with f_sourcesink.c and f_loopback.c)
 * as seen by usbtest at full speed: 0525:a4a0, source/sink configuration 3 (alt 0 bulk IN 0x81
 * + bulk OUT 0x01, alt 1 adds iso IN 0x82 + iso OUT 0x02), loopback configuration 2 (bulk IN
 * 0x81 + bulk OUT 0x01), vendor requests 0x5b/0x5c. The `intr` variant adds interrupt IN 0x83
 * and OUT 0x03 to every source/sink alt setting (usbtest tests 25/26).
 */
#include "usbdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GZ_CFG_LOOPBACK 2
#define GZ_CFG_SOURCESINK 3

struct gzero {
	struct usbdev_gzero_opts o;
	uint8_t ctl_data[USBDEV_CTL_BUF];  /* 0x5b stores, 0x5c returns */
	unsigned ctl_data_len;
	/* loopback FIFO of packets */
	uint8_t (*loop_buf)[64];
	unsigned *loop_len;
	unsigned loop_head, loop_count;
	struct usbdev_gzero_stats st;
};

uint8_t usbdev_gzero_pattern_byte(unsigned pattern, unsigned i, unsigned mps)
{
	if (pattern == USBDEV_GZ_PATTERN_MOD63)
		return (uint8_t)((i % mps) % 63);
	return 0;
}

static unsigned ep_mps(struct usbdev *d, unsigned addr)
{
	return d->ep[addr >> 7][addr & 0xf].mps;
}

static int gz_in(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max)
{
	struct gzero *g = d->priv;

	if (d->config == GZ_CFG_LOOPBACK) {
		unsigned n;

		if (ep != 1 || !g->loop_count)
			return USBDEV_NAK;
		n = g->loop_len[g->loop_head];
		memcpy(buf, g->loop_buf[g->loop_head], n);
		g->loop_head = (g->loop_head + 1) % g->o.loop_qlen;
		g->loop_count--;
		g->st.in_bytes += n;
		return (int)n;
	}
	if (g->o.pattern != USBDEV_GZ_PATTERN_NONE)
		for (unsigned i = 0; i < max; i++)
			buf[i] = usbdev_gzero_pattern_byte(g->o.pattern, i, max);
	else
		memset(buf, 0x55, max);
	if (ep == 2)
		g->st.iso_in_bytes += max;
	else if (ep == 3)
		g->st.int_in_bytes += max;
	else
		g->st.in_bytes += max;
	return (int)max;
}

static int gz_out(struct usbdev *d, unsigned ep, const uint8_t *buf, unsigned len)
{
	struct gzero *g = d->priv;
	unsigned mps = ep_mps(d, ep);

	if (d->config == GZ_CFG_LOOPBACK) {
		unsigned tail;

		if (ep != 1 || g->loop_count == g->o.loop_qlen)
			return USBDEV_NAK;
		tail = (g->loop_head + g->loop_count) % g->o.loop_qlen;
		memcpy(g->loop_buf[tail], buf, len);
		g->loop_len[tail] = len;
		g->loop_count++;
		g->st.loop_packets++;
		g->st.out_bytes += len;
		return 0;
	}
	if (ep == 2)
		g->st.iso_out_bytes += len;
	else if (ep == 3)
		g->st.int_out_bytes += len;
	else
		g->st.out_bytes += len;
	if (g->o.pattern == USBDEV_GZ_PATTERN_NONE)
		return 0;
	for (unsigned i = 0; i < len; i++)
		if (buf[i] != usbdev_gzero_pattern_byte(g->o.pattern, i, mps)) {
			g->st.pattern_errors++;
			if (d->verbose)
				fprintf(stderr, "gzero: ep %u OUT byte %u is 0x%02x, expected 0x%02x\n", ep,
					i, buf[i], usbdev_gzero_pattern_byte(g->o.pattern, i, mps));
			/* f_sourcesink: the packet was received; the sink then halts */
			if (ep != 2)
				usbdev_fault(d, ep, USBDEV_FAULT_STALL, 1);
			break;
		}
	return 0;
}

static int gz_control(struct usbdev *d, enum usbdev_ctl_stage stage, const struct usb_setup *s,
		      uint8_t *buf)
{
	struct gzero *g = d->priv;

	if (d->config != GZ_CFG_SOURCESINK || s->wValue || s->wIndex || s->wLength > USBDEV_CTL_BUF)
		return -1;
	if (s->bRequest == 0x5b && s->bmRequestType == 0x40) {
		if (stage == USBDEV_CTL_DATA_DONE) {
			memcpy(g->ctl_data, buf, s->wLength);
			g->ctl_data_len = s->wLength;
		}
		return 0;
	}
	if (s->bRequest == 0x5c && s->bmRequestType == 0xc0) {
		memcpy(buf, g->ctl_data, s->wLength);
		return s->wLength;
	}
	return -1;
}

static void gz_reset_loop(struct usbdev *d)
{
	struct gzero *g = d->priv;

	g->loop_head = g->loop_count = 0;
}

static void gz_set_config(struct usbdev *d, unsigned value)
{
	(void)value;
	gz_reset_loop(d);
}

static void gz_destroy(struct usbdev *d)
{
	struct gzero *g = d->priv;

	free(g->loop_buf);
	free(g->loop_len);
	free(g);
}

static const struct usbdev_ops gz_ops = {
	.control = gz_control,
	.in = gz_in,
	.out = gz_out,
	.set_config = gz_set_config,
	.bus_reset = gz_reset_loop,
	.destroy = gz_destroy,
};

static void add_ep(struct usbdev_alt_desc *a, uint8_t addr, uint8_t type, uint16_t mps, uint8_t interval)
{
	struct usbdev_ep_desc *e = &a->eps[a->num_eps++];

	e->addr = addr;
	e->type = type;
	e->mps = mps;
	e->interval = interval;
}

struct usbdev *usbdev_gzero_create(const struct usbdev_gzero_opts *opts)
{
	struct usbdev_gzero_opts o = { 0 };
	struct usbdev_desc dd = { 0 };
	struct usbdev_config_desc *ss, *lb;
	struct gzero *g;
	struct usbdev *d;

	if (opts)
		o = *opts;
	if (!o.iso_mps)
		o.iso_mps = 1023;
	if (!o.iso_interval)
		o.iso_interval = 4;
	if (!o.int_mps)
		o.int_mps = 64;
	if (!o.int_interval)
		o.int_interval = 1;
	if (!o.loop_qlen)
		o.loop_qlen = 32;
	if (o.pattern > 2 || o.iso_mps > 1023 || o.int_mps > 64 || o.iso_interval > 16) {
		fprintf(stderr, "usbdev_gzero_create: bad options\n");
		return NULL;
	}

	dd.bcd_usb = 0x0200;
	dd.vid = 0x0525;
	dd.pid = 0xa4a0;
	dd.bcd_device = 0x0601;
	dd.cls = 0xff;
	dd.mps0 = 64;
	dd.imanufacturer = 1;
	dd.iproduct = 2;
	dd.iserial = 3;
	dd.strings[1] = "Linux with dummy gadget (kite usbdev model)";
	dd.strings[2] = "Gadget Zero";
	dd.strings[3] = "0123456789.0123456789.0123456789";
	dd.strings[4] = "source and sink data";
	dd.strings[5] = "loop input to output";
	dd.num_configs = 2;
	ss = &dd.configs[o.loopback_first ? 1 : 0];
	lb = &dd.configs[o.loopback_first ? 0 : 1];

	ss->value = GZ_CFG_SOURCESINK;
	ss->attributes = 0xc0;
	ss->max_power = 1;
	ss->istr = 4;
	ss->num_intfs = 1;
	ss->intfs[0].num_alts = 2;
	for (unsigned a = 0; a < 2; a++) {
		struct usbdev_alt_desc *ad = &ss->intfs[0].alts[a];

		ad->cls = 0xff;
		ad->istr = 4;
		add_ep(ad, 0x81, USB_EP_BULK, 64, 0);
		add_ep(ad, 0x01, USB_EP_BULK, 64, 0);
		if (a == 1) {
			/* f_sourcesink lists the iso sink before the iso source */
			add_ep(ad, 0x02, USB_EP_ISO, (uint16_t)o.iso_mps, (uint8_t)o.iso_interval);
			add_ep(ad, 0x82, USB_EP_ISO, (uint16_t)o.iso_mps, (uint8_t)o.iso_interval);
		}
		if (o.intr) {
			add_ep(ad, 0x83, USB_EP_INT, (uint16_t)o.int_mps, (uint8_t)o.int_interval);
			add_ep(ad, 0x03, USB_EP_INT, (uint16_t)o.int_mps, (uint8_t)o.int_interval);
		}
	}
	lb->value = GZ_CFG_LOOPBACK;
	lb->attributes = 0xc0;
	lb->max_power = 1;
	lb->istr = 5;
	lb->num_intfs = 1;
	lb->intfs[0].num_alts = 1;
	lb->intfs[0].alts[0].cls = 0xff;
	lb->intfs[0].alts[0].istr = 5;
	add_ep(&lb->intfs[0].alts[0], 0x81, USB_EP_BULK, 64, 0);
	add_ep(&lb->intfs[0].alts[0], 0x01, USB_EP_BULK, 64, 0);

	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->o = o;
	g->loop_buf = calloc(o.loop_qlen, sizeof(*g->loop_buf));
	g->loop_len = calloc(o.loop_qlen, sizeof(*g->loop_len));
	d = g->loop_buf && g->loop_len ? usbdev_create("gzero", &dd, &gz_ops, g) : NULL;
	if (!d) {
		free(g->loop_buf);
		free(g->loop_len);
		free(g);
	}
	return d;
}

void usbdev_gzero_get_stats(const struct usbdev *d, struct usbdev_gzero_stats *st)
{
	const struct gzero *g = d->priv;

	*st = g->st;
}
