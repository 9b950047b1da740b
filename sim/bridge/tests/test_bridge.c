// SPDX-License-Identifier: MIT
/*
 * Unit tests of the kite-sim bridge. The test is the vhost-user FRONTEND: it talks to the
 * backend over a socketpair, uses a memfd as guest memory, lays out split virtqueues in it,
 * sends the message sequence Linux 6.1 virtio_uml sends and drives virtio_pcidev requests
 * the way virt-pci does. The backend runs in the same process (vu_process_msg() and
 * pcidev_poll_cmd() are called directly), with mock_model.c behind it.
 * Reports through sim/testlib/kite_test.h (-t PATTERN runs the matching tests); -v shows the
 * bridge's log lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "calendar.h"
#include "kite_test.h"
#include "log.h"
#include "mock_model.h"
#include "pcidev.h"
#include "simtime.h"
#include "vhost_user.h"

#define MEM_SIZE (1u << 20)
#define GPA_BASE 0x40000000ull
#define UVA_BASE 0x7f0000000000ull
#define MMAP_OFF 0x2000ull
#define QSZ 16u
#define BUF_OFF 0x10000u

static const uint32_t ring_off[2][3] = { { 0x0000, 0x1000, 0x2000 }, { 0x3000, 0x4000, 0x5000 } };

struct fe {
	int sock, be_sock;
	struct vu_dev vu;
	struct pcidev pd;
	struct kite_model *m;
	int memfd;
	uint8_t *mem;            /* whole memfd mapping */
	uint8_t *g;              /* guest memory (mem + MMAP_OFF) */
	int kick[2], call_rd[2], call_wr[2], slave[2];
	uint16_t avail_idx[2], used_seen[2], next_desc[2];
	uint32_t next_buf;
	uint64_t now;
};

/* A check that fails the current test and returns from the test function at once. */
#define CHECK(cond, ...) do { if (!(cond)) { kt_fail(__VA_ARGS__); return; } } while (0)

/* ------------------------------------------------------------------ frontend plumbing */

static int fe_send(struct fe *f, uint32_t req, uint32_t flags, const void *pl, uint32_t size,
		   const int *fds, unsigned int nfds)
{
	uint8_t buf[12 + 512];
	uint32_t h[3] = { req, flags, size };
	union {
		char c[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr a;
	} ctl;
	struct iovec iov = { buf, 12 + size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	memcpy(buf, h, 12);
	if (size)
		memcpy(buf + 12, pl, size);
	memset(&ctl, 0, sizeof(ctl));
	if (nfds) {
		mh.msg_control = ctl.c;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	return sendmsg(f->sock, &mh, 0) == (ssize_t)(12 + size) ? 0 : -1;
}

/* Non-blocking receive of one reply: 0 ok, -1 none. */
static int fe_reply(struct fe *f, uint32_t *req, uint32_t *flags, void *pl, uint32_t *size)
{
	uint32_t h[3];

	if (recv(f->sock, h, 12, MSG_DONTWAIT) != 12)
		return -1;
	*req = h[0];
	*flags = h[1];
	*size = h[2];
	if (h[2] && recv(f->sock, pl, h[2], MSG_DONTWAIT) != (ssize_t)h[2])
		return -1;
	return 0;
}

/* Send a request with NEED_REPLY, run the backend on it, expect an ack of `ack`. */
static int fe_req_ack(struct fe *f, uint32_t req, const void *pl, uint32_t size, const int *fds,
		      unsigned int nfds, uint64_t ack)
{
	uint32_t r, fl, sz;
	uint64_t v = 99;

	if (fe_send(f, req, 1 | VU_FLAG_NEED_REPLY, pl, size, fds, nfds))
		return -1;
	if (vu_process_msg(&f->vu) != (ack ? -1 : 0))
		return -2;
	if (fe_reply(f, &r, &fl, &v, &sz) || r != req || fl != (1 | VU_FLAG_REPLY) || sz != 8 || v != ack)
		return -3;
	return 0;
}

static int fe_get_u64(struct fe *f, uint32_t req, uint64_t *v)
{
	uint32_t r, fl, sz;

	if (fe_send(f, req, 1, NULL, 0, NULL, 0) || vu_process_msg(&f->vu) != 0)
		return -1;
	if (fe_reply(f, &r, &fl, v, &sz) || r != req || fl != 5 || sz != 8)
		return -2;
	return 0;
}

static void fe_free(struct fe *f)
{
	if (!f)
		return;
	vu_cleanup(&f->vu);
	if (f->m)
		kite_model_destroy(f->m);
	close(f->sock);
	close(f->be_sock);
	if (f->mem)
		munmap(f->mem, MMAP_OFF + MEM_SIZE);
	if (f->memfd >= 0)
		close(f->memfd);
	for (int i = 0; i < 2; i++) {
		if (f->kick[i] >= 0)
			close(f->kick[i]);
		if (f->call_rd[i] >= 0)
			close(f->call_rd[i]);
	}
	if (f->slave[0] >= 0)
		close(f->slave[0]);
	free(f);
}

/* Socket, memory, backend; no messages yet. */
static struct fe *fe_new(void)
{
	struct fe *f = calloc(1, sizeof(*f));
	int sv[2];

	if (!f || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	f->sock = sv[0];
	f->be_sock = sv[1];
	for (int i = 0; i < 2; i++)
		f->kick[i] = f->call_rd[i] = f->call_wr[i] = f->slave[i] = -1;
	f->memfd = memfd_create("guest", MFD_CLOEXEC);
	if (f->memfd < 0 || ftruncate(f->memfd, MMAP_OFF + MEM_SIZE))
		abort();
	f->mem = mmap(NULL, MMAP_OFF + MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	if (f->mem == MAP_FAILED)
		abort();
	f->g = f->mem + MMAP_OFF;
	kb_log_last[0] = 0;  /* the log lines a test looks at are its own */
	f->next_buf = BUF_OFF;
	f->now = 1000000000ull;
	vu_init(&f->vu, f->be_sock);
	pcidev_init(&f->pd, &f->vu, 0x10ee, 0x4b49);
	struct kite_model_config mc = { 0 };
	struct kite_mem_ops ops = pcidev_mem_ops(&f->pd);

	f->m = kite_model_create(&mc, &ops);
	pcidev_set_model(&f->pd, f->m);
	return f;
}

static int fe_handshake(struct fe *f)
{
	uint64_t v;

	if (fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0) || vu_process_msg(&f->vu))
		return -1;
	if (fe_get_u64(f, VU_GET_FEATURES, &v) || v != ((1ull << 30) | (1ull << 32)))
		return -2;
	if (fe_get_u64(f, VU_GET_PROTOCOL_FEATURES, &v) || v != ((1ull << 3) | (1ull << 5) | (1ull << 9)))
		return -3;
	v &= (1ull << 3) | (1ull << 5) | (1ull << 9) | (1ull << 14); /* what UML keeps */
	if (fe_req_ack(f, VU_SET_PROTOCOL_FEATURES, &v, 8, NULL, 0, 0))
		return -4;
	if (pipe2(f->slave, O_CLOEXEC) || fe_req_ack(f, VU_SET_SLAVE_REQ_FD, NULL, 0, &f->slave[1], 1, 0))
		return -5;
	close(f->slave[1]);
	f->slave[1] = -1;
	v = (1ull << 30) | (1ull << 32);
	if (fe_req_ack(f, VU_SET_FEATURES, &v, 8, NULL, 0, 0))
		return -6;
	return 0;
}

static int fe_mem_table(struct fe *f)
{
	uint64_t mt[1 + 2 * 4] = { 1, GPA_BASE, MEM_SIZE, UVA_BASE, MMAP_OFF }; /* as UML: room for 2 */

	return fe_req_ack(f, VU_SET_MEM_TABLE, mt, sizeof(mt), &f->memfd, 1, 0) ? -1 : 0;
}

static int fe_setup_queue(struct fe *f, unsigned int q)
{
	int pfd[2];
	uint64_t v = q;
	uint32_t st[2] = { q, QSZ };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} a = { q, 0, UVA_BASE + ring_off[q][0], UVA_BASE + ring_off[q][2], UVA_BASE + ring_off[q][1],
		~0ull };

	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK))
		return -1;
	f->call_rd[q] = pfd[0];
	if (fe_req_ack(f, VU_SET_VRING_CALL, &v, 8, &pfd[1], 1, 0))
		return -2;
	close(pfd[1]);
	if (fe_req_ack(f, VU_SET_VRING_NUM, st, 8, NULL, 0, 0))
		return -3;
	st[1] = 0;
	if (fe_req_ack(f, VU_SET_VRING_BASE, st, 8, NULL, 0, 0))
		return -4;
	if (fe_req_ack(f, VU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, 0))
		return -5;
	return 0;
}

static int fe_start_queue(struct fe *f, unsigned int q)
{
	uint64_t v = q;
	uint32_t st[2] = { q, 1 };

	f->kick[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fe_req_ack(f, VU_SET_VRING_KICK, &v, 8, &f->kick[q], 1, 0))
		return -1;
	return fe_req_ack(f, VU_SET_VRING_ENABLE, st, 8, NULL, 0, 0) ? -2 : 0;
}

/* Full UML-like bring-up. */
static struct fe *fe_up(void)
{
	struct fe *f = fe_new();

	if (fe_handshake(f) || fe_mem_table(f) || fe_setup_queue(f, 0) || fe_setup_queue(f, 1) ||
	    fe_start_queue(f, 0) || fe_start_queue(f, 1)) {
		fprintf(stderr, "setup failed: %s\n", kb_log_last);
		fe_free(f);
		return NULL;
	}
	return f;
}

static struct vring_desc *fe_desc(struct fe *f, unsigned int q)
{
	return (struct vring_desc *)(f->g + ring_off[q][0]);
}

static struct vring_avail *fe_avail(struct fe *f, unsigned int q)
{
	return (struct vring_avail *)(f->g + ring_off[q][1]);
}

static struct vring_used *fe_used(struct fe *f, unsigned int q)
{
	return (struct vring_used *)(f->g + ring_off[q][2]);
}

static uint32_t fe_alloc(struct fe *f, uint32_t len)
{
	uint32_t off = f->next_buf;

	f->next_buf += (len + 63) & ~63u;
	if (f->next_buf > MEM_SIZE - 0x1000)
		f->next_buf = BUF_OFF;
	return off;
}

struct seg {
	uint32_t off;            /* offset in guest memory */
	uint32_t len;
	int write;
};

/* Post a chain; returns its head. */
static uint16_t fe_post(struct fe *f, unsigned int q, const struct seg *s, unsigned int n)
{
	struct vring_desc *d = fe_desc(f, q);
	uint16_t head = f->next_desc[q];

	for (unsigned int i = 0; i < n; i++) {
		uint16_t id = (uint16_t)((head + i) % QSZ), nx = (uint16_t)((head + i + 1) % QSZ);

		d[id].addr = GPA_BASE + s[i].off;
		d[id].len = s[i].len;
		d[id].flags = (uint16_t)((s[i].write ? VQ_DESC_F_WRITE : 0) | (i + 1 < n ? VQ_DESC_F_NEXT : 0));
		d[id].next = i + 1 < n ? nx : 0;
	}
	f->next_desc[q] = (uint16_t)((head + n) % QSZ);
	fe_avail(f, q)->ring[f->avail_idx[q] % QSZ] = head;
	__atomic_store_n(&fe_avail(f, q)->idx, ++f->avail_idx[q], __ATOMIC_RELEASE);
	uint64_t one = 1;

	if (write(f->kick[q], &one, 8) != 8)
		abort();
	return head;
}

/* Next used entry: 1 got one. */
static int fe_get_used(struct fe *f, unsigned int q, uint32_t *id, uint32_t *len)
{
	struct vring_used *u = fe_used(f, q);

	if (__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) == f->used_seen[q])
		return 0;
	*id = u->ring[f->used_seen[q] % QSZ].id;
	*len = u->ring[f->used_seen[q] % QSZ].len;
	f->used_seen[q]++;
	return 1;
}

