// SPDX-License-Identifier: MIT
/* UTMI attachment, driven cycle by cycle by a host-side UTMI emulator. */
#include <stdlib.h>

#include "usbdev_test.h"

#define MAXT 1200

struct uhost {
	struct kite_port_backend be;
	struct kite_utmi_host h;
	struct kite_utmi_phy o;
	uint64_t cyc;
	/* timing of the last exchange, in host cycles */
	uint64_t t_start, t_take[MAXT], t_rxon, t_rxvalid[MAXT], t_rxoff;
	uint64_t t_se0, n_se0, t_resp_ls;  /* host EOP on linestate: first SE0, SE0 cycles; first non-J after it */
	unsigned ntake, nrx;
	bool rxerror, rxvalid_after_error;
};

static void ustep(struct uhost *u)
{
	u->be.utmi(u->be.ctx, &u->h, &u->o);
	u->cyc++;
}

static void uidle(struct uhost *u, uint64_t n)
{
	u->h.txvalid = 0;
	for (uint64_t i = 0; i < n; i++)
		ustep(u);
}

/* Send a packet, then collect the answer for up to 40 bit times. */
static int usend(struct uhost *u, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap)
{
	unsigned cpb = u->h.xcvrselect == 2 ? 32 : 4, idx = 0, n = 0;
	uint64_t deadline;
	bool on = false;

	u->ntake = u->nrx = 0;
	u->rxerror = u->rxvalid_after_error = false;
	u->t_rxon = u->t_rxoff = 0;
	u->t_se0 = u->n_se0 = u->t_resp_ls = 0;
	u->h.txvalid = 1;
	u->h.data_out = pkt[0];
	u->t_start = u->cyc;
	for (deadline = u->cyc + (uint64_t)(len + 4) * 16 * cpb; idx < len && u->cyc < deadline;) {
		ustep(u);
		if (u->o.txready) {
			if (u->ntake < MAXT)
				u->t_take[u->ntake++] = u->cyc - 1;
			idx++;
			if (idx == len)
				u->h.txvalid = 0;
			else
				u->h.data_out = pkt[idx];
		}
	}
	u->h.txvalid = 0;
	for (deadline = u->cyc + 60 * cpb; u->cyc < deadline;) {
		ustep(u);
		if (u->o.linestate == 0 && !u->t_resp_ls) {
			if (!u->t_se0)
				u->t_se0 = u->cyc - 1;
			u->n_se0++;
		} else if (u->t_se0 && !u->t_resp_ls && u->o.linestate != (cpb == 32 ? 2 : 1)) {
			u->t_resp_ls = u->cyc - 1;
		}
		if (u->o.rxactive && !on) {
			on = true;
			u->t_rxon = u->cyc - 1;
			deadline = u->cyc + (USBDEV_MAX_PKT + 4) * 8 * cpb;
		}
		if (u->o.rxerror)
			u->rxerror = true;
		if (u->o.rxvalid) {
			if (u->rxerror)
				u->rxvalid_after_error = true;
			if (u->nrx < MAXT)
				u->t_rxvalid[u->nrx++] = u->cyc - 1;
			if (n < cap)
				resp[n++] = u->o.data_in;
		}
		if (on && !u->o.rxactive) {
			u->t_rxoff = u->cyc - 1;
			break;
		}
	}
	uidle(u, 4 * cpb);  /* inter-packet gap */
	if (u->rxerror)
		return T_STUFF_ERR;
	return (int)n;
}

static int utmi_xfer(void *ctx, const uint8_t *pkt, unsigned len, uint8_t *resp, unsigned cap)
{
	return usend(ctx, pkt, len, resp, cap);
}

static void uhost_init(struct uhost *u, struct usbdev_port *p, bool ls)
{
	memset(u, 0, sizeof(*u));
	u->be = usbdev_port_backend(p);
	u->h.xcvrselect = ls ? 2 : 1;
	u->h.termselect = 1;
}

