// SPDX-License-Identifier: MIT
/* Mass-storage model (mass_storage.c), bulk-only transport driven with packets directly. */
#include "usbdev_test.h"

#define EP_IN 1
#define EP_OUT 2
#define BLOCKS 2048u

/* Run a sequence of tests on one device made with o, built only if the filter selects one. */
static void msc_run(const struct kt_case *cases, size_t n, const struct usbdev_msc_opts *o)
{
	struct tdev x;

	if (!kt_any(cases, n))
		return;
	t_direct(&x, usbdev_msc_create(o), "usbdev_msc_create");
	kt_run_seq(cases, n, &x);
	usbdev_destroy(x.d);
}

/* ---------------------------------------------------------------- bulk helpers */

/* Bulk OUT of len bytes in 64-byte packets: T_ACK when all went, T_STALL at the first STALL. */
static int bulk_out(struct thost *h, const uint8_t *data, unsigned len)
{
	unsigned done = 0;

	do {
		unsigned c = len - done < 64 ? len - done : 64;
		int r, tries = 0;

		while ((r = t_out(h, USB_PID_OUT, EP_OUT, h->toggle[0][EP_OUT] ? USB_PID_DATA1 : USB_PID_DATA0,
				  data + done, c)) == T_NAK && tries++ < 10)
			;
		if (r != T_ACK)
			return r;
		h->toggle[0][EP_OUT] ^= 1;
		done += c;
	} while (done < len);
	return T_ACK;
}

/* Bulk IN up to max bytes (ends at a short packet): T_DATA with *got, or T_STALL / other. */
static int bulk_in(struct thost *h, uint8_t *buf, unsigned max, unsigned *got)
{
	*got = 0;
	for (;;) {
		unsigned len, pid;
		int r, tries = 0;

		while ((r = t_in(h, EP_IN, buf + *got, 64, &len, &pid, h->toggle[1][EP_IN], false)) == T_NAK &&
		       tries++ < 10)
			;
		if (r != T_DATA)
			return r;
		h->toggle[1][EP_IN] ^= 1;
		*got += len;
		if (len < 64 || *got >= max)
			return T_DATA;
	}
}

static int clear_halt(struct thost *h, unsigned ep_addr)
{
	int n = t_control(h, 0x02, 1, 0, (uint16_t)ep_addr, 0, NULL);

	if (n == 0)
		h->toggle[ep_addr >> 7][ep_addr & 0xf] = 0;
	return n;
}

struct cmd {
	/* in */
	const uint8_t *cdb;
	unsigned cdb_len;
	bool dir_in;
	uint32_t h_len;
	uint8_t *data;       /* IN: receives; OUT: sent */
	/* out */
	unsigned got;        /* IN bytes received */
	bool data_stalled;   /* the data stage ended with a STALL */
	bool csw_ok;         /* CSW received, signature right, tag echoed */
	uint8_t status;
	uint32_t residue;
	char err[120];
};

