// SPDX-License-Identifier: GPL-2.0
/*
 * kite rings: transfer rings of TRBs, TD construction, the event ring.
 *
 * A transfer ring is one coherent segment of TRBs closed by a LINK TRB
 * with TC = 1 (toggle cycle). The driver is the producer: it writes a TD's
 * TRBs with its producer cycle state, except that the first TRB of the TD
 * gets its cycle bit last, after a dma_wmb(), so the controller never sees
 * half a TD. The controller reports completions in the event ring, which
 * the driver consumes (kite-host.c).
 *
 * All functions here run with kite_hc.lock held, except the allocators.
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include "kite.h"

#define KITE_EVT_ENTRIES	256

static void kite_trb_write(struct kite_trb *trb, u64 ptr, u32 len, u32 dw3)
{
	trb->dw[0] = cpu_to_le32(lower_32_bits(ptr));
	trb->dw[1] = cpu_to_le32(upper_32_bits(ptr));
	trb->dw[2] = cpu_to_le32(len);
	/* Every other field before the dword that holds C. */
	dma_wmb();
	WRITE_ONCE(trb->dw[3], cpu_to_le32(dw3));
}

/**
 * kite_ring_alloc() - allocate an empty transfer ring
 * @hc: controller
 * @ring: ring to set up
 * @size: TRBs including the LINK TRB
 * @flags: allocation flags (urb_enqueue's mem_flags)
 *
 * Return: 0 or -ENOMEM.
 */
int kite_ring_alloc(struct kite_hc *hc, struct kite_ring *ring,
		    unsigned int size, gfp_t flags)
{
	ring->trbs = dma_alloc_coherent(hc->dev, size * sizeof(*ring->trbs),
					&ring->dma, flags);
	if (!ring->trbs)
		return -ENOMEM;
	ring->size = size;
	ring->enq = 0;
	ring->deq = 0;
	ring->cycle = 1;
	/* All TRBs have C = 0: the ring is empty for DCS = 1. */
	kite_trb_write(&ring->trbs[size - 1], ring->dma, 0,
		       FIELD_PREP(KITE_TRB_DW3_TYPE_MASK, KITE_TRB_TYPE_LINK) |
		       KITE_TRB_DW3_TC_MASK);
	return 0;
}

void kite_ring_free(struct kite_hc *hc, struct kite_ring *ring)
{
	if (!ring->trbs)
		return;
	dma_free_coherent(hc->dev, ring->size * sizeof(*ring->trbs),
			  ring->trbs, ring->dma);
	ring->trbs = NULL;
}

/* TRBs that may be written before the producer reaches @deq. */
unsigned int kite_ring_space(const struct kite_ring *ring)
{
	unsigned int usable = ring->size - 1;

	return (ring->deq + usable - ring->enq - 1) % usable;
}

/* The TRB after @idx, skipping the LINK TRB. */
unsigned int kite_ring_next(const struct kite_ring *ring, unsigned int idx)
{
	return idx + 1 >= ring->size - 1 ? 0 : idx + 1;
}

dma_addr_t kite_ring_dma(const struct kite_ring *ring, unsigned int idx)
{
	return ring->dma + idx * sizeof(struct kite_trb);
}

/* Index of the TRB at bus address @dma, or -1 if it is not on @ring. */
int kite_ring_index(const struct kite_ring *ring, u64 dma)
{
	u64 off = dma - ring->dma;

	if (dma < ring->dma || off >= (u64)ring->size * sizeof(struct kite_trb) ||
	    off % sizeof(struct kite_trb))
		return -1;
	return off / sizeof(struct kite_trb);
}

/*
 * Write one TRB at the enqueue pointer and advance it, passing the LINK
 * TRB (whose C is handed over right away: the controller cannot reach it
 * before the first TRB of the TD, which is handed over last).
 * @first_dw3 receives the dword 3 of the first TRB of a TD instead of it
 * being written, so the caller can publish it last.
 */
