/* SPDX-License-Identifier: MIT */
/*
 * virtio_pcidev device side: one PCI function (config space, BAR0 = the model's AXI4-Lite
 * registers), the command queue (0), the interrupt queue (1) and DMA address translation.
 */
#ifndef KITE_BRIDGE_PCIDEV_H
#define KITE_BRIDGE_PCIDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "kite_model.h"
#include "log.h"
#include "vhost_user.h"

#define PCIDEV_CFG_SIZE 4096u
#define PCIDEV_BAR0_SIZE 4096u
#define PCIDEV_CLASS 0x0c0380u      /* USB controller, prog-if 0x80 ("other") */
#define PCIDEV_MAX_XFER 4096u       /* largest MMIO read/write/memset accepted */

enum pcidev_op {
	PCIDEV_OP_CFG_READ = 1,
	PCIDEV_OP_CFG_WRITE = 2,
	PCIDEV_OP_MMIO_READ = 3,
	PCIDEV_OP_MMIO_WRITE = 4,
	PCIDEV_OP_MMIO_MEMSET = 5,
	PCIDEV_OP_INT = 6,
	PCIDEV_OP_MSI = 7,
	PCIDEV_OP_PME = 8,
};

struct pcidev_msg {
	uint8_t op;
	uint8_t bar;
	uint16_t reserved;
	uint32_t size;
	uint64_t addr;
};

struct pcidev_stats {
	uint64_t mmio_reads, mmio_writes, memsets, cfg_reads, cfg_writes;
	uint64_t irqs, irq_resends;
	uint64_t dma_read_bytes, dma_write_bytes, dma_errors;
	uint64_t bad_requests, reg_errors;
};

struct pcidev {
	struct vu_dev *vu;
	struct kite_model *model;
	uint16_t vendor, device;
	uint8_t cfg[PCIDEV_CFG_SIZE];
	uint8_t wmask[PCIDEV_CFG_SIZE];

	/* interrupt state (see docs/bridge.md) */
	uint64_t irq_resend_ns;
	bool irq_level;          /* last sampled (and not INTx-disabled) line */
	bool irq_pending;        /* a message must be sent when a queue-1 buffer is available */
	bool irq_recheck;        /* the guest wrote MMIO since the last sample */
	uint64_t irq_last_ns;    /* last INT message sent (or rising edge) */
	uint64_t last_mmio_ns;

	/* posted requests returned on the used ring but not yet signalled (see pcidev_poll_cmd) */
	uint32_t posted_unsignaled;
	uint64_t last_posted_ns;

	bool logged_bad_bar_read, logged_bad_bar_write;
	struct kb_ratelimit rl_dma, rl_bad, rl_reg;
	struct pcidev_stats st;
	uint8_t buf[sizeof(struct pcidev_msg) + PCIDEV_MAX_XFER];
};

void pcidev_init(struct pcidev *p, struct vu_dev *vu, uint16_t vendor, uint16_t device);
void pcidev_set_model(struct pcidev *p, struct kite_model *m);
/* Memory callbacks for kite_model_create(): translate through vu's region table. */
struct kite_mem_ops pcidev_mem_ops(struct pcidev *p);

/* Posted completions are signalled once this many have gathered, or after this quiet time. */
#define PCIDEV_POSTED_FLUSH_NS 200000u

/*
 * Handle every available request on the command queue. Completed reads are not signalled (UML
 * polls for them); completed posted writes are signalled in bulk: when a quarter of the ring
 * has gathered or no request came for PCIDEV_POSTED_FLUSH_NS. Each call into UML is a SIGIO
 * that interrupts whatever it is doing, so one per write would dominate the write cost.
 * Returns the number handled, or -1 on a malformed ring.
 */
int pcidev_poll_cmd(struct pcidev *p, uint64_t now_ns);
/*
 * Sample the model's interrupt line (call after the model was ticked) and send an INT
 * message when the level scheme says so. 0, or -1 on a malformed interrupt queue.
 */
int pcidev_irq_update(struct pcidev *p, uint64_t now_ns);

/* True when the guest enabled MSI: interrupts go out as MSI messages instead of INTx. */
bool pcidev_msi_enabled(const struct pcidev *p);

/* Config space access, as the CFG_READ/CFG_WRITE ops see it (for tests and tools). */
void pcidev_cfg_read(struct pcidev *p, uint32_t off, uint32_t size, uint8_t *out);
void pcidev_cfg_write(struct pcidev *p, uint32_t off, uint32_t size, const uint8_t *in);

#endif
