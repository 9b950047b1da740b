// SPDX-License-Identifier: MIT
#include "pcidev.h"

#include <inttypes.h>
#include <string.h>

#define CMD_MEM 0x0002u
#define CMD_MASTER 0x0004u
#define CMD_PARITY 0x0040u
#define CMD_SERR 0x0100u
#define CMD_INTX_DISABLE 0x0400u
#define STATUS_INTERRUPT 0x0008u
#define STATUS_CAP_LIST 0x0010u

/*
 * MSI capability (one vector, 64-bit address). UML's virt-pci in Linux 6.1 allocates the INTx
 * interrupt without an irq_chip, so request_irq() on it fails with -ENOSYS; MSI goes through
 * its MSI domain and works. INTx stays for guests that do not enable MSI.
 */
#define MSI_CAP 0x50u
#define MSI_CTRL_ENABLE 0x0001u
#define MSI_CTRL_MME 0x0070u
#define MSI_CTRL_64BIT 0x0080u

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

void pcidev_init(struct pcidev *p, struct vu_dev *vu, uint16_t vendor, uint16_t device)
{
	memset(p, 0, sizeof(*p));
	p->vu = vu;
	p->vendor = vendor;
	p->device = device;
	p->irq_resend_ns = 10000000;
	p->rl_dma = (struct kb_ratelimit){ .burst = 10, .every = 1000 };
	p->rl_bad = (struct kb_ratelimit){ .burst = 10, .every = 1000 };
	p->rl_reg = (struct kb_ratelimit){ .burst = 10, .every = 1000 };

	uint8_t *c = p->cfg, *w = p->wmask;

	put16(c + 0x00, vendor);
	put16(c + 0x02, device);
	put16(w + 0x04, CMD_MEM | CMD_MASTER | CMD_PARITY | CMD_SERR | CMD_INTX_DISABLE);
	c[0x08] = 0x01;                                  /* revision */
	c[0x09] = (uint8_t)PCIDEV_CLASS;                 /* prog-if 0x80 */
	c[0x0a] = (uint8_t)(PCIDEV_CLASS >> 8);          /* subclass 0x03: USB */
	c[0x0b] = (uint8_t)(PCIDEV_CLASS >> 16);         /* class 0x0c: serial bus */
	w[0x0c] = 0xff;                                  /* cache line size */
	w[0x0d] = 0xff;                                  /* latency timer */
	c[0x0e] = 0x00;                                  /* header type 0, single function */
	/* BAR0: 32-bit non-prefetchable memory, 4 KiB: the low 12 bits read as zero. */
	w[0x11] = (uint8_t)(~(PCIDEV_BAR0_SIZE - 1) >> 8);
	w[0x12] = 0xff;
	w[0x13] = 0xff;
	put16(c + 0x2c, vendor);                         /* subsystem vendor */
	put16(c + 0x2e, device);                         /* subsystem id */
	put16(c + 0x06, STATUS_CAP_LIST);
	c[0x34] = MSI_CAP;                               /* capability list: MSI only */
	c[MSI_CAP + 0] = 0x05;                           /* capability ID: MSI */
	c[MSI_CAP + 1] = 0x00;                           /* last capability */
	put16(c + MSI_CAP + 2, MSI_CTRL_64BIT);          /* 1 vector, no per-vector masking */
	put16(w + MSI_CAP + 2, MSI_CTRL_ENABLE | MSI_CTRL_MME);
	memset(w + MSI_CAP + 4, 0xff, 4);                /* message address, low (dword aligned) */
	w[MSI_CAP + 4] = 0xfc;
	memset(w + MSI_CAP + 8, 0xff, 4);                /* message address, high */
	put16(w + MSI_CAP + 12, 0xffff);                 /* message data */
	w[0x3c] = 0xff;                                  /* interrupt line */
	c[0x3d] = 0x01;                                  /* interrupt pin INTA */
}

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct pcidev *p = ctx;
	uint8_t *h = vu_gpa_to_host(p->vu, addr, len);

	if (!h) {
		p->st.dma_errors++;
		if (kb_ratelimit_ok(&p->rl_dma))
			kb_log("DMA read of %zu bytes at 0x%" PRIx64 " is outside guest memory: DECERR", len,
			       addr);
		return -1;
	}
	memcpy(buf, h, len);
	p->st.dma_read_bytes += len;
	return 0;
}

