// SPDX-License-Identifier: MIT
#include "virtqueue.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "vhost_user.h"

void vq_init(struct vq *q, unsigned int index)
{
	memset(q, 0, sizeof(*q));
	q->index = index;
	q->kick_fd = q->call_fd = q->err_fd = -1;
}

void vq_reset(struct vq *q)
{
	if (q->kick_fd >= 0)
		close(q->kick_fd);
	if (q->call_fd >= 0)
		close(q->call_fd);
	if (q->err_fd >= 0)
		close(q->err_fd);
	vq_init(q, q->index);
}

int vq_map(struct vu_dev *d, struct vq *q)
{
	uint64_t n = q->num;
	uint64_t dlen = 16 * n, alen = 6 + 2 * n, ulen = 6 + 8 * n;

	q->mapped = false;
	if ((q->desc_uva & 15) || (q->avail_uva & 1) || (q->used_uva & 3)) {
		kb_log("vhost-user: SET_VRING_ADDR: queue %u ring addresses misaligned "
		       "(desc 0x%llx avail 0x%llx used 0x%llx)", q->index,
		       (unsigned long long)q->desc_uva, (unsigned long long)q->avail_uva,
		       (unsigned long long)q->used_uva);
		return -1;
	}
	q->desc = (struct vring_desc *)vu_uva_to_host(d, q->desc_uva, dlen);
	q->avail = (struct vring_avail *)vu_uva_to_host(d, q->avail_uva, alen);
	q->used = (struct vring_used *)vu_uva_to_host(d, q->used_uva, ulen);
	if (!q->desc || !q->avail || !q->used) {
		kb_log("vhost-user: SET_VRING_ADDR: queue %u (size %u) ring outside the memory regions: "
		       "desc 0x%llx%s avail 0x%llx%s used 0x%llx%s", q->index, q->num,
		       (unsigned long long)q->desc_uva, q->desc ? "" : " (bad)",
		       (unsigned long long)q->avail_uva, q->avail ? "" : " (bad)",
		       (unsigned long long)q->used_uva, q->used ? "" : " (bad)");
		q->desc = NULL;
		q->avail = NULL;
		q->used = NULL;
		return -1;
	}
	q->mapped = true;
	return 0;
}

static inline uint16_t load_avail_idx(const struct vq *q)
{
	return __atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE);
}

bool vq_has_avail(const struct vq *q)
{
	return vq_ready(q) && load_avail_idx(q) != q->last_avail;
}

int vq_pop(struct vu_dev *d, struct vq *q, struct vq_elem *e)
{
	uint16_t avail_idx, head;
	unsigned int count = 0;
	bool seen_write = false;

	if (!vq_ready(q))
		return 0;
	avail_idx = load_avail_idx(q);
	if (avail_idx == q->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - q->last_avail) > q->num) {
		kb_log("virtqueue %u: available index jumped from %u to %u (ring size %u)", q->index,
		       q->last_avail, avail_idx, q->num);
		return -1;
	}
	head = __atomic_load_n(&q->avail->ring[q->last_avail & (q->num - 1)], __ATOMIC_RELAXED);
	if (head >= q->num) {
		kb_log("virtqueue %u: head descriptor %u out of range (ring size %u)", q->index, head,
		       q->num);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	e->head = head;
	for (uint16_t i = head;;) {
		struct vring_desc dsc;

		if (++count > q->num) {
			kb_log("virtqueue %u: descriptor chain from %u is longer than the ring (loop?)",
			       q->index, head);
			return -1;
		}
		memcpy(&dsc, &q->desc[i], sizeof(dsc));
		if (dsc.flags & VQ_DESC_F_INDIRECT) {
			kb_log("virtqueue %u: descriptor %u is indirect (not negotiated)", q->index, i);
			return -1;
		}
		if (dsc.flags & ~(VQ_DESC_F_NEXT | VQ_DESC_F_WRITE)) {
			kb_log("virtqueue %u: descriptor %u has unknown flags 0x%x", q->index, i, dsc.flags);
			return -1;
		}
		bool w = dsc.flags & VQ_DESC_F_WRITE;

		if (!w && seen_write) {
			kb_log("virtqueue %u: descriptor %u is device-readable after a device-writable one",
			       q->index, i);
			return -1;
		}
		seen_write |= w;
		uint8_t *p = vu_gpa_to_host(d, dsc.addr, dsc.len);

		if (!p) {
			kb_log("virtqueue %u: descriptor %u (addr 0x%llx len %u) is outside the memory regions",
			       q->index, i, (unsigned long long)dsc.addr, dsc.len);
			return -1;
		}
		if (e->nseg >= VQ_ELEM_MAX_SEGS) {
			kb_log("virtqueue %u: descriptor chain from %u has more than %u segments", q->index,
			       head, VQ_ELEM_MAX_SEGS);
			return -1;
		}
		e->seg[e->nseg++] = (struct vq_seg){ .ptr = p, .len = dsc.len, .writable = w };
		if (w)
			e->in_len += dsc.len;
		else
			e->out_len += dsc.len;
		if (!(dsc.flags & VQ_DESC_F_NEXT))
			break;
		if (dsc.next >= q->num) {
			kb_log("virtqueue %u: descriptor %u links to %u, out of range (ring size %u)",
			       q->index, i, dsc.next, q->num);
			return -1;
		}
		i = dsc.next;
	}
	q->last_avail++;
	return 1;
}

void vq_push(struct vq *q, const struct vq_elem *e, uint32_t len)
{
	struct vring_used_elem *u = &q->used->ring[q->used_idx & (q->num - 1)];

	u->id = e->head;
	u->len = len;
	q->used_idx++;
	__atomic_store_n(&q->used->idx, q->used_idx, __ATOMIC_RELEASE);
	q->signal_pending = true;
}

void vq_signal(struct vq *q, bool honour_flags)
{
	const uint64_t one = 1;

	if (!q->signal_pending)
		return;
	q->signal_pending = false;
	atomic_thread_fence(memory_order_seq_cst);
	if (honour_flags && q->avail &&
	    (__atomic_load_n(&q->avail->flags, __ATOMIC_RELAXED) & VQ_AVAIL_F_NO_INTERRUPT))
		return;
	if (q->call_fd < 0) {
		q->inband_pending = true;
		return;
	}
	/* EAGAIN: the pipe is full, so the frontend has a wakeup pending anyway. */
	while (write(q->call_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

void vq_drain_kick(struct vq *q)
{
	uint64_t v;

	if (q->kick_fd < 0)
		return;
	while (read(q->kick_fd, &v, sizeof(v)) > 0)
		;
}

size_t vq_elem_read(const struct vq_elem *e, size_t off, void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	for (unsigned int i = 0; i < e->nseg && done < len; i++) {
		const struct vq_seg *s = &e->seg[i];

		if (s->writable)
			break;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		size_t n = s->len - off;

		if (n > len - done)
			n = len - done;
		memcpy(out + done, s->ptr + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t vq_elem_write(const struct vq_elem *e, size_t off, const void *buf, size_t len)
{
	const uint8_t *in = buf;
	size_t done = 0;

	for (unsigned int i = 0; i < e->nseg && done < len; i++) {
		const struct vq_seg *s = &e->seg[i];

		if (!s->writable)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		size_t n = s->len - off;

		if (n > len - done)
			n = len - done;
		memcpy(s->ptr + off, in + done, n);
		done += n;
		off = 0;
	}
	return done;
}
