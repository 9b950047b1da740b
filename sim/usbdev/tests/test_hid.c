// SPDX-License-Identifier: MIT
/* HID boot keyboard model (hid_keyboard.c), driven with packets directly (no attachment). */
#include "usbdev_test.h"

/* A full-speed keyboard and the host that drives it: the fixture of a test sequence. */
struct kbd {
	struct tdev t;
	unsigned rdlen;   /* the report descriptor's length in the HID descriptor */
};

/* Run a sequence of tests on one full-speed keyboard, built only if the filter selects one. */
static void kbd_run(const struct kt_case *cases, size_t n)
{
	struct usbdev_kbd_opts o = { .low_speed = false };
	struct kbd k;

	if (!kt_any(cases, n))
		return;
	t_direct(&k.t, usbdev_kbd_create(&o), "usbdev_kbd_create");
	kt_run_seq(cases, n, &k);
	usbdev_destroy(k.t.d);
}

static void send_sof(struct thost *h, unsigned frame)
{
	uint8_t pkt[3], r[8];

	usb_make_token(pkt, USB_PID_SOF, frame & 0x7f, (frame >> 7) & 0xf);
	h->xfer(h->ctx, pkt, 3, r, sizeof(r));
}

/*
 * Walk a report descriptor: bits of all Input and Output main items (report size x count).
 * Returns the number of bytes parsed, or -1 on a malformed item.
 */
static int hid_walk(const uint8_t *p, unsigned len, unsigned *in_bits, unsigned *out_bits, int *depth)
{
	unsigned i = 0, size = 0, count = 0;

	*in_bits = *out_bits = 0;
	*depth = 0;
	while (i < len) {
		unsigned b = p[i], n = b & 3, v = 0;

		if (n == 3)
			n = 4;
		if (b == 0xfe || i + 1 + n > len)
			return -1;  /* long items are not used by a boot keyboard */
		for (unsigned k = 0; k < n; k++)
			v |= (unsigned)p[i + 1 + k] << (8 * k);
		switch (b & 0xfc) {
		case 0x74: size = v; break;            /* Report Size */
		case 0x94: count = v; break;           /* Report Count */
		case 0x80: *in_bits += size * count; break;
		case 0x90: *out_bits += size * count; break;
		case 0xa0: (*depth)++; break;          /* Collection */
		case 0xc0: (*depth)--; break;          /* End Collection */
		default: break;
		}
		i += 1 + n;
	}
	return (int)i;
}

static void t_hid_enumerate(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;

	t_enumerate(h, 5, 1, 0x1209, 0x0001);
	KT_CHECK(d->config == 1 && d->addr == 5, "config %u address %u", d->config, d->addr);
	KT_CHECK(!d->desc.low_speed && d->desc.mps0 == 64, "full-speed variant: low_speed %d mps0 %u",
	         d->desc.low_speed, d->desc.mps0);
}

static void t_hid_config_descriptor(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	uint8_t b[1024];
	unsigned total;
	int n;

	n = t_control(h, 0x80, 6, 0x0200, 0, 255, b);
	total = n >= 4 ? (unsigned)(b[2] | b[3] << 8) : 0;
	KT_CHECK(n == 34 && total == 34, "config descriptor %d bytes, wTotalLength %u, want 34", n, total);
	KT_CHECK(b[9] == 9 && b[10] == 4 && b[13] == 1 && b[14] == 3 && b[15] == 1 && b[16] == 1,
	         "interface: %u endpoints class %u/%u/%u", b[13], b[14], b[15], b[16]);
	KT_CHECK(b[18] == 9 && b[19] == 0x21 && b[20] == 0x11 && b[21] == 0x01 && b[23] == 1 && b[24] == 0x22,
	         "HID descriptor: len %u type %02x bcdHID %02x%02x num %u type %02x", b[18], b[19], b[21], b[20],
	         b[23], b[24]);
	k->rdlen = (unsigned)(b[25] | b[26] << 8);
	KT_CHECK(b[27] == 7 && b[28] == 5 && b[29] == 0x81 && b[30] == 3 && (b[31] | b[32] << 8) == 8 && b[33] == 10,
	         "endpoint: addr %02x attr %u mps %u interval %u", b[29], b[30], b[31] | b[32] << 8, b[33]);
}

