// SPDX-License-Identifier: MIT
/*
 * UTMI-level attachment: a PHY emulation in front of a usbdev device, called once per
 * usb_clk (48 MHz) cycle. Timing (cpb = clocks per bit: 4 FS, 32 LS, from xcvrselect for the
 * host's packets and from the device speed for its answers):
 *   host packet: txvalid seen at t0; the PHY sends SYNC (8 bits), takes the PID byte with
 *     txready at t0 + 8 cpb and each further byte 8 bits (+ stuffed bits if modelled) later;
 *     txvalid low at a byte slot ends the packet; EOP (2 SE0 + 1 J bits) follows.
 *   device answer: SYNC starts turnaround_q/4 bit times after the end of the EOP; rxactive
 *     rises after the SYNC, rxvalid pulses (1 cycle, data_in held) once per byte time;
 *     rxactive falls 2 bit times (the EOP) after the last byte.
 *   linestate: J when idle; during a packet (host's or device's, from its SYNC) it shows K (the
 *     bits themselves are not modelled), SE0 for the 2 EOP bit times, then J again.
 */
#include "port_priv.h"

#include <string.h>

void utmi_reset_state(struct usbdev_port *p)
{
	p->utx = UTX_IDLE;
	p->urx = URX_IDLE;
	p->rx_len = 0;
	p->rx_overflow = false;
}

/* Bits a byte takes on the line, with stuffing after six ones (running count in *ones). */
static unsigned byte_bits(uint8_t v, unsigned *ones, bool model)
{
	unsigned bits = 8;

	for (unsigned i = 0; i < 8; i++) {
		if (v >> i & 1) {
			if (++*ones == 6) {
				bits++;
				*ones = 0;
			}
		} else {
			*ones = 0;
		}
	}
	return model ? bits : 8;
}

static unsigned ls_state(const struct usbdev_port *p, bool k)
{
	bool ls = p->dev && p->dev->desc.low_speed;

	/* {D-, D+}: FS J = 1, K = 2; LS J = 2, K = 1 */
	return k ? (ls ? 1u : 2u) : (ls ? 2u : 1u);
}

static void utmi_cycle(struct usbdev_port *p, const struct kite_utmi_host *h,
		       struct kite_utmi_phy *o);

void utmi_backend(void *ctx, const struct kite_utmi_host *h, struct kite_utmi_phy *o)
{
	struct usbdev_port *p = ctx;

	utmi_cycle(p, h, o);
	p->last_utmi = *o;
}

static void utmi_cycle(struct usbdev_port *p, const struct kite_utmi_host *h,
		       struct kite_utmi_phy *o)
{
	unsigned cpb_host = h->xcvrselect == 2 ? 32 : 4;
	bool att = p->attached && p->dev;

	p->now++;
	p->st.cycles++;
	memset(o, 0, sizeof(*o));

	/* ---- host -> device: take bytes at the line rate */
	switch (p->utx) {
	case UTX_IDLE:
		if (h->txvalid && p->urx == URX_IDLE) {
			p->utx = UTX_ON;
			p->utx_cpb = cpb_host;
			p->utx_next = p->now + 8 * cpb_host;
			p->utx_ones = 1;  /* stuffing counts the SYNC's last bit */
			p->rx_len = 0;
			p->rx_overflow = false;
		}
		break;
	case UTX_ON:
		if (p->now < p->utx_next)
			break;
		if (h->txvalid) {
			o->txready = 1;
			if (p->rx_len < sizeof(p->rx_buf))
				p->rx_buf[p->rx_len++] = h->data_out;
			else
				p->rx_overflow = true;
			p->utx_next = p->now + byte_bits(h->data_out, &p->utx_ones, p->o.utmi_model_stuffing) *
					       p->utx_cpb;
		} else {
			p->utx = UTX_EOP;
			p->utx_next = p->now + 3 * p->utx_cpb;
		}
		break;
	case UTX_EOP:
		if (p->now < p->utx_next)
			break;
		p->utx = UTX_IDLE;
		if (!att)
			break;
		if ((p->utx_cpb == 32) != p->dev->desc.low_speed) {
			p->st.speed_mismatch++;
			break;
		}
		port_deliver(p, p->rx_buf, p->rx_len, p->rx_overflow);
		if (p->resp.len) {
			unsigned cpb = port_cpb(p);

			p->urx = URX_WAIT;
			p->urx_start = p->now + p->o.turnaround_q * cpb / 4;
			p->urx_next = p->urx_start + 8 * cpb;
			p->urx_pos = 0;
			p->urx_ones = 1;
			p->urx_err_pos = p->resp.stuff_error ? p->resp.len / 2 : ~0u;
		}
		break;
	}

