/* SPDX-License-Identifier: MIT */
/*
 * The shared fixture of the usbdev unit tests: a small host-side transaction layer (tokens, data,
 * handshakes, control transfers) over a pluggable transport (direct packets, the UTMI emulator,
 * the line encoder/decoder). The tests report through sim/testlib/kite_test.h.
 */
#ifndef USBDEV_TEST_H
#define USBDEV_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_test.h"
#include "usbdev.h"

/* ---------------------------------------------------------------- host transaction layer */

#define T_STUFF_ERR (-2)   /* the response had a bit-stuff error (rxerror) */

/* Send one packet; return the response length (0: none within the timeout) or T_STUFF_ERR. */
typedef int (*t_xfer_fn)(void *ctx, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap);

struct thost {
	t_xfer_fn xfer;
	void *ctx;
	unsigned addr;
	uint8_t toggle[2][16];
	unsigned mps0;
};

enum { T_ACK = 1, T_NAK, T_STALL, T_NONE, T_CRC, T_PID, T_DATA, T_STUFF, T_TOGGLE, T_BABBLE };

static inline const char *t_res_name(int r)
{
	static const char *const n[] = { "?", "ACK", "NAK", "STALL", "NONE", "CRC", "PID", "DATA",
					 "STUFF", "TOGGLE", "BABBLE" };

	return r >= 0 && r <= T_BABBLE ? n[r] : "?";
}

static inline int t_hs(const uint8_t *r, int n)
{
	if (n == T_STUFF_ERR)
		return T_STUFF;
	if (n == 0)
		return T_NONE;
	if (n != 1 || (r[0] >> 4) != (~r[0] & 0xf))
		return T_PID;
	switch (r[0] & 0xf) {
	case USB_PID_ACK: return T_ACK;
	case USB_PID_NAK: return T_NAK;
	case USB_PID_STALL: return T_STALL;
	default: return T_PID;
	}
}

/* OUT or SETUP transaction with the given data PID. */
static inline int t_out(struct thost *h, unsigned tok, unsigned ep, unsigned dpid, const void *data,
			unsigned len)
{
	uint8_t pkt[USBDEV_MAX_PKT], r[USBDEV_MAX_PKT];
	int n;

	usb_make_token(pkt, tok, h->addr, ep);
	n = h->xfer(h->ctx, pkt, 3, r, sizeof(r));
	if (n != 0)
		return T_PID;  /* a token must not be answered */
	n = (int)usb_make_data(pkt, dpid, data, len);
	n = h->xfer(h->ctx, pkt, (unsigned)n, r, sizeof(r));
	return t_hs(r, n);
}

/*
 * IN transaction: T_DATA (good data, toggle as expected, ACKed), T_TOGGLE (good data, wrong
 * toggle: ACKed, dropped), T_NAK, T_STALL, T_NONE, T_CRC, T_STUFF, T_PID, T_BABBLE (more than
 * max bytes: not ACKed). iso: no handshake, any DATA0/1. *pid gets the data PID.
 */
static inline int t_in(struct thost *h, unsigned ep, uint8_t *data, unsigned max, unsigned *len,
		       unsigned *pid, int expect_toggle, bool iso)
{
	uint8_t pkt[3], r[USBDEV_MAX_PKT];
	int n;
	unsigned p;

	usb_make_token(pkt, USB_PID_IN, h->addr, ep);
	n = h->xfer(h->ctx, pkt, 3, r, sizeof(r));
	if (n == T_STUFF_ERR)
		return T_STUFF;
	if (n <= 0)
		return T_NONE;
	if ((r[0] >> 4) != (~r[0] & 0xf))
		return T_PID;
	p = r[0] & 0xf;
	if (n == 1)
		return t_hs(r, n);
	if (p != USB_PID_DATA0 && p != USB_PID_DATA1)
		return T_PID;
	if (n < 3 || usb_crc16(r + 1, (size_t)n - 3) != (uint16_t)(r[n - 2] | r[n - 1] << 8))
		return T_CRC;
	if (pid)
		*pid = p;
	if ((unsigned)n - 3 > max)
		return T_BABBLE;
	memcpy(data, r + 1, (size_t)n - 3);
	*len = (unsigned)n - 3;
	if (iso)
		return T_DATA;
	pkt[0] = usb_pid_byte(USB_PID_ACK);
	h->xfer(h->ctx, pkt, 1, r, sizeof(r));
	if (expect_toggle >= 0 && (p == USB_PID_DATA1) != (expect_toggle == 1))
		return T_TOGGLE;
	return T_DATA;
}

/* ---------------------------------------------------------------- the direct transport */

/* The device's answer to the last packet sent over the direct transport. */
static struct usbdev_pkt t_last __attribute__((unused));

/* The direct transport: a packet goes straight to usbdev_rx_packet() of the device ctx. */
static inline int t_direct_xfer(void *ctx, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap)
{
	usbdev_rx_packet(ctx, pkt, len, false, &t_last);
	if (t_last.len && t_last.stuff_error)
		return T_STUFF_ERR;
	memcpy(resp, t_last.buf, t_last.len < cap ? t_last.len : cap);
	return (int)t_last.len;
}

