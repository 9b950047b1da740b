/* SPDX-License-Identifier: MIT */
/*
 * kite_usb_engine testbench. The Verilated kite_usb_engine_tb_top (one port) is driven by
 *  - a C "core": transaction requests, OUT bytes, IN bytes and results (valid/ready);
 *  - a C packet-level fake device behind either a UTMI-level PHY emulation (txready one byte per
 *    8 bit times, rxactive/rxvalid paced the same way, line state) or, in line mode, the RTL's
 *    kite_fs_phy and a C NRZI/stuffing encoder/decoder on D+/D- (usb_line.h).
 * The device logs every host packet and answers IN tokens / DATA packets with prepared bytes
 * (any PID, CRC or length), after a chosen delay, or stays silent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_test.h"
#include "eng_pins.h"
#include "usb_line.h"

#define FS_PER 4
#define LS_PER 32
#define FI_DEFAULT 11999

static struct vl_sim *sim;
static struct eng_pins P;
static uint64_t cyc;
static int mode_line;

/* ---------------------------------------------------------------- fake device */
struct hpkt {
	uint8_t b[UL_MAX_BYTES];
	int n;
	int err;
	uint64_t start, end;		/* first bit; end of the EOP's SE0 (J starts) */
};

#define LOG_MAX 256
static struct {
	int attached, ls, wake_k;
	uint8_t in_reply[UL_MAX_BYTES];	/* sent after an IN token (n = 0: silent) */
	int in_reply_n;
	uint8_t out_reply[8];		/* sent after a DATA packet from the host */
	int out_reply_n;
	int delay_bits;			/* turnaround before the reply */
	int rxerr_at;			/* UTMI: rxerror instead of byte k of the reply (-1: none) */
	int ppm;			/* line: clock offset, 0.01 % units */
	struct hpkt log[LOG_MAX];
	int nlog;
	/* reply scheduling */
	const uint8_t *tx_b;
	int tx_n;
	uint64_t tx_at;
	int tx_pending;
	uint64_t tx_end;		/* cycle the last reply's EOP ended (J) */
} dev;

/* UTMI PHY emulation state */
static struct {
	/* host transmit */
	int h_st;			/* 0 idle, 1 sync, 2 bytes, 3 eop se0, 4 eop j */
	int h_cnt;
	struct hpkt cur;
	/* device transmit */
	int d_st;			/* 0 idle, 1 sync, 2 bytes, 3 eop */
	int d_cnt, d_i;
} U;

static struct ul_rx lrx;		/* line mode: decoder of host packets */
static struct ul_tx ltx;		/* line mode: device transmitter */
static int line_prev_oe;

static int per_bits(void) { return dev.ls ? LS_PER : FS_PER; }

static void host_packet(const struct hpkt *p)
{
	uint8_t pid;

	if (dev.nlog < LOG_MAX)
		dev.log[dev.nlog++] = *p;
	if (p->n < 1)
		return;
	pid = p->b[0] & 0xf;
	if (pid == PID_IN && dev.in_reply_n > 0) {
		dev.tx_b = dev.in_reply;
		dev.tx_n = dev.in_reply_n;
	} else if ((pid == PID_DATA0 || pid == PID_DATA1) && dev.out_reply_n > 0) {
		dev.tx_b = dev.out_reply;
		dev.tx_n = dev.out_reply_n;
	} else {
		return;
	}
	dev.tx_pending = 1;
	dev.tx_at = p->end + (uint64_t)dev.delay_bits * (uint64_t)per_bits();
}

static unsigned idle_linestate(void)
{
	if (!dev.attached)
		return 0;
	if (dev.wake_k)
		return dev.ls ? 1 : 2;
	return dev.ls ? 2 : 1;
}

/* UTMI mode: one cycle of the PHY emulation, from the host's outputs in P */
static void utmi_step(void)
{
	int per = P.utmi_xcvrselect == 2 ? LS_PER : FS_PER;
	unsigned ls_k = P.utmi_xcvrselect == 2 ? 1 : 2, ls_j = P.utmi_xcvrselect == 2 ? 2 : 1;
	unsigned lstate = idle_linestate();

	P.utmi_txready = 0;
	P.utmi_rxvalid = 0;
	P.utmi_rxerror = 0;
	/* host transmit */
	switch (U.h_st) {
	case 0:
		if (P.utmi_txvalid) {
			U.h_st = 1;
			U.h_cnt = 0;
			U.cur.n = 0;
			U.cur.start = cyc;
		}
		break;
	case 1:
	case 2:
		if (++U.h_cnt >= 8 * per) {
			U.h_cnt = 0;
			U.h_st = 2;
			if (P.utmi_txvalid) {
				P.utmi_txready = 1;
				if (U.cur.n < UL_MAX_BYTES)
					U.cur.b[U.cur.n++] = (uint8_t)P.utmi_data_out;
			} else {
				U.h_st = 3;
			}
		}
		break;
	case 3:
		if (++U.h_cnt >= 2 * per) {
			U.h_cnt = 0;
			U.h_st = 4;
			U.cur.end = cyc;
			U.cur.err = 0;
			host_packet(&U.cur);
		}
		break;
	case 4:
		if (++U.h_cnt >= per) {
			U.h_cnt = 0;
			U.h_st = 0;
		}
		break;
	}
	if (U.h_st == 1 || U.h_st == 2)
		lstate = ls_k;
	else if (U.h_st == 3)
		lstate = 0;
	else if (U.h_st == 4)
		lstate = ls_j;
	/* device transmit */
	if (U.d_st == 0 && dev.tx_pending && cyc >= dev.tx_at) {
		dev.tx_pending = 0;
		U.d_st = 1;
		U.d_cnt = 0;
		U.d_i = 0;
	}
	switch (U.d_st) {
	case 1:
		lstate = ls_k;
		if (++U.d_cnt >= 8 * per) {
			U.d_cnt = 0;
			U.d_st = 2;
			P.utmi_rxactive = 1;
		}
		break;
	case 2:
		lstate = ls_k;
		if (++U.d_cnt >= 8 * per) {
			U.d_cnt = 0;
			if (U.d_i == dev.rxerr_at) {
				P.utmi_rxerror = 1;
				U.d_st = 3;
			} else if (U.d_i < dev.tx_n) {
				P.utmi_rxvalid = 1;
				P.utmi_data_in = dev.tx_b[U.d_i++];
			} else {
				U.d_st = 3;
			}
		}
		break;
	case 3:
		lstate = 0;
		if (++U.d_cnt >= 2 * per) {
			U.d_st = 0;
			P.utmi_rxactive = 0;
			dev.tx_end = cyc;
			lstate = ls_j;
		}
		break;
	}
	switch (P.utmi_line_ctrl) {
	case 1: lstate = 0; break;
	case 2: lstate = ls_k; break;
	case 3: lstate = ls_j; break;
	default: break;
	}
	P.utmi_linestate = lstate;
}

