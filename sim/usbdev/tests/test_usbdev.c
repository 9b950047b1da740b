// SPDX-License-Identifier: MIT
/* usbdev framework + gadget zero, driven with packets directly (no attachment). */
#include <stdlib.h>

#include "usbdev_test.h"

static struct usbdev_pkt last;

static int direct_xfer(void *ctx, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap)
{
	usbdev_rx_packet(ctx, pkt, len, false, &last);
	if (last.len && last.stuff_error)
		return T_STUFF_ERR;
	memcpy(resp, last.buf, last.len < cap ? last.len : cap);
	return (int)last.len;
}

static struct usbdev *gz_new(unsigned pattern, bool intr, struct thost *h)
{
	struct usbdev_gzero_opts o = { .pattern = pattern, .intr = intr };
	struct usbdev *d = usbdev_gzero_create(&o);

	if (!d) {
		printf("FAIL gzero-create: usbdev_gzero_create returned NULL\n");
		exit(1);
	}
	memset(h, 0, sizeof(*h));
	h->xfer = direct_xfer;
	h->ctx = d;
	return d;
}

static void test_crc(void)
{
	struct chk c;
	uint8_t t[3];

	chk_begin(&c, "usbdev-crc");
	usb_make_token(t, USB_PID_SETUP, 0, 0);
	expect(&c, t[0] == 0x2d && t[1] == 0x00 && t[2] == 0x10, "SETUP 0/0 is %02x %02x %02x, want 2d 00 10",
	       t[0], t[1], t[2]);
	expect(&c, usb_crc16((const uint8_t *)"123456789", 9) == 0xb4c8, "CRC16 check value %04x, want b4c8",
	       usb_crc16((const uint8_t *)"123456789", 9));
	expect(&c, usb_pid_byte(USB_PID_DATA1) == 0x4b && usb_pid_byte(USB_PID_ACK) == 0xd2, "PID bytes");
	chk_end(&c);
}

