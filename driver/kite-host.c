// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB host controller driver: the hc_driver.
 *
 * Endpoints get an on-chip context and a transfer ring on first use
 * (urb_enqueue). Completions, command completions and port changes come
 * through the event ring (kite_hcd_irq()). Commands (STOP_EP, SET_DEQ,
 * RESET_EP) are queued in software and issued one at a time; process
 * context waits for them (kite_cmd_sync()), the interrupt path chains them
 * per endpoint (struct kite_ep.stage) to finish unlinks and recover from
 * halts, as xhci does with its cancelled-TD list.
 *
 * Locking: kite_hc.lock (a spinlock, taken with interrupts disabled)
 * protects rings, endpoints, URBs, the command queue and the event ring.
 * URBs are given back with it dropped (kite_giveback_all()). kite_hc.cmd_mutex
 * serialises endpoint_disable and endpoint_reset, which sleep on commands.
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "kite.h"
#include "kite_trace.h"

static unsigned int ring_trbs = 256;
module_param(ring_trbs, uint, 0444);
MODULE_PARM_DESC(ring_trbs,
		 "TRBs per transfer ring, LINK included (16..4096, default 256: one 4 KiB page)");

static unsigned int imod_us = 125;
module_param(imod_us, uint, 0644);
MODULE_PARM_DESC(imod_us,
		 "Interrupt moderation interval in microseconds, applied at start (default 125)");

#define KITE_CMD_TIMEOUT_MS	1000
#define KITE_HALT_TIMEOUT_US	20000

static void kite_ep_fixup(struct kite_hc *hc, struct kite_ep *ep);

/* ---- commands ---- */

static void kite_cmd_kick(struct kite_hc *hc)
{
	struct kite_cmd *cmd;

	lockdep_assert_held(&hc->lock);
	if (hc->cmd_busy || list_empty(&hc->cmd_list))
		return;
	cmd = list_first_entry(&hc->cmd_list, struct kite_cmd, node);
	hc->cmd_busy = true;
	hc->stats.cmds++;
	trace_kite_cmd(cmd->op, cmd->ctx, cmd->arg);
	kite_writel(hc, KITE_REG_CMD_ARG_LO, lower_32_bits(cmd->arg));
	kite_writel(hc, KITE_REG_CMD_ARG_HI, upper_32_bits(cmd->arg));
	kite_writel(hc, KITE_REG_CMD, FIELD_PREP(KITE_CMD_OP_MASK, cmd->op) |
		    FIELD_PREP(KITE_CMD_CTX_MASK, cmd->ctx) |
		    KITE_CMD_START_MASK);
}

/**
 * kite_cmd_queue() - queue a command; it is issued when the ones before it
 *	have completed
 * @hc: controller, lock held
 * @cmd: command with op, ctx, arg and done set
 */
void kite_cmd_queue(struct kite_hc *hc, struct kite_cmd *cmd)
{
	lockdep_assert_held(&hc->lock);
	cmd->code = 0;
	cmd->queued = true;
	list_add_tail(&cmd->node, &hc->cmd_list);
	kite_cmd_kick(hc);
}

/* Complete and remove every command (controller dead): code stays 0. */
static void kite_cmd_abort_all(struct kite_hc *hc)
{
	struct kite_cmd *cmd, *tmp;

	list_for_each_entry_safe(cmd, tmp, &hc->cmd_list, node) {
		list_del(&cmd->node);
		cmd->queued = false;
		cmd->code = 0;
		cmd->done(hc, cmd);
	}
	hc->cmd_busy = false;
}

static void kite_cmd_event(struct kite_hc *hc, u8 code, u8 op, u8 ctx)
{
	struct kite_cmd *cmd;

	if (!hc->cmd_busy || list_empty(&hc->cmd_list)) {
		dev_warn(hc->dev, "COMMAND event (op %u ctx %u) with no command in flight\n",
			 op, ctx);
		return;
	}
	cmd = list_first_entry(&hc->cmd_list, struct kite_cmd, node);
	if (cmd->op != op || cmd->ctx != ctx)
		dev_warn(hc->dev, "COMMAND event for op %u ctx %u, expected op %u ctx %u\n",
			 op, ctx, cmd->op, cmd->ctx);
	list_del(&cmd->node);
	cmd->queued = false;
	cmd->code = code;
	hc->cmd_busy = false;
	cmd->done(hc, cmd);
	kite_cmd_kick(hc);
}

static void kite_cmd_wake(struct kite_hc *hc, struct kite_cmd *cmd)
{
	complete(&cmd->compl);
}

/**
 * kite_cmd_sync() - issue a command and wait for its completion
 * @hc: controller
 * @op: KITE_CMD_OP_*
 * @ctx: endpoint context
 * @arg: CMD_ARG
 *
 * Process context only (it sleeps).
 *
 * Return: 0 on SUCCESS, -EINVAL on CONTEXT_STATE_ERROR, -ETIMEDOUT when
 * the controller does not answer, -ESHUTDOWN when it is dead.
 */
int kite_cmd_sync(struct kite_hc *hc, u8 op, unsigned int ctx, u64 arg)
{
	struct kite_cmd cmd = {
		.op = op, .ctx = ctx, .arg = arg, .done = kite_cmd_wake,
	};
	unsigned long left;

	might_sleep();
	init_completion(&cmd.compl);
	spin_lock_irq(&hc->lock);
	if (hc->dead) {
		spin_unlock_irq(&hc->lock);
		return -ESHUTDOWN;
	}
	kite_cmd_queue(hc, &cmd);
	spin_unlock_irq(&hc->lock);

	left = wait_for_completion_timeout(&cmd.compl,
					   msecs_to_jiffies(KITE_CMD_TIMEOUT_MS));
	if (!left) {
		spin_lock_irq(&hc->lock);
		if (cmd.queued) {
			bool first = list_first_entry(&hc->cmd_list,
						      struct kite_cmd, node) == &cmd;

			list_del(&cmd.node);
			cmd.queued = false;
			hc->stats.cmd_timeouts++;
			if (first && hc->cmd_busy) {
				/* In flight and unanswered: give up on it. */
				hc->cmd_busy = false;
				kite_cmd_kick(hc);
			}
			spin_unlock_irq(&hc->lock);
			dev_err(hc->dev, "command op %u ctx %u timed out (CMD_STATUS 0x%x)\n",
				op, ctx, kite_readl(hc, KITE_REG_CMD_STATUS));
			return -ETIMEDOUT;
		}
		spin_unlock_irq(&hc->lock);
	}
	switch (cmd.code) {
	case KITE_EVT_CODE_SUCCESS:
		return 0;
	case 0:
		return -ESHUTDOWN;
	default:
		dev_dbg(hc->dev, "command op %u ctx %u: completion code %u\n",
			op, ctx, cmd.code);
		return -EINVAL;
	}
}

