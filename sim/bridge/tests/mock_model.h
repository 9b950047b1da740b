/* SPDX-License-Identifier: MIT */
/*
 * Mock of kite_model.h for the bridge's unit tests (and for developing kite-sim before the
 * Verilated model exists). Register map (mock only, not the real kite map):
 *   0x000 ID (ro 0x4B495445)  0x004 VERSION (ro 0x00010000)
 *   0x010..0x0ff scratch (rw)
 *   0x100 INT_STATUS (w1c)  0x104 INT_ENABLE (rw)  0x108 INT_SET (wo: sets status bits)
 *   0x110 DMA_ADDR_LO  0x114 DMA_ADDR_HI  0x118 DMA_LEN  0x11c DMA_CTRL (wo: 1 = read memory,
 *   2 = write pattern (i ^ 0x5a)); after 16 cycles INT_STATUS bit 0 is set,
 *   0x120 DMA_SUM (sum of the bytes read)  0x124 DMA_RESULT (0 ok, 1 error response)
 *   0x800..0xfff: error response (-EIO)
 * Root ports: MOCK_NUM_PORTS; kite_model_set_port() only records the backend (the mock never
 * calls it: tests call it through mock_model_port()).
 */
#ifndef KITE_MOCK_MODEL_H
#define KITE_MOCK_MODEL_H

#include "kite_model.h"

#define MOCK_NUM_PORTS 2

#define MOCK_ID 0x000
#define MOCK_SCRATCH 0x010
#define MOCK_INT_STATUS 0x100
#define MOCK_INT_ENABLE 0x104
#define MOCK_INT_SET 0x108
#define MOCK_DMA_ADDR_LO 0x110
#define MOCK_DMA_ADDR_HI 0x114
#define MOCK_DMA_LEN 0x118
#define MOCK_DMA_CTRL 0x11c
#define MOCK_DMA_SUM 0x120
#define MOCK_DMA_RESULT 0x124

/* Peek at a register without going through the bus (no side effects). */
uint32_t mock_model_peek(const struct kite_model *m, uint32_t off);
/* Number of reg_write calls and the last strobe seen. */
uint64_t mock_model_writes(const struct kite_model *m);
uint8_t mock_model_last_strb(const struct kite_model *m);
/* The backend attached to port (copied to *b if b is not NULL); false if none. */
bool mock_model_port(const struct kite_model *m, unsigned int port, struct kite_port_backend *b);
/* kite_model_config.attach as given at creation. */
enum kite_attach mock_model_attach(const struct kite_model *m);

#endif