static void test_enumeration(void)
{
	struct thost h;
	struct usbdev *d = gz_new(1, false, &h);
	struct chk c;
	uint8_t b[1100];
	unsigned len, pid;
	int n, r;

	chk_begin(&c, "gzero-get-descriptor-8-then-18");
	h.mps0 = 8;
	n = t_control(&h, 0x80, 6, 0x0100, 0, 8, b);
	expect(&c, n == 8 && b[0] == 18 && b[1] == 1 && b[7] == 64, "8-byte read: %d bytes, mps0 %u", n, b[7]);
	h.mps0 = 64;
	n = t_control(&h, 0x80, 6, 0x0100, 0, 18, b);
	expect(&c, n == 18 && b[8] == 0x25 && b[9] == 0x05 && b[10] == 0xa0 && b[11] == 0xa4 && b[17] == 2,
	       "18-byte read: %d bytes, ids %02x%02x:%02x%02x, %u configs", n, b[9], b[8], b[11], b[10], b[17]);
	chk_end(&c);

	chk_begin(&c, "gzero-set-address-after-status");
	{
		uint8_t s[8] = { 0x00, 5, 7, 0, 0, 0, 0, 0 };

		r = t_out(&h, USB_PID_SETUP, 0, USB_PID_DATA0, s, 8);
		expect(&c, r == T_ACK, "SETUP answered %s", t_res_name(r));
		expect(&c, d->addr == 0, "address changed before the status stage");
		h.addr = 7;
		r = t_in(&h, 0, b, 64, &len, &pid, 1, false);
		expect(&c, r == T_NONE, "IN to the new address before the status stage answered %s", t_res_name(r));
		h.addr = 0;
		r = t_in(&h, 0, b, 64, &len, &pid, 1, false);
		expect(&c, r == T_DATA && len == 0 && pid == USB_PID_DATA1, "status IN: %s len %u", t_res_name(r), len);
		expect(&c, d->addr == 7, "address %u after the status stage", d->addr);
		r = t_in(&h, 0, b, 64, &len, &pid, 1, false);
		expect(&c, r == T_NONE, "IN to address 0 answered %s", t_res_name(r));
		h.addr = 7;
	}
	chk_end(&c);

	chk_begin(&c, "gzero-config-descriptor");
	n = t_control(&h, 0x80, 6, 0x0200, 0, 9, b);
	expect(&c, n == 9 && (b[2] | b[3] << 8) == 9 + 23 + 37 && b[5] == 3 && b[7] == 0xc0,
	       "config 0: %d bytes, total %u, value %u, attributes %02x", n, b[2] | b[3] << 8, b[5], b[7]);
	n = t_control(&h, 0x80, 6, 0x0200, 0, 1024, b);   /* usbtest test 10 case 10: short read */
	expect(&c, n == 69, "full read with wLength 1024 gave %d bytes, want 69", n);
	expect(&c, b[9 + 1] == 4 && b[9 + 3] == 0 && b[9 + 4] == 2 && b[18 + 2] == 0x81 && b[18 + 3] == 2 &&
		   b[25 + 2] == 0x01 && b[32 + 3] == 1 && b[32 + 4] == 4 && b[41 + 2] == 0x81 && b[48 + 2] == 0x01 &&
		   b[55 + 2] == 0x02 && b[55 + 3] == 1 && (b[55 + 4] | b[55 + 5] << 8) == 1023 && b[62 + 2] == 0x82,
	       "interface/endpoint layout differs from f_sourcesink at full speed");
	n = t_control(&h, 0x80, 6, 0x0201, 0, 9, b);
	expect(&c, n == 9 && b[5] == 2, "config 1 is value %u, want 2 (loopback)", b[5]);
	n = t_control(&h, 0x80, 6, 0x0202, 0, 9, b);
	expect(&c, n == -EPIPE, "config index 2 gave %d, want STALL", n);
	chk_end(&c);

	chk_begin(&c, "gzero-strings");
	n = t_control(&h, 0x80, 6, 0x0300, 0x0409, 255, b);
	expect(&c, n == 4 && b[2] == 0x09 && b[3] == 0x04, "LANGID: %d bytes", n);
	n = t_control(&h, 0x80, 6, 0x0302, 0x0409, 255, b);
	expect(&c, n == 2 + 2 * 11 && b[2] == 'G' && b[4] == 'a', "product string: %d bytes", n);
	n = t_control(&h, 0x80, 6, 0x0309, 0x0409, 255, b);
	expect(&c, n == -EPIPE, "missing string gave %d", n);
	chk_end(&c);

	chk_begin(&c, "gzero-ch9-stalls-and-status");
	n = t_control(&h, 0x80, 6, 0x0400, 0, 9, b);
	expect(&c, n == -EPIPE, "GET_DESCRIPTOR(interface) gave %d, want STALL", n);
	n = t_control(&h, 0x80, 6, 0x0500, 0, 9, b);
	expect(&c, n == -EPIPE, "GET_DESCRIPTOR(endpoint) gave %d, want STALL", n);
	n = t_control(&h, 0x80, 6, 0x0600, 0, 10, b);
	expect(&c, n == -EPIPE, "GET_DESCRIPTOR(qualifier) gave %d, want STALL", n);
	n = t_control(&h, 0x80, 0, 0, 0, 2, b);
	expect(&c, n == 2 && b[0] == 1 && b[1] == 0, "GET_STATUS(device) %d: %02x %02x", n, b[0], b[1]);
	n = t_control(&h, 0x80, 8, 0, 0, 1, b);
	expect(&c, n == 1 && b[0] == 0, "GET_CONFIGURATION unconfigured: %d, %u", n, b[0]);
	n = t_control(&h, 0x81, 10, 0, 0, 1, b);
	expect(&c, n == -EPIPE, "GET_INTERFACE unconfigured gave %d", n);
	n = t_control(&h, 0x02, 1, 0, 0, 0, NULL);
	expect(&c, n == 0, "CLEAR_FEATURE(halt, ep0) gave %d", n);
	n = t_control(&h, 0x00, 3, 1, 0, 0, NULL);
	n = t_control(&h, 0x80, 0, 0, 0, 2, b);
	expect(&c, n == 2 && b[0] == 3, "remote wake-up not reported by GET_STATUS: %02x", b[0]);
	t_control(&h, 0x00, 1, 1, 0, 0, NULL);
	n = t_control(&h, 0x80, 0, 0, 0, 2, b);
	expect(&c, n == 2 && b[0] == 1, "remote wake-up not cleared: %02x", b[0]);
	chk_end(&c);

	chk_begin(&c, "gzero-set-configuration");
	n = t_control(&h, 0x00, 9, 3, 0, 0, NULL);
	expect(&c, n == 0, "SET_CONFIGURATION(3) gave %d", n);
	n = t_control(&h, 0x80, 8, 0, 0, 1, b);
	expect(&c, n == 1 && b[0] == 3, "GET_CONFIGURATION: %d, %u", n, b[0]);
	n = t_control(&h, 0x81, 10, 0, 0, 1, b);
	expect(&c, n == 1 && b[0] == 0, "GET_INTERFACE: %d, %u", n, b[0]);
	n = t_control(&h, 0x81, 0, 0, 0, 2, b);
	expect(&c, n == 2 && b[0] == 0, "GET_STATUS(interface): %d", n);
	n = t_control(&h, 0x00, 9, 4, 0, 0, NULL);
	expect(&c, n == -EPIPE, "SET_CONFIGURATION(4) gave %d, want STALL", n);
	chk_end(&c);

	chk_begin(&c, "gzero-bulk-in-pattern1");
	{
		int bad = 0;

		for (unsigned k = 0; k < 3; k++) {
			r = t_in(&h, 1, b, 64, &len, &pid, (int)(k & 1), false);
			if (r != T_DATA || len != 64)
				bad++;
			for (unsigned i = 0; i < len; i++)
				if (b[i] != i % 63)
					bad++;
		}
		expect(&c, bad == 0, "%d bad packets/bytes (last result %s, len %u)", bad, t_res_name(r), len);
	}
	chk_end(&c);

	chk_begin(&c, "gzero-bulk-in-retry-without-ack");
	{
		uint8_t tok[3], rb[100];

		usb_make_token(tok, USB_PID_IN, 7, 1);
		n = direct_xfer(d, tok, 3, rb, sizeof(rb));
		expect(&c, n == 67 && (rb[0] & 0xf) == USB_PID_DATA1, "IN: %d bytes pid %x", n, rb[0] & 0xf);
		n = direct_xfer(d, tok, 3, rb, sizeof(rb));   /* ACK lost: the same packet again */
		expect(&c, n == 67 && (rb[0] & 0xf) == USB_PID_DATA1, "retried IN: %d bytes pid %x", n, rb[0] & 0xf);
		r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
		expect(&c, r == T_DATA && pid == USB_PID_DATA1, "third IN: %s pid %x", t_res_name(r), pid);
		r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
		expect(&c, r == T_DATA && pid == USB_PID_DATA0, "after the ACK: %s pid %x", t_res_name(r), pid);
	}
	chk_end(&c);

	chk_begin(&c, "gzero-bulk-out-pattern-and-retry");
	{
		struct usbdev_gzero_stats st;

		for (unsigned i = 0; i < 64; i++)
			b[i] = (uint8_t)(i % 63);
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
		expect(&c, r == T_ACK, "OUT DATA0: %s", t_res_name(r));
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
		expect(&c, r == T_ACK, "retried OUT with the old toggle: %s", t_res_name(r));
		expect(&c, d->stats.toggle_ignored == 1, "toggle_ignored %llu", (unsigned long long)d->stats.toggle_ignored);
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA1, b, 10);
		expect(&c, r == T_ACK, "OUT DATA1: %s", t_res_name(r));
		usbdev_gzero_get_stats(d, &st);
		expect(&c, st.out_bytes == 74 && st.pattern_errors == 0, "out_bytes %llu (want 74), pattern errors %llu",
		       (unsigned long long)st.out_bytes, (unsigned long long)st.pattern_errors);
		b[5] ^= 1;
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
		expect(&c, r == T_ACK, "bad-pattern OUT: %s", t_res_name(r));
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
		expect(&c, r == T_STALL, "OUT after a pattern error: %s, want STALL", t_res_name(r));
		usbdev_gzero_get_stats(d, &st);
		expect(&c, st.pattern_errors == 1, "pattern errors %llu", (unsigned long long)st.pattern_errors);
		n = t_control(&h, 0x02, 1, 0, 0x01, 0, NULL);
		b[5] ^= 1;
		r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
		expect(&c, n == 0 && r == T_ACK, "after CLEAR_FEATURE(halt): %d, OUT DATA0 %s", n, t_res_name(r));
	}
	chk_end(&c);

	chk_begin(&c, "gzero-vendor-5b-5c");
	{
		uint8_t w[4096], rd[4096];
		static const unsigned lens[] = { 1, 63, 64, 100, 128, 256, 4096 };

		for (unsigned k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
			unsigned l = lens[k];

			for (unsigned i = 0; i < l; i++)
				w[i] = (uint8_t)(i * 7 + k);
			n = t_control(&h, 0x40, 0x5b, 0, 0, (uint16_t)l, w);
			expect(&c, n == (int)l, "0x5b len %u gave %d", l, n);
			memset(rd, 0, sizeof(rd));
			n = t_control(&h, 0xc0, 0x5c, 0, 0, (uint16_t)l, rd);
			expect(&c, n == (int)l && !memcmp(w, rd, l), "0x5c len %u gave %d / data differs", l, n);
		}
		n = t_control(&h, 0x40, 0x5b, 1, 0, 4, w);
		expect(&c, n == -EPIPE, "0x5b with wValue 1 gave %d, want STALL", n);
		n = t_control(&h, 0xc0, 0x5d, 0, 0, 4, w);
		expect(&c, n == -EPIPE, "unknown vendor request gave %d, want STALL", n);
	}
	chk_end(&c);

	chk_begin(&c, "gzero-halt-clear-resets-toggle");
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	expect(&c, r == T_DATA && pid == USB_PID_DATA1, "IN: %s pid %x", t_res_name(r), pid);
	n = t_control(&h, 0x02, 3, 0, 0x81, 0, NULL);
	r = t_in(&h, 1, b, 64, &len, &pid, -1, false);
	expect(&c, n == 0 && r == T_STALL, "after SET_FEATURE(halt): %d, IN %s", n, t_res_name(r));
	n = t_control(&h, 0x82, 0, 0, 0x81, 2, b);
	expect(&c, n == 2 && b[0] == 1, "GET_STATUS(ep 0x81) while halted: %d, %u", n, b[0]);
	n = t_control(&h, 0x02, 1, 0, 0x81, 0, NULL);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, n == 0 && r == T_DATA && pid == USB_PID_DATA0, "after CLEAR_FEATURE: %d, IN %s pid %x", n,
	       t_res_name(r), pid);
	n = t_control(&h, 0x82, 0, 0, 0x81, 2, b);
	expect(&c, n == 2 && b[0] == 0, "GET_STATUS(ep 0x81) after clear: %u", b[0]);
	n = t_control(&h, 0x82, 0, 0, 0x85, 2, b);
	expect(&c, n == -EPIPE, "GET_STATUS of a missing endpoint gave %d", n);
	chk_end(&c);

	chk_begin(&c, "gzero-alt1-iso");
	n = t_control(&h, 0x01, 11, 1, 0, 0, NULL);
	expect(&c, n == 0, "SET_INTERFACE(0, 1) gave %d", n);
	n = t_control(&h, 0x81, 10, 0, 0, 1, b);
	expect(&c, n == 1 && b[0] == 1, "GET_INTERFACE gave %d, alt %u", n, b[0]);
	r = t_in(&h, 2, b, 1023, &len, &pid, -1, true);
	expect(&c, r == T_DATA && len == 1023 && pid == USB_PID_DATA0 && b[1000] == 1000 % 63,
	       "iso IN: %s len %u pid %x", t_res_name(r), len, pid);
	r = t_out(&h, USB_PID_OUT, 2, USB_PID_DATA0, b, 1023);
	expect(&c, r == T_NONE, "iso OUT answered %s", t_res_name(r));
	n = t_control(&h, 0x01, 11, 2, 0, 0, NULL);
	expect(&c, n == -EPIPE, "SET_INTERFACE(0, 2) gave %d", n);
	n = t_control(&h, 0x01, 11, 0, 0, 0, NULL);
	r = t_in(&h, 2, b, 1023, &len, &pid, -1, true);
	expect(&c, n == 0 && r == T_NONE, "iso IN in alt 0 answered %s", t_res_name(r));
	chk_end(&c);

	chk_begin(&c, "gzero-bad-packets-ignored");
	{
		uint8_t tok[3], pk[80], rb[80];

		usb_make_token(tok, USB_PID_IN, 7, 1);
		tok[2] ^= 0x08;
		n = direct_xfer(d, tok, 3, rb, sizeof(rb));
		expect(&c, n == 0, "IN with a bad CRC5 answered (%d bytes)", n);
		usb_make_token(tok, USB_PID_IN, 7, 1);
		tok[0] ^= 0x10;
		n = direct_xfer(d, tok, 3, rb, sizeof(rb));
		expect(&c, n == 0, "IN with bad PID check bits answered");
		usb_make_token(tok, USB_PID_OUT, 7, 1);
		n = direct_xfer(d, tok, 3, rb, sizeof(rb));
		n = (int)usb_make_data(pk, USB_PID_DATA0, b, 8);
		pk[3] ^= 0x40;
		n = direct_xfer(d, pk, (unsigned)n, rb, sizeof(rb));
		expect(&c, n == 0, "OUT data with a bad CRC16 answered");
		expect(&c, d->stats.bad_crc5 == 1 && d->stats.bad_pid == 1 && d->stats.bad_crc16 == 1,
		       "stats crc5 %llu pid %llu crc16 %llu", (unsigned long long)d->stats.bad_crc5,
		       (unsigned long long)d->stats.bad_pid, (unsigned long long)d->stats.bad_crc16);
	}
	chk_end(&c);

	chk_begin(&c, "gzero-bus-reset");
	usbdev_bus_reset(d);
	expect(&c, d->addr == 0 && d->config == 0, "after reset: address %u config %u", d->addr, d->config);
	h.addr = 0;
	h.mps0 = 64;
	n = t_control(&h, 0x80, 6, 0x0100, 0, 18, b);
	r = t_in(&h, 1, b, 64, &len, &pid, -1, false);
	expect(&c, n == 18 && r == T_NONE, "after reset: descriptor %d, bulk IN %s", n, t_res_name(r));
	chk_end(&c);
	usbdev_destroy(d);
}