static void kite_ring_put(struct kite_ring *ring, u64 ptr, u32 len, u32 dw3,
			  u32 *first_dw3)
{
	struct kite_trb *trb = &ring->trbs[ring->enq];

	dw3 |= ring->cycle;
	if (first_dw3) {
		*first_dw3 = dw3;
		/* Everything but C now; C (still stale) in kite_td_publish(). */
		dw3 = (dw3 & ~KITE_TRB_DW3_C_MASK) | (ring->cycle ^ 1);
	}
	kite_trb_write(trb, ptr, len, dw3);

	ring->enq++;
	if (ring->enq == ring->size - 1) {
		struct kite_trb *link = &ring->trbs[ring->enq];
		u32 l3 = le32_to_cpu(link->dw[3]);

		l3 = (l3 & ~KITE_TRB_DW3_C_MASK) | ring->cycle;
		dma_wmb();
		WRITE_ONCE(link->dw[3], cpu_to_le32(l3));
		ring->enq = 0;
		ring->cycle ^= 1;
	}
}

/* Hand the TD that starts at @td->first to the controller. */
static void kite_td_publish(struct kite_ring *ring, struct kite_td *td,
			    u32 first_dw3)
{
	/* The rest of the TD is in memory before the controller can start. */
	dma_wmb();
	WRITE_ONCE(ring->trbs[td->first].dw[3], cpu_to_le32(first_dw3));
}

static void kite_td_begin(struct kite_ring *ring, struct kite_td *td,
			  struct kite_urb *kurb)
{
	td->kurb = kurb;
	td->first = ring->enq;
	td->first_cycle = ring->cycle;
}

/* Index of the last TRB written (the one before the enqueue pointer). */
static unsigned int kite_ring_prev_enq(const struct kite_ring *ring)
{
	return ring->enq ? ring->enq - 1 : ring->size - 2;
}

/* TRBs for @len bytes: LEN holds at most KITE_TRB_MAX_LEN. */
static unsigned int kite_len_trbs(u32 len)
{
	return len ? DIV_ROUND_UP(len, KITE_TRB_MAX_LEN) : 1;
}

/* Walks the URB's data: its mapped sg entries, or its one buffer. */
struct kite_piece {
	struct scatterlist *sg;
	unsigned int n;
	u32 left;
};

static void kite_piece_init(struct urb *urb, struct kite_piece *p)
{
	p->sg = urb->sg;
	p->n = 0;
	p->left = urb->transfer_buffer_length;
}

static bool kite_piece_next(struct urb *urb, struct kite_piece *p,
			    dma_addr_t *addr, u32 *len)
{
	if (!p->left)
		return false;
	if (urb->num_mapped_sgs) {
		if (p->n >= urb->num_mapped_sgs)
			return false;
		*addr = sg_dma_address(p->sg);
		*len = min_t(u32, sg_dma_len(p->sg), p->left);
		p->sg = sg_next(p->sg);
		p->n++;
	} else {
		*addr = urb->transfer_dma;
		*len = p->left;
	}
	p->left -= *len;
	return true;
}

/**
 * kite_urb_count_trbs() - TRBs an URB needs on its ring
 * @urb: the URB
 * @type: KITE_CTX_CFG0_TYPE_* of its endpoint
 *
 * Return: the count, LINK TRBs not included.
 */
unsigned int kite_urb_count_trbs(struct urb *urb, unsigned int type)
{
	struct kite_piece p;
	unsigned int n = 0;
	dma_addr_t addr;
	u32 len;

	if (type == KITE_CTX_CFG0_TYPE_ISOCH)
		return urb->number_of_packets;

	kite_piece_init(urb, &p);
	while (kite_piece_next(urb, &p, &addr, &len))
		n += kite_len_trbs(len);
	if (type == KITE_CTX_CFG0_TYPE_CONTROL)
		return n + 2;	/* SETUP and STATUS */
	return n ? n : 1;
}