static void thost_utmi(struct thost *h, struct uhost *u)
{
	memset(h, 0, sizeof(*h));
	h->xfer = utmi_xfer;
	h->ctx = u;
}

/* A minimal low-speed device: interrupt IN 0x81, 8 bytes, counting. */
static int ls_in(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max)
{
	static uint8_t n;

	(void)d;
	(void)ep;
	for (unsigned i = 0; i < max; i++)
		buf[i] = n++;
	return (int)max;
}

static struct usbdev *ls_device(void)
{
	static const struct usbdev_ops ops = { .in = ls_in };
	struct usbdev_desc dd = { .bcd_usb = 0x0110, .vid = 0x1234, .pid = 0x0001, .mps0 = 8, .low_speed = true,
				  .num_configs = 1 };

	dd.configs[0].value = 1;
	dd.configs[0].attributes = 0x80;
	dd.configs[0].max_power = 50;
	dd.configs[0].num_intfs = 1;
	dd.configs[0].intfs[0].num_alts = 1;
	dd.configs[0].intfs[0].alts[0].cls = 0xff;
	dd.configs[0].intfs[0].alts[0].num_eps = 1;
	dd.configs[0].intfs[0].alts[0].eps[0] = (struct usbdev_ep_desc){ 0x81, USB_EP_INT, 8, 10 };
	return usbdev_create("ls", &dd, &ops, NULL);
}

/* A full-speed gadget zero on a UTMI port and the host emulator: the fixture of fs_cases. */
struct utmi_fs {
	struct usbdev_port *p;
	struct usbdev *d;
	struct uhost u;
	struct thost th;
};

static void t_utmi_linestate(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct uhost *u = &x->u;

	uidle(u, 2);
	KT_CHECK(u->o.linestate == 0, "nothing attached: linestate %u, want 0 (SE0)", u->o.linestate);
	usbdev_attach(p, d);
	uidle(u, 2);
	KT_CHECK(u->o.linestate == 1, "FS device idle: linestate %u, want 1 (J)", u->o.linestate);
	u->h.line_ctrl = 1;
	uidle(u, 2);
	KT_CHECK(u->o.linestate == 0, "host SE0: linestate %u", u->o.linestate);
	u->h.line_ctrl = 2;
	uidle(u, 2);
	KT_CHECK(u->o.linestate == 2, "host K: linestate %u, want 2", u->o.linestate);
	u->h.line_ctrl = 0;
	uidle(u, 2);
}

static void t_utmi_reset_detect(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct uhost *u = &x->u;
	struct usbdev_port_stats ps;

	usbdev_port_get_stats(p, &ps);
	d->addr = 9;
	u->h.line_ctrl = 1;
	uidle(u, 100);   /* 2.08 us: a keep-alive, not a reset */
	u->h.line_ctrl = 0;
	uidle(u, 10);
	KT_CHECK(d->addr == 9, "SE0 of 100 cycles reset the device");
	u->h.line_ctrl = 1;
	uidle(u, 480);   /* 10 us */
	u->h.line_ctrl = 0;
	uidle(u, 10);
	{
		struct usbdev_port_stats ps2;

		usbdev_port_get_stats(p, &ps2);
		KT_CHECK(d->addr == 0 && ps2.resets == ps.resets + 1 && ps2.keepalives == ps.keepalives + 1,
		         "address %u, resets %llu, keep-alives %llu", d->addr, (unsigned long long)ps2.resets,
		         (unsigned long long)ps2.keepalives);
	}
}