static uint32_t next_tag = 0x1000;

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One BOT command like Linux usb-storage: CBW, data stage, CSW (clear halts on STALL). */
static int scsi(struct thost *h, struct cmd *c)
{
	uint8_t cbw[31] = { 0 }, csw[64];
	uint32_t tag = next_tag++ * 0x01010101u;
	unsigned got;
	int r;

	c->got = 0;
	c->data_stalled = false;
	c->csw_ok = false;
	c->err[0] = 0;
	put_le32(cbw, 0x43425355);
	put_le32(cbw + 4, tag);
	put_le32(cbw + 8, c->h_len);
	cbw[12] = c->dir_in ? 0x80 : 0;
	cbw[14] = (uint8_t)c->cdb_len;
	memcpy(cbw + 15, c->cdb, c->cdb_len);
	r = bulk_out(h, cbw, 31);
	if (r != T_ACK) {
		snprintf(c->err, sizeof(c->err), "CBW answered %s", t_res_name(r));
		return -1;
	}
	if (c->h_len && c->dir_in) {
		r = bulk_in(h, c->data, c->h_len, &c->got);
		if (r == T_STALL) {
			c->data_stalled = true;
			if (clear_halt(h, 0x80 | EP_IN)) {
				snprintf(c->err, sizeof(c->err), "CLEAR_FEATURE(HALT) on bulk IN failed");
				return -1;
			}
		} else if (r != T_DATA) {
			snprintf(c->err, sizeof(c->err), "data IN answered %s", t_res_name(r));
			return -1;
		}
	} else if (c->h_len) {
		r = bulk_out(h, c->data, c->h_len);
		if (r == T_STALL) {
			c->data_stalled = true;
			if (clear_halt(h, EP_OUT)) {
				snprintf(c->err, sizeof(c->err), "CLEAR_FEATURE(HALT) on bulk OUT failed");
				return -1;
			}
		} else if (r != T_ACK) {
			snprintf(c->err, sizeof(c->err), "data OUT answered %s", t_res_name(r));
			return -1;
		}
	}
	r = bulk_in(h, csw, 64, &got);
	if (r == T_STALL) {  /* Hi > Di after a full last packet: the STALL comes at the CSW read */
		c->data_stalled = true;
		clear_halt(h, 0x80 | EP_IN);
		r = bulk_in(h, csw, 64, &got);
	}
	if (r != T_DATA || got != 13) {
		snprintf(c->err, sizeof(c->err), "CSW read: %s, %u bytes", t_res_name(r), got);
		return -1;
	}
	if (get_le32(csw) != 0x53425355 || get_le32(csw + 4) != tag) {
		snprintf(c->err, sizeof(c->err), "CSW signature %08x tag %08x, want tag %08x", get_le32(csw),
			 get_le32(csw + 4), tag);
		return -1;
	}
	c->csw_ok = true;
	c->residue = get_le32(csw + 8);
	c->status = csw[12];
	return 0;
}

static int run(struct thost *h, struct cmd *c, const uint8_t *cdb, unsigned cdb_len, bool dir_in, uint32_t h_len,
	       uint8_t *data)
{
	c->cdb = cdb;
	c->cdb_len = cdb_len;
	c->dir_in = dir_in;
	c->h_len = h_len;
	c->data = data;
	return scsi(h, c);
}

static void rw10(uint8_t cdb[10], uint8_t op, uint32_t lba, unsigned n)
{
	memset(cdb, 0, 10);
	cdb[0] = op;
	cdb[2] = (uint8_t)(lba >> 24);
	cdb[3] = (uint8_t)(lba >> 16);
	cdb[4] = (uint8_t)(lba >> 8);
	cdb[5] = (uint8_t)lba;
	cdb[7] = (uint8_t)(n >> 8);
	cdb[8] = (uint8_t)n;
}

/* REQUEST SENSE; returns key << 16 | asc << 8 | ascq, or -1. */
static int sense(struct thost *h)
{
	static const uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 };
	uint8_t b[64];
	struct cmd c;

	if (run(h, &c, rs, 6, true, 18, b) || c.status || c.got != 18 || b[0] != 0x70 || b[7] != 10)
		return -1;
	return (b[2] & 0xf) << 16 | b[12] << 8 | b[13];
}

/* ---------------------------------------------------------------- tests */

static void t_msc_enumerate(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct usbdev *d = x->d;

	t_enumerate(h, 4, 1, 0x1209, 0x0002);
	KT_CHECK(d->config == 1, "not configured");
}

static void t_msc_config_descriptor(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t b[256];
	int n;

	n = t_control(h, 0x80, 6, 0x0200, 0, 255, b);
	KT_CHECK(n == 32 && (b[2] | b[3] << 8) == 32, "config descriptor %d bytes, total %u, want 32", n,
	         b[2] | b[3] << 8);
	KT_CHECK(b[13] == 2 && b[14] == 8 && b[15] == 6 && b[16] == 0x50, "interface %u eps class %02x/%02x/%02x",
	         b[13], b[14], b[15], b[16]);
	KT_CHECK(b[20] == 0x81 && b[21] == 2 && (b[22] | b[23] << 8) == 64 && b[27] == 0x02 && b[28] == 2 &&
		     (b[29] | b[30] << 8) == 64,
	         "endpoints %02x/%u/%u %02x/%u/%u", b[20], b[21], b[22] | b[23] << 8, b[27], b[28], b[29] | b[30] << 8);
	n = t_control(h, 0x80, 6, 0x0303, 0x0409, 255, b);
	KT_CHECK(n == 2 + 2 * 12, "serial string %d bytes, want 12 characters", n);
}