/*
 * Write the data TRBs (NORMAL or DATA) of an URB; the first one goes
 * through @first_dw3 when non-NULL. The last one is left without IOC.
 */
static void kite_put_data(struct kite_ring *ring, struct urb *urb, u32 dw3,
			  u32 *first_dw3)
{
	struct kite_piece p;
	dma_addr_t addr;
	u32 len;

	kite_piece_init(urb, &p);
	while (kite_piece_next(urb, &p, &addr, &len)) {
		do {
			u32 n = min_t(u32, len, KITE_TRB_MAX_LEN);

			kite_ring_put(ring, addr, n, dw3 | KITE_TRB_DW3_CH_MASK,
				      first_dw3);
			first_dw3 = NULL;
			addr += n;
			len -= n;
		} while (len);
	}
}

/* Clear CH and set @set on the last TRB written. */
static void kite_finish_td(struct kite_ring *ring, struct kite_td *td,
			   u32 set, u32 *first_dw3)
{
	unsigned int last = kite_ring_prev_enq(ring);

	td->last = last;
	if (last == td->first) {
		*first_dw3 = (*first_dw3 & ~KITE_TRB_DW3_CH_MASK) | set;
	} else {
		struct kite_trb *trb = &ring->trbs[last];
		u32 dw3 = le32_to_cpu(trb->dw[3]);

		/* Not visible yet: the TD's first TRB still has a stale C. */
		dw3 = (dw3 & ~KITE_TRB_DW3_CH_MASK) | set;
		WRITE_ONCE(trb->dw[3], cpu_to_le32(dw3));
	}
}

static u32 kite_type(unsigned int type)
{
	return FIELD_PREP(KITE_TRB_DW3_TYPE_MASK, type);
}

static void kite_queue_control(struct kite_ring *ring, struct kite_ep *ep,
			       struct kite_urb *kurb)
{
	struct urb *urb = kurb->urb;
	struct kite_td *td = &kurb->td[0];
	bool in = usb_urb_dir_in(urb);
	u32 first_dw3, dw3;
	u64 setup;

	kite_td_begin(ring, td, kurb);
	/* IDT: the 8 setup bytes are the TRB's PTR, byte 0 at the lowest address. */
	memcpy(&setup, urb->setup_packet, sizeof(setup));
	kite_ring_put(ring, le64_to_cpu((__force __le64)setup), 8,
		      kite_type(KITE_TRB_TYPE_SETUP) | KITE_TRB_DW3_IDT_MASK |
		      KITE_TRB_DW3_CH_MASK, &first_dw3);

	if (urb->transfer_buffer_length) {
		dw3 = kite_type(KITE_TRB_TYPE_DATA);
		if (in)
			dw3 |= KITE_TRB_DW3_DIR_IN_MASK | KITE_TRB_DW3_ISP_MASK;
		kite_put_data(ring, urb, dw3, NULL);
	}

	/* STATUS: the opposite direction of the data stage, IN without one. */
	dw3 = kite_type(KITE_TRB_TYPE_STATUS) | KITE_TRB_DW3_IOC_MASK;
	if (!urb->transfer_buffer_length || !in)
		dw3 |= KITE_TRB_DW3_DIR_IN_MASK;
	kite_ring_put(ring, 0, 0, dw3, NULL);
	td->last = kite_ring_prev_enq(ring);
	list_add_tail(&td->node, &ep->tds);
	kite_td_publish(ring, td, first_dw3);
}

static void kite_queue_normal(struct kite_ring *ring, struct kite_ep *ep,
			      struct kite_urb *kurb)
{
	struct urb *urb = kurb->urb;
	struct kite_td *td = &kurb->td[0];
	u32 first_dw3, dw3, last = KITE_TRB_DW3_IOC_MASK;