/* line mode: resolve the bus, decode the host, drive the device's reply */
static void line_step(void)
{
	int dp, dm, ddp, ddm;
	int dev_drive = 0;

	if (!ltx.active && dev.tx_pending && cyc >= dev.tx_at) {
		dev.tx_pending = 0;
		ul_tx_start(&ltx, dev.ls, dev.tx_b, dev.tx_n, dev.ppm, -100, 0);
	}
	if (ltx.active) {
		dev_drive = ul_tx_step(&ltx, &ddp, &ddm);
		if (!ltx.active)
			dev.tx_end = cyc - (uint64_t)per_bits();	/* the EOP's J started a bit ago */
	}
	if (P.usb_oe) {
		dp = (int)P.usb_dp_o;
		dm = (int)P.usb_dm_o;
	} else if (dev_drive) {
		dp = ddp;
		dm = ddm;
	} else if (!dev.attached) {
		dp = dm = 0;
	} else {
		int j = !dev.wake_k;
		dp = (j != dev.ls);
		dm = !dp;
	}
	P.usb_dp_i = (uint32_t)dp;
	P.usb_dm_i = (uint32_t)dm;
	/* decode only what the host drives */
	if (P.usb_oe || line_prev_oe) {
		ul_rx_step(&lrx, dp, dm, cyc);
		if (lrx.done) {
			struct hpkt h;
			memcpy(h.b, lrx.pkt, (size_t)lrx.pkt_n);
			h.n = lrx.pkt_n;
			h.err = lrx.pkt_stuff_err || lrx.pkt_partial;
			h.start = lrx.pkt_start;
			h.end = lrx.pkt_end;
			host_packet(&h);
		}
	} else {
		lrx.st = 0;
		lrx.prev_sym = ul_sym(lrx.ls, dp, dm);
	}
	line_prev_oe = (int)P.usb_oe;
}

/* ---------------------------------------------------------------- core side */
struct txreq {
	int token, addr, ep, ls, data1, iso, len, periodic;
	const uint8_t *out;
};

static struct {
	int active, done, out_i;
	const uint8_t *out;
	int len;
	uint8_t in[UL_MAX_BYTES];
	int in_n;
	int code, res_len, res_data1;
	uint64_t req_cyc, res_cyc;
} C;

static void core_step(void)
{
	if (!C.active)
		return;
	if (P.txn_req_valid && P.txn_req_ready) {
		P.txn_req_valid = 0;
		C.req_cyc = cyc;
	}
	if (P.txn_out_valid && P.txn_out_ready)
		C.out_i++;
	P.txn_out_valid = C.out && C.out_i < C.len;
	P.txn_out_data = P.txn_out_valid ? C.out[C.out_i] : 0;
	if (P.txn_in_valid && C.in_n < UL_MAX_BYTES)
		C.in[C.in_n++] = (uint8_t)P.txn_in_data;
	if (P.txn_res_valid && P.txn_res_ready) {
		C.code = (int)P.txn_res_code;
		C.res_len = (int)P.txn_res_len;
		C.res_data1 = (int)P.txn_res_data1;
		C.res_cyc = cyc;
		C.done = 1;
		C.active = 0;
		P.txn_res_ready = 0;
	}
}

static void cycle(void)
{
	vl_sim_eval(sim, &P);
	if (mode_line)
		line_step();
	else
		utmi_step();
	vl_sim_eval(sim, &P);
	core_step();
	vl_sim_posedge(sim);
	cyc++;
}

static void run(uint64_t n)
{
	while (n-- > 0)
		cycle();
}

/* run until cond() or n cycles; returns 1 when cond() became true */
static int run_until(int (*cond)(void), uint64_t n)
{
	while (n-- > 0) {
		cycle();
		if (cond())
			return 1;
	}
	return 0;
}

static void pulse(uint32_t *pin)
{
	*pin = 1;
	cycle();
	*pin = 0;
	cycle();	/* P now shows the state after the pulse's edge */
}

/* worst-case bits of a transaction, as kite_txn computes it (FS bit times) */
static unsigned worst_bits(int len, int ls)
{
	unsigned w = 8u * (unsigned)len + 24 + (4u * (unsigned)len + 14) / 3 + 11 + 39 + 21 + 18 + 24;
	return ls ? w * 8 : w;
}

static void start_txn(const struct txreq *r)
{
	memset(&C, 0, sizeof(C));
	C.active = 1;
	C.out = r->out;
	C.len = r->len;
	P.txn_req_valid = 1;
	P.txn_req_token = (uint32_t)r->token;
	P.txn_req_addr = (uint32_t)r->addr;
	P.txn_req_ep = (uint32_t)r->ep;
	P.txn_req_port = 0;
	P.txn_req_ls = (uint32_t)r->ls;
	P.txn_req_data1 = (uint32_t)r->data1;
	P.txn_req_iso = (uint32_t)r->iso;
	P.txn_req_len = (uint32_t)r->len;
	P.txn_req_periodic = (uint32_t)r->periodic;
	P.txn_res_ready = 1;
	P.txn_out_valid = r->out && r->len > 0;
	P.txn_out_data = P.txn_out_valid ? r->out[0] : 0;
}

