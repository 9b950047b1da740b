// SPDX-License-Identifier: GPL-2.0
/*
 * kite debugfs view: /sys/kernel/debug/kite/<device>/
 *
 *   regs           the register block, one "NAME 0xVALUE" line per register
 *   bench_mmio     reading it times 1001 register reads and 1001 posted
 *                  writes of SCRATCH and prints their median, min and max
 *   bench_dma_len  bytes for bench_dma (default 65536, at most 4 MiB)
 *   bench_dma      reading it runs one DMA COPY of bench_dma_len bytes
 *                  through a coherent buffer, checks it and prints the
 *                  device's cycle count and the wall time
 *
 *   contexts       every endpoint context in use: registers and the
 *                  driver's view (stage, halted, TDs queued)
 *   rings          each ring's enqueue/dequeue/cycle and its TRBs around
 *                  the dequeue pointer; the event ring's consumer state
 *   ports          PORTSC of every root port, decoded
 *   stats          interrupts, events, URBs, halts, commands
 *
 * The benches are for `make bench` (sw-tests/bench.sh); they share the
 * self-test engine and its interrupt, so they run one at a time.
 */

#include <linux/bitfield.h>

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sizes.h>

#include "kite.h"

#define KITE_BENCH_MMIO_N	1001

static struct dentry *kite_debugfs_root;

struct kite_reg_name {
	const char *name;
	unsigned int offset;
};

#define KITE_REG_NAME(r) { #r, KITE_REG_##r }
static const struct kite_reg_name kite_reg_names[] = {
	KITE_REG_NAME(ID),
	KITE_REG_NAME(VERSION),
	KITE_REG_NAME(CAP),
	KITE_REG_NAME(SCRATCH),
	KITE_REG_NAME(INT_STATUS),
	KITE_REG_NAME(INT_ENABLE),
	KITE_REG_NAME(CAP_HOST),
	KITE_REG_NAME(USBCMD),
	KITE_REG_NAME(USBSTS),
	KITE_REG_NAME(FRAME),
	KITE_REG_NAME(FRAME_INTERVAL),
	KITE_REG_NAME(EVT_BASE_LO),
	KITE_REG_NAME(EVT_BASE_HI),
	KITE_REG_NAME(EVT_SIZE),
	KITE_REG_NAME(IMOD),
	KITE_REG_NAME(EVT_DEQ_LO),
	KITE_REG_NAME(EVT_DEQ_HI),
	KITE_REG_NAME(CMD),
	KITE_REG_NAME(CMD_ARG_LO),
	KITE_REG_NAME(CMD_ARG_HI),
	KITE_REG_NAME(CMD_STATUS),
	KITE_REG_NAME(DMATEST_SRC_LO),
	KITE_REG_NAME(DMATEST_SRC_HI),
	KITE_REG_NAME(DMATEST_DST_LO),
	KITE_REG_NAME(DMATEST_DST_HI),
	KITE_REG_NAME(DMATEST_LEN),
	KITE_REG_NAME(DMATEST_PATTERN),
	KITE_REG_NAME(DMATEST_CTRL),
	KITE_REG_NAME(DMATEST_STATUS),
	KITE_REG_NAME(DMATEST_CRC),
	KITE_REG_NAME(DMATEST_DONE_BYTES),
	KITE_REG_NAME(DMATEST_CYCLES),
};

static int kite_regs_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kite_reg_names); i++)
		seq_printf(s, "%-20s 0x%08x\n", kite_reg_names[i].name,
			   kite_readl(hc, kite_reg_names[i].offset));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_regs);

static const char * const kite_stage_names[] = {
	[KITE_EP_IDLE] = "idle",
	[KITE_EP_PENDING] = "pending",
	[KITE_EP_STOPPING] = "stopping",
	[KITE_EP_SET_DEQ] = "set-deq",
	[KITE_EP_RESETTING] = "resetting",
};

static const char * const kite_state_names[] = {
	"disabled", "running", "halted", "stopped",
	"state4", "state5", "state6", "state7",
};

static int kite_contexts_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	unsigned int i;

	spin_lock_irq(&hc->lock);
	for (i = 0; i < hc->num_ctx; i++) {
		struct kite_ep *ep = hc->ctx_ep[i];
		struct kite_td *td;
		unsigned int ntd = 0;
		u32 st;

		if (!ep)
			continue;
		list_for_each_entry(td, &ep->tds, node)
			ntd++;
		st = kite_readl(hc, KITE_REG_CTX_STATE(i));
		seq_printf(s, "ctx %u: cfg0 0x%08x cfg1 0x%08x deq 0x%08x%08x state %s toggle %u errcnt %u td_bytes %u\n",
			   i, kite_readl(hc, KITE_REG_CTX_CFG0(i)),
			   kite_readl(hc, KITE_REG_CTX_CFG1(i)),
			   kite_readl(hc, KITE_REG_CTX_DEQ_HI(i)),
			   kite_readl(hc, KITE_REG_CTX_DEQ_LO(i)),
			   kite_state_names[FIELD_GET(KITE_CTX_STATE_STATE_MASK, st)],
			   (u32)FIELD_GET(KITE_CTX_STATE_TOGGLE_MASK, st),
			   (u32)FIELD_GET(KITE_CTX_STATE_ERRCNT_MASK, st),
			   kite_readl(hc, KITE_REG_CTX_TD_BYTES(i)));
		seq_printf(s, "       dev %u ep %u%s type %u mps %u interval %u: stage %s%s%s, %u TDs queued\n",
			   ep->udev->devnum, usb_endpoint_num(&ep->hep->desc),
			   ep->dir_in ? " in" : "",
			   ep->type, ep->mps, ep->interval,
			   kite_stage_names[ep->stage],
			   ep->halted ? ", halted" : "",
			   ep->stall_wait ? " (waiting for clear-halt)" : "",
			   ntd);
	}
	spin_unlock_irq(&hc->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_contexts);

