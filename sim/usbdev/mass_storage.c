// SPDX-License-Identifier: MIT
/*
 * USB mass storage, Bulk-Only Transport (class 8, subclass 6 SCSI transparent, protocol 0x50),
 * bulk IN 0x81 / bulk OUT 0x02 (64 bytes), one LUN backed by a RAM disk of 512-byte blocks.
 *
 * BOT state machine: CBW (31 bytes on bulk OUT) -> optional data stage -> CSW (13 bytes on bulk
 * IN). The data stage follows the 13 cases of the BOT 1.0 specification (section 6.7):
 *   Hn=Dn          CSW status of the command, residue 0
 *   Hn<Di, Hn<Do   no data, CSW phase error (2)
 *   Hi>Dn, Hi>Di   the device sends Di bytes, then STALLs bulk IN; CSW residue Hi - Di
 *   Hi=Di          data, CSW residue 0
 *   Hi<Di          the device sends Hi bytes, CSW phase error
 *   Hi<>Do         bulk IN STALLed at once, CSW phase error
 *   Ho>Dn, Ho>Do   the device accepts all Ho bytes, uses Do of them; CSW residue Ho - Do
 *   Ho=Do          data, CSW residue 0
 *   Ho<>Di, Ho<Do  the device accepts Ho bytes and discards them; CSW phase error
 * An invalid CBW (length != 31, bad signature, CB length 0 or > 16) STALLs both bulk endpoints
 * until Reset Recovery (Bulk-Only Mass Storage Reset, then CLEAR_FEATURE(HALT) on both).
 */
#include "usbdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSC_BLOCK 512u
#define MSC_EP_IN 1
#define MSC_EP_OUT 2
#define MSC_MPS 64u
#define CBW_SIG 0x43425355u   /* "USBC" */
#define CSW_SIG 0x53425355u   /* "USBS" */

enum msc_state {
	MSC_CBW,          /* waiting for a CBW on bulk OUT */
	MSC_DATA_IN,      /* sending xfer_len bytes on bulk IN */
	MSC_DATA_OUT,     /* receiving xfer_len bytes on bulk OUT */
	MSC_CSW,          /* CSW ready on bulk IN */
	MSC_NEED_RESET,   /* invalid CBW: both bulk endpoints STALL until reset recovery */
};

/* Sense keys and additional sense codes used. */
#define SK_NO_SENSE 0x0
#define SK_ILLEGAL_REQUEST 0x5
#define SK_DATA_PROTECT 0x7
#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_OUT_OF_RANGE 0x21
#define ASC_INVALID_FIELD_IN_CDB 0x24
#define ASC_LUN_NOT_SUPPORTED 0x25
#define ASC_WRITE_PROTECTED 0x27

struct msc {
	struct usbdev_msc_opts o;
	uint8_t *disk;
	size_t disk_size;
	enum msc_state state;
	/* current command */
	uint32_t tag, h_len;          /* dCBWTag, dCBWDataTransferLength */
	bool h_in;                    /* bmCBWFlags bit 7 */
	uint8_t status;               /* CSW status */
	const uint8_t *src;           /* data stage IN source (reply buffer or disk) */
	uint8_t *dst;                 /* data stage OUT destination (disk), NULL: discard */
	uint32_t xfer_len, xfer_pos;  /* bytes moved in the data stage */
	uint32_t use_len;             /* OUT: bytes of the data stage that go to dst */
	uint32_t residue;
	bool stall_in_after;          /* STALL bulk IN when the data stage is done */
	bool in_is_csw;               /* the pending bulk IN packet is the CSW */
	uint32_t io_blocks;           /* READ/WRITE: blocks of the command (statistics) */
	bool io_write;
	uint8_t reply[256];
	uint8_t sk, asc, ascq;        /* sense data of the last failed command */
	bool prevent;
	struct usbdev_msc_stats st;
};

