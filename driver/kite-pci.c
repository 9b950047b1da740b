// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB 2.0 host controller: PCI bus glue.
 *
 * BAR0 holds the register block; the interrupt is one MSI vector, or the
 * legacy INTx pin (possibly shared) where MSI is not available. Everything
 * but the usb_hcd registration is device-managed: remove takes the HCD
 * off the bus and quiesces the controller.
 */

#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/pci.h>

#include "kite.h"

#define PCI_DEVICE_ID_KITE	0x4b49

static void kite_pci_reserved_mem_release(void *data)
{
	of_reserved_mem_device_release(data);
}

/*
 * A devicetree node for the PCI function (a child of the host bridge's node,
 * matched by devfn) may give it a shared-dma-pool with memory-region, as the
 * platform glue's node does: then every coherent allocation (rings, event
 * ring, usb_alloc_coherent buffers, the self-test) comes from that pool.
 */
static int kite_pci_reserved_mem(struct device *dev)
{
	struct device_node *np;
	int ret;

	if (!dev->of_node || !of_property_present(dev->of_node, "memory-region"))
		return 0;
	ret = of_reserved_mem_device_init(dev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot use memory-region\n");
	np = of_parse_phandle(dev->of_node, "memory-region", 0);
	dev_info(dev, "coherent memory from reserved region %pOF\n", np);
	of_node_put(np);
	return devm_add_action_or_reset(dev, kite_pci_reserved_mem_release, dev);
}

static int kite_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct usb_hcd *hcd;
	struct kite_hc *hc;
	int ret;

	if (usb_disabled())
		return -ENODEV;

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable PCI device\n");

	if (pci_resource_len(pdev, 0) < KITE_REG_BLOCK_SIZE ||
	    !(pci_resource_flags(pdev, 0) & IORESOURCE_MEM)) {
		dev_err(dev, "BAR0 is not a memory BAR of at least %u bytes\n",
			KITE_REG_BLOCK_SIZE);
		return -ENODEV;
	}

	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return dev_err_probe(dev, ret, "cannot map BAR0\n");

	ret = kite_pci_reserved_mem(dev);
	if (ret)
		return ret;

	hcd = kite_hcd_create(dev);
	if (!hcd)
		return -ENOMEM;
	/* Released last: after the interrupt below, which uses it. */
	ret = devm_add_action_or_reset(dev, kite_hcd_put, hcd);
	if (ret)
		return ret;
	hc = hcd_to_kite(hcd);
	hc->regs = pcim_iomap_table(pdev)[0];
	hcd->regs = hc->regs;
	hcd->rsrc_start = pci_resource_start(pdev, 0);
	hcd->rsrc_len = pci_resource_len(pdev, 0);

	ret = kite_hc_init(hc);
	if (ret)
		return ret;

	pci_set_master(pdev);

	/*
	 * One vector: MSI where the platform has it (PCIe FPGA cards, UML's
	 * virt-pci), else the shared INTx pin. Managed by pcim_enable_device().
	 * The interrupt is requested here and not by usb_add_hcd() so the
	 * self-test can use it before the HCD exists, and so it is managed.
	 */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no interrupt available\n");
	hc->irq = pci_irq_vector(pdev, 0);
	hc->irq_exclusive = pdev->msi_enabled;

	/* kite_hc_init() left every interrupt source disabled. */
	ret = devm_request_irq(dev, hc->irq, kite_hc_irq,
			       pdev->msi_enabled ? 0 : IRQF_SHARED,
			       dev_name(dev), hc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot request IRQ %d\n",
				     hc->irq);

	ret = kite_hc_start(hc);
	if (ret)
		return ret;

	pci_set_drvdata(pdev, hcd);
	/* The interrupt is ours (irqnum 0): usb_add_hcd() requests none. */
	ret = usb_add_hcd(hcd, 0, 0);
	if (ret) {
		dev_err(dev, "cannot add the USB host controller: %d\n", ret);
		kite_hc_stop(hc);
		return ret;
	}
	device_wakeup_enable(hcd->self.controller);
	return 0;
}

static void kite_pci_remove(struct pci_dev *pdev)
{
	struct usb_hcd *hcd = pci_get_drvdata(pdev);

	usb_remove_hcd(hcd);
	/* The interrupt, the hcd, BAR mapping and memory go with devres. */
	kite_hc_stop(hcd_to_kite(hcd));
}

static void kite_pci_shutdown(struct pci_dev *pdev)
{
	struct usb_hcd *hcd = pci_get_drvdata(pdev);

	if (hcd)
		kite_hc_shutdown(hcd_to_kite(hcd));
}

static const struct pci_device_id kite_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_XILINX, PCI_DEVICE_ID_KITE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, kite_pci_ids);

static struct pci_driver kite_pci_driver = {
	.name		= KBUILD_MODNAME,
	.id_table	= kite_pci_ids,
	.probe		= kite_pci_probe,
	.remove		= kite_pci_remove,
	.shutdown	= kite_pci_shutdown,
};
module_pci_driver(kite_pci_driver);

MODULE_DESCRIPTION("kite USB 2.0 host controller PCI glue");
MODULE_LICENSE("GPL");