static int mem_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	struct pcidev *p = ctx;
	uint8_t *h = vu_gpa_to_host(p->vu, addr, len);

	if (!h) {
		p->st.dma_errors++;
		if (kb_ratelimit_ok(&p->rl_dma))
			kb_log("DMA write of %zu bytes at 0x%" PRIx64 " is outside guest memory: DECERR", len,
			       addr);
		return -1;
	}
	memcpy(h, buf, len);
	p->st.dma_write_bytes += len;
	return 0;
}

struct kite_mem_ops pcidev_mem_ops(struct pcidev *p)
{
	return (struct kite_mem_ops){ .read = mem_read, .write = mem_write, .ctx = p };
}

void pcidev_set_model(struct pcidev *p, struct kite_model *m)
{
	p->model = m;
}

/* ---------------------------------------------------------------- config space */

void pcidev_cfg_read(struct pcidev *p, uint32_t off, uint32_t size, uint8_t *out)
{
	if (off >= PCIDEV_CFG_SIZE || size > PCIDEV_CFG_SIZE - off) {
		memset(out, 0xff, size);
		return;
	}
	memcpy(out, p->cfg + off, size);
}

void pcidev_cfg_write(struct pcidev *p, uint32_t off, uint32_t size, const uint8_t *in)
{
	if (off >= PCIDEV_CFG_SIZE || size > PCIDEV_CFG_SIZE - off)
		return;
	for (uint32_t i = 0; i < size; i++) {
		uint8_t m = p->wmask[off + i];

		p->cfg[off + i] = (uint8_t)((p->cfg[off + i] & ~m) | (in[i] & m));
	}
}

/* ---------------------------------------------------------------- BAR0 */

static bool bar_ok(struct pcidev *p, const struct pcidev_msg *h, bool write)
{
	bool *logged = write ? &p->logged_bad_bar_write : &p->logged_bad_bar_read;

	if (h->bar == 0 && h->addr < PCIDEV_BAR0_SIZE && h->size <= PCIDEV_BAR0_SIZE - h->addr)
		return true;
	if (!*logged) {
		*logged = true;
		kb_log("MMIO %s of %u bytes at BAR%u+0x%" PRIx64 " outside BAR0 (4 KiB): %s (logged once)",
		       write ? "write" : "read", h->size, h->bar, h->addr,
		       write ? "dropped" : "all-ones returned");
	}
	return false;
}

static void reg_error(struct pcidev *p, const char *what, uint32_t off, int rc)
{
	p->st.reg_errors++;
	if (kb_ratelimit_ok(&p->rl_reg))
		kb_log("register %s at 0x%03x failed: %d", what, off, rc);
}

static void bar_read(struct pcidev *p, uint32_t addr, uint32_t size, uint8_t *out)
{
	for (uint32_t pos = addr, end = addr + size; pos < end;) {
		uint32_t word = pos & ~3u, bo = pos - word, n = 4 - bo, v = 0xffffffffu;
		int rc = kite_model_reg_read(p->model, word, &v);

		if (rc) {
			reg_error(p, "read", word, rc);
			v = 0xffffffffu;
		}
		if (n > end - pos)
			n = end - pos;
		for (uint32_t i = 0; i < n; i++)
			out[pos - addr + i] = (uint8_t)(v >> (8 * (bo + i)));
		pos += n;
	}
}

/* data == NULL: memset with `fill`. */
static void bar_write(struct pcidev *p, uint32_t addr, uint32_t size, const uint8_t *data, uint8_t fill)
{
	for (uint32_t pos = addr, end = addr + size; pos < end;) {
		uint32_t word = pos & ~3u, bo = pos - word, n = 4 - bo, v = 0;
		uint8_t strb = 0;

		if (n > end - pos)
			n = end - pos;
		for (uint32_t i = 0; i < n; i++) {
			uint8_t b = data ? data[pos - addr + i] : fill;

			v |= (uint32_t)b << (8 * (bo + i));
			strb |= (uint8_t)(1u << (bo + i));
		}
		int rc = kite_model_reg_write(p->model, word, v, strb);

		if (rc)
			reg_error(p, "write", word, rc);
		pos += n;
	}
}

/* ---------------------------------------------------------------- command queue */

