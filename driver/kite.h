/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kite USB 2.0 host controller: bus-independent core.
 *
 * The core (module kite-hcd: kite-core.c, kite-host.c, kite-ring.c,
 * kite-hub.c, kite-selftest.c, kite-debugfs.c) knows the register
 * interface and is the USB host controller driver. Bus glue (kite-pci.c,
 * kite-plat.c) finds the registers and the interrupt, creates the usb_hcd
 * with kite_hcd_create() and calls the core, the way ehci-pci.c and
 * ehci-platform.c use ehci-hcd.c.
 */
#ifndef KITE_H
#define KITE_H

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/usb.h>
#include <linux/usb/hcd.h>
#include <linux/wait.h>

#include "kite_regs.h"

/* INT_STATUS, INT_ENABLE and INT_FORCE share one bit layout. */
#define KITE_INT_DMATEST_DONE	KITE_INT_STATUS_DMATEST_DONE_MASK
#define KITE_INT_DMATEST_ERROR	KITE_INT_STATUS_DMATEST_ERROR_MASK
#define KITE_INT_DMATEST	(KITE_INT_DMATEST_DONE | KITE_INT_DMATEST_ERROR)
#define KITE_INT_EVENT		KITE_INT_STATUS_EVENT_MASK
#define KITE_INT_PORT_CHANGE	KITE_INT_STATUS_PORT_CHANGE_MASK
#define KITE_INT_HOST_ERROR	KITE_INT_STATUS_HOST_ERROR_MASK
#define KITE_INT_HOST		(KITE_INT_EVENT | KITE_INT_PORT_CHANGE | \
				 KITE_INT_HOST_ERROR)
#define KITE_INT_ALL		(KITE_INT_DMATEST | KITE_INT_HOST | \
				 KITE_INT_STATUS_SOF_MASK)

#define KITE_MAX_CTX		64	/* CTX_CFG0_COUNT: the window's size */
#define KITE_MAX_PORTS		15	/* PORTSC_COUNT */
/* Largest TRB length; DMA segments are capped to whole pages below it. */
#define KITE_TRB_MAX_LEN	KITE_TRB_DW2_LEN_MASK

/**
 * struct kite_trb - a transfer request block (also the event layout)
 * @dw: four little-endian dwords, see KITE_TRB_DW* / KITE_EVT_DW*
 */
struct kite_trb {
	__le32 dw[4];
};

/**
 * struct kite_ring - one transfer ring: a single coherent segment
 * @trbs: @size TRBs; the last one is the LINK TRB back to the start
 * @dma: bus address of @trbs
 * @size: TRBs in the segment, LINK included
 * @enq: index of the next TRB the driver writes (never the LINK)
 * @deq: index of the oldest TRB the controller may still read
 * @cycle: producer cycle state
 *
 * One slot is always left free, so @enq == @deq means empty.
 */
struct kite_ring {
	struct kite_trb *trbs;
	dma_addr_t dma;
	unsigned int size;
	unsigned int enq;
	unsigned int deq;
	u32 cycle;
};

struct kite_hc;
struct kite_urb;

/**
 * struct kite_td - one transfer descriptor (a chain of TRBs) on a ring
 * @node: in kite_ep.tds, in ring order
 * @kurb: the URB it belongs to
 * @first: index of its first TRB
 * @last: index of its last TRB (the one with IOC, or the ISOCH TRB)
 * @first_cycle: cycle bit of its first TRB
 * @iso_idx: isochronous packet number
 */
struct kite_td {
	struct list_head node;
	struct kite_urb *kurb;
	unsigned int first;
	unsigned int last;
	u32 first_cycle;
	unsigned int iso_idx;
};

/**
 * struct kite_urb - the HCD's part of an URB (urb->hcpriv)
 * @urb: the URB
 * @cancel_node: in kite_ep.cancelled while an unlink is in progress, then
 *	in kite_hc.giveback
 * @cancelled: urb_dequeue() was called for it
 * @short_seen: control: the data stage ended short, @actual holds its bytes
 * @actual: control: data bytes of a short data stage
 * @status: giveback status, once on kite_hc.giveback
 * @num_tds: TDs in @td
 * @tds_left: TDs still on the ring
 * @td: the TDs (one, or one per isochronous packet)
 */
struct kite_urb {
	struct urb *urb;
	struct list_head cancel_node;
	bool cancelled;
	bool short_seen;
	u32 actual;
	int status;
	unsigned int num_tds;
	unsigned int tds_left;
	struct kite_td td[];
};

/* What an endpoint's asynchronous command sequence is doing. */
enum kite_ep_stage {
	KITE_EP_IDLE,		/* nothing; the doorbell may be rung */
	KITE_EP_PENDING,	/* halted, failed URB being given back */
	KITE_EP_STOPPING,	/* STOP_EP issued (unlink) */
	KITE_EP_SET_DEQ,	/* SET_DEQ issued */
	KITE_EP_RESETTING,	/* RESET_EP issued (halt recovery) */
};

