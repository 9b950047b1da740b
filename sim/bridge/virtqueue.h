/* SPDX-License-Identifier: MIT */
/* Split virtqueues (virtio 1.0 layout) in the frontend's memory, device side. */
#ifndef KITE_BRIDGE_VIRTQUEUE_H
#define KITE_BRIDGE_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VQ_MAX_SIZE 32768u
#define VQ_DESC_F_NEXT 1u
#define VQ_DESC_F_WRITE 2u
#define VQ_DESC_F_INDIRECT 4u
#define VQ_AVAIL_F_NO_INTERRUPT 1u
/* Most segments one element may have (virt-pci uses at most 3). */
#define VQ_ELEM_MAX_SEGS 16

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

struct vu_dev;

struct vq {
	unsigned int index;
	uint32_t num;            /* 0: not set */
	uint64_t desc_uva, avail_uva, used_uva;
	bool addr_set;
	struct vring_desc *desc; /* host pointers, valid when mapped */
	struct vring_avail *avail;
	struct vring_used *used;
	bool mapped;
	bool enabled;
	uint16_t last_avail;     /* next avail entry to take */
	uint16_t used_idx;       /* next used entry to fill */
	int kick_fd, call_fd, err_fd;
	bool signal_pending;     /* completions pushed, call fd not yet written */
	bool inband_pending;     /* no call fd (in-band notifications): a call is owed */
};

struct vq_seg {
	uint8_t *ptr;
	uint32_t len;
	bool writable;
};

struct vq_elem {
	uint16_t head;
	unsigned int nseg;
	struct vq_seg seg[VQ_ELEM_MAX_SEGS];
	size_t out_len;          /* bytes in device-readable segments */
	size_t in_len;           /* bytes in device-writable segments */
};

void vq_init(struct vq *q, unsigned int index);
/* Close the fds and forget the ring. */
void vq_reset(struct vq *q);
/* Translate the ring addresses through the region table; 0 or -1 (logged). */
int vq_map(struct vu_dev *d, struct vq *q);
static inline bool vq_ready(const struct vq *q)
{
	return q->mapped && q->enabled;
}
/* Is there an available entry? (cheap: one load) */
bool vq_has_avail(const struct vq *q);
/* Take the next available chain: 1 got one, 0 none, -1 malformed (logged). */
int vq_pop(struct vu_dev *d, struct vq *q, struct vq_elem *e);
/* Return a chain on the used ring with `len` bytes written. */
void vq_push(struct vq *q, const struct vq_elem *e, uint32_t len);
/* Write the call fd if completions were pushed (and, if `honour_flags`, the driver wants them);
 * without a call fd, note that an in-band call is owed (inband_pending). */
void vq_signal(struct vq *q, bool honour_flags);
/* Drain the kick eventfd. */
void vq_drain_kick(struct vq *q);

/* Copy out of / into an element's readable / writable segments. Return bytes copied. */
size_t vq_elem_read(const struct vq_elem *e, size_t off, void *buf, size_t len);
size_t vq_elem_write(const struct vq_elem *e, size_t off, const void *buf, size_t len);

#endif