static void t_utmi_fs_timing(void *arg)
{
	struct utmi_fs *x = arg;
	struct uhost *u = &x->u;
	struct thost *th = &x->th;
	uint8_t pkt[80], r[1100];
	int n;
	uint8_t s[8] = { 0x80, 6, 0, 1, 0, 0, 8, 0 };

	usb_make_token(pkt, USB_PID_SETUP, 0, 0);
	n = usend(u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 0, "SETUP token answered");
	KT_CHECK(u->ntake == 3 && u->t_take[0] == u->t_start + 32 && u->t_take[1] == u->t_take[0] + 32 &&
		         u->t_take[2] == u->t_take[1] + 32,
	         "txready: %u takes at +%llu, +%llu, +%llu (want +32 +64 +96)", u->ntake,
	         (unsigned long long)(u->t_take[0] - u->t_start), (unsigned long long)(u->t_take[1] - u->t_start),
	         (unsigned long long)(u->t_take[2] - u->t_start));
	n = (int)usb_make_data(pkt, USB_PID_DATA0, s, 8);
	n = usend(u, pkt, (unsigned)n, r, sizeof(r));
	KT_CHECK(n == 1 && r[0] == 0xd2, "SETUP data answered %d bytes %02x, want ACK", n, r[0]);
	/* last byte taken at T, its bits end at T+32, EOP to T+44, turnaround 4 bits to T+60,
	 * SYNC 8 bits: rxactive at T+92, the PID byte 8 bits later, EOP 2 bits after it */
	KT_CHECK(u->t_rxon == u->t_take[10] + 92 && u->nrx == 1 && u->t_rxvalid[0] == u->t_rxon + 32 &&
		         u->t_rxoff == u->t_rxvalid[0] + 8,
	         "ACK timing: rxactive at T+%lld, rxvalid at +%lld, rxactive low at +%lld after it",
	         (long long)(u->t_rxon - u->t_take[10]), (long long)(u->t_rxvalid[0] - u->t_rxon),
	         (long long)(u->t_rxoff - u->t_rxvalid[0]));
	KT_CHECK(u->t_se0 == u->t_take[10] + 32 && u->n_se0 == 8 && u->t_resp_ls == u->t_take[10] + 60,
	         "linestate: EOP SE0 at T+%lld for %llu cycles, response non-J at T+%lld (want +32, 8, +60)",
	         (long long)(u->t_se0 - u->t_take[10]), (unsigned long long)u->n_se0,
	         (long long)(u->t_resp_ls - u->t_take[10]));
	usb_make_token(pkt, USB_PID_IN, 0, 0);
	n = usend(u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 11 && r[0] == usb_pid_byte(USB_PID_DATA1) && r[1] == 18 && r[2] == 1 &&
		         usb_crc16(r + 1, 8) == (r[9] | r[10] << 8),
	         "descriptor data: %d bytes, pid %02x", n, r[0]);
	{
		int bad = 0;

		for (unsigned i = 1; i < u->nrx; i++)
			bad += u->t_rxvalid[i] != u->t_rxvalid[i - 1] + 32;
		KT_CHECK(bad == 0 && u->nrx == 11, "rxvalid not every 32 cycles (%d gaps wrong)", bad);
	}
	pkt[0] = usb_pid_byte(USB_PID_ACK);
	usend(u, pkt, 1, r, sizeof(r));
	n = t_out(th, USB_PID_OUT, 0, USB_PID_DATA1, NULL, 0);
	KT_CHECK(n == T_ACK, "status stage: %s", t_res_name(n));
}

static void t_utmi_enumerate_and_transfer(void *arg)
{
	struct utmi_fs *x = arg;
	struct thost *th = &x->th;
	uint8_t r[1100];
	int n;

	t_enumerate(th, 12, 3, 0x0525, 0xa4a0);
	{
		unsigned len = 0, pid = 0;
		uint8_t w[256], rd[256];

		n = t_in(th, 1, r, 64, &len, &pid, 0, false);
		KT_CHECK(n == T_DATA && len == 64 && r[63] == 63 % 63 && r[62] == 62, "bulk IN: %s len %u",
		         t_res_name(n), len);
		for (unsigned i = 0; i < 64; i++)
			w[i] = (uint8_t)(i % 63);
		n = t_out(th, USB_PID_OUT, 1, USB_PID_DATA0, w, 64);
		KT_CHECK(n == T_ACK, "bulk OUT: %s", t_res_name(n));
		for (unsigned i = 0; i < 256; i++)
			w[i] = (uint8_t)(255 - i);
		n = t_control(th, 0x40, 0x5b, 0, 0, 256, w);
		KT_CHECK(n == 256, "0x5b: %d", n);
		n = t_control(th, 0xc0, 0x5c, 0, 0, 256, rd);
		KT_CHECK(n == 256 && !memcmp(w, rd, 256), "0x5c: %d", n);
	}
}

