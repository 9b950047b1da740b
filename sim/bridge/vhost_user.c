// SPDX-License-Identifier: MIT
/*
 * vhost-user backend side (QEMU docs/interop/vhost-user.rst), as spoken by Linux 6.1
 * arch/um/drivers/virtio_uml.c. Every message is validated; anything malformed or unexpected
 * is logged with the request name and reported to the caller, which shuts down.
 */
#include "vhost_user.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "vhost-user and virtio are little endian");

#define FAIL(...) do { kb_log(__VA_ARGS__); return -1; } while (0)

struct vu_mem_region_msg {
	uint64_t guest_addr;
	uint64_t size;
	uint64_t user_addr;
	uint64_t mmap_offset;
};

struct vu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	uint32_t pad_;           /* keeps the payload 8-byte aligned in memory */
	union {
		uint64_t u64;
		struct {
			uint32_t index;
			uint32_t num;
		} state;
		struct {
			uint32_t index;
			uint32_t flags;
			uint64_t desc, used, avail, log;
		} addr;
		struct {
			uint32_t num;
			uint32_t padding;
			struct vu_mem_region_msg r[VU_MAX_REGIONS];
		} mem;
		struct {
			uint32_t offset;
			uint32_t size;
			uint32_t flags;
			uint8_t payload[VU_MAX_CONFIG];
		} config;
		uint8_t raw[VU_MAX_PAYLOAD];
	} p;
};

uint64_t vu_offered_features(void)
{
	return (1ull << VU_F_PROTOCOL_FEATURES) | (1ull << VU_F_VERSION_1);
}

uint64_t vu_offered_protocol_features(const struct vu_dev *d)
{
	return (1ull << VU_PROTO_F_REPLY_ACK) | (1ull << VU_PROTO_F_SLAVE_REQ) |
	       (1ull << VU_PROTO_F_CONFIG) |
	       (d && d->offer_inband ? 1ull << VU_PROTO_F_INBAND_NOTIFICATIONS : 0);
}

bool vu_inband(const struct vu_dev *d)
{
	uint64_t need = (1ull << VU_PROTO_F_INBAND_NOTIFICATIONS) | (1ull << VU_PROTO_F_SLAVE_REQ);

	return (d->protocol_features & need) == need;
}

const char *vu_request_name(uint32_t req)
{
	switch (req) {
	case VU_GET_FEATURES: return "GET_FEATURES";
	case VU_SET_FEATURES: return "SET_FEATURES";
	case VU_SET_OWNER: return "SET_OWNER";
	case VU_RESET_OWNER: return "RESET_OWNER";
	case VU_SET_MEM_TABLE: return "SET_MEM_TABLE";
	case VU_SET_LOG_BASE: return "SET_LOG_BASE";
	case VU_SET_LOG_FD: return "SET_LOG_FD";
	case VU_SET_VRING_NUM: return "SET_VRING_NUM";
	case VU_SET_VRING_ADDR: return "SET_VRING_ADDR";
	case VU_SET_VRING_BASE: return "SET_VRING_BASE";
	case VU_GET_VRING_BASE: return "GET_VRING_BASE";
	case VU_SET_VRING_KICK: return "SET_VRING_KICK";
	case VU_SET_VRING_CALL: return "SET_VRING_CALL";
	case VU_SET_VRING_ERR: return "SET_VRING_ERR";
	case VU_GET_PROTOCOL_FEATURES: return "GET_PROTOCOL_FEATURES";
	case VU_SET_PROTOCOL_FEATURES: return "SET_PROTOCOL_FEATURES";
	case VU_GET_QUEUE_NUM: return "GET_QUEUE_NUM";
	case VU_SET_VRING_ENABLE: return "SET_VRING_ENABLE";
	case VU_SET_SLAVE_REQ_FD: return "SET_SLAVE_REQ_FD";
	case VU_GET_CONFIG: return "GET_CONFIG";
	case VU_SET_CONFIG: return "SET_CONFIG";
	case VU_RESET_DEVICE: return "RESET_DEVICE";
	case VU_VRING_KICK: return "VRING_KICK";
	default: return "unknown request";
	}
}

void vu_init(struct vu_dev *d, int sock)
{
	memset(d, 0, sizeof(*d));
	d->sock = sock;
	d->slave_fd = -1;
	d->side_fd = -1;
	for (unsigned int i = 0; i < VU_NUM_QUEUES; i++)
		vq_init(&d->vq[i], i);
}

