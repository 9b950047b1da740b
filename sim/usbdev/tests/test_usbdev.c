// SPDX-License-Identifier: MIT
/* usbdev framework + gadget zero, driven with packets directly (no attachment). */
#include "usbdev_test.h"

/*
 * Run a sequence of tests on one gadget zero device (pattern 1), first enumerated at address 3
 * and configured (source/sink) if asked; nothing is built when the filter selects none of them.
 */
static void gz_run(const struct kt_case *cases, size_t n, bool intr, bool configured)
{
	struct usbdev_gzero_opts o = { .pattern = 1, .intr = intr };
	struct tdev g;

	if (!kt_any(cases, n))
		return;
	t_direct(&g, usbdev_gzero_create(&o), "usbdev_gzero_create");
	if (configured) {
		kt_setup("gzero-enumerate");
		t_enumerate(&g.h, 3, 3, 0x0525, 0xa4a0);
		kt_end();
	}
	kt_run_seq(cases, n, &g);
	usbdev_destroy(g.d);
}

static void t_usbdev_crc(void *arg)
{
	uint8_t t[3];

	(void)arg;
	usb_make_token(t, USB_PID_SETUP, 0, 0);
	KT_CHECK(t[0] == 0x2d && t[1] == 0x00 && t[2] == 0x10, "SETUP 0/0 is %02x %02x %02x, want 2d 00 10",
	         t[0], t[1], t[2]);
	KT_CHECK(usb_crc16((const uint8_t *)"123456789", 9) == 0xb4c8, "CRC16 check value %04x, want b4c8",
	         usb_crc16((const uint8_t *)"123456789", 9));
	KT_CHECK(usb_pid_byte(USB_PID_DATA1) == 0x4b && usb_pid_byte(USB_PID_ACK) == 0xd2, "PID bytes");
}

static void t_gzero_get_descriptor_8_then_18(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	int n;

	h->mps0 = 8;
	n = t_control(h, 0x80, 6, 0x0100, 0, 8, b);
	KT_CHECK(n == 8 && b[0] == 18 && b[1] == 1 && b[7] == 64, "8-byte read: %d bytes, mps0 %u", n, b[7]);
	h->mps0 = 64;
	n = t_control(h, 0x80, 6, 0x0100, 0, 18, b);
	KT_CHECK(n == 18 && b[8] == 0x25 && b[9] == 0x05 && b[10] == 0xa0 && b[11] == 0xa4 && b[17] == 2,
	         "18-byte read: %d bytes, ids %02x%02x:%02x%02x, %u configs", n, b[9], b[8], b[11], b[10], b[17]);
}

static void t_gzero_set_address_after_status(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r;
	uint8_t s[8] = { 0x00, 5, 7, 0, 0, 0, 0, 0 };

	r = t_out(h, USB_PID_SETUP, 0, USB_PID_DATA0, s, 8);
	KT_CHECK(r == T_ACK, "SETUP answered %s", t_res_name(r));
	KT_CHECK(d->addr == 0, "address changed before the status stage");
	h->addr = 7;
	r = t_in(h, 0, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_NONE, "IN to the new address before the status stage answered %s", t_res_name(r));
	h->addr = 0;
	r = t_in(h, 0, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_DATA && len == 0 && pid == USB_PID_DATA1, "status IN: %s len %u", t_res_name(r), len);
	KT_CHECK(d->addr == 7, "address %u after the status stage", d->addr);
	r = t_in(h, 0, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_NONE, "IN to address 0 answered %s", t_res_name(r));
	h->addr = 7;
}

