/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kite USB 2.0 host controller: bus-independent core.
 *
 * The core (kite-core.c, kite-selftest.c; module kite-hcd) knows the
 * register interface. Bus glue (kite-pci.c; later a devicetree platform
 * glue) finds the registers and the interrupt, fills in a struct kite_hc
 * and calls the core, the way ehci-pci.c and ehci-platform.c use
 * ehci-hcd.c.
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

#include "kite_regs.h"

/* INT_STATUS, INT_ENABLE and INT_FORCE share one bit layout. */
#define KITE_INT_DMATEST_DONE	KITE_INT_STATUS_DMATEST_DONE_MASK
#define KITE_INT_DMATEST_ERROR	KITE_INT_STATUS_DMATEST_ERROR_MASK
#define KITE_INT_DMATEST	(KITE_INT_DMATEST_DONE | KITE_INT_DMATEST_ERROR)
#define KITE_INT_ALL		KITE_INT_DMATEST

/**
 * struct kite_hc - one kite controller
 * @dev: the controller device (PCI function or platform device)
 * @regs: register block, KITE_REG_BLOCK_SIZE bytes
 * @irq: Linux interrupt number (requested by the bus glue)
 * @version: VERSION register
 * @cap: CAP register
 * @addr_width: DMA address width in bits (CAP.ADDR_WIDTH)
 * @data_bits: DMA data bus width in bits (8 << CAP.DATA_BYTES_LOG2)
 * @num_ports: root hub ports (CAP.NUM_PORTS)
 * @max_burst: longest AXI4 burst in beats (1 << CAP.MAX_BURST_LOG2)
 * @has_dma_test: the DMA self-test engine is present (CAP.DMA_TEST)
 * @lock: protects @int_enable and @st_irq
 * @int_enable: copy of INT_ENABLE, so the handler needs no extra read
 * @st_done: completed by the interrupt handler for the self-test
 * @st_irq: INT_STATUS self-test bits seen by the handler since the last start
 * @debugfs: the controller's debugfs directory
 * @bench_lock: serialises the debugfs benchmarks (they share the engine)
 * @bench_dma_len: bytes copied by debugfs bench_dma
 */
struct kite_hc {
	struct device *dev;
	void __iomem *regs;
	int irq;

	u32 version;
	u32 cap;
	unsigned int addr_width;
	unsigned int data_bits;
	unsigned int num_ports;
	unsigned int max_burst;
	bool has_dma_test;

	spinlock_t lock;		/* protects int_enable, st_irq */
	u32 int_enable;

	struct completion st_done;
	u32 st_irq;

	struct dentry *debugfs;
	struct mutex bench_lock;	/* one benchmark at a time */
	u32 bench_dma_len;
};

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

/* kite-core.c: used inside the core */
void kite_hc_set_int_enable(struct kite_hc *hc, u32 mask);

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
