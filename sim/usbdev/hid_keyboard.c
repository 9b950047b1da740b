// SPDX-License-Identifier: MIT
/*
 * HID boot keyboard: interface 0 class 3 / subclass 1 (boot) / protocol 1 (keyboard), the
 * standard boot keyboard report descriptor of HID 1.11 appendix B.1 (8-byte input report:
 * modifiers, reserved, six key codes; 5 LED bits output report), interrupt IN 0x81 (8 bytes).
 * Reports queued by the test API are sent one per interrupt IN transaction and dropped when the
 * host ACKs them; the endpoint NAKs when the queue is empty, unless the idle period set by
 * SET_IDLE expired (the last report is then sent again). See docs/device-models.md.
 */
#include "usbdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KBD_REPORT 8
#define KBD_MAX_QUEUE 65536

/* HID 1.11 appendix B.1 / E.6: boot keyboard report descriptor (63 bytes). */
static const uint8_t kbd_report_desc[] = {
	0x05, 0x01,       /* Usage Page (Generic Desktop) */
	0x09, 0x06,       /* Usage (Keyboard) */
	0xa1, 0x01,       /* Collection (Application) */
	0x05, 0x07,       /*   Usage Page (Key Codes) */
	0x19, 0xe0,       /*   Usage Minimum (224) */
	0x29, 0xe7,       /*   Usage Maximum (231) */
	0x15, 0x00,       /*   Logical Minimum (0) */
	0x25, 0x01,       /*   Logical Maximum (1) */
	0x75, 0x01,       /*   Report Size (1) */
	0x95, 0x08,       /*   Report Count (8) */
	0x81, 0x02,       /*   Input (Data, Variable, Absolute): modifier byte */
	0x95, 0x01,       /*   Report Count (1) */
	0x75, 0x08,       /*   Report Size (8) */
	0x81, 0x01,       /*   Input (Constant): reserved byte */
	0x95, 0x05,       /*   Report Count (5) */
	0x75, 0x01,       /*   Report Size (1) */
	0x05, 0x08,       /*   Usage Page (LEDs) */
	0x19, 0x01,       /*   Usage Minimum (1) */
	0x29, 0x05,       /*   Usage Maximum (5) */
	0x91, 0x02,       /*   Output (Data, Variable, Absolute): LED report */
	0x95, 0x01,       /*   Report Count (1) */
	0x75, 0x03,       /*   Report Size (3) */
	0x91, 0x01,       /*   Output (Constant): LED report padding */
	0x95, 0x06,       /*   Report Count (6) */
	0x75, 0x08,       /*   Report Size (8) */
	0x15, 0x00,       /*   Logical Minimum (0) */
	0x25, 0x65,       /*   Logical Maximum (101) */
	0x05, 0x07,       /*   Usage Page (Key Codes) */
	0x19, 0x00,       /*   Usage Minimum (0) */
	0x29, 0x65,       /*   Usage Maximum (101) */
	0x81, 0x00,       /*   Input (Data, Array): key array (6 bytes) */
	0xc0,             /* End Collection */
};

/* HID descriptor: bcdHID 1.11, country 0, one class descriptor: report, 63 bytes. */
static const uint8_t kbd_hid_desc[9] = {
	9, 0x21, 0x11, 0x01, 0x00, 1, 0x22, sizeof(kbd_report_desc), 0,
};

struct kbd {
	struct usbdev_kbd_opts o;
	uint8_t (*q)[KBD_REPORT];    /* queued reports (ring) */
	unsigned q_cap, q_head, q_count;
	uint8_t held[KBD_REPORT];    /* state after the last queued report (press/release API) */
	uint8_t last[KBD_REPORT];    /* the last report acknowledged by the host */
	bool inflight_queued;        /* the pending IN packet is the queue head (not an idle repeat) */
	uint8_t leds, idle, protocol;
	uint64_t now_ms, last_sent_ms;
	bool sof_seen;
	uint16_t last_frame;
	struct usbdev_kbd_stats st;
};

static struct kbd *kbd_of(const struct usbdev *d)
{
	return d->priv;
}

/* ---------------------------------------------------------------- report queue */

