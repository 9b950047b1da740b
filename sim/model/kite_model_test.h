/* SPDX-License-Identifier: MIT */
/*
 * Test-only extensions of the kite model (used by the RTL testbenches in rtl/tb/). Not part of
 * the stable API in kite_model.h; the PCI bridge does not need them.
 */
#ifndef KITE_MODEL_TEST_H
#define KITE_MODEL_TEST_H

#include "kite_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Random ready/valid stalls on the memory slave (0..100 percent) and its RNG seed. */
void kite_model_test_set_stall(struct kite_model *m, unsigned int pct, uint32_t seed);
/* Memory latency in cycles (also settable through kite_model_config). */
void kite_model_test_set_latency(struct kite_model *m, unsigned int cycles);
/* Response for failing memory callbacks: 3 DECERR (default) or 2 SLVERR. */
void kite_model_test_set_err_resp(struct kite_model *m, unsigned int resp);
/* AXI4-Lite write ordering: 0 AW and W together, 1 AW first, 2 W first. */
void kite_model_test_set_axil_order(struct kite_model *m, unsigned int order);
/* Protocol violations seen by the memory slave; the first one is described in msg. */
unsigned int kite_model_test_violations(const struct kite_model *m, char *msg, size_t len);
/* Bursts the memory slave accepted so far. */
void kite_model_test_bursts(const struct kite_model *m, uint64_t *rd, uint64_t *wr);
/* Data bus width in bytes and address width in bits of the Verilated build. */
unsigned int kite_model_test_data_bytes(const struct kite_model *m);
unsigned int kite_model_test_addr_bits(const struct kite_model *m);
/* Start a register write and return without waiting (for START-while-busy tests). */
int kite_model_test_reg_write_nowait(struct kite_model *m, uint32_t offset, uint32_t val,
				     uint8_t strb);
/* Response code (AXI RRESP/BRESP) of the last completed register access. */
unsigned int kite_model_test_last_resp(const struct kite_model *m);
/* kite_model_tick fast-forwards (kite_model_skip) whenever kite_model_quiet_cycles allows, so
 * that a test written for the clocked model runs with the skips; off by default. */
void kite_model_test_set_autoskip(struct kite_model *m, bool on);
/* The `quiet` output of kite_axi_top (kite_core: nothing in flight in either clock domain). */
bool kite_model_test_quiet(const struct kite_model *m);
/* A hash of the whole RTL state (every signal, register and memory; scripts/vl-state-hash.py):
 * two models of one build with equal hashes are in the same state. */
uint64_t kite_model_test_state_hash(const struct kite_model *m);
/* After every kite_model_tick, store the state hash at buf[*n] (while *n < cap) and count it in
 * *n. buf NULL: stop. */
void kite_model_test_log_states(struct kite_model *m, uint64_t *buf, size_t cap, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* KITE_MODEL_TEST_H */
