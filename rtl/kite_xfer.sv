// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_xfer: the host engine in the bus clock domain: scheduler, TRB walker, packet buffer,
// transactions, event writer and commands (docs/programming-model.md is the contract).
//
// It works one *turn* at a time: a turn is one transaction of one context.
//   1. Scheduling (kite_ctx_ram gives the ready vectors): a due interrupt/isochronous context
//      first (lowest number), else control/bulk round-robin after the last one served.
//   2. The TRB at the context's dequeue pointer is fetched (LINKs followed, TC toggles DCS;
//      a TRB whose C differs from DCS means the ring is empty: the turn ends, the context idles
//      until its doorbell). A one-entry TRB cache avoids refetching the TRB between building
//      and committing a packet and across the turns of a TD (a bulk TRB of 4 KiB is fetched
//      once, not once per packet). It holds only a TRB the controller owns (C = DCS), which
//      software may not change until the dequeue pointer has passed it, and a hit needs the
//      cycle bit to match again (a later lap of the ring refetches); commands and software
//      context writes drop it (a driver rewrites TRBs only after stopping the context).
//   3. OUT/SETUP: the packet (up to MPS bytes) is gathered from the TD's TRBs straight into
//      the OUT FIFO as the DMA reads it (byte-granular DMA, any TRB size or alignment; the walk
//      crosses TRB boundaries and stops at the end of the TD or at a control STATUS stage),
//      then the request is sent; a packet whose gathering fails halfway (a bus or TRB error,
//      HCRESET) is taken back out of the FIFO by a request the engine never starts (port 15:
//      it drains the bytes and answers NOT_STARTED, which the drain consumes).
//      Bulk OUT prefetch: while a full-size bulk OUT packet is on the wire, the engine gathers
//      the context's next packet into the OUT FIFO behind it (the walk from where the packet
//      ended). After an ACK the next turn is that context's and takes the packet as it is
//      (a dry walk advances the pointers without DMA), so the bus sees the next token a few
//      hundred nanoseconds after the handshake; anything else (NAK, an error, a command, RUN
//      cleared, a turn that ends without sending it) takes the prefetched bytes back out.
//      Bulk IN read-ahead: after a full-size bulk IN packet is ACKed, and its TRB has room for
//      another full packet, the next IN request goes to the engine before this packet is
//      written to memory; its bytes wait in the IN FIFO, and the context's next turn (which
//      comes at once) takes its result instead of sending a request. IN: the request is sent and the bytes received go into the
//      packet buffer.
//   4. On ACK the packet is committed: the walk runs again from the packet's start, writes IN
//      data to memory, advances the dequeue pointer past completed TRBs, writes a SUCCESS event
//      for those with IOC, a SHORT_PACKET event (then skips the rest of the TD, up to the STATUS
//      stage of a control TD) for a short IN packet, BABBLE when IN data exceeds the TD. The
//      context is written back only at the end of a turn, so a NAK (or an error that is
//      retried) leaves it exactly at the packet start.
// Commands and PORT events are handled between turns. A bus error while writing an event
// stops everything (host error) until HCRESET.

