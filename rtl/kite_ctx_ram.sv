// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_ctx_ram: the endpoint contexts (register window 0x800 + 32 * n) and the per-context
// scheduling state.
//
// Software side: words 0..4 writable while the context is not RUNNING (writes to a RUNNING
// context are ignored; word 4 may set STATE = RUNNING, which also marks the ring as having
// work). Writing DEQ_LO/HI clears the hidden TD progress (offset in the current TRB, TD bytes,
// pending zero-length packet). A doorbell marks the ring as having work and turns STOPPED into
// RUNNING. The engine side reads one context combinationally and writes back the dynamic
// fields at the end of a turn (it has priority over a software write in the same cycle).
//
// Scheduling state: `work` (the ring may hold TRBs: set by a doorbell or RUNNING, cleared by
// the engine when it starts a turn and set again when it ends one that did not find the ring
// empty; a doorbell during a turn is never lost) and, for interrupt/isochronous contexts, a
// frame countdown that makes the context `due` once every INTERVAL frames.

`default_nettype none

module kite_ctx_ram #(
  parameter int unsigned NUM_CTX = 16   // contexts, 1..64
) (
  input  wire         clk,
  input  wire         rst,
  input  wire         clear_i,          // HCRESET: every context to DISABLED, all fields 0

  // register window (word = address bits 4:2, idx = address bits 10:5)
  input  wire  [5:0]  reg_rd_idx,
  input  wire  [2:0]  reg_rd_word,
  output logic [31:0] reg_rd_data,
  input  wire         reg_wr_en,
  input  wire  [5:0]  reg_wr_idx,
  input  wire  [2:0]  reg_wr_word,
  input  wire  [31:0] reg_wr_data,
  input  wire  [31:0] reg_wr_mask,
  input  wire         db_valid,         // doorbell
  input  wire  [5:0]  db_ctx,
  input  wire         sof_i,            // frame start (periodic countdown)

  // engine side
  input  wire  [5:0]  e_idx,
  output logic [31:0] e_cfg0,
  output logic [7:0]  e_interval,
  output logic [63:4] e_deq,
  output logic        e_dcs,
  output logic [2:0]  e_state,
  output logic        e_toggle,
  output logic [1:0]  e_errcnt,
  output logic [23:0] e_tdb,
  output logic [23:0] e_off,
  output logic        e_zlp,
  output logic        e_cin,
  input  wire         e_we,             // write back the dynamic fields of e_idx
  input  wire  [63:4] e_deq_i,
  input  wire         e_dcs_i,
  input  wire  [2:0]  e_state_i,
  input  wire         e_toggle_i,
  input  wire  [1:0]  e_errcnt_i,
  input  wire  [23:0] e_tdb_i,
  input  wire  [23:0] e_off_i,
  input  wire         e_zlp_i,
  input  wire         e_cin_i,
  input  wire         e_clr_work,       // turn starts on e_idx
  input  wire         e_set_work,       // turn ends on e_idx with work possibly left
  input  wire         e_clr_due,        // a periodic context had its turn this interval

  output logic [63:0] ready_async,      // RUNNING, work, control/bulk
  output logic [63:0] ready_periodic    // RUNNING, work, due, interrupt/isochronous
);

  localparam int I_NUM_CTX = NUM_CTX;  // as a signed int for loop bounds

  if (NUM_CTX < 1 || NUM_CTX > 64) begin : g_bad_n
    $error("kite_ctx_ram: NUM_CTX must be 1..64");
  end

  localparam logic [2:0] ST_DIS = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_DISABLED);
  localparam logic [2:0] ST_RUN = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_RUNNING);
  localparam logic [2:0] ST_STP = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_STOPPED);
  localparam int unsigned TYPE_LSB = kite_regs_pkg::KITE_CTX_CFG0_TYPE_LSB;
  localparam int unsigned IW = NUM_CTX > 1 ? $clog2(NUM_CTX) : 1;  // array index bits

  logic [31:0] cfg0_q [NUM_CTX];
  logic [7:0]  cfg1_q [NUM_CTX];
  logic [59:0] deq_q [NUM_CTX];   // dequeue pointer bits 63:4 (zero-based for Yosys)
  logic        dcs_q [NUM_CTX];
  logic [2:0]  state_q [NUM_CTX];
  logic        tog_q [NUM_CTX];
  logic [1:0]  errc_q [NUM_CTX];
  logic [23:0] tdb_q [NUM_CTX];
  logic [23:0] off_q [NUM_CTX];
  logic        zlp_q [NUM_CTX];
  logic        cin_q [NUM_CTX];
  logic        work_q [NUM_CTX];
  logic        due_q [NUM_CTX];
  logic [7:0]  cnt_q [NUM_CTX];

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] data,
                                        input logic [31:0] mask);
    merge = (old & ~mask) | (data & mask);
  endfunction

  // ---------------------------------------------------------------- reads
  logic [IW-1:0] ri;
  assign ri = IW'(reg_rd_idx);

  always_comb begin
    reg_rd_data = '0;
    if (32'(reg_rd_idx) < NUM_CTX) begin
      unique case (reg_rd_word)
        3'd0: reg_rd_data = cfg0_q[ri];
        3'd1: reg_rd_data = {24'd0, cfg1_q[ri]};
        3'd2: reg_rd_data = {deq_q[ri][27:0], 3'd0, dcs_q[ri]};
        3'd3: reg_rd_data = deq_q[ri][59:28];
        3'd4: reg_rd_data = {22'd0, errc_q[ri], 3'd0, tog_q[ri], 1'b0,
                             state_q[ri]};
        3'd5: reg_rd_data = {8'd0, tdb_q[ri]};
        default: reg_rd_data = '0;
      endcase
    end
  end

  logic [IW-1:0] ei;
  assign ei = (32'(e_idx) < NUM_CTX) ? IW'(e_idx) : '0;
  assign e_cfg0 = cfg0_q[ei];
  assign e_interval = cfg1_q[ei];
  assign e_deq = deq_q[ei];
  assign e_dcs = dcs_q[ei];
  assign e_state = state_q[ei];
  assign e_toggle = tog_q[ei];
  assign e_errcnt = errc_q[ei];
  assign e_tdb = tdb_q[ei];
  assign e_off = off_q[ei];
  assign e_zlp = zlp_q[ei];
  assign e_cin = cin_q[ei];

  always_comb begin
    ready_async = '0;
    ready_periodic = '0;
    for (int i = 0; i < I_NUM_CTX; i++) begin
      if (state_q[i] == ST_RUN && work_q[i]) begin
        if (cfg0_q[i][TYPE_LSB] == 1'b1) ready_periodic[i] = due_q[i];  // ISOCH (1) / INTERRUPT (3)
        else ready_async[i] = 1'b1;                                      // CONTROL (0) / BULK (2)
      end
    end
  end

  // ---------------------------------------------------------------- writes
  logic [IW-1:0] wi;
  logic [31:0]   wr_w2, wr_w4;   // words 2 and 4 of context wi after the software write
  assign wi = IW'(reg_wr_idx);
  assign wr_w2 = merge({deq_q[wi][27:0], 3'd0, dcs_q[wi]}, reg_wr_data, reg_wr_mask);
  assign wr_w4 = merge({22'd0, errc_q[wi], 3'd0, tog_q[wi], 1'b0, state_q[wi]}, reg_wr_data,
                       reg_wr_mask);
  logic unused_ok;
  assign unused_ok = ^{wr_w2[3:1], wr_w4[31:10], wr_w4[7:5], wr_w4[3]};

  always_ff @(posedge clk) begin
    for (int i = 0; i < I_NUM_CTX; i++) begin
      if (rst || clear_i) begin
        cfg0_q[i] <= '0;
        cfg1_q[i] <= '0;
        deq_q[i] <= '0;
        dcs_q[i] <= 1'b0;
        state_q[i] <= ST_DIS;
        tog_q[i] <= 1'b0;
        errc_q[i] <= '0;
        tdb_q[i] <= '0;
        off_q[i] <= '0;
        zlp_q[i] <= 1'b0;
        cin_q[i] <= 1'b0;
        work_q[i] <= 1'b0;
        due_q[i] <= 1'b0;
        cnt_q[i] <= '0;
      end else begin
        // periodic countdown
        if (sof_i) begin
          if (cnt_q[i] <= 8'd1) begin
            due_q[i] <= 1'b1;
            cnt_q[i] <= cfg1_q[i];
          end else begin
            cnt_q[i] <= cnt_q[i] - 8'd1;
          end
        end
        // a service restarts the countdown: the next one comes INTERVAL frames later
        if (e_clr_due && e_idx == 6'(i)) begin
          due_q[i] <= 1'b0;
          cnt_q[i] <= cfg1_q[i];
        end
        // software writes (not while RUNNING)
        if (reg_wr_en && reg_wr_idx == 6'(i) && state_q[i] != ST_RUN &&
            !(e_we && e_idx == 6'(i))) begin
          unique case (reg_wr_word)
            3'd0: cfg0_q[i] <= merge(cfg0_q[i], reg_wr_data, reg_wr_mask);
            3'd1: cfg1_q[i] <= 8'(merge({24'd0, cfg1_q[i]}, reg_wr_data, reg_wr_mask));
            3'd2: begin
              deq_q[i][27:0] <= wr_w2[31:4];
              dcs_q[i] <= wr_w2[0];
              off_q[i] <= '0;
              tdb_q[i] <= '0;
              zlp_q[i] <= 1'b0;
            end
            3'd3: begin
              deq_q[i][59:28] <= merge(deq_q[i][59:28], reg_wr_data, reg_wr_mask);
              off_q[i] <= '0;
              tdb_q[i] <= '0;
              zlp_q[i] <= 1'b0;
            end
            3'd4: begin
              if (wr_w4[2:0] <= 3'd3) state_q[i] <= wr_w4[2:0];
              if (wr_w4[2:0] == ST_RUN) work_q[i] <= 1'b1;
              tog_q[i] <= wr_w4[4];
              errc_q[i] <= wr_w4[9:8];
            end
            default: ;
          endcase
        end
        // engine
        if (e_we && e_idx == 6'(i)) begin
          deq_q[i] <= e_deq_i;
          dcs_q[i] <= e_dcs_i;
          state_q[i] <= e_state_i;
          tog_q[i] <= e_toggle_i;
          errc_q[i] <= e_errcnt_i;
          tdb_q[i] <= e_tdb_i;
          off_q[i] <= e_off_i;
          zlp_q[i] <= e_zlp_i;
          cin_q[i] <= e_cin_i;
        end
        if (e_clr_work && e_idx == 6'(i)) work_q[i] <= 1'b0;
        if (e_set_work && e_idx == 6'(i)) work_q[i] <= 1'b1;
        // doorbell last: it wins over a clear in the same cycle
        if (db_valid && db_ctx == 6'(i)) begin
          work_q[i] <= 1'b1;
          if (state_q[i] == ST_STP && !(e_we && e_idx == 6'(i))) state_q[i] <= ST_RUN;
        end
      end
    end
  end

endmodule : kite_ctx_ram

`default_nettype wire
