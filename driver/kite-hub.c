// SPDX-License-Identifier: GPL-2.0
/*
 * kite root hub: a USB 1.1 hub with CAP.NUM_PORTS ports, one PORTSC
 * register each, and bus suspend/resume.
 *
 * PORTSC: POWER is read/write; RESET, SUSPEND and RESUME are write-1-to-set
 * (the controller times reset and resume signalling itself); DISABLE is
 * write-only; the change bits are write-1-to-clear. Every write therefore
 * carries the current POWER and nothing else but the bit being changed.
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <asm/unaligned.h>

#include "kite.h"

#define KITE_PORTSC_CHANGE	(KITE_PORTSC_CSC_MASK | KITE_PORTSC_PEC_MASK | \
				 KITE_PORTSC_PRC_MASK | KITE_PORTSC_OCC_MASK | \
				 KITE_PORTSC_PSC_MASK)

static u32 kite_portsc(struct kite_hc *hc, unsigned int port)
{
	return kite_readl(hc, KITE_REG_PORTSC(port));
}

/* Write @bits (rw1s, wo or w1c bits) to PORTSC, keeping POWER as it is. */
static void kite_portsc_set(struct kite_hc *hc, unsigned int port, u32 bits)
{
	u32 power = kite_portsc(hc, port) & KITE_PORTSC_POWER_MASK;

	kite_writel(hc, KITE_REG_PORTSC(port), power | bits);
}

/**
 * kite_hub_status_data() - which ports have a change bit set
 * @hcd: host controller
 * @buf: bitmap: bit 0 the hub, bit n port n
 *
 * Return: bytes of @buf used, 0 when nothing changed.
 */
int kite_hub_status_data(struct usb_hcd *hcd, char *buf)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	unsigned int port, len = DIV_ROUND_UP(hc->num_ports + 1, 8);
	bool changed = false;

	memset(buf, 0, len);
	if (!HCD_HW_ACCESSIBLE(hcd))
		return 0;
	for (port = 0; port < hc->num_ports; port++) {
		if (kite_portsc(hc, port) & KITE_PORTSC_CHANGE) {
			buf[(port + 1) / 8] |= BIT((port + 1) % 8);
			changed = true;
		}
	}
	if (changed && hcd->state == HC_STATE_SUSPENDED)
		usb_hcd_resume_root_hub(hcd);
	return changed ? len : 0;
}

/*
 * The hub descriptor (USB 2.0 11.23.2.1), byte by byte: per-port power
 * switching and over-current reporting, 20 ms power-on to power-good, all
 * devices removable, PortPwrCtrlMask all ones.
 */
static unsigned int kite_hub_descriptor(struct kite_hc *hc, u8 *d)
{
	unsigned int bytes = DIV_ROUND_UP(hc->num_ports + 1, 8);
	unsigned int len = USB_DT_HUB_NONVAR_SIZE + 2 * bytes;

	memset(d, 0, len);
	d[0] = len;
	d[1] = USB_DT_HUB;
	d[2] = hc->num_ports;
	put_unaligned_le16(HUB_CHAR_INDV_PORT_LPSM | HUB_CHAR_INDV_PORT_OCPM,
			   &d[3]);
	d[5] = 10;	/* bPwrOn2PwrGood, 2 ms units */
	d[6] = 0;	/* bHubContrCurrent */
	memset(&d[USB_DT_HUB_NONVAR_SIZE + bytes], 0xff, bytes);
	return len;
}

static u32 kite_port_status(u32 portsc)
{
	u32 st = 0;

	if (portsc & KITE_PORTSC_CONNECTED_MASK)
		st |= USB_PORT_STAT_CONNECTION;
	if (portsc & KITE_PORTSC_ENABLED_MASK)
		st |= USB_PORT_STAT_ENABLE;
	if (portsc & (KITE_PORTSC_SUSPEND_MASK | KITE_PORTSC_RESUME_MASK))
		st |= USB_PORT_STAT_SUSPEND;
	if (portsc & KITE_PORTSC_OVERCURRENT_MASK)
		st |= USB_PORT_STAT_OVERCURRENT;
	if (portsc & KITE_PORTSC_RESET_MASK)
		st |= USB_PORT_STAT_RESET;
	if (portsc & KITE_PORTSC_POWER_MASK)
		st |= USB_PORT_STAT_POWER;
	if ((portsc & KITE_PORTSC_LS_MASK) &&
	    (portsc & KITE_PORTSC_CONNECTED_MASK))
		st |= USB_PORT_STAT_LOW_SPEED;

	if (portsc & KITE_PORTSC_CSC_MASK)
		st |= USB_PORT_STAT_C_CONNECTION << 16;
	if (portsc & KITE_PORTSC_PEC_MASK)
		st |= USB_PORT_STAT_C_ENABLE << 16;
	if (portsc & KITE_PORTSC_PSC_MASK)
		st |= USB_PORT_STAT_C_SUSPEND << 16;
	if (portsc & KITE_PORTSC_OCC_MASK)
		st |= USB_PORT_STAT_C_OVERCURRENT << 16;
	if (portsc & KITE_PORTSC_PRC_MASK)
		st |= USB_PORT_STAT_C_RESET << 16;
	return st;
}

