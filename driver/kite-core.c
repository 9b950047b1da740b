// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB 2.0 host controller: bus-independent core.
 *
 * Identifies the controller from its ID, VERSION and CAP registers, sets
 * the DMA mask, owns the interrupt handler and runs the DMA self-test
 * (kite-selftest.c). The bus glue (kite-pci.c, kite-plat.c) maps the
 * registers, creates the usb_hcd (kite_hcd_create()), requests the
 * interrupt and calls kite_hc_init(), kite_hc_start(), usb_add_hcd(), and
 * on the way out usb_remove_hcd() and kite_hc_stop().
 */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>

#include "kite.h"

static_assert(KITE_INT_ENABLE_DMATEST_DONE_MASK == KITE_INT_DMATEST_DONE);
static_assert(KITE_INT_ENABLE_DMATEST_ERROR_MASK == KITE_INT_DMATEST_ERROR);
static_assert(KITE_INT_FORCE_DMATEST_DONE_MASK == KITE_INT_DMATEST_DONE);
static_assert(KITE_INT_FORCE_DMATEST_ERROR_MASK == KITE_INT_DMATEST_ERROR);

/**
 * kite_hc_update_int_enable() - change INT_ENABLE and remember it
 * @hc: controller
 * @clear: KITE_INT_* bits to disable
 * @set: KITE_INT_* bits to enable
 */
void kite_hc_update_int_enable(struct kite_hc *hc, u32 clear, u32 set)
{
	unsigned long flags;

	spin_lock_irqsave(&hc->lock, flags);
	hc->int_enable = (hc->int_enable & ~clear) | set;
	kite_writel(hc, KITE_REG_INT_ENABLE, hc->int_enable);
	spin_unlock_irqrestore(&hc->lock, flags);
}

/**
 * kite_hc_set_int_enable() - set the self-test bits of INT_ENABLE
 * @hc: controller
 * @mask: KITE_INT_DMATEST bits to enable; the other self-test bits are
 *	disabled, the host controller's bits are left alone (the debugfs
 *	benchmarks use the engine while the HCD runs)
 */
void kite_hc_set_int_enable(struct kite_hc *hc, u32 mask)
{
	kite_hc_update_int_enable(hc, KITE_INT_DMATEST, mask & KITE_INT_DMATEST);
}

/* Disable every interrupt source and acknowledge anything pending. */
static void kite_hc_quiesce(struct kite_hc *hc)
{
	kite_hc_update_int_enable(hc, ~0u, 0);
	kite_writel(hc, KITE_REG_INT_STATUS, KITE_INT_ALL);
}

static int kite_hc_identify(struct kite_hc *hc)
{
	u32 id, major;

	id = kite_readl(hc, KITE_REG_ID);
	if (id != KITE_ID_MAGIC_RESET) {
		dev_err(hc->dev,
			"not a kite controller: ID register reads 0x%08x, expected 0x%08x%s\n",
			id, KITE_ID_MAGIC_RESET,
			id == ~0u ? " (device not responding)" : "");
		return -ENODEV;
	}

	hc->version = kite_readl(hc, KITE_REG_VERSION);
	major = FIELD_GET(KITE_VERSION_MAJOR_MASK, hc->version);
	if (major != KITE_VERSION_MAJOR) {
		dev_err(hc->dev,
			"unsupported register interface %u.%u.%u: this driver needs major version %u\n",
			major,
			(u32)FIELD_GET(KITE_VERSION_MINOR_MASK, hc->version),
			(u32)FIELD_GET(KITE_VERSION_PATCH_MASK, hc->version),
			KITE_VERSION_MAJOR);
		return -ENODEV;
	}

	hc->cap = kite_readl(hc, KITE_REG_CAP);
	hc->addr_width = FIELD_GET(KITE_CAP_ADDR_WIDTH_MASK, hc->cap);
	hc->data_bits = 8U << FIELD_GET(KITE_CAP_DATA_BYTES_LOG2_MASK, hc->cap);
	hc->num_ports = FIELD_GET(KITE_CAP_NUM_PORTS_MASK, hc->cap);
	hc->max_burst = 1U << FIELD_GET(KITE_CAP_MAX_BURST_LOG2_MASK, hc->cap);
	hc->has_dma_test = FIELD_GET(KITE_CAP_DMA_TEST_MASK, hc->cap);

	if (hc->addr_width < 24 || hc->addr_width > 64) {
		dev_err(hc->dev, "invalid CAP register 0x%08x: DMA address width %u bits\n",
			hc->cap, hc->addr_width);
		return -ENODEV;
	}

	dev_info(hc->dev,
		 "kite controller %u.%u.%u (id 0x%08x): %u-bit DMA, %u-bit data bus, %u port%s, features: %s\n",
		 major,
		 (u32)FIELD_GET(KITE_VERSION_MINOR_MASK, hc->version),
		 (u32)FIELD_GET(KITE_VERSION_PATCH_MASK, hc->version),
		 id, hc->addr_width, hc->data_bits, hc->num_ports,
		 hc->num_ports == 1 ? "" : "s",
		 hc->has_dma_test ? "dma-test" : "none");
	dev_dbg(hc->dev, "CAP 0x%08x: longest burst %u beats\n",
		hc->cap, hc->max_burst);
	return 0;
}