static int q_push(struct usbdev *d, const uint8_t r[KBD_REPORT])
{
	struct kbd *k = kbd_of(d);

	if (k->q_count == k->q_cap) {
		unsigned ncap = k->q_cap ? 2 * k->q_cap : 64;
		uint8_t (*nq)[KBD_REPORT];

		if (ncap > KBD_MAX_QUEUE)
			return -ENOSPC;
		nq = calloc(ncap, sizeof(*nq));
		if (!nq)
			return -ENOMEM;
		for (unsigned i = 0; i < k->q_count; i++)
			memcpy(nq[i], k->q[(k->q_head + i) % k->q_cap], KBD_REPORT);
		free(k->q);
		k->q = nq;
		k->q_cap = ncap;
		k->q_head = 0;
	}
	memcpy(k->q[(k->q_head + k->q_count) % k->q_cap], r, KBD_REPORT);
	k->q_count++;
	memcpy(k->held, r, KBD_REPORT);
	/* a key press wakes a suspended host if it enabled remote wake-up */
	if (d->suspended && d->remote_wakeup_enabled)
		usbdev_remote_wakeup(d);
	return 0;
}

/* ---------------------------------------------------------------- endpoint callbacks */

static int kbd_in(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max)
{
	struct kbd *k = kbd_of(d);

	if (ep != 1 || max < KBD_REPORT)
		return USBDEV_NAK;
	if (!k->sof_seen)
		k->now_ms += k->o.interval;  /* no SOFs (low speed): one poll per bInterval */
	if (k->q_count) {
		memcpy(buf, k->q[k->q_head], KBD_REPORT);
		k->inflight_queued = true;
		return KBD_REPORT;
	}
	if (k->idle && k->now_ms - k->last_sent_ms >= 4u * k->idle) {
		memcpy(buf, k->last, KBD_REPORT);
		k->inflight_queued = false;
		return KBD_REPORT;
	}
	return USBDEV_NAK;
}

static void kbd_in_done(struct usbdev *d, unsigned ep)
{
	struct kbd *k = kbd_of(d);

	if (ep != 1)
		return;
	if (k->inflight_queued && k->q_count) {
		memcpy(k->last, k->q[k->q_head], KBD_REPORT);
		k->q_head = (k->q_head + 1) % k->q_cap;
		k->q_count--;
	} else {
		k->st.idle_repeats++;
	}
	k->inflight_queued = false;
	k->last_sent_ms = k->now_ms;
	k->st.reports_sent++;
}

static void kbd_sof(struct usbdev *d, unsigned frame)
{
	struct kbd *k = kbd_of(d);

	if (k->sof_seen)
		k->now_ms += (frame - k->last_frame) & 0x7ff;
	k->sof_seen = true;
	k->last_frame = (uint16_t)frame;
}

/* ---------------------------------------------------------------- control requests */

static int kbd_control(struct usbdev *d, enum usbdev_ctl_stage stage, const struct usb_setup *s,
		       uint8_t *buf)
{
	struct kbd *k = kbd_of(d);
	unsigned type = s->wValue >> 8, id = s->wValue & 0xff;

	if ((s->bmRequestType & 0x1f) != 1 || s->wIndex != 0 || d->config_idx < 0)
		return -1;  /* interface 0 only, configured state only */
	if (s->bmRequestType == 0x81 && s->bRequest == 6) {  /* GET_DESCRIPTOR (interface) */
		if (type == 0x21 && id == 0) {
			memcpy(buf, kbd_hid_desc, sizeof(kbd_hid_desc));
			return sizeof(kbd_hid_desc);
		}
		if (type == 0x22 && id == 0) {
			memcpy(buf, kbd_report_desc, sizeof(kbd_report_desc));
			return sizeof(kbd_report_desc);
		}
		return -1;  /* physical descriptors and others */
	}
	if (s->bmRequestType == 0xa1) {
		switch (s->bRequest) {
		case 0x01: /* GET_REPORT */
			if (id != 0)
				return -1;
			k->st.get_reports++;
			if (type == 1) {
				memcpy(buf, k->last, KBD_REPORT);
				return KBD_REPORT;
			}
			if (type == 2) {
				buf[0] = k->leds;
				return 1;
			}
			return -1;
		case 0x02: /* GET_IDLE */
			if (s->wValue >> 8 || s->wLength != 1)
				return -1;
			buf[0] = k->idle;
			return 1;
		case 0x03: /* GET_PROTOCOL */
			if (s->wValue || s->wLength != 1)
				return -1;
			buf[0] = k->protocol;
			return 1;
		default:
			return -1;
		}
	}
	if (s->bmRequestType == 0x21) {
		switch (s->bRequest) {
		case 0x09: /* SET_REPORT: output (LEDs) only */
			if (type != 2 || id != 0 || s->wLength < 1 || s->wLength > 8)
				return -1;
			if (stage == USBDEV_CTL_DATA_DONE) {
				if (s->wLength < 1)
					return -1;
				k->leds = buf[0] & 0x1f;
				k->st.set_reports++;
			}
			return 0;
		case 0x0a: /* SET_IDLE: duration in the high byte, report ID in the low byte */
			if (s->wLength || id != 0)
				return -1;
			k->idle = (uint8_t)(s->wValue >> 8);
			k->last_sent_ms = k->now_ms;
			return 0;
		case 0x0b: /* SET_PROTOCOL */
			if (s->wLength || s->wValue > 1)
				return -1;
			k->protocol = (uint8_t)s->wValue;
			return 0;
		default:
			return -1;
		}
	}
	return -1;
}