/* Bytes waiting in a call pipe (drained). */
static int fe_calls(struct fe *f, unsigned int q)
{
	uint8_t b[256];
	ssize_t n;
	int total = 0;

	while ((n = read(f->call_rd[q], b, sizeof(b))) > 0)
		total += (int)n;
	return total / 8;
}

static void put_hdr(uint8_t *p, uint8_t op, uint8_t bar, uint32_t size, uint64_t addr)
{
	struct pcidev_msg h = { .op = op, .bar = bar, .size = size, .addr = addr };

	memcpy(p, &h, sizeof(h));
}

/* Non-posted request (CFG_READ / MMIO_READ): header + writable buffer. Returns bytes used. */
static int fe_read(struct fe *f, uint8_t op, uint8_t bar, uint64_t addr, uint32_t size, uint32_t buflen,
		   uint8_t *out)
{
	uint32_t h = fe_alloc(f, 16), b = fe_alloc(f, buflen);
	struct seg s[2] = { { h, 16, 0 }, { b, buflen, 1 } };
	uint32_t id, len;

	put_hdr(f->g + h, op, bar, size, addr);
	memset(f->g + b, 0xee, buflen);
	uint16_t head = fe_post(f, 0, s, 2);

	if (pcidev_poll_cmd(&f->pd, f->now) != 1)
		return -1;
	if (!fe_get_used(f, 0, &id, &len) || id != head)
		return -2;
	memcpy(out, f->g + b, buflen);
	return (int)len;
}

static uint64_t rd(struct fe *f, uint8_t op, uint64_t addr, uint32_t size)
{
	uint8_t out[8] = { 0 };
	uint64_t v = 0;

	if (fe_read(f, op, 0, addr, size, 8, out) < 0)
		return 0xdeadbeefdeadbeefull;
	memcpy(&v, out, size);
	return v;
}

/* Posted write; layout 1: one descriptor (header+data), 2: header then data. */
static void fe_post_write(struct fe *f, uint8_t op, uint8_t bar, uint64_t addr, uint32_t size,
			  const void *data, uint32_t dlen, int layout)
{
	if (layout == 1) {
		uint32_t h = fe_alloc(f, 16 + dlen);
		struct seg s = { h, 16 + dlen, 0 };

		put_hdr(f->g + h, op, bar, size, addr);
		memcpy(f->g + h + 16, data, dlen);
		fe_post(f, 0, &s, 1);
	} else {
		uint32_t h = fe_alloc(f, 16), b = fe_alloc(f, dlen);
		struct seg s[2] = { { h, 16, 0 }, { b, dlen, 0 } };

		put_hdr(f->g + h, op, bar, size, addr);
		memcpy(f->g + b, data, dlen);
		fe_post(f, 0, s, 2);
	}
}

static int wr(struct fe *f, uint8_t op, uint64_t addr, uint32_t size, uint64_t val)
{
	uint32_t id, len;

	fe_post_write(f, op, 0, addr, size, &val, size, 1);
	if (pcidev_poll_cmd(&f->pd, f->now) != 1)
		return -1;
	return fe_get_used(f, 0, &id, &len) ? 0 : -2;
}

/* Let the model run a batch and the interrupt logic look at it. */
static int fe_tick(struct fe *f)
{
	kite_model_tick(f->m, 64);
	f->now += 100000; /* 100 us */
	return pcidev_irq_update(&f->pd, f->now);
}

/* Pre-post n interrupt buffers of 20 bytes (as virt-pci: MAX_IRQ_MSG_SIZE). */
static void fe_irq_bufs(struct fe *f, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct seg s = { fe_alloc(f, 20), 20, 1 };

		memset(f->g + s.off, 0, 20);
		fe_post(f, 1, &s, 1);
	}
}

/* Count INT messages returned on queue 1. */
static int fe_irq_msgs(struct fe *f)
{
	uint32_t id, len;
	int n = 0;

	while (fe_get_used(f, 1, &id, &len)) {
		struct vring_desc *d = &fe_desc(f, 1)[id];
		struct pcidev_msg m;

		memcpy(&m, f->g + (d->addr - GPA_BASE), sizeof(m));
		if (len != 16 || m.op != PCIDEV_OP_INT || m.addr != 1)
			return -100;
		n++;
	}
	return n;
}