static void kite_show_trb(struct seq_file *s, const struct kite_ring *ring,
			  unsigned int i)
{
	const struct kite_trb *t = &ring->trbs[i];

	seq_printf(s, "    [%3u] %08x %08x %08x %08x%s%s\n", i,
		   le32_to_cpu(t->dw[0]), le32_to_cpu(t->dw[1]),
		   le32_to_cpu(t->dw[2]), le32_to_cpu(t->dw[3]),
		   i == ring->deq ? " <deq" : "", i == ring->enq ? " <enq" : "");
}

static int kite_rings_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	unsigned int i, j;

	spin_lock_irq(&hc->lock);
	seq_printf(s, "events: %u entries at %pad, next %u, cycle %u\n",
		   hc->evt ? hc->evt_size : 0, &hc->evt_dma, hc->evt_deq,
		   hc->evt_cycle);
	for (i = 0; i < hc->num_ctx; i++) {
		struct kite_ep *ep = hc->ctx_ep[i];
		struct kite_ring *ring;

		if (!ep)
			continue;
		ring = &ep->ring;
		seq_printf(s, "ctx %u ring: %u TRBs at %pad, enq %u deq %u cycle %u, %u free\n",
			   i, ring->size, &ring->dma, ring->enq, ring->deq,
			   ring->cycle, kite_ring_space(ring));
		/* The TRBs from the dequeue pointer on, at most 16. */
		for (j = ring->deq; ; j = kite_ring_next(ring, j)) {
			kite_show_trb(s, ring, j);
			if (j == ring->enq || (j - ring->deq + ring->size) % ring->size >= 15)
				break;
		}
	}
	spin_unlock_irq(&hc->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_rings);

static int kite_ports_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	unsigned int i;

	for (i = 0; i < hc->num_ports; i++) {
		u32 v = kite_readl(hc, KITE_REG_PORTSC(i));

		seq_printf(s, "port %u: PORTSC 0x%08x%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
			   i + 1, v,
			   v & KITE_PORTSC_CONNECTED_MASK ? " connected" : "",
			   v & KITE_PORTSC_ENABLED_MASK ? " enabled" : "",
			   v & KITE_PORTSC_POWER_MASK ? " power" : "",
			   v & KITE_PORTSC_RESET_MASK ? " reset" : "",
			   v & KITE_PORTSC_SUSPEND_MASK ? " suspend" : "",
			   v & KITE_PORTSC_RESUME_MASK ? " resume" : "",
			   v & KITE_PORTSC_LS_MASK ? " low-speed" : "",
			   v & KITE_PORTSC_OVERCURRENT_MASK ? " over-current" : "",
			   v & KITE_PORTSC_CSC_MASK ? " CSC" : "",
			   v & KITE_PORTSC_PEC_MASK ? " PEC" : "",
			   v & KITE_PORTSC_PRC_MASK ? " PRC" : "",
			   v & KITE_PORTSC_OCC_MASK ? " OCC" : "",
			   v & KITE_PORTSC_PSC_MASK ? " PSC" : "");
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_ports);

static int kite_stats_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;

	spin_lock_irq(&hc->lock);
	seq_printf(s, "irqs %llu\nevents %llu\nurbs_done %llu\nurbs_unlinked %llu\nhalts %llu\ncommands %llu\ncommand_timeouts %llu\nrunning %u\ndead %u\n",
		   hc->stats.irqs, hc->stats.events, hc->stats.urbs_done,
		   hc->stats.urbs_unlinked, hc->stats.halts, hc->stats.cmds,
		   hc->stats.cmd_timeouts, hc->running, hc->dead);
	spin_unlock_irq(&hc->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_stats);

static int kite_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void kite_print_times(struct seq_file *s, const char *what, u64 *t,
			     unsigned int n)
{
	sort(t, n, sizeof(*t), kite_cmp_u64, NULL);
	seq_printf(s, "%s_median_ns=%llu\n%s_min_ns=%llu\n%s_max_ns=%llu\n",
		   what, t[n / 2], what, t[0], what, t[n - 1]);
}