static int kite_clear_port_feature(struct kite_hc *hc, unsigned int port,
				   u16 feature)
{
	u32 portsc = kite_portsc(hc, port);

	switch (feature) {
	case USB_PORT_FEAT_ENABLE:
		kite_portsc_set(hc, port, KITE_PORTSC_DISABLE_MASK);
		break;
	case USB_PORT_FEAT_SUSPEND:
		/* Resume signalling (K for 20 ms, timed by the controller). */
		if (portsc & KITE_PORTSC_SUSPEND_MASK)
			kite_portsc_set(hc, port, KITE_PORTSC_RESUME_MASK);
		break;
	case USB_PORT_FEAT_POWER:
		kite_writel(hc, KITE_REG_PORTSC(port), 0);
		break;
	case USB_PORT_FEAT_C_CONNECTION:
		kite_portsc_set(hc, port, KITE_PORTSC_CSC_MASK);
		break;
	case USB_PORT_FEAT_C_ENABLE:
		kite_portsc_set(hc, port, KITE_PORTSC_PEC_MASK);
		break;
	case USB_PORT_FEAT_C_RESET:
		kite_portsc_set(hc, port, KITE_PORTSC_PRC_MASK);
		break;
	case USB_PORT_FEAT_C_SUSPEND:
		kite_portsc_set(hc, port, KITE_PORTSC_PSC_MASK);
		break;
	case USB_PORT_FEAT_C_OVER_CURRENT:
		kite_portsc_set(hc, port, KITE_PORTSC_OCC_MASK);
		break;
	case USB_PORT_FEAT_INDICATOR:
		break;
	default:
		return -EPIPE;
	}
	return 0;
}

static int kite_set_port_feature(struct kite_hc *hc, unsigned int port,
				 u16 feature)
{
	u32 portsc = kite_portsc(hc, port);

	switch (feature) {
	case USB_PORT_FEAT_POWER:
		kite_writel(hc, KITE_REG_PORTSC(port), KITE_PORTSC_POWER_MASK);
		break;
	case USB_PORT_FEAT_RESET:
		if (!(portsc & KITE_PORTSC_POWER_MASK))
			return -EPIPE;
		/* SE0 for 10 ms, timed by the controller; then enabled. */
		kite_portsc_set(hc, port, KITE_PORTSC_RESET_MASK);
		break;
	case USB_PORT_FEAT_SUSPEND:
		if (portsc & KITE_PORTSC_ENABLED_MASK)
			kite_portsc_set(hc, port, KITE_PORTSC_SUSPEND_MASK);
		break;
	case USB_PORT_FEAT_INDICATOR:
		break;
	default:
		return -EPIPE;
	}
	return 0;
}

/*
 * The controller times the 10 ms reset and the 20 ms resume signalling
 * itself. Wait for them here, in process context, rather than let the hub
 * driver poll or sleep a fixed time: khubd gives up on a reset after 800 ms
 * of wall time and reads the port once 20 ms after a resume, and a simulated
 * controller (the co-simulation runs a few milliseconds of bus time per
 * second) needs longer. On hardware this returns after the 10 or 20 ms.
 */
static void kite_wait_port(struct kite_hc *hc, unsigned int port, u32 busy,
			   const char *what)
{
	u32 portsc;

	if (readl_poll_timeout(hc->regs + KITE_REG_PORTSC(port), portsc,
			       !(portsc & busy), 1000, 60 * USEC_PER_SEC))
		dev_warn(hc->dev, "port %u: %s did not complete (PORTSC 0x%08x)\n",
			 port + 1, what, portsc);
}

/**
 * kite_hub_control() - root hub class requests
 * @hcd: host controller
 * @typereq: bmRequestType << 8 | bRequest
 * @wvalue: wValue
 * @windex: wIndex (1-based port number for port requests)
 * @buf: data stage
 * @wlength: its length
 *
 * Return: bytes of @buf filled (or 0), or -EPIPE to stall the request.
 */