/* Count MSI messages on queue 1; each must carry the programmed address and data. */
static int fe_msi_msgs(struct fe *f, uint64_t addr, uint16_t data)
{
	uint32_t id, len;
	int n = 0;

	while (fe_get_used(f, 1, &id, &len)) {
		struct vring_desc *d = &fe_desc(f, 1)[id];
		struct pcidev_msg m;
		uint16_t v;

		memcpy(&m, f->g + (d->addr - GPA_BASE), sizeof(m));
		memcpy(&v, f->g + (d->addr - GPA_BASE) + sizeof(m), 2);
		if (len != 18 || m.op != PCIDEV_OP_MSI || m.size != 2 || m.addr != addr || v != data)
			return -100;
		n++;
	}
	return n;
}

/* ------------------------------------------------------------------ tests */

static void t_handshake(void *arg)
{
	struct fe *f = fe_up();
	uint64_t v;
	uint8_t cfg[12 + 8] = { 0 };
	uint8_t rep[64];
	uint32_t r = 0, fl = 0, sz = 0;
	int rc = 0;

	(void)arg;
	CHECK(f, "UML bring-up sequence failed: %s", kb_log_last);
	if (fe_get_u64(f, VU_GET_QUEUE_NUM, &v) || v != 2)
		rc = 1, kt_fail("GET_QUEUE_NUM");
	/* GET_CONFIG: zeros of the asked size. */
	((uint32_t *)cfg)[1] = 8;
	if (!rc && (fe_send(f, VU_GET_CONFIG, 1, cfg, sizeof(cfg), NULL, 0) || vu_process_msg(&f->vu) ||
		    fe_reply(f, &r, &fl, rep, &sz) || sz != 20 || fl != 5 || rep[12] != 0))
		rc = 1, kt_fail("GET_CONFIG reply (size %u)", sz);
	if (!rc && fe_req_ack(f, VU_SET_CONFIG, cfg, sizeof(cfg), NULL, 0, 0))
		rc = 1, kt_fail("SET_CONFIG ack");
	/* No NEED_REPLY: no ack. */
	v = (1ull << 30) | (1ull << 32);
	if (!rc && (fe_send(f, VU_SET_FEATURES, 1, &v, 8, NULL, 0) || vu_process_msg(&f->vu) ||
		    fe_reply(f, &r, &fl, rep, &sz) == 0))
		rc = 1, kt_fail("reply without NEED_REPLY");
	if (!rc && (!vq_ready(&f->vu.vq[0]) || !vq_ready(&f->vu.vq[1]) || f->vu.nregions != 1 ||
		    f->vu.slave_fd < 0))
		rc = 1, kt_fail("queues/regions/slave fd not set up");
	fe_free(f);
}

static void t_vring_base_and_reset(void *arg)
{
	struct fe *f = fe_up();
	uint32_t st[2] = { 0, 0 }, rep[2], r, fl, sz;
	int rc = 0;

	(void)arg;
	CHECK(f, "bring-up failed");
	rd(f, PCIDEV_OP_MMIO_READ, 0, 4);
	rd(f, PCIDEV_OP_MMIO_READ, 0, 4);
	if (fe_send(f, VU_GET_VRING_BASE, 1, st, 8, NULL, 0) || vu_process_msg(&f->vu) ||
	    fe_reply(f, &r, &fl, rep, &sz) || sz != 8 || rep[0] != 0 || rep[1] != 2)
		rc = 1, kt_fail("GET_VRING_BASE returned %u/%u", rep[0], rep[1]);
	if (!rc && vq_ready(&f->vu.vq[0]))
		rc = 1, kt_fail("queue still running after GET_VRING_BASE");
	if (!rc && fe_req_ack(f, VU_RESET_OWNER, NULL, 0, NULL, 0, 0))
		rc = 1, kt_fail("RESET_OWNER");
	fe_free(f);
}