/* A configured source/sink device at address 3. */
static struct usbdev *gz_configured(struct thost *h, bool intr, unsigned pattern)
{
	struct usbdev *d = gz_new(pattern, intr, h);
	struct chk c;

	chk_begin(&c, "setup");
	t_enumerate(&c, h, 3, 3, 0x0525, 0xa4a0);
	if (c.bad)
		chk_end(&c);
	return d;
}

static void test_faults(void)
{
	struct thost h;
	struct usbdev *d = gz_configured(&h, false, 1);
	struct chk c;
	uint8_t b[1100];
	unsigned len = 0, pid = 0;
	int r, r2, r3;

	chk_begin(&c, "fault-nak");
	usbdev_fault(d, 0x81, USBDEV_FAULT_NAK, 2);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	r2 = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	r3 = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_NAK && r2 == T_NAK && r3 == T_DATA, "IN: %s %s %s", t_res_name(r), t_res_name(r2),
	       t_res_name(r3));
	usbdev_fault(d, 0x01, USBDEV_FAULT_NAK, 1);
	for (unsigned i = 0; i < 64; i++)
		b[i] = (uint8_t)(i % 63);
	r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	r2 = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	expect(&c, r == T_NAK && r2 == T_ACK, "OUT: %s %s", t_res_name(r), t_res_name(r2));
	chk_end(&c);

	chk_begin(&c, "fault-stall");
	usbdev_fault(d, 0x81, USBDEV_FAULT_STALL, 1);
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_control(&h, 0x02, 1, 0, 0x81, 0, NULL);
	r3 = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_STALL && r2 == 0 && r3 == T_DATA && pid == USB_PID_DATA0, "IN %s, clear %d, IN %s pid %x",
	       t_res_name(r), r2, t_res_name(r3), pid);
	usbdev_fault(d, 0x00, USBDEV_FAULT_STALL, 1);
	r = t_in(&h, 0, b, 64, &len, &pid, 1, false);
	r2 = t_control(&h, 0x80, 6, 0x0100, 0, 18, b);
	expect(&c, r == T_STALL && r2 == 18, "EP0 halt: IN %s, then the next SETUP clears it (%d)", t_res_name(r), r2);
	chk_end(&c);

	chk_begin(&c, "fault-silent");
	usbdev_fault(d, 0x81, USBDEV_FAULT_SILENT, 3);
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r3 = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	expect(&c, r == T_NONE && r2 == T_NONE && r3 == T_NONE, "IN x3: %s %s %s", t_res_name(r), t_res_name(r2),
	       t_res_name(r3));
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	expect(&c, r == T_DATA && pid == USB_PID_DATA1, "4th IN: %s", t_res_name(r));
	usbdev_fault(d, 0x01, USBDEV_FAULT_SILENT, 1);
	r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
	r2 = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA1, b, 64);
	expect(&c, r == T_NONE && r2 == T_ACK, "OUT: %s then %s", t_res_name(r), t_res_name(r2));
	chk_end(&c);

	chk_begin(&c, "fault-crc");
	usbdev_fault(d, 0x81, USBDEV_FAULT_CRC, 1);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	r2 = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_CRC && r2 == T_DATA && pid == USB_PID_DATA0, "IN: %s then %s pid %x (the unACKed packet is resent)",
	       t_res_name(r), t_res_name(r2), pid);
	chk_end(&c);

	chk_begin(&c, "fault-stuff");
	usbdev_fault(d, 0x81, USBDEV_FAULT_STUFF, 1);
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	expect(&c, r == T_STUFF && r2 == T_DATA, "IN: %s then %s", t_res_name(r), t_res_name(r2));
	chk_end(&c);

	chk_begin(&c, "fault-babble");
	usbdev_fault(d, 0x81, USBDEV_FAULT_BABBLE, 1);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_BABBLE && last.len == 72 + 3, "IN: %s, %u bytes on the wire", t_res_name(r), last.len);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_DATA && len == 64, "next IN %s len %u", t_res_name(r), len);
	chk_end(&c);

	chk_begin(&c, "fault-toggle");
	usbdev_fault(d, 0x81, USBDEV_FAULT_TOGGLE, 1);
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r2 = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	r3 = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_TOGGLE && r2 == T_DATA && r3 == T_DATA, "IN: %s %s %s", t_res_name(r), t_res_name(r2),
	       t_res_name(r3));
	chk_end(&c);

	chk_begin(&c, "fault-disconnect");
	usbdev_fault(d, 0x81, USBDEV_FAULT_DISCONNECT, 2);
	r = t_in(&h, 1, b, 64, &len, &pid, 1, false);
	expect(&c, r == T_DATA && !last.detach_after && !d->detach_req, "1st IN %s", t_res_name(r));
	{
		uint8_t tok[3];
		int n;

		usb_make_token(tok, USB_PID_IN, 3, 1);
		n = direct_xfer(d, tok, 3, b, sizeof(b));
		expect(&c, n == 67 && last.detach_after && d->detach_req, "2nd IN: %d bytes, detach_after %d", n,
		       last.detach_after);
	}
	d->detach_req = false;
	usbdev_fault(d, 0x01, USBDEV_FAULT_DISCONNECT, 0);
	r = t_out(&h, USB_PID_OUT, 1, USB_PID_DATA0, b, 64);
	expect(&c, r == T_NONE && d->detach_req, "OUT with disconnect 0: %s, detach_req %d", t_res_name(r), d->detach_req);
	d->detach_req = false;
	chk_end(&c);

	chk_begin(&c, "fault-api-errors");
	expect(&c, usbdev_fault(d, 0x91, USBDEV_FAULT_NAK, 1) == -EINVAL, "ep 0x91 accepted");
	expect(&c, usbdev_fault(d, 0x81, (enum usbdev_fault)99, 1) == -EINVAL, "fault 99 accepted");
	usbdev_fault(d, 0x81, USBDEV_FAULT_NAK, 5);
	usbdev_fault(d, 0x81, USBDEV_FAULT_NONE, 0);
	r = t_in(&h, 1, b, 64, &len, &pid, -1, false);
	expect(&c, r == T_DATA, "after FAULT_NONE: %s", t_res_name(r));
	chk_end(&c);
	usbdev_destroy(d);
}