static void t_msc_get_max_lun(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t b[256];
	int n;

	b[0] = 0xaa;
	n = t_control(h, 0xa1, 0xfe, 0, 0, 1, b);
	KT_CHECK(n == 1 && b[0] == 0, "Get Max LUN gave %d, %u", n, b[0]);
	n = t_control(h, 0xa1, 0xfe, 0, 1, 1, b);
	KT_CHECK(n == -EPIPE, "Get Max LUN for interface 1 gave %d, want STALL", n);
}

static void t_msc_inquiry(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	uint8_t b[512];
	struct cmd m;

	KT_CHECK(run(h, &m, inq, 6, true, 36, b) == 0, "%s", m.err);
	KT_CHECK(m.status == 0 && m.residue == 0 && m.got == 36, "status %u residue %u got %u", m.status,
	         m.residue, m.got);
	KT_CHECK(b[0] == 0 && (b[1] & 0x80) && b[4] == 31 && !memcmp(b + 8, "kite    ", 8) &&
		     !memcmp(b + 16, "RAM disk        ", 16),
	         "inquiry data: type %02x rmb %02x addl %u vendor '%.8s' product '%.16s'", b[0], b[1], b[4], b + 8,
	         b + 16);
}

static void t_msc_read_capacity(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	static const uint8_t rcap[10] = { 0x25 };
	uint8_t b[512];
	struct cmd m;

	KT_CHECK(run(h, &m, rcap, 10, true, 8, b) == 0, "%s", m.err);
	KT_CHECK(m.status == 0 && m.got == 8 && m.residue == 0, "status %u got %u", m.status, m.got);
	KT_CHECK((uint32_t)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) == BLOCKS - 1 &&
		     (b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7]) == 512,
	         "last LBA %u block %u", (unsigned)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]),
	         (unsigned)(b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7]));
}

static void t_msc_misc_commands(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	static const uint8_t tur[6] = { 0 };
	uint8_t b[512];
	struct cmd m;
	static const uint8_t pamr[6] = { 0x1e, 0, 0, 0, 1, 0 }, ssu[6] = { 0x1b, 0, 0, 0, 1, 0 };
	static const uint8_t sync[10] = { 0x35 }, ms6[6] = { 0x1a, 0, 0x3f, 0, 192, 0 };
	static const uint8_t ms10[10] = { 0x5a, 0, 0x08, 0, 0, 0, 0, 0, 255, 0 };
	uint8_t vf[10];

	rw10(vf, 0x2f, 10, 4);
	KT_CHECK(run(h, &m, tur, 6, false, 0, NULL) == 0 && m.status == 0, "TEST UNIT READY: %s status %u",
	         m.err, m.status);
	KT_CHECK(run(h, &m, pamr, 6, false, 0, NULL) == 0 && m.status == 0, "PREVENT ALLOW: %s status %u",
	         m.err, m.status);
	KT_CHECK(run(h, &m, ssu, 6, false, 0, NULL) == 0 && m.status == 0, "START STOP UNIT: %s status %u",
	         m.err, m.status);
	KT_CHECK(run(h, &m, sync, 10, false, 0, NULL) == 0 && m.status == 0, "SYNCHRONIZE CACHE: %s %u",
	         m.err, m.status);
	KT_CHECK(run(h, &m, vf, 10, false, 0, NULL) == 0 && m.status == 0, "VERIFY(10): %s status %u",
	         m.err, m.status);
	KT_CHECK(run(h, &m, ms6, 6, true, 192, b) == 0 && m.status == 0, "MODE SENSE(6): %s status %u",
	         m.err, m.status);
	KT_CHECK(m.got == (unsigned)b[0] + 1 && !(b[2] & 0x80) && m.residue == 192 - m.got && m.data_stalled,
	         "MODE SENSE(6): got %u, length byte %u, WP %u, residue %u, stalled %d", m.got, b[0], b[2] >> 7,
	         m.residue, m.data_stalled);
	KT_CHECK(run(h, &m, ms10, 10, true, 255, b) == 0 && m.status == 0, "MODE SENSE(10): %s status %u",
	         m.err, m.status);
	KT_CHECK(m.got == (unsigned)(b[0] << 8 | b[1]) + 2 && !(b[3] & 0x80) && b[8] == 0x08,
	         "MODE SENSE(10): got %u, length %u, WP %u, page %02x", m.got, b[0] << 8 | b[1], b[3] >> 7, b[8]);
}

