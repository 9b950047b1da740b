// SPDX-License-Identifier: MIT
/* Line attachment, driven by a host-side D+/D- encoder and an offline decoder. */
#include <stdlib.h>

#include "usbdev_test.h"

#define RECMAX 200000

struct lhost {
	struct kite_port_backend be;
	struct kite_line_host h;
	struct kite_line_bus b;
	uint64_t cyc;
	bool ls;
	unsigned cpb;
	bool inject_stuff;       /* next host packet: seven ones in the middle */
	bool drive_during_rx;    /* contention test: drive J while the device answers */
	uint64_t t_jedge, t_sop;  /* host EOP's SE0->J edge; the answer's first K */
	bool stuff_err;          /* the decoder saw a bit-stuff error */
	uint8_t rec[RECMAX];
};

/* levels: 0 SE0, 1 J, 2 K */
static void drive(struct lhost *l, int lvl)
{
	l->h.oe = lvl >= 0;
	if (lvl == 0) {
		l->h.dp = l->h.dm = 0;
	} else if (lvl > 0) {
		bool j = lvl == 1;

		l->h.dp = (uint8_t)(l->ls ? !j : j);
		l->h.dm = (uint8_t)!l->h.dp;
	}
}

static int level(const struct lhost *l)
{
	if (!l->b.dp && !l->b.dm)
		return 0;
	if (l->b.dp && l->b.dm)
		return 3;
	return (l->b.dp ^ l->ls) ? 1 : 2;
}

static void lstep(struct lhost *l)
{
	l->be.line(l->be.ctx, &l->h, &l->b);
	l->cyc++;
}

static void lrun(struct lhost *l, int lvl, uint64_t n)
{
	drive(l, lvl);
	for (uint64_t i = 0; i < n; i++)
		lstep(l);
}

/* Host encoder: SYNC, stuffed NRZI bits, EOP (SE0 SE0 J), then release. */
static void lsend_raw(struct lhost *l, const uint8_t *pkt, unsigned len)
{
	int lvl = 1, ones;
	unsigned bits[USBDEV_MAX_PKT * 8 + 64], nb = 0;

	for (unsigned i = 0; i < 7; i++)
		bits[nb++] = 0;
	bits[nb++] = 1;
	ones = 1;
	for (unsigned i = 0; i < len; i++) {
		if (l->inject_stuff && i == len / 2) {
			for (unsigned k = 0; k < 7; k++)
				bits[nb++] = 1;
			ones = 0;
		}
		for (unsigned k = 0; k < 8; k++) {
			unsigned bit = pkt[i] >> k & 1;

			bits[nb++] = bit;
			ones = bit ? ones + 1 : 0;
			if (ones == 6) {
				bits[nb++] = 0;
				ones = 0;
			}
		}
	}
	l->inject_stuff = false;
	for (unsigned i = 0; i < nb; i++) {
		if (!bits[i])
			lvl = lvl == 1 ? 2 : 1;
		lrun(l, lvl, l->cpb);
	}
	lrun(l, 0, 2 * l->cpb);
	l->t_jedge = l->cyc;
	lrun(l, 1, l->cpb);
	drive(l, -1);
}

/* Record the bus until the answer ends (or 40 bit times without one) and decode it offline. */
static int lrecv(struct lhost *l, uint8_t *resp, unsigned cap)
{
	uint64_t start = l->cyc, n = 0, sop = 0, end = 0;
	unsigned bits[USBDEV_MAX_PKT * 10 + 64], nb = 0, ones = 0, out = 0, cur = 0, nbits = 0;
	int prev;

	l->t_sop = 0;
	l->stuff_err = false;
	while (n < RECMAX) {
		if (l->drive_during_rx && sop && n >= sop + 20 * l->cpb && n < sop + 24 * l->cpb)
			drive(l, 1);
		else
			drive(l, -1);
		lstep(l);
		l->rec[n] = (uint8_t)level(l);
		if (!sop && l->rec[n] == 2)
			sop = n + 1;  /* +1: 0 means none */
		if (!sop && n > 40 * l->cpb)
			break;
		if (sop && n > sop + l->cpb && l->rec[n] == 1 && l->rec[n - 1] == 0) {
			end = n;
			break;
		}
		n++;
	}
	drive(l, -1);
	lrun(l, -1, 4 * l->cpb);  /* inter-packet gap */
	if (!sop)
		return 0;
	sop--;
	l->t_sop = start + sop;
	if (!end)
		return -3;
	/* sample each bit in its middle; NRZI: no transition = 1 */
	prev = 1;
	for (uint64_t t = sop + l->cpb / 2; t < end; t += l->cpb) {
		int s = l->rec[t];

		if (s == 0)
			break;
		bits[nb++] = s == prev;
		prev = s;
		if (nb >= sizeof(bits) / sizeof(bits[0]))
			return -3;
	}
	for (unsigned i = 0; i < 8 && i < nb; i++)
		if (bits[i] != (i == 7))
			return -4;  /* bad SYNC */
	ones = 1;
	for (unsigned i = 8; i < nb; i++) {
		if (ones == 6) {
			ones = 0;
			if (bits[i]) {
				l->stuff_err = true;
				return T_STUFF_ERR;
			}
			continue;
		}
		ones = bits[i] ? ones + 1 : 0;
		cur |= bits[i] << nbits;
		if (++nbits == 8) {
			if (out < cap)
				resp[out++] = (uint8_t)cur;
			cur = 0;
			nbits = 0;
		}
	}
	return nbits ? -5 : (int)out;
}