static void t_gzero_config_descriptor(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	int n;

	n = t_control(h, 0x80, 6, 0x0200, 0, 9, b);
	KT_CHECK(n == 9 && (b[2] | b[3] << 8) == 9 + 23 + 37 && b[5] == 3 && b[7] == 0xc0,
	         "config 0: %d bytes, total %u, value %u, attributes %02x", n, b[2] | b[3] << 8, b[5], b[7]);
	n = t_control(h, 0x80, 6, 0x0200, 0, 1024, b);   /* usbtest test 10 case 10: short read */
	KT_CHECK(n == 69, "full read with wLength 1024 gave %d bytes, want 69", n);
	KT_CHECK(b[9 + 1] == 4 && b[9 + 3] == 0 && b[9 + 4] == 2 && b[18 + 2] == 0x81 && b[18 + 3] == 2 &&
		     b[25 + 2] == 0x01 && b[32 + 3] == 1 && b[32 + 4] == 4 && b[41 + 2] == 0x81 && b[48 + 2] == 0x01 &&
		     b[55 + 2] == 0x02 && b[55 + 3] == 1 && (b[55 + 4] | b[55 + 5] << 8) == 1023 && b[62 + 2] == 0x82,
	         "interface/endpoint layout differs from f_sourcesink at full speed");
	n = t_control(h, 0x80, 6, 0x0201, 0, 9, b);
	KT_CHECK(n == 9 && b[5] == 2, "config 1 is value %u, want 2 (loopback)", b[5]);
	n = t_control(h, 0x80, 6, 0x0202, 0, 9, b);
	KT_CHECK(n == -EPIPE, "config index 2 gave %d, want STALL", n);
}

static void t_gzero_strings(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	int n;

	n = t_control(h, 0x80, 6, 0x0300, 0x0409, 255, b);
	KT_CHECK(n == 4 && b[2] == 0x09 && b[3] == 0x04, "LANGID: %d bytes", n);
	n = t_control(h, 0x80, 6, 0x0302, 0x0409, 255, b);
	KT_CHECK(n == 2 + 2 * 11 && b[2] == 'G' && b[4] == 'a', "product string: %d bytes", n);
	n = t_control(h, 0x80, 6, 0x0309, 0x0409, 255, b);
	KT_CHECK(n == -EPIPE, "missing string gave %d", n);
}

static void t_gzero_ch9_stalls_and_status(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	int n;

	n = t_control(h, 0x80, 6, 0x0400, 0, 9, b);
	KT_CHECK(n == -EPIPE, "GET_DESCRIPTOR(interface) gave %d, want STALL", n);
	n = t_control(h, 0x80, 6, 0x0500, 0, 9, b);
	KT_CHECK(n == -EPIPE, "GET_DESCRIPTOR(endpoint) gave %d, want STALL", n);
	n = t_control(h, 0x80, 6, 0x0600, 0, 10, b);
	KT_CHECK(n == -EPIPE, "GET_DESCRIPTOR(qualifier) gave %d, want STALL", n);
	n = t_control(h, 0x80, 0, 0, 0, 2, b);
	KT_CHECK(n == 2 && b[0] == 1 && b[1] == 0, "GET_STATUS(device) %d: %02x %02x", n, b[0], b[1]);
	n = t_control(h, 0x80, 8, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0, "GET_CONFIGURATION unconfigured: %d, %u", n, b[0]);
	n = t_control(h, 0x81, 10, 0, 0, 1, b);
	KT_CHECK(n == -EPIPE, "GET_INTERFACE unconfigured gave %d", n);
	n = t_control(h, 0x02, 1, 0, 0, 0, NULL);
	KT_CHECK(n == 0, "CLEAR_FEATURE(halt, ep0) gave %d", n);
	n = t_control(h, 0x00, 3, 1, 0, 0, NULL);
	n = t_control(h, 0x80, 0, 0, 0, 2, b);
	KT_CHECK(n == 2 && b[0] == 3, "remote wake-up not reported by GET_STATUS: %02x", b[0]);
	t_control(h, 0x00, 1, 1, 0, 0, NULL);
	n = t_control(h, 0x80, 0, 0, 0, 2, b);
	KT_CHECK(n == 2 && b[0] == 1, "remote wake-up not cleared: %02x", b[0]);
}

static void t_gzero_set_configuration(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	int n;

	n = t_control(h, 0x00, 9, 3, 0, 0, NULL);
	KT_CHECK(n == 0, "SET_CONFIGURATION(3) gave %d", n);
	n = t_control(h, 0x80, 8, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 3, "GET_CONFIGURATION: %d, %u", n, b[0]);
	n = t_control(h, 0x81, 10, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0, "GET_INTERFACE: %d, %u", n, b[0]);
	n = t_control(h, 0x81, 0, 0, 0, 2, b);
	KT_CHECK(n == 2 && b[0] == 0, "GET_STATUS(interface): %d", n);
	n = t_control(h, 0x00, 9, 4, 0, 0, NULL);
	KT_CHECK(n == -EPIPE, "SET_CONFIGURATION(4) gave %d, want STALL", n);
}