/* The data the write tests write: a different pattern in every block. */
static void fill_pattern(uint8_t *wr, size_t len)
{
	for (size_t i = 0; i < len; i++)
		wr[i] = (uint8_t)(i * 7 + (i >> 9) * 13 + 1);
}

static void t_msc_write_read_back(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct usbdev *d = x->d;
	uint8_t wr[8 * 512], rd[8 * 512], cdb[10];
	size_t size;
	uint8_t *disk = usbdev_msc_disk(d, &size);
	struct cmd m;

	fill_pattern(wr, sizeof(wr));
	KT_CHECK(size == BLOCKS * 512u, "disk size %zu", size);
	rw10(cdb, 0x2a, 100, 6);
	KT_CHECK(run(h, &m, cdb, 10, false, 6 * 512, wr) == 0, "WRITE(10): %s", m.err);
	KT_CHECK(m.status == 0 && m.residue == 0 && !m.data_stalled, "WRITE(10): status %u residue %u", m.status,
	         m.residue);
	KT_CHECK(!memcmp(disk + 100 * 512, wr, 6 * 512), "disk contents differ from the data written");
	KT_CHECK(disk[99 * 512 + 511] == 0 && disk[106 * 512] == 0, "WRITE touched blocks outside its range");
	memset(rd, 0xee, sizeof(rd));
	rw10(cdb, 0x28, 100, 6);
	KT_CHECK(run(h, &m, cdb, 10, true, 6 * 512, rd) == 0, "READ(10): %s", m.err);
	KT_CHECK(m.status == 0 && m.residue == 0 && m.got == 6 * 512, "READ(10): status %u residue %u got %u",
	         m.status, m.residue, m.got);
	KT_CHECK(!memcmp(rd, wr, 6 * 512), "data read back differs");
	rw10(cdb, 0x28, 102, 3);
	memset(rd, 0xee, sizeof(rd));
	KT_CHECK(run(h, &m, cdb, 10, true, 3 * 512, rd) == 0 && m.status == 0 && m.got == 3 * 512,
	         "READ(10) of LBA 102: %s status %u got %u", m.err, m.status, m.got);
	KT_CHECK(!memcmp(rd, wr + 2 * 512, 3 * 512), "data of LBA 102..104 differs");
	rw10(cdb, 0x28, BLOCKS - 1, 1);  /* the last block */
	disk[(BLOCKS - 1) * 512 + 5] = 0x5a;
	KT_CHECK(run(h, &m, cdb, 10, true, 512, rd) == 0 && m.status == 0 && rd[5] == 0x5a,
	         "READ of the last block: %s status %u byte %02x", m.err, m.status, rd[5]);
}

/* msc-write-host-sends-more */  /* case 11: Ho > Do */
static void t_msc_write_host_sends_more(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct usbdev *d = x->d;
	uint8_t wr[8 * 512], cdb[10];
	size_t size;
	uint8_t *disk = usbdev_msc_disk(d, &size);
	struct cmd m;

	fill_pattern(wr, sizeof(wr));
	rw10(cdb, 0x2a, 200, 1);
	KT_CHECK(run(h, &m, cdb, 10, false, 2 * 512, wr) == 0, "%s", m.err);
	KT_CHECK(m.status == 0 && m.residue == 512, "status %u residue %u, want 0 and 512", m.status, m.residue);
	KT_CHECK(!memcmp(disk + 200 * 512, wr, 512) && disk[201 * 512] == 0, "wrong blocks written");
}