static void t_config_space(void *arg)
{
	struct fe *f = fe_up();
	uint8_t out[8];

	(void)arg;
	CHECK(f, "bring-up failed");
	do {
		uint64_t v;

		if ((v = rd(f, PCIDEV_OP_CFG_READ, 0, 4)) != 0x4b4910ee) {
			kt_fail("vendor/device 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_CFG_READ, 0, 2)) != 0x10ee || rd(f, PCIDEV_OP_CFG_READ, 2, 2) != 0x4b49) {
			kt_fail("16-bit id reads");
			break;
		}
		if ((v = rd(f, PCIDEV_OP_CFG_READ, 8, 4)) >> 8 != 0x0c0380) {
			kt_fail("class/revision 0x%" PRIx64, v);
			break;
		}
		/* Header type 0; capability list = one MSI capability (ID 5, 64-bit, 1 vector). */
		if (rd(f, PCIDEV_OP_CFG_READ, 0x0e, 1) != 0 || rd(f, PCIDEV_OP_CFG_READ, 0x34, 1) != 0x50 ||
		    !(rd(f, PCIDEV_OP_CFG_READ, 6, 2) & 0x10) || rd(f, PCIDEV_OP_CFG_READ, 0x50, 2) != 0x0005 ||
		    rd(f, PCIDEV_OP_CFG_READ, 0x52, 2) != 0x0080) {
			kt_fail("header type / capability list");
			break;
		}
		if (rd(f, PCIDEV_OP_CFG_READ, 0x3d, 1) != 1) {
			kt_fail("interrupt pin");
			break;
		}
		/* BAR sizing. */
		wr(f, PCIDEV_OP_CFG_WRITE, 0x10, 4, 0xffffffff);
		if ((v = rd(f, PCIDEV_OP_CFG_READ, 0x10, 4)) != 0xfffff000) {
			kt_fail("BAR0 sizing read 0x%" PRIx64, v);
			break;
		}
		wr(f, PCIDEV_OP_CFG_WRITE, 0x10, 4, 0xf0000000);
		if ((v = rd(f, PCIDEV_OP_CFG_READ, 0x10, 4)) != 0xf0000000) {
			kt_fail("BAR0 address 0x%" PRIx64, v);
			break;
		}
		wr(f, PCIDEV_OP_CFG_WRITE, 0x14, 4, 0xffffffff);
		wr(f, PCIDEV_OP_CFG_WRITE, 0x30, 4, 0xffffffff);
		if (rd(f, PCIDEV_OP_CFG_READ, 0x14, 4) != 0 || rd(f, PCIDEV_OP_CFG_READ, 0x30, 4) != 0) {
			kt_fail("BAR1 / ROM not zero after sizing");
			break;
		}
		wr(f, PCIDEV_OP_CFG_WRITE, 0x3c, 1, 0x2a);
		wr(f, PCIDEV_OP_CFG_WRITE, 0x04, 2, 0xffff);
		if (rd(f, PCIDEV_OP_CFG_READ, 0x3c, 2) != 0x012a || rd(f, PCIDEV_OP_CFG_READ, 0x04, 2) != 0x0546) {
			kt_fail("interrupt line / command register");
			break;
		}
		wr(f, PCIDEV_OP_CFG_WRITE, 0x00, 4, 0);
		if (rd(f, PCIDEV_OP_CFG_READ, 0, 4) != 0x4b4910ee) {
			kt_fail("IDs writable");
			break;
		}
		if (fe_read(f, PCIDEV_OP_CFG_READ, 0, 4094, 4, 8, out) != 4 || memcmp(out, "\xff\xff\xff\xff", 4)) {
			kt_fail("read past 4 KiB not all-ones");
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_mmio_read_sizes(void *arg)
{
	struct fe *f = fe_up();
	uint64_t v;

	(void)arg;
	CHECK(f, "bring-up failed");
	do {
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 0, 4)) != 0x4b495445) {
			kt_fail("4-byte read 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 1, 1)) != 0x54 || (v = rd(f, PCIDEV_OP_MMIO_READ, 3, 1)) != 0x4b) {
			kt_fail("1-byte read 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 2, 2)) != 0x4b49) {
			kt_fail("2-byte read 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 0, 8)) != 0x000100004b495445ull) {
			kt_fail("8-byte read 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 2, 4)) != 0x00004b49ull) {
			kt_fail("unaligned 4-byte read 0x%" PRIx64, v);
			break;
		}
		if ((v = rd(f, PCIDEV_OP_MMIO_READ, 1, 3)) != 0x4b4954ull) {
			kt_fail("3-byte read 0x%" PRIx64, v);
			break;
		}
		if (fe_calls(f, 0) != 0) {
			kt_fail("call fd written for polled reads");
			break;
		}
		if (f->pd.st.mmio_reads != 7) {
			kt_fail("mmio_reads counter %" PRIu64, f->pd.st.mmio_reads);
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_mmio_write_sizes(void *arg)
{
	struct fe *f = fe_up();
	uint32_t s = MOCK_SCRATCH;

	(void)arg;
	CHECK(f, "bring-up failed");
	do {
		wr(f, PCIDEV_OP_MMIO_WRITE, s, 4, 0x11223344);
		if (mock_model_peek(f->m, s) != 0x11223344 || mock_model_last_strb(f->m) != 0xf) {
			kt_fail("4-byte write");
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, s + 2, 1, 0xaa);
		if (mock_model_peek(f->m, s) != 0x11aa3344 || mock_model_last_strb(f->m) != 0x4) {
			kt_fail("1-byte write: 0x%08x strb 0x%x", mock_model_peek(f->m, s),
			        mock_model_last_strb(f->m));
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, s, 2, 0xbeef);
		if (mock_model_peek(f->m, s) != 0x11aabeef || mock_model_last_strb(f->m) != 0x3) {
			kt_fail("2-byte write");
			break;
		}
		uint64_t w0 = mock_model_writes(f->m);

		wr(f, PCIDEV_OP_MMIO_WRITE, s + 8, 8, 0x0102030405060708ull);
		if (mock_model_peek(f->m, s + 8) != 0x05060708 || mock_model_peek(f->m, s + 12) != 0x01020304 ||
		    mock_model_writes(f->m) - w0 != 2) {
			kt_fail("8-byte write");
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, s + 18, 4, 0xa1b2c3d4);
		if ((mock_model_peek(f->m, s + 16) >> 16) != 0xc3d4 || (mock_model_peek(f->m, s + 20) & 0xffff) != 0xa1b2) {
			kt_fail("unaligned 4-byte write");
			break;
		}
		if (f->pd.st.mmio_writes != 5) {
			kt_fail("mmio_writes counter");
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_posted_layouts(void *arg)
{
	struct fe *f = fe_up();
	uint32_t v1 = 0xcafe0001, v2 = 0xcafe0002, id, len;
	int n = 0, calls;

	(void)arg;
	CHECK(f, "bring-up failed");
	fe_post_write(f, PCIDEV_OP_MMIO_WRITE, 0, MOCK_SCRATCH, 4, &v1, 4, 1);
	fe_post_write(f, PCIDEV_OP_MMIO_WRITE, 0, MOCK_SCRATCH + 4, 4, &v2, 4, 2);
	int handled = pcidev_poll_cmd(&f->pd, f->now);

	while (fe_get_used(f, 0, &id, &len))
		n++;
	int early_calls = fe_calls(f, 0);

	/* Nothing more arrives: after the quiet time, one call frees the whole batch. */
	f->now += PCIDEV_POSTED_FLUSH_NS;
	pcidev_poll_cmd(&f->pd, f->now);
	calls = fe_calls(f, 0);
	f->now += PCIDEV_POSTED_FLUSH_NS;
	pcidev_poll_cmd(&f->pd, f->now);
	int late_calls = fe_calls(f, 0);
	uint32_t a = mock_model_peek(f->m, MOCK_SCRATCH), b = mock_model_peek(f->m, MOCK_SCRATCH + 4);

	fe_free(f);
	CHECK(handled == 2 && n == 2, "handled %d, %d returned on the used ring", handled, n);
	CHECK(a == v1, "one-descriptor layout wrote 0x%08x", a);
	CHECK(b == v2, "two-descriptor layout wrote 0x%08x", b);
	CHECK(early_calls == 0, "call fd written before the batch was quiet (%d)", early_calls);
	CHECK(calls == 1, "expected one coalesced call for the batch, got %d", calls);
	CHECK(late_calls == 0, "signalled again with nothing new (%d)", late_calls);
}

static void t_memset_quirk(void *arg)
{
	struct fe *f = fe_up();
	uint8_t fill = 0xab;
	uint32_t id, len, a, b, c, d;
	uint64_t logs;

	(void)arg;
	CHECK(f, "bring-up failed");
	/* 6.1 um_pci_bar_set: op CFG_WRITE, bar set, size = count, 1 data byte (24-byte message). */
	uint8_t msg[8] = { 0xab };

	fe_post_write(f, PCIDEV_OP_CFG_WRITE, 0, MOCK_SCRATCH + 0x20, 16, msg, 8, 1);
	fe_post_write(f, PCIDEV_OP_MMIO_MEMSET, 0, MOCK_SCRATCH + 0x31, 2, &fill, 1, 1);
	logs = kb_log_count;
	fe_post_write(f, PCIDEV_OP_CFG_WRITE, 2, 0, 16, msg, 8, 1); /* BAR2: none */
	int handled = pcidev_poll_cmd(&f->pd, f->now);

	while (fe_get_used(f, 0, &id, &len))
		;
	a = mock_model_peek(f->m, MOCK_SCRATCH + 0x20);
	b = mock_model_peek(f->m, MOCK_SCRATCH + 0x2c);
	c = mock_model_peek(f->m, MOCK_SCRATCH + 0x30);
	d = rd(f, PCIDEV_OP_CFG_READ, 0, 4);
	uint64_t memsets = f->pd.st.memsets, cfgw = f->pd.st.cfg_writes, nl = kb_log_count - logs;

	fe_free(f);
	CHECK(handled == 3, "handled %d", handled);
	CHECK(a == 0xabababab && b == 0xabababab, "memset quirk wrote 0x%08x..0x%08x", a, b);
	CHECK(c == 0x00abab00, "MMIO_MEMSET wrote 0x%08x", c);
	CHECK(d == 0x4b4910ee, "config space changed by memset");
	CHECK(memsets == 3 && cfgw == 0, "memsets=%" PRIu64 " cfg_writes=%" PRIu64, memsets, cfgw);
	CHECK(nl == 1, "expected one log line for the BAR2 memset, got %" PRIu64, nl);
}

static void t_bad_bar(void *arg)
{
	struct fe *f = fe_up();
	uint8_t out[8];
	uint64_t logs = kb_log_count, w0;

	(void)arg;
	CHECK(f, "bring-up failed");
	do {
		if (fe_read(f, PCIDEV_OP_MMIO_READ, 1, 0, 4, 4, out) != 4 || memcmp(out, "\xff\xff\xff\xff", 4)) {
			kt_fail("BAR1 read not all-ones");
			break;
		}
		if (fe_read(f, PCIDEV_OP_MMIO_READ, 0, 0xffe, 4, 4, out) != 4 || memcmp(out, "\xff\xff\xff\xff", 4)) {
			kt_fail("read across the end of BAR0 not all-ones");
			break;
		}
		w0 = mock_model_writes(f->m);
		wr(f, PCIDEV_OP_MMIO_WRITE, 0x1000, 4, 1);
		wr(f, PCIDEV_OP_MMIO_WRITE, 0x2000, 4, 1);
		if (mock_model_writes(f->m) != w0) {
			kt_fail("out-of-range write reached the model");
			break;
		}
		if (kb_log_count - logs != 2) {
			kt_fail("expected 2 log lines (read once, write once), got %" PRIu64,
			        kb_log_count - logs);
			break;
		}
		/* The model answers 0x800+ with an error response: all-ones, counted. */
		if (rd(f, PCIDEV_OP_MMIO_READ, 0x800, 4) != 0xffffffff || f->pd.st.reg_errors != 1) {
			kt_fail("register error response not all-ones/counted");
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_dma(void *arg)
{
	struct fe *f = fe_up();
	uint32_t off = 0x80000;

	(void)arg;
	CHECK(f, "bring-up failed");
	do {
		/* write pattern into guest memory */
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_ADDR_LO, 8, GPA_BASE + off);
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_LEN, 4, 64);
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_CTRL, 4, 2);
		fe_tick(f);
		if (rd(f, PCIDEV_OP_MMIO_READ, MOCK_DMA_RESULT, 4) != 0 || f->g[off + 3] != (3 ^ 0x5a) ||
		    f->g[off + 63] != (63 ^ 0x5a)) {
			kt_fail("DMA write into guest memory");
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_CTRL, 4, 1);
		fe_tick(f);
		uint32_t sum = 0;

		for (int i = 0; i < 64; i++)
			sum += (uint32_t)(i ^ 0x5a);
		if (rd(f, PCIDEV_OP_MMIO_READ, MOCK_DMA_SUM, 4) != sum) {
			kt_fail("DMA read sum");
			break;
		}
		/* Outside every region: below, straddling the end, far above. */
		static const uint64_t bad[] = { 0x1000, GPA_BASE + MEM_SIZE - 32, 0xffffffffffffff00ull };

		for (unsigned int i = 0; i < 3; i++) {
			char want[32];

			wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_ADDR_LO, 8, bad[i]);
			wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_DMA_CTRL, 4, i == 1 ? 1 : 2);
			fe_tick(f);
			snprintf(want, sizeof(want), "0x%" PRIx64, bad[i]);
			if (rd(f, PCIDEV_OP_MMIO_READ, MOCK_DMA_RESULT, 4) != 1 || !strstr(kb_log_last, want)) {
				kt_fail("bad DMA %u: no error response or log (%s)", i, kb_log_last);
				break;
			}
		}
		if (kt_failed())
			break;
		if (f->pd.st.dma_errors != 3 || f->pd.st.dma_read_bytes != 64 || f->pd.st.dma_write_bytes != 64) {
			kt_fail("DMA counters errors=%" PRIu64 " read=%" PRIu64 " write=%" PRIu64,
			        f->pd.st.dma_errors, f->pd.st.dma_read_bytes, f->pd.st.dma_write_bytes);
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_irq_level(void *arg)
{
	struct fe *f = fe_up();
	int n;

	(void)arg;
	CHECK(f, "bring-up failed");
	fe_irq_bufs(f, 10);
	do {
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_ENABLE, 4, 3);
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 0) {
			kt_fail("interrupt while the line is low (%d)", n);
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_SET, 4, 3); /* two causes */
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 1 || fe_calls(f, 1) != 1) {
			kt_fail("rising edge: %d messages", n);
			break;
		}
		fe_tick(f);
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 0) {
			kt_fail("re-sent without a guest write (%d)", n);
			break;
		}
		/* The handler acknowledges one cause: still high, so re-send. */
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 1);
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 1) {
			kt_fail("no re-send after an ack while high (%d)", n);
			break;
		}
		/* Acknowledges the other: low, nothing more. */
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 2);
		fe_tick(f);
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_SCRATCH, 4, 2);
		fe_tick(f);
		f->now += 50000000;
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 0) {
			kt_fail("sent after the line dropped (%d)", n);
			break;
		}
		/* Stuck high with no MMIO: fallback after ~10 ms. */
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_SET, 4, 1);
		fe_tick(f);
		fe_tick(f);
		n = fe_irq_msgs(f);
		f->now += 11000000;
		fe_tick(f);
		int n2 = fe_irq_msgs(f);

		if (n != 1 || n2 != 1) {
			kt_fail("fallback re-send: edge %d, after 11 ms %d", n, n2);
			break;
		}
		/* INTx disable in the command register masks the line. */
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 3);
		fe_tick(f);
		wr(f, PCIDEV_OP_CFG_WRITE, 0x04, 2, 0x0406);
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_SET, 4, 1);
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 0 || !(rd(f, PCIDEV_OP_CFG_READ, 6, 2) & 0x8)) {
			kt_fail("INTx disable: %d messages / status bit", n);
			break;
		}
		wr(f, PCIDEV_OP_CFG_WRITE, 0x04, 2, 0x0006);
		fe_tick(f);
		if ((n = fe_irq_msgs(f)) != 1) {
			kt_fail("INTx re-enable: %d messages", n);
			break;
		}
	} while (0);
	fe_free(f);
}