static struct msc *msc_of(const struct usbdev *d)
{
	return d->priv;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Halt one of our bulk endpoints now (STALL until CLEAR_FEATURE(ENDPOINT_HALT)). */
static void halt_ep(struct usbdev *d, unsigned ep_addr)
{
	usbdev_fault(d, ep_addr, USBDEV_FAULT_STALL, 1);
}

/* ---------------------------------------------------------------- SCSI */

/* What a command wants to do in the data stage. */
struct cmd_res {
	uint8_t status;       /* 0 good, 1 check condition */
	int dir;              /* 0 none, 1 IN (device to host), -1 OUT */
	uint32_t len;         /* Di / Do */
	const uint8_t *src;   /* IN data */
	uint8_t *dst;         /* OUT destination */
};

static void fail(struct msc *m, struct cmd_res *r, uint8_t sk, uint8_t asc)
{
	m->sk = sk;
	m->asc = asc;
	m->ascq = 0;
	r->status = 1;
	r->dir = 0;
	r->len = 0;
}

static void reply(struct cmd_res *r, const uint8_t *buf, uint32_t avail, uint32_t alloc)
{
	r->dir = 1;
	r->src = buf;
	r->len = avail < alloc ? avail : alloc;
}

/* MODE SENSE(6)/(10) reply into m->reply; returns its length or -1 for an unsupported page. */
static int mode_sense(struct msc *m, bool ten, unsigned page)
{
	uint8_t *b = m->reply;
	unsigned hdr = ten ? 8 : 4, n;

	memset(b, 0, 64);
	n = hdr;
	if (page == 0x08 || page == 0x3f) {  /* caching page: write cache disabled, read cache enabled */
		b[n] = 0x08;
		b[n + 1] = 0x12;
		n += 20;
	} else if (page != 0x00) {
		return -1;
	}
	if (ten) {
		b[0] = (uint8_t)((n - 2) >> 8);
		b[1] = (uint8_t)(n - 2);
		b[3] = m->o.write_protect ? 0x80 : 0;
	} else {
		b[0] = (uint8_t)(n - 1);
		b[2] = m->o.write_protect ? 0x80 : 0;
	}
	return (int)n;
}

static void scsi_command(struct usbdev *d, const uint8_t *cb, unsigned cb_len, unsigned lun,
			 struct cmd_res *r)
{
	struct msc *m = msc_of(d);
	uint32_t blocks = m->o.blocks, lba, n;
	uint8_t op = cb[0];
	int len;

	memset(r, 0, sizeof(*r));
	m->io_blocks = 0;
	if (op == 0x03) {  /* REQUEST SENSE: reports (and clears) the sense data */
		uint8_t *b = m->reply;

		memset(b, 0, 18);
		b[0] = 0x70;
		b[2] = m->sk;
		b[7] = 10;
		b[12] = m->asc;
		b[13] = m->ascq;
		if (lun) {
			b[2] = SK_ILLEGAL_REQUEST;
			b[12] = ASC_LUN_NOT_SUPPORTED;
			b[13] = 0;
		}
		m->sk = m->asc = m->ascq = 0;
		reply(r, b, 18, cb_len > 4 ? cb[4] : 0);
		return;
	}
	if (op == 0x12) {  /* INQUIRY */
		uint8_t *b = m->reply;
		unsigned alloc = (unsigned)(cb[3] << 8 | cb[4]);

		if (cb[1] & 1 || cb[2]) {  /* EVPD / page code: no vital product data pages */
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB);
			return;
		}
		memset(b, 0, 36);
		b[0] = lun ? 0x7f : 0x00;  /* direct access block device; 0x7f: no LUN here */
		b[1] = m->o.not_removable ? 0 : 0x80;
		b[2] = 0x04;               /* SPC-2 */
		b[3] = 0x02;               /* response data format 2 */
		b[4] = 31;
		memcpy(b + 8, "kite    ", 8);
		memcpy(b + 16, "RAM disk        ", 16);
		memcpy(b + 32, "0001", 4);
		reply(r, b, 36, alloc);
		return;
	}
	m->sk = m->asc = m->ascq = 0;  /* sense data describes the last command (INQUIRY excepted) */
	if (lun) {
		fail(m, r, SK_ILLEGAL_REQUEST, ASC_LUN_NOT_SUPPORTED);
		return;
	}
	switch (op) {
	case 0x00: /* TEST UNIT READY */
	case 0x1b: /* START STOP UNIT (eject / load accepted and ignored: the medium stays) */
		return;
	case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
		m->prevent = cb[4] & 1;
		return;
	case 0x25: /* READ CAPACITY(10) */
		put_be32(m->reply, blocks - 1);
		put_be32(m->reply + 4, MSC_BLOCK);
		reply(r, m->reply, 8, 8);
		return;
	case 0x1a: /* MODE SENSE(6) */
		len = mode_sense(m, false, cb[2] & 0x3f);
		if (len < 0)
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB);
		else
			reply(r, m->reply, (uint32_t)len, cb[4]);
		return;
	case 0x5a: /* MODE SENSE(10) */
		len = mode_sense(m, true, cb[2] & 0x3f);
		if (len < 0)
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB);
		else
			reply(r, m->reply, (uint32_t)len, (uint32_t)(cb[7] << 8 | cb[8]));
		return;
	case 0x28: /* READ(10) */
	case 0x2a: /* WRITE(10) */
	case 0x2f: /* VERIFY(10) */
	case 0x35: /* SYNCHRONIZE CACHE(10) */
		if (cb_len < 10) {
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB);
			return;
		}
		lba = get_be32(cb + 2);
		n = (uint32_t)(cb[7] << 8 | cb[8]);
		if (op == 0x35 && n == 0 && lba < blocks)
			n = blocks - lba;  /* 0 blocks: to the end of the medium */
		if (lba > blocks || n > blocks - lba) {
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
			return;
		}
		if (op == 0x2f && (cb[1] & 0x02)) {  /* VERIFY with BYTCHK: not supported */
			fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB);
			return;
		}
		if (op == 0x2a && m->o.write_protect) {
			fail(m, r, SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
			return;
		}
		if (op == 0x28) {
			r->dir = 1;
			r->src = m->disk + (size_t)lba * MSC_BLOCK;
			r->len = n * MSC_BLOCK;
			m->io_blocks = n;
			m->io_write = false;
		} else if (op == 0x2a) {
			r->dir = n ? -1 : 0;
			r->dst = m->disk + (size_t)lba * MSC_BLOCK;
			r->len = n * MSC_BLOCK;
			m->io_blocks = n;
			m->io_write = true;
		}
		return;
	default:
		fail(m, r, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
		return;
	}
}

