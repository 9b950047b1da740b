// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_axi_top: the integration of register block, self-test engine, `irq`,
 * `busy` and `quiet`, the model's statistics, and FST waveform output (argv[1]: trace file path).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "kite_fixture.h"
#include "kite_model_test.h"
#include "kite_test.h"

static struct kite_model *m;
static uint8_t *data;			/* the memory window at 0x80000000 */
static const char *trace_path;

static void t_copy_irq_busy(void *arg)
{
	int i, saw_busy = 0;
	uint32_t v;

	(void)arg;
	KT_CHECK(kf_rd(m, KITE_REG_ID) == KITE_ID_MAGIC_RESET, "ID");
	KT_CHECK(!kite_model_busy(m) && !kite_model_irq(m), "busy/irq after reset");
	kf_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
	kf_wr(m, KITE_REG_DMATEST_SRC_LO, 0x80000005);
	kf_wr(m, KITE_REG_DMATEST_DST_LO, 0x80001003);
	kf_wr(m, KITE_REG_DMATEST_LEN, 3000);
	kf_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK);
	for (i = 0; i < 100000 && !kite_model_irq(m); i++) {
		saw_busy |= kite_model_busy(m);
		kite_model_tick(m, 1);
	}
	KT_CHECK(saw_busy, "busy never seen");
	KT_CHECK(kite_model_irq(m), "no irq");
	KT_CHECK(!kite_model_busy(m), "busy after irq");
	KT_CHECK(!memcmp(data + 0x1003, data + 5, 3000), "copy data");
	v = kf_rd(m, KITE_REG_DMATEST_CRC);
	KT_CHECK(v == (uint32_t)crc32(0, data + 5, 3000), "CRC 0x%08x", v);
	kf_wr(m, KITE_REG_INT_STATUS, 1);
	KT_CHECK(!kite_model_irq(m), "irq after W1C");
}

/* the model's statistics of the copy above */
static void t_stats(void *arg)
{
	struct kite_model_stats st;

	(void)arg;
	kite_model_get_stats(m, &st);
	KT_CHECK(st.dma_write_bytes == 3000, "dma_write_bytes %llu",
		 (unsigned long long)st.dma_write_bytes);
	KT_CHECK(st.dma_read_bytes >= 3000 && st.dma_read_bytes <= 3000 + 2 * 16,
		 "dma_read_bytes %llu", (unsigned long long)st.dma_read_bytes);
	KT_CHECK(st.reg_writes == 6 && st.reg_reads >= 2, "reg counts %llu/%llu",
		 (unsigned long long)st.reg_writes, (unsigned long long)st.reg_reads);
	KT_CHECK(st.cycles > 100 && st.dma_errors == 0, "cycles %llu errors %llu",
		 (unsigned long long)st.cycles, (unsigned long long)st.dma_errors);
}

/*
 * `quiet`: up when idle, down while the self-test runs (it is registered twice behind what it
 * reports: 2 clocks late) and around every frame start.
 */
static void t_quiet(void *arg)
{
	int i, overlap = 0, falls = 0, rises = 0, last, busy_for = 0;

	(void)arg;
	kite_model_tick(m, 64);
	KT_CHECK(kite_model_test_quiet(m), "not quiet when idle");
	kf_wr(m, KITE_REG_DMATEST_LEN, 2000);
	kf_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK);
	for (i = 0; i < 100000 && !kite_model_irq(m); i++) {
		busy_for = kite_model_busy(m) ? busy_for + 1 : 0;
		overlap += busy_for > 2 && kite_model_test_quiet(m);
		kite_model_tick(m, 1);
	}
	KT_CHECK(kite_model_irq(m) && !overlap, "irq %d, quiet in %d busy cycles", kite_model_irq(m),
		 overlap);
	kf_wr(m, KITE_REG_INT_STATUS, 1);
	kite_model_tick(m, 16);
	KT_CHECK(kite_model_test_quiet(m), "not quiet after the self-test");
	/* frames of 1000 bit times (4000 usb_clk, 8000 bus clocks) for 3.5 frames: the RUN write
	 * (quiet falls), then 4 frame starts (the first at once) */
	kf_wr(m, KITE_REG_FRAME_INTERVAL, 999);
	kf_wr(m, KITE_REG_USBCMD, KITE_USBCMD_RUN_MASK);
	last = kite_model_test_quiet(m);
	KT_CHECK(!last, "quiet right after a register write");
	for (i = 0; i < 3 * 8000 + 4000; i++) {
		int q;

		kite_model_tick(m, 1);
		q = kite_model_test_quiet(m);
		falls += last && !q;
		rises += !last && q;
		last = q;
	}
	KT_CHECK(falls == 4 && rises == 5, "quiet fell %d times and rose %d times in 3.5 frames",
		 falls, rises);
	kf_wr(m, KITE_REG_USBCMD, 0);
}

/* after kite_model_destroy(): the waveform file is complete */
static void t_fst_trace(void *arg)
{
	struct stat sb;

	(void)arg;
	KT_CHECK(stat(trace_path, &sb) == 0 && sb.st_size > 100, "no FST file %s", trace_path);
}

/* the statistics are those of the copy: selecting them runs the copy first (kt_run_seq) */
static const struct kt_case copy_cases[] = {
	{ "top-copy-irq-busy", t_copy_irq_busy },
	{ "top-stats", t_stats },
	{ "top-quiet", t_quiet },
};

static const struct kt_case trace_cases[] = {
	{ "top-fst-trace", t_fst_trace },
};

int main(int argc, char **argv)
{
	static struct kf_mem mem;
	struct kite_mem_ops ops = kf_mem_ops(&mem);
	struct kite_model_config cfg = { .mem_latency = 4 };

	kt_init(&argc, argv);
	trace_path = argc > 1 ? argv[1] : NULL;
	cfg.trace_path = trace_path;
	data = kf_mem_add(&mem, 0x80000000ull, 8192);
	m = data ? kite_model_create(&cfg, &ops) : NULL;
	if (!m) {
		kt_result("top-create", false, "kite_model_create failed");
		return kt_finish();
	}
	for (int i = 0; i < 8192; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	kt_run_seq(copy_cases, KT_ARRAY_SIZE(copy_cases), NULL);
	kite_model_destroy(m);
	if (trace_path)
		kt_run(trace_cases, KT_ARRAY_SIZE(trace_cases), NULL);
	kf_mem_free(&mem);
	return kt_finish();
}