static void kbd_reset_state(struct usbdev *d)
{
	struct kbd *k = kbd_of(d);

	k->leds = 0;
	k->idle = 0;
	k->protocol = 1;
	k->inflight_queued = false;
	memset(k->last, 0, sizeof(k->last));
}

static void kbd_set_config(struct usbdev *d, unsigned value)
{
	(void)value;
	kbd_reset_state(d);
}

static void kbd_destroy(struct usbdev *d)
{
	struct kbd *k = kbd_of(d);

	free(k->q);
	free(k);
}

static const struct usbdev_ops kbd_ops = {
	.control = kbd_control,
	.in = kbd_in,
	.in_done = kbd_in_done,
	.set_config = kbd_set_config,
	.bus_reset = kbd_reset_state,
	.sof = kbd_sof,
	.destroy = kbd_destroy,
};

/* ---------------------------------------------------------------- API */

struct usbdev *usbdev_kbd_create(const struct usbdev_kbd_opts *opts)
{
	struct usbdev_kbd_opts o = { 0 };
	struct usbdev_desc dd = { 0 };
	struct usbdev_config_desc *c = &dd.configs[0];
	struct usbdev_alt_desc *a = &c->intfs[0].alts[0];
	struct usbdev *d;
	struct kbd *k;

	if (opts)
		o = *opts;
	if (!o.vid && !o.pid) {
		o.vid = 0x1209;
		o.pid = 0x0001;
	}
	if (!o.interval)
		o.interval = 10;
	if (o.interval > 255) {
		fprintf(stderr, "usbdev_kbd_create: bad interval %u (1..255 ms)\n", o.interval);
		return NULL;
	}

	dd.bcd_usb = 0x0200;
	dd.vid = o.vid;
	dd.pid = o.pid;
	dd.bcd_device = 0x0100;
	dd.mps0 = o.low_speed ? 8 : 64;
	dd.low_speed = o.low_speed;
	dd.imanufacturer = 1;
	dd.iproduct = 2;
	dd.iserial = 3;
	dd.strings[1] = "kite";
	dd.strings[2] = "kite HID boot keyboard";
	dd.strings[3] = "KBD0001";
	dd.num_configs = 1;
	c->value = 1;
	c->attributes = 0xa0;  /* bus powered, remote wake-up */
	c->max_power = 50;     /* 100 mA */
	c->num_intfs = 1;
	c->intfs[0].num_alts = 1;
	a->cls = 3;
	a->subcls = 1;
	a->proto = 1;
	a->extra = kbd_hid_desc;
	a->extra_len = sizeof(kbd_hid_desc);
	a->num_eps = 1;
	a->eps[0].addr = 0x81;
	a->eps[0].type = USB_EP_INT;
	a->eps[0].mps = KBD_REPORT;
	a->eps[0].interval = (uint8_t)o.interval;

	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->o = o;
	k->protocol = 1;
	d = usbdev_create(o.low_speed ? "kbd-ls" : "kbd", &dd, &kbd_ops, k);
	if (!d)
		free(k);
	return d;
}