static void bad_request(struct pcidev *p, const struct pcidev_msg *h, const char *why)
{
	p->st.bad_requests++;
	if (kb_ratelimit_ok(&p->rl_bad))
		kb_log("virtio-pcidev: bad request (op %u bar %u size %u addr 0x%" PRIx64 "): %s",
		       h ? h->op : 0, h ? h->bar : 0, h ? h->size : 0, h ? h->addr : 0, why);
}

/* Returns the number of bytes written into the element (the used length). */
static uint32_t handle_request(struct pcidev *p, const struct vq_elem *e, uint64_t now_ns)
{
	struct pcidev_msg h;
	size_t hlen = sizeof(h);
	uint8_t *data = p->buf + hlen;
	size_t dlen;

	if (e->out_len < hlen) {
		bad_request(p, NULL, "request shorter than the 16-byte header");
		return 0;
	}
	dlen = e->out_len - hlen;
	if (dlen > PCIDEV_MAX_XFER)
		dlen = PCIDEV_MAX_XFER;
	vq_elem_read(e, 0, p->buf, hlen + dlen);
	memcpy(&h, p->buf, hlen);

	switch (h.op) {
	case PCIDEV_OP_CFG_READ:
		p->st.cfg_reads++;
		if (h.size == 0 || h.size > 8 || e->in_len < h.size) {
			bad_request(p, &h, "config read size or reply buffer invalid");
			return 0;
		}
		pcidev_cfg_read(p, (uint32_t)(h.addr > PCIDEV_CFG_SIZE ? PCIDEV_CFG_SIZE : h.addr), h.size,
				data);
		return (uint32_t)vq_elem_write(e, 0, data, h.size);

	case PCIDEV_OP_CFG_WRITE:
		/*
		 * Linux 6.1 um_pci_bar_set() sends memset_io() as CFG_WRITE with `bar` set, size = count
		 * and one data byte. A real config write has bar 0 and size 1/2/4/8; anything else is
		 * the memset quirk. (bar 0 with a 1/2/4/8-byte memset is indistinguishable: treated as
		 * a config write, see docs/bridge.md.)
		 */
		if (h.bar != 0 || (h.size != 1 && h.size != 2 && h.size != 4 && h.size != 8))
			goto memset;
		p->st.cfg_writes++;
		if (dlen < h.size) {
			bad_request(p, &h, "config write without its data");
			return 0;
		}
		if (h.addr < PCIDEV_CFG_SIZE)
			pcidev_cfg_write(p, (uint32_t)h.addr, h.size, data);
		return 0;

	case PCIDEV_OP_MMIO_READ:
		p->st.mmio_reads++;
		p->last_mmio_ns = now_ns;
		if (h.size == 0 || h.size > PCIDEV_MAX_XFER || e->in_len < h.size) {
			bad_request(p, &h, "MMIO read size or reply buffer invalid");
			return 0;
		}
		if (bar_ok(p, &h, false))
			bar_read(p, (uint32_t)h.addr, h.size, data);
		else
			memset(data, 0xff, h.size);
		return (uint32_t)vq_elem_write(e, 0, data, h.size);

	case PCIDEV_OP_MMIO_WRITE:
		p->st.mmio_writes++;
		p->last_mmio_ns = now_ns;
		if (h.size == 0 || h.size > PCIDEV_MAX_XFER || dlen < h.size) {
			bad_request(p, &h, "MMIO write size invalid or data missing");
			return 0;
		}
		if (bar_ok(p, &h, true)) {
			bar_write(p, (uint32_t)h.addr, h.size, data, 0);
			p->irq_recheck = true;
		}
		return 0;

	case PCIDEV_OP_MMIO_MEMSET:
	memset:
		p->st.memsets++;
		p->last_mmio_ns = now_ns;
		if (h.size == 0 || h.size > PCIDEV_MAX_XFER || dlen < 1) {
			bad_request(p, &h, "MMIO memset size invalid or fill byte missing");
			return 0;
		}
		if (bar_ok(p, &h, true)) {
			bar_write(p, (uint32_t)h.addr, h.size, NULL, data[0]);
			p->irq_recheck = true;
		}
		return 0;

	default:
		bad_request(p, &h, "unknown or device-to-driver op on the command queue");
		if (e->in_len) {
			size_t n = e->in_len > PCIDEV_MAX_XFER ? PCIDEV_MAX_XFER : e->in_len;

			memset(data, 0xff, n);
			return (uint32_t)vq_elem_write(e, 0, data, n);
		}
		return 0;
	}
}