static int line_xfer(void *ctx, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap)
{
	struct lhost *l = ctx;

	lsend_raw(l, pkt, len);
	return lrecv(l, resp, cap);
}

static void lhost_init(struct lhost *l, struct usbdev_port *p, bool ls)
{
	memset(l, 0, sizeof(*l));
	l->be = usbdev_port_backend(p);
	l->ls = ls;
	l->cpb = ls ? 32 : 4;
	l->h.pulldown = 1;
}

static int ls_in(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max)
{
	(void)d;
	(void)ep;
	for (unsigned i = 0; i < max; i++)
		buf[i] = (uint8_t)(0xf0 | i);  /* long runs of ones: stuffing at LS */
	return (int)max;
}

static struct usbdev *ls_device(void)
{
	static const struct usbdev_ops ops = { .in = ls_in };
	struct usbdev_desc dd = { .bcd_usb = 0x0110, .vid = 0x1234, .pid = 0x0002, .mps0 = 8, .low_speed = true,
				  .num_configs = 1 };

	dd.configs[0].value = 1;
	dd.configs[0].attributes = 0x80;
	dd.configs[0].num_intfs = 1;
	dd.configs[0].intfs[0].num_alts = 1;
	dd.configs[0].intfs[0].alts[0].num_eps = 1;
	dd.configs[0].intfs[0].alts[0].eps[0] = (struct usbdev_ep_desc){ 0x81, USB_EP_INT, 8, 10 };
	return usbdev_create("ls", &dd, &ops, NULL);
}

/* line-pullups */
/* A full-speed gadget zero on a line port and the host encoder: the fixture of fs_cases. */
struct line_fs {
	struct usbdev_port *p;
	struct usbdev *d;
	struct lhost *l;
	struct thost th;
};

static void t_line_pullups(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct lhost *l = x->l;

	lrun(l, -1, 2);
	KT_CHECK(l->b.dp == 0 && l->b.dm == 0, "nothing attached: %u%u, want SE0", l->b.dp, l->b.dm);
	usbdev_attach(p, d);
	lrun(l, -1, 2);
	KT_CHECK(l->b.dp == 1 && l->b.dm == 0, "FS device: D+ %u D- %u, want the D+ pull-up", l->b.dp, l->b.dm);
}

static void t_line_reset_and_keepalive(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct lhost *l = x->l;
	struct usbdev_port_stats ps, ps2;

	usbdev_port_get_stats(p, &ps);
	d->addr = 5;
	lrun(l, 0, 100);
	lrun(l, 1, 4);
	lrun(l, -1, 20);
	KT_CHECK(d->addr == 5, "SE0 of 100 cycles reset the device");
	lrun(l, 0, 2000);
	lrun(l, -1, 20);
	usbdev_port_get_stats(p, &ps2);
	KT_CHECK(d->addr == 0 && ps2.resets == ps.resets + 1 && ps2.keepalives == ps.keepalives + 1,
	         "address %u, resets +%llu, keep-alives +%llu", d->addr, (unsigned long long)(ps2.resets - ps.resets),
	         (unsigned long long)(ps2.keepalives - ps.keepalives));
}

static void t_line_fs_roundtrip_and_timing(void *arg)
{
	struct line_fs *x = arg;
	struct lhost *l = x->l;
	struct thost *th = &x->th;
	uint8_t pkt[100], r[1100];
	int n;
	uint8_t s[8] = { 0x80, 6, 0, 1, 0, 0, 18, 0 };

	usb_make_token(pkt, USB_PID_SETUP, 0, 0);
	n = line_xfer(l, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 0, "SETUP token answered (%d)", n);
	n = (int)usb_make_data(pkt, USB_PID_DATA0, s, 8);
	n = line_xfer(l, pkt, (unsigned)n, r, sizeof(r));
	KT_CHECK(n == 1 && r[0] == 0xd2, "SETUP data: %d bytes %02x, want ACK", n, r[0]);
	KT_CHECK(l->t_sop == l->t_jedge + 16, "answer SOP %lld cycles after the host's SE0->J edge, want 16",
	         (long long)(l->t_sop - l->t_jedge));
	usb_make_token(pkt, USB_PID_IN, 0, 0);
	n = line_xfer(l, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 21 && r[0] == usb_pid_byte(USB_PID_DATA1) && r[1] == 18 && r[9] == 0x25 &&
		         usb_crc16(r + 1, 18) == (r[19] | r[20] << 8),
	         "descriptor: %d bytes pid %02x", n, r[0]);
	pkt[0] = usb_pid_byte(USB_PID_ACK);
	n = line_xfer(l, pkt, 1, r, sizeof(r));
	KT_CHECK(n == 0, "ACK answered");
	n = t_out(th, USB_PID_OUT, 0, USB_PID_DATA1, NULL, 0);
	KT_CHECK(n == T_ACK, "status OUT: %s", t_res_name(n));
}