static int core_done(void) { return C.done; }
static uint32_t want_left;
static int left_is(void) { return P.frame_bits_left == want_left; }

/* wait until the frame has room, issue the request, run to the result; returns the code or -1 */
static int txn(const struct txreq *r)
{
	unsigned need = worst_bits(r->len, r->ls) + 200;

	for (int i = 0; i < 3000000 && P.frame_bits_left < need; i++)
		cycle();
	start_txn(r);
	if (!run_until(core_done, 2000000))
		return -1;
	/* the result comes when the line leaves the last EOP's SE0; let the C decoder see the J */
	run(3 * (uint64_t)per_bits());
	return C.code;
}

static struct txreq mkreq(int token, int addr, int ep, int data1, int len, const uint8_t *out)
{
	struct txreq r;

	memset(&r, 0, sizeof(r));
	r.token = token;
	r.addr = addr;
	r.ep = ep;
	r.data1 = data1;
	r.len = len;
	r.out = out;
	r.ls = dev.ls;
	return r;
}

/* host packets logged since index `from`, ignoring SOFs */
static int next_pkt(int from)
{
	for (int i = from; i < dev.nlog; i++)
		if (dev.log[i].n < 1 || (dev.log[i].b[0] & 0xf) != PID_SOF)
			return i;
	return -1;
}

static int pkt_is(int i, const uint8_t *b, int n)
{
	return i >= 0 && dev.log[i].n == n && !memcmp(dev.log[i].b, b, (size_t)n) && !dev.log[i].err;
}

static void set_reply_hs(uint8_t *dst, int *n, int pid)
{
	dst[0] = ul_pid((unsigned)pid);
	*n = 1;
}

static void clear_replies(void)
{
	dev.in_reply_n = 0;
	dev.out_reply_n = 0;
	dev.rxerr_at = -1;
	dev.delay_bits = 2;
}

/* ---------------------------------------------------------------- tests */
static void crc_set(unsigned c5, unsigned c16, unsigned d)
{
	P.crc5_in = c5;
	P.crc16_in = c16;
	P.crc16_data = d;
	vl_sim_eval(sim, &P);
}

static unsigned rtl_crc16(const uint8_t *d, int n)
{
	unsigned c = 0xffff;

	for (int i = 0; i < n; i++) {
		crc_set(0, c, d[i]);
		c = P.crc16_out;
	}
	return c;
}

static void test_crc(void)
{
	/* USB 2.0 spec / "CRC in USB" examples as transmitted (LSB first) CRC5 values */
	static const struct { unsigned addr, ep, crc5; } tok[] = {
		{ 0x00, 0x0, 0x02 },	/* SETUP addr 0 ep 0: 2D 00 10 */
		{ 0x15, 0xe, 0x1d },	/* paper: 0x17 (MSB first) */
		{ 0x3a, 0xa, 0x07 },	/* paper: 0x1c */
		{ 0x70, 0x4, 0x0e },	/* paper: 0x0e */
	};
	static const uint8_t getdesc[8] = { 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00 };
	static const uint8_t d0123[4] = { 0x00, 0x01, 0x02, 0x03 };
	uint8_t buf[16];
	unsigned c;

	if (kt_begin("crc5_vectors")) {
		for (unsigned i = 0; i < sizeof(tok) / sizeof(tok[0]); i++) {
			crc_set(tok[i].addr | tok[i].ep << 7, 0, 0);
			KT_CHECK(P.crc5_out == tok[i].crc5, "crc5(addr %02x ep %x) = %02x, want %02x",
				 tok[i].addr, tok[i].ep, P.crc5_out, tok[i].crc5);
		}
		/* SOF examples: RTL against the C reference for every frame number */
		for (unsigned f = 0; f < 2048; f++) {
			crc_set(f, 0, 0);
			if (P.crc5_out != ul_crc5(f)) {
				kt_fail("crc5(frame %u) = %02x, reference %02x", f, P.crc5_out, ul_crc5(f));
				break;
			}
		}
		kt_end();
	}

	if (!kt_begin("crc16_vectors"))
		return;
	c = ~rtl_crc16((const uint8_t *)"123456789", 9) & 0xffff;
	KT_CHECK(c == 0xb4c8, "CRC-16/USB check value %04x, want b4c8", c);
	c = ~rtl_crc16(getdesc, 8) & 0xffff;
	KT_CHECK((c & 0xff) == 0xdd && (c >> 8) == 0x94, "GET_DESCRIPTOR CRC bytes %02x %02x, want dd 94",
		 c & 0xff, c >> 8);
	c = ~rtl_crc16(d0123, 4) & 0xffff;
	KT_CHECK(c == 0x7aef, "CRC16(00 01 02 03) = %04x, want 7aef (f75e MSB first)", c);
	memcpy(buf, getdesc, 8);
	buf[8] = 0xdd;
	buf[9] = 0x94;
	c = rtl_crc16(buf, 10);
	KT_CHECK(c == 0xb001, "residual %04x, want b001", c);
	kt_end();
}

static int sof_seen(void) { return P.frame_sof != 0; }