/* ---------------------------------------------------------------- bulk-only transport */

static void bot_reset(struct msc *m)
{
	m->state = MSC_CBW;
	m->xfer_len = m->xfer_pos = m->use_len = 0;
	m->stall_in_after = false;
	m->in_is_csw = false;
	m->dst = NULL;
	m->src = NULL;
}

static void to_csw(struct usbdev *d, bool stall_in)
{
	struct msc *m = msc_of(d);

	if (m->status == 1)
		m->st.check_conditions++;
	else if (m->status == 2)
		m->st.phase_errors++;
	m->state = MSC_CSW;
	if (stall_in)
		halt_ep(d, 0x80 | MSC_EP_IN);
}

static void invalid_cbw(struct usbdev *d, const char *why)
{
	struct msc *m = msc_of(d);

	if (d->verbose)
		fprintf(stderr, "usbdev %s: invalid CBW (%s): stalling both bulk endpoints\n", d->name, why);
	m->st.invalid_cbws++;
	m->state = MSC_NEED_RESET;
	halt_ep(d, 0x80 | MSC_EP_IN);
	halt_ep(d, MSC_EP_OUT);
}

static void handle_cbw(struct usbdev *d, const uint8_t *p, unsigned len)
{
	struct msc *m = msc_of(d);
	struct cmd_res r;
	unsigned cb_len;

	if (len != 31) {
		invalid_cbw(d, "length");
		return;
	}
	if (get_le32(p) != CBW_SIG) {
		invalid_cbw(d, "signature");
		return;
	}
	cb_len = p[14] & 0x1f;
	if (cb_len == 0 || cb_len > 16 || (p[14] & 0xe0) || (p[13] & 0xf0) || (p[12] & 0x7f)) {
		invalid_cbw(d, "not meaningful");
		return;
	}
	m->st.commands++;
	m->tag = get_le32(p + 4);
	m->h_len = get_le32(p + 8);
	m->h_in = (p[12] & 0x80) != 0;
	m->xfer_pos = 0;
	m->stall_in_after = false;
	m->dst = NULL;
	m->src = NULL;
	m->use_len = 0;
	scsi_command(d, p + 15, cb_len, p[13] & 0x0f, &r);
	m->status = r.status;

	if (m->h_len == 0) {                              /* Hn */
		if (r.dir != 0 && r.len) {                /* cases 2, 3: not executed */
			m->status = 2;
			m->io_blocks = 0;
		}
		m->residue = 0;
		to_csw(d, false);
		return;
	}
	if (m->h_in) {
		if (r.dir == -1 && r.len) {               /* case 8: Hi <> Do */
			m->status = 2;
			m->io_blocks = 0;
			m->residue = m->h_len;
			to_csw(d, true);
			return;
		}
		if (r.dir != 1 || r.len == 0) {           /* case 4: Hi > Dn */
			m->residue = m->h_len;
			to_csw(d, true);
			return;
		}
		m->src = r.src;
		if (r.len > m->h_len) {                   /* case 7: Hi < Di */
			m->status = 2;
			m->xfer_len = m->h_len;
			m->io_blocks = m->h_len / MSC_BLOCK;
		} else {                                  /* cases 5, 6 */
			m->xfer_len = r.len;
			m->stall_in_after = r.len < m->h_len;
		}
		m->residue = m->h_len - m->xfer_len;
		if (m->status == 2)
			m->residue = 0;
		m->state = MSC_DATA_IN;
		return;
	}
	/* Ho: the device accepts all h_len bytes */
	m->xfer_len = m->h_len;
	if (r.dir == -1 && r.len <= m->h_len) {           /* cases 11, 12 */
		m->dst = r.dst;
		m->use_len = r.len;
		m->residue = m->h_len - r.len;
	} else if (r.dir == 0 || r.len == 0) {            /* case 9: Ho > Dn */
		m->residue = m->h_len;
	} else {                                          /* cases 10 (Ho <> Di), 13 (Ho < Do) */
		m->status = 2;
		m->residue = 0;
		m->io_blocks = 0;
	}
	m->state = MSC_DATA_OUT;
}