/**
 * struct kite_cmd - one command for the controller's command interface
 * @node: in kite_hc.cmd_list while queued or in flight
 * @op: KITE_CMD_OP_*
 * @ctx: endpoint context
 * @arg: CMD_ARG (SET_DEQ: dequeue pointer | DCS)
 * @code: completion code (KITE_EVT_CODE_*), or 0 when aborted
 * @queued: on kite_hc.cmd_list
 * @done: called with kite_hc.lock held when the COMMAND event arrives
 * @compl: for the synchronous wrapper
 */
struct kite_cmd {
	struct list_head node;
	u8 op;
	u8 ctx;
	u64 arg;
	u8 code;
	bool queued;
	void (*done)(struct kite_hc *hc, struct kite_cmd *cmd);
	struct completion compl;
};

/**
 * struct kite_ep - an endpoint context and its transfer ring
 * @hep: the usbcore endpoint (hep->hcpriv points here)
 * @udev: its device
 * @ring: the transfer ring
 * @tds: TDs on the ring, oldest first
 * @cancelled: kite_urbs unlinked but not yet given back
 * @ctx: context number
 * @type: KITE_CTX_CFG0_TYPE_*
 * @dir_in: IN endpoint (not for control)
 * @mps: max packet size
 * @interval: CTX_CFG1.INTERVAL (frames)
 * @stage: asynchronous command sequence in progress
 * @halted: the context is HALTED (an error event was seen)
 * @stall_wait: halted by STALL on a bulk/interrupt endpoint: stays halted
 *	until endpoint_reset (usb_clear_halt)
 * @restore_toggle: write @toggle back after RESET_EP (non-STALL errors)
 * @toggle: data toggle saved at the halt
 * @set_deq_idx: target of the SET_DEQ in flight
 * @next_frame: isochronous: frame after the last scheduled packet
 * @iso_streaming: @next_frame is valid
 * @cmd: the endpoint's asynchronous command
 */
struct kite_ep {
	struct usb_host_endpoint *hep;
	struct usb_device *udev;
	struct kite_ring ring;
	struct list_head tds;
	struct list_head cancelled;
	unsigned int ctx;
	unsigned int type;
	bool dir_in;
	u16 mps;
	u8 interval;
	enum kite_ep_stage stage;
	bool halted;
	bool stall_wait;
	bool restore_toggle;
	bool toggle;
	unsigned int set_deq_idx;
	u16 next_frame;
	bool iso_streaming;
	struct kite_cmd cmd;
};

/**
 * struct kite_hc - one kite controller (the usb_hcd's hcd_priv)
 * @dev: the controller device (PCI function or platform device)
 * @regs: register block, KITE_REG_BLOCK_SIZE bytes
 * @irq: Linux interrupt number (requested by the bus glue)
 * @irq_exclusive: @irq is the controller's alone (MSI): the handler may act
 *	on the event ring without reading INT_STATUS first
 * @version: VERSION register
 * @cap: CAP register
 * @addr_width: DMA address width in bits (CAP.ADDR_WIDTH)
 * @data_bits: DMA data bus width in bits (8 << CAP.DATA_BYTES_LOG2)
 * @num_ports: root hub ports (CAP.NUM_PORTS)
 * @max_burst: longest AXI4 burst in beats (1 << CAP.MAX_BURST_LOG2)
 * @has_dma_test: the DMA self-test engine is present (CAP.DMA_TEST)
 * @hcd: the usb_hcd this is the private part of
 * @cap_host: CAP_HOST register
 * @num_ctx: endpoint contexts (CAP_HOST.NUM_CTX)
 * @lock: protects @int_enable, @st_irq and all host state below
 * @int_enable: copy of INT_ENABLE, so the handler needs no extra read
 * @st_done: completed by the interrupt handler for the self-test
 * @st_irq: INT_STATUS self-test bits seen by the handler since the last start
 * @debugfs: the controller's debugfs directory
 * @bench_lock: serialises the debugfs benchmarks (they share the engine)
 * @bench_dma_len: bytes copied by debugfs bench_dma
 * @evt: event ring (coherent)
 * @evt_dma: its bus address
 * @evt_size: events in @evt
 * @evt_deq: index of the next event to read
 * @evt_deq_hi: EVT_DEQ_HI as last written
 * @evt_cycle: consumer cycle state
 * @ctx_ep: endpoint of each context in use
 * @ctx_used: contexts in use
 * @cmd_list: commands queued, the first one is in flight if @cmd_busy
 * @cmd_busy: a command was written to CMD and its event has not come
 * @cmd_mutex: serialises the synchronous users (endpoint disable/reset)
 * @ep_wq: woken when an endpoint's command sequence ends
 * @giveback: kite_urbs ready for usb_hcd_giveback_urb(), in order
 * @port_bus_suspended: ports suspended by bus_suspend
 * @running: USBCMD.RUN was set by start or bus_resume
 * @dead: the controller stopped answering or reported a host error
 * @stats: counters shown in debugfs
 */
struct kite_hc {
	struct device *dev;
	void __iomem *regs;
	int irq;
	bool irq_exclusive;

	u32 version;
	u32 cap;
	unsigned int addr_width;
	unsigned int data_bits;
	unsigned int num_ports;
	unsigned int max_burst;
	bool has_dma_test;