static void t_utmi_stuff_error_fault(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev *d = x->d;
	struct uhost *u = &x->u;
	uint8_t pkt[80], r[1100];
	int n;

	usbdev_fault(d, 0x81, USBDEV_FAULT_STUFF, 1);
	usb_make_token(pkt, USB_PID_IN, 12, 1);
	n = usend(u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == T_STUFF_ERR && !u->rxvalid_after_error && u->nrx == 67 / 2,
	         "IN: %d, rxvalid after rxerror %d, %u bytes before it", n, u->rxvalid_after_error, u->nrx);
	n = usend(u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 67 && r[0] == usb_pid_byte(USB_PID_DATA1), "retried IN: %d bytes", n);
	pkt[0] = usb_pid_byte(USB_PID_ACK);
	usend(u, pkt, 1, r, sizeof(r));
}

static void t_utmi_speed_mismatch(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct uhost *u = &x->u;
	struct usbdev_port_stats ps;
	uint8_t pkt[80], r[1100];
	int n;

	usbdev_port_get_stats(p, &ps);
	u->h.xcvrselect = 2;
	usb_make_token(pkt, USB_PID_IN, 12, 1);
	n = usend(u, pkt, 3, r, sizeof(r));
	u->h.xcvrselect = 1;
	{
		struct usbdev_port_stats ps2;

		usbdev_port_get_stats(p, &ps2);
		KT_CHECK(n == 0 && ps2.speed_mismatch == ps.speed_mismatch + 1 && u->t_take[1] == u->t_take[0] + 256,
		         "LS-rate packet to a FS device: %d bytes back, mismatch count %llu, byte spacing %llu", n,
		         (unsigned long long)ps2.speed_mismatch, (unsigned long long)(u->t_take[1] - u->t_take[0]));
	}
}

static void t_utmi_suspend_resume_wakeup(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev *d = x->d;
	struct uhost *u = &x->u;
	struct thost *th = &x->th;
	int n;

	n = t_control(th, 0x00, 3, 1, 0, 0, NULL);
	KT_CHECK(n == 0 && d->remote_wakeup_enabled, "SET_FEATURE(remote wake-up): %d", n);
	usbdev_remote_wakeup(d);
	uidle(u, 3 * 48000 - 1000);
	KT_CHECK(!d->suspended, "suspended before 3 ms of idle");
	uidle(u, 2000);
	KT_CHECK(d->suspended, "not suspended after 3 ms of idle");
	{
		uint64_t t0 = u->cyc, k_on = 0, k_off = 0;

		for (uint64_t i = 0; i < 12 * 48000 && !k_off; i++) {
			ustep(u);
			if (u->o.linestate == 2 && !k_on)
				k_on = u->cyc;
			if (u->o.linestate == 1 && k_on)
				k_off = u->cyc;
		}
		KT_CHECK(k_on && k_off && k_on - t0 > 4 * 48000 && k_on - t0 < 6 * 48000 && k_off - k_on == 2 * 48000,
		         "wake-up K %llu cycles after suspend, lasting %llu (want ~5 ms, 2 ms)",
		         (unsigned long long)(k_on - t0), (unsigned long long)(k_off - k_on));
	}
	KT_CHECK(d->suspended, "device resumed on its own K");
	u->h.line_ctrl = 2;   /* the host's resume K */
	uidle(u, 1000);
	u->h.line_ctrl = 1;   /* EOP */
	uidle(u, 64);
	u->h.line_ctrl = 0;
	uidle(u, 10);
	KT_CHECK(!d->suspended && d->addr == 12, "after the host's resume: suspended %d, address %u", d->suspended,
	         d->addr);
}