static void t_hid_descriptors_via_control(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	uint8_t b[1024];
	unsigned in_bits, out_bits, rdlen = k->rdlen;
	int n, depth;

	n = t_control(h, 0x81, 6, 0x2100, 0, 9, b);
	KT_CHECK(n == 9 && b[1] == 0x21 && (unsigned)(b[7] | b[8] << 8) == rdlen,
	         "GET_DESCRIPTOR(HID) %d bytes, report length %u vs %u", n, b[7] | b[8] << 8, rdlen);
	n = t_control(h, 0x81, 6, 0x2200, 0, 255, b);
	KT_CHECK(n > 0 && (unsigned)n == rdlen, "GET_DESCRIPTOR(report) returned %d bytes, HID descriptor says %u",
	         n, rdlen);
	if (n > 0) {
		int used = hid_walk(b, (unsigned)n, &in_bits, &out_bits, &depth);

		KT_CHECK(used == n && depth == 0, "report descriptor does not parse (%d of %d bytes, depth %d)",
		         used, n, depth);
		KT_CHECK(in_bits == 64 && out_bits == 8, "input report %u bits (want 64), output %u bits (want 8)",
		         in_bits, out_bits);
		KT_CHECK(b[0] == 0x05 && b[1] == 0x01 && b[2] == 0x09 && b[3] == 0x06,
		         "not a Generic Desktop / Keyboard collection");
	}
	n = t_control(h, 0x81, 6, 0x2300, 0, 64, b);
	KT_CHECK(n == -EPIPE, "GET_DESCRIPTOR(physical) gave %d, want STALL", n);
	n = t_control(h, 0x81, 6, 0x2200, 1, 64, b);
	KT_CHECK(n == -EPIPE, "GET_DESCRIPTOR(report) of interface 1 gave %d, want STALL", n);
}

/* On one full-speed keyboard, in order (each test builds on the state the ones before it left). */
static const struct kt_case enumerate_cases[] = {
	{ "hid-enumerate", t_hid_enumerate },
	{ "hid-config-descriptor", t_hid_config_descriptor },
	{ "hid-descriptors-via-control", t_hid_descriptors_via_control },
};

static const struct {
	char ch;
	uint8_t mod, key;
} type_expect[] = {
	{ 'a', 0, 0x04 }, { 'B', 0x02, 0x05 }, { '1', 0, 0x1e }, { '0', 0, 0x27 }, { ' ', 0, 0x2c },
	{ '!', 0x02, 0x1e }, { '.', 0, 0x37 }, { '?', 0x02, 0x38 }, { 'z', 0, 0x1d }, { '\n', 0, 0x28 },
};

/* Read one report from EP1 IN. Returns the t_in result. */
static int read_report(struct thost *h, uint8_t rep[8], unsigned *len)
{
	unsigned pid;
	int r = t_in(h, 1, rep, 8, len, &pid, h->toggle[1][1], false);

	if (r == T_DATA)
		h->toggle[1][1] ^= 1;
	return r;
}

static void t_hid_typing_enumerate(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;

	t_enumerate(h, 3, 1, 0x1209, 0x0001);
	send_sof(h, 100);
}

static void t_hid_nak_when_idle(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t rep[8];
	unsigned len;
	int r;

	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK, "IN with nothing queued answered %s", t_res_name(r));
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK && usbdev_kbd_pending(d) == 0, "second IN answered %s", t_res_name(r));
}