static void test_frame_timer(void)
{
	uint64_t t[4];
	int ok = 1;

	if (!kt_begin("frame_timer_period_and_wrap"))
		return;
	P.ctl_frame_interval = FI_DEFAULT;
	P.ctl_run = 1;
	for (int i = 0; i < 4; i++) {
		if (!run_until(sof_seen, 100000)) {
			ok = 0;
			break;
		}
		t[i] = cyc;
	}
	KT_CHECK(ok, "no frame_sof");
	for (int i = 1; ok && i < 4; i++)
		KT_CHECK(t[i] - t[i - 1] == (FI_DEFAULT + 1) * 4, "frame period %llu clocks, want %u",
			 (unsigned long long)(t[i] - t[i - 1]), (FI_DEFAULT + 1) * 4);
	/* a short frame: FI = 99 -> 400 clocks */
	P.ctl_frame_interval = 99;
	run_until(sof_seen, 100000);
	for (int i = 0; i < 3; i++) {
		ok = run_until(sof_seen, 100000);
		t[i] = cyc;
	}
	KT_CHECK(t[2] - t[1] == 400 && t[1] - t[0] == 400, "FI=99: period %llu", (unsigned long long)(t[2] - t[1]));
	/* bits left counts down to 0 at the end of the frame */
	KT_CHECK(P.frame_bits_left == 99, "bits left %u at frame start, want 99", P.frame_bits_left);
	/* wrap at 2048 */
	{
		unsigned prev = P.frame_number, wraps = 0;
		int bad = 0;
		for (int i = 0; i < 2100; i++) {
			if (!run_until(sof_seen, 1000)) {
				bad = 1;
				break;
			}
			if (P.frame_number != ((prev + 1) & 0x7ff))
				bad = 1;
			if (P.frame_number == 0)
				wraps++;
			prev = P.frame_number;
		}
		KT_CHECK(!bad, "frame number not +1 per frame");
		KT_CHECK(wraps == 1, "frame number wrapped %u times in 2100 frames", wraps);
	}
	P.ctl_frame_interval = FI_DEFAULT;
	run_until(sof_seen, 100000);
	kt_end();
}

static int is_connected(void) { return P.port_connected != 0; }
static int not_connected(void) { return P.port_connected == 0; }
static int not_resetting(void) { return P.port_resetting == 0; }

/* attach a device, check debounce and speed, reset it; returns 1 when enabled */
static int connect_and_reset(const char *tag, int ls)
{
	uint64_t t0, t_connect, se0 = 0;
	int ok, connected_early, vbus_en;

	/* the port is needed by the tests after these two: the steps run even when the filter
	 * skips the tests (their checks are then skipped) */
	dev.attached = 0;
	P.port_power = 1;
	run(200);
	connected_early = (int)P.port_connected;
	vbus_en = (int)P.port_vbus_en;
	dev.attached = 1;
	dev.ls = ls;
	t0 = cyc;
	ok = run_until(is_connected, 1000);
	t_connect = cyc - t0;
	if (kt_begin("%s_connect_%s_detect", tag, ls ? "ls" : "fs")) {
		KT_CHECK(!connected_early, "connected with nothing attached");
		KT_CHECK(vbus_en == 1, "vbus_en off with power on");
		KT_CHECK(ok, "no connect");
		/* 2.5 us debounce = 120 clocks (+ synchroniser in line mode) */
		KT_CHECK(t_connect >= 120 && t_connect <= 130, "connect after %llu clocks, want 120..130",
			 (unsigned long long)t_connect);
		KT_CHECK(P.port_ls == (uint32_t)ls, "ls %u, want %d", P.port_ls, ls);
		KT_CHECK(P.utmi_xcvrselect == (ls ? 2u : 1u), "xcvrselect %u", P.utmi_xcvrselect);
		KT_CHECK(!P.port_enabled, "enabled before reset");
		kt_end();
	}

	pulse(&P.port_reset_req);
	ok = (int)P.port_resetting;
	t0 = cyc;
	while (P.port_resetting && cyc - t0 < 600000) {
		cycle();
		if (mode_line ? (P.usb_oe && !P.usb_dp_o && !P.usb_dm_o) : P.utmi_line_ctrl == 1)
			se0++;
	}
	if (kt_begin("%s_reset_10ms_then_enabled", tag)) {
		KT_CHECK(ok, "not resetting after reset_req");
		KT_CHECK(!P.port_resetting, "reset did not end");
		/* 10 ms of SE0 = 480000 clocks */
		KT_CHECK(se0 >= 480000 - 4 && se0 <= 480000 + 4, "SE0 driven for %llu clocks, want 480000",
			 (unsigned long long)se0);
		KT_CHECK(P.port_enabled, "not enabled after reset");
		KT_CHECK(P.port_ls == (uint32_t)ls, "speed changed after reset");
		kt_end();
	}
	return P.port_enabled != 0;
}

static void test_sof_content(const char *tag)
{
	int first = dev.nlog, k = 0, bad = 0;
	unsigned fn[4];
	uint64_t st[4];

	if (!kt_begin("%s_sof_token_each_frame", tag))
		return;
	for (int i = 0; i < 4; i++) {
		run_until(sof_seen, 100000);
		fn[i] = P.frame_number;
	}
	run(2000);
	for (int i = first; i < dev.nlog && k < 4; i++) {
		uint8_t want[3];
		if (dev.log[i].n < 1 || (dev.log[i].b[0] & 0xf) != PID_SOF)
			continue;
		ul_token(want, PID_SOF, fn[k]);
		if (!pkt_is(i, want, 3)) {
			bad++;
			kt_fail("SOF %d: %02x %02x %02x (n %d), want %02x %02x %02x", k, dev.log[i].b[0],
				dev.log[i].b[1], dev.log[i].b[2], dev.log[i].n, want[0], want[1], want[2]);
		}
		st[k++] = dev.log[i].start;
	}
	KT_CHECK(k == 4, "%d SOF packets in 4 frames", k);
	for (int i = 1; i < k; i++)
		KT_CHECK(st[i] - st[i - 1] == (FI_DEFAULT + 1) * 4, "SOF spacing %llu",
			 (unsigned long long)(st[i] - st[i - 1]));
	(void)bad;
	kt_end();
}

static const uint8_t getdesc[8] = { 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00 };