static void t_utmi_disconnect_fault(void *arg)
{
	struct utmi_fs *x = arg;
	struct usbdev_port *p = x->p;
	struct usbdev *d = x->d;
	struct uhost *u = &x->u;
	uint8_t pkt[80], r[1100];
	int n;

	usbdev_fault(d, 0x81, USBDEV_FAULT_DISCONNECT, 1);
	usb_make_token(pkt, USB_PID_IN, 12, 1);
	n = usend(u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 67, "IN before the disconnect: %d bytes", n);
	KT_CHECK(!usbdev_port_attached(p) && u->o.linestate == 0, "attached %d, linestate %u after the packet",
	         usbdev_port_attached(p), u->o.linestate);
	usbdev_attach(p, d);
	uidle(u, 2);
	KT_CHECK(u->o.linestate == 1 && d->addr == 0, "re-attached: linestate %u, address %u", u->o.linestate, d->addr);
}

/* On one full-speed gadget zero on a UTMI port (struct utmi_fs), in order. */
static const struct kt_case fs_cases[] = {
	{ "utmi-linestate", t_utmi_linestate },
	{ "utmi-reset-detect", t_utmi_reset_detect },
	{ "utmi-fs-timing", t_utmi_fs_timing },
	{ "utmi-enumerate-and-transfer", t_utmi_enumerate_and_transfer },
	{ "utmi-stuff-error-fault", t_utmi_stuff_error_fault },
	{ "utmi-speed-mismatch", t_utmi_speed_mismatch },
	{ "utmi-suspend-resume-wakeup", t_utmi_suspend_resume_wakeup },
	{ "utmi-disconnect-fault", t_utmi_disconnect_fault },
};

static void t_utmi_turnaround_and_stuffing_options(void *arg)
{
	struct usbdev_port_opts o = { .turnaround_q = 30, .utmi_model_stuffing = true };
	struct usbdev_port *p = usbdev_port_create(KITE_ATTACH_UTMI, &o);
	struct usbdev *d = usbdev_gzero_create(NULL);
	struct uhost u;
	uint8_t pkt[80], r[100], ff[8];
	int n;

	(void)arg;
	usbdev_attach(p, d);
	uhost_init(&u, p, false);
	uidle(&u, 10);
	usb_make_token(pkt, USB_PID_SETUP, 0, 0);
	usend(&u, pkt, 3, r, sizeof(r));
	/* token 2d 00 10: no six ones, so no stuffed bits */
	KT_CHECK(u.t_take[2] - u.t_take[0] == 64, "token spacing %llu", (unsigned long long)(u.t_take[2] - u.t_take[0]));
	memset(ff, 0xff, 8);
	n = (int)usb_make_data(pkt, USB_PID_DATA0, ff, 8);
	usend(&u, pkt, (unsigned)n, r, sizeof(r));
	KT_CHECK(u.t_take[9] - u.t_take[1] > 8 * 32 && (u.t_take[9] - u.t_take[1]) % 4 == 0,
	         "eight 0xff bytes took %llu cycles, want more than 256 (stuffed bits)",
	         (unsigned long long)(u.t_take[9] - u.t_take[1]));
	KT_CHECK(u.t_rxon == u.t_take[10] + 32 + 12 + 30 + 32 || u.t_rxon > u.t_take[10] + 32 + 12 + 30 + 32,
	         "turnaround 7.5 bits: rxactive at T+%lld", (long long)(u.t_rxon - u.t_take[10]));
	usbdev_port_destroy(p);
	usbdev_destroy(d);
}

static void t_utmi_port_create_rejects_bad_options(void *arg)
{
	struct usbdev_port_opts o = { .turnaround_q = 30, .utmi_model_stuffing = true };

	(void)arg;
	o.turnaround_q = 40;
	KT_CHECK(usbdev_port_create(KITE_ATTACH_UTMI, &o) == NULL, "turnaround 10 bits accepted");
	KT_CHECK(usbdev_port_create((enum kite_attach)5, NULL) == NULL, "attachment kind 5 accepted");
}