int kite_hub_control(struct usb_hcd *hcd, u16 typereq, u16 wvalue,
		     u16 windex, char *buf, u16 wlength)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	unsigned int port = (windex & 0xff) - 1;
	bool wait_reset = false, wait_resume = false;
	unsigned long flags;
	int ret = 0;

	if (!HCD_HW_ACCESSIBLE(hcd))
		return -ESHUTDOWN;

	spin_lock_irqsave(&hc->lock, flags);
	switch (typereq) {
	case GetHubDescriptor:
		/* buf holds a whole struct usb_hub_descriptor (rh_call_control). */
		ret = kite_hub_descriptor(hc, buf);
		break;
	case GetHubStatus:
		put_unaligned_le32(0, buf);
		break;
	case ClearHubFeature:
		if (wvalue != C_HUB_LOCAL_POWER && wvalue != C_HUB_OVER_CURRENT)
			ret = -EPIPE;
		break;
	case SetHubFeature:
		ret = -EPIPE;
		break;
	case GetPortStatus:
		if (port >= hc->num_ports) {
			ret = -EPIPE;
			break;
		}
		put_unaligned_le32(kite_port_status(kite_portsc(hc, port)), buf);
		break;
	case ClearPortFeature:
		if (port >= hc->num_ports)
			ret = -EPIPE;
		else
			ret = kite_clear_port_feature(hc, port, wvalue);
		wait_resume = wvalue == USB_PORT_FEAT_SUSPEND;
		break;
	case SetPortFeature:
		if (port >= hc->num_ports)
			ret = -EPIPE;
		else
			ret = kite_set_port_feature(hc, port, wvalue);
		wait_reset = wvalue == USB_PORT_FEAT_RESET;
		break;
	default:
		ret = -EPIPE;
		break;
	}
	spin_unlock_irqrestore(&hc->lock, flags);
	if (ret == -EPIPE)
		dev_dbg(hc->dev, "root hub request 0x%04x wValue %u wIndex %u stalled\n",
			typereq, wvalue, windex);
	else if (!ret && wait_reset)
		kite_wait_port(hc, port, KITE_PORTSC_RESET_MASK, "reset");
	else if (!ret && wait_resume)
		kite_wait_port(hc, port, KITE_PORTSC_RESUME_MASK, "resume");
	return ret;
}

/**
 * kite_bus_suspend() - suspend the bus: suspend the enabled ports (SOF
 *	stops on them, the devices suspend after 3 ms), then halt
 * @hcd: host controller
 *
 * Return: 0.
 */
int kite_bus_suspend(struct usb_hcd *hcd)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	unsigned int port;
	u32 sts;

	spin_lock_irq(&hc->lock);
	hc->port_bus_suspended = 0;
	for (port = 0; port < hc->num_ports; port++) {
		u32 portsc = kite_portsc(hc, port);

		if ((portsc & KITE_PORTSC_ENABLED_MASK) &&
		    !(portsc & KITE_PORTSC_SUSPEND_MASK)) {
			kite_portsc_set(hc, port, KITE_PORTSC_SUSPEND_MASK);
			__set_bit(port, &hc->port_bus_suspended);
		}
	}
	hc->running = false;
	spin_unlock_irq(&hc->lock);

	/* Let the ports see 3 ms of idle before the frame timer stops. */
	usleep_range(5000, 6000);
	kite_writel(hc, KITE_REG_USBCMD, 0);
	if (readl_poll_timeout(hc->regs + KITE_REG_USBSTS, sts,
			       sts & KITE_USBSTS_HALTED_MASK, 10, 20000))
		dev_warn(hc->dev, "bus suspend: controller did not halt\n");
	dev_dbg(hc->dev, "bus suspended (ports 0x%lx)\n", hc->port_bus_suspended);
	return 0;
}

/**
 * kite_bus_resume() - run again and resume the ports bus_suspend suspended
 * @hcd: host controller
 *
 * Return: 0, or -ETIMEDOUT if the controller does not run.
 */
int kite_bus_resume(struct usb_hcd *hcd)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	unsigned int port;
	u32 sts;

	kite_writel(hc, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	if (readl_poll_timeout(hc->regs + KITE_REG_USBSTS, sts,
			       !(sts & KITE_USBSTS_HALTED_MASK), 10, 20000)) {
		dev_err(hc->dev, "bus resume: controller does not run (USBSTS 0x%x)\n",
			sts);
		return -ETIMEDOUT;
	}

	spin_lock_irq(&hc->lock);
	for_each_set_bit(port, &hc->port_bus_suspended, hc->num_ports)
		if (kite_portsc(hc, port) & KITE_PORTSC_SUSPEND_MASK)
			kite_portsc_set(hc, port, KITE_PORTSC_RESUME_MASK);
	spin_unlock_irq(&hc->lock);

	/* 20 ms of K by the controller, then EOP and SOF again. */
	for_each_set_bit(port, &hc->port_bus_suspended, hc->num_ports) {
		kite_wait_port(hc, port, KITE_PORTSC_SUSPEND_MASK |
			       KITE_PORTSC_RESUME_MASK, "resume");
		/* The hub driver did not ask for this resume. */
		spin_lock_irq(&hc->lock);
		kite_portsc_set(hc, port, KITE_PORTSC_PSC_MASK);
		spin_unlock_irq(&hc->lock);
	}

	spin_lock_irq(&hc->lock);
	hc->port_bus_suspended = 0;
	hc->running = true;
	for (port = 0; port < hc->num_ctx; port++)
		if (hc->ctx_ep[port] && hc->ctx_ep[port]->stage == KITE_EP_IDLE &&
		    !hc->ctx_ep[port]->halted &&
		    !list_empty(&hc->ctx_ep[port]->tds))
			kite_writel(hc, KITE_REG_DOORBELL, port);
	spin_unlock_irq(&hc->lock);
	dev_dbg(hc->dev, "bus resumed\n");
	return 0;
}