`default_nettype none

module kite_xfer #(
  parameter int unsigned NUM_CTX = 16,        // contexts, 1..64
  parameter int unsigned NUM_PORTS = 1,       // root ports, 1..15
  parameter int unsigned PKT_BUF_BYTES = 1024, // packet buffer, power of 2, 1024..4096
  parameter int unsigned ADDR_WIDTH = 64      // DMA address bits, 32 or 64: pointers keep these
) (
  input  wire                  clk,
  input  wire                  rst,

  input  wire                  run_i,
  input  wire                  hcreset_i,
  input  wire  [63:0]          evt_base_i,
  input  wire  [12:0]          evt_size_i,
  input  wire                  evt_restart_i,
  input  wire  [63:0]          evt_deq_i,
  output logic                 evt_full_o,
  output logic                 evt_unread_o,   // the ring holds events past evt_deq_i
  output logic                 evt_irq_o,      // pulse: an event that requests the interrupt
  output logic                 host_error_o,   // pulse: an event write failed
  output logic                 halted_o,
  output logic                 busy_o,
  output logic                 quiet_o,        // idle and nothing to start (see below)

  input  wire                  cmd_start_i,
  input  wire  [3:0]           cmd_op_i,
  input  wire  [5:0]           cmd_ctx_i,
  input  wire  [63:0]          cmd_arg_i,
  output logic                 cmd_busy_o,

  input  wire  [NUM_PORTS-1:0] port_enabled_i,
  input  wire  [NUM_PORTS-1:0] port_evt_pend_i,
  output logic [NUM_PORTS-1:0] port_evt_ack_o,
  input  wire                  sof_i,
  input  wire  [10:0]          frame_i,       // current frame number (FRAME register)

  // kite_ctx_ram engine port
  output logic [5:0]           ctx_idx_o,
  input  wire  [31:0]          ctx_cfg0_i,
  input  wire  [63:4]          ctx_deq_i,
  input  wire                  ctx_dcs_i,
  input  wire  [2:0]           ctx_state_i,
  input  wire                  ctx_toggle_i,
  input  wire  [1:0]           ctx_errcnt_i,
  input  wire  [23:0]          ctx_tdb_i,
  input  wire  [23:0]          ctx_off_i,
  input  wire                  ctx_zlp_i,
  input  wire                  ctx_cin_i,
  input  wire                  ctx_sw_write_i, // software wrote a context word (drops the TRB cache)
  input  wire                  ctx_due_i,      // periodic: due in this frame
  input  wire                  ctx_ready_i,    // no context load or store in progress
  output logic                 ctx_load_o,     // copy context ctx_idx_o to the ctx_*_i inputs
  output logic                 ctx_store_o,    // write the ctx_*_o fields back
  output logic [63:4]          ctx_deq_o,
  output logic                 ctx_dcs_o,
  output logic [2:0]           ctx_state_o,
  output logic                 ctx_toggle_o,
  output logic [1:0]           ctx_errcnt_o,
  output logic [23:0]          ctx_tdb_o,
  output logic [23:0]          ctx_off_o,
  output logic                 ctx_zlp_o,
  output logic                 ctx_cin_o,
  output logic                 ctx_clr_work_o,
  output logic                 ctx_set_work_o,
  output logic                 ctx_served_o,   // with ctx_store_o: a periodic service
  output logic                 ctx_skip_o,     // not due: skip it until the next frame
  input  wire  [63:0]          ready_async_i,
  input  wire  [63:0]          ready_periodic_i,

  // kite_hdma
  output logic                 dma_req_valid,
  input  wire                  dma_req_ready,
  output logic                 dma_req_write,
  output logic [63:0]          dma_req_addr,
  output logic [11:0]          dma_req_len,
  input  wire                  dma_done,
  input  wire                  dma_err,
  input  wire                  dma_rd_valid,
  input  wire  [7:0]           dma_rd_data,
  input  wire  [11:0]          dma_rd_idx,
  input  wire  [11:0]          dma_wr_idx,
  input  wire  [11:0]          dma_wr_idx_next,  // dma_wr_idx of the next cycle
  output logic [7:0]           dma_wr_data,

  // transactions (bus side of the clock-domain crossing)
  output logic                 treq_valid_o,
  input  wire                  treq_ready_i,
  output logic [31:0]          treq_data_o,   // {periodic, len[10:0], iso, data1, ls, port, ep, addr, token}
  output logic                 tout_valid_o,
  input  wire                  tout_ready_i,
  output logic [7:0]           tout_data_o,
  input  wire                  tin_valid_i,
  output logic                 tin_ready_o,
  input  wire  [16:0]          tin_data_i     // bit 16: result {len, data1, code}; else data byte
);

  localparam int I_NUM_PORTS = NUM_PORTS;  // as a signed int for loop bounds

  if (NUM_CTX < 1 || NUM_CTX > 64) begin : g_bad_n
    $error("kite_xfer: NUM_CTX must be 1..64");
  end
  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_xfer: NUM_PORTS must be 1..15");
  end
  if (PKT_BUF_BYTES < 1024 || PKT_BUF_BYTES > 4096 ||
      (PKT_BUF_BYTES & (PKT_BUF_BYTES - 1)) != 0) begin : g_bad_pb
    $error("kite_xfer: PKT_BUF_BYTES must be a power of 2, 1024..4096");
  end

  localparam int unsigned PBW = $clog2(PKT_BUF_BYTES);
  if (ADDR_WIDTH != 32 && ADDR_WIDTH != 64) begin : g_bad_aw
    $error("kite_xfer: ADDR_WIDTH must be 32 or 64");
  end

  // A pointer from memory (a TRB) keeps ADDR_WIDTH bits plus one that says whether any bit
  // above them was set: such an address stays out of range (the DMA port refuses it), and
  // every register that holds a pointer is ADDR_WIDTH + 1 bits wide after synthesis (the
  // registers' other sources, kite_regs and kite_ctx_ram, are narrow in the same way).
  function automatic logic [63:0] narrow(input logic [63:0] a);
    narrow = a;
    if (ADDR_WIDTH < 64) begin
      narrow = a & ((64'd1 << ADDR_WIDTH) - 64'd1);
      narrow[ADDR_WIDTH % 64] = |(a >> ADDR_WIDTH);
    end
  endfunction

  // ---------------------------------------------------------------- constants
  localparam logic [2:0] ST_DIS = 3'd0, ST_RUN = 3'd1, ST_HALT = 3'd2, ST_STOP = 3'd3;
  localparam logic [5:0] T_NORMAL = 6'(kite_regs_pkg::KITE_TRB_TYPE_NORMAL);
  localparam logic [5:0] T_SETUP = 6'(kite_regs_pkg::KITE_TRB_TYPE_SETUP);
  localparam logic [5:0] T_DATA = 6'(kite_regs_pkg::KITE_TRB_TYPE_DATA);
  localparam logic [5:0] T_STATUS = 6'(kite_regs_pkg::KITE_TRB_TYPE_STATUS);
  localparam logic [5:0] T_ISOCH = 6'(kite_regs_pkg::KITE_TRB_TYPE_ISOCH);
  localparam logic [5:0] T_LINK = 6'(kite_regs_pkg::KITE_TRB_TYPE_LINK);
  localparam logic [5:0] T_NOOP = 6'(kite_regs_pkg::KITE_TRB_TYPE_NOOP);
  localparam logic [7:0] C_SUCCESS = 8'(kite_regs_pkg::KITE_EVT_CODE_SUCCESS);
  localparam logic [7:0] C_SHORT = 8'(kite_regs_pkg::KITE_EVT_CODE_SHORT_PACKET);
  localparam logic [7:0] C_STALL = 8'(kite_regs_pkg::KITE_EVT_CODE_STALL);
  localparam logic [7:0] C_BABBLE = 8'(kite_regs_pkg::KITE_EVT_CODE_BABBLE);
  localparam logic [7:0] C_TXERR = 8'(kite_regs_pkg::KITE_EVT_CODE_TRANSACTION_ERROR);
  localparam logic [7:0] C_MISSED = 8'(kite_regs_pkg::KITE_EVT_CODE_MISSED_SERVICE);
  localparam logic [7:0] C_STOPPED = 8'(kite_regs_pkg::KITE_EVT_CODE_STOPPED);
  localparam logic [7:0] C_BUSERR = 8'(kite_regs_pkg::KITE_EVT_CODE_BUS_ERROR);
  localparam logic [7:0] C_TRBERR = 8'(kite_regs_pkg::KITE_EVT_CODE_TRB_ERROR);
  localparam logic [7:0] C_CSE = 8'(kite_regs_pkg::KITE_EVT_CODE_CONTEXT_STATE_ERROR);
  localparam logic [7:0] C_NOTCONN = 8'(kite_regs_pkg::KITE_EVT_CODE_NOT_CONNECTED);
  localparam logic [5:0] E_TRANSFER = 6'(kite_regs_pkg::KITE_EVT_TYPE_TRANSFER);
  localparam logic [5:0] E_COMMAND = 6'(kite_regs_pkg::KITE_EVT_TYPE_COMMAND);
  localparam logic [5:0] E_PORT = 6'(kite_regs_pkg::KITE_EVT_TYPE_PORT);
  localparam logic [3:0] OP_STOP = 4'(kite_regs_pkg::KITE_CMD_OP_STOP_EP);
  localparam logic [3:0] OP_SETDEQ = 4'(kite_regs_pkg::KITE_CMD_OP_SET_DEQ);
  localparam logic [3:0] OP_RESET = 4'(kite_regs_pkg::KITE_CMD_OP_RESET_EP);
  // USB engine result codes (docs/internal/usb-engine-interface.md)
  localparam logic [3:0] R_ACK = 4'd0, R_NAK = 4'd1, R_STALL = 4'd2, R_BABBLE = 4'd7,
                         R_TOGGLE = 4'd8, R_NOTSTARTED = 4'd9;
  localparam logic [1:0] TOK_SETUP = 2'd0, TOK_OUT = 2'd1, TOK_IN = 2'd2;

  typedef enum logic [5:0] {
    S_IDLE, S_DRAIN, S_DISCARD, S_INRA, S_LOAD, S_LOAD_WAIT, S_CMD, S_CMD_WR, S_CMD_DONE, S_CMD_FIN,
    S_TSTART, S_WFETCH, S_WFETCH_WAIT, S_WCHECK, S_DECIDE, S_BUILD, S_BUILD_RD, S_PUSH_OUT, S_PUSH_REQ,
    S_WAIT_RES, S_RESULT, S_COMMIT, S_COMMIT_WR, S_COMPLETE, S_ADVANCE, S_SKIP, S_PKT_DONE,
    S_TEND, S_HALT, S_HALT_WB, S_EVT, S_EVT_WAIT, S_HOSTERR
  } state_t;

  typedef enum logic [1:0] { M_START, M_BUILD, M_COMMIT, M_SKIP } mode_t;

  state_t st_q, st_d, ret_q, ret_d;
  mode_t  mode_q, mode_d;

  // context copy
  logic [5:0]  cur_q, cur_d;
  logic [63:4] c_deq_q, c_deq_d;
  logic        c_dcs_q, c_dcs_d;
  logic [2:0]  c_state_q, c_state_d;
  logic        c_tog_q, c_tog_d;
  logic [1:0]  c_err_q, c_err_d;
  logic [23:0] c_tdb_q, c_tdb_d;
  logic [23:0] c_off_q, c_off_d;
  logic        c_zlp_q, c_zlp_d;
  logic        c_cin_q, c_cin_d;
  // walker
  logic [63:4] w_deq_q, w_deq_d;
  logic        w_dcs_q, w_dcs_d;
  logic [23:0] w_off_q, w_off_d;
  logic [23:0] w_tdb_q, w_tdb_d;
  logic        w_zlp_q, w_zlp_d;
  logic        walked_q, walked_d;
  logic [11:0] rem_q, rem_d;
  logic [11:0] bufi_q, bufi_d;
  logic [11:0] take_q, take_d;
  logic [1:0]  links_q, links_d;
  logic [23:0] res_q, res_d;           // residual of the TRB being completed
  // TRB cache
  logic        t_valid_q, t_valid_d;
  logic [63:4] t_addr_q, t_addr_d;
  logic [127:0] t_q, t_d;
  // transaction
  logic [1:0]  tok_q, tok_d;
  logic        tdata1_q, tdata1_d;
  logic        tiso_q, tiso_d;
  logic        tsetup_q, tsetup_d;
  logic [11:0] plen_q, plen_d;         // OUT bytes / received IN bytes
  logic [11:0] push_q, push_d;
  logic        short_q, short_d;
  logic [3:0]  rcode_q, rcode_d;
  logic [23:0] cur_res_q, cur_res_d;   // residual of the TRB at the packet start
  logic        outstanding_q, outstanding_d;
  logic        drain_q, drain_d;
  logic [11:0] opush_q, opush_d;       // bytes of the packet being gathered already in the OUT FIFO
  logic [11:0] discard_q, discard_d;   // bytes of an abandoned packet to take back out
  // bulk OUT prefetch
  logic        pf_ok_q, pf_ok_d;       // the packet just built was full size: a next one may follow
  logic        pf_mode_q, pf_mode_d;   // gathering the next packet while waiting for a result
  logic        pf_done_q, pf_done_d;   // tried for this transaction already
  logic        pf_q, pf_d;             // a prefetched packet of pf_ctx_q is in the OUT FIFO
  logic [5:0]  pf_ctx_q, pf_ctx_d;
  logic [11:0] pf_len_q, pf_len_d;
  logic        pf_turn_q, pf_turn_d;   // this turn was given to pf_ctx_q to send it
  logic        dry_q, dry_d;           // this packet is the prefetched one: walk without DMA
  // bulk IN read-ahead
  logic        inra_q, inra_d;         // an IN request of inra_ctx_q is in the engine already
  logic [5:0]  inra_ctx_q, inra_ctx_d;
  logic        inra_turn_q, inra_turn_d;  // this turn takes that request's result
  logic        inra_ok;                // the ACKed IN packet allows a read-ahead
  logic        frame_wait_q, frame_wait_d;
  logic        tend_work_q, tend_work_d;
  logic [5:0]  last_q, last_d;         // last async context served
  // halt / event
  logic [7:0]  hcode_q, hcode_d;
  logic [63:0] hptr_q, hptr_d;
  logic [23:0] hres_q, hres_d;
  logic [127:0] ev_q, ev_d;            // event without the cycle bit
  logic        ev_irq_q, ev_irq_d;
  logic [11:0] enq_q, enq_d;
  logic        ecyc_q, ecyc_d;
  // commands
  logic        cmd_busy_q, cmd_busy_d;
  logic [3:0]  cmd_op_q, cmd_op_d;
  logic [63:0] cmd_arg_q, cmd_arg_d;
  logic [7:0]  cmd_code_q, cmd_code_d;
  logic        hcr_q, hcr_d;

  // packet buffer: block RAM, one write port and one registered read port; the read address
  // is where the OUT push or the memory write will be in the next cycle (pb_raddr)
  (* ram_style = "block" *) logic [7:0] pbuf [PKT_BUF_BYTES];
  logic        pb_we;
  logic [PBW-1:0] pb_waddr, pb_raddr;
  logic [7:0]  pb_wdata, pb_rdata_q;

  always_ff @(posedge clk) begin
    if (pb_we) pbuf[pb_waddr] <= pb_wdata;
    pb_rdata_q <= pbuf[pb_raddr];
  end

  // ---------------------------------------------------------------- TRB fields (cache)
  logic [63:0] t_ptr;
  logic [23:0] t_len;
  logic        t_c, t_tc, t_isp, t_ch, t_ioc, t_idt, t_zlpf, t_dirin;
  logic [5:0]  t_type;
  logic [23:0] avail;
  assign t_ptr  = narrow(t_q[63:0]);
  assign t_len  = t_q[64 +: 24];
  assign t_c    = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_C_LSB];
  assign t_tc   = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_TC_LSB];
  assign t_isp  = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_ISP_LSB];
  assign t_ch   = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_CH_LSB];
  assign t_ioc  = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_IOC_LSB];
  assign t_idt  = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_IDT_LSB];
  assign t_zlpf = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_ZLP_LSB];
  assign t_dirin = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_DIR_IN_LSB];
  assign t_type = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_TYPE_LSB +: 6];
  // ISOCH: the frame a TRB without ASAP is for, relative to now (11-bit wrap: bit 10 = past)
  logic        t_asap;
  logic [10:0] t_frame_diff;
  assign t_asap = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_ASAP_LSB];
  assign t_frame_diff = t_q[96 + kite_regs_pkg::KITE_TRB_DW3_FRAME_LSB +: 11] - frame_i;
  assign avail  = t_len - w_off_q;

  // context configuration (stable while the context is RUNNING)
  logic [6:0]  cf_addr;
  logic [3:0]  cf_ep, cf_port;
  logic        cf_dirin, cf_ls, cf_ctrl, cf_iso, cf_periodic;
  logic [10:0] cf_mps;
  assign cf_addr = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_DEV_ADDR_LSB +: 7];
  assign cf_ep = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_EP_NUM_LSB +: 4];
  assign cf_dirin = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_DIR_IN_LSB];
  assign cf_ctrl = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_TYPE_LSB +: 2] == 2'd0;
  assign cf_iso = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_TYPE_LSB +: 2] == 2'd1;
  assign cf_periodic = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_TYPE_LSB];
  assign cf_ls = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_LS_LSB];
  assign cf_port = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_PORT_LSB +: 4];
  assign cf_mps = ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_MPS_LSB +: 11] == 11'd0 ? 11'd1 :
                  ctx_cfg0_i[kite_regs_pkg::KITE_CTX_CFG0_MPS_LSB +: 11];

  logic [10:0] cf_mps_or_len;   // request length: MPS for IN, the packet for OUT/SETUP
  assign cf_mps_or_len = (tok_q == TOK_IN) ? cf_mps : 11'(plen_q);

  logic port_ok;
  logic [15:0] pen16;
  assign pen16 = 16'(port_enabled_i);
  assign port_ok = 32'(cf_port) < NUM_PORTS && pen16[cf_port];

  // ---------------------------------------------------------------- event ring
  logic [12:0] enq_next;
  logic [63:0] deq_off;
  logic        ring_full;
  assign enq_next = (13'(enq_q) + 13'd1 >= evt_size_i) ? 13'd0 : 13'(enq_q) + 13'd1;
  assign deq_off = (evt_deq_i - evt_base_i) >> 4;
  assign ring_full = deq_off[12:0] == enq_next;
  assign evt_unread_o = deq_off[12:0] != 13'(enq_q);
  // The event writer decides on a registered ring_full (a subtract, an add and two compares
  // are a long path into the FSM): S_EVT waits one cycle first, so the value it sees was taken
  // with the current enqueue index; software only moves the dequeue pointer forward, so one
  // cycle of lag there can only keep the ring full a cycle longer.
  logic ring_full_q, evt_seen_q;
  always_ff @(posedge clk) begin
    if (rst) begin
      ring_full_q <= 1'b0;
      evt_seen_q <= 1'b0;
    end else begin
      ring_full_q <= ring_full;
      evt_seen_q <= st_q == S_EVT;
    end
  end

  // ---------------------------------------------------------------- scheduler
  // the lowest due periodic context, else the first ready async context after the last one
  // served (round robin); bit searches rather than a loop over the contexts, which the
  // simulator would unroll into one test per context
  function automatic logic [5:0] lowest_set(input logic [63:0] v);  // v != 0
    logic [63:0] x;
    logic [5:0]  n;
    x = v;
    n = '0;
    if (x[31:0] == 32'd0) begin n[5] = 1'b1; x = x >> 32; end
    if (x[15:0] == 16'd0) begin n[4] = 1'b1; x = x >> 16; end
    if (x[7:0] == 8'd0) begin n[3] = 1'b1; x = x >> 8; end
    if (x[3:0] == 4'd0) begin n[2] = 1'b1; x = x >> 4; end
    if (x[1:0] == 2'd0) begin n[1] = 1'b1; x = x >> 2; end
    if (!x[0]) n[0] = 1'b1;
    return n;
  endfunction
  localparam logic [63:0] CTX_MASK = NUM_CTX >= 64 ? '1 : (64'd1 << NUM_CTX) - 64'd1;
  logic [63:0] rdy_p, rdy_a, rdy_a_after;
  assign rdy_p = ready_periodic_i & CTX_MASK;
  assign rdy_a = ready_async_i & CTX_MASK;
  assign rdy_a_after = rdy_a & ~((64'd2 << last_q) - 64'd1);
  logic        pick_valid;
  logic [5:0]  pick;
  logic        pick_periodic;
  always_comb begin
    pick_valid = rdy_p != '0 || rdy_a != '0;
    pick_periodic = rdy_p != '0;
    if (rdy_p != '0) pick = lowest_set(rdy_p);
    else if (rdy_a_after != '0) pick = lowest_set(rdy_a_after);
    else if (rdy_a != '0) pick = lowest_set(rdy_a);
    else pick = '0;
  end

  logic first_port_valid;
  logic [3:0] first_port;
  always_comb begin
    first_port_valid = 1'b0;
    first_port = '0;
    for (int i = I_NUM_PORTS - 1; i >= 0; i--) begin
      if (port_evt_pend_i[i]) begin
        first_port_valid = 1'b1;
        first_port = 4'(i);
      end
    end
  end

  // a full bulk IN packet in a TRB with room for the next one, the TRB still in the cache
  assign inra_ok = tok_q == TOK_IN && !tiso_q && !tsetup_q && !cf_ctrl && !cf_periodic &&
                   plen_q == 12'(cf_mps) && t_valid_q && t_addr_q == c_deq_q &&
                   t_c == c_dcs_q && t_type == T_NORMAL &&
                   t_len >= c_off_q + 24'(plen_q) + 24'(cf_mps) && run_i && !hcr_q;

  logic safe;   // no DMA request or OUT push in progress: HCRESET may abort here
  assign safe = !(st_q == S_WFETCH_WAIT || st_q == S_BUILD_RD || st_q == S_COMMIT_WR ||
                  st_q == S_EVT_WAIT || st_q == S_PUSH_OUT || st_q == S_PUSH_REQ ||
                  st_q == S_DISCARD || st_q == S_INRA);

  logic [11:0] take_now;
  always_comb begin
    take_now = rem_q;
    if (avail < 24'(rem_q)) take_now = 12'(avail);
  end

  // ---------------------------------------------------------------- main FSM
  always_comb begin
    st_d = st_q;
    ret_d = ret_q;
    mode_d = mode_q;
    cur_d = cur_q;
    c_deq_d = c_deq_q;
    c_dcs_d = c_dcs_q;
    c_state_d = c_state_q;
    c_tog_d = c_tog_q;
    c_err_d = c_err_q;
    c_tdb_d = c_tdb_q;
    c_off_d = c_off_q;
    c_zlp_d = c_zlp_q;
    c_cin_d = c_cin_q;
    w_deq_d = w_deq_q;
    w_dcs_d = w_dcs_q;
    w_off_d = w_off_q;
    w_tdb_d = w_tdb_q;
    w_zlp_d = w_zlp_q;
    walked_d = walked_q;
    rem_d = rem_q;
    bufi_d = bufi_q;
    take_d = take_q;
    links_d = links_q;
    res_d = res_q;
    t_valid_d = t_valid_q;
    t_addr_d = t_addr_q;
    t_d = t_q;
    tok_d = tok_q;
    tdata1_d = tdata1_q;
    tiso_d = tiso_q;
    tsetup_d = tsetup_q;
    plen_d = plen_q;
    push_d = push_q;
    short_d = short_q;
    rcode_d = rcode_q;
    cur_res_d = cur_res_q;
    outstanding_d = outstanding_q;
    drain_d = drain_q;
    opush_d = opush_q;
    discard_d = discard_q;
    pf_ok_d = pf_ok_q;
    pf_mode_d = pf_mode_q;
    pf_done_d = pf_done_q;
    pf_d = pf_q;
    pf_ctx_d = pf_ctx_q;
    pf_len_d = pf_len_q;
    pf_turn_d = pf_turn_q;
    dry_d = dry_q;
    inra_d = inra_q;
    inra_ctx_d = inra_ctx_q;
    inra_turn_d = inra_turn_q;
    frame_wait_d = frame_wait_q & ~sof_i;
    tend_work_d = tend_work_q;
    last_d = last_q;
    hcode_d = hcode_q;
    hptr_d = hptr_q;
    hres_d = hres_q;
    ev_d = ev_q;
    ev_irq_d = ev_irq_q;
    enq_d = enq_q;
    ecyc_d = ecyc_q;
    cmd_busy_d = cmd_busy_q | cmd_start_i;
    cmd_op_d = cmd_op_q;
    cmd_arg_d = cmd_arg_q;
    cmd_code_d = cmd_code_q;
    hcr_d = hcr_q | hcreset_i;

    if (cmd_start_i && !cmd_busy_q) begin
      cmd_op_d = cmd_op_i;
      cmd_arg_d = cmd_arg_i;
    end

    ctx_load_o = 1'b0;
    ctx_store_o = 1'b0;
    ctx_served_o = 1'b0;
    ctx_skip_o = 1'b0;
    ctx_clr_work_o = 1'b0;
    ctx_set_work_o = 1'b0;
    port_evt_ack_o = '0;
    dma_req_valid = 1'b0;
    dma_req_write = 1'b0;
    dma_req_addr = t_ptr + 64'(w_off_q);
    dma_req_len = take_now;
    dma_wr_data = pb_rdata_q;
    treq_valid_o = 1'b0;
    tout_valid_o = 1'b0;
    // gathered bytes as the DMA reads them; a SETUP packet from the TRB (immediate data)
    tout_data_o = (st_q == S_BUILD_RD) ? dma_rd_data : t_q[8*push_q[2:0] +: 8];
    tin_ready_o = 1'b0;
    evt_irq_o = 1'b0;
    host_error_o = 1'b0;
    evt_full_o = 1'b0;
    pb_we = 1'b0;
    pb_waddr = PBW'(bufi_q + dma_rd_idx);
    pb_wdata = dma_rd_data;

    unique case (st_q)
      // ------------------------------------------------------------ between turns
      S_IDLE: begin
        if (drain_q) begin
          st_d = S_DRAIN;
        end else if (inra_q) begin
          // the context whose IN request is already in the engine takes its result now
          cur_d = inra_ctx_q;
          inra_turn_d = 1'b1;
          ret_d = S_TSTART;
          st_d = S_LOAD;
        end else if (discard_q != 0) begin
          st_d = S_DISCARD;
        end else if (pf_q && (cmd_busy_q || !run_i)) begin
          // a command or a stop comes first: the prefetched packet goes
          discard_d = discard_q + pf_len_q;
          pf_d = 1'b0;
        end else if (cmd_busy_q) begin
          cur_d = cmd_ctx_i;
          ret_d = S_CMD;
          st_d = S_LOAD;
        end else if (run_i && first_port_valid) begin
          for (int i = 0; i < I_NUM_PORTS; i++) port_evt_ack_o[i] = first_port == 4'(i);
          ev_d = '0;
          ev_d[64 + 24 +: 8] = C_SUCCESS;
          ev_d[96 + 10 +: 6] = E_PORT;
          ev_d[96 + 24 +: 8] = 8'(first_port);
          ev_irq_d = 1'b1;
          ret_d = S_IDLE;
          st_d = S_EVT;
        end else if (run_i && !frame_wait_q && pf_q) begin
          // the context whose next packet waits in the OUT FIFO sends it now
          cur_d = pf_ctx_q;
          pf_turn_d = 1'b1;
          ret_d = S_TSTART;
          st_d = S_LOAD;
        end else if (run_i && !frame_wait_q && pick_valid) begin
          cur_d = pick;
          if (!pick_periodic) last_d = pick;
          ret_d = S_TSTART;
          st_d = S_LOAD;
        end
      end
      S_INRA: begin
        treq_valid_o = 1'b1;
        if (treq_ready_i) begin
          inra_d = 1'b1;
          inra_ctx_d = cur_q;
          outstanding_d = 1'b1;
          st_d = S_WFETCH;   // the commit of the packet just received
        end
      end
      S_DISCARD: begin
        treq_valid_o = 1'b1;
        if (treq_ready_i) begin
          discard_d = '0;
          drain_d = 1'b1;   // its NOT_STARTED result
          st_d = S_IDLE;
        end
      end
      S_DRAIN: begin
        tin_ready_o = 1'b1;
        if (tin_valid_i && tin_data_i[16]) begin
          drain_d = 1'b0;
          st_d = S_IDLE;
        end
      end

      // ------------------------------------------------------------ context copy in
      // (kite_ctx_ram reads it from block RAM in a few cycles)
      S_LOAD: begin
        if (ctx_ready_i) begin
          ctx_load_o = 1'b1;
          st_d = S_LOAD_WAIT;
        end
      end
      S_LOAD_WAIT: begin
        if (ctx_ready_i) st_d = ret_q;
      end

      // ------------------------------------------------------------ commands
      S_CMD: begin
        c_deq_d = ctx_deq_i;
        c_dcs_d = ctx_dcs_i;
        c_state_d = ctx_state_i;
        c_tog_d = ctx_toggle_i;
        c_err_d = ctx_errcnt_i;
        c_tdb_d = ctx_tdb_i;
        c_off_d = ctx_off_i;
        c_zlp_d = ctx_zlp_i;
        c_cin_d = ctx_cin_i;
        cmd_code_d = C_SUCCESS;
        st_d = S_CMD_WR;
        if (32'(cur_q) >= NUM_CTX) begin
          cmd_code_d = C_CSE;
          st_d = S_CMD_DONE;
        end else begin
          unique case (cmd_op_q)
            OP_STOP: begin
              if (ctx_state_i == ST_RUN) c_state_d = ST_STOP;
              else if (ctx_state_i == ST_DIS) cmd_code_d = C_CSE;
            end
            OP_SETDEQ: begin
              if (ctx_state_i == ST_RUN) begin
                cmd_code_d = C_CSE;
              end else begin
                c_deq_d = 60'(narrow(cmd_arg_q) >> 4);
                c_dcs_d = cmd_arg_q[0];
                c_off_d = '0;
                c_tdb_d = '0;
                c_zlp_d = 1'b0;
              end
            end
            OP_RESET: begin
              if (ctx_state_i == ST_HALT || ctx_state_i == ST_STOP) begin
                c_state_d = ST_STOP;
                c_tog_d = 1'b0;
                c_err_d = '0;
              end else begin
                cmd_code_d = C_CSE;
              end
            end
            default: cmd_code_d = C_CSE;
          endcase
        end
      end
      S_CMD_WR: begin
        st_d = S_CMD_DONE;
        if (!ctx_ready_i) begin
          st_d = S_CMD_WR;
        end else if (cmd_code_q == C_SUCCESS) begin
          ctx_store_o = 1'b1;
          if (cmd_op_q == OP_STOP && ctx_state_i == ST_RUN) begin
            // the TRB it stopped at
            ev_d = '0;
            ev_d[63:0] = {c_deq_q, 4'd0};
            ev_d[64 + 24 +: 8] = C_STOPPED;
            ev_d[96 + 10 +: 6] = E_TRANSFER;
            ev_d[96 + 16 +: 8] = 8'(cur_q);
            ev_irq_d = 1'b0;
            ret_d = S_CMD_DONE;
            st_d = S_EVT;
          end
        end
      end
      S_CMD_DONE: begin
        // BUSY clears before the COMMAND event can be seen in memory, so a driver that issues
        // the next command as soon as it sees the event never finds the engine still busy.
        cmd_busy_d = 1'b0;
        ev_d = '0;
        ev_d[64 + 24 +: 8] = cmd_code_q;
        ev_d[96 + 10 +: 6] = E_COMMAND;
        ev_d[96 + 16 +: 8] = 8'(cur_q);
        ev_d[96 + 24 +: 8] = 8'(cmd_op_q);
        ev_irq_d = 1'b1;
        ret_d = S_CMD_FIN;
        st_d = S_EVT;
      end
      S_CMD_FIN: begin
        st_d = S_IDLE;
      end

      // ------------------------------------------------------------ turn start
      S_TSTART: begin
        c_deq_d = ctx_deq_i;
        c_dcs_d = ctx_dcs_i;
        c_state_d = ctx_state_i;
        c_tog_d = ctx_toggle_i;
        c_err_d = ctx_errcnt_i;
        c_tdb_d = ctx_tdb_i;
        c_off_d = ctx_off_i;
        c_zlp_d = ctx_zlp_i;
        c_cin_d = ctx_cin_i;
        w_deq_d = ctx_deq_i;
        w_dcs_d = ctx_dcs_i;
        w_off_d = ctx_off_i;
        w_tdb_d = ctx_tdb_i;
        w_zlp_d = ctx_zlp_i;
        links_d = '0;
        mode_d = M_START;
        tend_work_d = 1'b1;
        ctx_clr_work_o = 1'b1;
        st_d = (ctx_state_i == ST_RUN) ? S_WFETCH : S_IDLE;
        // a periodic context served less than INTERVAL frames ago waits for a later frame
        if (cf_periodic && !ctx_due_i) begin
          ctx_clr_work_o = 1'b0;
          ctx_skip_o = 1'b1;
          st_d = S_IDLE;
        end
      end

      // ------------------------------------------------------------ TRB fetch (walker)
      S_WFETCH: begin
        if (t_valid_q && t_addr_q == w_deq_q && t_c == w_dcs_q) begin
          st_d = S_WCHECK;
        end else begin
          dma_req_valid = 1'b1;
          dma_req_addr = {w_deq_q, 4'd0};
          dma_req_len = 12'd16;
          t_valid_d = 1'b0;
          if (dma_req_ready) st_d = S_WFETCH_WAIT;
        end
      end
      S_WFETCH_WAIT: begin
        if (dma_rd_valid) t_d[8*dma_rd_idx[3:0] +: 8] = dma_rd_data;
        if (dma_done) begin
          if (dma_err) begin
            hcode_d = C_BUSERR;
            hptr_d = {w_deq_q, 4'd0};
            hres_d = '0;
            st_d = S_HALT;
          end else begin
            t_valid_d = 1'b1;
            t_addr_d = w_deq_q;
            st_d = S_WCHECK;
          end
        end
      end
      S_WCHECK: begin
        hptr_d = {w_deq_q, 4'd0};
        hres_d = t_len;
        if (t_c != w_dcs_q) begin
          // ring empty at this point; software will write this TRB: do not keep it
          t_valid_d = 1'b0;
          unique case (mode_q)
            M_START: begin
              c_deq_d = w_deq_q;
              c_dcs_d = w_dcs_q;
              tend_work_d = 1'b0;
              st_d = S_TEND;
            end
            M_BUILD: begin
              plen_d = bufi_q;
              push_d = bufi_q;   // already in the OUT FIFO
              st_d = S_PUSH_OUT;
            end
            M_COMMIT: begin
              if (rem_q != 0) begin
                hcode_d = C_TRBERR;
                st_d = S_HALT;
              end else begin
                st_d = S_PKT_DONE;
              end
            end
            default: st_d = S_PKT_DONE;
          endcase
        end else if (t_type == T_LINK) begin
          if (t_ptr[3:0] != 4'd0 || links_q == 2'd3) begin
            hcode_d = C_TRBERR;
            st_d = S_HALT;
          end else begin
            links_d = links_q + 2'd1;
            w_deq_d = t_ptr[63:4];
            w_dcs_d = w_dcs_q ^ t_tc;
            w_off_d = '0;
            st_d = S_WFETCH;
          end
        end else if (!(t_type == T_NORMAL || t_type == T_SETUP || t_type == T_DATA ||
                       t_type == T_STATUS || t_type == T_ISOCH || t_type == T_NOOP) ||
                     (t_type == T_SETUP && (!t_idt || t_len != 24'd8)) ||
                     (cf_ctrl && t_type == T_ISOCH) ||
                     (!cf_ctrl && (t_type == T_SETUP || t_type == T_DATA ||
                                   t_type == T_STATUS))) begin
          hcode_d = C_TRBERR;
          st_d = S_HALT;
        end else begin
          links_d = '0;
          unique case (mode_q)
            M_START: st_d = S_DECIDE;
            M_BUILD: st_d = S_BUILD;
            M_COMMIT: st_d = S_COMMIT;
            default: st_d = S_SKIP;
          endcase
        end
      end

      // ------------------------------------------------------------ what to send
      S_DECIDE: begin
        c_deq_d = w_deq_q;   // LINKs followed so far are consumed
        c_dcs_d = w_dcs_q;
        cur_res_d = avail;
        tiso_d = 1'b0;
        tsetup_d = 1'b0;
        walked_d = 1'b0;
        bufi_d = '0;
        if (t_type == T_NOOP) begin
          c_deq_d = w_deq_q + 60'd1;
          c_off_d = '0;
          c_tdb_d = '0;
          c_zlp_d = 1'b0;
          if (t_ioc) begin
            ev_d = '0;
            ev_d[63:0] = {w_deq_q, 4'd0};
            ev_d[64 + 24 +: 8] = C_SUCCESS;
            ev_d[96 + 10 +: 6] = E_TRANSFER;
            ev_d[96 + 16 +: 8] = 8'(cur_q);
            ev_irq_d = 1'b1;
            ret_d = S_TEND;
            st_d = S_EVT;
          end else begin
            st_d = S_TEND;
          end
        end else if (t_type == T_ISOCH && !t_asap && t_frame_diff != 11'd0 &&
                     !t_frame_diff[10]) begin
          // for a later frame: not this turn (the context keeps its work)
          st_d = S_TEND;
        end else if (t_type == T_ISOCH && !t_asap && t_frame_diff[10]) begin
          // its frame has passed: skip it with MISSED_SERVICE
          c_deq_d = w_deq_q + 60'd1;
          c_off_d = '0;
          c_tdb_d = '0;
          c_zlp_d = 1'b0;
          ev_d = '0;
          ev_d[63:0] = {w_deq_q, 4'd0};
          ev_d[64 +: 24] = t_len;
          ev_d[64 + 24 +: 8] = C_MISSED;
          ev_d[96 + 10 +: 6] = E_TRANSFER;
          ev_d[96 + 16 +: 8] = 8'(cur_q);
          ev_irq_d = 1'b1;
          ret_d = S_TEND;
          st_d = S_EVT;
        end else if (!port_ok) begin
          hcode_d = C_NOTCONN;
          hres_d = avail;
          st_d = S_HALT;
        end else begin
          tdata1_d = c_tog_q;
          if (cf_ctrl) begin
            unique case (t_type)
              T_SETUP: begin
                tok_d = TOK_SETUP;
                tdata1_d = 1'b0;
                tsetup_d = 1'b1;
              end
              T_STATUS: begin
                tok_d = t_dirin ? TOK_IN : TOK_OUT;
                tdata1_d = 1'b1;
              end
              T_DATA: begin
                tok_d = t_dirin ? TOK_IN : TOK_OUT;
                c_cin_d = t_dirin;
              end
              default: tok_d = c_cin_q ? TOK_IN : TOK_OUT;
            endcase
          end else begin
            tok_d = cf_dirin ? TOK_IN : TOK_OUT;
            tiso_d = cf_iso;
          end
          st_d = S_BUILD;
          mode_d = M_BUILD;
          rem_d = 12'(cf_mps);
          dry_d = pf_turn_q;   // the packet is already in the OUT FIFO
          pf_ok_d = 1'b0;
          if (t_type == T_SETUP) begin
            plen_d = 12'd8;
            push_d = '0;
            st_d = S_PUSH_OUT;
          end else if ((cf_ctrl && (t_type == T_DATA ? t_dirin :
                                    (t_type == T_STATUS ? t_dirin : c_cin_q))) ||
                       (!cf_ctrl && cf_dirin)) begin
            plen_d = '0;
            st_d = S_PUSH_REQ;
            if (inra_turn_q) begin
              // its request went to the engine during the last turn
              inra_d = 1'b0;
              inra_turn_d = 1'b0;
              st_d = S_WAIT_RES;
            end
          end else if (t_type == T_STATUS) begin
            plen_d = '0;
            st_d = S_PUSH_REQ;
          end
        end
      end

      // ------------------------------------------------------------ OUT packet gathering
      S_BUILD: begin
        if (cf_ctrl && walked_q && t_type == T_STATUS) begin
          plen_d = bufi_q;
          push_d = bufi_q;   // already in the OUT FIFO
          st_d = S_PUSH_OUT;
        end else if (avail == 0) begin
          if (!t_ch) begin
            plen_d = bufi_q;
            push_d = bufi_q;   // already in the OUT FIFO
            st_d = S_PUSH_OUT;
          end else begin
            w_deq_d = w_deq_q + 60'd1;
            w_off_d = '0;
            walked_d = 1'b1;
            st_d = S_WFETCH;
          end
        end else if (rem_q == 0) begin
          plen_d = bufi_q;
          push_d = bufi_q;   // already in the OUT FIFO
          pf_ok_d = 1'b1;    // the TD goes on: the next packet may be prefetched
          st_d = S_PUSH_OUT;
        end else if (dry_q) begin
          // the prefetched packet: its bytes are in the OUT FIFO, only the walk advances
          bufi_d = bufi_q + take_now;
          rem_d = rem_q - take_now;
          w_off_d = w_off_q + 24'(take_now);
        end else begin
          dma_req_valid = 1'b1;
          take_d = take_now;
          if (dma_req_ready) st_d = S_BUILD_RD;
        end
      end
      S_BUILD_RD: begin
        // straight into the OUT FIFO (empty: the previous packet's request has been answered,
        // and it holds PKT_BUF_BYTES, at least one packet)
        tout_valid_o = dma_rd_valid;
        if (dma_rd_valid) opush_d = opush_q + 12'd1;
        if (dma_done) begin
          if (dma_err) begin
            hcode_d = C_BUSERR;
            hptr_d = {w_deq_q, 4'd0};
            hres_d = cur_res_q;
            st_d = S_HALT;
          end else begin
            bufi_d = bufi_q + take_q;
            rem_d = rem_q - take_q;
            w_off_d = w_off_q + 24'(take_q);
            st_d = S_BUILD;
          end
        end
      end

      // ------------------------------------------------------------ transaction
      S_PUSH_OUT: begin
        if (dry_q && plen_q != pf_len_q) begin
          // the walk does not end where the prefetch did: take it back, start the turn over
          discard_d = discard_q + pf_len_q;
          pf_d = 1'b0;
          dry_d = 1'b0;
          st_d = S_TEND;
        end else if (push_q == plen_q) begin
          st_d = S_PUSH_REQ;
        end else begin
          tout_valid_o = 1'b1;
          if (tout_ready_i) push_d = push_q + 12'd1;
        end
      end
      S_PUSH_REQ: begin
        treq_valid_o = 1'b1;
        if (treq_ready_i) begin
          opush_d = '0;   // the request owns them now
          if (dry_q) begin
            pf_d = 1'b0;
            pf_turn_d = 1'b0;
            dry_d = 1'b0;
          end
          pf_done_d = 1'b0;
          outstanding_d = 1'b1;
          plen_d = (tok_q == TOK_IN) ? 12'd0 : plen_q;
          st_d = S_WAIT_RES;
        end
      end
      S_WAIT_RES: begin
        tin_ready_o = 1'b1;
        if (tok_q == TOK_OUT && !tsetup_q && !tiso_q && !cf_ctrl && !cf_periodic && pf_ok_q &&
            !pf_done_q && !pf_q && run_i && !hcr_q && !tin_valid_i &&
            32'(cf_mps) * 2 <= PKT_BUF_BYTES) begin
          // the packet is on the wire: gather the next one behind it (w_* is where it ended)
          tin_ready_o = 1'b0;
          pf_done_d = 1'b1;
          pf_mode_d = 1'b1;
          mode_d = M_BUILD;
          rem_d = 12'(cf_mps);
          bufi_d = '0;
          links_d = '0;
          st_d = S_BUILD;
        end
        pb_waddr = PBW'(plen_q);
        pb_wdata = tin_data_i[7:0];
        if (tin_valid_i) begin
          if (tin_data_i[16]) begin
            outstanding_d = 1'b0;
            rcode_d = tin_data_i[3:0];
            st_d = S_RESULT;
          end else if (tok_q == TOK_IN && 32'(plen_q) < PKT_BUF_BYTES) begin
            pb_we = 1'b1;
            plen_d = plen_q + 12'd1;
          end
        end
      end
      S_RESULT: begin
        // only an ACK lets the prefetched packet follow
        if (pf_q && rcode_q != R_ACK) begin
          discard_d = discard_q + pf_len_q;
          pf_d = 1'b0;
        end
        hptr_d = {c_deq_q, 4'd0};
        hres_d = cur_res_q;
        st_d = S_TEND;
        if (tiso_q && rcode_q != R_ACK && rcode_q != R_NOTSTARTED) begin
          // isochronous: no retry; the TRB is skipped with MISSED_SERVICE
          rem_d = '0;
          w_deq_d = c_deq_q;
          w_dcs_d = c_dcs_q;
          w_off_d = c_off_q;
          w_tdb_d = c_tdb_q;
          w_zlp_d = 1'b0;
          res_d = cur_res_q;
          ev_d = '0;
          ev_d[63:0] = {c_deq_q, 4'd0};
          ev_d[64 +: 24] = cur_res_q;
          ev_d[64 + 24 +: 8] = C_MISSED;
          ev_d[96 + 10 +: 6] = E_TRANSFER;
          ev_d[96 + 16 +: 8] = 8'(cur_q);
          ev_irq_d = 1'b1;
          mode_d = M_COMMIT;
          ret_d = S_ADVANCE;
          st_d = S_EVT;
        end else begin
          unique case (rcode_q)
            R_ACK: begin
              c_err_d = '0;
              if (!tiso_q) c_tog_d = tsetup_q ? 1'b1 : !c_tog_q;
              short_d = tok_q == TOK_IN && !tiso_q && plen_q < 12'(cf_mps);
              mode_d = M_COMMIT;
              w_deq_d = c_deq_q;
              w_dcs_d = c_dcs_q;
              w_off_d = c_off_q;
              w_tdb_d = c_tdb_q;
              w_zlp_d = c_zlp_q;
              rem_d = plen_q;
              bufi_d = '0;
              walked_d = 1'b0;
              links_d = '0;
              st_d = S_WFETCH;
              if (inra_ok) begin
                tdata1_d = !c_tog_q;   // the toggle after this packet
                st_d = S_INRA;
              end
            end
            R_NAK, R_TOGGLE: c_err_d = '0;
            R_STALL: begin
              hcode_d = C_STALL;
              st_d = S_HALT;
            end
            R_BABBLE: begin
              hcode_d = C_BABBLE;
              st_d = S_HALT;
            end
            R_NOTSTARTED: frame_wait_d = 1'b1;
            default: begin
              // timeout, CRC, bit stuffing, PID: three strikes
              c_err_d = c_err_q + 2'd1;
              if (c_err_q == 2'd2) begin
                hcode_d = C_TXERR;
                st_d = S_HALT;
              end
            end
          endcase
        end
      end

      // ------------------------------------------------------------ commit after ACK
      S_COMMIT: begin
        res_d = '0;
        if (cf_ctrl && walked_q && t_type == T_STATUS) begin
          if (rem_q != 0) begin
            hcode_d = C_BABBLE;
            hptr_d = {w_deq_q, 4'd0};
            hres_d = avail;
            st_d = S_HALT;
          end else begin
            st_d = S_PKT_DONE;
          end
        end else if (avail == 0) begin
          st_d = S_COMPLETE;
        end else if (rem_q == 0) begin
          if (tiso_q) begin
            res_d = avail;
            st_d = S_COMPLETE;
          end else if (short_q) begin
            ev_d = '0;
            ev_d[63:0] = {w_deq_q, 4'd0};
            ev_d[64 +: 24] = avail;
            ev_d[64 + 24 +: 8] = C_SHORT;
            ev_d[96 + 10 +: 6] = E_TRANSFER;
            ev_d[96 + 16 +: 8] = 8'(cur_q);
            ev_irq_d = t_isp | t_ioc;
            mode_d = M_SKIP;
            ret_d = S_SKIP;
            st_d = S_EVT;
          end else begin
            st_d = S_PKT_DONE;
          end
        end else begin
          take_d = take_now;
          if (tok_q == TOK_IN) begin
            dma_req_valid = 1'b1;
            dma_req_write = 1'b1;
            if (dma_req_ready) st_d = S_COMMIT_WR;
          end else begin
            w_off_d = w_off_q + 24'(take_now);
            rem_d = rem_q - take_now;
            bufi_d = bufi_q + take_now;
            w_tdb_d = w_tdb_q + 24'(take_now);
          end
        end
      end
      S_COMMIT_WR: begin
        if (dma_done) begin
          if (dma_err) begin
            hcode_d = C_BUSERR;
            hptr_d = {w_deq_q, 4'd0};
            hres_d = avail;
            st_d = S_HALT;
          end else begin
            w_off_d = w_off_q + 24'(take_q);
            rem_d = rem_q - take_q;
            bufi_d = bufi_q + take_q;
            w_tdb_d = w_tdb_q + 24'(take_q);
            st_d = S_COMMIT;
          end
        end
      end
      S_COMPLETE: begin
        st_d = S_ADVANCE;
        if (tok_q != TOK_IN && !t_ch && t_zlpf && !tiso_q && plen_q != 0 &&
            plen_q == 12'(cf_mps) && !w_zlp_q) begin
          // a zero-length packet still has to follow: stay on this TRB
          w_zlp_d = 1'b1;
          st_d = S_PKT_DONE;
        end else if (tok_q == TOK_IN && !t_ch && rem_q != 0) begin
          hcode_d = C_BABBLE;
          hptr_d = {w_deq_q, 4'd0};
          hres_d = '0;
          st_d = S_HALT;
        end else if (t_ioc) begin
          ev_d = '0;
          ev_d[63:0] = {w_deq_q, 4'd0};
          ev_d[64 +: 24] = res_q;
          ev_d[64 + 24 +: 8] = C_SUCCESS;
          ev_d[96 + 10 +: 6] = E_TRANSFER;
          ev_d[96 + 16 +: 8] = 8'(cur_q);
          ev_irq_d = 1'b1;
          ret_d = S_ADVANCE;
          st_d = S_EVT;
        end
      end
      S_ADVANCE: begin
        w_deq_d = w_deq_q + 60'd1;
        w_off_d = '0;
        w_zlp_d = 1'b0;
        walked_d = 1'b1;
        if (!t_ch) begin
          w_tdb_d = '0;
          st_d = S_PKT_DONE;
        end else begin
          st_d = S_WFETCH;
        end
      end
      S_SKIP: begin
        // after a short packet: drop the rest of the TD (a control TD keeps its STATUS)
        if (cf_ctrl && t_type == T_STATUS) begin
          st_d = S_PKT_DONE;
        end else begin
          w_deq_d = w_deq_q + 60'd1;
          w_off_d = '0;
          if (!t_ch) begin
            w_tdb_d = '0;
            st_d = S_PKT_DONE;
          end else begin
            st_d = S_WFETCH;
          end
        end
      end
      S_PKT_DONE: begin
        c_deq_d = w_deq_q;
        c_dcs_d = w_dcs_q;
        c_off_d = w_off_q;
        c_tdb_d = w_tdb_q;
        c_zlp_d = w_zlp_q;
        st_d = S_TEND;
      end

      // ------------------------------------------------------------ turn end
      S_TEND: begin
        if (ctx_ready_i) begin
          ctx_store_o = 1'b1;
          ctx_set_work_o = tend_work_q;
          ctx_served_o = cf_periodic;
          st_d = S_IDLE;
        end
      end
      S_HALT: begin
        // a packet gathered halfway, or prefetched, goes back out of the OUT FIFO
        discard_d = discard_q + opush_q + (pf_q ? pf_len_q : 12'd0);
        opush_d = '0;
        pf_d = 1'b0;
        c_state_d = ST_HALT;
        tend_work_d = 1'b0;
        ev_d = '0;
        ev_d[63:0] = hptr_q;
        ev_d[64 +: 24] = hres_q;
        ev_d[64 + 24 +: 8] = hcode_q;
        ev_d[96 + 10 +: 6] = E_TRANSFER;
        ev_d[96 + 16 +: 8] = 8'(cur_q);
        ev_irq_d = 1'b1;
        ret_d = S_TEND;
        st_d = S_HALT_WB;
      end
      S_HALT_WB: begin
        // HALTED is in the context before the event that reports it is in memory (a driver
        // that reads STATE on the event sees it); S_TEND writes the same values again
        if (ctx_ready_i) begin
          ctx_store_o = 1'b1;
          st_d = S_EVT;
        end
      end

      // ------------------------------------------------------------ event writer
      S_EVT: begin
        if (!evt_seen_q) begin
          // the first cycle here: ring_full_q is not yet about this event
        end else if (ring_full_q) begin
          evt_full_o = 1'b1;
        end else begin
          dma_req_valid = 1'b1;
          dma_req_write = 1'b1;
          dma_req_addr = evt_base_i + {48'd0, enq_q, 4'd0};
          dma_req_len = 12'd16;
          if (dma_req_ready) st_d = S_EVT_WAIT;
        end
      end
      S_EVT_WAIT: begin
        if (dma_done) begin
          if (dma_err) begin
            host_error_o = 1'b1;
            st_d = S_HOSTERR;
          end else begin
            evt_irq_o = ev_irq_q;
            enq_d = 12'(enq_next);
            if (enq_next == 13'd0) ecyc_d = !ecyc_q;
            st_d = ret_q;
          end
        end
      end
      S_HOSTERR: ;
      default: st_d = S_IDLE;
    endcase

    if (st_q == S_EVT_WAIT) begin
      dma_wr_data = (dma_wr_idx[3:0] == 4'd12) ? {ev_q[103:97], ecyc_q} :
                                                 ev_q[8*dma_wr_idx[3:0] +: 8];
    end

    if (evt_restart_i) begin
      enq_d = '0;
      ecyc_d = 1'b1;
    end
    // prefetch detour: it ends where a build would push its request (back to waiting for the
    // result, the packet stays in the FIFO) or halt (the error belongs to the next packet and
    // comes again when it is built for real: only the bytes go)
    if (pf_mode_q && (st_d == S_PUSH_OUT || st_d == S_HALT || st_d == S_TEND)) begin
      pf_mode_d = 1'b0;
      plen_d = plen_q;
      push_d = push_q;
      pf_ok_d = pf_ok_q;
      if (st_d == S_PUSH_OUT && opush_q != 0) begin
        pf_d = 1'b1;
        pf_ctx_d = cur_q;
        pf_len_d = opush_q;
      end else begin
        discard_d = discard_q + opush_q;
      end
      opush_d = '0;
      st_d = S_WAIT_RES;
    end
    // a turn given to take the read-ahead IN result that ends without it drops it
    if (inra_turn_q && st_q != S_IDLE && st_d == S_IDLE) begin
      inra_turn_d = 1'b0;
      if (inra_q) begin
        inra_d = 1'b0;
        drain_d = 1'b1;
      end
    end
    // a turn given to send the prefetched packet that ends without sending it takes it back
    if (pf_turn_q && st_q != S_IDLE && st_d == S_IDLE) begin
      pf_turn_d = 1'b0;
      dry_d = 1'b0;
      if (pf_q) begin
        discard_d = discard_q + pf_len_q;
        pf_d = 1'b0;
      end
    end
    // a command or a software context write may come with rewritten TRBs (after the FSM: wins)
    if (cmd_start_i || ctx_sw_write_i || st_q == S_CMD) t_valid_d = 1'b0;
    // nothing is written back into the contexts HCRESET is clearing
    if (hcr_q || hcreset_i) ctx_store_o = 1'b0;
    if (hcr_q && safe) begin
      hcr_d = 1'b0;
      st_d = S_IDLE;
      enq_d = '0;
      ecyc_d = 1'b1;
      cmd_busy_d = 1'b0;
      frame_wait_d = 1'b0;
      t_valid_d = 1'b0;
      drain_d = drain_q | outstanding_q;
      outstanding_d = 1'b0;
      discard_d = discard_q + opush_q + (pf_q ? pf_len_q : 12'd0);
      opush_d = '0;
      pf_d = 1'b0;
      pf_mode_d = 1'b0;
      pf_turn_d = 1'b0;
      dry_d = 1'b0;
      inra_d = 1'b0;
      inra_turn_d = 1'b0;
    end
  end

  // packet buffer (IN packets) read address: the byte the DMA port takes next (the data is
  // there one cycle later, when dma_wr_idx reaches it)
  assign pb_raddr = PBW'(bufi_d + dma_wr_idx_next);

  // ---------------------------------------------------------------- outputs
  assign ctx_idx_o = cur_q;
  assign ctx_deq_o = c_deq_q;
  assign ctx_dcs_o = c_dcs_q;
  assign ctx_state_o = c_state_q;
  assign ctx_toggle_o = c_tog_q;
  assign ctx_errcnt_o = c_err_q;
  assign ctx_tdb_o = c_tdb_q;
  assign ctx_off_o = c_off_q;
  assign ctx_zlp_o = c_zlp_q;
  assign ctx_cin_o = c_cin_q;
  assign cmd_busy_o = cmd_busy_q;
  assign halted_o = (!run_i && st_q == S_IDLE) || st_q == S_HOSTERR;
  assign busy_o = (st_q != S_IDLE && st_q != S_HOSTERR) || cmd_busy_q || drain_q;
  // quiet: between turns with nothing to start (no command, port event, prefetched packet,
  // read-ahead result or bytes to take back, and no context ready, or only until the next frame
  // start), or stopped by a host error: nothing changes until a register write or a frame start
  assign quiet_o = (st_q == S_IDLE || st_q == S_HOSTERR) && st_d == st_q && !cmd_busy_q &&
                   !cmd_start_i && !drain_q && !inra_q && discard_q == '0 && !pf_q && !hcr_q &&
                   !hcreset_i;
  // S_DISCARD: an OUT request on port 15, which no controller has (NUM_PORTS <= 15): the
  // engine drains its bytes without sending them
  assign treq_data_o = (st_q == S_DISCARD) ?
                       {1'b0, 11'(discard_q), 3'b000, 4'hf, 4'd0, 7'd0, TOK_OUT} :
                       {tiso_q ? 1'b1 : cf_periodic, cf_mps_or_len, tiso_q, tdata1_q, cf_ls,
                        cf_port, tsetup_q ? 4'd0 : cf_ep, cf_addr, tok_q};

`ifndef SYNTHESIS
  // gathered bytes go straight into the OUT FIFO, which always has room for a whole packet
  always_ff @(posedge clk) begin
    if (!rst && st_q == S_BUILD_RD && dma_rd_valid)
      assert (tout_ready_i) else $error("kite_xfer: OUT FIFO full while gathering");
  end