static void unmap_regions(struct vu_dev *d)
{
	for (unsigned int i = 0; i < d->nregions; i++)
		munmap(d->regions[i].mmap_base, d->regions[i].mmap_len);
	d->nregions = 0;
}

void vu_cleanup(struct vu_dev *d)
{
	for (unsigned int i = 0; i < VU_NUM_QUEUES; i++)
		vq_reset(&d->vq[i]);
	unmap_regions(d);
	if (d->slave_fd >= 0)
		close(d->slave_fd);
	d->slave_fd = -1;
}

static uint8_t *translate(const struct vu_dev *d, uint64_t addr, uint64_t len, bool gpa)
{
	for (unsigned int i = 0; i < d->nregions; i++) {
		const struct vu_region *r = &d->regions[i];
		uint64_t base = gpa ? r->gpa : r->uva;

		if (addr < base)
			continue;
		uint64_t off = addr - base;

		if (off >= r->size && !(off == r->size && len == 0))
			continue;
		if (len > r->size - off)
			return NULL; /* starts here but does not fit: regions never merge */
		return r->host + off;
	}
	return NULL;
}

uint8_t *vu_gpa_to_host(const struct vu_dev *d, uint64_t gpa, uint64_t len)
{
	return translate(d, gpa, len, true);
}

uint8_t *vu_uva_to_host(const struct vu_dev *d, uint64_t uva, uint64_t len)
{
	return translate(d, uva, len, false);
}

