// SPDX-License-Identifier: MIT
/*
 * Testbench of kite_axi_top: the integration of register block, self-test engine, `irq` and
 * `busy`, the model's statistics, and FST waveform output (argv[1]: trace file path).
 */
#include <sys/stat.h>
#include <zlib.h>

#include "../common/tb.h"

int main(int argc, char **argv)
{
	static uint8_t data[8192];
	struct tb_mem mem = { 0x80000000ull, sizeof(data), data, 0, 0, 0, 0 };
	struct kite_mem_ops ops = { tb_mem_read, tb_mem_write, &mem };
	struct kite_model_config cfg = { argc > 1 ? argv[1] : NULL, 4 };
	struct kite_model_stats st;
	struct kite_model *m;
	struct stat sb;
	uint32_t v;
	int i, saw_busy = 0;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	m = kite_model_create(&cfg, &ops);
	if (!m) {
		printf("FAIL top-create: kite_model_create failed\n");
		return 1;
	}

	tb_begin();
	TB_CHECK(tb_rd(m, KITE_REG_ID) == KITE_ID_MAGIC_RESET, "ID");
	TB_CHECK(!kite_model_busy(m) && !kite_model_irq(m), "busy/irq after reset");
	tb_wr(m, KITE_REG_INT_ENABLE, KITE_INT_ENABLE_DMATEST_DONE_MASK);
	tb_wr(m, KITE_REG_DMATEST_SRC_LO, 0x80000005);
	tb_wr(m, KITE_REG_DMATEST_DST_LO, 0x80001003);
	tb_wr(m, KITE_REG_DMATEST_LEN, 3000);
	tb_wr(m, KITE_REG_DMATEST_CTRL, KITE_DMATEST_CTRL_START_MASK);
	for (i = 0; i < 100000 && !kite_model_irq(m); i++) {
		saw_busy |= kite_model_busy(m);
		kite_model_tick(m, 1);
	}
	TB_CHECK(saw_busy, "busy never seen");
	TB_CHECK(kite_model_irq(m), "no irq");
	TB_CHECK(!kite_model_busy(m), "busy after irq");
	TB_CHECK(!memcmp(data + 0x1003, data + 5, 3000), "copy data");
	v = tb_rd(m, KITE_REG_DMATEST_CRC);
	TB_CHECK(v == (uint32_t)crc32(0, data + 5, 3000), "CRC 0x%08x", v);
	tb_wr(m, KITE_REG_INT_STATUS, 1);
	TB_CHECK(!kite_model_irq(m), "irq after W1C");
	tb_end("top-copy-irq-busy");

	tb_begin();
	kite_model_get_stats(m, &st);
	TB_CHECK(st.dma_write_bytes == 3000, "dma_write_bytes %llu",
		 (unsigned long long)st.dma_write_bytes);
	TB_CHECK(st.dma_read_bytes >= 3000 && st.dma_read_bytes <= 3000 + 2 * 16,
		 "dma_read_bytes %llu", (unsigned long long)st.dma_read_bytes);
	TB_CHECK(st.reg_writes == 6 && st.reg_reads >= 2, "reg counts %llu/%llu",
		 (unsigned long long)st.reg_writes, (unsigned long long)st.reg_reads);
	TB_CHECK(st.cycles > 100 && st.dma_errors == 0, "cycles %llu errors %llu",
		 (unsigned long long)st.cycles, (unsigned long long)st.dma_errors);
	tb_end("top-stats");

	kite_model_destroy(m);
	if (argc > 1) {
		tb_begin();
		TB_CHECK(stat(argv[1], &sb) == 0 && sb.st_size > 100, "no FST file %s", argv[1]);
		tb_end("top-fst-trace");
	}
	return tb_failures ? 1 : 0;
}