static void t_line_fs_enumerate_and_stuffing(void *arg)
{
	struct line_fs *x = arg;
	struct thost *th = &x->th;
	uint8_t r[1100];
	unsigned len = 0, pid = 0;
	int n;

	t_enumerate(th, 33, 3, 0x0525, 0xa4a0);
	{
		uint8_t w[256], rd[256];

		n = t_in(th, 1, r, 64, &len, &pid, 0, false);
		KT_CHECK(n == T_DATA && len == 64 && r[62] == 62, "bulk IN: %s len %u", t_res_name(n), len);
		memset(w, 0xff, sizeof(w));   /* all ones: a stuffed bit after every six */
		w[100] = 0x7f;
		n = t_control(th, 0x40, 0x5b, 0, 0, 256, w);
		KT_CHECK(n == 256, "0x5b of 0xff bytes: %d", n);
		n = t_control(th, 0xc0, 0x5c, 0, 0, 256, rd);
		KT_CHECK(n == 256 && !memcmp(w, rd, 256), "0x5c: %d / data differs", n);
	}
}

static void t_line_device_stuff_error_detected_by_host(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev *d = x->d;
	struct lhost *l = x->l;
	struct thost *th = &x->th;
	uint8_t r[1100];
	unsigned len = 0, pid = 0;
	int n;

	usbdev_fault(d, 0x81, USBDEV_FAULT_STUFF, 1);
	n = t_in(th, 1, r, 64, &len, &pid, 1, false);
	KT_CHECK(n == T_STUFF && l->stuff_err, "IN with a stuff error: %s", t_res_name(n));
	n = t_in(th, 1, r, 64, &len, &pid, 1, false);
	KT_CHECK(n == T_DATA, "retried IN: %s", t_res_name(n));
}

static void t_line_host_stuff_error_ignored(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct lhost *l = x->l;
	struct thost *th = &x->th;
	struct usbdev_port_stats ps, ps2;
	uint8_t pkt[100], r[1100];
	unsigned len = 0, pid = 0;
	int n;

	usbdev_port_get_stats(p, &ps);
	l->inject_stuff = true;
	usb_make_token(pkt, USB_PID_IN, 33, 1);
	n = line_xfer(l, pkt, 3, r, sizeof(r));
	usbdev_port_get_stats(p, &ps2);
	KT_CHECK(n == 0 && ps2.rx_errors == ps.rx_errors + 1, "IN with a stuff error: %d bytes back, rx_errors +%llu", n,
	         (unsigned long long)(ps2.rx_errors - ps.rx_errors));
	n = t_in(th, 1, r, 64, &len, &pid, 0, false);
	KT_CHECK(n == T_DATA, "next IN: %s", t_res_name(n));
}

static void t_line_contention(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct lhost *l = x->l;
	struct thost *th = &x->th;
	struct usbdev_port_stats ps, ps2;
	uint8_t pkt[100], r[1100];
	unsigned len = 0, pid = 0;
	int n;

	usbdev_port_get_stats(p, &ps);
	l->drive_during_rx = true;
	usb_make_token(pkt, USB_PID_IN, 33, 1);
	line_xfer(l, pkt, 3, r, sizeof(r));
	l->drive_during_rx = false;
	usbdev_port_get_stats(p, &ps2);
	KT_CHECK(ps2.contention == ps.contention + 4 * 4, "contention cycles +%llu, want 16",
	         (unsigned long long)(ps2.contention - ps.contention));
	n = t_in(th, 1, r, 64, &len, &pid, 1, false);
	KT_CHECK(n == T_DATA, "next IN: %s", t_res_name(n));
}

static void t_line_suspend_resume(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev *d = x->d;
	struct lhost *l = x->l;

	lrun(l, -1, 3 * 48000 + 100);
	KT_CHECK(d->suspended, "not suspended after 3 ms idle");
	lrun(l, 2, 1000);
	lrun(l, 0, 64);
	lrun(l, 1, 4);
	lrun(l, -1, 10);
	KT_CHECK(!d->suspended && d->addr == 33, "after resume K: suspended %d, address %u", d->suspended, d->addr);
}