/* ---- URB completion ---- */

static int kite_code_status(struct kite_ep *ep, u8 code)
{
	switch (code) {
	case KITE_EVT_CODE_SUCCESS:
	case KITE_EVT_CODE_SHORT_PACKET:
		return 0;
	case KITE_EVT_CODE_STALL:
		return -EPIPE;
	case KITE_EVT_CODE_BABBLE:
		return -EOVERFLOW;
	case KITE_EVT_CODE_TRANSACTION_ERROR:
		return -EPROTO;
	case KITE_EVT_CODE_DATA_BUFFER_ERROR:
		return ep->dir_in ? -ECOMM : -ENOSR;
	case KITE_EVT_CODE_MISSED_SERVICE:
		return -EXDEV;
	case KITE_EVT_CODE_NOT_CONNECTED:
		return -ESHUTDOWN;
	case KITE_EVT_CODE_BUS_ERROR:
		return -EIO;
	case KITE_EVT_CODE_TRB_ERROR:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static bool kite_code_halts(u8 code)
{
	switch (code) {
	case KITE_EVT_CODE_SUCCESS:
	case KITE_EVT_CODE_SHORT_PACKET:
	case KITE_EVT_CODE_MISSED_SERVICE:
	case KITE_EVT_CODE_STOPPED:
		return false;
	default:
		return true;
	}
}

/*
 * Take the URB off its endpoint and queue it for giveback with @status;
 * its TDs must already be off the endpoint's TD list. For an unlinked URB
 * the core replaces @status with the unlink status (urb->unlinked).
 */
static void kite_urb_done(struct kite_hc *hc, struct kite_urb *kurb, int status)
{
	struct urb *urb = kurb->urb;

	if (kurb->cancelled)
		list_del(&kurb->cancel_node);
	usb_hcd_unlink_urb_from_ep(kite_to_hcd(hc), urb);
	kurb->status = status;
	list_add_tail(&kurb->cancel_node, &hc->giveback);
	hc->stats.urbs_done++;
}

/* Give back every finished URB, dropping the lock around each. */
static void kite_giveback_all(struct kite_hc *hc)
{
	struct usb_hcd *hcd = kite_to_hcd(hc);

	lockdep_assert_held(&hc->lock);
	while (!list_empty(&hc->giveback)) {
		struct kite_urb *kurb = list_first_entry(&hc->giveback,
							 struct kite_urb,
							 cancel_node);
		struct urb *urb = kurb->urb;
		int status = kurb->status;

		list_del(&kurb->cancel_node);
		urb->hcpriv = NULL;
		kfree(kurb);
		trace_kite_urb_giveback(urb, status);
		spin_unlock(&hc->lock);
		usb_hcd_giveback_urb(hcd, urb, status);
		spin_lock(&hc->lock);
	}
}

static void kite_ep_doorbell(struct kite_hc *hc, struct kite_ep *ep)
{
	if (ep->stage == KITE_EP_IDLE && !ep->halted && hc->running &&
	    !list_empty(&ep->tds)) {
		trace_kite_doorbell(ep->ctx);
		kite_writel(hc, KITE_REG_DOORBELL, ep->ctx);
	}
}

/* ---- endpoint command sequences (unlink, halt recovery) ---- */

static void kite_ep_finish(struct kite_hc *hc, struct kite_ep *ep)
{
	ep->stage = KITE_EP_IDLE;
	if (!list_empty(&ep->cancelled)) {
		/* Unlinked while the sequence ran; the context is not running. */
		kite_ep_fixup(hc, ep);
		return;
	}
	kite_ep_doorbell(hc, ep);
	wake_up_all(&hc->ep_wq);
}

static void kite_ep_cmd(struct kite_hc *hc, struct kite_ep *ep,
			enum kite_ep_stage stage, u8 op, u64 arg)
{
	ep->stage = stage;
	ep->cmd.op = op;
	ep->cmd.ctx = ep->ctx;
	ep->cmd.arg = arg;
	kite_cmd_queue(hc, &ep->cmd);
}

static void kite_ep_reset_or_finish(struct kite_hc *hc, struct kite_ep *ep)
{
	if (ep->halted && !ep->stall_wait)
		kite_ep_cmd(hc, ep, KITE_EP_RESETTING, KITE_CMD_OP_RESET_EP, 0);
	else
		kite_ep_finish(hc, ep);
}

/* The context's dequeue pointer as a ring index (-1 if off the ring). */
static int kite_ep_hw_deq(struct kite_hc *hc, struct kite_ep *ep)
{
	u64 lo = kite_readl(hc, KITE_REG_CTX_DEQ_LO(ep->ctx));
	u64 hi = kite_readl(hc, KITE_REG_CTX_DEQ_HI(ep->ctx));

	return kite_ring_index(&ep->ring, (hi << 32) |
			       (lo & KITE_CTX_DEQ_LO_PTR_MASK));
}

/*
 * The context is STOPPED or HALTED. Drop the unlinked URBs (their TRBs
 * become NOOPs), then move the dequeue pointer past what was dropped or
 * failed (SET_DEQ) if the controller would otherwise resume inside it,
 * then RESET_EP a halted context, then ring the doorbell again.
 */
static void kite_ep_fixup(struct kite_hc *hc, struct kite_ep *ep)
{
	struct kite_ring *ring = &ep->ring;
	struct kite_urb *kurb, *tmp;
	struct kite_td *td;
	unsigned int target;
	u32 target_cycle;
	int hw;

	list_for_each_entry_safe(kurb, tmp, &ep->cancelled, cancel_node) {
		struct kite_td *t, *tn;

		list_for_each_entry_safe(t, tn, &ep->tds, node) {
			if (t->kurb != kurb)
				continue;
			kite_td_noop(ring, t);
			list_del(&t->node);
		}
		hc->stats.urbs_unlinked++;
		/* The core passes urb->unlinked as the status. */
		kite_urb_done(hc, kurb, -ECONNRESET);
	}

	td = list_first_entry_or_null(&ep->tds, struct kite_td, node);
	if (td) {
		target = td->first;
		target_cycle = td->first_cycle;
	} else {
		target = ring->enq;
		target_cycle = ring->cycle;
	}

	hw = kite_ep_hw_deq(hc, ep);
	if (hw < 0 || (hw != target && !(td && kite_td_contains(ring, td, hw)))) {
		ep->set_deq_idx = target;
		kite_ep_cmd(hc, ep, KITE_EP_SET_DEQ, KITE_CMD_OP_SET_DEQ,
			    kite_ring_dma(ring, target) | target_cycle);
		return;
	}
	ring->deq = hw;
	kite_ep_reset_or_finish(hc, ep);
}

static void kite_ep_cmd_done(struct kite_hc *hc, struct kite_cmd *cmd)
{
	struct kite_ep *ep = container_of(cmd, struct kite_ep, cmd);

	if (!cmd->code) {	/* aborted: the controller is dead */
		ep->stage = KITE_EP_IDLE;
		wake_up_all(&hc->ep_wq);
		return;
	}
	if (cmd->code != KITE_EVT_CODE_SUCCESS)
		dev_dbg(hc->dev, "ctx %u: command op %u completed with code %u\n",
			ep->ctx, cmd->op, cmd->code);

	switch (ep->stage) {
	case KITE_EP_STOPPING:
		kite_ep_fixup(hc, ep);
		break;
	case KITE_EP_SET_DEQ:
		ep->ring.deq = ep->set_deq_idx;
		kite_ep_reset_or_finish(hc, ep);
		break;
	case KITE_EP_RESETTING:
		ep->halted = false;
		if (ep->restore_toggle) {
			/* RESET_EP made it DATA0; the device did not reset. */
			kite_writel(hc, KITE_REG_CTX_STATE(ep->ctx),
				    FIELD_PREP(KITE_CTX_STATE_STATE_MASK,
					       KITE_CTX_STATE_STATE_STOPPED) |
				    FIELD_PREP(KITE_CTX_STATE_TOGGLE_MASK,
					       ep->toggle));
			ep->restore_toggle = false;
		}
		kite_ep_finish(hc, ep);
		break;
	default:
		dev_warn(hc->dev, "ctx %u: unexpected command completion\n",
			 ep->ctx);
		break;
	}
}

/* Start finishing the unlinks of @ep (urb_dequeue, lock held). */
static void kite_ep_kick_unlink(struct kite_hc *hc, struct kite_ep *ep)
{
	if (ep->stage != KITE_EP_IDLE)
		return;	/* kite_ep_finish() looks at ep->cancelled */
	if (ep->halted) {
		kite_ep_fixup(hc, ep);
		return;
	}
	kite_ep_cmd(hc, ep, KITE_EP_STOPPING, KITE_CMD_OP_STOP_EP, 0);
}

/* ---- events ---- */

static struct kite_td *kite_find_td(struct kite_ep *ep, unsigned int idx)
{
	struct kite_td *td;

	list_for_each_entry(td, &ep->tds, node)
		if (kite_td_contains(&ep->ring, td, idx))
			return td;
	return NULL;
}

/* Remove @td (finished) from the ring list; the controller is past it. */
static void kite_td_retire(struct kite_ep *ep, struct kite_td *td)
{
	list_del(&td->node);
	ep->ring.deq = kite_ring_next(&ep->ring, td->last);
	td->kurb->tds_left--;
}

static void kite_isoc_done(struct kite_hc *hc, struct kite_ep *ep,
			   struct kite_urb *kurb)
{
	struct urb *urb = kurb->urb;
	unsigned int i;

	urb->actual_length = 0;
	urb->error_count = 0;
	for (i = 0; i < urb->number_of_packets; i++) {
		urb->actual_length += urb->iso_frame_desc[i].actual_length;
		if (urb->iso_frame_desc[i].status)
			urb->error_count++;
	}
	kite_urb_done(hc, kurb, 0);
}

static void kite_transfer_event(struct kite_hc *hc, struct kite_ep *ep,
				u64 ptr, u32 residual, u8 code)
{
	struct kite_ring *ring = &ep->ring;
	struct kite_td *td, *first;
	struct kite_urb *kurb;
	bool halts = kite_code_halts(code);
	struct urb *urb;
	int idx, status = kite_code_status(ep, code);
	u32 bytes;

	if (code == KITE_EVT_CODE_STOPPED)
		return;	/* STOP_EP: finished at the COMMAND event */

	idx = kite_ring_index(ring, ptr);
	td = idx < 0 ? NULL : kite_find_td(ep, idx);
	if (!td) {
		dev_dbg(hc->dev, "ctx %u: event code %u for TRB 0x%llx of no TD\n",
			ep->ctx, code, ptr);
		if (halts)
			goto halted;
		return;
	}

	/* Isochronous TDs without IOC complete silently before this one. */
	while ((first = list_first_entry(&ep->tds, struct kite_td, node)) != td) {
		kite_td_retire(ep, first);
		if (!first->kurb->tds_left)
			kite_isoc_done(hc, ep, first->kurb);
	}

	kurb = td->kurb;
	urb = kurb->urb;
	bytes = kite_td_bytes(ring, td, idx);
	bytes = residual < bytes ? bytes - residual : 0;

	switch (ep->type) {
	case KITE_CTX_CFG0_TYPE_ISOCH: {
		struct usb_iso_packet_descriptor *fd =
			&urb->iso_frame_desc[td->iso_idx];

		fd->status = status;
		fd->actual_length = code == KITE_EVT_CODE_MISSED_SERVICE ? 0 : bytes;
		kite_td_retire(ep, td);
		if (halts) {
			struct kite_td *t, *tn;

			/* The rest of this URB will not be sent. */
			list_for_each_entry_safe(t, tn, &ep->tds, node) {
				if (t->kurb != kurb)
					continue;
				urb->iso_frame_desc[t->iso_idx].status = -EXDEV;
				urb->iso_frame_desc[t->iso_idx].actual_length = 0;
				list_del(&t->node);
				kurb->tds_left--;
			}
		}
		if (!kurb->tds_left)
			kite_isoc_done(hc, ep, kurb);
		break;
	}
	case KITE_CTX_CFG0_TYPE_CONTROL:
		if (code == KITE_EVT_CODE_SHORT_PACKET && idx != td->last) {
			/* The status stage still runs; its event ends the TD. */
			kurb->short_seen = true;
			kurb->actual = bytes;
			return;
		}
		urb->actual_length = kurb->short_seen ? kurb->actual : bytes;
		kite_td_retire(ep, td);
		kite_urb_done(hc, kurb, status);
		break;
	default:
		urb->actual_length = bytes;
		kite_td_retire(ep, td);
		kite_urb_done(hc, kurb, status);
		break;
	}
	if (!halts)
		return;

halted:
	hc->stats.halts++;
	dev_dbg(hc->dev, "ctx %u halted: code %u\n", ep->ctx, code);
	ep->halted = true;
	/*
	 * A STALL is the device's halt, not the controller's: as xhci does, the
	 * context is reset at once so that URBs queued before usb_clear_halt()
	 * reach the device and get their own -EPIPE (usbtest test 13 checks
	 * that a halted endpoint keeps stalling) instead of waiting forever.
	 * usb_clear_halt() then resets the toggle through endpoint_reset.
	 */
	ep->stall_wait = false;
	if (!ep->stall_wait && ep->type != KITE_CTX_CFG0_TYPE_CONTROL &&
	    ep->type != KITE_CTX_CFG0_TYPE_ISOCH) {
		ep->toggle = FIELD_GET(KITE_CTX_STATE_TOGGLE_MASK,
				       kite_readl(hc, KITE_REG_CTX_STATE(ep->ctx)));
		ep->restore_toggle = true;
	}
	if (ep->stage != KITE_EP_IDLE)
		return;	/* a STOP_EP is in flight: its completion fixes up */
	/* Nothing restarts before the failed URB's completion has run. */
	ep->stage = KITE_EP_PENDING;
	kite_giveback_all(hc);
	kite_ep_fixup(hc, ep);
}

static void kite_port_event(struct kite_hc *hc, unsigned int port)
{
	/* The register is read only for the trace. */
	if (trace_kite_port_enabled())
		trace_kite_port(port, port < hc->num_ports ?
				kite_readl(hc, KITE_REG_PORTSC(port)) : ~0u);
}

/* Handle the events in the ring; returns true if a port changed. */
static bool kite_process_events(struct kite_hc *hc)
{
	bool port_change = false;
	unsigned int n = 0;

	lockdep_assert_held(&hc->lock);
	while (hc->evt) {
		struct kite_trb *evt = &hc->evt[hc->evt_deq];
		u32 dw3 = le32_to_cpu(READ_ONCE(evt->dw[3]));
		u32 dw2;
		u64 ptr;
		u8 code, ctx;

		if ((dw3 & KITE_EVT_DW3_C_MASK) != hc->evt_cycle)
			break;
		/* The rest of the event only after its cycle bit. */
		dma_rmb();
		dw2 = le32_to_cpu(evt->dw[2]);
		ptr = le32_to_cpu(evt->dw[0]) |
		      (u64)le32_to_cpu(evt->dw[1]) << 32;
		code = FIELD_GET(KITE_EVT_DW2_CODE_MASK, dw2);
		ctx = FIELD_GET(KITE_EVT_DW3_CTX_MASK, dw3);
		trace_kite_event(hc->evt_deq, ptr, dw2, dw3);

		if (++hc->evt_deq == hc->evt_size) {
			hc->evt_deq = 0;
			hc->evt_cycle ^= 1;
		}
		n++;

		switch (FIELD_GET(KITE_EVT_DW3_TYPE_MASK, dw3)) {
		case KITE_EVT_TYPE_TRANSFER:
			if (ctx < KITE_MAX_CTX && hc->ctx_ep[ctx])
				kite_transfer_event(hc, hc->ctx_ep[ctx], ptr,
						    FIELD_GET(KITE_EVT_DW2_RESIDUAL_MASK, dw2),
						    code);
			else
				dev_dbg(hc->dev, "transfer event for unused ctx %u\n", ctx);
			break;
		case KITE_EVT_TYPE_COMMAND:
			kite_cmd_event(hc, code,
				       FIELD_GET(KITE_EVT_DW3_PORT_OP_MASK, dw3), ctx);
			break;
		case KITE_EVT_TYPE_PORT:
			kite_port_event(hc, FIELD_GET(KITE_EVT_DW3_PORT_OP_MASK, dw3));
			port_change = true;
			break;
		default:
			dev_warn(hc->dev, "unknown event 0x%08x 0x%08x\n", dw2, dw3);
			break;
		}
		kite_giveback_all(hc);
	}
	if (n) {
		dma_addr_t deq = hc->evt_dma + hc->evt_deq * sizeof(struct kite_trb);

		hc->stats.events += n;
		/* LO last: its write is the one the controller acts on. */
		if (upper_32_bits(deq) != hc->evt_deq_hi) {
			hc->evt_deq_hi = upper_32_bits(deq);
			kite_writel(hc, KITE_REG_EVT_DEQ_HI, hc->evt_deq_hi);
		}
		kite_writel(hc, KITE_REG_EVT_DEQ_LO, lower_32_bits(deq));
	}
	return port_change;
}

static void kite_hc_died(struct kite_hc *hc)
{
	lockdep_assert_held(&hc->lock);
	if (hc->dead)
		return;
	hc->dead = true;
	hc->running = false;
	kite_cmd_abort_all(hc);
	wake_up_all(&hc->ep_wq);
}

/* A root port changed: wake a suspended root hub and report it. */
static void kite_hcd_port_changed(struct usb_hcd *hcd)
{
	if (hcd->state == HC_STATE_SUSPENDED)
		usb_hcd_resume_root_hub(hcd);
	usb_hcd_poll_rh_status(hcd);
}

/* The controller has written the event at the dequeue index. */
static bool kite_evt_ready(struct kite_hc *hc)
{
	u32 dw3 = le32_to_cpu(READ_ONCE(hc->evt[hc->evt_deq].dw[3]));

	return (dw3 & KITE_EVT_DW3_C_MASK) == hc->evt_cycle;
}

/**
 * kite_hcd_irq_events() - handle an interrupt of our own from the event ring
 * @hc: controller whose interrupt is not shared (@hc->irq_exclusive)
 *
 * With events waiting, acknowledges INT_STATUS.EVENT and PORT_CHANGE (port
 * changes arrive as PORT events too) without reading INT_STATUS, and drains
 * the ring. An event landing after the drain but before the acknowledgment
 * takes effect is not lost: the EVT_DEQ write that ends the drain reaches the
 * controller after the acknowledgment, finds it unread and asks for the
 * interrupt again (docs/programming-model.md, Interrupter). A host error or
 * self-test bit still pending keeps the interrupt asserted, so it comes back
 * and goes through the INT_STATUS read.
 *
 * Return: false if there was no new event (the caller reads INT_STATUS).
 */
bool kite_hcd_irq_events(struct kite_hc *hc)
{
	struct usb_hcd *hcd = kite_to_hcd(hc);
	bool port_change;

	spin_lock(&hc->lock);
	if (!hc->evt || !(hc->int_enable & KITE_INT_EVENT) ||
	    !HCD_HW_ACCESSIBLE(hcd) || HCD_DEAD(hcd) || !kite_evt_ready(hc)) {
		spin_unlock(&hc->lock);
		return false;
	}
	kite_writel(hc, KITE_REG_INT_STATUS, KITE_INT_EVENT | KITE_INT_PORT_CHANGE);
	hc->stats.irqs++;
	port_change = kite_process_events(hc);
	spin_unlock(&hc->lock);

	if (port_change)
		kite_hcd_port_changed(hcd);
	return true;
}

/**
 * kite_hcd_irq() - host controller part of the interrupt handler
 * @hc: controller
 * @pending: KITE_INT_HOST bits just acknowledged
 */
void kite_hcd_irq(struct kite_hc *hc, u32 pending)
{
	struct usb_hcd *hcd = kite_to_hcd(hc);
	bool port_change = pending & KITE_INT_PORT_CHANGE;
	bool died = false;

	if (!HCD_HW_ACCESSIBLE(hcd) || HCD_DEAD(hcd))
		return;

	spin_lock(&hc->lock);
	hc->stats.irqs++;
	if (kite_process_events(hc))
		port_change = true;
	if (pending & KITE_INT_HOST_ERROR) {
		dev_err(hc->dev, "host error (USBSTS 0x%x): the controller halted\n",
			kite_readl(hc, KITE_REG_USBSTS));
		kite_hc_died(hc);
		died = true;
	}
	spin_unlock(&hc->lock);

	if (died)
		usb_hc_died(hcd);
	else if (port_change)
		kite_hcd_port_changed(hcd);
}

/* ---- hc_driver ---- */

static int kite_wait_halted(struct kite_hc *hc, bool halted)
{
	u32 sts;

	return readl_poll_timeout(hc->regs + KITE_REG_USBSTS, sts,
				  !!(sts & KITE_USBSTS_HALTED_MASK) == halted,
				  10, KITE_HALT_TIMEOUT_US);
}

static int kite_hcd_reset(struct usb_hcd *hcd)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	unsigned int seg;
	u32 sts;
	int ret;

	hc->cap_host = kite_readl(hc, KITE_REG_CAP_HOST);
	hc->num_ctx = FIELD_GET(KITE_CAP_HOST_NUM_CTX_MASK, hc->cap_host);
	if (!hc->num_ctx || hc->num_ctx > KITE_MAX_CTX || !hc->num_ports ||
	    hc->num_ports > KITE_MAX_PORTS) {
		dev_err(hc->dev, "no usable host controller: CAP_HOST 0x%08x, %u ports\n",
			hc->cap_host, hc->num_ports);
		return -ENODEV;
	}
	if (ring_trbs < 16 || ring_trbs > 4096) {
		dev_warn(hc->dev, "ring_trbs=%u out of range, using 256\n",
			 ring_trbs);
		ring_trbs = 256;
	}

	/* The engine builds packets across TRBs of any size and alignment. */
	hcd->self.sg_tablesize = ~0;
	hcd->self.no_sg_constraint = 1;
	seg = KITE_TRB_MAX_LEN & PAGE_MASK;
	ret = dma_set_max_seg_size(hc->dev, seg);
	if (ret)
		dev_warn(hc->dev, "cannot set the DMA segment limit: %d\n", ret);

	kite_writel(hc, KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
	ret = readl_poll_timeout(hc->regs + KITE_REG_USBSTS, sts,
				 sts & KITE_USBSTS_HALTED_MASK, 10,
				 KITE_HALT_TIMEOUT_US);
	if (ret) {
		dev_err(hc->dev, "HCRESET did not halt the controller (USBSTS 0x%x)\n",
			sts);
		return ret;
	}

	ret = kite_evt_alloc(hc);
	if (ret)
		return ret;

	dev_info(hc->dev, "USB host: %u endpoint contexts, %u-byte packet buffer%s%s%s, %u-TRB rings\n",
		 hc->num_ctx,
		 1U << FIELD_GET(KITE_CAP_HOST_PKT_BUF_LOG2_MASK, hc->cap_host),
		 hc->cap_host & KITE_CAP_HOST_ISO_MASK ? ", isochronous" : "",
		 hc->cap_host & KITE_CAP_HOST_LOW_SPEED_MASK ? ", low speed" : "",
		 hc->cap_host & KITE_CAP_HOST_ONCHIP_PHY_MASK ? ", on-chip PHY" : "",
		 ring_trbs);
	return 0;
}

/* Halt the controller and stop its host interrupts. */
static void kite_hc_halt(struct kite_hc *hc)
{
	unsigned long flags;

	spin_lock_irqsave(&hc->lock, flags);
	hc->running = false;
	spin_unlock_irqrestore(&hc->lock, flags);
	kite_hc_update_int_enable(hc, KITE_INT_HOST, 0);
	kite_writel(hc, KITE_REG_USBCMD, 0);
	if (kite_wait_halted(hc, true))
		dev_warn(hc->dev, "controller did not halt\n");
	kite_writel(hc, KITE_REG_INT_STATUS, KITE_INT_HOST);
}

static int kite_hcd_start(struct usb_hcd *hcd)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	int ret;

	kite_evt_program(hc);
	kite_writel(hc, KITE_REG_IMOD, min(imod_us, 0xffffu));
	kite_writel(hc, KITE_REG_INT_STATUS, KITE_INT_HOST);
	kite_hc_update_int_enable(hc, 0, KITE_INT_HOST);

	spin_lock_irq(&hc->lock);
	hc->dead = false;
	hc->running = true;
	spin_unlock_irq(&hc->lock);
	kite_writel(hc, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	ret = kite_wait_halted(hc, false);
	if (ret) {
		dev_err(hc->dev, "controller did not start (USBSTS 0x%x)\n",
			kite_readl(hc, KITE_REG_USBSTS));
		kite_hc_halt(hc);
		return ret;
	}

	hcd->state = HC_STATE_RUNNING;
	/* Port events call usb_hcd_poll_rh_status(). */
	hcd->uses_new_polling = 1;
	return 0;
}

static void kite_hcd_stop(struct usb_hcd *hcd)
{
	struct kite_hc *hc = hcd_to_kite(hcd);

	kite_hc_halt(hc);
	kite_writel(hc, KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
	kite_wait_halted(hc, true);
	spin_lock_irq(&hc->lock);
	kite_hc_died(hc);
	spin_unlock_irq(&hc->lock);
	kite_evt_free(hc);
}

/**
 * kite_hc_shutdown() - stop all DMA (system shutdown, kexec)
 * @hc: controller
 */
void kite_hc_shutdown(struct kite_hc *hc)
{
	kite_hc_halt(hc);
	kite_writel(hc, KITE_REG_USBCMD, KITE_USBCMD_HCRESET_MASK);
	kite_hc_update_int_enable(hc, ~0u, 0);
}
EXPORT_SYMBOL_GPL(kite_hc_shutdown);

static void kite_hcd_shutdown(struct usb_hcd *hcd)
{
	kite_hc_shutdown(hcd_to_kite(hcd));
}

static int kite_hcd_get_frame(struct usb_hcd *hcd)
{
	return FIELD_GET(KITE_FRAME_NUMBER_MASK,
			 kite_readl(hcd_to_kite(hcd), KITE_REG_FRAME));
}

static unsigned int kite_ep_type(struct usb_host_endpoint *hep)
{
	switch (usb_endpoint_type(&hep->desc)) {
	case USB_ENDPOINT_XFER_CONTROL:
		return KITE_CTX_CFG0_TYPE_CONTROL;
	case USB_ENDPOINT_XFER_ISOC:
		return KITE_CTX_CFG0_TYPE_ISOCH;
	case USB_ENDPOINT_XFER_BULK:
		return KITE_CTX_CFG0_TYPE_BULK;
	default:
		return KITE_CTX_CFG0_TYPE_INTERRUPT;
	}
}

/* The 0-based root port a device hangs off (through external hubs). */
static unsigned int kite_root_port(struct usb_device *udev)
{
	while (udev->parent && udev->parent->parent)
		udev = udev->parent;
	return udev->portnum - 1;
}

static struct kite_ep *kite_ep_alloc(struct kite_hc *hc, struct urb *urb,
				     gfp_t flags)
{
	struct usb_host_endpoint *hep = urb->ep;
	struct kite_ep *ep;

	ep = kzalloc(sizeof(*ep), flags);
	if (!ep)
		return NULL;
	if (kite_ring_alloc(hc, &ep->ring, ring_trbs, flags)) {
		kfree(ep);
		return NULL;
	}
	ep->hep = hep;
	ep->udev = urb->dev;
	INIT_LIST_HEAD(&ep->tds);
	INIT_LIST_HEAD(&ep->cancelled);
	ep->type = kite_ep_type(hep);
	ep->dir_in = ep->type != KITE_CTX_CFG0_TYPE_CONTROL &&
		     usb_endpoint_dir_in(&hep->desc);
	ep->mps = usb_endpoint_maxp(&hep->desc);
	ep->interval = clamp_t(unsigned int, urb->interval, 1, 255);
	ep->cmd.done = kite_ep_cmd_done;
	return ep;
}

static void kite_ep_free(struct kite_hc *hc, struct kite_ep *ep)
{
	kite_ring_free(hc, &ep->ring);
	kfree(ep);
}

/* Give @ep a context and program it; lock held. */
static int kite_ep_enable(struct kite_hc *hc, struct kite_ep *ep)
{
	struct usb_device *udev = ep->udev;
	unsigned int ctx;
	u32 cfg0;

	ctx = find_first_zero_bit(hc->ctx_used, hc->num_ctx);
	if (ctx >= hc->num_ctx)
		return -ENOSPC;
	if (udev->speed != USB_SPEED_FULL && udev->speed != USB_SPEED_LOW)
		return -ENODEV;

	cfg0 = FIELD_PREP(KITE_CTX_CFG0_DEV_ADDR_MASK, udev->devnum) |
	       FIELD_PREP(KITE_CTX_CFG0_EP_NUM_MASK,
			  usb_endpoint_num(&ep->hep->desc)) |
	       FIELD_PREP(KITE_CTX_CFG0_DIR_IN_MASK, ep->dir_in) |
	       FIELD_PREP(KITE_CTX_CFG0_TYPE_MASK, ep->type) |
	       FIELD_PREP(KITE_CTX_CFG0_LS_MASK, udev->speed == USB_SPEED_LOW) |
	       FIELD_PREP(KITE_CTX_CFG0_MPS_MASK, ep->mps) |
	       FIELD_PREP(KITE_CTX_CFG0_PORT_MASK, kite_root_port(udev));

	set_bit(ctx, hc->ctx_used);
	ep->ctx = ctx;
	hc->ctx_ep[ctx] = ep;
	/* A context is written only while DISABLED, HALTED or STOPPED. */
	kite_writel(hc, KITE_REG_CTX_STATE(ctx), KITE_CTX_STATE_STATE_DISABLED);
	kite_writel(hc, KITE_REG_CTX_CFG0(ctx), cfg0);
	kite_writel(hc, KITE_REG_CTX_CFG1(ctx),
		    FIELD_PREP(KITE_CTX_CFG1_INTERVAL_MASK, ep->interval));
	kite_writel(hc, KITE_REG_CTX_DEQ_HI(ctx), upper_32_bits(ep->ring.dma));
	kite_writel(hc, KITE_REG_CTX_DEQ_LO(ctx),
		    lower_32_bits(ep->ring.dma) | ep->ring.cycle);
	/* RUNNING with an empty ring: idle until the doorbell. */
	kite_writel(hc, KITE_REG_CTX_STATE(ctx),
		    FIELD_PREP(KITE_CTX_STATE_STATE_MASK,
			       KITE_CTX_STATE_STATE_RUNNING));
	dev_dbg(hc->dev, "ctx %u: dev %u ep %u%s type %u mps %u interval %u port %u%s\n",
		ctx, udev->devnum, usb_endpoint_num(&ep->hep->desc),
		ep->dir_in ? " in" : "", ep->type,
		ep->mps, ep->interval, kite_root_port(udev),
		udev->speed == USB_SPEED_LOW ? " low speed" : "");
	return 0;
}

static int kite_urb_enqueue(struct usb_hcd *hcd, struct urb *urb,
			    gfp_t mem_flags)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	struct usb_host_endpoint *hep = urb->ep;
	struct kite_ep *ep, *new_ep = NULL;
	unsigned int type = kite_ep_type(hep), ntds, ntrbs;
	struct kite_urb *kurb;
	unsigned long flags;
	int ret;

	if (type == KITE_CTX_CFG0_TYPE_ISOCH) {
		if (!(hc->cap_host & KITE_CAP_HOST_ISO_MASK))
			return -EOPNOTSUPP;
		if (urb->num_sgs || !urb->number_of_packets)
			return -EINVAL;
		ntds = urb->number_of_packets;
	} else {
		ntds = 1;
	}
	ntrbs = kite_urb_count_trbs(urb, type);
	if (ntrbs > ring_trbs - 2)
		return -EMSGSIZE;

	kurb = kzalloc(struct_size(kurb, td, ntds), mem_flags);
	if (!kurb)
		return -ENOMEM;
	kurb->urb = urb;
	kurb->num_tds = ntds;
	INIT_LIST_HEAD(&kurb->cancel_node);

	if (!READ_ONCE(hep->hcpriv)) {
		new_ep = kite_ep_alloc(hc, urb, mem_flags);
		if (!new_ep) {
			kfree(kurb);
			return -ENOMEM;
		}
	}

	spin_lock_irqsave(&hc->lock, flags);
	if (hc->dead || !hc->evt) {
		ret = -ESHUTDOWN;
		goto err;
	}
	ret = usb_hcd_link_urb_to_ep(hcd, urb);
	if (ret)
		goto err;

	ep = hep->hcpriv;
	if (!ep) {
		if (!new_ep) {	/* freed by endpoint_disable meanwhile */
			ret = -ENODEV;
			goto err_unlink;
		}
		ret = kite_ep_enable(hc, new_ep);
		if (ret)
			goto err_unlink;
		ep = new_ep;
		new_ep = NULL;
		hep->hcpriv = ep;
	}
	if (kite_ring_space(&ep->ring) < ntrbs) {
		dev_dbg(hc->dev, "ctx %u: ring full (%u TRBs needed)\n",
			ep->ctx, ntrbs);
		ret = -ENOMEM;
		goto err_unlink;
	}
	if (type == KITE_CTX_CFG0_TYPE_ISOCH && list_empty(&ep->tds))
		ep->iso_streaming = false;	/* the stream ran dry */

	urb->hcpriv = kurb;
	kite_queue_urb(hc, ep, kurb);
	trace_kite_urb_enqueue(urb, ep->ctx);
	kite_ep_doorbell(hc, ep);
	spin_unlock_irqrestore(&hc->lock, flags);
	if (new_ep)
		kite_ep_free(hc, new_ep);
	return 0;

err_unlink:
	usb_hcd_unlink_urb_from_ep(hcd, urb);
err:
	spin_unlock_irqrestore(&hc->lock, flags);
	if (new_ep)
		kite_ep_free(hc, new_ep);
	kfree(kurb);
	return ret;
}

static int kite_urb_dequeue(struct usb_hcd *hcd, struct urb *urb, int status)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	struct kite_urb *kurb;
	struct kite_ep *ep;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&hc->lock, flags);
	ret = usb_hcd_check_unlink_urb(hcd, urb, status);
	if (ret)
		goto out;
	kurb = urb->hcpriv;
	ep = urb->ep->hcpriv;
	if (!kurb || !ep || kurb->cancelled)
		goto out;

	kurb->cancelled = true;
	list_add_tail(&kurb->cancel_node, &ep->cancelled);
	if (hc->dead) {
		/* Nothing runs any more: drop it here. */
		struct kite_td *t, *tn;

		list_for_each_entry_safe(t, tn, &ep->tds, node)
			if (t->kurb == kurb)
				list_del(&t->node);
		kite_urb_done(hc, kurb, status);
		kite_giveback_all(hc);
		goto out;
	}
	/* STOP_EP; its COMMAND event gives the URB back (kite_ep_fixup()). */
	kite_ep_kick_unlink(hc, ep);
	kite_giveback_all(hc);
out:
	spin_unlock_irqrestore(&hc->lock, flags);
	return ret;
}