static int msc_in(struct usbdev *d, unsigned ep, uint8_t *buf, unsigned max)
{
	struct msc *m = msc_of(d);
	unsigned n;

	if (ep != MSC_EP_IN)
		return USBDEV_STALL;
	switch (m->state) {
	case MSC_DATA_IN:
		n = m->xfer_len - m->xfer_pos;
		if (n > max)
			n = max;
		memcpy(buf, m->src + m->xfer_pos, n);
		m->in_is_csw = false;
		return (int)n;
	case MSC_CSW:
		put_le32(buf, CSW_SIG);
		put_le32(buf + 4, m->tag);
		put_le32(buf + 8, m->residue);
		buf[12] = m->status;
		m->in_is_csw = true;
		return 13;
	case MSC_NEED_RESET:
		return USBDEV_STALL;
	default:
		return USBDEV_NAK;
	}
}

static void msc_in_done(struct usbdev *d, unsigned ep)
{
	struct msc *m = msc_of(d);
	unsigned mps = d->ep[1][MSC_EP_IN].mps;

	if (ep != MSC_EP_IN)
		return;
	if (m->in_is_csw) {
		m->in_is_csw = false;
		if (m->state == MSC_CSW)
			m->state = MSC_CBW;
		return;
	}
	if (m->state != MSC_DATA_IN)
		return;
	m->xfer_pos += m->xfer_len - m->xfer_pos < mps ? m->xfer_len - m->xfer_pos : mps;
	if (m->xfer_pos >= m->xfer_len) {
		if (m->io_blocks)
			m->st.blocks_read += m->io_blocks;
		to_csw(d, m->stall_in_after);
	}
}

static int msc_out(struct usbdev *d, unsigned ep, const uint8_t *buf, unsigned len)
{
	struct msc *m = msc_of(d);

	if (ep != MSC_EP_OUT)
		return USBDEV_STALL;
	switch (m->state) {
	case MSC_CBW:
		handle_cbw(d, buf, len);
		return 0;  /* the CBW packet itself is acknowledged */
	case MSC_DATA_OUT: {
		uint32_t take = len, left = m->xfer_len - m->xfer_pos;

		if (take > left)
			take = left;
		if (m->dst && m->xfer_pos < m->use_len) {
			uint32_t w = m->use_len - m->xfer_pos;

			memcpy(m->dst + m->xfer_pos, buf, take < w ? take : w);
		}
		m->xfer_pos += take;
		if (m->xfer_pos >= m->xfer_len || len < d->ep[0][MSC_EP_OUT].mps) {
			if (m->xfer_pos < m->use_len) {  /* the host ended early: short data */
				m->residue = m->h_len - m->xfer_pos;
				m->status = 2;
			} else if (m->io_blocks && m->io_write) {
				m->st.blocks_written += m->io_blocks;
			}
			to_csw(d, false);
		}
		return 0;
	}
	case MSC_NEED_RESET:
		return USBDEV_STALL;
	default:
		return USBDEV_NAK;  /* CSW not read yet */
	}
}