static void test_setup(const char *tag)
{
	static const uint8_t tok[3] = { 0x2d, 0x00, 0x10 };
	static const uint8_t dat[11] = { 0xc3, 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00, 0xdd, 0x94 };
	struct txreq r = mkreq(0, 0, 0, 0, 8, getdesc);
	int i, code, from;

	if (!kt_begin("%s_setup_bytes_ack", tag))
		return;
	clear_replies();
	set_reply_hs(dev.out_reply, &dev.out_reply_n, PID_ACK);
	from = dev.nlog;
	code = txn(&r);
	KT_CHECK(code == 0, "result %d, want ACK", code);
	i = next_pkt(from);
	KT_CHECK(pkt_is(i, tok, 3), "SETUP token bytes wrong");
	i = next_pkt(i + 1);
	KT_CHECK(pkt_is(i, dat, 11), "DATA0 bytes wrong (n %d)", i >= 0 ? dev.log[i].n : -1);
	KT_CHECK(next_pkt(i + 1) < 0, "extra host packet after the data");
	kt_end();
}

static void test_out(const char *tag, int hs, int want_code, const char *what)
{
	static const uint8_t data[5] = { 1, 2, 3, 0xff, 0xfe };
	struct txreq r = mkreq(1, 0x3a, 0xa, 1, 5, data);
	uint8_t tok[3], dat[16];
	int i, code, from, n;

	if (!kt_begin("%s_out_%s", tag, what))
		return;
	clear_replies();
	set_reply_hs(dev.out_reply, &dev.out_reply_n, hs);
	from = dev.nlog;
	code = txn(&r);
	KT_CHECK(code == want_code, "result %d, want %d", code, want_code);
	ul_token(tok, PID_OUT, 0x3a | 0xa << 7);
	n = ul_data(dat, PID_DATA1, data, 5);
	i = next_pkt(from);
	KT_CHECK(pkt_is(i, tok, 3), "OUT token bytes wrong");
	i = next_pkt(i + 1);
	KT_CHECK(pkt_is(i, dat, n), "DATA1 bytes wrong");
	KT_CHECK(C.out_i == 5, "%d OUT bytes taken", C.out_i);
	kt_end();
}

static const uint8_t in_data[10] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };

static void test_in(const char *tag)
{
	struct txreq r = mkreq(2, 5, 1, 1, 64, NULL);
	uint8_t tok[3], ack = ul_pid(PID_ACK);
	int i, code, from;

	if (!kt_begin("%s_in_data_ack", tag))
		return;
	clear_replies();
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
	from = dev.nlog;
	code = txn(&r);
	KT_CHECK(code == 0, "result %d, want ACK", code);
	KT_CHECK(C.res_len == 10 && C.res_data1 == 1, "len %d data1 %d", C.res_len, C.res_data1);
	KT_CHECK(C.in_n == 10 && !memcmp(C.in, in_data, 10), "IN bytes delivered wrong (%d)", C.in_n);
	ul_token(tok, PID_IN, 5 | 1 << 7);
	i = next_pkt(from);
	KT_CHECK(pkt_is(i, tok, 3), "IN token bytes wrong");
	i = next_pkt(i + 1);
	KT_CHECK(pkt_is(i, &ack, 1), "no ACK handshake from the host");
	/* the ACK must come within the turnaround: 2..7.5 bit times after the data's EOP */
	if (i >= 0) {
		uint64_t gap = dev.log[i].start - dev.tx_end;
		int per = per_bits();
		KT_CHECK(gap >= (uint64_t)(2 * per) && gap <= (uint64_t)(7 * per + per / 2),
			 "host ACK %llu clocks after the data EOP", (unsigned long long)gap);
	}
	kt_end();
}

/*
 * The fast-forward's view of the engine (docs/rtl.md): frame_to_sof is exactly the number of
 * edges to the next frame_sof, quiet holds between the SOF packet and the next frame start and
 * falls for the frame start and for a transaction; in line mode the PHY's quiet follows the line.
 */
static int is_quiet(void) { return P.quiet != 0; }

static void test_quiet(const char *tag)
{
	struct txreq r = mkreq(2, 5, 1, 1, 64, NULL);
	uint32_t left;
	int busy = 1, phy_busy = 0, late = 0;

	if (!kt_begin("%s_quiet_and_to_sof", tag))
		return;
	clear_replies();
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
	run_until(sof_seen, 100000);
	KT_CHECK(P.frame_to_sof == (FI_DEFAULT + 1) * 4, "to_sof %u at the frame start, want %u",
		 P.frame_to_sof, (FI_DEFAULT + 1) * 4);
	KT_CHECK(run_until(is_quiet, 2000), "not quiet within 2000 clocks of a frame start");
	KT_CHECK(!mode_line || P.phy_quiet, "PHY not quiet on an idle line");
	left = P.frame_to_sof;
	for (uint32_t i = 1; i < left; i++) {
		cycle();
		late |= P.frame_sof || !P.quiet || P.frame_to_sof != left - i;
	}
	KT_CHECK(!late, "frame start early, quiet fell or to_sof did not count down");
	cycle();
	KT_CHECK(P.frame_sof, "no frame start %u edges after to_sof read %u", left, left);
	run(2);
	KT_CHECK(!P.quiet, "quiet 2 clocks after a frame start");
	/* a transaction in the middle of the frame: never quiet from the request to the result */
	run_until(is_quiet, 2000);
	start_txn(&r);
	run(2);
	for (int i = 0; i < 100000 && !C.done; i++) {
		busy &= !P.quiet;
		phy_busy |= !P.phy_quiet;
		cycle();
	}
	KT_CHECK(C.done && C.code == 0, "IN transaction: done %d code %d", C.done, C.code);
	KT_CHECK(busy, "quiet during a transaction");
	KT_CHECK(!mode_line || phy_busy, "PHY quiet throughout a transaction on the line");
	KT_CHECK(run_until(is_quiet, 2000), "not quiet within 2000 clocks of the result");
	kt_end();
}