static void t_gzero_bulk_in_pattern1(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r;
	int bad = 0;

	for (unsigned k = 0; k < 3; k++) {
		r = t_in(h, 1, b, 64, &len, &pid, (int)(k & 1), false);
		if (r != T_DATA || len != 64)
			bad++;
		for (unsigned i = 0; i < len; i++)
			if (b[i] != i % 63)
				bad++;
	}
	KT_CHECK(bad == 0, "%d bad packets/bytes (last result %s, len %u)", bad, t_res_name(r), len);
}

static void t_gzero_bulk_in_retry_without_ack(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;
	uint8_t tok[3], rb[100] = { 0 };

	usb_make_token(tok, USB_PID_IN, 7, 1);
	n = t_direct_xfer(d, tok, 3, rb, sizeof(rb));
	KT_CHECK(n == 67 && (rb[0] & 0xf) == USB_PID_DATA1, "IN: %d bytes pid %x", n, rb[0] & 0xf);
	n = t_direct_xfer(d, tok, 3, rb, sizeof(rb));   /* ACK lost: the same packet again */
	KT_CHECK(n == 67 && (rb[0] & 0xf) == USB_PID_DATA1, "retried IN: %d bytes pid %x", n, rb[0] & 0xf);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_DATA && pid == USB_PID_DATA1, "third IN: %s pid %x", t_res_name(r), pid);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_DATA && pid == USB_PID_DATA0, "after the ACK: %s pid %x", t_res_name(r), pid);
}

static void t_gzero_bulk_out_pattern_and_retry(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	int n, r;
	struct usbdev_gzero_stats st;

	for (unsigned i = 0; i < 64; i++)
		b[i] = (uint8_t)(i % 63);
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_ACK, "OUT DATA0: %s", t_res_name(r));
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_ACK, "retried OUT with the old toggle: %s", t_res_name(r));
	KT_CHECK(d->stats.toggle_ignored == 1, "toggle_ignored %llu", (unsigned long long)d->stats.toggle_ignored);
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA1, b, 10);
	KT_CHECK(r == T_ACK, "OUT DATA1: %s", t_res_name(r));
	usbdev_gzero_get_stats(d, &st);
	KT_CHECK(st.out_bytes == 74 && st.pattern_errors == 0, "out_bytes %llu (want 74), pattern errors %llu",
	         (unsigned long long)st.out_bytes, (unsigned long long)st.pattern_errors);
	b[5] ^= 1;
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_ACK, "bad-pattern OUT: %s", t_res_name(r));
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
	KT_CHECK(r == T_STALL, "OUT after a pattern error: %s, want STALL", t_res_name(r));
	usbdev_gzero_get_stats(d, &st);
	KT_CHECK(st.pattern_errors == 1, "pattern errors %llu", (unsigned long long)st.pattern_errors);
	n = t_control(h, 0x02, 1, 0, 0x01, 0, NULL);
	b[5] ^= 1;
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(n == 0 && r == T_ACK, "after CLEAR_FEATURE(halt): %d, OUT DATA0 %s", n, t_res_name(r));
}

static void t_gzero_vendor_5b_5c(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	int n;
	uint8_t w[4096], rd[4096];
	static const unsigned lens[] = { 1, 63, 64, 100, 128, 256, 4096 };

	for (unsigned k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		unsigned l = lens[k];

		for (unsigned i = 0; i < l; i++)
			w[i] = (uint8_t)(i * 7 + k);
		n = t_control(h, 0x40, 0x5b, 0, 0, (uint16_t)l, w);
		KT_CHECK(n == (int)l, "0x5b len %u gave %d", l, n);
		memset(rd, 0, sizeof(rd));
		n = t_control(h, 0xc0, 0x5c, 0, 0, (uint16_t)l, rd);
		KT_CHECK(n == (int)l && !memcmp(w, rd, l), "0x5c len %u gave %d / data differs", l, n);
	}
	n = t_control(h, 0x40, 0x5b, 1, 0, 4, w);
	KT_CHECK(n == -EPIPE, "0x5b with wValue 1 gave %d, want STALL", n);
	n = t_control(h, 0xc0, 0x5d, 0, 0, 4, w);
	KT_CHECK(n == -EPIPE, "unknown vendor request gave %d, want STALL", n);
}