int pcidev_poll_cmd(struct pcidev *p, uint64_t now_ns)
{
	struct vq *q = &p->vu->vq[0];
	struct vq_elem e;
	int n = 0, rc;

	while ((rc = vq_pop(p->vu, q, &e)) == 1) {
		uint32_t len = handle_request(p, &e, now_ns);

		vq_push(q, &e, len);
		if (e.in_len == 0) {
			p->posted_unsignaled++;
			p->last_posted_ns = now_ns;
		}
		n++;
	}
	/* Posted requests are freed by UML's queue callback or by its next polled read. */
	q->signal_pending = p->posted_unsignaled &&
			    (p->posted_unsignaled >= q->num / 4 ||
			     now_ns - p->last_posted_ns >= PCIDEV_POSTED_FLUSH_NS);
	if (q->signal_pending)
		p->posted_unsignaled = 0;
	vq_signal(q, true);
	return rc < 0 ? -1 : n;
}

/* ---------------------------------------------------------------- interrupts */

bool pcidev_msi_enabled(const struct pcidev *p)
{
	return get16(p->cfg + MSI_CAP + 2) & MSI_CTRL_ENABLE;
}

static int irq_send(struct pcidev *p, uint64_t now_ns)
{
	struct vq *q = &p->vu->vq[1];
	struct vq_elem e;
	struct {
		struct pcidev_msg h;
		uint8_t data[2];
	} m = { .h = { .op = PCIDEV_OP_INT, .addr = 1 /* INTA */ } };
	size_t len = sizeof(m.h);
	int rc = vq_pop(p->vu, q, &e);

	if (rc <= 0)
		return rc; /* 0: no buffer, stays pending */
	if (pcidev_msi_enabled(p)) {
		/* The memory write MSI would do: 16-bit data to the programmed address. */
		m.h.op = PCIDEV_OP_MSI;
		m.h.size = 2;
		m.h.addr = (uint64_t)get16(p->cfg + MSI_CAP + 4) | (uint64_t)get16(p->cfg + MSI_CAP + 6) << 16 |
			   (uint64_t)get16(p->cfg + MSI_CAP + 8) << 32 |
			   (uint64_t)get16(p->cfg + MSI_CAP + 10) << 48;
		memcpy(m.data, p->cfg + MSI_CAP + 12, 2);
		len += 2;
	}
	if (e.in_len < len) {
		kb_log("virtio-pcidev: interrupt buffer of %zu bytes is too small for a message", e.in_len);
		return -1;
	}
	vq_push(q, &e, (uint32_t)vq_elem_write(&e, 0, &m, len));
	vq_signal(q, false);
	p->irq_pending = false;
	p->irq_last_ns = now_ns;
	p->st.irqs++;
	return 0;
}

int pcidev_irq_update(struct pcidev *p, uint64_t now_ns)
{
	bool raw = p->model && kite_model_irq(p->model);
	uint16_t cmd = get16(p->cfg + 0x04), status = get16(p->cfg + 0x06);
	/* Linux sets INTx Disable when it enables MSI; that masks the pin, not the message. */
	bool level = raw && (pcidev_msi_enabled(p) || !(cmd & CMD_INTX_DISABLE));

	put16(p->cfg + 0x06, (uint16_t)(raw ? status | STATUS_INTERRUPT : status & ~STATUS_INTERRUPT));
	if (level && !p->irq_level) {
		p->irq_pending = true;           /* rising edge */
		p->irq_last_ns = now_ns;
	} else if (level && !p->irq_pending) {
		uint64_t last = p->irq_last_ns > p->last_mmio_ns ? p->irq_last_ns : p->last_mmio_ns;

		if (p->irq_recheck || now_ns - last >= p->irq_resend_ns) {
			p->irq_pending = true;   /* still high after the driver's write, or stuck */
			p->st.irq_resends++;
		}
	}
	p->irq_recheck = false;
	p->irq_level = level;
	if (p->irq_pending)
		return irq_send(p, now_ns) < 0 ? -1 : 0;
	return 0;
}
