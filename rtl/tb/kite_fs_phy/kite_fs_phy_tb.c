/* SPDX-License-Identifier: MIT */
/*
 * kite_fs_phy testbench: the Verilated PHY between a C UTMI link (host side) and a C device on
 * D+/D- (usb_line.h). Checks transmit encoding (SYNC, NRZI, stuffing, EOP, txready pacing) and
 * receive decoding (clock recovery with a +/-0.25 % device clock, stuff errors, EOP, partial
 * bytes), line state and line_ctrl forcing, at full and low speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kite_test.h"
#include "phy_pins.h"
#include "usb_line.h"

static struct vl_sim *sim;
static struct phy_pins P;
static uint64_t cyc;

/* device side of the line */
static struct ul_tx dtx;
static struct ul_rx drx;
static int dev_ls;			/* pull-up of the attached device: 0 FS (D+), 1 LS (D-) */
static int force_line = -1;		/* >= 0: {dm,dp} forced on the line (line state test) */

/* UTMI link (host side) transmit */
static const uint8_t *ltx_buf;
static int ltx_n, ltx_i;
static uint64_t ready_cyc[UL_MAX_BYTES];
/* UTMI receive log */
static uint8_t rx_bytes[UL_MAX_BYTES];
static int rx_n, rx_err_count, rx_err_while_active;
static uint64_t rx_active_rise, rx_active_fall;

static void cycle(void)
{
	int dp, dm;

	P.utmi_txvalid = ltx_buf && ltx_i < ltx_n;
	P.utmi_data_out = P.utmi_txvalid ? ltx_buf[ltx_i] : 0;
	vl_sim_eval(sim, &P);
	/* resolve the line */
	if (force_line >= 0) {
		dp = force_line & 1;
		dm = (force_line >> 1) & 1;
	} else if (P.usb_oe) {
		dp = P.usb_dp_o;
		dm = P.usb_dm_o;
	} else if (!ul_tx_step(&dtx, &dp, &dm)) {
		dp = !dev_ls;
		dm = dev_ls;
	}
	P.usb_dp_i = (uint32_t)dp;
	P.usb_dm_i = (uint32_t)dm;
	vl_sim_eval(sim, &P);
	ul_rx_step(&drx, dp, dm, cyc);
	if (P.utmi_txvalid && P.utmi_txready) {
		ready_cyc[ltx_i] = cyc;
		ltx_i++;
	}
	if (P.utmi_rxvalid && rx_n < UL_MAX_BYTES)
		rx_bytes[rx_n++] = (uint8_t)P.utmi_data_in;
	if (P.utmi_rxerror) {
		rx_err_count++;
		if (P.utmi_rxactive)
			rx_err_while_active++;
	}
	vl_sim_posedge(sim);
	cyc++;
}

static void run(int n)
{
	while (n-- > 0)
		cycle();
}

static void reset(int ls)
{
	memset(&P, 0, sizeof(P));
	dev_ls = ls;
	P.utmi_xcvrselect = ls ? 2 : 1;
	P.utmi_termselect = 1;
	P.usb_rst = 1;
	ltx_buf = NULL;
	dtx.active = 0;
	force_line = -1;
	ul_rx_init(&drx, ls);
	run(4);
	P.usb_rst = 0;
	run(40);
}

/* host -> line: send bytes through UTMI, decode on the line */
static void check_tx(const char *name, int ls, const uint8_t *b, int n)
{
	int per = ls ? 32 : 4, got = 0;
	uint64_t t0;

	if (!kt_begin("%s", name))
		return;
	reset(ls);
	ltx_buf = b;
	ltx_n = n;
	ltx_i = 0;
	t0 = cyc;
	while (cyc - t0 < (uint64_t)(n + 4) * 12 * per) {
		cycle();
		if (drx.done) {
			got = 1;
			break;
		}
	}
	KT_CHECK(got, "no packet decoded on the line");
	if (got) {
		KT_CHECK(drx.pkt_n == n, "decoded %d bytes, sent %d", drx.pkt_n, n);
		KT_CHECK(!memcmp(drx.pkt, b, (size_t)(drx.pkt_n < n ? drx.pkt_n : n)),
			 "decoded bytes differ");
		KT_CHECK(!drx.pkt_stuff_err, "stuffing violated on the line");
		KT_CHECK(!drx.pkt_partial, "partial byte before EOP");
		KT_CHECK(drx.pkt_end - drx.pkt_eop_start == (uint64_t)(2 * per),
			 "EOP SE0 lasted %llu clocks, want %d",
			 (unsigned long long)(drx.pkt_end - drx.pkt_eop_start), 2 * per);
		for (int i = 1; i < n; i++) {
			uint64_t d = ready_cyc[i] - ready_cyc[i - 1];
			/* 8 bits, plus up to 2 stuff bits */
			KT_CHECK(d >= (uint64_t)(8 * per) && d <= (uint64_t)(10 * per),
				 "txready spacing %llu clocks between bytes %d and %d",
				 (unsigned long long)d, i - 1, i);
		}
		/* J for one bit, then released */
		run(per + 2);
		KT_CHECK(!P.usb_oe, "line still driven after EOP");
	}
	kt_end();
}

