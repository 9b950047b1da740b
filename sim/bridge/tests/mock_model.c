// SPDX-License-Identifier: MIT
/* Mock implementation of kite_model.h: see mock_model.h for its register map. */
#include "mock_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NREGS 1024

struct kite_model {
	uint32_t regs[NREGS];
	struct kite_mem_ops mem;
	struct kite_model_stats st;
	unsigned int busy_left;
	uint32_t pending_ctrl;
	uint64_t writes;
	uint8_t last_strb;
	enum kite_attach attach;
	bool has_port[MOCK_NUM_PORTS];
	struct kite_port_backend port[MOCK_NUM_PORTS];
};

struct kite_model *kite_model_create(const struct kite_model_config *cfg,
				     const struct kite_mem_ops *mem)
{
	struct kite_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->attach = cfg ? cfg->attach : KITE_ATTACH_UTMI;
	m->mem = *mem;
	m->regs[MOCK_ID / 4] = 0x4B495445;
	m->regs[0x004 / 4] = 0x00010000;
	return m;
}

void kite_model_destroy(struct kite_model *m)
{
	free(m);
}

static void run_dma(struct kite_model *m)
{
	uint64_t addr = m->regs[MOCK_DMA_ADDR_LO / 4] | (uint64_t)m->regs[MOCK_DMA_ADDR_HI / 4] << 32;
	uint32_t len = m->regs[MOCK_DMA_LEN / 4];
	uint8_t buf[4096];
	int rc;

	if (len > sizeof(buf))
		len = sizeof(buf);
	if (m->pending_ctrl == 1) {
		rc = m->mem.read(m->mem.ctx, addr, buf, len);
		uint32_t sum = 0;

		if (!rc) {
			for (uint32_t i = 0; i < len; i++)
				sum += buf[i];
			m->st.dma_read_bytes += len;
		}
		m->regs[MOCK_DMA_SUM / 4] = sum;
	} else {
		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i ^ 0x5a);
		rc = m->mem.write(m->mem.ctx, addr, buf, len);
		if (!rc)
			m->st.dma_write_bytes += len;
	}
	if (rc)
		m->st.dma_errors++;
	m->regs[MOCK_DMA_RESULT / 4] = rc ? 1 : 0;
	m->regs[MOCK_INT_STATUS / 4] |= 1;
	m->pending_ctrl = 0;
}

void kite_model_tick(struct kite_model *m, unsigned int n)
{
	m->st.cycles += n;
	if (m->busy_left) {
		if (n >= m->busy_left) {
			m->busy_left = 0;
			run_dma(m);
		} else {
			m->busy_left -= n;
		}
	}
}

int kite_model_reg_read(struct kite_model *m, uint32_t offset, uint32_t *val)
{
	kite_model_tick(m, 2);
	m->st.reg_reads++;
	if ((offset & 3) || offset >= 0x800) {
		*val = 0;
		return -EIO;
	}
	*val = (offset == MOCK_INT_SET || offset == MOCK_DMA_CTRL) ? 0 : m->regs[offset / 4];
	return 0;
}

int kite_model_reg_write(struct kite_model *m, uint32_t offset, uint32_t val, uint8_t strb)
{
	uint32_t mask = 0;

	kite_model_tick(m, 2);
	m->st.reg_writes++;
	m->writes++;
	m->last_strb = strb;
	if ((offset & 3) || offset >= 0x800)
		return -EIO;
	for (int i = 0; i < 4; i++)
		if (strb & (1u << i))
			mask |= 0xffu << (8 * i);
	val &= mask;
	switch (offset) {
	case 0x000: case 0x004: case MOCK_DMA_SUM: case MOCK_DMA_RESULT:
		break;
	case MOCK_INT_STATUS:
		m->regs[offset / 4] &= ~val;
		break;
	case MOCK_INT_SET:
		m->regs[MOCK_INT_STATUS / 4] |= val;
		break;
	case MOCK_DMA_CTRL:
		if (val == 1 || val == 2) {
			m->pending_ctrl = val;
			m->busy_left = 16;
		}
		break;
	default:
		m->regs[offset / 4] = (m->regs[offset / 4] & ~mask) | val;
		break;
	}
	return 0;
}

bool kite_model_irq(const struct kite_model *m)
{
	return (m->regs[MOCK_INT_STATUS / 4] & m->regs[MOCK_INT_ENABLE / 4]) != 0;
}

uint64_t kite_model_time_ps(const struct kite_model *m)
{
	return m->st.cycles * 1000000ull / 96ull;	/* as the real model: a 96 MHz bus clock */
}

/* The mock has no fast-forward: never quiet, so the bridge always clocks it. */
uint64_t kite_model_quiet_cycles(struct kite_model *m)
{
	(void)m;
	return 0;
}

int kite_model_skip(struct kite_model *m, uint64_t usb_cycles)
{
	(void)m;
	return usb_cycles ? -EINVAL : 0;
}

bool kite_model_busy(const struct kite_model *m)
{
	return m->busy_left != 0;
}

void kite_model_get_stats(const struct kite_model *m, struct kite_model_stats *st)
{
	*st = m->st;
}

uint32_t mock_model_peek(const struct kite_model *m, uint32_t off)
{
	return m->regs[(off / 4) % NREGS];
}

uint64_t mock_model_writes(const struct kite_model *m)
{
	return m->writes;
}

uint8_t mock_model_last_strb(const struct kite_model *m)
{
	return m->last_strb;
}

int kite_model_set_port(struct kite_model *m, unsigned int port, const struct kite_port_backend *b)
{
	if (!m || port >= MOCK_NUM_PORTS)
		return -EINVAL;
	m->has_port[port] = b != NULL;
	if (b)
		m->port[port] = *b;
	return 0;
}

bool mock_model_port(const struct kite_model *m, unsigned int port, struct kite_port_backend *b)
{
	if (port >= MOCK_NUM_PORTS || !m->has_port[port])
		return false;
	if (b)
		*b = m->port[port];
	return true;
}

enum kite_attach mock_model_attach(const struct kite_model *m)
{
	return m->attach;
}
