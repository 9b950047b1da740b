// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB 2.0 host controller: PCI bus glue.
 *
 * BAR0 holds the register block; the interrupt is one MSI vector, or the
 * legacy INTx pin (possibly shared) where MSI is not available. Everything
 * is device-managed: on remove only the controller has to be quiesced.
 */

#include <linux/module.h>
#include <linux/pci.h>

#include "kite.h"

#define PCI_DEVICE_ID_KITE	0x4b49

static int kite_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct kite_hc *hc;
	int ret;

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

	hc = devm_kzalloc(dev, sizeof(*hc), GFP_KERNEL);
	if (!hc)
		return -ENOMEM;
	hc->dev = dev;
	hc->regs = pcim_iomap_table(pdev)[0];

	ret = kite_hc_init(hc);
	if (ret)
		return ret;

	pci_set_master(pdev);

	/*
	 * One vector: MSI where the platform has it (PCIe FPGA cards, UML's
	 * virt-pci), else the shared INTx pin. Managed by pcim_enable_device().
	 */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no interrupt available\n");
	hc->irq = pci_irq_vector(pdev, 0);

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

	pci_set_drvdata(pdev, hc);
	return 0;
}

static void kite_pci_remove(struct pci_dev *pdev)
{
	struct kite_hc *hc = pci_get_drvdata(pdev);

	/* The interrupt, BAR mapping and memory are released by devres. */
	kite_hc_stop(hc);
}

static void kite_pci_shutdown(struct pci_dev *pdev)
{
	struct kite_hc *hc = pci_get_drvdata(pdev);

	if (hc)
		kite_hc_stop(hc);
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