	struct usb_hcd *hcd;
	u32 cap_host;
	unsigned int num_ctx;

	spinlock_t lock;		/* int_enable, st_irq, host state */
	u32 int_enable;

	struct completion st_done;
	u32 st_irq;

	struct dentry *debugfs;
	struct mutex bench_lock;	/* one benchmark at a time */
	u32 bench_dma_len;

	struct kite_trb *evt;
	dma_addr_t evt_dma;
	unsigned int evt_size;
	unsigned int evt_deq;
	u32 evt_deq_hi;
	u32 evt_cycle;

	struct kite_ep *ctx_ep[KITE_MAX_CTX];
	DECLARE_BITMAP(ctx_used, KITE_MAX_CTX);

	struct list_head cmd_list;
	bool cmd_busy;
	struct mutex cmd_mutex;		/* synchronous command users */
	wait_queue_head_t ep_wq;

	struct list_head giveback;
	unsigned long port_bus_suspended;
	bool running;
	bool dead;

	struct {
		u64 irqs;
		u64 events;
		u64 urbs_done;
		u64 urbs_unlinked;
		u64 halts;
		u64 cmds;
		u64 cmd_timeouts;
	} stats;
};

static inline struct kite_hc *hcd_to_kite(struct usb_hcd *hcd)
{
	return (struct kite_hc *)hcd->hcd_priv;
}

static inline struct usb_hcd *kite_to_hcd(struct kite_hc *hc)
{
	return hc->hcd;
}

static inline u32 kite_readl(const struct kite_hc *hc, unsigned int reg)
{
	return readl(hc->regs + reg);
}

static inline void kite_writel(const struct kite_hc *hc, unsigned int reg,
			       u32 val)
{
	writel(val, hc->regs + reg);
}

/* kite-core.c: used by the bus glue */
int kite_hc_init(struct kite_hc *hc);
irqreturn_t kite_hc_irq(int irq, void *data);
int kite_hc_start(struct kite_hc *hc);
void kite_hc_stop(struct kite_hc *hc);

/* kite-host.c: used by the bus glue */
struct usb_hcd *kite_hcd_create(struct device *dev);
void kite_hcd_put(void *hcd);
void kite_hc_shutdown(struct kite_hc *hc);

/* kite-core.c: used inside the core */
void kite_hc_set_int_enable(struct kite_hc *hc, u32 mask);
void kite_hc_update_int_enable(struct kite_hc *hc, u32 clear, u32 set);

/* kite-host.c */
void kite_hcd_irq(struct kite_hc *hc, u32 pending);
bool kite_hcd_irq_events(struct kite_hc *hc);
int kite_cmd_sync(struct kite_hc *hc, u8 op, unsigned int ctx, u64 arg);
void kite_cmd_queue(struct kite_hc *hc, struct kite_cmd *cmd);

/* kite-ring.c */
int kite_ring_alloc(struct kite_hc *hc, struct kite_ring *ring,
		    unsigned int size, gfp_t flags);
void kite_ring_free(struct kite_hc *hc, struct kite_ring *ring);
unsigned int kite_ring_space(const struct kite_ring *ring);
unsigned int kite_ring_next(const struct kite_ring *ring, unsigned int idx);
dma_addr_t kite_ring_dma(const struct kite_ring *ring, unsigned int idx);
int kite_ring_index(const struct kite_ring *ring, u64 dma);
unsigned int kite_urb_count_trbs(struct urb *urb, unsigned int type);
void kite_queue_urb(struct kite_hc *hc, struct kite_ep *ep,
		    struct kite_urb *kurb);
u32 kite_td_bytes(const struct kite_ring *ring, const struct kite_td *td,
		  unsigned int idx);
bool kite_td_contains(const struct kite_ring *ring, const struct kite_td *td,
		      unsigned int idx);
void kite_td_noop(struct kite_ring *ring, const struct kite_td *td);
int kite_evt_alloc(struct kite_hc *hc);
void kite_evt_free(struct kite_hc *hc);
void kite_evt_program(struct kite_hc *hc);

/* kite-hub.c */
int kite_hub_status_data(struct usb_hcd *hcd, char *buf);
int kite_hub_control(struct usb_hcd *hcd, u16 typereq, u16 wvalue,
		     u16 windex, char *buf, u16 wlength);
int kite_bus_suspend(struct usb_hcd *hcd);
int kite_bus_resume(struct usb_hcd *hcd);

/* kite-selftest.c */
bool kite_selftest_enabled(void);
int kite_selftest_run(struct kite_hc *hc);
void kite_selftest_irq(struct kite_hc *hc, u32 pending);
int kite_selftest_copy(struct kite_hc *hc, dma_addr_t src, dma_addr_t dst,
		       u32 len, u32 *cycles);

/* kite-debugfs.c */
void kite_debugfs_create_root(void);
void kite_debugfs_remove_root(void);
void kite_debugfs_init(struct kite_hc *hc);
void kite_debugfs_exit(struct kite_hc *hc);

#endif /* KITE_H */