static bool kite_ep_quiet(struct kite_hc *hc, struct kite_ep *ep)
{
	bool quiet;

	spin_lock_irq(&hc->lock);
	quiet = ep->stage == KITE_EP_IDLE || hc->dead;
	spin_unlock_irq(&hc->lock);
	return quiet;
}

static void kite_ep_wait_quiet(struct kite_hc *hc, struct kite_ep *ep)
{
	if (!wait_event_timeout(hc->ep_wq, kite_ep_quiet(hc, ep),
				msecs_to_jiffies(2 * KITE_CMD_TIMEOUT_MS)))
		dev_warn(hc->dev, "ctx %u: command sequence did not finish\n",
			 ep->ctx);
}

static u32 kite_ep_state(struct kite_hc *hc, struct kite_ep *ep)
{
	return FIELD_GET(KITE_CTX_STATE_STATE_MASK,
			 kite_readl(hc, KITE_REG_CTX_STATE(ep->ctx)));
}

static void kite_endpoint_disable(struct usb_hcd *hcd,
				  struct usb_host_endpoint *hep)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	struct kite_ep *ep = hep->hcpriv;

	if (!ep)
		return;
	mutex_lock(&hc->cmd_mutex);
	kite_ep_wait_quiet(hc, ep);
	if (!hc->dead && kite_ep_state(hc, ep) == KITE_CTX_STATE_STATE_RUNNING)
		kite_cmd_sync(hc, KITE_CMD_OP_STOP_EP, ep->ctx, 0);

	spin_lock_irq(&hc->lock);
	if (!list_empty(&ep->tds))
		dev_warn(hc->dev, "ctx %u disabled with TDs queued\n", ep->ctx);
	kite_writel(hc, KITE_REG_CTX_STATE(ep->ctx),
		    KITE_CTX_STATE_STATE_DISABLED);
	hc->ctx_ep[ep->ctx] = NULL;
	clear_bit(ep->ctx, hc->ctx_used);
	hep->hcpriv = NULL;
	spin_unlock_irq(&hc->lock);
	dev_dbg(hc->dev, "ctx %u: freed (ep %u)\n", ep->ctx,
		usb_endpoint_num(&hep->desc));
	mutex_unlock(&hc->cmd_mutex);
	kite_ep_free(hc, ep);
}