/* an IN answered with prepared bytes; checks the code and whether the host ACKed */
static void test_in_reply(const char *name, int data1, int iso, int len, int want_code, int want_ack,
			  int want_delivered)
{
	struct txreq r = mkreq(2, 5, 1, data1, len, NULL);
	int i, code, from;

	r.iso = iso;
	if (!kt_begin("%s", name)) {
		clear_replies();
		return;
	}
	from = dev.nlog;
	code = txn(&r);
	KT_CHECK(code == want_code, "result %d, want %d", code, want_code);
	i = next_pkt(from);
	i = next_pkt(i + 1);
	if (want_ack) {
		uint8_t ack = ul_pid(PID_ACK);
		KT_CHECK(pkt_is(i, &ack, 1), "no ACK from the host");
	} else {
		KT_CHECK(i < 0, "host sent a packet (pid %02x) after the reply", i >= 0 ? dev.log[i].b[0] : 0);
	}
	if (want_delivered >= 0)
		KT_CHECK(C.in_n == want_delivered, "%d bytes delivered, want %d", C.in_n, want_delivered);
	kt_end();
	clear_replies();
}

static void test_errors(const char *tag)
{
	uint8_t d12[12];
	char name[80];

	for (int i = 0; i < 12; i++)
		d12[i] = (uint8_t)(0x30 + i);

#define NM(s) (snprintf(name, sizeof(name), "%s_%s", tag, s), name)
	clear_replies();
	set_reply_hs(dev.in_reply, &dev.in_reply_n, PID_NAK);
	test_in_reply(NM("in_nak"), 1, 0, 64, 1, 0, 0);
	set_reply_hs(dev.in_reply, &dev.in_reply_n, PID_STALL);
	test_in_reply(NM("in_stall"), 1, 0, 64, 2, 0, 0);
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA0, NULL, 0);
	test_in_reply(NM("in_zero_length_data0"), 0, 0, 64, 0, 1, 0);
	/* bad CRC: no handshake */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
	dev.in_reply[11] ^= 0x01;
	test_in_reply(NM("in_crc_error"), 1, 0, 64, 4, 0, -1);
	/* PID check bits wrong */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
	dev.in_reply[0] ^= 0x10;
	test_in_reply(NM("in_pid_check_error"), 1, 0, 64, 6, 0, -1);
	/* unexpected PID (ACK in answer to IN) */
	set_reply_hs(dev.in_reply, &dev.in_reply_n, PID_ACK);
	test_in_reply(NM("in_unexpected_pid"), 1, 0, 64, 6, 0, -1);
	/* toggle mismatch: DATA0 when DATA1 was expected: ACKed, code 8 */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA0, in_data, 10);
	test_in_reply(NM("in_toggle_mismatch_acked"), 1, 0, 64, 8, 1, 10);
	/* babble: 12 bytes with len 8; only 8 delivered, no handshake */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA0, d12, 12);
	test_in_reply(NM("in_babble"), 0, 0, 8, 7, 0, 8);
	/* exactly len bytes is fine */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA0, d12, 8);
	test_in_reply(NM("in_exact_len"), 0, 0, 8, 0, 1, 8);
	/* isochronous IN: no handshake, DATA0 accepted whatever the toggle */
	dev.in_reply_n = ul_data(dev.in_reply, PID_DATA0, d12, 12);
	test_in_reply(NM("iso_in_no_handshake"), 1, 1, 64, 0, 0, 12);
	if (!mode_line) {
		/* UTMI rxerror (bit-stuff error reported by the PHY) */
		dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
		dev.rxerr_at = 3;
		test_in_reply(NM("in_stuff_error"), 1, 0, 64, 5, 0, -1);
	}

	/* isochronous OUT: the result comes without waiting for a handshake */
	if (kt_begin("%s_iso_out_no_handshake", tag)) {
		struct txreq r = mkreq(1, 3, 2, 0, 5, d12);
		int code;

		r.iso = 1;
		clear_replies();
		code = txn(&r);
		KT_CHECK(code == 0, "result %d, want ACK", code);
		KT_CHECK(C.res_cyc - dev.log[dev.nlog - 1].end < (uint64_t)(6 * per_bits()),
			 "result %llu clocks after the data EOP (waited for a handshake?)",
			 (unsigned long long)(C.res_cyc - dev.log[dev.nlog - 1].end));
		kt_end();
	}
	/* timeout: silent device; measure from the end of the token's EOP to the result */
	if (kt_begin("%s_in_timeout_16_18_bits", tag)) {
		struct txreq r = mkreq(2, 5, 1, 0, 64, NULL);
		int code, i;

		clear_replies();
		int from = dev.nlog;
		code = txn(&r);
		KT_CHECK(code == 3, "result %d, want TIMEOUT", code);
		i = next_pkt(from);
		if (i >= 0) {
			uint64_t t = C.res_cyc - dev.log[i].end;
			int per = per_bits();
			printf("  (%s: timeout decided %llu clocks = %.2f bit times after the token EOP)\n", tag,
			       (unsigned long long)t, (double)t / per);
			KT_CHECK(t >= (uint64_t)(16 * per) && t <= (uint64_t)(18 * per),
				 "timeout after %llu clocks, want 16..18 bit times", (unsigned long long)t);
		}
		KT_CHECK(next_pkt(i + 1) < 0, "host sent something after the token");
		kt_end();
	}
	/* the device answers late but inside the timeout: still ACK */
	if (kt_begin("%s_in_late_reply_12_bits", tag)) {
		clear_replies();
		dev.in_reply_n = ul_data(dev.in_reply, PID_DATA1, in_data, 10);
		dev.delay_bits = 12;
		struct txreq r = mkreq(2, 5, 1, 1, 64, NULL);
		int code = txn(&r);
		KT_CHECK(code == 0, "result %d with a 12-bit turnaround", code);
		kt_end();
		clear_replies();
	}
#undef NM
}