/**
 * kite_hc_init() - identify the controller and prepare it for use
 * @hc: controller with @dev and @regs filled in by the bus glue
 *
 * Checks ID and VERSION, reads CAP, sets the DMA mask from CAP.ADDR_WIDTH
 * and leaves the controller with every interrupt disabled and acknowledged,
 * so that the bus glue can request the (possibly shared) interrupt next.
 *
 * Return: 0, -ENODEV for a device this driver cannot drive, or the error of
 * dma_set_mask_and_coherent().
 */
int kite_hc_init(struct kite_hc *hc)
{
	int ret;

	spin_lock_init(&hc->lock);
	init_completion(&hc->st_done);
	INIT_LIST_HEAD(&hc->cmd_list);
	INIT_LIST_HEAD(&hc->giveback);
	mutex_init(&hc->cmd_mutex);
	init_waitqueue_head(&hc->ep_wq);

	ret = kite_hc_identify(hc);
	if (ret)
		return ret;

	ret = dma_set_mask_and_coherent(hc->dev, DMA_BIT_MASK(hc->addr_width));
	if (ret) {
		dev_err(hc->dev, "platform cannot do %u-bit DMA for this device: %d\n",
			hc->addr_width, ret);
		return ret;
	}

	kite_hc_quiesce(hc);
	return 0;
}
EXPORT_SYMBOL_GPL(kite_hc_init);

/**
 * kite_hc_irq() - interrupt handler
 * @irq: interrupt number
 * @data: the struct kite_hc
 *
 * The line may be shared. The controller drives it level-high while
 * INT_STATUS & INT_ENABLE is non-zero, so the pending bits are acknowledged
 * (write 1 to clear) before any waiter is completed or any event is read:
 * a new event after this point raises the line again instead of being lost.
 * Self-test bits go to kite-selftest.c, host controller bits (events, port
 * changes, host error) to kite_hcd_irq().
 *
 * Return: IRQ_HANDLED, or IRQ_NONE when no enabled status bit was set.
 */
irqreturn_t kite_hc_irq(int irq, void *data)
{
	struct kite_hc *hc = data;
	u32 status, pending;

	/* Events in the ring of an interrupt of our own: no register read. */
	if (hc->irq_exclusive && kite_hcd_irq_events(hc))
		return IRQ_HANDLED;

	status = kite_readl(hc, KITE_REG_INT_STATUS);
	if (status == ~0u)	/* device gone */
		return IRQ_NONE;

	spin_lock(&hc->lock);
	pending = status & hc->int_enable;
	spin_unlock(&hc->lock);
	if (!pending)
		return IRQ_NONE;

	kite_writel(hc, KITE_REG_INT_STATUS, pending);

	if (pending & KITE_INT_DMATEST)
		kite_selftest_irq(hc, pending & KITE_INT_DMATEST);
	if (pending & KITE_INT_HOST)
		kite_hcd_irq(hc, pending & KITE_INT_HOST);

	return IRQ_HANDLED;
}
EXPORT_SYMBOL_GPL(kite_hc_irq);

/**
 * kite_hc_start() - bring the controller into service
 * @hc: controller initialised by kite_hc_init(), interrupt requested
 *
 * Runs the DMA self-test unless the module parameter selftest=0.
 *
 * Return: 0 or a negative error; on error the controller is quiesced.
 */
int kite_hc_start(struct kite_hc *hc)
{
	int ret;

	if (kite_selftest_enabled()) {
		ret = kite_selftest_run(hc);
		kite_hc_quiesce(hc);
		if (ret)
			return ret;
	} else {
		dev_dbg(hc->dev, "self-test skipped (selftest=0)\n");
	}

	kite_debugfs_init(hc);
	return 0;
}
EXPORT_SYMBOL_GPL(kite_hc_start);

/**
 * kite_hc_stop() - quiesce the controller before the bus glue lets go
 * @hc: controller
 *
 * Called after usb_remove_hcd() (or when usb_add_hcd() failed). Disables
 * every interrupt source (INT_ENABLE = 0) and acknowledges anything
 * pending. The interrupt itself is freed by the bus glue.
 */
void kite_hc_stop(struct kite_hc *hc)
{
	kite_debugfs_exit(hc);
	kite_hc_quiesce(hc);
	/* Normally freed by the hc_driver's stop; not if its start failed. */
	kite_evt_free(hc);
}
EXPORT_SYMBOL_GPL(kite_hc_stop);

static int __init kite_hcd_init(void)
{
	kite_debugfs_create_root();
	return 0;
}
module_init(kite_hcd_init);

static void __exit kite_hcd_exit(void)
{
	kite_debugfs_remove_root();
}
module_exit(kite_hcd_exit);

MODULE_DESCRIPTION("kite USB 2.0 host controller core");
MODULE_LICENSE("GPL");