/*
 * Data toggle back to DATA0 (after usb_clear_halt(), set_interface):
 * RESET_EP on the stopped or halted context, then restart it.
 */
static void kite_endpoint_reset(struct usb_hcd *hcd,
				struct usb_host_endpoint *hep)
{
	struct kite_hc *hc = hcd_to_kite(hcd);
	struct kite_ep *ep = hep->hcpriv;

	if (!ep || ep->type == KITE_CTX_CFG0_TYPE_CONTROL)
		return;	/* control: every SETUP starts with DATA0 */
	mutex_lock(&hc->cmd_mutex);
	kite_ep_wait_quiet(hc, ep);
	if (hc->dead)
		goto out;
	if (kite_ep_state(hc, ep) == KITE_CTX_STATE_STATE_RUNNING)
		kite_cmd_sync(hc, KITE_CMD_OP_STOP_EP, ep->ctx, 0);
	kite_ep_wait_quiet(hc, ep);
	if (kite_cmd_sync(hc, KITE_CMD_OP_RESET_EP, ep->ctx, 0))
		dev_dbg(hc->dev, "ctx %u: RESET_EP failed\n", ep->ctx);

	spin_lock_irq(&hc->lock);
	if (ep->stage == KITE_EP_IDLE) {
		ep->halted = false;
		ep->stall_wait = false;
		ep->restore_toggle = false;
		kite_ep_doorbell(hc, ep);
	}
	spin_unlock_irq(&hc->lock);
out:
	mutex_unlock(&hc->cmd_mutex);
}

