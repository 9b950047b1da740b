// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_ctx_ram: the endpoint contexts (register window 0x800 + 32 * n) in one block RAM, and
// the per-context scheduling state the scheduler needs every cycle in flip-flops.
//
// The RAM holds eight 32-bit words per context (NUM_CTX * 8 deep, one write and one registered
// read port, byte write enables: one RAMB18 on xc7 for up to 64 contexts, two SB_RAM40_4K on
// iCE40 for up to 32):
//   0 CFG0   1 CFG1   2 DEQ_LO (+DCS)   3 DEQ_HI   4 STATE (toggle, error count; the state
//   itself is a flip-flop)   5 TD_BYTES   6 hidden: {offset in the TRB, pending ZLP}
//   7 hidden: {last service frame, served, control IN}
// A word-valid bit per word makes a word read as 0 until it is written: HCRESET clears them all
// at once (every context reads DISABLED and all-zero), and a software write of DEQ_LO/HI clears
// those of words 5 and 6 (the hidden TD progress), so no clearing sweep is needed.
//
// Software side: reads take the address at reg_rd_en and give the word one cycle later; it
// stays on reg_rd_data until the next read while reg_rd_hold is high (the bus adapter still
// offers it). Words 0..4 are writable while the context is not RUNNING (writes to a RUNNING
// context are ignored; word 4 may set STATE = RUNNING, which also marks the ring as having work).
// A doorbell marks the ring as having work and turns STOPPED into RUNNING.
//
// Engine side: e_load copies context e_idx into the e_* outputs (they stay until the next
// load), e_store writes the engine's fields back; both take a few cycles (e_ready is low
// meanwhile) because software accesses have priority on the RAM ports. The engine keeps the
// e_*_i fields unchanged until e_ready returns (its context copy, which it only reloads after
// a load), so the store reads them as it goes instead of keeping a second copy. The state flip-flop
// takes the stored state at once, so the scheduler never sees a stale one.
//
// Scheduling state: `work` (the ring may hold TRBs: set by a doorbell or RUNNING, cleared by
// the engine when it starts a turn and set again when it ends one that did not find the ring
// empty; a doorbell during a turn is never lost), and for interrupt/isochronous contexts a
// `skip` bit: the engine found the context not due in this frame (a frame-number compare of
// the last service frame against INTERVAL, e_due); SOF clears every skip bit.