/* ---------------------------------------------------------------- socket I/O */

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void close_fds(int *fds, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * Receive the 12-byte header (and any fds, which travel with its first byte).
 * 1 on clean EOF, 0 ok, -1 error (logged).
 */
static int recv_header(struct vu_dev *d, struct vu_msg *m, int *fds, unsigned int *nfds)
{
	union {
		char buf[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = m, .iov_len = VU_HDR_SIZE };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	*nfds = 0;
	do {
		n = recvmsg(d->sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return 1;
	if (n < 0) {
		if (errno == ECONNRESET)
			return 1;
		kb_log("vhost-user: recvmsg failed: %s", strerror(errno));
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		unsigned int k = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

		for (unsigned int i = 0; i < k && *nfds < VU_MAX_FDS; i++)
			memcpy(&fds[(*nfds)++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		kb_log("vhost-user: too many file descriptors with one message (control data truncated)");
		close_fds(fds, *nfds);
		*nfds = 0;
		return -1;
	}
	if ((size_t)n < VU_HDR_SIZE &&
	    read_full(d->sock, (uint8_t *)m + n, VU_HDR_SIZE - (size_t)n)) {
		kb_log("vhost-user: truncated message header (%zd of %u bytes, then EOF or error)",
		       n, VU_HDR_SIZE);
		close_fds(fds, *nfds);
		*nfds = 0;
		return -1;
	}
	return 0;
}

static int send_reply(struct vu_dev *d, const struct vu_msg *req, const void *payload, uint32_t size)
{
	uint8_t buf[VU_HDR_SIZE + 12 + VU_MAX_CONFIG];
	uint32_t h[3] = { req->request, VU_VERSION | VU_FLAG_REPLY, size };

	if (size > sizeof(buf) - VU_HDR_SIZE)
		FAIL("vhost-user: %s: reply too large", vu_request_name(req->request));
	memcpy(buf, h, VU_HDR_SIZE);
	if (size)
		memcpy(buf + VU_HDR_SIZE, payload, size);
	if (send_full(d->sock, buf, VU_HDR_SIZE + size)) {
		kb_log("vhost-user: %s: sending the reply failed: %s", vu_request_name(req->request),
		       strerror(errno));
		return -1;
	}
	return 0;
}

static int send_u64(struct vu_dev *d, const struct vu_msg *req, uint64_t v)
{
	return send_reply(d, req, &v, sizeof(v));
}

/* ---------------------------------------------------------------- handlers */


static int set_mem_table(struct vu_dev *d, struct vu_msg *m, int *fds, unsigned int nfds)
{
	const char *rn = "SET_MEM_TABLE";
	uint32_t num;

	if (m->size < 8)
		FAIL("vhost-user: %s: payload of %u bytes is too small", rn, m->size);
	num = m->p.mem.num;
	if (num == 0 || num > VU_MAX_REGIONS)
		FAIL("vhost-user: %s: %u regions (1..%u supported)", rn, num, VU_MAX_REGIONS);
	if (m->size < 8 + num * sizeof(struct vu_mem_region_msg) ||
	    m->size > 8 + VU_MAX_REGIONS * sizeof(struct vu_mem_region_msg))
		FAIL("vhost-user: %s: payload of %u bytes does not fit %u regions", rn, m->size, num);
	if (nfds != num)
		FAIL("vhost-user: %s: %u regions but %u file descriptors", rn, num, nfds);

	struct vu_region nr[VU_MAX_REGIONS];

	for (uint32_t i = 0; i < num; i++) {
		const struct vu_mem_region_msg *r = &m->p.mem.r[i];

		if (r->size == 0 || r->guest_addr + r->size < r->guest_addr ||
		    r->user_addr + r->size < r->user_addr ||
		    r->mmap_offset + r->size < r->mmap_offset || r->size > SIZE_MAX / 2)
			FAIL("vhost-user: %s: region %u (gpa 0x%llx size 0x%llx uva 0x%llx offset 0x%llx) is invalid",
			     rn, i, (unsigned long long)r->guest_addr, (unsigned long long)r->size,
			     (unsigned long long)r->user_addr, (unsigned long long)r->mmap_offset);
		for (uint32_t j = 0; j < i; j++) {
			const struct vu_mem_region_msg *o = &m->p.mem.r[j];

			if (r->guest_addr < o->guest_addr + o->size && o->guest_addr < r->guest_addr + r->size)
				FAIL("vhost-user: %s: regions %u and %u overlap", rn, j, i);
		}
	}
	for (uint32_t i = 0; i < num; i++) {
		const struct vu_mem_region_msg *r = &m->p.mem.r[i];
		size_t len = (size_t)(r->mmap_offset + r->size);
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);

		if (p == MAP_FAILED) {
			int e = errno;

			for (uint32_t j = 0; j < i; j++)
				munmap(nr[j].mmap_base, nr[j].mmap_len);
			FAIL("vhost-user: %s: mmap of region %u (0x%zx bytes) failed: %s", rn, i, len, strerror(e));
		}
		nr[i] = (struct vu_region){
			.gpa = r->guest_addr, .size = r->size, .uva = r->user_addr,
			.mmap_offset = r->mmap_offset, .mmap_base = p, .mmap_len = len,
			.host = (uint8_t *)p + r->mmap_offset,
		};
	}
	unmap_regions(d);
	memcpy(d->regions, nr, num * sizeof(nr[0]));
	d->nregions = num;
	for (unsigned int i = 0; i < VU_NUM_QUEUES; i++) {
		struct vq *q = &d->vq[i];

		q->mapped = false;
		if (q->addr_set && vq_map(d, q))
			FAIL("vhost-user: %s: queue %u rings are outside the new memory table", rn, i);
	}
	return 0;
}

static struct vq *queue_of(struct vu_dev *d, const struct vu_msg *m, uint32_t index)
{
	if (index >= VU_NUM_QUEUES) {
		kb_log("vhost-user: %s: queue index %u out of range (%u queues)",
		       vu_request_name(m->request), index, VU_NUM_QUEUES);
		return NULL;
	}
	return &d->vq[index];
}

static int set_vring_fd(struct vu_dev *d, struct vu_msg *m, int *fds, unsigned int *nfds)
{
	const char *rn = vu_request_name(m->request);
	uint64_t v = m->p.u64;
	struct vq *q;
	int fd = -1;

	if (v & ~(uint64_t)(VU_VRING_INDEX_MASK | VU_VRING_NOFD_MASK))
		FAIL("vhost-user: %s: reserved bits set in 0x%llx", rn, (unsigned long long)v);
	q = queue_of(d, m, (uint32_t)(v & VU_VRING_INDEX_MASK));
	if (!q)
		return -1;
	if (v & VU_VRING_NOFD_MASK) {
		if (*nfds != 0)
			FAIL("vhost-user: %s: invalid-fd flag set but %u file descriptors sent", rn, *nfds);
	} else {
		if (*nfds != 1)
			FAIL("vhost-user: %s: expected 1 file descriptor, got %u", rn, *nfds);
		fd = fds[0];
		*nfds = 0; /* taken */
	}
	switch (m->request) {
	case VU_SET_VRING_KICK:
		if (q->kick_fd >= 0)
			close(q->kick_fd);
		q->kick_fd = fd;
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		/* Without PROTOCOL_FEATURES a ring starts when its kick fd arrives. */
		if (!(d->features & (1ull << VU_F_PROTOCOL_FEATURES)))
			q->enabled = true;
		break;
	case VU_SET_VRING_CALL:
		if (q->call_fd >= 0)
			close(q->call_fd);
		q->call_fd = fd;
		/* UML hands the write end of a pipe: never block on it. */
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		break;
	default:
		if (q->err_fd >= 0)
			close(q->err_fd);
		q->err_fd = fd;
		break;
	}
	return 0;
}

static int handle(struct vu_dev *d, struct vu_msg *m, int *fds, unsigned int *nfds, bool *replied)
{
	const char *rn = vu_request_name(m->request);
	uint32_t want_fds = 0;
	int32_t want_size = -1; /* -1: checked by the handler */

	switch (m->request) {
	case VU_GET_FEATURES: case VU_SET_OWNER: case VU_RESET_OWNER: case VU_RESET_DEVICE:
	case VU_GET_PROTOCOL_FEATURES: case VU_GET_QUEUE_NUM:
		want_size = 0;
		break;
	case VU_SET_FEATURES: case VU_SET_PROTOCOL_FEATURES:
		want_size = 8;
		break;
	case VU_SET_VRING_NUM: case VU_SET_VRING_BASE: case VU_GET_VRING_BASE:
	case VU_SET_VRING_ENABLE: case VU_VRING_KICK:
		want_size = 8;
		break;
	case VU_SET_VRING_ADDR:
		want_size = 40;
		break;
	case VU_SET_VRING_KICK: case VU_SET_VRING_CALL: case VU_SET_VRING_ERR:
		want_size = 8;
		want_fds = UINT32_MAX; /* checked by set_vring_fd */
		break;
	case VU_SET_SLAVE_REQ_FD:
		if (m->size != 0 && m->size != 8)
			FAIL("vhost-user: %s: payload of %u bytes, expected 0", rn, m->size);
		want_fds = 1;
		break;
	case VU_SET_MEM_TABLE:
		want_fds = UINT32_MAX;
		break;
	case VU_GET_CONFIG: case VU_SET_CONFIG:
		if (m->size < 12 || m->p.config.size > VU_MAX_CONFIG || m->size != 12 + m->p.config.size)
			FAIL("vhost-user: %s: payload of %u bytes does not match config size %u (max %u)",
			     rn, m->size, m->size >= 12 ? m->p.config.size : 0, VU_MAX_CONFIG);
		break;
	default:
		FAIL("vhost-user: unsupported request %u (%s), flags 0x%x, size %u", m->request, rn,
		     m->flags, m->size);
	}
	if (want_size >= 0 && m->size != (uint32_t)want_size)
		FAIL("vhost-user: %s: payload of %u bytes, expected %d", rn, m->size, want_size);
	if (want_fds != UINT32_MAX && *nfds != want_fds)
		FAIL("vhost-user: %s: expected %u file descriptors, got %u", rn, want_fds, *nfds);
	if (m->request != VU_SET_OWNER && m->request != VU_GET_FEATURES &&
	    m->request != VU_GET_PROTOCOL_FEATURES && m->request != VU_SET_PROTOCOL_FEATURES &&
	    m->request != VU_RESET_OWNER && m->request != VU_RESET_DEVICE && !d->owner)
		FAIL("vhost-user: %s before SET_OWNER", rn);

	switch (m->request) {
	case VU_SET_OWNER:
		d->owner = true;
		return 0;
	case VU_RESET_OWNER:
	case VU_RESET_DEVICE:
		for (unsigned int i = 0; i < VU_NUM_QUEUES; i++)
			vq_reset(&d->vq[i]);
		d->features = 0;
		if (m->request == VU_RESET_OWNER)
			d->owner = false;
		return 0;
	case VU_GET_FEATURES:
		*replied = true;
		return send_u64(d, m, vu_offered_features());
	case VU_SET_FEATURES:
		if (m->p.u64 & ~vu_offered_features())
			FAIL("vhost-user: %s: features 0x%llx were not offered (offered 0x%llx)", rn,
			     (unsigned long long)m->p.u64, (unsigned long long)vu_offered_features());
		d->features = m->p.u64;
		return 0;
	case VU_GET_PROTOCOL_FEATURES:
		*replied = true;
		return send_u64(d, m, vu_offered_protocol_features(d));
	case VU_SET_PROTOCOL_FEATURES:
		if (m->p.u64 & ~vu_offered_protocol_features(d))
			FAIL("vhost-user: %s: protocol features 0x%llx were not offered (offered 0x%llx)", rn,
			     (unsigned long long)m->p.u64, (unsigned long long)vu_offered_protocol_features(d));
		d->protocol_features = m->p.u64;
		return 0;
	case VU_GET_QUEUE_NUM:
		*replied = true;
		return send_u64(d, m, VU_NUM_QUEUES);
	case VU_SET_SLAVE_REQ_FD:
		if (!(d->protocol_features & (1ull << VU_PROTO_F_SLAVE_REQ)))
			FAIL("vhost-user: %s without the SLAVE_REQ protocol feature", rn);
		if (d->slave_fd >= 0)
			close(d->slave_fd);
		d->slave_fd = fds[0];
		*nfds = 0;
		return 0;
	case VU_SET_MEM_TABLE:
		return set_mem_table(d, m, fds, *nfds);
	case VU_SET_VRING_NUM: {
		struct vq *q = queue_of(d, m, m->p.state.index);
		uint32_t n = m->p.state.num;

		if (!q)
			return -1;
		if (n == 0 || n > VQ_MAX_SIZE || (n & (n - 1)))
			FAIL("vhost-user: %s: queue %u size %u is not a power of 2 in 1..%u", rn, q->index, n,
			     VQ_MAX_SIZE);
		if (q->enabled && q->mapped)
			FAIL("vhost-user: %s: queue %u is running", rn, q->index);
		q->num = n;
		q->mapped = false;
		if (q->addr_set && vq_map(d, q))
			return -1;
		return 0;
	}
	case VU_SET_VRING_BASE: {
		struct vq *q = queue_of(d, m, m->p.state.index);

		if (!q)
			return -1;
		if (m->p.state.num > 0xffff)
			FAIL("vhost-user: %s: queue %u base %u does not fit 16 bits", rn, q->index,
			     m->p.state.num);
		q->last_avail = (uint16_t)m->p.state.num;
		q->used_idx = (uint16_t)m->p.state.num;
		return 0;
	}
	case VU_GET_VRING_BASE: {
		struct vq *q = queue_of(d, m, m->p.state.index);
		uint32_t st[2];

		if (!q)
			return -1;
		/* Stops the ring. */
		q->enabled = false;
		if (q->kick_fd >= 0)
			close(q->kick_fd);
		q->kick_fd = -1;
		st[0] = q->index;
		st[1] = q->last_avail;
		*replied = true;
		return send_reply(d, m, st, sizeof(st));
	}
	case VU_SET_VRING_ADDR: {
		struct vq *q = queue_of(d, m, m->p.addr.index);

		if (!q)
			return -1;
		if (!q->num)
			FAIL("vhost-user: %s: queue %u has no size yet (SET_VRING_NUM first)", rn, q->index);
		if (!d->nregions)
			FAIL("vhost-user: %s: no memory table yet", rn);
		q->desc_uva = m->p.addr.desc;
		q->avail_uva = m->p.addr.avail;
		q->used_uva = m->p.addr.used;
		q->addr_set = true;
		return vq_map(d, q);
	}
	case VU_SET_VRING_KICK: case VU_SET_VRING_CALL: case VU_SET_VRING_ERR:
		return set_vring_fd(d, m, fds, nfds);
	case VU_SET_VRING_ENABLE: {
		struct vq *q = queue_of(d, m, m->p.state.index);

		if (!q)
			return -1;
		if (m->p.state.num > 1)
			FAIL("vhost-user: %s: queue %u enable value %u", rn, q->index, m->p.state.num);
		if (m->p.state.num && !(q->num && q->addr_set && q->mapped))
			FAIL("vhost-user: %s: queue %u enabled before its size and addresses were set", rn,
			     q->index);
		q->enabled = m->p.state.num != 0;
		return 0;
	}
	case VU_GET_CONFIG: {
		/* virtio_pcidev has no device config space: answer zeros of the requested size. */
		uint8_t buf[12 + VU_MAX_CONFIG];

		memcpy(buf, m->p.raw, 12);
		memset(buf + 12, 0, m->p.config.size);
		*replied = true;
		return send_reply(d, m, buf, m->size);
	}
	case VU_SET_CONFIG:
		return 0; /* nothing to configure; accepted and ignored */
	case VU_VRING_KICK: {
		struct vq *q = queue_of(d, m, m->p.state.index);

		if (!q)
			return -1;
		if (!vu_inband(d))
			FAIL("vhost-user: %s without the INBAND_NOTIFICATIONS protocol feature", rn);
		if (d->on_kick)
			d->on_kick(d->hook_arg, q->index);
		return 0;
	}
	}
	FAIL("vhost-user: internal error handling %s", rn);
}

int vu_inband_call(struct vu_dev *d, unsigned int qi)
{
	struct {
		uint32_t request, flags, size;
		uint32_t index, num;
	} __attribute__((packed)) req = {
		.request = VU_SLAVE_VRING_CALL, .flags = VU_VERSION | VU_FLAG_NEED_REPLY, .size = 8,
		.index = qi,
	};
	struct {
		uint32_t request, flags, size;
		uint64_t status;
	} __attribute__((packed)) ack;

	if (d->slave_fd < 0) {
		kb_log("vhost-user: in-band call for queue %u without a slave channel", qi);
		return -1;
	}
	if (send_full(d->slave_fd, &req, sizeof(req))) {
		kb_log("vhost-user: sending SLAVE_VRING_CALL failed: %s", strerror(errno));
		return -1;
	}
	d->inband_calls++;
	/* The frontend's interrupt handler talks to the time-travel calendar before it answers. */
	for (;;) {
		struct pollfd pf[2] = { { .fd = d->slave_fd, .events = POLLIN },
					{ .fd = d->side_fd, .events = POLLIN } };
		int n = poll(pf, d->side_fd >= 0 ? 2 : 1, 10000);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			kb_log("vhost-user: no answer to SLAVE_VRING_CALL (queue %u) for 10 s", qi);
			return -1;
		}
		if (n < 0)
			return -1;
		if (d->side_fd >= 0 && pf[1].revents && d->on_side && d->on_side(d->hook_arg) < 0)
			return -1;
		if (pf[0].revents)
			break;
	}
	if (read_full(d->slave_fd, &ack, sizeof(ack))) {
		kb_log("vhost-user: the frontend closed the slave channel during SLAVE_VRING_CALL");
		return -1;
	}
	if (ack.request != VU_SLAVE_VRING_CALL || !(ack.flags & VU_FLAG_REPLY) || ack.size != 8 ||
	    ack.status) {
		kb_log("vhost-user: bad answer to SLAVE_VRING_CALL: request %u flags 0x%x size %u "
		       "status %llu", ack.request, ack.flags, ack.size, (unsigned long long)ack.status);
		return -1;
	}
	return 0;
}

int vu_process_msg(struct vu_dev *d)
{
	static struct vu_msg m; /* large; one message at a time */
	int fds[VU_MAX_FDS];
	unsigned int nfds = 0;
	bool replied = false;
	int rc;

	memset(&m, 0, 16 + 16);
	rc = recv_header(d, &m, fds, &nfds);
	if (rc)
		return rc;
	d->messages++;
	if ((m.flags & VU_FLAG_VERSION_MASK) != VU_VERSION || (m.flags & VU_FLAG_REPLY) ||
	    (m.flags & ~(VU_FLAG_VERSION_MASK | VU_FLAG_REPLY | VU_FLAG_NEED_REPLY))) {
		kb_log("vhost-user: %s: bad header flags 0x%x (version %u)", vu_request_name(m.request),
		       m.flags, m.flags & VU_FLAG_VERSION_MASK);
		close_fds(fds, nfds);
		return -1;
	}
	if (m.size > VU_MAX_PAYLOAD) {
		kb_log("vhost-user: %s: payload size %u exceeds the limit of %u bytes",
		       vu_request_name(m.request), m.size, VU_MAX_PAYLOAD);
		close_fds(fds, nfds);
		return -1;
	}
	if (m.size && read_full(d->sock, m.p.raw, m.size)) {
		kb_log("vhost-user: %s: truncated payload (expected %u bytes)", vu_request_name(m.request),
		       m.size);
		close_fds(fds, nfds);
		return -1;
	}
	rc = handle(d, &m, fds, &nfds, &replied);
	close_fds(fds, nfds); /* whatever the handler did not take */
	if (rc) {
		/* Best effort: tell the frontend before shutting down. */
		if (!replied && (m.flags & VU_FLAG_NEED_REPLY) &&
		    (d->protocol_features & (1ull << VU_PROTO_F_REPLY_ACK)))
			send_u64(d, &m, 1);
		return -1;
	}
	if (!replied && (m.flags & VU_FLAG_NEED_REPLY) &&
	    (d->protocol_features & (1ull << VU_PROTO_F_REPLY_ACK)))
		return send_u64(d, &m, 0) ? -1 : 0;
	return 0;
}