	kite_td_begin(ring, td, kurb);
	dw3 = kite_type(KITE_TRB_TYPE_NORMAL);
	if (ep->dir_in)
		dw3 |= KITE_TRB_DW3_ISP_MASK;
	if (urb->transfer_buffer_length)
		kite_put_data(ring, urb, dw3, &first_dw3);
	else	/* one zero-length packet */
		kite_ring_put(ring, 0, 0, dw3, &first_dw3);

	if (!ep->dir_in && (urb->transfer_flags & URB_ZERO_PACKET) &&
	    urb->transfer_buffer_length &&
	    !(urb->transfer_buffer_length % ep->mps))
		last |= KITE_TRB_DW3_ZLP_MASK;
	kite_finish_td(ring, td, last, &first_dw3);
	list_add_tail(&td->node, &ep->tds);
	kite_td_publish(ring, td, first_dw3);
}

static void kite_queue_isoc(struct kite_hc *hc, struct kite_ring *ring,
			    struct kite_ep *ep, struct kite_urb *kurb)
{
	struct urb *urb = kurb->urb;
	unsigned int i, interval = urb->interval ? urb->interval : 1;
	u32 frame, first_dw3;

	/*
	 * ASAP: the controller picks the next frame in which the endpoint is
	 * due. Otherwise continue the stream right after the previous URB
	 * (or two frames from now if there is none) and report it in
	 * start_frame.
	 */
	frame = FIELD_GET(KITE_FRAME_NUMBER_MASK,
			  kite_readl(hc, KITE_REG_FRAME));
	if (urb->transfer_flags & URB_ISO_ASAP || !ep->iso_streaming)
		urb->start_frame = (frame + 1) & KITE_FRAME_NUMBER_MASK;
	else
		urb->start_frame = ep->next_frame;

	for (i = 0; i < urb->number_of_packets; i++) {
		struct usb_iso_packet_descriptor *fd = &urb->iso_frame_desc[i];
		struct kite_td *td = &kurb->td[i];
		u32 dw3 = kite_type(KITE_TRB_TYPE_ISOCH);

		if (urb->transfer_flags & URB_ISO_ASAP)
			dw3 |= KITE_TRB_DW3_ASAP_MASK;
		else
			dw3 |= FIELD_PREP(KITE_TRB_DW3_FRAME_MASK,
					  urb->start_frame + i * interval);
		if (i == urb->number_of_packets - 1)
			dw3 |= KITE_TRB_DW3_IOC_MASK;
		/* A complete packet writes no event unless it has IOC. */
		fd->status = 0;
		fd->actual_length = fd->length;
		kite_td_begin(ring, td, kurb);
		td->iso_idx = i;
		kite_ring_put(ring, urb->transfer_dma + fd->offset, fd->length,
			      dw3, &first_dw3);
		td->last = td->first;
		list_add_tail(&td->node, &ep->tds);
		kite_td_publish(ring, td, first_dw3);
	}
	ep->next_frame = (urb->start_frame + urb->number_of_packets * interval) &
			 KITE_FRAME_NUMBER_MASK;
	ep->iso_streaming = true;
}

/**
 * kite_queue_urb() - write an URB's TDs to its endpoint's ring
 * @hc: controller
 * @ep: endpoint
 * @kurb: the URB's TDs (num_tds set); the caller checked the ring's space
 *
 * Does not ring the doorbell.
 */
void kite_queue_urb(struct kite_hc *hc, struct kite_ep *ep,
		    struct kite_urb *kurb)
{
	struct kite_ring *ring = &ep->ring;

	kurb->tds_left = kurb->num_tds;
	switch (ep->type) {
	case KITE_CTX_CFG0_TYPE_CONTROL:
		kite_queue_control(ring, ep, kurb);
		break;
	case KITE_CTX_CFG0_TYPE_ISOCH:
		kite_queue_isoc(hc, ring, ep, kurb);
		break;
	default:
		kite_queue_normal(ring, ep, kurb);
		break;
	}
}