static void t_hid_type_reports_in_order(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t rep[8];
	unsigned len, n_exp = sizeof(type_expect) / sizeof(type_expect[0]);
	char text[16];
	int n, r;

	for (unsigned i = 0; i < n_exp; i++)
		text[i] = type_expect[i].ch;
	text[n_exp] = 0;
	n = usbdev_kbd_type(d, text);
	KT_CHECK(n == (int)(2 * n_exp) && usbdev_kbd_pending(d) == 2 * n_exp, "type queued %d, pending %u", n,
	         usbdev_kbd_pending(d));
	for (unsigned i = 0; i < n_exp && !kt_failed(); i++) {
		static const uint8_t zero[8];

		r = read_report(h, rep, &len);
		KT_CHECK(r == T_DATA && len == 8, "press report for '%c': %s len %u", type_expect[i].ch,
		         t_res_name(r), len);
		KT_CHECK(rep[0] == type_expect[i].mod && rep[1] == 0 && rep[2] == type_expect[i].key &&
			     !memcmp(rep + 3, zero, 5),
		         "press report for 0x%02x: %02x %02x %02x %02x, want %02x 00 %02x 00", type_expect[i].ch,
		         rep[0], rep[1], rep[2], rep[3], type_expect[i].mod, type_expect[i].key);
		r = read_report(h, rep, &len);
		KT_CHECK(r == T_DATA && len == 8 && !memcmp(rep, zero, 8), "release report for 0x%02x: %s %02x %02x",
		         type_expect[i].ch, t_res_name(r), rep[0], rep[2]);
		KT_CHECK(usbdev_kbd_pending(d) == 2 * (n_exp - i - 1), "pending %u after %u characters",
		         usbdev_kbd_pending(d), i + 1);
	}
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK, "IN after the last report answered %s", t_res_name(r));
}

static void t_hid_report_resent_until_acked(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t rep[8], b[1024];
	unsigned len;
	int r;

	usbdev_kbd_type(d, "q");
	{
		uint8_t pkt[3], resp[32];
		int l1, l2;

		usb_make_token(pkt, USB_PID_IN, h->addr, 1);
		l1 = h->xfer(h->ctx, pkt, 3, resp, sizeof(resp));
		memcpy(b, resp, 11);
		l2 = h->xfer(h->ctx, pkt, 3, resp, sizeof(resp));  /* no ACK in between: the same packet again */
		KT_CHECK(l1 == 11 && l2 == 11 && !memcmp(b, resp, 11) && b[3] == 0x14,
		         "resent report differs (%d, %d bytes, key %02x)", l1, l2, b[3]);
		KT_CHECK(usbdev_kbd_pending(d) == 2, "pending %u before the ACK, want 2", usbdev_kbd_pending(d));
		pkt[0] = usb_pid_byte(USB_PID_ACK);
		h->xfer(h->ctx, pkt, 1, resp, sizeof(resp));
		KT_CHECK(usbdev_kbd_pending(d) == 1, "pending %u after the ACK, want 1", usbdev_kbd_pending(d));
		h->toggle[1][1] ^= 1;
	}
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[2] == 0, "release after the resent press: %s key %02x", t_res_name(r), rep[2]);
}

static void t_hid_press_release_api(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t rep[8], mod, key;
	unsigned len;
	int n, r;

	KT_CHECK(usbdev_kbd_press(d, USBDEV_KBD_MOD_LCTRL, 0x06) == 0, "press failed");
	KT_CHECK(usbdev_kbd_press(d, 0, 0x1b) == 0, "second press failed");
	KT_CHECK(usbdev_kbd_press(d, 0, 0xe1) == 0, "press of LeftShift usage failed");
	KT_CHECK(usbdev_kbd_release_all(d) == 0 && usbdev_kbd_pending(d) == 4, "pending %u, want 4",
	         usbdev_kbd_pending(d));
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0x01 && rep[2] == 0x06 && rep[3] == 0, "report 1: %02x %02x %02x",
	         rep[0], rep[2], rep[3]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0x01 && rep[2] == 0x06 && rep[3] == 0x1b, "report 2: %02x %02x %02x",
	         rep[0], rep[2], rep[3]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0x03 && rep[2] == 0x06 && rep[3] == 0x1b, "report 3: %02x %02x %02x",
	         rep[0], rep[2], rep[3]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0 && rep[2] == 0 && rep[3] == 0, "release report: %02x %02x %02x",
	         rep[0], rep[2], rep[3]);
	for (unsigned k = 0; k < 6; k++)
		usbdev_kbd_press(d, 0, (uint8_t)(0x04 + k));
	n = usbdev_kbd_press(d, 0, 0x0a);
	KT_CHECK(n == -ENOSPC, "seventh key gave %d, want -ENOSPC", n);
	KT_CHECK(usbdev_kbd_press(d, 0, 0xf0) == -EINVAL, "keycode 0xf0 accepted");
	usbdev_kbd_release_all(d);
	for (unsigned i = 0; i < 20 && usbdev_kbd_pending(d) && read_report(h, rep, &len) == T_DATA; i++)
		;
	KT_CHECK(usbdev_kbd_pending(d) == 0, "queue did not drain");
	n = usbdev_kbd_type(d, "ok\x01");
	KT_CHECK(n == -EINVAL && usbdev_kbd_pending(d) == 0, "unmappable character: %d, pending %u", n,
	         usbdev_kbd_pending(d));
	KT_CHECK(usbdev_kbd_ascii_to_key('~', &mod, &key) == 0 && mod == 2 && key == 0x35, "'~' -> %02x %02x",
	         mod, key);
}