int usbdev_kbd_ascii_to_key(char ch, uint8_t *modifiers, uint8_t *keycode)
{
	static const char plain[] = "-=[]\\\0;'`,./";     /* usages 0x2d..0x38 (0x32: non-US #) */
	static const char shifted[] = "_+{}|\0:\"~<>?";
	static const char shifted_digits[] = "!@#$%^&*()";
	const char *p;
	uint8_t m = 0, kc = 0;
	unsigned char c = (unsigned char)ch;

	if (c >= 'a' && c <= 'z') {
		kc = (uint8_t)(0x04 + c - 'a');
	} else if (c >= 'A' && c <= 'Z') {
		kc = (uint8_t)(0x04 + c - 'A');
		m = USBDEV_KBD_MOD_LSHIFT;
	} else if (c >= '1' && c <= '9') {
		kc = (uint8_t)(0x1e + c - '1');
	} else if (c == '0') {
		kc = 0x27;
	} else if (c == '\n' || c == '\r') {
		kc = 0x28;
	} else if (c == 0x1b) {
		kc = 0x29;
	} else if (c == '\b') {
		kc = 0x2a;
	} else if (c == '\t') {
		kc = 0x2b;
	} else if (c == ' ') {
		kc = 0x2c;
	} else if (c && (p = memchr(shifted_digits, c, sizeof(shifted_digits) - 1))) {
		kc = (uint8_t)(0x1e + (p - shifted_digits));
		m = USBDEV_KBD_MOD_LSHIFT;
	} else if (c && (p = memchr(plain, c, sizeof(plain) - 1))) {
		kc = (uint8_t)(0x2d + (p - plain));
	} else if (c && (p = memchr(shifted, c, sizeof(shifted) - 1))) {
		kc = (uint8_t)(0x2d + (p - shifted));
		m = USBDEV_KBD_MOD_LSHIFT;
	} else {
		return -EINVAL;
	}
	if (modifiers)
		*modifiers = m;
	if (keycode)
		*keycode = kc;
	return 0;
}

int usbdev_kbd_type(struct usbdev *d, const char *ascii)
{
	static const uint8_t none[KBD_REPORT];
	int n = 0, r;

	if (!d || !ascii)
		return -EINVAL;
	for (const char *p = ascii; *p; p++)
		if (usbdev_kbd_ascii_to_key(*p, NULL, NULL)) {
			fprintf(stderr, "usbdev_kbd_type: no key for character 0x%02x\n", (unsigned char)*p);
			return -EINVAL;
		}
	for (const char *p = ascii; *p; p++) {
		uint8_t rep[KBD_REPORT] = { 0 };

		usbdev_kbd_ascii_to_key(*p, &rep[0], &rep[2]);
		r = q_push(d, rep);
		if (!r)
			r = q_push(d, none);
		if (r)
			return r;
		n += 2;
	}
	return n;
}

int usbdev_kbd_press(struct usbdev *d, uint8_t modifiers, uint8_t keycode)
{
	struct kbd *k;
	uint8_t rep[KBD_REPORT];
	unsigned i;

	if (!d || keycode > 0xe7)
		return -EINVAL;
	k = kbd_of(d);
	memcpy(rep, k->held, KBD_REPORT);
	rep[0] |= modifiers;
	if (keycode >= 0xe0) {  /* modifier keys as usages */
		rep[0] |= (uint8_t)(1u << (keycode - 0xe0));
	} else if (keycode) {
		for (i = 2; i < KBD_REPORT && rep[i] && rep[i] != keycode; i++)
			;
		if (i == KBD_REPORT)
			return -ENOSPC;
		rep[i] = keycode;
	}
	return q_push(d, rep);
}

int usbdev_kbd_release_all(struct usbdev *d)
{
	static const uint8_t none[KBD_REPORT];

	if (!d)
		return -EINVAL;
	return q_push(d, none);
}

unsigned usbdev_kbd_pending(const struct usbdev *d)
{
	return kbd_of(d)->q_count;
}

uint8_t usbdev_kbd_leds(const struct usbdev *d)
{
	return kbd_of(d)->leds;
}

unsigned usbdev_kbd_protocol(const struct usbdev *d)
{
	return kbd_of(d)->protocol;
}

unsigned usbdev_kbd_idle(const struct usbdev *d)
{
	return kbd_of(d)->idle;
}

void usbdev_kbd_get_stats(const struct usbdev *d, struct usbdev_kbd_stats *st)
{
	*st = kbd_of(d)->st;
}
