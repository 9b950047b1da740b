// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_regs: the kite register file behind a bus-agnostic register port (one write per cycle
// with byte strobes; a read samples rd_addr at rd_en and gives the data in the next cycle).
// kite_axil_regs (AXI4-Lite) and kite_wb_top (Wishbone) put a bus in front of it.
//
// Register map, field positions and reset values come from kite_regs_pkg, which
// scripts/reggen.py generates from rtl/regs/kite_regs.toml. Unmapped offsets read 0 and ignore
// writes. The context window (0x800..0xfff) is forwarded to kite_ctx_ram.
//
// Interrupts: irq = |(INT_STATUS & INT_ENABLE). Events set INT_STATUS bits, writing 1 clears
// them (an event in the same cycle wins), writing 1 to INT_FORCE sets them.

`default_nettype none

module kite_regs #(
  parameter int unsigned CAP_ADDR_WIDTH = 64,     // CAP.ADDR_WIDTH: 32 or 64
  parameter int unsigned CAP_DATA_BYTES_LOG2 = 3, // CAP.DATA_BYTES_LOG2: 2..4
  parameter int unsigned NUM_PORTS = 1,           // CAP.NUM_PORTS: 1..15
  parameter bit CAP_DMA_TEST = 1'b1,              // CAP.DMA_TEST
  parameter int unsigned CAP_MAX_BURST_LOG2 = 4,  // CAP.MAX_BURST_LOG2: 0..8
  parameter int unsigned NUM_CTX = 16,            // CAP_HOST.NUM_CTX: 1..64
  parameter int unsigned PKT_BUF_LOG2 = 10,       // CAP_HOST.PKT_BUF_LOG2: 10..12
  parameter bit CAP_ISO = 1'b1,                   // CAP_HOST.ISO
  parameter bit CAP_LOW_SPEED = 1'b1,             // CAP_HOST.LOW_SPEED
  parameter bit CAP_ONCHIP_PHY = 1'b0             // CAP_HOST.ONCHIP_PHY
) (
  input  wire                  clk,
  input  wire                  rst,

  // register port
  input  wire                  wr_en,
  input  wire  [11:0]          wr_addr,
  input  wire  [31:0]          wr_data,
  input  wire  [3:0]           wr_strb,
  input  wire                  rd_en,     // sample rd_addr; rd_data follows the next cycle
  input  wire  [11:0]          rd_addr,
  output logic [31:0]          rd_data,   // held until the next rd_en

  // DMA self-test engine
  output logic                 dmatest_start_o,
  output logic [1:0]           dmatest_op_o,
  output logic [63:0]          dmatest_src_o,
  output logic [63:0]          dmatest_dst_o,
  output logic [31:0]          dmatest_len_o,
  output logic [7:0]           dmatest_seed_o,
  output logic [7:0]           dmatest_step_o,
  input  wire                  dmatest_busy_i,
  input  wire                  dmatest_done_i,
  input  wire                  dmatest_error_i,
  input  wire  [3:0]           dmatest_err_code_i,
  input  wire  [31:0]          dmatest_crc_i,
  input  wire  [31:0]          dmatest_done_bytes_i,
  input  wire  [31:0]          dmatest_cycles_i,
  input  wire                  dmatest_done_evt_i,
  input  wire                  dmatest_error_evt_i,

  // host controller control
  output logic                 run_o,           // USBCMD.RUN
  output logic                 hcreset_o,       // pulse
  output logic [13:0]          fi_o,            // FRAME_INTERVAL.FI
  output logic [63:0]          evt_base_o,
  output logic [12:0]          evt_size_o,      // clamped to 16..4096
  output logic                 evt_restart_o,   // pulse: EVT_BASE_LO or EVT_SIZE written
  output logic [63:0]          evt_deq_o,
  output logic                 evt_deq_wr_o,    // pulse: EVT_DEQ_LO written (evt_deq_o is new)
  output logic [15:0]          imod_o,
  output logic                 db_valid_o,      // pulse
  output logic [5:0]           db_ctx_o,
  output logic                 cmd_start_o,     // pulse (not while busy)
  output logic [3:0]           cmd_op_o,
  output logic [5:0]           cmd_ctx_o,
  output logic [63:0]          cmd_arg_o,
  // host controller status
  input  wire                  halted_i,
  input  wire                  evt_full_i,
  input  wire                  cmd_busy_i,
  input  wire                  host_error_evt_i,  // pulse: event write failed (halts)
  input  wire                  event_irq_i,       // pulse from kite_intr
  input  wire                  sof_i,             // pulse: frame start
  input  wire  [10:0]          frame_i,

  // ports (levels synchronised to clk; pulses to be synchronised to usb_clk)
  output logic [NUM_PORTS-1:0] port_power_o,
  output logic [NUM_PORTS-1:0] port_reset_o,
  output logic [NUM_PORTS-1:0] port_disable_o,
  output logic [NUM_PORTS-1:0] port_suspend_o,
  output logic [NUM_PORTS-1:0] port_resume_o,
  input  wire  [NUM_PORTS-1:0] port_connected_i,
  input  wire  [NUM_PORTS-1:0] port_enabled_i,
  input  wire  [NUM_PORTS-1:0] port_ls_i,
  input  wire  [NUM_PORTS-1:0] port_resetting_i,
  input  wire  [NUM_PORTS-1:0] port_suspended_i,
  input  wire  [NUM_PORTS-1:0] port_resuming_i,
  input  wire  [NUM_PORTS-1:0] port_overcurrent_i,
  output logic [NUM_PORTS-1:0] port_evt_pend_o,   // a change bit was set: PORT event owed
  input  wire  [NUM_PORTS-1:0] port_evt_ack_i,    // the engine wrote that port's event
  output logic                 port_rst_wait_o,   // a RESET write waits to be seen (a timer runs)

  // context window (to kite_ctx_ram)
  output logic                 ctx_wr_en_o,
  output logic [31:0]          ctx_wr_mask_o,
  input  wire  [31:0]          ctx_rd_data_i,   // the cycle after rd_en

  output logic                 irq_o
);

  localparam int I_NUM_PORTS = NUM_PORTS;  // as a signed int for loop bounds

  if (CAP_ADDR_WIDTH != 32 && CAP_ADDR_WIDTH != 64) begin : g_bad_caw
    $error("kite_regs: CAP_ADDR_WIDTH must be 32 or 64");
  end
  if (CAP_DATA_BYTES_LOG2 < 2 || CAP_DATA_BYTES_LOG2 > 4) begin : g_bad_cdw
    $error("kite_regs: CAP_DATA_BYTES_LOG2 must be 2..4");
  end
  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_regs: NUM_PORTS must be 1..15");
  end
  if (CAP_MAX_BURST_LOG2 > 8) begin : g_bad_mb
    $error("kite_regs: CAP_MAX_BURST_LOG2 must be 0..8");
  end
  if (NUM_CTX < 1 || NUM_CTX > 64) begin : g_bad_nc
    $error("kite_regs: NUM_CTX must be 1..64");
  end
  if (PKT_BUF_LOG2 < 10 || PKT_BUF_LOG2 > 12) begin : g_bad_pb
    $error("kite_regs: PKT_BUF_LOG2 must be 10..12");
  end

  localparam int unsigned NINT = 6;   // interrupt sources
  localparam int unsigned OP_LSB = kite_regs_pkg::KITE_DMATEST_CTRL_OP_LSB;
  localparam int unsigned I_EVENT = kite_regs_pkg::KITE_INT_STATUS_EVENT_LSB;
  localparam int unsigned I_PORT = kite_regs_pkg::KITE_INT_STATUS_PORT_CHANGE_LSB;
  localparam int unsigned I_HERR = kite_regs_pkg::KITE_INT_STATUS_HOST_ERROR_LSB;
  localparam int unsigned I_SOF = kite_regs_pkg::KITE_INT_STATUS_SOF_LSB;

  localparam logic [31:0] CAP_VALUE =
      (32'(CAP_ADDR_WIDTH) << kite_regs_pkg::KITE_CAP_ADDR_WIDTH_LSB) |
      (32'(CAP_DATA_BYTES_LOG2) << kite_regs_pkg::KITE_CAP_DATA_BYTES_LOG2_LSB) |
      (32'(NUM_PORTS) << kite_regs_pkg::KITE_CAP_NUM_PORTS_LSB) |
      (32'(CAP_DMA_TEST) << kite_regs_pkg::KITE_CAP_DMA_TEST_LSB) |
      (32'(CAP_MAX_BURST_LOG2) << kite_regs_pkg::KITE_CAP_MAX_BURST_LOG2_LSB);
  localparam logic [31:0] CAP_HOST_VALUE =
      (32'(NUM_CTX) << kite_regs_pkg::KITE_CAP_HOST_NUM_CTX_LSB) |
      (32'(PKT_BUF_LOG2) << kite_regs_pkg::KITE_CAP_HOST_PKT_BUF_LOG2_LSB) |
      (32'(CAP_ISO) << kite_regs_pkg::KITE_CAP_HOST_ISO_LSB) |
      (32'(CAP_LOW_SPEED) << kite_regs_pkg::KITE_CAP_HOST_LOW_SPEED_LSB) |
      (32'(CAP_ONCHIP_PHY) << kite_regs_pkg::KITE_CAP_HOST_ONCHIP_PHY_LSB);

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] data,
                                        input logic [31:0] mask);
    merge = (old & ~mask) | (data & mask);
  endfunction

  logic [31:0] wr_mask, wv;
  assign wr_mask = {{8{wr_strb[3]}}, {8{wr_strb[2]}}, {8{wr_strb[1]}}, {8{wr_strb[0]}}};
  assign wv = wr_data & wr_mask;

  // PORTSC[n] decode: 0x080 + 4n, n < 15 (0x080..0x0bb)
  logic        wr_portsc, rd_portsc;
  logic [3:0]  wr_pidx, rd_pidx;
  assign wr_portsc = wr_addr[11:6] == 6'b000010 && wr_addr[5:2] != 4'hf;
  assign wr_pidx = wr_addr[5:2];
  assign rd_portsc = rd_addr[11:6] == 6'b000010 && rd_addr[5:2] != 4'hf;
  assign rd_pidx = rd_addr[5:2];
  assign ctx_wr_en_o = wr_en && wr_addr[11];
  assign ctx_wr_mask_o = wr_mask;

  // ---------------------------------------------------------------- register state
  logic [31:0]     scratch_q, scratch_d;
  logic [NINT-1:0] int_status_q, int_status_d;
  logic [NINT-1:0] int_enable_q, int_enable_d;
  logic [31:0]     src_lo_q, src_lo_d, src_hi_q, src_hi_d;
  logic [31:0]     dst_lo_q, dst_lo_d, dst_hi_q, dst_hi_d;
  logic [31:0]     len_q, len_d;
  logic [15:0]     pattern_q, pattern_d;
  logic [1:0]      op_q, op_d;
  logic            start_q, start_d;
  logic            run_q, run_d;
  logic            hcreset_q, hcreset_d;
  logic            herr_q, herr_d;          // USBSTS.HOST_ERROR
  logic [13:0]     fi_q, fi_d;
  logic [31:0]     ebase_lo_q, ebase_lo_d, ebase_hi_q, ebase_hi_d;
  logic [12:0]     esize_q, esize_d;
  logic            erestart_q, erestart_d;
  logic [15:0]     imod_q, imod_d;
  logic [31:0]     edeq_lo_q, edeq_lo_d, edeq_hi_q, edeq_hi_d;
  logic            edeq_wr_q, edeq_wr_d;
  logic            db_q, db_d;
  logic [5:0]      dbctx_q, dbctx_d;
  logic            cstart_q, cstart_d;
  logic [3:0]      cop_q, cop_d;
  logic [5:0]      cctx_q, cctx_d;
  logic [31:0]     carg_lo_q, carg_lo_d, carg_hi_q, carg_hi_d;
  logic [NUM_PORTS-1:0] power_q, power_d;
  logic [NUM_PORTS-1:0] preset_q, preset_d, pdis_q, pdis_d, psus_q, psus_d, pres_q, pres_d;
  logic [NUM_PORTS-1:0] rst_wait_q, rst_wait_d;   // RESET written, not yet seen resetting
  logic [NUM_PORTS-1:0] csc_q, csc_d, pec_q, pec_d, prc_q, prc_d, occ_q, occ_d, psc_q, psc_d;
  logic [NUM_PORTS-1:0] pend_q, pend_d;
  logic [NUM_PORTS-1:0] conn_prev_q, en_prev_q, rsting_prev_q, oc_prev_q, resm_prev_q;
  logic [9:0]      rst_wait_cnt_q, rst_wait_cnt_d;

  logic [1:0]  op_new;
  logic [31:0] cmd_nv;    // CMD after a write
  assign cmd_nv = merge({18'd0, cctx_q, cop_q, 4'd0}, wr_data, wr_mask);
  logic [NUM_PORTS-1:0] new_change;

  always_comb begin
    scratch_d = scratch_q;
    int_enable_d = int_enable_q;
    src_lo_d = src_lo_q;
    src_hi_d = src_hi_q;
    dst_lo_d = dst_lo_q;
    dst_hi_d = dst_hi_q;
    len_d = len_q;
    pattern_d = pattern_q;
    op_d = op_q;
    start_d = 1'b0;
    run_d = run_q;
    hcreset_d = 1'b0;
    herr_d = herr_q;
    fi_d = fi_q;
    ebase_lo_d = ebase_lo_q;
    ebase_hi_d = ebase_hi_q;
    esize_d = esize_q;
    erestart_d = 1'b0;
    imod_d = imod_q;
    edeq_lo_d = edeq_lo_q;
    edeq_hi_d = edeq_hi_q;
    edeq_wr_d = 1'b0;
    db_d = 1'b0;
    dbctx_d = dbctx_q;
    cstart_d = 1'b0;
    cop_d = cop_q;
    cctx_d = cctx_q;
    carg_lo_d = carg_lo_q;
    carg_hi_d = carg_hi_q;
    power_d = power_q;
    preset_d = '0;
    pdis_d = '0;
    psus_d = '0;
    pres_d = '0;
    rst_wait_d = rst_wait_q & ~port_resetting_i;
    rst_wait_cnt_d = (|rst_wait_q) ? rst_wait_cnt_q + 10'd1 : '0;
    if (rst_wait_cnt_q == 10'h3ff) rst_wait_d = '0;   // no reset seen after 1023 cycles
    op_new = (op_q & ~wr_mask[OP_LSB +: 2]) | (wr_data[OP_LSB +: 2] & wr_mask[OP_LSB +: 2]);

    // port change bits: set on edges of the synchronised levels
    csc_d = csc_q | (port_connected_i ^ conn_prev_q);
    pec_d = pec_q | (en_prev_q & ~port_enabled_i & ~pdis_q);
    prc_d = prc_q | (rsting_prev_q & ~port_resetting_i);
    occ_d = occ_q | (port_overcurrent_i ^ oc_prev_q);
    psc_d = psc_q | (resm_prev_q & ~port_resuming_i);
    new_change = (csc_d & ~csc_q) | (pec_d & ~pec_q) | (prc_d & ~prc_q) | (occ_d & ~occ_q) |
                 (psc_d & ~psc_q);
    pend_d = (pend_q & ~port_evt_ack_i) | new_change;

    // interrupt status
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
    int_status_d[I_EVENT] = int_status_d[I_EVENT] | event_irq_i;
    int_status_d[I_PORT] = int_status_d[I_PORT] | (|new_change);
    int_status_d[I_HERR] = int_status_d[I_HERR] | host_error_evt_i;
    int_status_d[I_SOF] = int_status_d[I_SOF] | sof_i;

    if (host_error_evt_i) begin
      herr_d = 1'b1;
      run_d = 1'b0;
    end

    if (wr_en) begin
      for (int p = 0; p < I_NUM_PORTS; p++) begin
        if (wr_portsc && wr_pidx == 4'(p)) begin
          power_d[p] = (power_q[p] & ~wr_mask[kite_regs_pkg::KITE_PORTSC_POWER_LSB]) |
                       wv[kite_regs_pkg::KITE_PORTSC_POWER_LSB];
          preset_d[p] = wv[kite_regs_pkg::KITE_PORTSC_RESET_LSB];
          rst_wait_d[p] = rst_wait_d[p] | wv[kite_regs_pkg::KITE_PORTSC_RESET_LSB];
          psus_d[p] = wv[kite_regs_pkg::KITE_PORTSC_SUSPEND_LSB];
          pres_d[p] = wv[kite_regs_pkg::KITE_PORTSC_RESUME_LSB];
          pdis_d[p] = wv[kite_regs_pkg::KITE_PORTSC_DISABLE_LSB];
          // W1C of what was set before this cycle (a set in the same cycle wins)
          csc_d[p] = csc_d[p] & ~(wv[kite_regs_pkg::KITE_PORTSC_CSC_LSB] & csc_q[p]);
          pec_d[p] = pec_d[p] & ~(wv[kite_regs_pkg::KITE_PORTSC_PEC_LSB] & pec_q[p]);
          prc_d[p] = prc_d[p] & ~(wv[kite_regs_pkg::KITE_PORTSC_PRC_LSB] & prc_q[p]);
          occ_d[p] = occ_d[p] & ~(wv[kite_regs_pkg::KITE_PORTSC_OCC_LSB] & occ_q[p]);
          psc_d[p] = psc_d[p] & ~(wv[kite_regs_pkg::KITE_PORTSC_PSC_LSB] & psc_q[p]);
        end
      end
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
          if (!(wv[kite_regs_pkg::KITE_DMATEST_CTRL_START_LSB] && dmatest_busy_i)) begin
            op_d = op_new;
            start_d = wv[kite_regs_pkg::KITE_DMATEST_CTRL_START_LSB];
          end
        end
        kite_regs_pkg::KITE_REG_USBCMD: begin
          run_d = (run_q & ~wr_mask[0]) | wv[kite_regs_pkg::KITE_USBCMD_RUN_LSB];
          if (wv[kite_regs_pkg::KITE_USBCMD_HCRESET_LSB]) begin
            hcreset_d = 1'b1;
            run_d = 1'b0;
          end
        end
        kite_regs_pkg::KITE_REG_FRAME_INTERVAL: fi_d = 14'(merge({18'd0, fi_q}, wr_data, wr_mask));
        kite_regs_pkg::KITE_REG_EVT_BASE_LO: begin
          ebase_lo_d = merge(ebase_lo_q, wr_data, wr_mask) &
                       kite_regs_pkg::KITE_EVT_BASE_LO_ADDR_MASK;
          erestart_d = 1'b1;
        end
        kite_regs_pkg::KITE_REG_EVT_BASE_HI: ebase_hi_d = merge(ebase_hi_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_EVT_SIZE: begin
          esize_d = 13'(merge({19'd0, esize_q}, wr_data, wr_mask));
          erestart_d = 1'b1;
        end
        kite_regs_pkg::KITE_REG_IMOD: imod_d = 16'(merge({16'd0, imod_q}, wr_data, wr_mask));
        kite_regs_pkg::KITE_REG_EVT_DEQ_LO: begin
          edeq_lo_d = merge(edeq_lo_q, wr_data, wr_mask) & kite_regs_pkg::KITE_EVT_DEQ_LO_ADDR_MASK;
          edeq_wr_d = 1'b1;
        end
        kite_regs_pkg::KITE_REG_EVT_DEQ_HI: edeq_hi_d = merge(edeq_hi_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_DOORBELL: begin
          if (wr_strb[0]) begin
            db_d = 1'b1;
            dbctx_d = wr_data[5:0];
          end
        end
        kite_regs_pkg::KITE_REG_CMD: begin
          if (!cmd_busy_i && !cstart_q) begin
            cop_d = cmd_nv[7:4];
            cctx_d = cmd_nv[13:8];
            cstart_d = wv[kite_regs_pkg::KITE_CMD_START_LSB];
          end
        end
        kite_regs_pkg::KITE_REG_CMD_ARG_LO: carg_lo_d = merge(carg_lo_q, wr_data, wr_mask);
        kite_regs_pkg::KITE_REG_CMD_ARG_HI: carg_hi_d = merge(carg_hi_q, wr_data, wr_mask);
        default: ;
      endcase
    end

    if (hcreset_q) begin
      csc_d = '0;
      pec_d = '0;
      prc_d = '0;
      occ_d = '0;
      psc_d = '0;
      pend_d = '0;
      herr_d = 1'b0;
      int_status_d[I_EVENT] = 1'b0;
      int_status_d[I_PORT] = 1'b0;
      int_status_d[I_HERR] = 1'b0;
    end

    // without the self-test (CAP.DMA_TEST = 0) its registers are constant 0: no flip-flops
    if (!CAP_DMA_TEST) begin
      src_lo_d = '0;
      src_hi_d = '0;
      dst_lo_d = '0;
      dst_hi_d = '0;
      len_d = '0;
      pattern_d = '0;
      op_d = '0;
      start_d = 1'b0;
    end
    // 32-bit addresses: a _HI register keeps only whether it is nonzero (bit 0); that makes the
    // address out of range for the DMA port (an error, as with any address at or above
    // CAP.ADDR_WIDTH) instead of silently dropping bits, and no 32-bit register is built
    if (CAP_ADDR_WIDTH <= 32) begin
      src_hi_d = {31'd0, |src_hi_d};
      dst_hi_d = {31'd0, |dst_hi_d};
      ebase_hi_d = {31'd0, |ebase_hi_d};
      edeq_hi_d = {31'd0, |edeq_hi_d};
      carg_hi_d = {31'd0, |carg_hi_d};
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      scratch_q <= kite_regs_pkg::KITE_SCRATCH_RESET;
      int_status_q <= kite_regs_pkg::KITE_INT_STATUS_RESET[NINT-1:0];
      int_enable_q <= kite_regs_pkg::KITE_INT_ENABLE_RESET[NINT-1:0];
      src_lo_q <= kite_regs_pkg::KITE_DMATEST_SRC_LO_RESET;
      src_hi_q <= kite_regs_pkg::KITE_DMATEST_SRC_HI_RESET;
      dst_lo_q <= kite_regs_pkg::KITE_DMATEST_DST_LO_RESET;
      dst_hi_q <= kite_regs_pkg::KITE_DMATEST_DST_HI_RESET;
      len_q <= kite_regs_pkg::KITE_DMATEST_LEN_RESET;
      pattern_q <= kite_regs_pkg::KITE_DMATEST_PATTERN_RESET[15:0];
      op_q <= kite_regs_pkg::KITE_DMATEST_CTRL_OP_RESET;
      start_q <= 1'b0;
      run_q <= kite_regs_pkg::KITE_USBCMD_RUN_RESET;
      hcreset_q <= 1'b0;
      herr_q <= 1'b0;
      fi_q <= kite_regs_pkg::KITE_FRAME_INTERVAL_FI_RESET;
      ebase_lo_q <= kite_regs_pkg::KITE_EVT_BASE_LO_RESET;
      ebase_hi_q <= kite_regs_pkg::KITE_EVT_BASE_HI_RESET;
      esize_q <= kite_regs_pkg::KITE_EVT_SIZE_ENTRIES_RESET;
      erestart_q <= 1'b0;
      imod_q <= kite_regs_pkg::KITE_IMOD_INTERVAL_RESET;
      edeq_lo_q <= kite_regs_pkg::KITE_EVT_DEQ_LO_RESET;
      edeq_hi_q <= kite_regs_pkg::KITE_EVT_DEQ_HI_RESET;
      edeq_wr_q <= 1'b0;
      db_q <= 1'b0;
      dbctx_q <= '0;
      cstart_q <= 1'b0;
      cop_q <= kite_regs_pkg::KITE_CMD_OP_RESET;
      cctx_q <= kite_regs_pkg::KITE_CMD_CTX_RESET;
      carg_lo_q <= '0;
      carg_hi_q <= '0;
      power_q <= '0;
      preset_q <= '0;
      pdis_q <= '0;
      psus_q <= '0;
      pres_q <= '0;
      rst_wait_q <= '0;
      rst_wait_cnt_q <= '0;
      csc_q <= '0;
      pec_q <= '0;
      prc_q <= '0;
      occ_q <= '0;
      psc_q <= '0;
      pend_q <= '0;
      conn_prev_q <= '0;
      en_prev_q <= '0;
      rsting_prev_q <= '0;
      oc_prev_q <= '0;
      resm_prev_q <= '0;
    end else begin
      scratch_q <= scratch_d;
      int_status_q <= int_status_d;
      int_enable_q <= int_enable_d;
      src_lo_q <= src_lo_d;
      src_hi_q <= src_hi_d;
      dst_lo_q <= dst_lo_d;
      dst_hi_q <= dst_hi_d;
      len_q <= len_d;
      pattern_q <= pattern_d;
      op_q <= op_d;
      start_q <= start_d;
      run_q <= run_d;
      hcreset_q <= hcreset_d;
      herr_q <= herr_d;
      fi_q <= fi_d;
      ebase_lo_q <= ebase_lo_d;
      ebase_hi_q <= ebase_hi_d;
      esize_q <= esize_d;
      erestart_q <= erestart_d;
      imod_q <= imod_d;
      edeq_lo_q <= edeq_lo_d;
      edeq_hi_q <= edeq_hi_d;
      edeq_wr_q <= edeq_wr_d;
      db_q <= db_d;
      dbctx_q <= dbctx_d;
      cstart_q <= cstart_d;
      cop_q <= cop_d;
      cctx_q <= cctx_d;
      carg_lo_q <= carg_lo_d;
      carg_hi_q <= carg_hi_d;
      power_q <= power_d;
      preset_q <= preset_d;
      pdis_q <= pdis_d;
      psus_q <= psus_d;
      pres_q <= pres_d;
      rst_wait_q <= rst_wait_d;
      rst_wait_cnt_q <= rst_wait_cnt_d;
      csc_q <= csc_d;
      pec_q <= pec_d;
      prc_q <= prc_d;
      occ_q <= occ_d;
      psc_q <= psc_d;
      pend_q <= pend_d;
      conn_prev_q <= port_connected_i;
      en_prev_q <= port_enabled_i;
      rsting_prev_q <= port_resetting_i;
      oc_prev_q <= port_overcurrent_i;
      resm_prev_q <= port_resuming_i;
    end
  end

  assign irq_o = |(int_status_q & int_enable_q);
  assign port_rst_wait_o = |rst_wait_q;

  assign dmatest_start_o = start_q;
  assign dmatest_op_o = op_q;
  assign dmatest_src_o = {src_hi_q, src_lo_q};
  assign dmatest_dst_o = {dst_hi_q, dst_lo_q};
  assign dmatest_len_o = len_q;
  assign dmatest_seed_o = pattern_q[kite_regs_pkg::KITE_DMATEST_PATTERN_SEED_LSB +: 8];
  assign dmatest_step_o = pattern_q[kite_regs_pkg::KITE_DMATEST_PATTERN_STEP_LSB +: 8];

  assign run_o = run_q;
  assign hcreset_o = hcreset_q;
  assign fi_o = fi_q;
  assign evt_base_o = {ebase_hi_q, ebase_lo_q};
  assign evt_size_o = esize_q < 13'd16 ? 13'd16 : (esize_q > 13'd4096 ? 13'd4096 : esize_q);
  assign evt_restart_o = erestart_q;
  assign evt_deq_o = {edeq_hi_q, edeq_lo_q};
  assign imod_o = imod_q;
  assign db_valid_o = db_q;
  assign evt_deq_wr_o = edeq_wr_q;
  assign db_ctx_o = dbctx_q;
  assign cmd_start_o = cstart_q;
  assign cmd_op_o = cop_q;
  assign cmd_ctx_o = cctx_q;
  assign cmd_arg_o = {carg_hi_q, carg_lo_q};
  assign port_power_o = power_q;
  assign port_reset_o = preset_q;
  assign port_disable_o = pdis_q;
  assign port_suspend_o = psus_q;
  assign port_resume_o = pres_q;
  assign port_evt_pend_o = pend_q;

  // ---------------------------------------------------------------- reads
  // Reads are registered (the context window is a block RAM with a registered read): the
  // value of rd_addr at rd_en appears on rd_data in the next cycle and stays until the next
  // rd_en (the context RAM holds its word while the adapter asks it to). The read mux is a
  // function called at that edge: as an always_comb on the bus inputs the simulator would
  // recompute it at every evaluation.
  function automatic logic [31:0] read_word();
    logic [31:0] v, ps;
    ps = '0;
    for (int p = 0; p < I_NUM_PORTS; p++) begin
      if (rd_pidx == 4'(p)) begin
        ps[kite_regs_pkg::KITE_PORTSC_CONNECTED_LSB] = port_connected_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_ENABLED_LSB] = port_enabled_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_POWER_LSB] = power_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_RESET_LSB] = port_resetting_i[p] | rst_wait_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_SUSPEND_LSB] = port_suspended_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_RESUME_LSB] = port_resuming_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_LS_LSB] = port_ls_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_OVERCURRENT_LSB] = port_overcurrent_i[p];
        ps[kite_regs_pkg::KITE_PORTSC_CSC_LSB] = csc_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_PEC_LSB] = pec_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_PRC_LSB] = prc_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_OCC_LSB] = occ_q[p];
        ps[kite_regs_pkg::KITE_PORTSC_PSC_LSB] = psc_q[p];
      end
    end
    v = 32'd0;
    if (rd_addr[11]) begin
      v = 32'd0;  // from kite_ctx_ram
    end else if (rd_portsc) begin
      v = ps;
    end else begin
      unique case (rd_addr)
        kite_regs_pkg::KITE_REG_ID:             v = kite_regs_pkg::KITE_ID_RESET;
        kite_regs_pkg::KITE_REG_VERSION:
          v = (32'(kite_regs_pkg::KITE_VERSION_MAJOR) << kite_regs_pkg::KITE_VERSION_MAJOR_LSB) |
              (32'(kite_regs_pkg::KITE_VERSION_MINOR) << kite_regs_pkg::KITE_VERSION_MINOR_LSB) |
              (32'(kite_regs_pkg::KITE_VERSION_PATCH) << kite_regs_pkg::KITE_VERSION_PATCH_LSB);
        kite_regs_pkg::KITE_REG_CAP:            v = CAP_VALUE;
        kite_regs_pkg::KITE_REG_CAP_HOST:       v = CAP_HOST_VALUE;
        kite_regs_pkg::KITE_REG_SCRATCH:        v = scratch_q;
        kite_regs_pkg::KITE_REG_INT_STATUS:     v = {{(32 - NINT){1'b0}}, int_status_q};
        kite_regs_pkg::KITE_REG_INT_ENABLE:     v = {{(32 - NINT){1'b0}}, int_enable_q};
        kite_regs_pkg::KITE_REG_DMATEST_SRC_LO: v = src_lo_q;
        kite_regs_pkg::KITE_REG_DMATEST_SRC_HI: v = src_hi_q;
        kite_regs_pkg::KITE_REG_DMATEST_DST_LO: v = dst_lo_q;
        kite_regs_pkg::KITE_REG_DMATEST_DST_HI: v = dst_hi_q;
        kite_regs_pkg::KITE_REG_DMATEST_LEN:    v = len_q;
        kite_regs_pkg::KITE_REG_DMATEST_PATTERN: v = {16'd0, pattern_q};
        kite_regs_pkg::KITE_REG_DMATEST_CTRL:   v = 32'(op_q) << OP_LSB;
        kite_regs_pkg::KITE_REG_DMATEST_STATUS: begin
          v[kite_regs_pkg::KITE_DMATEST_STATUS_BUSY_LSB] = dmatest_busy_i;
          v[kite_regs_pkg::KITE_DMATEST_STATUS_DONE_LSB] = dmatest_done_i;
          v[kite_regs_pkg::KITE_DMATEST_STATUS_ERROR_LSB] = dmatest_error_i;
          v[kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_LSB +: 4] = dmatest_err_code_i;
        end
        kite_regs_pkg::KITE_REG_DMATEST_CRC:        v = dmatest_crc_i;
        kite_regs_pkg::KITE_REG_DMATEST_DONE_BYTES: v = dmatest_done_bytes_i;
        kite_regs_pkg::KITE_REG_DMATEST_CYCLES:     v = dmatest_cycles_i;
        kite_regs_pkg::KITE_REG_USBCMD:         v = {31'd0, run_q};
        kite_regs_pkg::KITE_REG_USBSTS:         v = {29'd0, herr_q, evt_full_i, halted_i};
        kite_regs_pkg::KITE_REG_FRAME:          v = {21'd0, frame_i};
        kite_regs_pkg::KITE_REG_FRAME_INTERVAL: v = {18'd0, fi_q};
        kite_regs_pkg::KITE_REG_EVT_BASE_LO:    v = ebase_lo_q;
        kite_regs_pkg::KITE_REG_EVT_BASE_HI:    v = ebase_hi_q;
        kite_regs_pkg::KITE_REG_EVT_SIZE:       v = {19'd0, esize_q};
        kite_regs_pkg::KITE_REG_IMOD:           v = {16'd0, imod_q};
        kite_regs_pkg::KITE_REG_EVT_DEQ_LO:     v = edeq_lo_q;
        kite_regs_pkg::KITE_REG_EVT_DEQ_HI:     v = edeq_hi_q;
        kite_regs_pkg::KITE_REG_CMD:            v = {18'd0, cctx_q, cop_q, 4'd0};
        kite_regs_pkg::KITE_REG_CMD_ARG_LO:     v = carg_lo_q;
        kite_regs_pkg::KITE_REG_CMD_ARG_HI:     v = carg_hi_q;
        kite_regs_pkg::KITE_REG_CMD_STATUS:     v = {31'd0, cmd_busy_i | cstart_q};
        default: ;
      endcase
    end
    return v;
  endfunction

  logic [31:0] rd_q;
  logic        rd_ctx_q;
  assign rd_data = rd_ctx_q ? ctx_rd_data_i : rd_q;
  always_ff @(posedge clk) begin
    if (rst) begin
      rd_q <= '0;
      rd_ctx_q <= 1'b0;
    end else if (rd_en) begin
      rd_q <= read_word();
      rd_ctx_q <= rd_addr[11];
    end
  end

  logic unused_ok;
  assign unused_ok = ^{cmd_nv[31:14], cmd_nv[3:0]};

endmodule : kite_regs

`default_nettype wire