`endif

`ifdef KITE_XFER_DEBUG
  always_ff @(posedge clk) begin
    if (!rst && st_q != st_d)
      $display("xfer %0t: %s -> %s ctx %0d w_deq %h off %0d rem %0d plen %0d tog %0d t_type %0d rcode %0d",
               $time, st_q.name(), st_d.name(), cur_q, {w_deq_q, 4'd0}, w_off_q, rem_q, plen_q,
               c_tog_q, t_type, rcode_q);
  end
`endif

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= S_IDLE;
      ret_q <= S_IDLE;
      mode_q <= M_START;
      cur_q <= '0;
      c_deq_q <= '0;
      c_dcs_q <= 1'b0;
      c_state_q <= ST_DIS;
      c_tog_q <= 1'b0;
      c_err_q <= '0;
      c_tdb_q <= '0;
      c_off_q <= '0;
      c_zlp_q <= 1'b0;
      c_cin_q <= 1'b0;
      w_deq_q <= '0;
      w_dcs_q <= 1'b0;
      w_off_q <= '0;
      w_tdb_q <= '0;
      w_zlp_q <= 1'b0;
      walked_q <= 1'b0;
      rem_q <= '0;
      bufi_q <= '0;
      take_q <= '0;
      links_q <= '0;
      res_q <= '0;
      t_valid_q <= 1'b0;
      t_addr_q <= '0;
      t_q <= '0;
      tok_q <= '0;
      tdata1_q <= 1'b0;
      tiso_q <= 1'b0;
      tsetup_q <= 1'b0;
      plen_q <= '0;
      push_q <= '0;
      short_q <= 1'b0;
      rcode_q <= '0;
      cur_res_q <= '0;
      outstanding_q <= 1'b0;
      drain_q <= 1'b0;
      opush_q <= '0;
      discard_q <= '0;
      pf_ok_q <= 1'b0;
      pf_mode_q <= 1'b0;
      pf_done_q <= 1'b0;
      pf_q <= 1'b0;
      pf_ctx_q <= '0;
      pf_len_q <= '0;
      pf_turn_q <= 1'b0;
      dry_q <= 1'b0;
      inra_q <= 1'b0;
      inra_ctx_q <= '0;
      inra_turn_q <= 1'b0;
      frame_wait_q <= 1'b0;
      tend_work_q <= 1'b0;
      last_q <= '0;
      hcode_q <= '0;
      hptr_q <= '0;
      hres_q <= '0;
      ev_q <= '0;
      ev_irq_q <= 1'b0;
      enq_q <= '0;
      ecyc_q <= 1'b1;
      cmd_busy_q <= 1'b0;
      cmd_op_q <= '0;
      cmd_arg_q <= '0;
      cmd_code_q <= '0;
      hcr_q <= 1'b0;
    end else begin
      st_q <= st_d;
      ret_q <= ret_d;
      mode_q <= mode_d;
      cur_q <= cur_d;
      c_deq_q <= c_deq_d;
      c_dcs_q <= c_dcs_d;
      c_state_q <= c_state_d;
      c_tog_q <= c_tog_d;
      c_err_q <= c_err_d;
      c_tdb_q <= c_tdb_d;
      c_off_q <= c_off_d;
      c_zlp_q <= c_zlp_d;
      c_cin_q <= c_cin_d;
      w_deq_q <= w_deq_d;
      w_dcs_q <= w_dcs_d;
      w_off_q <= w_off_d;
      w_tdb_q <= w_tdb_d;
      w_zlp_q <= w_zlp_d;
      walked_q <= walked_d;
      rem_q <= rem_d;
      bufi_q <= bufi_d;
      take_q <= take_d;
      links_q <= links_d;
      res_q <= res_d;
      t_valid_q <= t_valid_d;
      t_addr_q <= t_addr_d;
      t_q <= t_d;
      tok_q <= tok_d;
      tdata1_q <= tdata1_d;
      tiso_q <= tiso_d;
      tsetup_q <= tsetup_d;
      plen_q <= plen_d;
      push_q <= push_d;
      short_q <= short_d;
      rcode_q <= rcode_d;
      cur_res_q <= cur_res_d;
      outstanding_q <= outstanding_d;
      drain_q <= drain_d;
      opush_q <= opush_d;
      discard_q <= discard_d;
      pf_ok_q <= pf_ok_d;
      pf_mode_q <= pf_mode_d;
      pf_done_q <= pf_done_d;
      pf_q <= pf_d;
      pf_ctx_q <= pf_ctx_d;
      pf_len_q <= pf_len_d;
      pf_turn_q <= pf_turn_d;
      dry_q <= dry_d;
      inra_q <= inra_d;
      inra_ctx_q <= inra_ctx_d;
      inra_turn_q <= inra_turn_d;
      frame_wait_q <= frame_wait_d;
      tend_work_q <= tend_work_d;
      last_q <= last_d;
      hcode_q <= hcode_d;
      hptr_q <= hptr_d;
      hres_q <= hres_d;
      ev_q <= ev_d;
      ev_irq_q <= ev_irq_d;
      enq_q <= enq_d;
      ecyc_q <= ecyc_d;
      cmd_busy_q <= cmd_busy_d;
      cmd_op_q <= cmd_op_d;
      cmd_arg_q <= cmd_arg_d;
      cmd_code_q <= cmd_code_d;
      hcr_q <= hcr_d;
    end
  end

  // data bytes use tin_data_i[7:0], results [15:0] minus the length (the byte count is kept);
  // the dequeue offset only matters modulo the ring size (at most 4096 entries)
  logic unused_ok;
  assign unused_ok = ^{tin_data_i[15:4], deq_off[63:13], dma_wr_idx[11:4]};

endmodule : kite_xfer

`default_nettype wire
