// SPDX-License-Identifier: MIT
/*
 * usbdev framework: packet decoding, CRCs, per-endpoint toggle/halt state, chapter 9 and the
 * control transfer state machine, fault injection. See usbdev.h and docs/device-models.md.
 */
#include "usbdev.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_HANDLED (-100)

/* ---------------------------------------------------------------- CRCs and packets */

uint8_t usb_crc5(uint16_t field11)
{
	unsigned crc = 0x1f;

	for (unsigned i = 0; i < 11; i++) {
		unsigned b = (field11 >> i) & 1;

		if ((crc ^ b) & 1)
			crc = (crc >> 1) ^ 0x14;
		else
			crc >>= 1;
	}
	return (uint8_t)(~crc & 0x1f);
}

uint16_t usb_crc16(const uint8_t *buf, size_t len)
{
	unsigned crc = 0xffff;

	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (unsigned k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0xa001 : crc >> 1;
	}
	return (uint16_t)~crc;
}

void usb_make_token(uint8_t buf[3], unsigned pid, unsigned addr, unsigned ep)
{
	uint16_t field = (uint16_t)((addr & 0x7f) | (ep & 0xf) << 7);

	buf[0] = usb_pid_byte(pid);
	buf[1] = (uint8_t)field;
	buf[2] = (uint8_t)((field >> 8) | usb_crc5(field) << 3);
}

size_t usb_make_data(uint8_t *buf, unsigned pid, const uint8_t *data, size_t len)
{
	uint16_t crc;

	buf[0] = usb_pid_byte(pid);
	if (len)
		memcpy(buf + 1, data, len);
	crc = usb_crc16(buf + 1, len);
	buf[1 + len] = (uint8_t)crc;
	buf[2 + len] = (uint8_t)(crc >> 8);
	return len + 3;
}

/* ---------------------------------------------------------------- helpers */