/* Does the TD (which may wrap past the LINK TRB) contain TRB @idx? */
bool kite_td_contains(const struct kite_ring *ring, const struct kite_td *td,
		      unsigned int idx)
{
	if (td->first <= td->last)
		return idx >= td->first && idx <= td->last;
	return idx >= td->first || idx <= td->last;
}

/*
 * Data bytes of the TD's TRBs from its first up to and including @idx
 * (SETUP and STATUS TRBs carry none).
 */
u32 kite_td_bytes(const struct kite_ring *ring, const struct kite_td *td,
		  unsigned int idx)
{
	unsigned int i = td->first;
	u32 sum = 0;

	for (;;) {
		u32 dw3 = le32_to_cpu(ring->trbs[i].dw[3]);
		u32 type = FIELD_GET(KITE_TRB_DW3_TYPE_MASK, dw3);

		if (type == KITE_TRB_TYPE_NORMAL || type == KITE_TRB_TYPE_DATA ||
		    type == KITE_TRB_TYPE_ISOCH)
			sum += le32_to_cpu(ring->trbs[i].dw[2]) &
			       KITE_TRB_DW2_LEN_MASK;
		if (i == idx || i == td->last)
			break;
		i = kite_ring_next(ring, i);
	}
	return sum;
}

/*
 * Turn the TD's TRBs into NOOPs without IOC (their C bits kept), so that a
 * controller that reaches them passes them without touching memory. Only
 * while the context is not RUNNING.
 */
void kite_td_noop(struct kite_ring *ring, const struct kite_td *td)
{
	unsigned int i = td->first;

	for (;;) {
		struct kite_trb *trb = &ring->trbs[i];
		u32 dw3 = le32_to_cpu(trb->dw[3]);

		dw3 = (dw3 & (KITE_TRB_DW3_C_MASK | KITE_TRB_DW3_CH_MASK)) |
		      kite_type(KITE_TRB_TYPE_NOOP);
		trb->dw[0] = 0;
		trb->dw[1] = 0;
		trb->dw[2] = 0;
		dma_wmb();
		WRITE_ONCE(trb->dw[3], cpu_to_le32(dw3));
		if (i == td->last)
			break;
		i = kite_ring_next(ring, i);
	}
}

/**
 * kite_evt_alloc() - allocate the event ring
 * @hc: controller
 *
 * Return: 0 or -ENOMEM.
 */
int kite_evt_alloc(struct kite_hc *hc)
{
	hc->evt_size = KITE_EVT_ENTRIES;
	/* Coherent allocations are at least page aligned: 64 bytes needed. */
	hc->evt = dma_alloc_coherent(hc->dev, hc->evt_size * sizeof(*hc->evt),
				     &hc->evt_dma, GFP_KERNEL);
	return hc->evt ? 0 : -ENOMEM;
}

void kite_evt_free(struct kite_hc *hc)
{
	if (!hc->evt)
		return;
	dma_free_coherent(hc->dev, hc->evt_size * sizeof(*hc->evt), hc->evt,
			  hc->evt_dma);
	hc->evt = NULL;
}

/* Empty the event ring and tell the controller where it is. */
void kite_evt_program(struct kite_hc *hc)
{
	memset(hc->evt, 0, hc->evt_size * sizeof(*hc->evt));
	hc->evt_deq = 0;
	hc->evt_cycle = 1;
	/* The zeroed ring is in memory before the controller may write it. */
	wmb();
	kite_writel(hc, KITE_REG_EVT_SIZE, hc->evt_size);
	kite_writel(hc, KITE_REG_EVT_BASE_HI, upper_32_bits(hc->evt_dma));
	kite_writel(hc, KITE_REG_EVT_BASE_LO, lower_32_bits(hc->evt_dma));
	hc->evt_deq_hi = upper_32_bits(hc->evt_dma);
	kite_writel(hc, KITE_REG_EVT_DEQ_HI, hc->evt_deq_hi);
	kite_writel(hc, KITE_REG_EVT_DEQ_LO, lower_32_bits(hc->evt_dma));
}