static void t_line_disconnect_fault(void *arg)
{
	struct line_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct lhost *l = x->l;
	uint8_t pkt[100], r[1100];
	int n;

	usbdev_fault(d, 0x81, USBDEV_FAULT_DISCONNECT, 1);
	usb_make_token(pkt, USB_PID_IN, 33, 1);
	n = line_xfer(l, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 67 && !usbdev_port_attached(p) && l->b.dp == 0 && l->b.dm == 0,
	         "IN %d bytes; then attached %d, bus %u%u", n, usbdev_port_attached(p), l->b.dp, l->b.dm);
}

/* On one full-speed gadget zero on a line port (struct line_fs), in order. */
static const struct kt_case fs_cases[] = {
	{ "line-pullups", t_line_pullups },
	{ "line-reset-and-keepalive", t_line_reset_and_keepalive },
	{ "line-fs-roundtrip-and-timing", t_line_fs_roundtrip_and_timing },
	{ "line-fs-enumerate-and-stuffing", t_line_fs_enumerate_and_stuffing },
	{ "line-device-stuff-error-detected-by-host", t_line_device_stuff_error_detected_by_host },
	{ "line-host-stuff-error-ignored", t_line_host_stuff_error_ignored },
	{ "line-contention", t_line_contention },
	{ "line-suspend-resume", t_line_suspend_resume },
	{ "line-disconnect-fault", t_line_disconnect_fault },
};

static void t_line_ls_roundtrip(void *arg)
{
	struct usbdev_port *p = usbdev_port_create(KITE_ATTACH_LINE, NULL);
	struct usbdev *d = ls_device();
	struct lhost *l = calloc(1, sizeof(*l));
	struct thost th = { 0 };
	struct usbdev_port_stats ps, ps2;
	uint8_t pkt[8], r[64];
	int n;

	(void)arg;
	if (!p || !d || !l) {
		kt_fail("could not create the port or the device");
		goto out;
	}
	usbdev_attach(p, d);
	lhost_init(l, p, true);
	th.xfer = line_xfer;
	th.ctx = l;
	lrun(l, -1, 2);
	KT_CHECK(l->b.dp == 0 && l->b.dm == 1, "LS device: D+ %u D- %u, want the D- pull-up", l->b.dp, l->b.dm);
	usbdev_port_get_stats(p, &ps);
	lrun(l, 0, 64);   /* LS keep-alive: SE0 for 2 LS bits */
	lrun(l, 1, 32);
	lrun(l, -1, 10);
	usbdev_port_get_stats(p, &ps2);
	KT_CHECK(ps2.keepalives == ps.keepalives + 1 && ps2.resets == ps.resets, "keep-alive counted %llu, resets %llu",
	         (unsigned long long)(ps2.keepalives - ps.keepalives), (unsigned long long)(ps2.resets - ps.resets));
	t_enumerate(&th, 4, 1, 0x1234, 0x0002);
	usb_make_token(pkt, USB_PID_IN, 4, 1);
	n = line_xfer(l, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 11 && r[0] == usb_pid_byte(USB_PID_DATA0) && r[1] == 0xf0 && r[8] == 0xf7 &&
		         usb_crc16(r + 1, 8) == (r[9] | r[10] << 8),
	         "interrupt IN: %d bytes", n);
	KT_CHECK(l->t_sop == l->t_jedge + 128, "LS answer SOP %lld cycles after the SE0->J edge, want 128",
	         (long long)(l->t_sop - l->t_jedge));
out:
	usbdev_port_destroy(p);
	usbdev_destroy(d);
	free(l);
}

static void run_fs(void)
{
	struct usbdev_gzero_opts go = { .pattern = 1 };
	struct line_fs x = { 0 };

	if (!kt_any(fs_cases, KT_ARRAY_SIZE(fs_cases)))
		return;
	x.p = usbdev_port_create(KITE_ATTACH_LINE, NULL);
	x.d = usbdev_gzero_create(&go);
	x.l = calloc(1, sizeof(*x.l));
	if (!x.p || !x.d || !x.l) {
		kt_setup("line-setup");
		kt_fail("could not create the port or the device");
		exit(kt_finish());
	}
	lhost_init(x.l, x.p, false);
	x.th.xfer = line_xfer;
	x.th.ctx = x.l;
	kt_run_seq(fs_cases, KT_ARRAY_SIZE(fs_cases), &x);
	usbdev_port_destroy(x.p);
	usbdev_destroy(x.d);
	free(x.l);
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "line-ls-roundtrip", t_line_ls_roundtrip },
	};

	kt_init(&argc, argv);
	run_fs();
	kt_run(cases, KT_ARRAY_SIZE(cases), NULL);
	return kt_finish();
}