static void test_not_started(const char *tag)
{
	static uint8_t d64[64];
	int from;
	unsigned w = worst_bits(64, dev.ls);
	unsigned reserve = (FI_DEFAULT + 1) / 10;
	struct txreq r = mkreq(1, 1, 1, 0, 64, d64);

	clear_replies();
	set_reply_hs(dev.out_reply, &dev.out_reply_n, PID_ACK);

	/* just fits: issued when bits_left == worst + 3 */
	if (kt_begin("%s_fits_at_worst_case_plus_3", tag)) {
		want_left = w + 3;
		run_until(left_is, 200000);
		from = dev.nlog;
		start_txn(&r);
		run_until(core_done, 200000);
		KT_CHECK(C.code == 0, "result %d with %u bits left (worst %u)", C.code, w + 3, w);
		KT_CHECK(next_pkt(from) >= 0, "nothing sent");
		/* the worst case really covers the transaction */
		kt_end();
	}

	if (kt_begin("%s_not_started_end_of_frame", tag)) {
		want_left = w - 3;
		run_until(left_is, 200000);
		from = dev.nlog;
		start_txn(&r);
		run_until(core_done, 200000);
		KT_CHECK(C.code == 9, "result %d with %u bits left (worst %u), want NOT_STARTED", C.code, w - 3, w);
		run(200);
		KT_CHECK(next_pkt(from) < 0, "a packet was sent");
		KT_CHECK(C.out_i == 64, "%d OUT bytes consumed, want 64", C.out_i);
		kt_end();
	}

	/* periodic: must end before the last 10 % */
	if (kt_begin("%s_not_started_periodic_90pct", tag)) {
		r.periodic = 1;
		want_left = w + reserve - 3;
		run_until(left_is, 200000);
		from = dev.nlog;
		start_txn(&r);
		run_until(core_done, 200000);
		KT_CHECK(C.code == 9, "periodic: result %d with %u bits left, want NOT_STARTED", C.code, w + reserve - 3);
		KT_CHECK(next_pkt(from) < 0, "a packet was sent");
		r.periodic = 0;
		want_left = w + reserve - 3;
		run_until(left_is, 200000);
		start_txn(&r);
		run_until(core_done, 200000);
		KT_CHECK(C.code == 0, "non-periodic at the same point: result %d", C.code);
		r.periodic = 1;
		want_left = w + reserve + 3;
		run_until(left_is, 200000);
		start_txn(&r);
		run_until(core_done, 200000);
		KT_CHECK(C.code == 0, "periodic with %u bits left: result %d", w + reserve + 3, C.code);
		kt_end();
	}
	clear_replies();
}

static int is_resuming(void) { return P.port_resuming != 0; }
static int is_enabled_usable(void) { return P.port_resuming == 0 && P.port_suspended == 0; }

static int count_sofs(int from)
{
	int k = 0;

	for (int i = from; i < dev.nlog; i++)
		if (dev.log[i].n >= 1 && (dev.log[i].b[0] & 0xf) == PID_SOF)
			k++;
	return k;
}

/* suspend, resume, remote wake: each test starts where the one before left the port */
static void test_suspend_resume(const char *tag)
{
	char n[3][80];
	const char *names[3] = { n[0], n[1], n[2] };
	int from;
	uint64_t k = 0, se0 = 0, j = 0, t0;

	snprintf(n[0], sizeof(n[0]), "%s_suspend_stops_sof", tag);
	snprintf(n[1], sizeof(n[1]), "%s_resume_k_20ms_eop_sof", tag);
	snprintf(n[2], sizeof(n[2]), "%s_remote_wake", tag);
	if (!kt_group_begin(names, 3))
		return;
	kt_begin("%s", n[0]);
	pulse(&P.port_suspend_req);
	KT_CHECK(P.port_suspended && P.port_enabled, "suspended %u enabled %u", P.port_suspended, P.port_enabled);
	from = dev.nlog;
	run(3 * 48000);
	KT_CHECK(count_sofs(from) == 0, "%d SOFs while suspended", count_sofs(from));
	/* a transaction on a suspended port is not started */
	{
		struct txreq r = mkreq(2, 1, 1, 0, 8, NULL);
		start_txn(&r);
		run_until(core_done, 1000);
		KT_CHECK(C.code == 9, "txn on a suspended port: %d", C.code);
	}
	kt_end();

	kt_begin("%s", n[1]);
	pulse(&P.port_resume_req);
	KT_CHECK(P.port_resuming, "not resuming");
	t0 = cyc;
	while (P.port_resuming && cyc - t0 < 1100000) {
		cycle();
		if (P.utmi_line_ctrl == 2)
			k++;
		else if (P.utmi_line_ctrl == 1)
			se0++;
		else if (P.utmi_line_ctrl == 3)
			j++;
	}
	KT_CHECK(!P.port_resuming && !P.port_suspended && P.port_enabled, "after resume: resuming %u suspended %u enabled %u",
		 P.port_resuming, P.port_suspended, P.port_enabled);
	KT_CHECK(k >= 960000 - 4 && k <= 960000 + 4, "K driven %llu clocks, want 960000 (20 ms)", (unsigned long long)k);
	KT_CHECK(se0 == 64 && j == 32, "EOP: SE0 %llu clocks, J %llu clocks (want 64, 32: LS EOP)",
		 (unsigned long long)se0, (unsigned long long)j);
	from = dev.nlog;
	run(2 * 48000 + 1000);
	KT_CHECK(count_sofs(from) >= 2 || dev.ls, "no SOF after resume");
	kt_end();

	/* remote wake: the device drives K while suspended */
	kt_begin("%s", n[2]);
	pulse(&P.port_suspend_req);
	run(1000);
	dev.wake_k = 1;
	KT_CHECK(run_until(is_resuming, 400), "no resume after the device's K");
	dev.wake_k = 0;
	KT_CHECK(run_until(is_enabled_usable, 1100000), "resume did not finish");
	kt_end();
	kt_group_end();
}

static void test_overcurrent(void)
{
	if (!kt_begin("port_overcurrent_sync"))
		return;
	P.port_oc_in = 1;
	run(1);
	KT_CHECK(!P.port_overcurrent, "over-current without synchroniser delay");
	run(2);
	KT_CHECK(P.port_overcurrent, "over-current not reported after 3 clocks");
	P.port_oc_in = 0;
	run(3);
	KT_CHECK(!P.port_overcurrent, "over-current not cleared");
	kt_end();
}