	/* ---- device -> host */
	if (p->urx != URX_IDLE && !att)
		p->urx = URX_IDLE;
	switch (p->urx) {
	case URX_IDLE:
		break;
	case URX_WAIT:
		if (p->now < p->urx_next)
			break;
		p->urx = URX_BYTES;
		p->urx_next = p->now + byte_bits(p->resp.buf[0], &p->urx_ones, p->o.utmi_model_stuffing) *
				       port_cpb(p);
		o->rxactive = 1;
		break;
	case URX_BYTES:
		o->rxactive = 1;
		if (p->now < p->urx_next)
			break;
		if (p->urx_pos == p->urx_err_pos) {
			o->rxerror = 1;
			p->urx = URX_EOP;
			p->urx_next = p->now + 2 * port_cpb(p);
			break;
		}
		o->rxvalid = 1;
		p->data_in = p->resp.buf[p->urx_pos++];
		if (p->urx_pos == p->resp.len) {
			p->urx = URX_EOP;
			p->urx_next = p->now + 2 * port_cpb(p);
		} else {
			p->urx_next = p->now + byte_bits(p->resp.buf[p->urx_pos], &p->urx_ones,
							 p->o.utmi_model_stuffing) * port_cpb(p);
		}
		break;
	case URX_EOP:
		if (p->now < p->urx_next) {
			o->rxactive = 1;
			break;
		}
		p->urx = URX_IDLE;
		port_check_detach(p, true);
		att = p->attached;
		break;
	}
	o->data_in = p->data_in;

	/* ---- line state and bus events */
	if (!att) {
		o->linestate = h->line_ctrl == 2 ? 2 : h->line_ctrl == 3 ? 1 : 0;
		return;
	}
	switch (h->line_ctrl) {
	case 1:
		o->linestate = 0;
		port_bus_cond(p, PORT_SE0);
		break;
	case 2:
		o->linestate = (uint8_t)ls_state(p, true);
		port_bus_cond(p, PORT_ACTIVE);
		break;
	default:
		port_bus_cond(p, p->utx != UTX_IDLE || p->urx != URX_IDLE ? PORT_ACTIVE : PORT_IDLE);
		/* packets: non-idle (shown as K) from the SYNC on, SE0 for the 2 EOP bits, then J */
		if ((p->utx == UTX_EOP && p->now < p->utx_next - p->utx_cpb) || p->urx == URX_EOP)
			o->linestate = 0;
		else if (p->utx == UTX_ON || p->urx == URX_BYTES ||
			 (p->urx == URX_WAIT && p->now >= p->urx_start))
			o->linestate = (uint8_t)ls_state(p, true);
		else
			o->linestate = (uint8_t)ls_state(p, p->wake);
		break;
	}
	if (p->utx == UTX_IDLE && p->urx == URX_IDLE)
		port_check_detach(p, false);
}

/*
 * Fast-forward: no packet to take or send, and the answer to an idle host (J with a device,
 * SE0 without) is the last one given.
 */
uint64_t utmi_quiet(void *ctx)
{
	struct usbdev_port *p = ctx;
	bool att = p->attached && p->dev;
	struct kite_utmi_phy o = { 0 };

	if (p->utx != UTX_IDLE || p->urx != URX_IDLE)
		return 0;
	o.data_in = p->data_in;
	o.linestate = att ? (uint8_t)ls_state(p, p->wake) : 0;
	return memcmp(&o, &p->last_utmi, sizeof(o)) ? 0 : port_idle_quiet(p);
}

void utmi_idle(void *ctx, uint64_t n)
{
	port_idle_advance(ctx, n);
}