/* line -> host: a device packet, decoded by the PHY */
static void check_rx(const char *name, int ls, const uint8_t *b, int n, int ppm_x100)
{
	int per = ls ? 32 : 4;
	uint64_t t0, end_j = 0;
	int saw_active = 0, fell = 0, prev_active = 0;

	if (!kt_begin("%s", name))
		return;
	reset(ls);
	rx_n = 0;
	rx_err_count = rx_err_while_active = 0;
	ul_tx_start(&dtx, ls, b, n, ppm_x100, -100, 0);
	t0 = cyc;
	while (cyc - t0 < (uint64_t)(n + 6) * 12 * per) {
		int was_tx = dtx.active;
		cycle();
		if (was_tx && !dtx.active)
			end_j = cyc;	/* the EOP's J bit has ended */
		if (P.utmi_rxactive && !prev_active) {
			saw_active = 1;
			rx_active_rise = cyc;
		}
		if (!P.utmi_rxactive && prev_active) {
			fell = 1;
			rx_active_fall = cyc;
		}
		prev_active = (int)P.utmi_rxactive;
		if (fell)
			break;
	}
	KT_CHECK(saw_active && fell, "rxactive did not rise and fall");
	KT_CHECK(rx_n == n, "received %d bytes, sent %d", rx_n, n);
	KT_CHECK(!memcmp(rx_bytes, b, (size_t)(rx_n < n ? rx_n : n)), "received bytes differ");
	KT_CHECK(rx_err_count == 0, "rxerror asserted %d times", rx_err_count);
	/* EOP: rxactive falls after the SE0 ended (the J started), within 1.5 bit times of it */
	if (fell) {
		uint64_t j_start = end_j ? end_j - (uint64_t)per : 0;
		KT_CHECK(!end_j || (rx_active_fall > j_start - (uint64_t)per &&
				    rx_active_fall <= j_start + (uint64_t)(per * 3 / 2) + 3),
			 "rxactive fell at %llu, EOP J started at %llu",
			 (unsigned long long)rx_active_fall, (unsigned long long)j_start);
	}
	kt_end();
}

static void check_rx_error(const char *name, int ls, int nostuff_bit, int extra_bits)
{
	uint8_t b[8] = { ul_pid(PID_DATA0), 0xff, 0xff, 0x12, 0x34 };
	int per = ls ? 32 : 4, prev_active = 0, fell = 0;
	uint64_t t0;

	if (!kt_begin("%s", name))
		return;
	reset(ls);
	rx_n = 0;
	rx_err_count = rx_err_while_active = 0;
	ul_tx_start(&dtx, ls, b, 5, 0, nostuff_bit, extra_bits);
	t0 = cyc;
	while (cyc - t0 < (uint64_t)200 * per) {
		cycle();
		if (!P.utmi_rxactive && prev_active)
			fell = 1;
		prev_active = (int)P.utmi_rxactive;
		if (fell)
			break;
	}
	KT_CHECK(rx_err_count >= 1, "no rxerror");
	KT_CHECK(rx_err_while_active >= 1 || extra_bits, "rxerror not while rxactive");
	KT_CHECK(fell, "rxactive never fell after the error");
	run(4 * per);
	KT_CHECK(!P.utmi_rxactive, "rxactive high after the line went idle");
	kt_end();
}