static void t_msc_sense_invalid_opcode(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct cmd m;
	int s;
	static const uint8_t bad[6] = { 0xe7, 0, 0, 0, 0, 0 };

	KT_CHECK(run(h, &m, bad, 6, false, 0, NULL) == 0, "%s", m.err);
	KT_CHECK(m.status == 1, "unknown opcode: CSW status %u, want 1", m.status);
	s = sense(h);
	KT_CHECK(s == 0x052000, "REQUEST SENSE gave %06x, want 052000 (ILLEGAL REQUEST, invalid opcode)", s);
	s = sense(h);
	KT_CHECK(s == 0, "second REQUEST SENSE gave %06x, want no sense", s);
}

static void t_msc_sense_lba_out_of_range(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t b[1024], cdb[10];
	struct cmd m;
	int s;

	rw10(cdb, 0x28, BLOCKS, 1);
	KT_CHECK(run(h, &m, cdb, 10, true, 512, b) == 0, "%s", m.err);
	KT_CHECK(m.status == 1 && m.residue == 512 && m.got == 0 && m.data_stalled,
	         "READ beyond the end: status %u residue %u got %u stalled %d", m.status, m.residue, m.got,
	         m.data_stalled);
	s = sense(h);
	KT_CHECK(s == 0x052100, "REQUEST SENSE gave %06x, want 052100 (LBA out of range)", s);
	rw10(cdb, 0x2a, BLOCKS - 1, 2);
	KT_CHECK(run(h, &m, cdb, 10, false, 1024, b) == 0 && m.status == 1 && m.residue == 1024,
	         "WRITE across the end: %s status %u residue %u", m.err, m.status, m.residue);
	s = sense(h);
	KT_CHECK(s == 0x052100, "REQUEST SENSE after the WRITE gave %06x", s);
}

/* msc-residue-host-asks-more */  /* case 5: Hi > Di */
static void t_msc_residue_host_asks_more(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t b[1024], cdb[10];
	struct cmd m;
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };

	KT_CHECK(run(h, &m, inq, 6, true, 100, b) == 0, "%s", m.err);
	KT_CHECK(m.status == 0 && m.got == 36 && m.residue == 64 && m.data_stalled,
	         "INQUIRY with 100 expected: status %u got %u residue %u stalled %d", m.status, m.got, m.residue,
	         m.data_stalled);
	rw10(cdb, 0x28, 0, 1);  /* one block, host expects two: the data ends on a packet boundary */
	KT_CHECK(run(h, &m, cdb, 10, true, 1024, b) == 0, "%s", m.err);
	KT_CHECK(m.status == 0 && m.got == 512 && m.residue == 512 && m.data_stalled,
	         "READ 1 block, 2 expected: status %u got %u residue %u stalled %d", m.status, m.got, m.residue,
	         m.data_stalled);
}

static void t_msc_phase_errors(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t b[1024], cdb[10];
	struct cmd m;
	int s;
	static const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };

	KT_CHECK(run(h, &m, inq, 6, true, 0, b) == 0 && m.status == 2,  /* case 2: Hn < Di */
	         "INQUIRY with no data stage: %s status %u", m.err, m.status);
	rw10(cdb, 0x28, 0, 2);  /* case 7: Hi < Di */
	KT_CHECK(run(h, &m, cdb, 10, true, 512, b) == 0 && m.status == 2 && m.got == 512,
	         "READ 2 blocks, 1 expected: %s status %u got %u", m.err, m.status, m.got);
	rw10(cdb, 0x2a, 0, 1);  /* case 8: Hi <> Do */
	KT_CHECK(run(h, &m, cdb, 10, true, 512, b) == 0 && m.status == 2 && m.data_stalled,
	         "WRITE with IN data stage: %s status %u stalled %d", m.err, m.status, m.data_stalled);
	s = sense(h);
	KT_CHECK(s == 0, "a phase error left sense %06x", s);
}

static void t_msc_csw_tag_echo(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	static const uint8_t tur[6] = { 0 };
	uint32_t tags[3] = { 0, 0xdeadbeef, 0xffffffff };

	for (unsigned i = 0; i < 3; i++) {
		uint8_t cbw[31] = { 0 }, csw[64];
		unsigned got;
		int r;

		put_le32(cbw, 0x43425355);
		put_le32(cbw + 4, tags[i]);
		cbw[14] = 6;
		memcpy(cbw + 15, tur, 6);
		r = bulk_out(h, cbw, 31);
		KT_CHECK(r == T_ACK, "CBW %u: %s", i, t_res_name(r));
		r = bulk_in(h, csw, 64, &got);
		KT_CHECK(r == T_DATA && got == 13 && get_le32(csw + 4) == tags[i] && csw[12] == 0,
		         "CSW %u: %s %u bytes tag %08x status %u", i, t_res_name(r), got, get_le32(csw + 4), csw[12]);
	}
	/* and every command above went through scsi(), which checks the tag of each CSW */

}

