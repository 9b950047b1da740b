/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kite USB 2.0 host controller: tracepoints.
 *
 * The submit and completion path in the order the hardware sees it:
 * kite_urb_enqueue, kite_doorbell, kite_event (one per event the controller
 * wrote), kite_urb_giveback; the command queue as kite_cmd and port changes
 * as kite_port. Enable them with
 *   echo 1 > /sys/kernel/tracing/events/kite/enable
 * and read /sys/kernel/tracing/trace (docs/driver.md).
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM kite

#if !defined(__KITE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define __KITE_TRACE_H

#include <linux/bitfield.h>
#include <linux/tracepoint.h>
#include <linux/usb.h>

#include "kite_regs.h"

DECLARE_EVENT_CLASS(kite_urb,
		    TP_PROTO(struct urb *urb,
			     unsigned int ctx),
		    TP_ARGS(urb,
			    ctx),
		    TP_STRUCT__entry(__field(void *, urb)
				     __field(unsigned int, ctx)
				     __field(int, devnum)
				     __field(int, epnum)
				     __field(int, dir_in)
				     __field(int, type)
				     __field(u32, length)
				     __field(int, num_sgs)
				     __field(int, num_mapped_sgs)
				     __field(unsigned int, flags)),
		    TP_fast_assign(__entry->urb = urb;
				   __entry->ctx = ctx;
				   __entry->devnum = urb->dev->devnum;
				   __entry->epnum = usb_endpoint_num(&urb->ep->desc);
				   __entry->dir_in = usb_urb_dir_in(urb);
				   __entry->type = usb_endpoint_type(&urb->ep->desc);
				   __entry->length = urb->transfer_buffer_length;
				   __entry->num_sgs = urb->num_sgs;
				   __entry->num_mapped_sgs = urb->num_mapped_sgs;
				   __entry->flags = urb->transfer_flags;),
		    TP_printk("urb %p ctx %u dev %d ep%d%s %s len %u sgs %d/%d flags %08x",
			      __entry->urb,
			      __entry->ctx,
			      __entry->devnum,
			      __entry->epnum,
			      __entry->dir_in ? "in" : "out",
			      __print_symbolic(__entry->type,
					       { USB_ENDPOINT_XFER_CONTROL, "control" },
					       { USB_ENDPOINT_XFER_ISOC, "isoc" },
					       { USB_ENDPOINT_XFER_BULK, "bulk" },
					       { USB_ENDPOINT_XFER_INT, "intr" }),
			      __entry->length,
			      __entry->num_mapped_sgs,
			      __entry->num_sgs,
			      __entry->flags));

/* Queued on the endpoint's ring. */
DEFINE_EVENT(kite_urb,
	     kite_urb_enqueue,
	     TP_PROTO(struct urb *urb,
		      unsigned int ctx),
	     TP_ARGS(urb,
		     ctx));

/* About to be given back: actual length and the status the driver sees. */
TRACE_EVENT(kite_urb_giveback,
	    TP_PROTO(struct urb *urb,
		     int status),
	    TP_ARGS(urb,
		    status),
	    TP_STRUCT__entry(__field(void *, urb)
			     __field(int, devnum)
			     __field(int, epnum)
			     __field(int, dir_in)
			     __field(u32, length)
			     __field(u32, actual)
			     __field(int, status)),
	    TP_fast_assign(__entry->urb = urb;
			   __entry->devnum = urb->dev->devnum;
			   __entry->epnum = usb_endpoint_num(&urb->ep->desc);
			   __entry->dir_in = usb_urb_dir_in(urb);
			   __entry->length = urb->transfer_buffer_length;
			   __entry->actual = urb->actual_length;
			   __entry->status = status;),
	    TP_printk("urb %p dev %d ep%d%s len %u/%u status %d",
		      __entry->urb,
		      __entry->devnum,
		      __entry->epnum,
		      __entry->dir_in ? "in" : "out",
		      __entry->actual,
		      __entry->length,
		      __entry->status));

/* A doorbell write: the controller looks at the context's ring again. */
TRACE_EVENT(kite_doorbell,
	    TP_PROTO(unsigned int ctx),
	    TP_ARGS(ctx),
	    TP_STRUCT__entry(__field(unsigned int, ctx)),
	    TP_fast_assign(__entry->ctx = ctx;),
	    TP_printk("ctx %u",
		      __entry->ctx));

/* One event as read from the event ring (docs/programming-model.md). */
TRACE_EVENT(kite_event,
	    TP_PROTO(unsigned int index,
		     u64 ptr,
		     u32 dw2,
		     u32 dw3),
	    TP_ARGS(index,
		    ptr,
		    dw2,
		    dw3),
	    TP_STRUCT__entry(__field(unsigned int, index)
			     __field(u64, ptr)
			     __field(u8, type)
			     __field(u8, ctx)
			     __field(u8, port_op)
			     __field(u8, code)
			     __field(u32, residual)),
	    TP_fast_assign(__entry->index = index;
			   __entry->ptr = ptr;
			   __entry->type = FIELD_GET(KITE_EVT_DW3_TYPE_MASK, dw3);
			   __entry->ctx = FIELD_GET(KITE_EVT_DW3_CTX_MASK, dw3);
			   __entry->port_op = FIELD_GET(KITE_EVT_DW3_PORT_OP_MASK, dw3);
			   __entry->code = FIELD_GET(KITE_EVT_DW2_CODE_MASK, dw2);
			   __entry->residual = FIELD_GET(KITE_EVT_DW2_RESIDUAL_MASK, dw2);),
	    TP_printk("[%u] %s ctx %u port/op %u code %u residual %u ptr %#llx",
		      __entry->index,
		      __print_symbolic(__entry->type,
				       { KITE_EVT_TYPE_TRANSFER, "transfer" },
				       { KITE_EVT_TYPE_COMMAND, "command" },
				       { KITE_EVT_TYPE_PORT, "port" }),
		      __entry->ctx,
		      __entry->port_op,
		      __entry->code,
		      __entry->residual,
		      __entry->ptr));

/* A command handed to the controller (its completion is a command event). */
TRACE_EVENT(kite_cmd,
	    TP_PROTO(u8 op,
		     u8 ctx,
		     u64 arg),
	    TP_ARGS(op,
		    ctx,
		    arg),
	    TP_STRUCT__entry(__field(u8, op)
			     __field(u8, ctx)
			     __field(u64, arg)),
	    TP_fast_assign(__entry->op = op;
			   __entry->ctx = ctx;
			   __entry->arg = arg;),
	    TP_printk("op %s ctx %u arg %#llx",
		      __print_symbolic(__entry->op,
				       { KITE_CMD_OP_STOP_EP, "stop-ep" },
				       { KITE_CMD_OP_SET_DEQ, "set-deq" },
				       { KITE_CMD_OP_RESET_EP, "reset-ep" }),
		      __entry->ctx,
		      __entry->arg));

/* A port change event, with the port's status register at that moment. */
TRACE_EVENT(kite_port,
	    TP_PROTO(unsigned int port,
		     u32 portsc),
	    TP_ARGS(port,
		    portsc),
	    TP_STRUCT__entry(__field(unsigned int, port)
			     __field(u32, portsc)),
	    TP_fast_assign(__entry->port = port;
			   __entry->portsc = portsc;),
	    TP_printk("port %u PORTSC %#010x",
		      __entry->port,
		      __entry->portsc));

#endif /* __KITE_TRACE_H */

/* Out of tree: define_trace.h finds this file next to the sources. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kite_trace
#include <trace/define_trace.h>