static void t_hid_set_report_leds(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t b[1024];
	int n;

	b[0] = USBDEV_KBD_LED_CAPS | USBDEV_KBD_LED_NUM;
	n = t_control(h, 0x21, 0x09, 0x0200, 0, 1, b);
	KT_CHECK(n == 1 && usbdev_kbd_leds(d) == 0x03, "SET_REPORT gave %d, LEDs %02x", n, usbdev_kbd_leds(d));
	n = t_control(h, 0xa1, 0x01, 0x0200, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0x03, "GET_REPORT(output) gave %d, %02x", n, b[0]);
	b[0] = USBDEV_KBD_LED_SCROLL;
	n = t_control(h, 0x21, 0x09, 0x0200, 0, 1, b);
	KT_CHECK(n == 1 && usbdev_kbd_leds(d) == 0x04, "second SET_REPORT: LEDs %02x", usbdev_kbd_leds(d));
	n = t_control(h, 0x21, 0x09, 0x0100, 0, 1, b);
	KT_CHECK(n == -EPIPE, "SET_REPORT(input) gave %d, want STALL", n);
	n = t_control(h, 0xa1, 0x01, 0x0100, 0, 8, b);
	KT_CHECK(n == 8 && b[0] == 0 && b[2] == 0, "GET_REPORT(input) gave %d, %02x %02x", n, b[0], b[2]);
}

static void t_hid_protocol_and_idle_requests(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t b[1024];
	int n;

	n = t_control(h, 0xa1, 0x03, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 1, "GET_PROTOCOL default %d, %u (want report protocol 1)", n, b[0]);
	n = t_control(h, 0x21, 0x0b, 0, 0, 0, NULL);
	KT_CHECK(n == 0 && usbdev_kbd_protocol(d) == 0, "SET_PROTOCOL(boot) %d", n);
	n = t_control(h, 0xa1, 0x03, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0, "GET_PROTOCOL after SET_PROTOCOL(boot): %u", b[0]);
	n = t_control(h, 0xa1, 0x02, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0, "GET_IDLE default %d, %u", n, b[0]);
	n = t_control(h, 0x21, 0x0a, 2 << 8, 0, 0, NULL);
	KT_CHECK(n == 0 && usbdev_kbd_idle(d) == 2, "SET_IDLE(8 ms) %d", n);
	n = t_control(h, 0xa1, 0x02, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 2, "GET_IDLE %d, %u", n, b[0]);
	n = t_control(h, 0x21, 0x0b, 2, 0, 0, NULL);
	KT_CHECK(n == -EPIPE, "SET_PROTOCOL(2) gave %d, want STALL", n);
}

static void t_hid_idle_repeat(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t rep[8];
	unsigned len;
	int r;
	struct usbdev_kbd_stats st;
	unsigned f = 200;

	send_sof(h, f);
	usbdev_kbd_press(d, 0, 0x04);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[2] == 0x04, "press: %s", t_res_name(r));
	for (unsigned i = 1; i < 8; i++) {
		send_sof(h, ++f);
		r = read_report(h, rep, &len);
		KT_CHECK(r == T_NAK, "IN %u ms after the report answered %s", i, t_res_name(r));
	}
	send_sof(h, ++f);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[2] == 0x04, "IN 8 ms after the report: %s key %02x (want the repeat)",
	         t_res_name(r), rep[2]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK, "IN right after the repeat answered %s", t_res_name(r));
	usbdev_kbd_get_stats(d, &st);
	KT_CHECK(st.idle_repeats == 1, "idle_repeats %llu, want 1", (unsigned long long)st.idle_repeats);
	t_control(h, 0x21, 0x0a, 0, 0, 0, NULL);  /* idle 0: report only on change */
	for (unsigned i = 0; i < 40; i++)
		send_sof(h, ++f);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK, "IN with idle 0 after 40 ms answered %s", t_res_name(r));
	usbdev_kbd_release_all(d);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[2] == 0, "release: %s", t_res_name(r));
}