static void t_msc_invalid_cbw_stalls(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	uint8_t cbw[32] = { 0 }, b[64];
	unsigned got;
	int r, n;

	put_le32(cbw, 0x43425356);  /* wrong signature */
	cbw[14] = 6;
	r = bulk_out(h, cbw, 31);
	KT_CHECK(r == T_ACK, "invalid CBW packet answered %s", t_res_name(r));
	r = bulk_in(h, b, 64, &got);
	KT_CHECK(r == T_STALL, "bulk IN after an invalid CBW answered %s, want STALL", t_res_name(r));
	put_le32(cbw, 0x43425355);
	r = bulk_out(h, cbw, 31);
	KT_CHECK(r == T_STALL, "bulk OUT after an invalid CBW answered %s, want STALL", t_res_name(r));
	n = clear_halt(h, 0x80 | EP_IN);
	KT_CHECK(n == 0, "CLEAR_FEATURE(HALT) gave %d", n);
	r = bulk_in(h, b, 64, &got);
	KT_CHECK(r == T_STALL, "bulk IN after CLEAR_FEATURE but before the reset answered %s, want STALL",
	         t_res_name(r));
}

static void t_msc_reset_recovery(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	static const uint8_t tur[6] = { 0 };
	struct cmd m;
	int n;

	n = t_control(h, 0x21, 0xff, 0, 0, 0, NULL);
	KT_CHECK(n == 0, "Bulk-Only Mass Storage Reset gave %d", n);
	KT_CHECK(clear_halt(h, 0x80 | EP_IN) == 0 && clear_halt(h, EP_OUT) == 0, "CLEAR_FEATURE(HALT) failed");
	KT_CHECK(run(h, &m, tur, 6, false, 0, NULL) == 0 && m.status == 0, "TEST UNIT READY after recovery: %s %u",
	         m.err, m.status);
}

static void t_msc_invalid_cbw_length(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct usbdev *d = x->d;
	static const uint8_t tur[6] = { 0 };
	struct usbdev_msc_stats st;
	uint8_t cbw[32] = { 0 }, b[64];
	unsigned got;
	struct cmd m;
	int r;

	put_le32(cbw, 0x43425355);
	r = bulk_out(h, cbw, 30);  /* one byte short */
	KT_CHECK(r == T_ACK, "short CBW answered %s", t_res_name(r));
	r = bulk_in(h, b, 64, &got);
	KT_CHECK(r == T_STALL, "bulk IN after a 30-byte CBW answered %s, want STALL", t_res_name(r));
	cbw[14] = 0;
	r = bulk_out(h, cbw, 31);
	KT_CHECK(r == T_STALL, "bulk OUT answered %s, want STALL", t_res_name(r));
	t_control(h, 0x21, 0xff, 0, 0, 0, NULL);
	clear_halt(h, 0x80 | EP_IN);
	clear_halt(h, EP_OUT);
	r = bulk_out(h, cbw, 31);  /* bCBWCBLength 0: not meaningful */
	KT_CHECK(r == T_ACK, "CBW with CB length 0 answered %s", t_res_name(r));
	r = bulk_in(h, b, 64, &got);
	KT_CHECK(r == T_STALL, "bulk IN after a CBW with CB length 0 answered %s", t_res_name(r));
	t_control(h, 0x21, 0xff, 0, 0, 0, NULL);
	clear_halt(h, 0x80 | EP_IN);
	clear_halt(h, EP_OUT);
	KT_CHECK(run(h, &m, tur, 6, false, 0, NULL) == 0 && m.status == 0, "TEST UNIT READY after recovery: %s %u",
	         m.err, m.status);
	usbdev_msc_get_stats(d, &st);
	KT_CHECK(st.invalid_cbws == 3 && st.bot_resets == 3, "stats: %llu invalid CBWs, %llu resets",
	         (unsigned long long)st.invalid_cbws, (unsigned long long)st.bot_resets);
}