static void t_utmi_ls_device(void *arg)
{
	struct usbdev_port *p = usbdev_port_create(KITE_ATTACH_UTMI, NULL);
	struct usbdev *d = ls_device();
	struct uhost u;
	struct thost th;
	uint8_t pkt[8], r[64];
	unsigned len, pid;
	int n;

	(void)arg;
	KT_CHECK(d != NULL, "low-speed device not created");
	if (!d) {
		usbdev_port_destroy(p);
		return;
	}
	usbdev_attach(p, d);
	uhost_init(&u, p, true);
	thost_utmi(&th, &u);
	uidle(&u, 2);
	KT_CHECK(u.o.linestate == 2, "LS idle linestate %u, want 2 (J for LS)", u.o.linestate);
	u.h.line_ctrl = 2;
	uidle(&u, 2);
	KT_CHECK(u.o.linestate == 1, "LS K linestate %u, want 1", u.o.linestate);
	u.h.line_ctrl = 0;
	usb_make_token(pkt, USB_PID_SETUP, 0, 0);
	usend(&u, pkt, 3, r, sizeof(r));
	KT_CHECK(u.t_take[0] == u.t_start + 256 && u.t_take[1] == u.t_take[0] + 256, "LS pacing: +%llu, +%llu",
	         (unsigned long long)(u.t_take[0] - u.t_start), (unsigned long long)(u.t_take[1] - u.t_take[0]));
	t_enumerate(&th, 2, 1, 0x1234, 0x0001);
	n = t_in(&th, 1, r, 8, &len, &pid, 0, false);
	KT_CHECK(n == T_DATA && len == 8 && pid == USB_PID_DATA0, "interrupt IN: %s len %u", t_res_name(n), len);
	usb_make_token(pkt, USB_PID_IN, 2, 1);
	n = usend(&u, pkt, 3, r, sizeof(r));
	KT_CHECK(n == 11 && r[0] == usb_pid_byte(USB_PID_DATA1) && u.t_rxvalid[1] - u.t_rxvalid[0] == 256 &&
		         u.t_rxon == u.t_take[2] + (32 + 12 + 16 + 32) * 8,
	         "raw LS IN: %d bytes, rxvalid spacing %llu, rxactive at T+%lld", n,
	         (unsigned long long)(u.t_rxvalid[1] - u.t_rxvalid[0]), (long long)(u.t_rxon - u.t_take[2]));
	usbdev_port_destroy(p);
	usbdev_destroy(d);
}

static void run_fs(void)
{
	static struct utmi_fs x;   /* large: the host's timing records */
	struct usbdev_gzero_opts go = { .pattern = 1 };

	if (!kt_any(fs_cases, KT_ARRAY_SIZE(fs_cases)))
		return;
	x.p = usbdev_port_create(KITE_ATTACH_UTMI, NULL);
	x.d = usbdev_gzero_create(&go);
	if (!x.p || !x.d) {
		kt_setup("utmi-setup");
		kt_fail("could not create the port or the device");
		exit(kt_finish());
	}
	uhost_init(&x.u, x.p, false);
	thost_utmi(&x.th, &x.u);
	kt_run_seq(fs_cases, KT_ARRAY_SIZE(fs_cases), &x);
	usbdev_port_destroy(x.p);
	usbdev_destroy(x.d);
}

int main(int argc, char **argv)
{
	static const struct kt_case cases[] = {
		{ "utmi-turnaround-and-stuffing-options", t_utmi_turnaround_and_stuffing_options },
		{ "utmi-port-create-rejects-bad-options", t_utmi_port_create_rejects_bad_options },
		{ "utmi-ls-device", t_utmi_ls_device },
	};

	kt_init(&argc, argv);
	run_fs();
	kt_run(cases, KT_ARRAY_SIZE(cases), NULL);
	return kt_finish();
}