static void t_hid_bus_reset_clears_state(void *arg)
{
	struct kbd *k = arg;
	struct thost *h = &k->t.h;
	struct usbdev *d = k->t.d;
	uint8_t b[1024];
	int n;

	usbdev_bus_reset(d);
	KT_CHECK(usbdev_kbd_leds(d) == 0 && usbdev_kbd_idle(d) == 0 && usbdev_kbd_protocol(d) == 1,
	         "after reset: LEDs %02x idle %u protocol %u", usbdev_kbd_leds(d), usbdev_kbd_idle(d),
	         usbdev_kbd_protocol(d));
	h->addr = 0;
	h->mps0 = 64;
	n = t_control(h, 0xa1, 0x03, 0, 0, 1, b);
	KT_CHECK(n == -EPIPE, "HID request while unconfigured gave %d, want STALL", n);
}

/* On another full-speed keyboard, enumerated by the first test, in order. */
static const struct kt_case typing_cases[] = {
	{ "hid-typing-enumerate", t_hid_typing_enumerate },
	{ "hid-nak-when-idle", t_hid_nak_when_idle },
	{ "hid-type-reports-in-order", t_hid_type_reports_in_order },
	{ "hid-report-resent-until-acked", t_hid_report_resent_until_acked },
	{ "hid-press-release-api", t_hid_press_release_api },
	{ "hid-set-report-leds", t_hid_set_report_leds },
	{ "hid-protocol-and-idle-requests", t_hid_protocol_and_idle_requests },
	{ "hid-idle-repeat", t_hid_idle_repeat },
	{ "hid-bus-reset-clears-state", t_hid_bus_reset_clears_state },
};

static void t_hid_low_speed_variant(void *arg)
{
	struct usbdev_kbd_opts o = { .low_speed = true };
	struct tdev t;
	struct thost *h = &t.h;
	struct usbdev *d;
	uint8_t b[64], rep[8];
	unsigned len;
	int n, r;

	(void)arg;
	t_direct(&t, usbdev_kbd_create(&o), "usbdev_kbd_create");
	d = t.d;
	KT_CHECK(d->desc.low_speed && d->desc.mps0 == 8, "low_speed %d mps0 %u", d->desc.low_speed, d->desc.mps0);
	t_enumerate(h, 9, 1, 0x1209, 0x0001);
	h->mps0 = 8;
	n = t_control(h, 0x80, 6, 0x0100, 0, 18, b);
	KT_CHECK(n == 18 && b[7] == 8, "device descriptor bMaxPacketSize0 %u", b[7]);
	n = t_control(h, 0x81, 6, 0x2200, 0, 255, b);
	KT_CHECK(n == 63, "report descriptor over an 8-byte EP0: %d bytes", n);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_NAK, "idle IN answered %s", t_res_name(r));
	usbdev_kbd_type(d, "Hi");
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 2 && rep[2] == 0x0b, "press 'H': %s %02x %02x", t_res_name(r), rep[0],
	         rep[2]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0 && rep[2] == 0, "release: %s", t_res_name(r));
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[0] == 0 && rep[2] == 0x0c, "press 'i': %s %02x", t_res_name(r), rep[2]);
	r = read_report(h, rep, &len);
	KT_CHECK(r == T_DATA && rep[2] == 0 && usbdev_kbd_pending(d) == 0, "release 'i': %s", t_res_name(r));
	usbdev_destroy(d);
}

static void t_hid_create_errors(void *arg)
{
	struct usbdev_kbd_opts o = { .interval = 300 };

	(void)arg;
	KT_CHECK(usbdev_kbd_create(&o) == NULL, "bInterval 300 accepted");
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "hid-low-speed-variant", t_hid_low_speed_variant },
		{ "hid-create-errors", t_hid_create_errors },
	};

	kt_init(&argc, argv);
	kbd_run(enumerate_cases, KT_ARRAY_SIZE(enumerate_cases));
	kbd_run(typing_cases, KT_ARRAY_SIZE(typing_cases));
	kt_run(cases, KT_ARRAY_SIZE(cases), NULL);
	return kt_finish();
}