/* With MSI enabled (and INTx disabled, as Linux does), the line becomes MSI messages. */
static void t_irq_msi(void *arg)
{
	struct fe *f = fe_up();
	int n;

	(void)arg;
	CHECK(f, "bring-up failed");
	fe_irq_bufs(f, 10);
	do {
		wr(f, PCIDEV_OP_CFG_WRITE, 0x54, 4, 0x000a0000);  /* address low */
		wr(f, PCIDEV_OP_CFG_WRITE, 0x58, 4, 0);           /* address high */
		wr(f, PCIDEV_OP_CFG_WRITE, 0x5c, 2, 42);          /* data: the Linux IRQ number */
		wr(f, PCIDEV_OP_CFG_WRITE, 0x52, 2, 0x0001);      /* MSI enable */
		wr(f, PCIDEV_OP_CFG_WRITE, 0x04, 2, 0x0406);      /* INTx disable */
		if (rd(f, PCIDEV_OP_CFG_READ, 0x52, 2) != 0x0081 || !pcidev_msi_enabled(&f->pd)) {
			kt_fail("MSI enable did not stick");
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_ENABLE, 4, 3);
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_SET, 4, 3);
		fe_tick(f);
		if ((n = fe_msi_msgs(f, 0xa0000, 42)) != 1) {
			kt_fail("rising edge: %d MSI messages", n);
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 1);
		fe_tick(f);
		if ((n = fe_msi_msgs(f, 0xa0000, 42)) != 1) {
			kt_fail("no re-send after an ack while high (%d)", n);
			break;
		}
		wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 2);
		fe_tick(f);
		f->now += 50000000;
		fe_tick(f);
		if ((n = fe_msi_msgs(f, 0xa0000, 42)) != 0) {
			kt_fail("sent after the line dropped (%d)", n);
			break;
		}
	} while (0);
	fe_free(f);
}

static void t_irq_pending(void *arg)
{
	struct fe *f = fe_up();
	int n1, n2, n3;

	(void)arg;
	CHECK(f, "bring-up failed");
	wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_ENABLE, 4, 1);
	wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_SET, 4, 1);
	fe_tick(f);
	fe_tick(f);
	n1 = fe_irq_msgs(f);
	bool pending = f->pd.irq_pending;

	/* The line drops before a buffer is there: the message is still delivered (never lost). */
	wr(f, PCIDEV_OP_MMIO_WRITE, MOCK_INT_STATUS, 4, 1);
	fe_tick(f);
	fe_irq_bufs(f, 2);
	fe_tick(f);
	n2 = fe_irq_msgs(f);
	fe_tick(f);
	n3 = fe_irq_msgs(f);
	fe_free(f);
	CHECK(n1 == 0 && pending, "without buffers: %d messages, pending %d", n1, pending);
	CHECK(n2 == 1, "after a buffer appeared: %d messages", n2);
	CHECK(n3 == 0, "sent again: %d", n3);
}

/* ---- malformed input: each must give -1 and a log line, never a crash */

/* The next message must fail with a log line containing needle; returns 1 (and fails the test) if not. */
static int expect_fail(struct fe *f, const char *what, const char *needle)
{
	int rc = vu_process_msg(&f->vu);

	if (rc != -1) {
		kt_fail("%s: vu_process_msg returned %d", what, rc);
		return 1;
	}
	if (needle && !strstr(kb_log_last, needle)) {
		kt_fail("%s: log line \"%s\" lacks \"%s\"", what, kb_log_last, needle);
		return 1;
	}
	return 0;
}