static void test_loopback_and_intr(void)
{
	struct thost h;
	struct usbdev *d = gz_configured(&h, true, 1);
	struct chk c;
	uint8_t b[1100];
	unsigned len = 0, pid;
	int r, n;

	chk_begin(&c, "gzero-intr-variant");
	n = t_control(&h, 0x80, 6, 0x0200, 0, 1024, b);
	expect(&c, n == 9 + 9 + 4 * 7 + 9 + 6 * 7, "config length %d", n);
	expect(&c, b[18 + 14 + 2] == 0x83 && b[18 + 14 + 3] == 3 && b[18 + 21 + 2] == 0x03, "interrupt endpoints missing in alt 0");
	r = t_in(&h, 3, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_DATA && len == 64 && b[63] == 0, "interrupt IN: %s len %u", t_res_name(r), len);
	for (unsigned i = 0; i < 64; i++)
		b[i] = (uint8_t)(i % 63);
	r = t_out(&h, USB_PID_OUT, 3, USB_PID_DATA0, b, 64);
	expect(&c, r == T_ACK, "interrupt OUT: %s", t_res_name(r));
	chk_end(&c);

	chk_begin(&c, "gzero-loopback");
	n = t_control(&h, 0x00, 9, 2, 0, 0, NULL);
	expect(&c, n == 0, "SET_CONFIGURATION(2): %d", n);
	r = t_in(&h, 1, b, 64, &len, &pid, 0, false);
	expect(&c, r == T_NAK, "IN with nothing looped: %s", t_res_name(r));
	for (unsigned k = 0; k < 3; k++) {
		memset(b, 0xa0 + k, 64);
		r = t_out(&h, USB_PID_OUT, 1, k & 1 ? USB_PID_DATA1 : USB_PID_DATA0, b, 20 + k);
		expect(&c, r == T_ACK, "loopback OUT %u: %s", k, t_res_name(r));
	}
	for (unsigned k = 0; k < 3; k++) {
		r = t_in(&h, 1, b, 64, &len, &pid, (int)(k & 1), false);
		expect(&c, r == T_DATA && len == 20 + k && b[0] == 0xa0 + k, "loopback IN %u: %s len %u", k,
		       t_res_name(r), len);
	}
	n = t_control(&h, 0xc0, 0x5c, 0, 0, 4, b);
	expect(&c, n == -EPIPE, "0x5c in the loopback configuration gave %d", n);
	chk_end(&c);
	usbdev_destroy(d);
}