static void check_linestate(void)
{
	static const char *nm[4] = { "SE0", "D+", "D-", "SE1" };

	if (!kt_begin("phy_linestate"))
		return;
	for (int ls = 0; ls < 2; ls++) {
		reset(ls);
		for (int v = 0; v < 4; v++) {
			force_line = v;
			run(3);
			/* 2-flop synchroniser: visible in the third cycle */
			KT_CHECK(P.utmi_linestate == (uint32_t)v, "%s: linestate %u for %s after 3 clocks",
				 ls ? "LS" : "FS", P.utmi_linestate, nm[v]);
			run(10);
			KT_CHECK(P.utmi_linestate == (uint32_t)v, "%s: linestate %u for %s",
				 ls ? "LS" : "FS", P.utmi_linestate, nm[v]);
		}
		force_line = -1;
		run(4);
		KT_CHECK(P.utmi_linestate == (ls ? 2u : 1u), "idle %s device: linestate %u",
			 ls ? "LS" : "FS", P.utmi_linestate);
	}
	kt_end();
}

static void check_line_ctrl(void)
{
	/* {oe, dp, dm} for line_ctrl 1 (SE0), 2 (K), 3 (J), FS then LS */
	static const int want[2][4][3] = {
		{ { 0, 0, 0 }, { 1, 0, 0 }, { 1, 0, 1 }, { 1, 1, 0 } },
		{ { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 0 }, { 1, 0, 1 } },
	};

	if (!kt_begin("phy_line_ctrl"))
		return;
	for (int ls = 0; ls < 2; ls++) {
		reset(ls);
		for (int c = 1; c < 4; c++) {
			P.utmi_line_ctrl = (uint32_t)c;
			run(3);
			KT_CHECK(P.usb_oe == (uint32_t)want[ls][c][0] && P.usb_dp_o == (uint32_t)want[ls][c][1] &&
				 P.usb_dm_o == (uint32_t)want[ls][c][2],
				 "%s line_ctrl %d: oe %u dp %u dm %u", ls ? "LS" : "FS", c, P.usb_oe,
				 P.usb_dp_o, P.usb_dm_o);
			KT_CHECK(!P.utmi_rxactive, "receiver started on a forced line");
		}
		P.utmi_line_ctrl = 0;
		run(3);
		KT_CHECK(!P.usb_oe, "%s: line still driven with line_ctrl 0", ls ? "LS" : "FS");
		KT_CHECK(P.usb_pulldown == 1, "pulldown off");
	}
	kt_end();
}

int main(int argc, char **argv)
{
	uint8_t pk[80];
	uint8_t data[64];
	uint32_t seed = 0x1234567;

	kt_init(&argc, argv);
	sim = vl_sim_create();
	if (!sim) {
		kt_result("phy-create", false, "cannot create the model");
		return kt_finish();
	}
	/* mixed data with long runs of ones (maximum stuffing) and zeros */
	for (int i = 0; i < 64; i++)
		data[i] = (i % 8 < 3) ? 0xff : (i % 8 == 3) ? 0x00 : (uint8_t)kt_rand(&seed);
	int n = ul_data(pk, PID_DATA1, data, 64);

	check_tx("phy_tx_fs_nrzi_stuff_eop", 0, pk, n);
	check_tx("phy_tx_ls_nrzi_stuff_eop", 1, pk, 16);
	check_rx("phy_rx_fs", 0, pk, n, 0);
	check_rx("phy_rx_ls", 1, pk, 20, 0);
	check_rx("phy_rx_fs_clock_plus_0.25pct", 0, pk, n, 25);
	check_rx("phy_rx_fs_clock_minus_0.25pct", 0, pk, n, -25);
	check_rx("phy_rx_ls_clock_plus_0.25pct", 1, pk, n, 25);
	check_rx("phy_rx_ls_clock_minus_0.25pct", 1, pk, n, -25);
	check_rx("phy_rx_fs_clock_plus_1.5pct", 0, pk, n, 150);
	check_rx("phy_rx_fs_clock_minus_1.5pct", 0, pk, n, -150);
	check_rx_error("phy_rx_fs_stuff_error", 0, 11, 0);
	check_rx_error("phy_rx_ls_stuff_error", 1, 11, 0);
	check_rx_error("phy_rx_fs_partial_byte_error", 0, -100, 3);
	check_linestate();
	check_line_ctrl();
	vl_sim_destroy(sim);
	return kt_finish();
}