static void t_bad_truncated_header(void *arg)
{
	struct fe *f = fe_new();
	uint32_t h[2] = { VU_SET_OWNER, 1 };

	(void)arg;
	if (write(f->sock, h, 6) != 6)
		abort();
	shutdown(f->sock, SHUT_WR);
	expect_fail(f, "truncated header", "truncated");
	fe_free(f);
}

static void t_bad_truncated_payload(void *arg)
{
	struct fe *f = fe_new();
	uint32_t h[4] = { VU_SET_FEATURES, 1, 8, 0 };

	(void)arg;
	if (write(f->sock, h, 16) != 16)
		abort();
	shutdown(f->sock, SHUT_WR);
	expect_fail(f, "truncated payload", "SET_FEATURES");
	fe_free(f);
}

static void t_bad_size(void *arg)
{
	struct fe *f = fe_new();
	uint32_t v = 0;
	uint32_t big[3] = { VU_SET_FEATURES, 1, 100000 };
	int rc;

	(void)arg;
	fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0);
	vu_process_msg(&f->vu);
	fe_send(f, VU_SET_FEATURES, 1, &v, 4, NULL, 0);
	rc = expect_fail(f, "SET_FEATURES with 4 bytes", "SET_FEATURES: payload of 4 bytes");
	if (!rc) {
		if (write(f->sock, big, 12) != 12)
			abort();
		rc = expect_fail(f, "huge payload size", "exceeds");
	}
	fe_free(f);
}

static void t_bad_fd_count(void *arg)
{
	struct fe *f = fe_new();
	uint64_t v = 0;
	int rc, fds[2];

	(void)arg;
	fe_handshake(f);
	fe_send(f, VU_SET_VRING_CALL, 1, &v, 8, NULL, 0);
	rc = expect_fail(f, "SET_VRING_CALL without fd", "SET_VRING_CALL: expected 1 file descriptor");
	if (!rc) {
		uint64_t mt[9] = { 1, GPA_BASE, MEM_SIZE, UVA_BASE, MMAP_OFF };

		fds[0] = f->memfd;
		fds[1] = f->memfd;
		fe_send(f, VU_SET_MEM_TABLE, 1, mt, sizeof(mt), fds, 2);
		rc = expect_fail(f, "SET_MEM_TABLE 1 region 2 fds", "SET_MEM_TABLE: 1 regions but 2");
	}
	if (!rc) {
		fds[0] = dup(f->memfd);
		fe_send(f, VU_GET_FEATURES, 1, NULL, 0, fds, 1);
		close(fds[0]);
		rc = expect_fail(f, "GET_FEATURES with an fd", "GET_FEATURES: expected 0 file descriptors");
	}
	fe_free(f);
}

static void t_bad_ring_addr(void *arg)
{
	struct fe *f = fe_new();
	uint32_t st[2] = { 0, QSZ };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} a = { 0, 0, UVA_BASE + MEM_SIZE - 64, UVA_BASE + 0x2000, UVA_BASE + 0x1000, 0 };
	int rc = 1;

	(void)arg;
	if (!fe_handshake(f) && !fe_mem_table(f) && !fe_req_ack(f, VU_SET_VRING_NUM, st, 8, NULL, 0, 0)) {
		/* desc table runs past the end of memory; a REPLY_ACK request gets a non-zero ack */
		rc = fe_req_ack(f, VU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0, 1) ? 1 : 0;
		if (rc)
			kt_fail("no failure/non-zero ack (log: %s)", kb_log_last);
		else if (!strstr(kb_log_last, "outside"))
			rc = 1, kt_fail("log: %s", kb_log_last);
		if (!rc) {
			a.desc = GPA_BASE; /* a guest address is not a user address here */
			fe_send(f, VU_SET_VRING_ADDR, 1, &a, sizeof(a), NULL, 0);
			rc = expect_fail(f, "ring at a non-user address", "SET_VRING_ADDR");
		}
	} else {
		kt_fail("setup failed: %s", kb_log_last);
	}
	fe_free(f);
}

static void t_bad_ring_size_and_index(void *arg)
{
	struct fe *f = fe_new();
	uint32_t st[2] = { 0, 24 };
	int rc;

	(void)arg;
	fe_handshake(f);
	fe_mem_table(f);
	fe_send(f, VU_SET_VRING_NUM, 1, st, 8, NULL, 0);
	rc = expect_fail(f, "ring size 24", "power of 2");
	st[1] = 65536;
	if (!rc) {
		fe_send(f, VU_SET_VRING_NUM, 1, st, 8, NULL, 0);
		rc = expect_fail(f, "ring size 65536", "power of 2");
	}
	st[0] = 2;
	st[1] = 16;
	if (!rc) {
		fe_send(f, VU_SET_VRING_NUM, 1, st, 8, NULL, 0);
		rc = expect_fail(f, "queue index 2", "queue index 2 out of range");
	}
	if (!rc) {
		uint64_t v = 5;
		int e = eventfd(0, 0);

		fe_send(f, VU_SET_VRING_KICK, 1, &v, 8, &e, 1);
		close(e);
		rc = expect_fail(f, "kick for queue 5", "SET_VRING_KICK: queue index 5");
	}
	fe_free(f);
}

static void t_bad_unknown_request(void *arg)
{
	struct fe *f = fe_new();
	int rc;

	(void)arg;
	fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0);
	vu_process_msg(&f->vu);
	fe_send(f, 99, 1, NULL, 0, NULL, 0);
	rc = expect_fail(f, "request 99", "unsupported request 99");
	if (!rc) {
		fe_send(f, VU_SET_OWNER, 2, NULL, 0, NULL, 0);
		rc = expect_fail(f, "version 2", "bad header flags");
	}
	if (!rc) {
		fe_send(f, VU_SET_LOG_BASE, 1, NULL, 0, NULL, 0);
		rc = expect_fail(f, "SET_LOG_BASE", "SET_LOG_BASE");
	}
	fe_free(f);
}

static void t_bad_before_owner(void *arg)
{
	struct fe *f = fe_new();
	uint32_t st[2] = { 0, 16 };

	(void)arg;
	fe_send(f, VU_SET_VRING_NUM, 1, st, 8, NULL, 0);
	expect_fail(f, "SET_VRING_NUM before SET_OWNER", "before SET_OWNER");
	fe_free(f);
}

static void t_bad_descriptor_oob(void *arg)
{
	struct fe *f = fe_up();
	struct seg s = { MEM_SIZE - 8, 16, 0 };
	int rc;

	(void)arg;
	CHECK(f, "bring-up failed");
	fe_post(f, 0, &s, 1);
	rc = pcidev_poll_cmd(&f->pd, f->now);
	fe_free(f);
	CHECK(rc == -1, "descriptor past the end of memory: %d", rc);
	CHECK(strstr(kb_log_last, "outside the memory regions"), "log: %s", kb_log_last);
}

static void t_bad_descriptor_loop(void *arg)
{
	struct fe *f = fe_up();
	struct vring_desc *d;
	int rc;

	(void)arg;
	CHECK(f, "bring-up failed");
	struct seg s[2] = { { BUF_OFF, 16, 0 }, { BUF_OFF + 64, 4, 0 } };

	fe_post(f, 0, s, 2);
	d = fe_desc(f, 0);
	d[1].flags = VQ_DESC_F_NEXT;
	d[1].next = 0; /* 0 -> 1 -> 0 */
	rc = pcidev_poll_cmd(&f->pd, f->now);
	fe_free(f);
	CHECK(rc == -1, "descriptor loop: %d", rc);
	CHECK(strstr(kb_log_last, "loop") || strstr(kb_log_last, "segments"), "log: %s", kb_log_last);
}