`default_nettype none

module kite_ctx_ram #(
  parameter int unsigned NUM_CTX = 16,    // contexts, 1..64
  parameter int unsigned ADDR_WIDTH = 64  // DMA address width, 32 or 64 (DEQ_HI reads 0 at 32)
) (
  input  wire         clk,
  input  wire         rst,
  input  wire         clear_i,          // HCRESET: every context to DISABLED, all fields 0

  // register window (word = address bits 4:2, idx = address bits 10:5)
  input  wire         reg_rd_en,        // sample the read address
  input  wire         reg_rd_hold,      // the last word read is still being presented
  input  wire  [5:0]  reg_rd_idx,
  input  wire  [2:0]  reg_rd_word,
  output logic [31:0] reg_rd_data,      // the cycle after reg_rd_en
  input  wire         reg_wr_en,
  input  wire  [5:0]  reg_wr_idx,
  input  wire  [2:0]  reg_wr_word,
  input  wire  [31:0] reg_wr_data,
  input  wire  [31:0] reg_wr_mask,      // byte strobes as a bit mask
  input  wire         db_valid,         // doorbell
  input  wire  [5:0]  db_ctx,
  input  wire         sof_i,            // frame start: periodic contexts may be due again
  input  wire  [10:0] frame_i,          // current frame number

  // engine side
  input  wire  [5:0]  e_idx,
  input  wire         e_load,           // pulse while e_ready: read context e_idx
  input  wire         e_store,          // pulse while e_ready: write the e_*_i fields back
  output logic        e_ready,
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
  output logic        e_due,            // periodic: INTERVAL frames since the last service
  input  wire  [63:4] e_deq_i,
  input  wire         e_dcs_i,
  input  wire  [2:0]  e_state_i,
  input  wire         e_toggle_i,
  input  wire  [1:0]  e_errcnt_i,
  input  wire  [23:0] e_tdb_i,
  input  wire  [23:0] e_off_i,
  input  wire         e_zlp_i,
  input  wire         e_cin_i,
  input  wire         e_served_i,       // with e_store: this frame is its last service
  input  wire         e_clr_work,       // turn starts on e_idx
  input  wire         e_set_work,       // turn ends on e_idx with work possibly left
  input  wire         e_skip,           // e_idx is not due in this frame

  output logic [63:0] ready_async,      // RUNNING, work, control/bulk
  output logic [63:0] ready_periodic    // RUNNING, work, not skipped, interrupt/isochronous
);

  localparam int I_NUM_CTX = NUM_CTX;  // as a signed int for loop bounds

  if (NUM_CTX < 1 || NUM_CTX > 64) begin : g_bad_n
    $error("kite_ctx_ram: NUM_CTX must be 1..64");
  end
  if (ADDR_WIDTH != 32 && ADDR_WIDTH != 64) begin : g_bad_aw
    $error("kite_ctx_ram: ADDR_WIDTH must be 32 or 64");
  end

  localparam logic [2:0] ST_DIS = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_DISABLED);
  localparam logic [2:0] ST_RUN = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_RUNNING);
  localparam logic [2:0] ST_STP = 3'(kite_regs_pkg::KITE_CTX_STATE_STATE_STOPPED);
  localparam int unsigned TYPE_LSB = kite_regs_pkg::KITE_CTX_CFG0_TYPE_LSB;
  localparam int unsigned IW = NUM_CTX > 1 ? $clog2(NUM_CTX) : 1;  // context index bits
  localparam int unsigned RAW = IW + 3;                            // RAM address bits
  // bits software can write, per word (the others read 0)
  localparam logic [31:0] WMASK_CFG0 = kite_regs_pkg::KITE_CTX_CFG0_DEV_ADDR_MASK |
      kite_regs_pkg::KITE_CTX_CFG0_EP_NUM_MASK | kite_regs_pkg::KITE_CTX_CFG0_DIR_IN_MASK |
      kite_regs_pkg::KITE_CTX_CFG0_TYPE_MASK | kite_regs_pkg::KITE_CTX_CFG0_LS_MASK |
      kite_regs_pkg::KITE_CTX_CFG0_MPS_MASK | kite_regs_pkg::KITE_CTX_CFG0_PORT_MASK;
  localparam logic [31:0] WMASK_CFG1 = kite_regs_pkg::KITE_CTX_CFG1_INTERVAL_MASK;
  localparam logic [31:0] WMASK_DEQ_LO = kite_regs_pkg::KITE_CTX_DEQ_LO_PTR_MASK |
                                         kite_regs_pkg::KITE_CTX_DEQ_LO_DCS_MASK;
  localparam logic [31:0] WMASK_STATE = kite_regs_pkg::KITE_CTX_STATE_TOGGLE_MASK |
                                        kite_regs_pkg::KITE_CTX_STATE_ERRCNT_MASK;
  localparam logic [31:0] RMASK_TDB = kite_regs_pkg::KITE_CTX_TD_BYTES_BYTES_MASK;

  // ---------------------------------------------------------------- flip-flop state
  // Packed, and written below by index rather than in a loop over every context: the same
  // flip-flops, but Verilator then simulates an update as one indexed write instead of one
  // guarded write per context and statement (a third of the bus clock's simulation time).
  logic [NUM_CTX-1:0][2:0] state_q;
  logic [NUM_CTX-1:0][7:0] valid_q;   // word-valid bits
  logic [NUM_CTX-1:0]      work_q;
  logic [NUM_CTX-1:0]      periodic_q;  // CFG0.TYPE is ISOCH or INTERRUPT
  logic [NUM_CTX-1:0]      skip_q;
  logic [NUM_CTX-1:0]      run_work, rdy_a, rdy_p;

  always_comb begin
    for (int i = 0; i < I_NUM_CTX; i++) run_work[i] = state_q[i] == ST_RUN && work_q[i];
  end
  assign rdy_a = run_work & ~periodic_q;
  assign rdy_p = run_work & periodic_q & ~skip_q;
  assign ready_async = 64'(rdy_a);
  assign ready_periodic = 64'(rdy_p);

  // ---------------------------------------------------------------- the RAM
  (* ram_style = "block" *) logic [31:0] mem [NUM_CTX * 8];
  logic           ram_we, ram_re;
  logic [3:0]     ram_be;
  logic [RAW-1:0] ram_waddr, ram_raddr;
  logic [31:0]    ram_wdata, ram_q;

  always_ff @(posedge clk) begin
    for (int b = 0; b < 4; b++) begin
      if (ram_we && ram_be[b]) mem[ram_waddr][8*b +: 8] <= ram_wdata[8*b +: 8];
    end
    if (ram_re) ram_q <= mem[ram_raddr];
  end

  // ---------------------------------------------------------------- software writes
  logic [IW-1:0] wi;
  logic          sw_wr, sw_wr_ok;
  logic [31:0]   sw_wmask, sw_wdata;
  assign wi = IW'(reg_wr_idx);
  assign sw_wr = reg_wr_en && 32'(reg_wr_idx) < NUM_CTX;
  // words 0..4 of a context that is not RUNNING; the engine's store of the same cycle waits
  assign sw_wr_ok = sw_wr && reg_wr_word <= 3'd4 && state_q[wi] != ST_RUN;

  always_comb begin
    unique case (reg_wr_word)
      3'd0: sw_wmask = WMASK_CFG0;
      3'd1: sw_wmask = WMASK_CFG1;
      3'd2: sw_wmask = WMASK_DEQ_LO;
      3'd3: sw_wmask = ADDR_WIDTH > 32 ? 32'hffffffff : 32'h0;
      3'd4: sw_wmask = WMASK_STATE;
      default: sw_wmask = 32'hffffffff;
    endcase
  end
  assign sw_wdata = reg_wr_data & reg_wr_mask & sw_wmask;

  // ---------------------------------------------------------------- engine sequencer
  typedef enum logic [1:0] { Q_IDLE, Q_LOAD, Q_STORE } seq_t;
  seq_t      seq_q, seq_d;
  logic [2:0] word_q, word_d;       // next word to read / write
  logic       rd_pend_q;            // an engine read was issued last cycle
  logic [2:0] rd_word_q;
  logic [IW-1:0] ei_q;              // context being loaded / stored
  logic       e_rd, e_wr;
  logic [31:0] e_wdata;

  // latched at e_store: the last service (e_served_i is a pulse)
  logic        s_served_q;
  logic [10:0] s_frame_q;

  // word 7 as loaded (last service)
  logic [10:0] l_frame_q;
  logic        l_served_q;

  // the engine may read when software does not, and no software word is still on display
  assign e_rd = seq_q == Q_LOAD && !reg_rd_en && !reg_rd_hold;
  assign e_wr = seq_q == Q_STORE && !reg_wr_en;

  always_comb begin
    unique case (word_q)
      3'd2: e_wdata = {e_deq_i[31:4], 3'd0, e_dcs_i};
      3'd3: e_wdata = ADDR_WIDTH > 32 ? e_deq_i[63:32] : 32'd0;
      3'd4: e_wdata = (32'(e_errcnt_i) << kite_regs_pkg::KITE_CTX_STATE_ERRCNT_LSB) |
                      (32'(e_toggle_i) << kite_regs_pkg::KITE_CTX_STATE_TOGGLE_LSB);
      3'd5: e_wdata = {8'd0, e_tdb_i};
      3'd6: e_wdata = {7'd0, e_zlp_i, e_off_i};
      default: e_wdata = {19'd0, s_frame_q, s_served_q, e_cin_i};
    endcase
  end

  always_comb begin
    ram_we = 1'b0;
    ram_be = 4'hf;
    ram_waddr = {wi, reg_wr_word};
    ram_wdata = sw_wdata;
    if (sw_wr_ok) begin
      ram_we = 1'b1;
      // a word that reads 0 is written whole, so stale bytes never show
      for (int b = 0; b < 4; b++) ram_be[b] = !valid_q[wi][reg_wr_word] || reg_wr_mask[8*b];
    end else if (e_wr) begin
      ram_we = 1'b1;
      ram_waddr = {ei_q, word_q};
      ram_wdata = e_wdata;
    end
    ram_re = 1'b0;
    ram_raddr = {IW'(reg_rd_idx), reg_rd_word};
    if (reg_rd_en) begin
      ram_re = 1'b1;
    end else if (e_rd) begin
      ram_re = 1'b1;
      ram_raddr = {ei_q, word_q};
    end
  end

  // store writes words 2..7, load reads 0..7
  always_comb begin
    seq_d = seq_q;
    word_d = word_q;
    if (seq_q == Q_IDLE) begin
      if (e_load) begin
        seq_d = Q_LOAD;
        word_d = 3'd0;
      end else if (e_store) begin
        seq_d = Q_STORE;
        word_d = 3'd2;
      end
    end else if (e_rd || e_wr) begin
      word_d = word_q + 3'd1;
      if (word_q == 3'd7) seq_d = Q_IDLE;
    end
  end
  assign e_ready = seq_q == Q_IDLE && !rd_pend_q;

  // ---------------------------------------------------------------- software read data
  logic [2:0]  rd_word_sw_q, rd_state_q;
  logic        rd_valid_sw_q, rd_in_range_q;
  always_comb begin
    reg_rd_data = rd_valid_sw_q ? ram_q : 32'd0;
    unique case (rd_word_sw_q)
      3'd1: reg_rd_data = reg_rd_data & WMASK_CFG1;
      3'd2: reg_rd_data = reg_rd_data & WMASK_DEQ_LO;
      3'd3: reg_rd_data = ADDR_WIDTH > 32 ? reg_rd_data : 32'd0;
      3'd4: reg_rd_data = (reg_rd_data & WMASK_STATE) |
                          (32'(rd_state_q) << kite_regs_pkg::KITE_CTX_STATE_STATE_LSB);
      3'd5: reg_rd_data = reg_rd_data & RMASK_TDB;
      3'd6, 3'd7: reg_rd_data = 32'd0;  // hidden
      default: ;
    endcase
    if (!rd_in_range_q) reg_rd_data = 32'd0;
  end

  // ---------------------------------------------------------------- sequential
  logic [IW-1:0] ri;
  assign ri = IW'(reg_rd_idx);
  logic          e_in, db_in;  // e_idx, db_ctx name a context
  assign e_in = 32'(e_idx) < NUM_CTX;
  assign db_in = 32'(db_ctx) < NUM_CTX;
  logic [IW-1:0] ei_new;   // the context a load or store starts on (0 when out of range)
  assign ei_new = IW'(e_in ? e_idx : '0);
  logic [IW-1:0] di;
  assign di = IW'(db_ctx);
  logic          rvalid;   // the word the engine reads now has been written
  assign rvalid = valid_q[ei_q][rd_word_q];

  always_ff @(posedge clk) begin
    if (rst || clear_i) begin
      seq_q <= Q_IDLE;
      word_q <= '0;
      rd_pend_q <= 1'b0;
      rd_word_q <= '0;
      ei_q <= '0;
      rd_word_sw_q <= '0;
      rd_state_q <= '0;
      rd_valid_sw_q <= 1'b0;
      rd_in_range_q <= 1'b0;
      state_q <= {NUM_CTX{ST_DIS}};
      valid_q <= '0;
      work_q <= '0;
      periodic_q <= '0;
      skip_q <= '0;
    end else begin
      seq_q <= seq_d;
      word_q <= word_d;
      rd_pend_q <= e_rd;
      if (e_rd) rd_word_q <= word_q;
      if (seq_q == Q_IDLE && (e_load || e_store)) ei_q <= ei_new;

      if (reg_rd_en) begin
        rd_word_sw_q <= reg_rd_word;
        rd_in_range_q <= 32'(reg_rd_idx) < NUM_CTX;
        rd_state_q <= state_q[ri];
        rd_valid_sw_q <= valid_q[ri][reg_rd_word];
      end

      // For one context, the later of these writes wins (they are in priority order).
      if (sof_i) skip_q <= '0;
      if (e_skip && e_in) skip_q[ei_new] <= 1'b1;
      // software writes (not while RUNNING)
      if (sw_wr_ok) begin
        valid_q[wi][reg_wr_word] <= 1'b1;
        unique case (reg_wr_word)
          3'd0: if (reg_wr_mask[TYPE_LSB]) periodic_q[wi] <= reg_wr_data[TYPE_LSB];
          3'd2, 3'd3: valid_q[wi][6:5] <= 2'b00;   // a new dequeue pointer: no TD progress
          3'd4: begin
            if (reg_wr_mask[0]) begin
              if (reg_wr_data[2:0] <= 3'd3) state_q[wi] <= reg_wr_data[2:0];
              if (reg_wr_data[2:0] == ST_RUN) work_q[wi] <= 1'b1;
            end
          end
          default: ;
        endcase
      end
      // engine: the state at once, the words as the sequencer writes them
      if (e_store && seq_q == Q_IDLE && e_in) state_q[ei_new] <= e_state_i;
      if (e_wr && 32'(ei_q) < NUM_CTX) valid_q[ei_q][word_q] <= 1'b1;
      if (e_clr_work && e_in) work_q[ei_new] <= 1'b0;
      if (e_set_work && e_in) work_q[ei_new] <= 1'b1;
      // doorbell last: it wins over a clear in the same cycle
      if (db_valid && db_in) begin
        work_q[di] <= 1'b1;
        if (state_q[di] == ST_STP && !(e_store && seq_q == Q_IDLE && e_in && ei_new == di))
          state_q[di] <= ST_RUN;
      end
    end
  end

  // engine load: capture each word as it arrives; store: latch the fields
  logic [31:0] lw;
  assign lw = rvalid ? ram_q : 32'd0;
  always_ff @(posedge clk) begin
    if (seq_q == Q_IDLE && e_load) e_state <= state_q[ei_new];
    if (rd_pend_q) begin
      unique case (rd_word_q)
        3'd0: e_cfg0 <= lw;
        3'd1: e_interval <= lw[7:0];
        3'd2: begin
          e_deq[31:4] <= lw[31:4];
          e_dcs <= lw[0];
        end
        3'd3: e_deq[63:32] <= ADDR_WIDTH > 32 ? lw : 32'd0;
        3'd4: begin
          e_toggle <= lw[kite_regs_pkg::KITE_CTX_STATE_TOGGLE_LSB];
          e_errcnt <= lw[kite_regs_pkg::KITE_CTX_STATE_ERRCNT_LSB +: 2];
        end
        3'd5: e_tdb <= lw[23:0];
        3'd6: begin
          e_off <= lw[23:0];
          e_zlp <= lw[24];
        end
        default: begin
          e_cin <= lw[0];
          l_served_q <= lw[1];
          l_frame_q <= lw[12:2];
        end
      endcase
    end
    if (seq_q == Q_IDLE && e_store) begin
      // a served context records this frame; otherwise it keeps its last service
      s_served_q <= e_served_i | l_served_q;
      s_frame_q <= e_served_i ? frame_i : l_frame_q;
    end
  end

  // due: never served since its ring was set up, or INTERVAL (0 counts as 1) frames have passed
  logic [10:0] since;
  assign since = frame_i - l_frame_q;
  assign e_due = !l_served_q || since >= (e_interval == 8'd0 ? 11'd1 : 11'(e_interval));

`ifndef SYNTHESIS
  // the engine's contract: one load or store at a time, and only while ready
  always_ff @(posedge clk) begin
    if (!rst && !clear_i) begin
      assert (!(e_load || e_store) || e_ready)
        else $error("kite_ctx_ram: load/store while a load or store is in progress");
      assert (!(e_load && e_store)) else $error("kite_ctx_ram: load and store together");
    end
  end
`endif

endmodule : kite_ctx_ram

`default_nettype wire