static void t_msc_wp_enumerate(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;

	t_enumerate(h, 2, 1, 0x1209, 0x0002);
}

static void t_msc_write_protect(void *arg)
{
	struct tdev *x = arg;
	struct thost *h = &x->h;
	struct usbdev *d = x->d;
	static const uint8_t ms6[6] = { 0x1a, 0, 0x3f, 0, 192, 0 };
	uint8_t b[1024], cdb[10];
	struct cmd m;
	size_t size;
	int s;

	KT_CHECK(run(h, &m, ms6, 6, true, 192, b) == 0 && m.status == 0 && (b[2] & 0x80),
	         "MODE SENSE(6): %s status %u WP %u", m.err, m.status, b[2] >> 7);
	rw10(cdb, 0x2a, 0, 1);
	memset(b, 0x77, 512);
	KT_CHECK(run(h, &m, cdb, 10, false, 512, b) == 0 && m.status == 1, "WRITE: %s status %u", m.err, m.status);
	s = sense(h);
	KT_CHECK(s == 0x072700, "REQUEST SENSE gave %06x, want 072700 (write protected)", s);
	KT_CHECK(usbdev_msc_disk(d, &size)[0] == 0 && size == 64 * 512, "write-protected disk was written");
}

static void t_msc_default_size_and_errors(void *arg)
{
	struct usbdev_msc_opts o = { .write_protect = true, .blocks = 64 };
	struct usbdev *d;
	size_t size;

	(void)arg;
	d = usbdev_msc_create(NULL);
	KT_CHECK(d && usbdev_msc_disk(d, &size) && size == 8u << 20, "default disk is %zu bytes", d ? size : 0);
	usbdev_destroy(d);
	o.blocks = 4194305;
	KT_CHECK(usbdev_msc_create(&o) == NULL, "2 GiB + 512 disk accepted");
}

/* Tests on one BLOCKS-block disk, in order. */
static const struct kt_case disk_cases[] = {
	{ "msc-enumerate", t_msc_enumerate },
	{ "msc-config-descriptor", t_msc_config_descriptor },
	{ "msc-get-max-lun", t_msc_get_max_lun },
	{ "msc-inquiry", t_msc_inquiry },
	{ "msc-read-capacity", t_msc_read_capacity },
	{ "msc-misc-commands", t_msc_misc_commands },
	{ "msc-write-read-back", t_msc_write_read_back },
	{ "msc-write-host-sends-more", t_msc_write_host_sends_more },
	{ "msc-sense-invalid-opcode", t_msc_sense_invalid_opcode },
	{ "msc-sense-lba-out-of-range", t_msc_sense_lba_out_of_range },
	{ "msc-residue-host-asks-more", t_msc_residue_host_asks_more },
	{ "msc-phase-errors", t_msc_phase_errors },
	{ "msc-csw-tag-echo", t_msc_csw_tag_echo },
	{ "msc-invalid-cbw-stalls", t_msc_invalid_cbw_stalls },
	{ "msc-reset-recovery", t_msc_reset_recovery },
	{ "msc-invalid-cbw-length", t_msc_invalid_cbw_length },
};

/* Tests on a 64-block write-protected disk, in order. */
static const struct kt_case wp_cases[] = {
	{ "msc-wp-enumerate", t_msc_wp_enumerate },
	{ "msc-write-protect", t_msc_write_protect },
};

int main(int argc, char **argv)
{
	static const struct usbdev_msc_opts disk = { .blocks = BLOCKS };
	static const struct usbdev_msc_opts wp = { .write_protect = true, .blocks = 64 };
	static const struct kt_case cases[] = {
		{ "msc-default-size-and-errors", t_msc_default_size_and_errors },
	};

	kt_init(&argc, argv);
	msc_run(disk_cases, KT_ARRAY_SIZE(disk_cases), &disk);
	msc_run(wp_cases, KT_ARRAY_SIZE(wp_cases), &wp);
	kt_run(cases, KT_ARRAY_SIZE(cases), NULL);
	return kt_finish();
}