static void t_bad_descriptor_misc(void *arg)
{
	struct fe *f = fe_up();
	struct seg s = { BUF_OFF, 16, 0 };
	int rc1, rc2, rc3;
	char l1[256], l2[256];

	(void)arg;
	CHECK(f, "bring-up failed");
	fe_post(f, 0, &s, 1);
	fe_desc(f, 0)[0].flags = VQ_DESC_F_INDIRECT;
	rc1 = pcidev_poll_cmd(&f->pd, f->now);
	snprintf(l1, sizeof(l1), "%s", kb_log_last);
	fe_free(f);

	f = fe_up();
	CHECK(f, "bring-up failed");
	struct seg s2[2] = { { BUF_OFF, 16, 0 }, { BUF_OFF + 64, 4, 0 } };

	fe_post(f, 0, s2, 2);
	fe_desc(f, 0)[0].next = 40; /* out of range */
	rc2 = pcidev_poll_cmd(&f->pd, f->now);
	snprintf(l2, sizeof(l2), "%s", kb_log_last);
	fe_free(f);

	f = fe_up();
	CHECK(f, "bring-up failed");
	__atomic_store_n(&fe_avail(f, 0)->idx, 40, __ATOMIC_RELEASE); /* more than the ring holds */
	rc3 = pcidev_poll_cmd(&f->pd, f->now);
	fe_free(f);
	CHECK(rc1 == -1 && strstr(l1, "indirect"), "indirect: %d %s", rc1, l1);
	CHECK(rc2 == -1 && strstr(l2, "out of range"), "next out of range: %d %s", rc2, l2);
	CHECK(rc3 == -1 && strstr(kb_log_last, "jumped"), "avail index jump: %d %s", rc3, kb_log_last);
}

static void t_bad_pcidev_request(void *arg)
{
	struct fe *f = fe_up();
	uint32_t id = 0, len = 0;
	uint8_t out[8];
	int rc;

	(void)arg;
	CHECK(f, "bring-up failed");
	/* Short header: not fatal, returned with length 0. */
	struct seg s = { BUF_OFF, 8, 0 };

	fe_post(f, 0, &s, 1);
	rc = pcidev_poll_cmd(&f->pd, f->now);
	int got = fe_get_used(f, 0, &id, &len);
	/* Unknown op with a reply buffer: all-ones. */
	int n = fe_read(f, 42, 0, 0, 4, 4, out);
	/* Read whose reply buffer is too small. */
	uint8_t out2[8];
	int n2 = fe_read(f, PCIDEV_OP_MMIO_READ, 0, 0, 8, 4, out2);
	uint64_t bad = f->pd.st.bad_requests;

	fe_free(f);
	CHECK(rc == 1 && got && len == 0, "short request: rc %d used %d len %u", rc, got, len);
	CHECK(n == 4 && !memcmp(out, "\xff\xff\xff\xff", 4), "unknown op returned %d", n);
	CHECK(n2 == 0, "too-small reply buffer: %d bytes written", n2);
	CHECK(bad == 3, "bad_requests %" PRIu64, bad);
}

static void t_disconnect(void *arg)
{
	struct fe *f = fe_up();
	int rc;

	(void)arg;
	CHECK(f, "bring-up failed");
	shutdown(f->sock, SHUT_RDWR);
	rc = vu_process_msg(&f->vu);
	fe_free(f);
	CHECK(rc == 1, "EOF gave %d, expected 1 (clean disconnect)", rc);
}

static void t_mem_table_replace(void *arg)
{
	struct fe *f = fe_up();
	int rc;

	(void)arg;
	CHECK(f, "bring-up failed");
	/* A second table keeping the rings valid is accepted; MMIO still works after it. */
	rc = fe_mem_table(f);
	uint64_t v = rd(f, PCIDEV_OP_MMIO_READ, 0, 4);

	fe_free(f);
	CHECK(rc == 0 && v == 0x4b495445, "replace table rc %d read 0x%" PRIx64, rc, v);
}

/* ---- in-band notifications and the time-travel calendar (kite-sim --time-travel) */

static unsigned int kicked_mask;

static void on_kick_record(void *arg, unsigned int q)
{
	(void)arg;
	kicked_mask |= 1u << q;
}

static void t_inband_kick(void *arg)
{
	struct fe *f = fe_new();
	uint64_t v;
	uint32_t st[2] = { 0, 0 };
	int rc;

	(void)arg;
	/* not offered without --time-travel; a VRING_KICK then is a protocol error */
	if (fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0) || vu_process_msg(&f->vu) ||
	    fe_get_u64(f, VU_GET_PROTOCOL_FEATURES, &v)) {
		fe_free(f);
		CHECK(0, "handshake failed");
	}
	if (v & (1ull << VU_PROTO_F_INBAND_NOTIFICATIONS)) {
		fe_free(f);
		CHECK(0, "in-band notifications offered without --time-travel (0x%" PRIx64 ")", v);
	}
	fe_free(f);

	f = fe_new();
	f->vu.offer_inband = true;
	f->vu.on_kick = on_kick_record;
	kicked_mask = 0;
	if (fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0) || vu_process_msg(&f->vu) ||
	    fe_get_u64(f, VU_GET_PROTOCOL_FEATURES, &v)) {
		fe_free(f);
		CHECK(0, "handshake failed");
	}
	if (!(v & (1ull << VU_PROTO_F_INBAND_NOTIFICATIONS))) {
		fe_free(f);
		CHECK(0, "in-band notifications not offered with --time-travel (0x%" PRIx64 ")", v);
	}
	/* before the feature is accepted, a VRING_KICK is refused */
	fe_send(f, VU_VRING_KICK, 1, st, 8, NULL, 0);
	if (expect_fail(f, "kick without the feature", "INBAND_NOTIFICATIONS")) {
		fe_free(f);
		return;
	}
	fe_free(f);

	f = fe_new();
	f->vu.offer_inband = true;
	f->vu.on_kick = on_kick_record;
	kicked_mask = 0;
	v = (1ull << 3) | (1ull << 5) | (1ull << 9) | (1ull << 14);
	rc = fe_send(f, VU_SET_OWNER, 1, NULL, 0, NULL, 0) || vu_process_msg(&f->vu) ||
	     fe_req_ack(f, VU_SET_PROTOCOL_FEATURES, &v, 8, NULL, 0, 0);
	if (!rc) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			abort();
		rc = fe_req_ack(f, VU_SET_SLAVE_REQ_FD, NULL, 0, &sv[1], 1, 0);
		close(sv[1]);
		f->slave[0] = sv[0];
	}
	if (rc || !vu_inband(&f->vu)) {
		fe_free(f);
		CHECK(0, "in-band setup failed (rc %d): %s", rc, kb_log_last);
	}
	/* a kick for queue 1, acknowledged after the hook ran */
	st[0] = 1;
	rc = fe_req_ack(f, VU_VRING_KICK, st, 8, NULL, 0, 0);
	unsigned int mask = kicked_mask;

	fe_free(f);
	CHECK(rc == 0 && mask == 2, "VRING_KICK q1: rc %d, kicked mask 0x%x", rc, mask);
}

/* A SLAVE_VRING_CALL goes out and waits for the frontend's answer. */
static void t_inband_call(void *arg)
{
	struct {
		uint32_t request, flags, size;
		uint32_t index, num;
	} __attribute__((packed)) req;
	struct {
		uint32_t request, flags, size;
		uint64_t status;
	} __attribute__((packed)) ack = { VU_SLAVE_VRING_CALL, 1 | VU_FLAG_REPLY, 8, 0 };
	struct vu_dev d;
	int sv[2], rc1, rc2, rc3;

	(void)arg;
	vu_init(&d, -1);
	rc1 = vu_inband_call(&d, 1); /* no slave channel: an error, not a hang */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	d.slave_fd = sv[1];
	/* the answer is queued first: the call reads it after sending */
	if (write(sv[0], &ack, sizeof(ack)) != sizeof(ack))
		abort();
	rc2 = vu_inband_call(&d, 1);
	ssize_t n = read(sv[0], &req, sizeof(req));
	/* a refusal (status 1) is an error */
	ack.status = 1;
	if (write(sv[0], &ack, sizeof(ack)) != sizeof(ack))
		abort();
	rc3 = vu_inband_call(&d, 0);
	char last[sizeof(kb_log_last)];

	snprintf(last, sizeof(last), "%s", kb_log_last);
	close(sv[0]);
	vu_cleanup(&d);
	CHECK(rc1 == -1, "call without a slave channel: rc %d", rc1);
	CHECK(rc2 == 0 && n == sizeof(req), "call: rc %d, read %zd", rc2, n);
	CHECK(req.request == VU_SLAVE_VRING_CALL && req.flags == (1 | VU_FLAG_NEED_REPLY) &&
	      req.size == 8 && req.index == 1, "request %u flags 0x%x size %u index %u", req.request,
	      req.flags, req.size, req.index);
	CHECK(rc3 == -1 && strstr(last, "SLAVE_VRING_CALL"), "refused call: rc %d, log \"%s\"", rc3,
	      last);
}