static void t_gzero_halt_clear_resets_toggle(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;

	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_DATA && pid == USB_PID_DATA1, "IN: %s pid %x", t_res_name(r), pid);
	n = t_control(h, 0x02, 3, 0, 0x81, 0, NULL);
	r = t_in(h, 1, b, 64, &len, &pid, -1, false);
	KT_CHECK(n == 0 && r == T_STALL, "after SET_FEATURE(halt): %d, IN %s", n, t_res_name(r));
	n = t_control(h, 0x82, 0, 0, 0x81, 2, b);
	KT_CHECK(n == 2 && b[0] == 1, "GET_STATUS(ep 0x81) while halted: %d, %u", n, b[0]);
	n = t_control(h, 0x02, 1, 0, 0x81, 0, NULL);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(n == 0 && r == T_DATA && pid == USB_PID_DATA0, "after CLEAR_FEATURE: %d, IN %s pid %x", n,
	         t_res_name(r), pid);
	n = t_control(h, 0x82, 0, 0, 0x81, 2, b);
	KT_CHECK(n == 2 && b[0] == 0, "GET_STATUS(ep 0x81) after clear: %u", b[0]);
	n = t_control(h, 0x82, 0, 0, 0x85, 2, b);
	KT_CHECK(n == -EPIPE, "GET_STATUS of a missing endpoint gave %d", n);
}

static void t_gzero_alt1_iso(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;

	n = t_control(h, 0x01, 11, 1, 0, 0, NULL);
	KT_CHECK(n == 0, "SET_INTERFACE(0, 1) gave %d", n);
	n = t_control(h, 0x81, 10, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 1, "GET_INTERFACE gave %d, alt %u", n, b[0]);
	r = t_in(h, 2, b, 1023, &len, &pid, -1, true);
	KT_CHECK(r == T_DATA && len == 1023 && pid == USB_PID_DATA0 && b[1000] == 1000 % 63,
	         "iso IN: %s len %u pid %x", t_res_name(r), len, pid);
	r = t_out(h, USB_PID_OUT, 2, USB_PID_DATA0, b, 1023);
	KT_CHECK(r == T_NONE, "iso OUT answered %s", t_res_name(r));
	n = t_control(h, 0x01, 11, 2, 0, 0, NULL);
	KT_CHECK(n == -EPIPE, "SET_INTERFACE(0, 2) gave %d", n);
	n = t_control(h, 0x01, 11, 0, 0, 0, NULL);
	r = t_in(h, 2, b, 1023, &len, &pid, -1, true);
	KT_CHECK(n == 0 && r == T_NONE, "iso IN in alt 0 answered %s", t_res_name(r));
}

static void t_gzero_bad_packets_ignored(void *arg)
{
	struct tdev *g = arg;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	int n;
	uint8_t tok[3], pk[80], rb[80];

	usb_make_token(tok, USB_PID_IN, 7, 1);
	tok[2] ^= 0x08;
	n = t_direct_xfer(d, tok, 3, rb, sizeof(rb));
	KT_CHECK(n == 0, "IN with a bad CRC5 answered (%d bytes)", n);
	usb_make_token(tok, USB_PID_IN, 7, 1);
	tok[0] ^= 0x10;
	n = t_direct_xfer(d, tok, 3, rb, sizeof(rb));
	KT_CHECK(n == 0, "IN with bad PID check bits answered");
	usb_make_token(tok, USB_PID_OUT, 7, 1);
	n = t_direct_xfer(d, tok, 3, rb, sizeof(rb));
	n = (int)usb_make_data(pk, USB_PID_DATA0, b, 8);
	pk[3] ^= 0x40;
	n = t_direct_xfer(d, pk, (unsigned)n, rb, sizeof(rb));
	KT_CHECK(n == 0, "OUT data with a bad CRC16 answered");
	KT_CHECK(d->stats.bad_crc5 == 1 && d->stats.bad_pid == 1 && d->stats.bad_crc16 == 1,
	         "stats crc5 %llu pid %llu crc16 %llu", (unsigned long long)d->stats.bad_crc5,
	         (unsigned long long)d->stats.bad_pid, (unsigned long long)d->stats.bad_crc16);
}

