// SPDX-License-Identifier: GPL-2.0
/*
 * kite USB 2.0 host controller: devicetree platform glue.
 *
 * Binding: dts/bindings/kite,usb-host.yaml (compatible "kite,usb-host").
 * reg is the register block, interrupts the controller's line; clocks and
 * resets are optional and all of them are enabled/deasserted; a
 * memory-region (shared-dma-pool) becomes the device's coherent pool
 * before anything is allocated, so rings, contexts and the self-test's
 * coherent buffers come from it; dma-coherent needs nothing here (the DMA
 * API reads it). The DMA mask comes from CAP.ADDR_WIDTH (kite_hc_init()).
 */

#include <linux/clk.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/reset.h>

#include "kite.h"

struct kite_plat {
	struct usb_hcd *hcd;
	struct clk_bulk_data *clks;
	int num_clks;
	struct reset_control *rsts;
	bool rmem;
};

static void kite_plat_clk_off(void *data)
{
	struct kite_plat *p = data;

	clk_bulk_disable_unprepare(p->num_clks, p->clks);
}

static void kite_plat_reset_assert(void *data)
{
	struct kite_plat *p = data;

	reset_control_assert(p->rsts);
}

static int kite_plat_resources(struct platform_device *pdev,
			       struct kite_plat *p)
{
	struct device *dev = &pdev->dev;
	int ret;

	p->num_clks = devm_clk_bulk_get_all(dev, &p->clks);
	if (p->num_clks < 0)
		return dev_err_probe(dev, p->num_clks, "cannot get clocks\n");
	if (p->num_clks) {
		ret = clk_bulk_prepare_enable(p->num_clks, p->clks);
		if (ret)
			return dev_err_probe(dev, ret, "cannot enable clocks\n");
		ret = devm_add_action_or_reset(dev, kite_plat_clk_off, p);
		if (ret)
			return ret;
	}

	p->rsts = devm_reset_control_array_get_optional_exclusive(dev);
	if (IS_ERR(p->rsts))
		return dev_err_probe(dev, PTR_ERR(p->rsts), "cannot get resets\n");
	if (p->rsts) {
		ret = reset_control_deassert(p->rsts);
		if (ret)
			return dev_err_probe(dev, ret, "cannot deassert resets\n");
		ret = devm_add_action_or_reset(dev, kite_plat_reset_assert, p);
		if (ret)
			return ret;
	}
	return 0;
}

static int kite_plat_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct kite_plat *p;
	struct resource *res;
	struct kite_hc *hc;
	void __iomem *regs;
	u32 ports;
	int irq, ret;

	if (usb_disabled())
		return -ENODEV;

	p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	regs = devm_platform_get_and_ioremap_resource(pdev, 0, &res);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	if (resource_size(res) < KITE_REG_BLOCK_SIZE)
		return dev_err_probe(dev, -EINVAL,
				     "reg is %pa bytes, the register block needs %u\n",
				     &res->start, KITE_REG_BLOCK_SIZE);
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;

	ret = kite_plat_resources(pdev, p);
	if (ret)
		return ret;

	/*
	 * The coherent pool must be the device's before the first
	 * dma_alloc_coherent(): the self-test's buffers, the event ring and
	 * the transfer rings all come from it. Released in remove and on
	 * every failure below (not devres: it must go after usb_remove_hcd()).
	 */
	ret = dev->of_node ? of_reserved_mem_device_init(dev) : -ENODEV;
	if (!ret)
		p->rmem = true;
	else if (ret != -ENODEV)	/* -ENODEV: no memory-region */
		return dev_err_probe(dev, ret, "cannot use memory-region\n");

	p->hcd = kite_hcd_create(dev);
	if (!p->hcd) {
		ret = -ENOMEM;
		goto err_rmem;
	}
	hc = hcd_to_kite(p->hcd);
	hc->regs = regs;
	hc->irq = irq;
	p->hcd->regs = regs;
	p->hcd->rsrc_start = res->start;
	p->hcd->rsrc_len = resource_size(res);

	ret = kite_hc_init(hc);
	if (ret)
		goto err_put;

	if (!of_property_read_u32(dev->of_node, "num-ports", &ports)) {
		if (ports >= 1 && ports <= hc->num_ports)
			hc->num_ports = ports;
		else
			dev_warn(dev, "num-ports = %u ignored: the controller has %u\n",
				 ports, hc->num_ports);
	}

	/*
	 * Not devm: freed before the hcd (below) and the reserved memory
	 * go. The line may be shared.
	 */
	ret = request_irq(irq, kite_hc_irq, IRQF_SHARED, dev_name(dev), hc);
	if (ret) {
		dev_err(dev, "cannot request IRQ %d: %d\n", irq, ret);
		goto err_put;
	}

	ret = kite_hc_start(hc);
	if (ret)
		goto err_irq;

	platform_set_drvdata(pdev, p);
	ret = usb_add_hcd(p->hcd, 0, 0);
	if (ret) {
		dev_err(dev, "cannot add the USB host controller: %d\n", ret);
		goto err_stop;
	}
	device_wakeup_enable(p->hcd->self.controller);
	return 0;

err_stop:
	kite_hc_stop(hc);
err_irq:
	free_irq(irq, hc);
err_put:
	usb_put_hcd(p->hcd);
err_rmem:
	if (p->rmem)
		of_reserved_mem_device_release(dev);
	return ret;
}

static int kite_plat_remove(struct platform_device *pdev)
{
	struct kite_plat *p = platform_get_drvdata(pdev);
	struct kite_hc *hc = hcd_to_kite(p->hcd);

	usb_remove_hcd(p->hcd);
	kite_hc_stop(hc);
	free_irq(hc->irq, hc);
	usb_put_hcd(p->hcd);
	/* Every coherent buffer from the pool is freed by now. */
	if (p->rmem)
		of_reserved_mem_device_release(&pdev->dev);
	/* Resets are asserted and clocks stopped by devres. */
	return 0;
}

static void kite_plat_shutdown(struct platform_device *pdev)
{
	struct kite_plat *p = platform_get_drvdata(pdev);

	if (p)
		kite_hc_shutdown(hcd_to_kite(p->hcd));
}

static const struct of_device_id kite_plat_of_match[] = {
	{ .compatible = "kite,usb-host" },
	{ }
};
MODULE_DEVICE_TABLE(of, kite_plat_of_match);

static struct platform_driver kite_plat_driver = {
	.probe		= kite_plat_probe,
	.remove		= kite_plat_remove,
	.shutdown	= kite_plat_shutdown,
	.driver		= {
		.name		= "kite-plat",
		.of_match_table	= kite_plat_of_match,
	},
};
module_platform_driver(kite_plat_driver);

MODULE_DESCRIPTION("kite USB 2.0 host controller devicetree platform glue");
MODULE_LICENSE("GPL");