static void test_create_errors(void)
{
	struct chk c;
	struct usbdev_desc dd = { .mps0 = 12, .num_configs = 1 };
	struct usbdev_ops ops = { 0 };
	struct usbdev_gzero_opts o = { .pattern = 7 };

	chk_begin(&c, "usbdev-create-rejects-bad-descriptors");
	expect(&c, usbdev_create("bad", &dd, &ops, NULL) == NULL, "mps0 12 accepted");
	dd.mps0 = 64;
	dd.configs[0].value = 1;
	dd.configs[0].num_intfs = 1;
	dd.configs[0].intfs[0].num_alts = 1;
	dd.configs[0].intfs[0].alts[0].num_eps = 1;
	dd.configs[0].intfs[0].alts[0].eps[0] = (struct usbdev_ep_desc){ 0x81, USB_EP_BULK, 512, 0 };
	expect(&c, usbdev_create("bad", &dd, &ops, NULL) == NULL, "bulk MPS 512 at full speed accepted");
	expect(&c, usbdev_gzero_create(&o) == NULL, "gadget zero pattern 7 accepted");
	chk_end(&c);
}

int main(void)
{
	test_crc();
	test_enumeration();
	test_faults();
	test_loopback_and_intr();
	test_create_errors();
	return t_failures ? 1 : 0;
}