/* A device and the host that drives it over the direct transport: the fixture of a sequence. */
struct tdev {
	struct thost h;
	struct usbdev *d;
};

/*
 * Set t up around d, which the create function named what returned. Without a device no test
 * can run: the binary then ends with a failed setup step.
 */
static inline void t_direct(struct tdev *t, struct usbdev *d, const char *what)
{
	if (!d) {
		kt_setup("%s", what);
		kt_fail("%s returned NULL", what);
		exit(kt_finish());
	}
	memset(t, 0, sizeof(*t));
	t->d = d;
	t->h.xfer = t_direct_xfer;
	t->h.ctx = d;
}

/* ---------------------------------------------------------------- transfers */

/* A control transfer on EP0. Returns the bytes moved, -EPIPE on STALL, -EPROTO otherwise. */
static inline int t_control(struct thost *h, uint8_t rt, uint8_t req, uint16_t val, uint16_t idx,
			    uint16_t wlen, uint8_t *data)
{
	uint8_t s[8] = { rt, req, (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)idx, (uint8_t)(idx >> 8),
			 (uint8_t)wlen, (uint8_t)(wlen >> 8) };
	unsigned mps = h->mps0 ? h->mps0 : 8, done = 0, tog = 1, len, pid;
	int r, tries;

	for (tries = 0; (r = t_out(h, USB_PID_SETUP, 0, USB_PID_DATA0, s, 8)) != T_ACK; tries++)
		if (tries == 3)
			return -EPROTO;
	if (rt & 0x80) {
		while (done < wlen) {
			for (tries = 0;; tries++) {
				r = t_in(h, 0, data + done, mps, &len, &pid, (int)tog, false);
				if (r == T_DATA || r == T_STALL || tries == 3)
					break;
				if (r == T_TOGGLE)
					continue;
			}
			if (r == T_STALL)
				return -EPIPE;
			if (r != T_DATA)
				return -EPROTO;
			tog ^= 1;
			done += len;
			if (len < mps)
				break;
		}
		for (tries = 0; (r = t_out(h, USB_PID_OUT, 0, USB_PID_DATA1, NULL, 0)) != T_ACK; tries++) {
			if (r == T_STALL)
				return -EPIPE;
			if (tries == 3)
				return -EPROTO;
		}
		return (int)done;
	}
	while (done < wlen) {
		unsigned c = wlen - done < mps ? wlen - done : mps;

		for (tries = 0; (r = t_out(h, USB_PID_OUT, 0, tog ? USB_PID_DATA1 : USB_PID_DATA0,
					   data + done, c)) != T_ACK; tries++) {
			if (r == T_STALL)
				return -EPIPE;
			if (tries == 3)
				return -EPROTO;
		}
		tog ^= 1;
		done += c;
	}
	for (tries = 0;; tries++) {
		r = t_in(h, 0, s, 8, &len, &pid, 1, false);
		if (r == T_DATA && len == 0)
			return (int)done;
		if (r == T_STALL)
			return -EPIPE;
		if (tries == 3)
			return -EPROTO;
	}
}

/* Enumerate like Linux: 64-byte device descriptor read at address 0, SET_ADDRESS, full
 * device descriptor, configuration descriptor, SET_CONFIGURATION. Checks in the current test. */
static inline void t_enumerate(struct thost *h, unsigned addr, unsigned config,
			       uint16_t vid, uint16_t pid)
{
	uint8_t b[1024];
	int n;

	h->addr = 0;
	h->mps0 = 64;  /* Linux reads the first 64 bytes with a 64-byte EP0 guess at full speed */
	n = t_control(h, 0x80, 6, 0x0100, 0, 64, b);
	KT_CHECK(n == 18 || n == 8, "first GET_DESCRIPTOR(device, 64) returned %d", n);
	if (n < 8)
		return;
	h->mps0 = b[7];
	n = t_control(h, 0x00, 5, (uint16_t)addr, 0, 0, NULL);
	KT_CHECK(n == 0, "SET_ADDRESS returned %d", n);
	h->addr = addr;
	n = t_control(h, 0x80, 6, 0x0100, 0, 18, b);
	KT_CHECK(n == 18 && (b[8] | b[9] << 8) == vid && (b[10] | b[11] << 8) == pid,
	       "GET_DESCRIPTOR(device, 18) at the new address: %d bytes, %02x%02x:%02x%02x", n, b[9],
	       b[8], b[11], b[10]);
	n = t_control(h, 0x80, 6, 0x0200, 0, 9, b);
	KT_CHECK(n == 9 && b[1] == 2, "GET_DESCRIPTOR(config, 9) returned %d", n);
	if (n == 9) {
		unsigned total = (unsigned)(b[2] | b[3] << 8);

		n = t_control(h, 0x80, 6, 0x0200, 0, (uint16_t)total, b);
		KT_CHECK(n == (int)total, "GET_DESCRIPTOR(config, %u) returned %d", total, n);
	}
	if (config) {
		n = t_control(h, 0x00, 9, (uint16_t)config, 0, 0, NULL);
		KT_CHECK(n == 0, "SET_CONFIGURATION(%u) returned %d", config, n);
	}
}

#endif