static void t_gzero_bus_reset(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;

	usbdev_bus_reset(d);
	KT_CHECK(d->addr == 0 && d->config == 0, "after reset: address %u config %u", d->addr, d->config);
	h->addr = 0;
	h->mps0 = 64;
	n = t_control(h, 0x80, 6, 0x0100, 0, 18, b);
	r = t_in(h, 1, b, 64, &len, &pid, -1, false);
	KT_CHECK(n == 18 && r == T_NONE, "after reset: descriptor %d, bulk IN %s", n, t_res_name(r));
}

/* On a fresh gadget zero (address 0, not configured), in order. */
static const struct kt_case gzero_cases[] = {
	{ "gzero-get-descriptor-8-then-18", t_gzero_get_descriptor_8_then_18 },
	{ "gzero-set-address-after-status", t_gzero_set_address_after_status },
	{ "gzero-config-descriptor", t_gzero_config_descriptor },
	{ "gzero-strings", t_gzero_strings },
	{ "gzero-ch9-stalls-and-status", t_gzero_ch9_stalls_and_status },
	{ "gzero-set-configuration", t_gzero_set_configuration },
	{ "gzero-bulk-in-pattern1", t_gzero_bulk_in_pattern1 },
	{ "gzero-bulk-in-retry-without-ack", t_gzero_bulk_in_retry_without_ack },
	{ "gzero-bulk-out-pattern-and-retry", t_gzero_bulk_out_pattern_and_retry },
	{ "gzero-vendor-5b-5c", t_gzero_vendor_5b_5c },
	{ "gzero-halt-clear-resets-toggle", t_gzero_halt_clear_resets_toggle },
	{ "gzero-alt1-iso", t_gzero_alt1_iso },
	{ "gzero-bad-packets-ignored", t_gzero_bad_packets_ignored },
	{ "gzero-bus-reset", t_gzero_bus_reset },
};

static void t_fault_nak(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2, r3;

	usbdev_fault(d, 0x81, USBDEV_FAULT_NAK, 2);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	r2 = t_in(h, 1, b, 64, &len, &pid, 0, false);
	r3 = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_NAK && r2 == T_NAK && r3 == T_DATA, "IN: %s %s %s", t_res_name(r), t_res_name(r2),
	         t_res_name(r3));
	usbdev_fault(d, 0x01, USBDEV_FAULT_NAK, 1);
	for (unsigned i = 0; i < 64; i++)
		b[i] = (uint8_t)(i % 63);
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	r2 = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_NAK && r2 == T_ACK, "OUT: %s %s", t_res_name(r), t_res_name(r2));
}

static void t_fault_stall(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2, r3;

	usbdev_fault(d, 0x81, USBDEV_FAULT_STALL, 1);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_control(h, 0x02, 1, 0, 0x81, 0, NULL);
	r3 = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_STALL && r2 == 0 && r3 == T_DATA && pid == USB_PID_DATA0, "IN %s, clear %d, IN %s pid %x",
	         t_res_name(r), r2, t_res_name(r3), pid);
	usbdev_fault(d, 0x00, USBDEV_FAULT_STALL, 1);
	r = t_in(h, 0, b, 64, &len, &pid, 1, false);
	r2 = t_control(h, 0x80, 6, 0x0100, 0, 18, b);
	KT_CHECK(r == T_STALL && r2 == 18, "EP0 halt: IN %s, then the next SETUP clears it (%d)", t_res_name(r), r2);
}

static void t_fault_silent(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2, r3;

	usbdev_fault(d, 0x81, USBDEV_FAULT_SILENT, 3);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r3 = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_NONE && r2 == T_NONE && r3 == T_NONE, "IN x3: %s %s %s", t_res_name(r), t_res_name(r2),
	         t_res_name(r3));
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_DATA && pid == USB_PID_DATA1, "4th IN: %s", t_res_name(r));
	usbdev_fault(d, 0x01, USBDEV_FAULT_SILENT, 1);
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
	r2 = t_out(h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
	KT_CHECK(r == T_NONE && r2 == T_ACK, "OUT: %s then %s", t_res_name(r), t_res_name(r2));
}