static const struct hc_driver kite_hc_driver = {
	.description		= "kite-hcd",
	.product_desc		= "kite USB host controller",
	.hcd_priv_size		= sizeof(struct kite_hc),
	.flags			= HCD_MEMORY | HCD_DMA | HCD_USB11,

	.reset			= kite_hcd_reset,
	.start			= kite_hcd_start,
	.stop			= kite_hcd_stop,
	.shutdown		= kite_hcd_shutdown,
	.get_frame_number	= kite_hcd_get_frame,

	.urb_enqueue		= kite_urb_enqueue,
	.urb_dequeue		= kite_urb_dequeue,
	.endpoint_disable	= kite_endpoint_disable,
	.endpoint_reset		= kite_endpoint_reset,

	.hub_status_data	= kite_hub_status_data,
	.hub_control		= kite_hub_control,
	.bus_suspend		= kite_bus_suspend,
	.bus_resume		= kite_bus_resume,
};

/**
 * kite_hcd_create() - create the usb_hcd of a controller
 * @dev: the controller device
 *
 * The struct kite_hc is the hcd's private part (hcd_to_kite()); the bus
 * glue fills in its @regs and then calls kite_hc_init().
 *
 * Return: the hcd (drop it with kite_hcd_put()), or NULL.
 */
struct usb_hcd *kite_hcd_create(struct device *dev)
{
	struct usb_hcd *hcd;
	struct kite_hc *hc;

	hcd = usb_create_hcd(&kite_hc_driver, dev, dev_name(dev));
	if (!hcd)
		return NULL;
	hc = hcd_to_kite(hcd);
	hc->hcd = hcd;
	hc->dev = dev;
	return hcd;
}
EXPORT_SYMBOL_GPL(kite_hcd_create);

/* devm action / cleanup: drop the glue's reference to the hcd. */
void kite_hcd_put(void *hcd)
{
	usb_put_hcd(hcd);
}
EXPORT_SYMBOL_GPL(kite_hcd_put);
