// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_axil_regs: the kite register block behind an AXI4-Lite slave.
//
// Register map, field positions and reset values come from kite_regs_pkg, which
// scripts/reggen.py generates from rtl/regs/kite_regs.toml (the single description).
//
// AXI4-Lite: 32-bit data, one transaction of each direction in flight. AW and W may arrive in
// any order or together; the write is performed once both were accepted. Byte strobes apply to
// every writable field. Only the low 12 address bits are decoded (the 4 KiB block repeats above).
// Unmapped offsets read as 0 and ignore writes, both with an OKAY response: a kernel driver that
// probes a newer/older register layout then sees zeros instead of a bus error (SLVERR would turn
// into a machine check or a synchronous abort on several hosts).
//
// Interrupts: irq = |(INT_STATUS & INT_ENABLE). Events set INT_STATUS bits, writing 1 clears
// them (W1C; an event in the same cycle wins), writing 1 to INT_FORCE sets them.

`default_nettype none

module kite_axil_regs
#(
  parameter int unsigned AXIL_ADDR_WIDTH = 12,  // s_axil address width, 12..64 bits
  parameter int unsigned CAP_ADDR_WIDTH = 64,   // CAP.ADDR_WIDTH: DMA master address width (32/64)
  parameter int unsigned CAP_DATA_BYTES_LOG2 = 3,  // CAP.DATA_BYTES_LOG2: 2, 3 or 4
  parameter int unsigned CAP_NUM_PORTS = 1,     // CAP.NUM_PORTS: root hub ports, 1..15
  parameter bit CAP_DMA_TEST = 1'b1,            // CAP.DMA_TEST: self-test engine present
  parameter int unsigned CAP_MAX_BURST_LOG2 = 4 // CAP.MAX_BURST_LOG2: 0..8
) (
  input  wire                        clk,
  input  wire                        rst,        // synchronous, active high

  // AXI4-Lite slave
  input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_awaddr,
  input  wire [2:0]                  s_axil_awprot,
  input  wire                        s_axil_awvalid,
  output logic                       s_axil_awready,
  input  wire [31:0]                 s_axil_wdata,
  input  wire [3:0]                  s_axil_wstrb,
  input  wire                        s_axil_wvalid,
  output logic                       s_axil_wready,
  output logic [1:0]                 s_axil_bresp,
  output logic                       s_axil_bvalid,
  input  wire                        s_axil_bready,
  input  wire [AXIL_ADDR_WIDTH-1:0]  s_axil_araddr,
  input  wire [2:0]                  s_axil_arprot,
  input  wire                        s_axil_arvalid,
  output logic                       s_axil_arready,
  output logic [31:0]                s_axil_rdata,
  output logic [1:0]                 s_axil_rresp,
  output logic                       s_axil_rvalid,
  input  wire                        s_axil_rready,

  // DMA self-test engine control (to kite_dma_test)
  output logic                       dmatest_start_o,  // one-cycle pulse, only while not busy
  output logic [1:0]                 dmatest_op_o,
  output logic [63:0]                dmatest_src_o,
  output logic [63:0]                dmatest_dst_o,
  output logic [31:0]                dmatest_len_o,
  output logic [7:0]                 dmatest_seed_o,
  output logic [7:0]                 dmatest_step_o,
  // DMA self-test engine status (from kite_dma_test)
  input  wire                        dmatest_busy_i,
  input  wire                        dmatest_done_i,
  input  wire                        dmatest_error_i,
  input  wire [3:0]                  dmatest_err_code_i,
  input  wire [31:0]                 dmatest_crc_i,
  input  wire [31:0]                 dmatest_done_bytes_i,
  input  wire [31:0]                 dmatest_cycles_i,
  input  wire                        dmatest_done_evt_i,   // pulse: ended without error
  input  wire                        dmatest_error_evt_i,  // pulse: ended with an error

  // Interrupt line (level, active high)
  output logic                       irq_o
);

  // Register constants are referenced as kite_regs_pkg::NAME (Yosys 0.23 has no import).

  // ------------------------------------------------------------------ parameter checks
  if (AXIL_ADDR_WIDTH < kite_regs_pkg::KITE_REG_ADDR_BITS || AXIL_ADDR_WIDTH > 64) begin : g_bad_aw
    $error("kite_axil_regs: AXIL_ADDR_WIDTH must be 12..64");
  end
  if (CAP_ADDR_WIDTH != 32 && CAP_ADDR_WIDTH != 64) begin : g_bad_caw
    $error("kite_axil_regs: CAP_ADDR_WIDTH must be 32 or 64");
  end
  if (CAP_DATA_BYTES_LOG2 < 2 || CAP_DATA_BYTES_LOG2 > 4) begin : g_bad_cdw
    $error("kite_axil_regs: CAP_DATA_BYTES_LOG2 must be 2..4");
  end
  if (CAP_NUM_PORTS < 1 || CAP_NUM_PORTS > 15) begin : g_bad_np
    $error("kite_axil_regs: CAP_NUM_PORTS must be 1..15");
  end
  if (CAP_MAX_BURST_LOG2 > 8) begin : g_bad_mb
    $error("kite_axil_regs: CAP_MAX_BURST_LOG2 must be 0..8");
  end

  localparam int unsigned RA = kite_regs_pkg::KITE_REG_ADDR_BITS;  // decoded address bits
  localparam int unsigned NINT = 2;                 // interrupt sources
  localparam int unsigned OP_LSB = kite_regs_pkg::KITE_DMATEST_CTRL_OP_LSB;

  // ------------------------------------------------------------------ constant registers
  localparam logic [31:0] CAP_VALUE =
      (32'(CAP_ADDR_WIDTH) << kite_regs_pkg::KITE_CAP_ADDR_WIDTH_LSB) |
      (32'(CAP_DATA_BYTES_LOG2) << kite_regs_pkg::KITE_CAP_DATA_BYTES_LOG2_LSB) |
      (32'(CAP_NUM_PORTS) << kite_regs_pkg::KITE_CAP_NUM_PORTS_LSB) |
      (32'(CAP_DMA_TEST) << kite_regs_pkg::KITE_CAP_DMA_TEST_LSB) |
      (32'(CAP_MAX_BURST_LOG2) << kite_regs_pkg::KITE_CAP_MAX_BURST_LOG2_LSB);

  // ------------------------------------------------------------------ AXI4-Lite write channel
  logic          aw_have_q, aw_have_d;
  logic [RA-1:0] aw_addr_q, aw_addr_d;
  logic          w_have_q, w_have_d;
  logic [31:0]   w_data_q, w_data_d;
  logic [3:0]    w_strb_q, w_strb_d;
  logic          bvalid_q, bvalid_d;
  logic          wr_en;       // perform the register write this cycle
  logic [RA-1:0] wr_addr;
  logic [31:0]   wr_data;
  logic [31:0]   wr_mask;     // byte strobes expanded to bits

  assign s_axil_awready = !aw_have_q && !bvalid_q;
  assign s_axil_wready  = !w_have_q && !bvalid_q;
  assign s_axil_bvalid  = bvalid_q;
  assign s_axil_bresp   = 2'b00;

  always_comb begin
    aw_have_d = aw_have_q;
    aw_addr_d = aw_addr_q;
    w_have_d  = w_have_q;
    w_data_d  = w_data_q;
    w_strb_d  = w_strb_q;
    bvalid_d  = bvalid_q;
    if (s_axil_awvalid && s_axil_awready) begin
      aw_have_d = 1'b1;
      aw_addr_d = s_axil_awaddr[RA-1:0];
    end
    if (s_axil_wvalid && s_axil_wready) begin
      w_have_d = 1'b1;
      w_data_d = s_axil_wdata;
      w_strb_d = s_axil_wstrb;
    end
    wr_en   = aw_have_q && w_have_q;
    wr_addr = aw_addr_q;
    wr_data = w_data_q;
    wr_mask = {{8{w_strb_q[3]}}, {8{w_strb_q[2]}}, {8{w_strb_q[1]}}, {8{w_strb_q[0]}}};
    if (wr_en) begin
      aw_have_d = 1'b0;
      w_have_d  = 1'b0;
      bvalid_d  = 1'b1;
    end
    if (bvalid_q && s_axil_bready) begin
      bvalid_d = 1'b0;
    end
  end

  // ------------------------------------------------------------------ register file
  logic [31:0]     scratch_q, scratch_d;
  logic [NINT-1:0] int_status_q, int_status_d;
  logic [NINT-1:0] int_enable_q, int_enable_d;
  logic [31:0]     src_lo_q, src_lo_d, src_hi_q, src_hi_d;
  logic [31:0]     dst_lo_q, dst_lo_d, dst_hi_q, dst_hi_d;
  logic [31:0]     len_q, len_d;
  logic [15:0]     pattern_q, pattern_d;
  logic [1:0]      op_q, op_d;
  logic            start_q, start_d;

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] data,
                                        input logic [31:0] mask);
    merge = (old & ~mask) | (data & mask);
  endfunction

  logic [31:0] wv;      // written bits (data & strobes)
  logic [1:0]  op_new;  // DMATEST_CTRL.OP after a write

  always_comb begin
    scratch_d  = scratch_q;
    int_enable_d = int_enable_q;
    src_lo_d   = src_lo_q;
    src_hi_d   = src_hi_q;
    dst_lo_d   = dst_lo_q;
    dst_hi_d   = dst_hi_q;
    len_d      = len_q;
    pattern_d  = pattern_q;
    op_d       = op_q;
    start_d    = 1'b0;
    wv         = wr_data & wr_mask;
    op_new     = (op_q & ~wr_mask[OP_LSB +: 2]) | (wr_data[OP_LSB +: 2] & wr_mask[OP_LSB +: 2]);
    // interrupt status: events and INT_FORCE set, W1C clears, a set wins over a clear
    int_status_d = int_status_q;
    if (wr_en && wr_addr == kite_regs_pkg::KITE_REG_INT_STATUS) begin
      int_status_d = int_status_d & ~wv[NINT-1:0];
    end
    if (wr_en && wr_addr == kite_regs_pkg::KITE_REG_INT_FORCE) begin
      int_status_d = int_status_d | wv[NINT-1:0];
    end
    int_status_d[kite_regs_pkg::KITE_INT_STATUS_DMATEST_DONE_LSB] =
        int_status_d[kite_regs_pkg::KITE_INT_STATUS_DMATEST_DONE_LSB] | dmatest_done_evt_i;
    int_status_d[kite_regs_pkg::KITE_INT_STATUS_DMATEST_ERROR_LSB] =
        int_status_d[kite_regs_pkg::KITE_INT_STATUS_DMATEST_ERROR_LSB] | dmatest_error_evt_i;
    if (wr_en) begin
      unique case (wr_addr)
        kite_regs_pkg::KITE_REG_SCRATCH:         scratch_d = merge(scratch_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_INT_ENABLE:      int_enable_d = (int_enable_q & ~wr_mask[NINT-1:0]) |
                                                 (wr_data[NINT-1:0] & wr_mask[NINT-1:0]);
        kite_regs_pkg::KITE_REG_DMATEST_SRC_LO:  src_lo_d = merge(src_lo_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DMATEST_SRC_HI:  src_hi_d = merge(src_hi_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DMATEST_DST_LO:  dst_lo_d = merge(dst_lo_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DMATEST_DST_HI:  dst_hi_d = merge(dst_hi_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DMATEST_LEN:     len_d = merge(len_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DMATEST_PATTERN: pattern_d = (pattern_q & ~wr_mask[15:0]) |
                                              (wr_data[15:0] & wr_mask[15:0]);
        kite_regs_pkg::KITE_REG_DMATEST_CTRL: begin
          // START = 1 while busy is ignored and sets nothing (OP included)
          if (!(wv[kite_regs_pkg::KITE_DMATEST_CTRL_START_LSB] && dmatest_busy_i)) begin
            op_d    = op_new;
            start_d = wv[kite_regs_pkg::KITE_DMATEST_CTRL_START_LSB];
          end
        end
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      aw_have_q    <= 1'b0;
      aw_addr_q    <= '0;
      w_have_q     <= 1'b0;
      w_data_q     <= '0;
      w_strb_q     <= '0;
      bvalid_q     <= 1'b0;
      scratch_q    <= kite_regs_pkg::KITE_SCRATCH_RESET;
      int_status_q <= kite_regs_pkg::KITE_INT_STATUS_RESET[NINT-1:0];
      int_enable_q <= kite_regs_pkg::KITE_INT_ENABLE_RESET[NINT-1:0];
      src_lo_q     <= kite_regs_pkg::KITE_DMATEST_SRC_LO_RESET;
      src_hi_q     <= kite_regs_pkg::KITE_DMATEST_SRC_HI_RESET;
      dst_lo_q     <= kite_regs_pkg::KITE_DMATEST_DST_LO_RESET;
      dst_hi_q     <= kite_regs_pkg::KITE_DMATEST_DST_HI_RESET;
      len_q        <= kite_regs_pkg::KITE_DMATEST_LEN_RESET;
      pattern_q    <= kite_regs_pkg::KITE_DMATEST_PATTERN_RESET[15:0];
      op_q         <= kite_regs_pkg::KITE_DMATEST_CTRL_OP_RESET;
      start_q      <= 1'b0;
    end else begin
      aw_have_q    <= aw_have_d;
      aw_addr_q    <= aw_addr_d;
      w_have_q     <= w_have_d;
      w_data_q     <= w_data_d;
      w_strb_q     <= w_strb_d;
      bvalid_q     <= bvalid_d;
      scratch_q    <= scratch_d;
      int_status_q <= int_status_d;
      int_enable_q <= int_enable_d;
      src_lo_q     <= src_lo_d;
      src_hi_q     <= src_hi_d;
      dst_lo_q     <= dst_lo_d;
      dst_hi_q     <= dst_hi_d;
      len_q        <= len_d;
      pattern_q    <= pattern_d;
      op_q         <= op_d;
      start_q      <= start_d;
    end
  end

  assign irq_o = |(int_status_q & int_enable_q);

  assign dmatest_start_o = start_q;
  assign dmatest_op_o    = op_q;
  assign dmatest_src_o   = {src_hi_q, src_lo_q};
  assign dmatest_dst_o   = {dst_hi_q, dst_lo_q};
  assign dmatest_len_o   = len_q;
  assign dmatest_seed_o  = pattern_q[kite_regs_pkg::KITE_DMATEST_PATTERN_SEED_LSB +: 8];
  assign dmatest_step_o  = pattern_q[kite_regs_pkg::KITE_DMATEST_PATTERN_STEP_LSB +: 8];

  // ------------------------------------------------------------------ AXI4-Lite read channel
  logic          rvalid_q, rvalid_d;
  logic [31:0]   rdata_q, rdata_d;
  logic [31:0]   rd_value;
  logic [RA-1:0] rd_addr;

  assign s_axil_arready = !rvalid_q;
  assign s_axil_rvalid  = rvalid_q;
  assign s_axil_rdata   = rdata_q;
  assign s_axil_rresp   = 2'b00;
  assign rd_addr        = s_axil_araddr[RA-1:0];

  always_comb begin
    rd_value = 32'd0;  // unmapped offsets and reserved bits read as zero
    unique case (rd_addr)
      kite_regs_pkg::KITE_REG_ID:                 rd_value = kite_regs_pkg::KITE_ID_RESET;
      kite_regs_pkg::KITE_REG_VERSION:            rd_value = (32'(kite_regs_pkg::KITE_VERSION_MAJOR) << kite_regs_pkg::KITE_VERSION_MAJOR_LSB) |
                                              (32'(kite_regs_pkg::KITE_VERSION_MINOR) << kite_regs_pkg::KITE_VERSION_MINOR_LSB) |
                                              (32'(kite_regs_pkg::KITE_VERSION_PATCH) << kite_regs_pkg::KITE_VERSION_PATCH_LSB);
      kite_regs_pkg::KITE_REG_CAP:                rd_value = CAP_VALUE;
      kite_regs_pkg::KITE_REG_SCRATCH:            rd_value = scratch_q;
      kite_regs_pkg::KITE_REG_INT_STATUS:         rd_value = {{(32 - NINT){1'b0}}, int_status_q};
      kite_regs_pkg::KITE_REG_INT_ENABLE:         rd_value = {{(32 - NINT){1'b0}}, int_enable_q};
      kite_regs_pkg::KITE_REG_DMATEST_SRC_LO:     rd_value = src_lo_q;
      kite_regs_pkg::KITE_REG_DMATEST_SRC_HI:     rd_value = src_hi_q;
      kite_regs_pkg::KITE_REG_DMATEST_DST_LO:     rd_value = dst_lo_q;
      kite_regs_pkg::KITE_REG_DMATEST_DST_HI:     rd_value = dst_hi_q;
      kite_regs_pkg::KITE_REG_DMATEST_LEN:        rd_value = len_q;
      kite_regs_pkg::KITE_REG_DMATEST_PATTERN:    rd_value = {16'd0, pattern_q};
      kite_regs_pkg::KITE_REG_DMATEST_CTRL:       rd_value = 32'(op_q) << kite_regs_pkg::KITE_DMATEST_CTRL_OP_LSB;
      kite_regs_pkg::KITE_REG_DMATEST_STATUS: begin
        rd_value[kite_regs_pkg::KITE_DMATEST_STATUS_BUSY_LSB]  = dmatest_busy_i;
        rd_value[kite_regs_pkg::KITE_DMATEST_STATUS_DONE_LSB]  = dmatest_done_i;
        rd_value[kite_regs_pkg::KITE_DMATEST_STATUS_ERROR_LSB] = dmatest_error_i;
        rd_value[kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_LSB +: 4] = dmatest_err_code_i;
      end
      kite_regs_pkg::KITE_REG_DMATEST_CRC:        rd_value = dmatest_crc_i;
      kite_regs_pkg::KITE_REG_DMATEST_DONE_BYTES: rd_value = dmatest_done_bytes_i;
      kite_regs_pkg::KITE_REG_DMATEST_CYCLES:     rd_value = dmatest_cycles_i;
      default: ;
    endcase
  end

  always_comb begin
    rvalid_d = rvalid_q;
    rdata_d  = rdata_q;
    if (s_axil_arvalid && s_axil_arready) begin
      rvalid_d = 1'b1;
      rdata_d  = rd_value;
    end else if (rvalid_q && s_axil_rready) begin
      rvalid_d = 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      rvalid_q <= 1'b0;
      rdata_q  <= '0;
    end else begin
      rvalid_q <= rvalid_d;
      rdata_q  <= rdata_d;
    end
  end

  // AXPROT carries no meaning for this block.
  logic unused_ok;
  assign unused_ok = ^{s_axil_awprot, s_axil_arprot, s_axil_awaddr, s_axil_araddr};

endmodule : kite_axil_regs

`default_nettype wire