static void t_fault_crc(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2;

	usbdev_fault(d, 0x81, USBDEV_FAULT_CRC, 1);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	r2 = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_CRC && r2 == T_DATA && pid == USB_PID_DATA0, "IN: %s then %s pid %x (the unACKed packet is resent)",
	         t_res_name(r), t_res_name(r2), pid);
}

static void t_fault_stuff(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2;

	usbdev_fault(d, 0x81, USBDEV_FAULT_STUFF, 1);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_STUFF && r2 == T_DATA, "IN: %s then %s", t_res_name(r), t_res_name(r2));
}

static void t_fault_babble(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r;

	usbdev_fault(d, 0x81, USBDEV_FAULT_BABBLE, 1);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_BABBLE && t_last.len == 72 + 3, "IN: %s, %u bytes on the wire", t_res_name(r), t_last.len);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_DATA && len == 64, "next IN %s len %u", t_res_name(r), len);
}

static void t_fault_toggle(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2, r3;

	usbdev_fault(d, 0x81, USBDEV_FAULT_TOGGLE, 1);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(h, 1, b, 64, &len, &pid, 1, false);
	r3 = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_TOGGLE && r2 == T_DATA && r3 == T_DATA, "IN: %s %s %s", t_res_name(r), t_res_name(r2),
	         t_res_name(r3));
}

static void t_fault_disconnect(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r;

	usbdev_fault(d, 0x81, USBDEV_FAULT_DISCONNECT, 2);
	r = t_in(h, 1, b, 64, &len, &pid, 1, false);
	KT_CHECK(r == T_DATA && !t_last.detach_after && !d->detach_req, "1st IN %s", t_res_name(r));
	{
		uint8_t tok[3];
		int n;

		usb_make_token(tok, USB_PID_IN, 3, 1);
		n = t_direct_xfer(d, tok, 3, b, sizeof(b));
		KT_CHECK(n == 67 && t_last.detach_after && d->detach_req, "2nd IN: %d bytes, detach_after %d", n,
		         t_last.detach_after);
	}
	d->detach_req = false;
	usbdev_fault(d, 0x01, USBDEV_FAULT_DISCONNECT, 0);
	r = t_out(h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_NONE && d->detach_req, "OUT with disconnect 0: %s, detach_req %d", t_res_name(r), d->detach_req);
	d->detach_req = false;
}

static void t_fault_api_errors(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	struct usbdev *d = g->d;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r;

	KT_CHECK(usbdev_fault(d, 0x91, USBDEV_FAULT_NAK, 1) == -EINVAL, "ep 0x91 accepted");
	KT_CHECK(usbdev_fault(d, 0x81, (enum usbdev_fault)99, 1) == -EINVAL, "fault 99 accepted");
	usbdev_fault(d, 0x81, USBDEV_FAULT_NAK, 5);
	usbdev_fault(d, 0x81, USBDEV_FAULT_NONE, 0);
	r = t_in(h, 1, b, 64, &len, &pid, -1, false);
	KT_CHECK(r == T_DATA, "after FAULT_NONE: %s", t_res_name(r));
}

/* Injected faults, in order, on a gadget zero enumerated and configured (source/sink). */
static const struct kt_case fault_cases[] = {
	{ "fault-nak", t_fault_nak },
	{ "fault-stall", t_fault_stall },
	{ "fault-silent", t_fault_silent },
	{ "fault-crc", t_fault_crc },
	{ "fault-stuff", t_fault_stuff },
	{ "fault-babble", t_fault_babble },
	{ "fault-toggle", t_fault_toggle },
	{ "fault-disconnect", t_fault_disconnect },
	{ "fault-api-errors", t_fault_api_errors },
};