static void dbg(const struct usbdev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dbg(const struct usbdev *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->verbose)
		return;
	fprintf(stderr, "usbdev %s: ", d->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static struct usbdev_ep *ep_get(struct usbdev *d, unsigned dir_in, unsigned num)
{
	num &= 0xf;
	return num == 0 ? &d->ep[0][0] : &d->ep[dir_in ? 1 : 0][num];
}

static bool take(struct usbdev *d, struct usbdev_ep *e, enum usbdev_fault f)
{
	if (!e->fault[f])
		return false;
	e->fault[f]--;
	d->stats.faults_fired++;
	dbg(d, "fault %s fired", usbdev_fault_name(f));
	return true;
}

static void resp_clear(struct usbdev_pkt *r)
{
	r->len = 0;
	r->stuff_error = false;
	r->detach_after = false;
}

static void resp_hs(struct usbdev *d, struct usbdev_pkt *r, unsigned pid)
{
	r->buf[0] = usb_pid_byte(pid);
	r->len = 1;
	if (pid == USB_PID_ACK)
		d->stats.acks_tx++;
	else if (pid == USB_PID_NAK)
		d->stats.naks_tx++;
	else if (pid == USB_PID_STALL)
		d->stats.stalls_tx++;
}

/* DISCONNECT fault, at a token / data packet: true if the device detaches now (no answer). */
static bool disc_now(struct usbdev *d, struct usbdev_ep *e)
{
	if (e->disc_armed && e->fault[USBDEV_FAULT_DISCONNECT] == 0) {
		e->disc_armed = false;
		d->detach_req = true;
		d->stats.faults_fired++;
		dbg(d, "fault disconnect: detaching now");
		return true;
	}
	return false;
}

/* DISCONNECT fault, after a packet was queued for sending. */
static void disc_after(struct usbdev *d, struct usbdev_ep *e, struct usbdev_pkt *r)
{
	if (!e->disc_armed || !r->len)
		return;
	if (e->fault[USBDEV_FAULT_DISCONNECT] && --e->fault[USBDEV_FAULT_DISCONNECT] == 0) {
		e->disc_armed = false;
		r->detach_after = true;
		d->detach_req = true;
		d->stats.faults_fired++;
		dbg(d, "fault disconnect: detaching after this packet");
	}
}

static void ep_reset(struct usbdev_ep *e)
{
	e->halted = false;
	e->toggle = 0;
	e->in_pending = false;
	e->in_bad_toggle = false;
	e->in_len = 0;
}

/* ---------------------------------------------------------------- configuration */

static const struct usbdev_alt_desc *alt_desc(const struct usbdev *d, unsigned intf, unsigned alt)
{
	const struct usbdev_config_desc *c;

	if (d->config_idx < 0)
		return NULL;
	c = &d->desc.configs[d->config_idx];
	if (intf >= c->num_intfs || alt >= c->intfs[intf].num_alts)
		return NULL;
	return &c->intfs[intf].alts[alt];
}

static void alt_enable(struct usbdev *d, const struct usbdev_alt_desc *a, bool on)
{
	for (unsigned i = 0; i < a->num_eps; i++) {
		const struct usbdev_ep_desc *ed = &a->eps[i];
		struct usbdev_ep *e = ep_get(d, ed->addr >> 7, ed->addr & 0xf);

		ep_reset(e);
		e->enabled = on;
		e->type = ed->type;
		e->mps = ed->mps;
	}
}

static void unconfigure(struct usbdev *d)
{
	for (unsigned dir = 0; dir < 2; dir++)
		for (unsigned n = 1; n < 16; n++) {
			ep_reset(&d->ep[dir][n]);
			d->ep[dir][n].enabled = false;
		}
	d->config = 0;
	d->config_idx = -1;
	memset(d->alt, 0, sizeof(d->alt));
}

static int set_config(struct usbdev *d, unsigned value)
{
	int idx = -1;

	if (value) {
		for (unsigned i = 0; i < d->desc.num_configs; i++)
			if (d->desc.configs[i].value == value)
				idx = (int)i;
		if (idx < 0)
			return -1;
	}
	unconfigure(d);
	if (idx >= 0) {
		const struct usbdev_config_desc *c = &d->desc.configs[idx];

		d->config = (uint8_t)value;
		d->config_idx = idx;
		for (unsigned i = 0; i < c->num_intfs; i++)
			alt_enable(d, &c->intfs[i].alts[0], true);
	}
	dbg(d, "configuration %u", value);
	if (d->ops->set_config)
		d->ops->set_config(d, value);
	return 0;
}

static int set_interface(struct usbdev *d, unsigned intf, unsigned alt)
{
	const struct usbdev_alt_desc *nw = alt_desc(d, intf, alt);

	if (!nw)
		return -1;
	alt_enable(d, alt_desc(d, intf, d->alt[intf]), false);
	alt_enable(d, nw, true);
	d->alt[intf] = (uint8_t)alt;
	dbg(d, "interface %u alt %u", intf, alt);
	if (d->ops->set_interface)
		d->ops->set_interface(d, intf, alt);
	return 0;
}

unsigned usbdev_config_descriptor(const struct usbdev *d, unsigned idx, uint8_t *buf, unsigned cap)
{
	uint8_t tmp[1024];
	unsigned n = 9;
	const struct usbdev_config_desc *c;

	if (idx >= d->desc.num_configs)
		return 0;
	c = &d->desc.configs[idx];
	for (unsigned i = 0; i < c->num_intfs; i++)
		for (unsigned a = 0; a < c->intfs[i].num_alts; a++) {
			const struct usbdev_alt_desc *ad = &c->intfs[i].alts[a];
			uint8_t id[9] = { 9, 4, (uint8_t)i, (uint8_t)a, (uint8_t)ad->num_eps, ad->cls,
					  ad->subcls, ad->proto, ad->istr };

			if (n + 9 + ad->extra_len + 7 * ad->num_eps > sizeof(tmp))
				return 0;
			memcpy(tmp + n, id, 9);
			n += 9;
			if (ad->extra_len) {
				memcpy(tmp + n, ad->extra, ad->extra_len);
				n += ad->extra_len;
			}
			for (unsigned k = 0; k < ad->num_eps; k++) {
				const struct usbdev_ep_desc *e = &ad->eps[k];
				uint8_t ed[7] = { 7, 5, e->addr, e->type, (uint8_t)e->mps,
						  (uint8_t)(e->mps >> 8), e->interval };

				memcpy(tmp + n, ed, 7);
				n += 7;
			}
		}
	tmp[0] = 9;
	tmp[1] = 2;
	tmp[2] = (uint8_t)n;
	tmp[3] = (uint8_t)(n >> 8);
	tmp[4] = (uint8_t)c->num_intfs;
	tmp[5] = c->value;
	tmp[6] = c->istr;
	tmp[7] = c->attributes;
	tmp[8] = c->max_power;
	memcpy(buf, tmp, n < cap ? n : cap);
	return n;
}

/* ---------------------------------------------------------------- chapter 9 */

static int get_descriptor(struct usbdev *d, const struct usb_setup *s, uint8_t *buf)
{
	unsigned type = s->wValue >> 8, idx = s->wValue & 0xff;
	const struct usbdev_desc *dd = &d->desc;

	switch (type) {
	case 1: { /* DEVICE */
		uint8_t dv[18] = { 18, 1, (uint8_t)dd->bcd_usb, (uint8_t)(dd->bcd_usb >> 8), dd->cls,
				   dd->subcls, dd->proto, dd->mps0, (uint8_t)dd->vid, (uint8_t)(dd->vid >> 8),
				   (uint8_t)dd->pid, (uint8_t)(dd->pid >> 8), (uint8_t)dd->bcd_device,
				   (uint8_t)(dd->bcd_device >> 8), dd->imanufacturer, dd->iproduct,
				   dd->iserial, (uint8_t)dd->num_configs };

		memcpy(buf, dv, 18);
		return 18;
	}
	case 2: /* CONFIGURATION */
		if (idx >= dd->num_configs)
			return -1;
		return (int)usbdev_config_descriptor(d, idx, buf, USBDEV_CTL_BUF);
	case 3: /* STRING */
		if (idx == 0) {
			buf[0] = 4;
			buf[1] = 3;
			buf[2] = 0x09;
			buf[3] = 0x04;
			return 4;
		}
		if (idx < USBDEV_MAX_STRINGS && dd->strings[idx]) {
			size_t l = strlen(dd->strings[idx]);

			if (l > 126)
				l = 126;
			buf[0] = (uint8_t)(2 + 2 * l);
			buf[1] = 3;
			for (size_t i = 0; i < l; i++) {
				buf[2 + 2 * i] = (uint8_t)dd->strings[idx][i];
				buf[3 + 2 * i] = 0;
			}
			return (int)(2 + 2 * l);
		}
		return -1;
	default:
		/* INTERFACE / ENDPOINT (not directly retrievable), DEVICE_QUALIFIER and
		 * OTHER_SPEED (full-speed-only device), BOS (bcdUSB 2.00): STALL. */
		return -1;
	}
}

static struct usbdev_ep *ep_by_index(struct usbdev *d, unsigned windex)
{
	struct usbdev_ep *e = ep_get(d, windex >> 7, windex & 0xf);

	if ((windex & 0xf) == 0)
		return e;
	return e->enabled ? e : NULL;
}

static int std_request(struct usbdev *d, const struct usb_setup *s, uint8_t *buf)
{
	unsigned recip = s->bmRequestType & 0x1f;
	bool configured = d->config_idx >= 0;
	struct usbdev_ep *e;

	switch (s->bRequest) {
	case 0: /* GET_STATUS */
		if (!(s->bmRequestType & 0x80))
			return -1;
		buf[0] = buf[1] = 0;
		if (recip == 0) {
			bool self = d->config_idx >= 0 ? (d->desc.configs[d->config_idx].attributes & 0x40)
						    : (d->desc.num_configs && (d->desc.configs[0].attributes & 0x40));

			buf[0] = (uint8_t)((self ? 1 : 0) | (d->remote_wakeup_enabled ? 2 : 0));
			return 2;
		}
		if (recip == 1)
			return alt_desc(d, s->wIndex & 0xff, 0) ? 2 : -1;
		if (recip == 2) {
			e = ep_by_index(d, s->wIndex);
			if (!e)
				return -1;
			buf[0] = e->halted && (s->wIndex & 0xf) ? 1 : 0;
			return 2;
		}
		return -1;
	case 1: /* CLEAR_FEATURE */
	case 3: /* SET_FEATURE */
		if (s->wLength)
			return -1;
		if (recip == 0) {
			if (s->wValue != 1)  /* only DEVICE_REMOTE_WAKEUP; TEST_MODE is high speed */
				return -1;
			d->remote_wakeup_enabled = s->bRequest == 3;
			return 0;
		}
		if (recip == 2 && s->wValue == 0) {
			e = ep_by_index(d, s->wIndex);
			if (!e)
				return -1;
			if ((s->wIndex & 0xf) == 0)
				return 0;
			if (s->bRequest == 3) {
				e->halted = true;
			} else {
				ep_reset(e);  /* clears the halt and resets the toggle to DATA0 */
			}
			dbg(d, "%s halt ep %02x", s->bRequest == 3 ? "set" : "clear", s->wIndex & 0xff);
			return 0;
		}
		return -1;
	case 5: /* SET_ADDRESS */
		if (recip != 0 || s->wValue > 127 || s->wLength)
			return -1;
		d->new_addr = (uint8_t)s->wValue;
		d->addr_pending = true;
		return 0;
	case 6: /* GET_DESCRIPTOR */
		if (recip != 0)
			return NOT_HANDLED;  /* e.g. HID class descriptors */
		return get_descriptor(d, s, buf);
	case 7: /* SET_DESCRIPTOR */
		return -1;
	case 8: /* GET_CONFIGURATION */
		buf[0] = d->config;
		return 1;
	case 9: /* SET_CONFIGURATION */
		if (recip != 0 || s->wLength)
			return -1;
		return set_config(d, s->wValue & 0xff);
	case 10: /* GET_INTERFACE */
		if (!configured || !alt_desc(d, s->wIndex & 0xff, 0))
			return -1;
		buf[0] = d->alt[s->wIndex & 0xff];
		return 1;
	case 11: /* SET_INTERFACE */
		if (!configured || s->wLength)
			return -1;
		return set_interface(d, s->wIndex & 0xff, s->wValue);
	case 12: /* SYNCH_FRAME */
		return -1;
	default:
		return NOT_HANDLED;
	}
}

static int do_request(struct usbdev *d, enum usbdev_ctl_stage stage, const struct usb_setup *s)
{
	if (((s->bmRequestType >> 5) & 3) == 0 && stage == USBDEV_CTL_SETUP) {
		int r = std_request(d, s, d->ctl_buf);

		if (r != NOT_HANDLED)
			return r;
	}
	if (!d->ops->control)
		return -1;
	return d->ops->control(d, stage, s, d->ctl_buf);
}

/* ---------------------------------------------------------------- control transfers */

static void ctl_setup(struct usbdev *d, struct usbdev_ep *e, const uint8_t *p)
{
	struct usb_setup *s = &d->setup;
	int r;

	s->bmRequestType = p[0];
	s->bRequest = p[1];
	s->wValue = (uint16_t)(p[2] | p[3] << 8);
	s->wIndex = (uint16_t)(p[4] | p[5] << 8);
	s->wLength = (uint16_t)(p[6] | p[7] << 8);
	e->halted = false;  /* a SETUP clears a protocol stall */
	e->in_pending = false;
	e->in_bad_toggle = false;
	e->toggle = 1;
	d->ctl_len = d->ctl_pos = 0;
	d->ctl_zlp = false;
	dbg(d, "SETUP %02x %02x %04x %04x %04x", s->bmRequestType, s->bRequest, s->wValue, s->wIndex,
	    s->wLength);

	if (s->wLength && (s->bmRequestType & 0x80)) {
		r = do_request(d, USBDEV_CTL_SETUP, s);
		if (r < 0) {
			d->ctl = USBDEV_CTL_STALLED;
			return;
		}
		if (r > s->wLength)
			r = s->wLength;
		d->ctl_len = (unsigned)r;
		d->ctl_zlp = d->ctl_len < s->wLength && d->ctl_len % d->desc.mps0 == 0;
		d->ctl = USBDEV_CTL_DATA_IN;
	} else if (s->wLength) {
		if (s->wLength > USBDEV_CTL_BUF || (s->bmRequestType & 0x60) == 0) {
			d->ctl = USBDEV_CTL_STALLED;  /* no standard OUT request carries data here */
			return;
		}
		r = do_request(d, USBDEV_CTL_SETUP, s);
		d->ctl = r < 0 ? USBDEV_CTL_STALLED : USBDEV_CTL_DATA_OUT;
	} else {
		r = do_request(d, USBDEV_CTL_SETUP, s);
		d->ctl = r < 0 ? USBDEV_CTL_STALLED : USBDEV_CTL_STATUS_IN;
	}
	if (d->ctl == USBDEV_CTL_STALLED)
		dbg(d, "request stalled");
}

static void send_in(struct usbdev *d, struct usbdev_ep *e, struct usbdev_pkt *r)
{
	uint8_t tmp[USBDEV_MAX_PKT];
	unsigned len = e->in_len, tog = e->toggle, pid;

	memcpy(tmp, e->in_buf, len);
	if (take(d, e, USBDEV_FAULT_BABBLE)) {
		unsigned mps = e->type == USB_EP_CONTROL ? d->desc.mps0 : e->mps;

		while (len < mps + 8 && len < USBDEV_MAX_PKT - 3) {
			tmp[len] = (uint8_t)(len % 63);
			len++;
		}
	}
	e->in_bad_toggle = false;
	if (e->type != USB_EP_ISO && take(d, e, USBDEV_FAULT_TOGGLE)) {
		tog ^= 1;
		e->in_bad_toggle = true;
	}
	pid = e->type == USB_EP_ISO ? USB_PID_DATA0 : tog ? USB_PID_DATA1 : USB_PID_DATA0;
	r->len = (unsigned)usb_make_data(r->buf, pid, tmp, len);
	if (take(d, e, USBDEV_FAULT_CRC))
		r->buf[r->len - 1] ^= 0xa5;
	if (take(d, e, USBDEV_FAULT_STUFF))
		r->stuff_error = true;
	d->stats.data_tx++;
}

static void ctl_in(struct usbdev *d, struct usbdev_ep *e, struct usbdev_pkt *r)
{
	if (d->ctl == USBDEV_CTL_STALLED || e->halted) {
		resp_hs(d, r, USB_PID_STALL);
		return;
	}
	if (take(d, e, USBDEV_FAULT_NAK)) {
		resp_hs(d, r, USB_PID_NAK);
		return;
	}
	if (d->ctl == USBDEV_CTL_DATA_IN) {
		if (!e->in_pending) {
			unsigned chunk = d->ctl_len - d->ctl_pos;

			if (chunk > d->desc.mps0)
				chunk = d->desc.mps0;
			memcpy(e->in_buf, d->ctl_buf + d->ctl_pos, chunk);
			e->in_len = chunk;
			e->in_pending = true;
		}
	} else if (d->ctl == USBDEV_CTL_STATUS_IN) {
		if (!e->in_pending) {
			e->in_len = 0;
			e->in_pending = true;
		}
	} else {
		d->ctl = USBDEV_CTL_STALLED;
		resp_hs(d, r, USB_PID_STALL);
		return;
	}
	send_in(d, e, r);
	d->xstate = USBDEV_X_HANDSHAKE;
	d->xep = 0;
}

static void ctl_in_acked(struct usbdev *d, struct usbdev_ep *e)
{
	if (e->in_bad_toggle) {
		e->in_bad_toggle = false;
		return;
	}
	e->in_pending = false;
	e->toggle ^= 1;
	if (d->ctl == USBDEV_CTL_DATA_IN) {
		d->ctl_pos += e->in_len;
		if (e->in_len < d->desc.mps0 || (d->ctl_pos >= d->ctl_len && !d->ctl_zlp))
			d->ctl = USBDEV_CTL_STATUS_OUT;
	} else if (d->ctl == USBDEV_CTL_STATUS_IN) {
		d->ctl = USBDEV_CTL_IDLE;
		if (d->addr_pending) {
			d->addr = d->new_addr;
			d->addr_pending = false;
			dbg(d, "address %u", d->addr);
		}
	}
}

static void ctl_out(struct usbdev *d, struct usbdev_ep *e, unsigned pid, const uint8_t *data,
		    unsigned len, struct usbdev_pkt *r)
{
	if (d->ctl == USBDEV_CTL_STALLED || e->halted) {
		resp_hs(d, r, USB_PID_STALL);
		return;
	}
	if (take(d, e, USBDEV_FAULT_NAK)) {
		resp_hs(d, r, USB_PID_NAK);
		return;
	}
	switch (d->ctl) {
	case USBDEV_CTL_DATA_IN:
	case USBDEV_CTL_STATUS_OUT:
	case USBDEV_CTL_IDLE:  /* a status OUT retried because our ACK was lost */
		if (len) {
			d->ctl = USBDEV_CTL_STALLED;
			resp_hs(d, r, USB_PID_STALL);
			return;
		}
		e->in_pending = false;
		d->ctl = USBDEV_CTL_IDLE;
		resp_hs(d, r, USB_PID_ACK);
		return;
	case USBDEV_CTL_DATA_OUT:
		if ((pid == USB_PID_DATA1) != (e->toggle == 1)) {
			d->stats.toggle_ignored++;
			resp_hs(d, r, USB_PID_ACK);
			return;
		}
		if (d->ctl_pos + len > d->setup.wLength || len > d->desc.mps0) {
			d->ctl = USBDEV_CTL_STALLED;
			resp_hs(d, r, USB_PID_STALL);
			return;
		}
		memcpy(d->ctl_buf + d->ctl_pos, data, len);
		d->ctl_pos += len;
		e->toggle ^= 1;
		if (len < d->desc.mps0 || d->ctl_pos == d->setup.wLength) {
			struct usb_setup s = d->setup;

			s.wLength = (uint16_t)d->ctl_pos;
			if (do_request(d, USBDEV_CTL_DATA_DONE, &s) < 0) {
				d->ctl = USBDEV_CTL_STALLED;
			} else {
				d->ctl = USBDEV_CTL_STATUS_IN;
				e->toggle = 1;
			}
		}
		resp_hs(d, r, USB_PID_ACK);
		return;
	default:
		d->ctl = USBDEV_CTL_STALLED;
		resp_hs(d, r, USB_PID_STALL);
		return;
	}
}

/* ---------------------------------------------------------------- packet entry points */

static void handle_in(struct usbdev *d, struct usbdev_ep *e, unsigned epn, struct usbdev_pkt *r)
{
	int n;

	if (disc_now(d, e) || take(d, e, USBDEV_FAULT_SILENT))
		return;
	if (e->type == USB_EP_CONTROL) {
		ctl_in(d, e, r);
		goto out;
	}
	if (e->type == USB_EP_ISO) {
		n = d->ops->in ? d->ops->in(d, epn, e->in_buf, e->mps) : 0;
		e->in_len = n < 0 ? 0 : (unsigned)n;
		send_in(d, e, r);
		goto out;
	}
	if (e->halted) {
		resp_hs(d, r, USB_PID_STALL);
		goto out;
	}
	if (take(d, e, USBDEV_FAULT_NAK)) {
		resp_hs(d, r, USB_PID_NAK);
		goto out;
	}
	if (!e->in_pending) {
		n = d->ops->in ? d->ops->in(d, epn, e->in_buf, e->mps) : USBDEV_NAK;
		if (n == USBDEV_NAK) {
			resp_hs(d, r, USB_PID_NAK);
			goto out;
		}
		if (n < 0 || n > e->mps) {
			e->halted = true;
			resp_hs(d, r, USB_PID_STALL);
			goto out;
		}
		e->in_len = (unsigned)n;
		e->in_pending = true;
	}
	send_in(d, e, r);
	d->xstate = USBDEV_X_HANDSHAKE;
	d->xep = (uint8_t)epn;
out:
	disc_after(d, e, r);
}

void usbdev_token(struct usbdev *d, unsigned pid, unsigned addr, unsigned ep, bool crc_ok,
		  struct usbdev_pkt *r)
{
	struct usbdev_ep *e;

	resp_clear(r);
	d->stats.tokens++;
	if (!crc_ok) {
		d->stats.bad_crc5++;
		d->xstate = USBDEV_X_IDLE;
		return;
	}
	if (pid == USB_PID_SOF) {
		d->frame = (uint16_t)((addr & 0x7f) | (ep & 0xf) << 7);
		d->stats.sofs++;
		if (d->ops->sof)
			d->ops->sof(d, d->frame);
		return;
	}
	d->xstate = USBDEV_X_IDLE;  /* a token ends any wait for a handshake (ACK lost) */
	if (addr != d->addr)
		return;
	e = ep_get(d, pid == USB_PID_IN, ep);
	if (!e->enabled) {
		d->stats.unexpected++;
		dbg(d, "token %x to disabled ep %u", pid, ep);
		return;
	}
	switch (pid) {
	case USB_PID_SETUP:
		if (e->type != USB_EP_CONTROL)
			return;
		/* fall through */
	case USB_PID_OUT:
		if (pid == USB_PID_OUT)
			d->stats.out_tokens++;
		d->xstate = USBDEV_X_DATA;
		d->xpid = (uint8_t)pid;
		d->xep = (uint8_t)ep;
		return;
	case USB_PID_IN:
		d->stats.in_tokens++;
		handle_in(d, e, ep, r);
		return;
	default:
		d->stats.unexpected++;
		return;
	}
}

void usbdev_data(struct usbdev *d, unsigned pid, const uint8_t *data, unsigned len, bool crc_ok,
		 struct usbdev_pkt *r)
{
	struct usbdev_ep *e;
	int res;

	resp_clear(r);
	if (d->xstate != USBDEV_X_DATA) {
		d->xstate = USBDEV_X_IDLE;
		return;  /* not addressed to us, or no token before it */
	}
	d->xstate = USBDEV_X_IDLE;
	if (!crc_ok) {
		d->stats.bad_crc16++;
		return;
	}
	d->stats.data_rx++;
	e = ep_get(d, 0, d->xep);
	if (disc_now(d, e))
		return;
	if (d->xpid == USB_PID_SETUP) {
		if (pid != USB_PID_DATA0 || len != 8) {
			d->stats.unexpected++;
			return;
		}
		if (take(d, e, USBDEV_FAULT_SILENT))
			return;
		d->stats.setups++;
		resp_hs(d, r, USB_PID_ACK);
		ctl_setup(d, e, data);
		goto out;
	}
	if (take(d, e, USBDEV_FAULT_SILENT))
		return;
	if (e->type == USB_EP_ISO) {
		if (d->ops->out)
			d->ops->out(d, d->xep, data, len);
		return;
	}
	if (pid != USB_PID_DATA0 && pid != USB_PID_DATA1) {
		d->stats.unexpected++;
		return;
	}
	if (e->type == USB_EP_CONTROL) {
		ctl_out(d, e, pid, data, len, r);
		goto out;
	}
	if (e->halted) {
		resp_hs(d, r, USB_PID_STALL);
		goto out;
	}
	if (take(d, e, USBDEV_FAULT_NAK)) {
		resp_hs(d, r, USB_PID_NAK);
		goto out;
	}
	if ((pid == USB_PID_DATA1) != (e->toggle == 1)) {
		d->stats.toggle_ignored++;
		dbg(d, "ep %u OUT: toggle mismatch, ACKed and ignored", d->xep);
		resp_hs(d, r, USB_PID_ACK);
		goto out;
	}
	if (len > e->mps) {
		d->stats.unexpected++;
		return;  /* babble from the host: not a packet we accept */
	}
	res = d->ops->out ? d->ops->out(d, d->xep, data, len) : 0;
	if (res == USBDEV_NAK) {
		resp_hs(d, r, USB_PID_NAK);
	} else if (res < 0) {
		e->halted = true;
		resp_hs(d, r, USB_PID_STALL);
	} else {
		e->toggle ^= 1;
		resp_hs(d, r, USB_PID_ACK);
	}
out:
	disc_after(d, e, r);
}

void usbdev_handshake(struct usbdev *d, unsigned pid)
{
	struct usbdev_ep *e;

	if (d->xstate != USBDEV_X_HANDSHAKE) {
		d->stats.unexpected++;
		return;
	}
	d->xstate = USBDEV_X_IDLE;
	if (pid != USB_PID_ACK) {
		d->stats.unexpected++;
		return;
	}
	d->stats.acks_rx++;
	e = ep_get(d, 1, d->xep);
	if (e->type == USB_EP_CONTROL) {
		ctl_in_acked(d, e);
		return;
	}
	if (e->in_bad_toggle) {
		e->in_bad_toggle = false;  /* the host dropped it; resend with the right toggle */
		return;
	}
	e->in_pending = false;
	e->toggle ^= 1;
	if (d->ops->in_done)
		d->ops->in_done(d, d->xep);
}

void usbdev_rx_packet(struct usbdev *d, const uint8_t *p, unsigned len, bool rx_error,
		      struct usbdev_pkt *r)
{
	unsigned pid;

	resp_clear(r);
	if (rx_error || len == 0) {
		d->stats.rx_errors++;
		d->xstate = USBDEV_X_IDLE;
		return;
	}
	pid = p[0] & 0xf;
	if ((p[0] >> 4) != (~pid & 0xf)) {
		d->stats.bad_pid++;
		d->xstate = USBDEV_X_IDLE;
		return;
	}
	switch (pid) {
	case USB_PID_OUT:
	case USB_PID_IN:
	case USB_PID_SETUP:
	case USB_PID_SOF: {
		uint16_t field;

		if (len != 3) {
			d->stats.rx_errors++;
			d->xstate = USBDEV_X_IDLE;
			return;
		}
		field = (uint16_t)((p[1] | p[2] << 8) & 0x7ff);
		usbdev_token(d, pid, field & 0x7f, field >> 7, usb_crc5(field) == (p[2] >> 3), r);
		return;
	}
	case USB_PID_DATA0:
	case USB_PID_DATA1:
	case USB_PID_DATA2:
	case USB_PID_MDATA:
		if (len < 3) {
			d->stats.rx_errors++;
			d->xstate = USBDEV_X_IDLE;
			return;
		}
		usbdev_data(d, pid, p + 1, len - 3,
			    usb_crc16(p + 1, len - 3) == (uint16_t)(p[len - 2] | p[len - 1] << 8), r);
		return;
	case USB_PID_ACK:
	case USB_PID_NAK:
	case USB_PID_STALL:
	case USB_PID_NYET:
		if (len != 1) {
			d->stats.rx_errors++;
			d->xstate = USBDEV_X_IDLE;
			return;
		}
		usbdev_handshake(d, pid);
		return;
	default:
		d->stats.unexpected++;
		return;
	}
}

/* ---------------------------------------------------------------- bus events */

void usbdev_bus_reset(struct usbdev *d)
{
	struct usbdev_ep *e0 = &d->ep[0][0];

	unconfigure(d);
	d->addr = 0;
	d->addr_pending = false;
	d->remote_wakeup_enabled = false;
	d->wakeup_request = false;
	d->suspended = false;
	d->xstate = USBDEV_X_IDLE;
	d->ctl = USBDEV_CTL_IDLE;
	ep_reset(e0);
	e0->enabled = true;
	e0->type = USB_EP_CONTROL;
	e0->mps = d->desc.mps0;
	d->stats.resets++;
	dbg(d, "bus reset");
	if (d->ops->bus_reset)
		d->ops->bus_reset(d);
}

void usbdev_suspend(struct usbdev *d)
{
	if (d->suspended)
		return;
	d->suspended = true;
	d->stats.suspends++;
	dbg(d, "suspend");
}

void usbdev_resume(struct usbdev *d)
{
	if (!d->suspended)
		return;
	d->suspended = false;
	d->stats.resumes++;
	dbg(d, "resume");
}

void usbdev_remote_wakeup(struct usbdev *d)
{
	d->wakeup_request = true;
}

/* ---------------------------------------------------------------- faults */

static const char *const fault_names[USBDEV_FAULT_COUNT] = {
	"none", "nak", "stall", "silent", "crc", "stuff", "babble", "toggle", "disconnect",
};

const char *usbdev_fault_name(enum usbdev_fault f)
{
	return (unsigned)f < USBDEV_FAULT_COUNT ? fault_names[f] : "?";
}

int usbdev_fault(struct usbdev *d, unsigned ep_addr, enum usbdev_fault f, unsigned count)
{
	struct usbdev_ep *e;

	if (ep_addr & 0x70 || ep_addr > 0xff || (unsigned)f >= USBDEV_FAULT_COUNT) {
		fprintf(stderr, "usbdev_fault: bad endpoint 0x%x or fault %d\n", ep_addr, (int)f);
		return -EINVAL;
	}
	e = ep_get(d, ep_addr >> 7, ep_addr & 0xf);
	switch (f) {
	case USBDEV_FAULT_NONE:
		memset(e->fault, 0, sizeof(e->fault));
		e->disc_armed = false;
		e->halted = false;
		break;
	case USBDEV_FAULT_STALL:
		e->halted = count > 0;
		break;
	case USBDEV_FAULT_DISCONNECT:
		e->fault[f] = count;
		e->disc_armed = true;
		break;
	default:
		e->fault[f] = count;
		break;
	}
	return 0;
}

/* ---------------------------------------------------------------- create / destroy */

static int check_desc(const char *name, const struct usbdev_desc *dd)
{
	unsigned m = dd->mps0;

	if (!(m == 8 || m == 16 || m == 32 || m == 64) || (dd->low_speed && m != 8)) {
		fprintf(stderr, "usbdev %s: bad bMaxPacketSize0 %u\n", name, m);
		return -1;
	}
	if (dd->num_configs == 0 || dd->num_configs > USBDEV_MAX_CONFIGS) {
		fprintf(stderr, "usbdev %s: bad number of configurations %u\n", name, dd->num_configs);
		return -1;
	}
	for (unsigned c = 0; c < dd->num_configs; c++) {
		const struct usbdev_config_desc *cd = &dd->configs[c];

		if (!cd->value || cd->num_intfs > USBDEV_MAX_INTFS) {
			fprintf(stderr, "usbdev %s: bad configuration %u\n", name, c);
			return -1;
		}
		for (unsigned i = 0; i < cd->num_intfs; i++) {
			if (!cd->intfs[i].num_alts || cd->intfs[i].num_alts > USBDEV_MAX_ALTS) {
				fprintf(stderr, "usbdev %s: bad alt count, config %u intf %u\n", name, c, i);
				return -1;
			}
			for (unsigned a = 0; a < cd->intfs[i].num_alts; a++) {
				const struct usbdev_alt_desc *ad = &cd->intfs[i].alts[a];

				if (ad->num_eps > USBDEV_MAX_ALT_EPS)
					return -1;
				for (unsigned k = 0; k < ad->num_eps; k++) {
					const struct usbdev_ep_desc *e = &ad->eps[k];
					unsigned lim = e->type == USB_EP_ISO ? 1023 : dd->low_speed ? 8 : 64;

					if ((e->addr & 0xf) == 0 || (e->addr & 0x70) || e->type == USB_EP_CONTROL ||
					    e->mps == 0 || e->mps > lim ||
					    (dd->low_speed && (e->type == USB_EP_ISO || e->type == USB_EP_BULK))) {
						fprintf(stderr, "usbdev %s: bad endpoint 0x%02x\n", name, e->addr);
						return -1;
					}
				}
			}
		}
	}
	return 0;
}

struct usbdev *usbdev_create(const char *name, const struct usbdev_desc *desc,
			     const struct usbdev_ops *ops, void *priv)
{
	struct usbdev *d;
	const char *env = getenv("USBDEV_DEBUG");

	if (!desc || !ops || check_desc(name ? name : "?", desc))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->name = name ? name : "usbdev";
	d->desc = *desc;
	d->ops = ops;
	d->priv = priv;
	d->verbose = env && *env && *env != '0';
	d->config_idx = -1;
	usbdev_bus_reset(d);
	d->stats.resets = 0;
	return d;
}

void usbdev_destroy(struct usbdev *d)
{
	if (!d)
		return;
	if (d->ops->destroy)
		d->ops->destroy(d);
	free(d);
}