static void test_disconnect(const char *tag)
{
	uint64_t t0;

	if (!kt_begin("%s_disconnect", tag))
		return;
	/* a short SE0 (1.5 us) is not a disconnect */
	dev.attached = 0;
	run(72);
	dev.attached = 1;
	run(200);
	KT_CHECK(P.port_connected && P.port_enabled, "short SE0 taken as a disconnect");
	dev.attached = 0;
	t0 = cyc;
	KT_CHECK(run_until(not_connected, 2000), "no disconnect");
	KT_CHECK(cyc - t0 >= 120 && cyc - t0 <= 135, "disconnect after %llu clocks, want ~2.5 us",
		 (unsigned long long)(cyc - t0));
	KT_CHECK(!P.port_enabled, "still enabled after disconnect");
	{
		struct txreq r = mkreq(2, 1, 1, 0, 8, NULL);
		start_txn(&r);
		run_until(core_done, 1000);
		KT_CHECK(C.code == 9, "txn on a disconnected port: %d", C.code);
	}
	kt_end();
}

static void test_ls_keepalive(const char *tag)
{
	int from = dev.nlog;
	uint64_t se0 = 0, t0;
	int frames = 0;

	if (!kt_begin("%s_ls_keepalive_no_sof", tag))
		return;
	t0 = cyc;
	while (frames < 3 && cyc - t0 < 200000) {
		cycle();
		if (P.frame_sof)
			frames++;
		if (mode_line ? (P.usb_oe && !P.usb_dp_o && !P.usb_dm_o) : P.utmi_line_ctrl == 1)
			se0++;
		KT_CHECK(!P.utmi_txvalid, "txvalid on an LS port outside transactions (SOF?)");
	}
	KT_CHECK(frames == 3, "frames");
	/* keep-alive: SE0 for 2 LS bit times per frame (64 clocks) */
	KT_CHECK(se0 >= 2 * 64 && se0 <= 3 * 64, "SE0 %llu clocks over 3 frames, want 64 per frame",
		 (unsigned long long)se0);
	KT_CHECK(count_sofs(from) == 0, "SOF sent to an LS device");
	kt_end();
}

static void test_disable(const char *tag)
{
	struct txreq r = mkreq(2, 1, 1, 0, 8, NULL);

	if (!kt_begin("%s_disable", tag))
		return;
	pulse(&P.port_disable_req);
	KT_CHECK(!P.port_enabled && P.port_connected, "enabled %u connected %u", P.port_enabled, P.port_connected);
	start_txn(&r);
	run_until(core_done, 1000);
	KT_CHECK(C.code == 9, "txn on a disabled port: %d", C.code);
	kt_end();
}

static void reset_all(int line)
{
	memset(&P, 0, sizeof(P));
	memset(&U, 0, sizeof(U));
	memset(&C, 0, sizeof(C));
	dev.nlog = 0;
	dev.attached = 0;
	dev.wake_k = 0;
	dev.tx_pending = 0;
	dev.ppm = 0;
	ltx.active = 0;
	clear_replies();
	mode_line = line;
	P.mode_line = (uint32_t)line;
	P.ctl_frame_interval = FI_DEFAULT;
	P.usb_rst = 1;
	run(5);
	P.usb_rst = 0;
	run(5);
	P.ctl_run = 1;
}

int main(int argc, char **argv)
{
	kt_init(&argc, argv);
	sim = vl_sim_create();
	if (!sim) {
		kt_result("engine-create", false, "cannot create the model");
		return kt_finish();
	}

	/* ---------------- UTMI level */
	reset_all(0);
	ul_rx_init(&lrx, 0);
	test_crc();
	test_frame_timer();
	test_overcurrent();
	if (connect_and_reset("utmi", 0)) {
		test_sof_content("utmi");
		test_setup("utmi");
		test_out("utmi", PID_ACK, 0, "data1_ack");
		test_out("utmi", PID_NAK, 1, "nak");
		test_out("utmi", PID_STALL, 2, "stall");
		test_in("utmi");
		test_quiet("utmi");
		test_errors("utmi");
		test_not_started("utmi");
		test_suspend_resume("utmi");
		test_disable("utmi");
		pulse(&P.port_reset_req);
		run_until(not_resetting, 600000);
		test_disconnect("utmi");
	}
	/* LS device at UTMI level */
	reset_all(0);
	if (connect_and_reset("utmi", 1)) {
		test_ls_keepalive("utmi");
		test_in("utmi_ls");
		test_out("utmi_ls", PID_ACK, 0, "data1_ack");
	}

	/* ---------------- line level, through kite_fs_phy */
	reset_all(1);
	ul_rx_init(&lrx, 0);
	if (connect_and_reset("line", 0)) {
		test_sof_content("line");
		test_setup("line");
		test_out("line", PID_ACK, 0, "data1_ack");
		test_in("line");
		test_quiet("line");
		test_errors("line");
		dev.ppm = 25;
		test_in("line_dev_clock_plus_0.25pct");
		dev.ppm = -25;
		test_in("line_dev_clock_minus_0.25pct");
		dev.ppm = 0;
		test_not_started("line");
		test_disconnect("line");
	}
	reset_all(1);
	ul_rx_init(&lrx, 1);
	if (connect_and_reset("line", 1)) {
		test_ls_keepalive("line");
		test_setup("line_ls");
		test_in("line_ls");
		test_out("line_ls", PID_NAK, 1, "nak");
		dev.ppm = 25;
		test_in("line_ls_dev_clock_plus_0.25pct");
		dev.ppm = -25;
		test_in("line_ls_dev_clock_minus_0.25pct");
		dev.ppm = 0;
		test_errors("line_ls");
		test_suspend_resume("line_ls");
	}

	vl_sim_destroy(sim);
	return kt_finish();
}