static void t_gzero_intr_variant(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;

	n = t_control(h, 0x80, 6, 0x0200, 0, 1024, b);
	KT_CHECK(n == 9 + 9 + 4 * 7 + 9 + 6 * 7, "config length %d", n);
	KT_CHECK(b[18 + 14 + 2] == 0x83 && b[18 + 14 + 3] == 3 && b[18 + 21 + 2] == 0x03, "interrupt endpoints missing in alt 0");
	r = t_in(h, 3, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_DATA && len == 64 && b[63] == 0, "interrupt IN: %s len %u", t_res_name(r), len);
	for (unsigned i = 0; i < 64; i++)
		b[i] = (uint8_t)(i % 63);
	r = t_out(h, USB_PID_OUT, 3, USB_PID_DATA0, b, 64);
	KT_CHECK(r == T_ACK, "interrupt OUT: %s", t_res_name(r));
}

static void t_gzero_loopback(void *arg)
{
	struct tdev *g = arg;
	struct thost *h = &g->h;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int n, r;

	n = t_control(h, 0x00, 9, 2, 0, 0, NULL);
	KT_CHECK(n == 0, "SET_CONFIGURATION(2): %d", n);
	r = t_in(h, 1, b, 64, &len, &pid, 0, false);
	KT_CHECK(r == T_NAK, "IN with nothing looped: %s", t_res_name(r));
	for (unsigned k = 0; k < 3; k++) {
		memset(b, 0xa0 + k, 64);
		r = t_out(h, USB_PID_OUT, 1, k & 1 ? USB_PID_DATA1 : USB_PID_DATA0, b, 20 + k);
		KT_CHECK(r == T_ACK, "loopback OUT %u: %s", k, t_res_name(r));
	}
	for (unsigned k = 0; k < 3; k++) {
		r = t_in(h, 1, b, 64, &len, &pid, (int)(k & 1), false);
		KT_CHECK(r == T_DATA && len == 20 + k && b[0] == 0xa0 + k, "loopback IN %u: %s len %u", k,
		         t_res_name(r), len);
	}
	n = t_control(h, 0xc0, 0x5c, 0, 0, 4, b);
	KT_CHECK(n == -EPIPE, "0x5c in the loopback configuration gave %d", n);
}

/* On the interrupt variant of gadget zero, enumerated and configured, in order. */
static const struct kt_case gzero_intr_cases[] = {
	{ "gzero-intr-variant", t_gzero_intr_variant },
	{ "gzero-loopback", t_gzero_loopback },
};

static void t_usbdev_create_rejects_bad_descriptors(void *arg)
{
	struct usbdev_desc dd = { .mps0 = 12, .num_configs = 1 };
	struct usbdev_ops ops = { 0 };
	struct usbdev_gzero_opts o = { .pattern = 7 };

	(void)arg;
	KT_CHECK(usbdev_create("bad", &dd, &ops, NULL) == NULL, "mps0 12 accepted");
	dd.mps0 = 64;
	dd.configs[0].value = 1;
	dd.configs[0].num_intfs = 1;
	dd.configs[0].intfs[0].num_alts = 1;
	dd.configs[0].intfs[0].alts[0].num_eps = 1;
	dd.configs[0].intfs[0].alts[0].eps[0] = (struct usbdev_ep_desc){ 0x81, USB_EP_BULK, 512, 0 };
	KT_CHECK(usbdev_create("bad", &dd, &ops, NULL) == NULL, "bulk MPS 512 at full speed accepted");
	KT_CHECK(usbdev_gzero_create(&o) == NULL, "gadget zero pattern 7 accepted");
}

int main(int argc, char **argv)
{
	static const struct kt_case plain_cases[] = {
		{ "usbdev-crc", t_usbdev_crc },
	};
	static const struct kt_case create_cases[] = {
		{ "usbdev-create-rejects-bad-descriptors", t_usbdev_create_rejects_bad_descriptors },
	};

	kt_init(&argc, argv);
	kt_run(plain_cases, KT_ARRAY_SIZE(plain_cases), NULL);
	gz_run(gzero_cases, KT_ARRAY_SIZE(gzero_cases), false, false);
	gz_run(fault_cases, KT_ARRAY_SIZE(fault_cases), false, true);
	gz_run(gzero_intr_cases, KT_ARRAY_SIZE(gzero_intr_cases), true, true);
	kt_run(create_cases, KT_ARRAY_SIZE(create_cases), NULL);
	return kt_finish();
}