static int msc_control(struct usbdev *d, enum usbdev_ctl_stage stage, const struct usb_setup *s,
		       uint8_t *buf)
{
	struct msc *m = msc_of(d);

	(void)stage;
	if (d->config_idx < 0 || s->wIndex != 0)
		return -1;
	if (s->bmRequestType == 0x21 && s->bRequest == 0xff && s->wValue == 0 && s->wLength == 0) {
		/* Bulk-Only Mass Storage Reset: ready for a CBW; the halts stay until CLEAR_FEATURE */
		m->st.bot_resets++;
		bot_reset(m);
		return 0;
	}
	if (s->bmRequestType == 0xa1 && s->bRequest == 0xfe && s->wValue == 0 && s->wLength == 1) {
		buf[0] = 0;  /* Get Max LUN: one LUN */
		return 1;
	}
	return -1;
}

static void msc_reset_hook(struct usbdev *d)
{
	bot_reset(msc_of(d));
}

static void msc_set_config(struct usbdev *d, unsigned value)
{
	(void)value;
	bot_reset(msc_of(d));
}

static void msc_destroy(struct usbdev *d)
{
	struct msc *m = msc_of(d);

	free(m->disk);
	free(m);
}

static const struct usbdev_ops msc_ops = {
	.control = msc_control,
	.in = msc_in,
	.in_done = msc_in_done,
	.out = msc_out,
	.set_config = msc_set_config,
	.bus_reset = msc_reset_hook,
	.destroy = msc_destroy,
};

/* ---------------------------------------------------------------- API */

struct usbdev *usbdev_msc_create(const struct usbdev_msc_opts *opts)
{
	struct usbdev_msc_opts o = { 0 };
	struct usbdev_desc dd = { 0 };
	struct usbdev_config_desc *c = &dd.configs[0];
	struct usbdev_alt_desc *a = &c->intfs[0].alts[0];
	struct usbdev *d;
	struct msc *m;

	if (opts)
		o = *opts;
	if (!o.blocks)
		o.blocks = 16384;
	if (o.blocks > 4194304u) {
		fprintf(stderr, "usbdev_msc_create: %u blocks is too large (at most 4194304)\n", o.blocks);
		return NULL;
	}
	if (!o.vid && !o.pid) {
		o.vid = 0x1209;
		o.pid = 0x0002;
	}

	dd.bcd_usb = 0x0200;
	dd.vid = o.vid;
	dd.pid = o.pid;
	dd.bcd_device = 0x0100;
	dd.mps0 = 64;
	dd.imanufacturer = 1;
	dd.iproduct = 2;
	dd.iserial = 3;
	dd.strings[1] = "kite";
	dd.strings[2] = "kite RAM disk";
	dd.strings[3] = "000000000001";  /* BOT: serial of at least 12 hex digits */
	dd.num_configs = 1;
	c->value = 1;
	c->attributes = 0x80;
	c->max_power = 50;
	c->num_intfs = 1;
	c->intfs[0].num_alts = 1;
	a->cls = 8;
	a->subcls = 6;
	a->proto = 0x50;
	a->num_eps = 2;
	a->eps[0].addr = 0x80 | MSC_EP_IN;
	a->eps[0].type = USB_EP_BULK;
	a->eps[0].mps = MSC_MPS;
	a->eps[1].addr = MSC_EP_OUT;
	a->eps[1].type = USB_EP_BULK;
	a->eps[1].mps = MSC_MPS;

	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->o = o;
	m->disk_size = (size_t)o.blocks * MSC_BLOCK;
	m->disk = calloc(1, m->disk_size);
	if (!m->disk) {
		fprintf(stderr, "usbdev_msc_create: cannot allocate %zu bytes\n", m->disk_size);
		free(m);
		return NULL;
	}
	d = usbdev_create("msc", &dd, &msc_ops, m);
	if (!d) {
		free(m->disk);
		free(m);
	}
	return d;
}

uint8_t *usbdev_msc_disk(struct usbdev *d, size_t *size)
{
	struct msc *m = msc_of(d);

	if (size)
		*size = m->disk_size;
	return m->disk;
}

void usbdev_msc_get_stats(const struct usbdev *d, struct usbdev_msc_stats *st)
{
	*st = msc_of(d)->st;
}
