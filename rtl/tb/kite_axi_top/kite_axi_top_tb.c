// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_axi_top: the integration of register block, self-test engine, `irq` and
 * `busy`, the model's statistics, and FST waveform output (argv[1]: trace file path).
 */
#include <sys/stat.h>
#include <zlib.h>

#include <stdio.h>
#include <string.h>

#include "kite_fixture.h"
#include "kite_test.h"

int main(int argc, char **argv)
{
	static const char *const copy_tests[] = { "top-copy-irq-busy", "top-stats" };
	static struct kf_mem mem;
	struct kite_mem_ops ops = kf_mem_ops(&mem);
	struct kite_model_config cfg = { .mem_latency = 4 };
	uint8_t *data;
	struct kite_model_stats st;
	struct kite_model *m;
	struct stat sb;
	uint32_t v;
	int i, saw_busy = 0;

	kt_init(&argc, argv);
	cfg.trace_path = argc > 1 ? argv[1] : NULL;
	data = kf_mem_add(&mem, 0x80000000ull, 8192);
	m = data ? kite_model_create(&cfg, &ops) : NULL;
	if (!m) {
		kt_result("top-create", false, "kite_model_create failed");
		return kt_finish();
	}
	for (i = 0; i < 8192; i++)
		data[i] = (uint8_t)(i * 7 + 3);

	/* the statistics are those of the copy: the two run together */
	if (kt_group_begin(copy_tests, KT_ARRAY_SIZE(copy_tests))) {
		if (kt_begin("top-copy-irq-busy")) {
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
			kt_end();
		}

		if (kt_begin("top-stats")) {
			kite_model_get_stats(m, &st);
			KT_CHECK(st.dma_write_bytes == 3000, "dma_write_bytes %llu",
				 (unsigned long long)st.dma_write_bytes);
			KT_CHECK(st.dma_read_bytes >= 3000 && st.dma_read_bytes <= 3000 + 2 * 16,
				 "dma_read_bytes %llu", (unsigned long long)st.dma_read_bytes);
			KT_CHECK(st.reg_writes == 6 && st.reg_reads >= 2, "reg counts %llu/%llu",
				 (unsigned long long)st.reg_writes, (unsigned long long)st.reg_reads);
			KT_CHECK(st.cycles > 100 && st.dma_errors == 0, "cycles %llu errors %llu",
				 (unsigned long long)st.cycles, (unsigned long long)st.dma_errors);
			kt_end();
		}
		kt_group_end();
	}

	kite_model_destroy(m);
	if (argc > 1) {
		if (kt_begin("top-fst-trace")) {
			KT_CHECK(stat(argv[1], &sb) == 0 && sb.st_size > 100, "no FST file %s", argv[1]);
			kt_end();
	}
	}
	kf_mem_free(&mem);
	return kt_finish();
}