static int kite_bench_mmio_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	unsigned int i;
	u64 *t, t0;
	u32 v;

	t = kmalloc_array(KITE_BENCH_MMIO_N, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;

	mutex_lock(&hc->bench_lock);
	for (i = 0; i < KITE_BENCH_MMIO_N; i++) {
		t0 = ktime_get_ns();
		v = kite_readl(hc, KITE_REG_SCRATCH);
		t[i] = ktime_get_ns() - t0;
	}
	kite_print_times(s, "mmio_read", t, KITE_BENCH_MMIO_N);
	for (i = 0; i < KITE_BENCH_MMIO_N; i++) {
		t0 = ktime_get_ns();
		kite_writel(hc, KITE_REG_SCRATCH, v + i);
		t[i] = ktime_get_ns() - t0;
	}
	/* The last write must have landed: a read is ordered after it. */
	if (kite_readl(hc, KITE_REG_SCRATCH) != v + KITE_BENCH_MMIO_N - 1)
		seq_puts(s, "mmio_write_error=1\n");
	kite_print_times(s, "mmio_write", t, KITE_BENCH_MMIO_N);
	mutex_unlock(&hc->bench_lock);

	kfree(t);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_bench_mmio);

static int kite_bench_dma_show(struct seq_file *s, void *unused)
{
	struct kite_hc *hc = s->private;
	u32 len = READ_ONCE(hc->bench_dma_len), cycles = 0, i;
	dma_addr_t dma;
	u64 t0, ns;
	u8 *buf;
	int ret;

	if (!hc->has_dma_test)
		return -EOPNOTSUPP;

	buf = dma_alloc_coherent(hc->dev, 2 * len, &dma, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		buf[i] = i * 7 + 1;
	memset(buf + len, 0, len);

	mutex_lock(&hc->bench_lock);
	t0 = ktime_get_ns();
	ret = kite_selftest_copy(hc, dma, dma + len, len, &cycles);
	ns = ktime_get_ns() - t0;
	mutex_unlock(&hc->bench_lock);

	if (!ret && memcmp(buf, buf + len, len))
		ret = -EIO;
	if (ret == -ETIMEDOUT) {
		/* The engine may still write the buffer: never free it. */
		dev_err(hc->dev, "bench_dma: engine did not finish; leaking its buffer\n");
		return ret;
	}
	dma_free_coherent(hc->dev, 2 * len, buf, dma);
	if (ret)
		return ret;

	seq_printf(s, "dma_copy_%u_bytes_cycles=%u\n", len, cycles);
	seq_printf(s, "dma_copy_%u_bytes_wall_us=%llu\n", len, div_u64(ns, 1000));
	seq_printf(s, "dma_copy_%u_bytes_per_cycle=%u.%03u\n", len,
		   cycles ? len / cycles : 0,
		   cycles ? (u32)div_u64((u64)(len % cycles) * 1000, cycles) : 0);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kite_bench_dma);

static int kite_bench_dma_len_set(void *data, u64 val)
{
	struct kite_hc *hc = data;

	if (!val || val > SZ_4M)
		return -EINVAL;
	WRITE_ONCE(hc->bench_dma_len, val);
	return 0;
}

static int kite_bench_dma_len_get(void *data, u64 *val)
{
	struct kite_hc *hc = data;

	*val = READ_ONCE(hc->bench_dma_len);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(kite_bench_dma_len_fops, kite_bench_dma_len_get,
			 kite_bench_dma_len_set, "%llu\n");

/**
 * kite_debugfs_init() - create the controller's debugfs directory
 * @hc: controller
 *
 * Failures are not errors: debugfs is optional.
 */
void kite_debugfs_init(struct kite_hc *hc)
{
	mutex_init(&hc->bench_lock);
	hc->bench_dma_len = SZ_64K;

	hc->debugfs = debugfs_create_dir(dev_name(hc->dev), kite_debugfs_root);
	debugfs_create_file("regs", 0444, hc->debugfs, hc, &kite_regs_fops);
	debugfs_create_file("bench_mmio", 0400, hc->debugfs, hc,
			    &kite_bench_mmio_fops);
	debugfs_create_file("bench_dma", 0400, hc->debugfs, hc,
			    &kite_bench_dma_fops);
	debugfs_create_file_unsafe("bench_dma_len", 0600, hc->debugfs, hc,
				   &kite_bench_dma_len_fops);
	debugfs_create_file("contexts", 0400, hc->debugfs, hc,
			    &kite_contexts_fops);
	debugfs_create_file("rings", 0400, hc->debugfs, hc, &kite_rings_fops);
	debugfs_create_file("ports", 0444, hc->debugfs, hc, &kite_ports_fops);
	debugfs_create_file("stats", 0444, hc->debugfs, hc, &kite_stats_fops);
}

void kite_debugfs_exit(struct kite_hc *hc)
{
	debugfs_remove_recursive(hc->debugfs);
	hc->debugfs = NULL;
}

/* Module init and exit of kite-hcd: the directory all controllers share. */
void kite_debugfs_create_root(void)
{
	kite_debugfs_root = debugfs_create_dir("kite", NULL);
}

void kite_debugfs_remove_root(void)
{
	debugfs_remove(kite_debugfs_root);
	kite_debugfs_root = NULL;
}