/* The guest's side of the calendar socket. */
static void g_send(int fd, uint32_t op, uint32_t seq, uint64_t time)
{
	struct cal_msg m = { op, seq, time };

	if (write(fd, &m, sizeof(m)) != sizeof(m))
		abort();
}

static int g_recv(int fd, struct cal_msg *m)
{
	return read(fd, m, sizeof(*m)) == sizeof(*m) ? 0 : -1;
}

static void upd_record(void *arg, uint64_t t)
{
	*(uint64_t *)arg = t;
}

/* A calendar whose guest end is sv[0]. */
static void cal_pair(struct calendar *c, int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	cal_init(c);
	c->fd = sv[1];
}

static void t_calendar_protocol(void *arg)
{
	struct calendar c;
	struct cal_msg m;
	uint64_t updated = 0;
	int sv[2], rc;

	(void)arg;
	cal_pair(&c, sv);
	c.on_update = upd_record;
	c.arg = &updated;
	/* START, GET_TOD, GET: each acknowledged with its seq; the date is fixed */
	g_send(sv[0], CAL_START, 1, 7);
	rc = cal_serve(&c);
	CHECK(rc == 0 && !g_recv(sv[0], &m) && m.op == CAL_ACK && m.seq == 1, "START: rc %d", rc);
	g_send(sv[0], CAL_GET_TOD, 2, 0);
	cal_serve(&c);
	CHECK(!g_recv(sv[0], &m) && m.op == CAL_ACK && m.seq == 2 &&
	      m.time == 1767225600ull * 1000000000ull, "GET_TOD answered %" PRIu64, m.time);
	c.now = 5000;
	g_send(sv[0], CAL_GET, 3, 0);
	cal_serve(&c);
	CHECK(!g_recv(sv[0], &m) && m.seq == 3 && m.time == 5000, "GET answered %" PRIu64, m.time);
	/* REQUEST and WAIT: the guest waits for 9000 */
	g_send(sv[0], CAL_REQUEST, 4, 9000);
	cal_serve(&c);
	g_recv(sv[0], &m);
	g_send(sv[0], CAL_WAIT, 5, 0);
	cal_serve(&c);
	g_recv(sv[0], &m);
	CHECK(c.waiting && c.req == 9000, "after REQUEST+WAIT: waiting %d req %" PRIu64, c.waiting,
	      c.req);
	/* RUN: the guest's ACK is queued first (seq 1: the calendar's first own message); a
	 * request of the guest's that crosses it is served on the way */
	g_send(sv[0], CAL_UPDATE, 6, 9000);
	g_send(sv[0], CAL_ACK, 1, 0);
	rc = cal_run(&c, 9000);
	CHECK(rc == 0 && !c.waiting && c.now == 9000 && updated == 0,
	      "RUN: rc %d waiting %d now %" PRIu64 " updated %" PRIu64, rc, c.waiting, c.now,
	      updated);
	g_recv(sv[0], &m);
	CHECK(m.op == CAL_RUN && m.seq == 1 && m.time == 9000, "RUN message op %u seq %u time %"
	      PRIu64, m.op, m.seq, m.time);
	g_recv(sv[0], &m);
	CHECK(m.op == CAL_ACK && m.seq == 6, "UPDATE not acknowledged (op %u seq %u)", m.op, m.seq);
	/* an UPDATE past `now` brings the hardware there first */
	g_send(sv[0], CAL_UPDATE, 7, 12000);
	cal_serve(&c);
	CHECK(updated == 12000 && c.now == 12000, "UPDATE 12000: hook %" PRIu64 " now %" PRIu64,
	      updated, c.now);
	close(sv[0]);
	CHECK(cal_serve(&c) == 1, "a closed socket is not reported as closed");
	cal_close(&c);
}

static void t_calendar_bad(void *arg)
{
	static const struct {
		const char *what, *needle;
		uint32_t op;
		bool waiting;
	} cases[] = {
		{ "unknown op", "unexpected message", 99, false },
		{ "FREE_UNTIL from the guest", "unexpected message", CAL_FREE_UNTIL, false },
		{ "stray ACK", "ACK", CAL_ACK, false },
		{ "WAIT twice", "WAIT while already waiting", CAL_WAIT, true },
	};

	(void)arg;
	for (unsigned int i = 0; i < KT_ARRAY_SIZE(cases); i++) {
		struct calendar c;
		int sv[2];

		cal_pair(&c, sv);
		c.waiting = cases[i].waiting;
		g_send(sv[0], cases[i].op, 1, 0);
		int rc = cal_serve(&c);

		close(sv[0]);
		cal_close(&c);
		CHECK(rc == -1 && strstr(kb_log_last, cases[i].needle), "%s: rc %d, log \"%s\"",
		      cases[i].what, rc, kb_log_last);
	}
	/* a message cut short */
	struct calendar c;
	int sv[2];

	cal_pair(&c, sv);
	if (write(sv[0], "\x02\0\0\0", 4) != 4)
		abort();
	close(sv[0]);
	int rc = cal_serve(&c);

	cal_close(&c);
	CHECK(rc == -1 && strstr(kb_log_last, "failed in a message"), "truncated: rc %d log \"%s\"",
	      rc, kb_log_last);
	/* RUN for a guest that does not wait is refused */
	cal_init(&c);
	CHECK(cal_run(&c, 10) == -1, "RUN to a running guest accepted");
}

static const struct kt_case tests[] = {
	{ "bridge-vhost-handshake", t_handshake },
	{ "bridge-vhost-vring-base-reset", t_vring_base_and_reset },
	{ "bridge-vhost-mem-table-replace", t_mem_table_replace },
	{ "bridge-config-space", t_config_space },
	{ "bridge-mmio-read-sizes", t_mmio_read_sizes },
	{ "bridge-mmio-write-sizes", t_mmio_write_sizes },
	{ "bridge-posted-write-layouts", t_posted_layouts },
	{ "bridge-memset-quirk", t_memset_quirk },
	{ "bridge-bar-out-of-range", t_bad_bar },
	{ "bridge-dma", t_dma },
	{ "bridge-irq-level", t_irq_level },
	{ "bridge-irq-msi", t_irq_msi },
	{ "bridge-irq-pending-no-buffer", t_irq_pending },
	{ "bridge-bad-truncated-header", t_bad_truncated_header },
	{ "bridge-bad-truncated-payload", t_bad_truncated_payload },
	{ "bridge-bad-size", t_bad_size },
	{ "bridge-bad-fd-count", t_bad_fd_count },
	{ "bridge-bad-ring-address", t_bad_ring_addr },
	{ "bridge-bad-ring-size-index", t_bad_ring_size_and_index },
	{ "bridge-bad-unknown-request", t_bad_unknown_request },
	{ "bridge-bad-before-owner", t_bad_before_owner },
	{ "bridge-bad-descriptor-oob", t_bad_descriptor_oob },
	{ "bridge-bad-descriptor-loop", t_bad_descriptor_loop },
	{ "bridge-bad-descriptor-misc", t_bad_descriptor_misc },
	{ "bridge-bad-pcidev-request", t_bad_pcidev_request },
	{ "bridge-disconnect", t_disconnect },
	{ "bridge-inband-kick", t_inband_kick },
	{ "bridge-inband-call", t_inband_call },
	{ "bridge-calendar-protocol", t_calendar_protocol },
	{ "bridge-calendar-bad", t_calendar_bad },
};

int main(int argc, char **argv)
{
	kt_init(&argc, argv);
	kb_log_quiet = !(argc > 1 && !strcmp(argv[1], "-v"));
	kt_run(tests, KT_ARRAY_SIZE(tests), NULL);
	return kt_finish();
}
