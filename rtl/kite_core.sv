// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_core: the bus-agnostic kite USB host controller: everything between the register port,
// the AXI4 DMA master, the interrupt line and the UTMI bundles.
//
//   clk domain:     kite_regs (register file), kite_ctx_ram (endpoint contexts, scheduling
//                   state), kite_xfer (host engine), kite_hdma (the DMA port, the only bus
//                   master), kite_dma_op (self-test, an operation through kite_hdma),
//                   kite_intr (moderation)
//   usb_clk domain: kite_usb_engine (frames, transactions, ports)
//   crossings:      transaction requests, OUT data, IN data + results: kite_cdc_fifo; levels:
//                   kite_cdc_sync; pulses (port requests, SOF): kite_cdc_pulse
//
// The two clocks are unrelated; both resets are synchronous to their own clock and must be
// asserted together at power-up (for a few cycles of the slower clock).
//
// quiet (clk domain, registered): nothing is in flight in either domain. Bus side (quiet_bus_q):
// the host engine between turns with nothing to start, the self-test, the DMA port, the context
// sequencer and the moderation timer idle, no register write, no frame start, no PORTSC.RESET
// waiting, every crossing FIFO empty as its writer sees it. USB side (quiet_usb_q):
// kite_usb_engine quiet and no request, OUT byte or IN entry in the crossing FIFOs. quiet is
// quiet_bus_q and quiet_usb_q after a synchroniser. While it holds, only free-running counters
// move (frame timer, moderation and port state timers) until a register access, the next frame
// start or a change on a port's line; the simulator's fast-forward (docs/rtl.md) relies on it,
// and a real design may use it as a status (for instance to lower the bus clock).

`default_nettype none

module kite_core #(
  parameter int unsigned ADDR_WIDTH = 64,       // AXI4 master address width: 32 or 64
  parameter int unsigned DATA_WIDTH = 64,       // AXI4 master data width: 32, 64 or 128
  parameter int unsigned ID_WIDTH = 4,          // AXI4 ID width, 1..16 (every access: ID 1)
  parameter int unsigned NUM_PORTS = 1,         // root ports, 1..15
  parameter int unsigned NUM_CTX = 16,          // endpoint contexts, 1..64
  parameter int unsigned MAX_BURST_BEATS = 16,  // longest DMA burst, power of 2, 1..256
  parameter int unsigned DMA_BUF_BYTES = 512,   // self-test chunk buffer, power of 2, 16..2048
  parameter int unsigned PKT_BUF_BYTES = 1024,  // packet buffer / OUT FIFO, power of 2, 1024..4096
  parameter int unsigned BUS_CLK_HZ = 100000000,  // clk frequency (interrupt moderation)
  parameter int unsigned USB_CLK_HZ = 48000000, // usb_clk frequency
  parameter bit ONCHIP_PHY = 1'b0,              // CAP_HOST.ONCHIP_PHY
  parameter bit SELF_TEST = 1'b1                // DMA self-test present (CAP.DMA_TEST)
) (
  input  wire                      clk,
  input  wire                      rst,
  input  wire                      usb_clk,
  input  wire                      usb_rst,

  // register port (see kite_regs)
  input  wire                      reg_wr_en,
  input  wire  [11:0]              reg_wr_addr,
  input  wire  [31:0]              reg_wr_data,
  input  wire  [3:0]               reg_wr_strb,
  input  wire                      reg_rd_en,    // sample reg_rd_addr
  input  wire                      reg_rd_hold,  // keep the last read data (bus not done)
  input  wire  [11:0]              reg_rd_addr,
  output logic [31:0]              reg_rd_data,  // the cycle after reg_rd_en

  // AXI4 master (burst INCR, cache/prot/lock fixed by the top)
  output logic [ID_WIDTH-1:0]      m_axi_awid,
  output logic [ADDR_WIDTH-1:0]    m_axi_awaddr,
  output logic [7:0]               m_axi_awlen,
  output logic [2:0]               m_axi_awsize,
  output logic                     m_axi_awvalid,
  input  wire                      m_axi_awready,
  output logic [DATA_WIDTH-1:0]    m_axi_wdata,
  output logic [DATA_WIDTH/8-1:0]  m_axi_wstrb,
  output logic                     m_axi_wlast,
  output logic                     m_axi_wvalid,
  input  wire                      m_axi_wready,
  input  wire  [1:0]               m_axi_bresp,
  input  wire                      m_axi_bvalid,
  output logic                     m_axi_bready,
  output logic [ID_WIDTH-1:0]      m_axi_arid,
  output logic [ADDR_WIDTH-1:0]    m_axi_araddr,
  output logic [7:0]               m_axi_arlen,
  output logic [2:0]               m_axi_arsize,
  output logic                     m_axi_arvalid,
  input  wire                      m_axi_arready,
  input  wire  [DATA_WIDTH-1:0]    m_axi_rdata,
  input  wire  [1:0]               m_axi_rresp,
  input  wire                      m_axi_rlast,
  input  wire                      m_axi_rvalid,
  output logic                     m_axi_rready,

  output logic                     irq,
  output logic                     busy,     // DMA self-test or host engine has work / RUN = 1
  output logic                     quiet,    // nothing in flight in either clock domain

  // root ports (usb_clk domain)
  input  wire  [NUM_PORTS-1:0]     port_oc_in,
  output logic [NUM_PORTS-1:0]     port_vbus_en,
  output logic [NUM_PORTS*8-1:0]   utmi_data_out,
  output logic [NUM_PORTS-1:0]     utmi_txvalid,
  input  wire  [NUM_PORTS-1:0]     utmi_txready,
  input  wire  [NUM_PORTS*8-1:0]   utmi_data_in,
  input  wire  [NUM_PORTS-1:0]     utmi_rxvalid,
  input  wire  [NUM_PORTS-1:0]     utmi_rxactive,
  input  wire  [NUM_PORTS-1:0]     utmi_rxerror,
  input  wire  [NUM_PORTS*2-1:0]   utmi_linestate,
  output logic [NUM_PORTS*2-1:0]   utmi_xcvrselect,
  output logic [NUM_PORTS-1:0]     utmi_termselect,
  output logic [NUM_PORTS*2-1:0]   utmi_opmode,
  output logic [NUM_PORTS*2-1:0]   utmi_line_ctrl
);

  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_core: NUM_PORTS must be 1..15");
  end
  if (NUM_CTX < 1 || NUM_CTX > 64) begin : g_bad_nc
    $error("kite_core: NUM_CTX must be 1..64");
  end
  if (ID_WIDTH < 1 || ID_WIDTH > 16) begin : g_bad_id
    $error("kite_core: ID_WIDTH must be 1..16");
  end

  localparam int unsigned N = NUM_PORTS;

  // ---------------------------------------------------------------- register file
  logic        dt_start, dt_busy, dt_done, dt_error, dt_done_evt, dt_error_evt;
  logic [1:0]  dt_op;
  logic [63:0] dt_src, dt_dst;
  logic [31:0] dt_len, dt_crc, dt_done_bytes, dt_cycles;
  logic [7:0]  dt_seed, dt_step;
  logic [3:0]  dt_err_code;

  logic        run, hcreset, evt_restart, db_valid, cmd_start, cmd_busy;
  logic [13:0] fi;
  logic [63:0] evt_base, evt_deq, cmd_arg;
  logic [12:0] evt_size;
  logic [15:0] imod;
  logic [5:0]  db_ctx, cmd_ctx;
  logic [3:0]  cmd_op;
  logic        halted, evt_full, host_error_evt, event_irq, evt_irq_req;
  logic        evt_deq_wr, evt_unread;
  logic        sof_bus;
  logic [10:0] frame_bus;
  logic [N-1:0] p_power, p_reset, p_disable, p_suspend, p_resume;
  logic [N-1:0] p_conn, p_en, p_ls, p_rsting, p_susp, p_resm, p_oc;
  logic [N-1:0] p_evt_pend, p_evt_ack;
  logic        ctx_wr_en;
  logic [31:0] ctx_wr_mask, ctx_rd_data;
  logic        xfer_busy, xfer_quiet, intr_pending, rst_wait;

  kite_regs #(
    .CAP_ADDR_WIDTH     (ADDR_WIDTH),
    .CAP_DATA_BYTES_LOG2($clog2(DATA_WIDTH / 8)),
    .NUM_PORTS          (NUM_PORTS),
    .CAP_DMA_TEST       (SELF_TEST),
    .CAP_MAX_BURST_LOG2 ($clog2(MAX_BURST_BEATS)),
    .NUM_CTX            (NUM_CTX),
    .PKT_BUF_LOG2       ($clog2(PKT_BUF_BYTES)),
    .CAP_ISO            (1'b1),
    .CAP_LOW_SPEED      (1'b1),
    .CAP_ONCHIP_PHY     (ONCHIP_PHY)
  ) u_regs (
    .clk(clk), .rst(rst),
    .wr_en(reg_wr_en), .wr_addr(reg_wr_addr), .wr_data(reg_wr_data), .wr_strb(reg_wr_strb),
    .rd_en(reg_rd_en), .rd_addr(reg_rd_addr), .rd_data(reg_rd_data),
    .dmatest_start_o(dt_start), .dmatest_op_o(dt_op), .dmatest_src_o(dt_src),
    .dmatest_dst_o(dt_dst), .dmatest_len_o(dt_len), .dmatest_seed_o(dt_seed),
    .dmatest_step_o(dt_step), .dmatest_busy_i(dt_busy), .dmatest_done_i(dt_done),
    .dmatest_error_i(dt_error), .dmatest_err_code_i(dt_err_code), .dmatest_crc_i(dt_crc),
    .dmatest_done_bytes_i(dt_done_bytes), .dmatest_cycles_i(dt_cycles),
    .dmatest_done_evt_i(dt_done_evt), .dmatest_error_evt_i(dt_error_evt),
    .run_o(run), .hcreset_o(hcreset), .fi_o(fi), .evt_base_o(evt_base), .evt_size_o(evt_size),
    .evt_restart_o(evt_restart), .evt_deq_o(evt_deq), .evt_deq_wr_o(evt_deq_wr),
    .imod_o(imod), .db_valid_o(db_valid),
    .db_ctx_o(db_ctx), .cmd_start_o(cmd_start), .cmd_op_o(cmd_op), .cmd_ctx_o(cmd_ctx),
    .cmd_arg_o(cmd_arg),
    .halted_i(halted), .evt_full_i(evt_full), .cmd_busy_i(cmd_busy),
    .host_error_evt_i(host_error_evt), .event_irq_i(event_irq), .sof_i(sof_bus),
    .frame_i(frame_bus),
    .port_power_o(p_power), .port_reset_o(p_reset), .port_disable_o(p_disable),
    .port_suspend_o(p_suspend), .port_resume_o(p_resume),
    .port_connected_i(p_conn), .port_enabled_i(p_en), .port_ls_i(p_ls),
    .port_resetting_i(p_rsting), .port_suspended_i(p_susp), .port_resuming_i(p_resm),
    .port_overcurrent_i(p_oc), .port_evt_pend_o(p_evt_pend), .port_evt_ack_i(p_evt_ack),
    .port_rst_wait_o(rst_wait),
    .ctx_wr_en_o(ctx_wr_en), .ctx_wr_mask_o(ctx_wr_mask), .ctx_rd_data_i(ctx_rd_data),
    .irq_o(irq)
  );

  // ---------------------------------------------------------------- contexts
  logic [5:0]  e_idx;
  logic [31:0] e_cfg0;
  logic [7:0]  e_interval;
  logic [63:4] e_deq, e_deq_w;
  logic        e_dcs, e_dcs_w, e_toggle, e_toggle_w, e_zlp, e_zlp_w, e_cin, e_cin_w;
  logic [2:0]  e_state, e_state_w;
  logic [1:0]  e_errcnt, e_errcnt_w;
  logic [23:0] e_tdb, e_tdb_w, e_off, e_off_w;
  logic        e_load, e_store, e_ready, e_due, e_served, e_clr_work, e_set_work, e_skip;
  logic [63:0] ready_async, ready_periodic;

  kite_ctx_ram #(.NUM_CTX(NUM_CTX), .ADDR_WIDTH(ADDR_WIDTH)) u_ctx (
    .clk(clk), .rst(rst), .clear_i(hcreset),
    .reg_rd_en(reg_rd_en && reg_rd_addr[11]), .reg_rd_hold(reg_rd_hold),
    .reg_rd_idx(reg_rd_addr[10:5]), .reg_rd_word(reg_rd_addr[4:2]), .reg_rd_data(ctx_rd_data),
    .reg_wr_en(ctx_wr_en), .reg_wr_idx(reg_wr_addr[10:5]), .reg_wr_word(reg_wr_addr[4:2]),
    .reg_wr_data(reg_wr_data), .reg_wr_mask(ctx_wr_mask),
    .db_valid(db_valid), .db_ctx(db_ctx), .sof_i(sof_bus), .frame_i(frame_bus),
    .e_idx(e_idx), .e_load(e_load), .e_store(e_store), .e_ready(e_ready),
    .e_cfg0(e_cfg0), .e_interval(e_interval), .e_deq(e_deq), .e_dcs(e_dcs),
    .e_state(e_state), .e_toggle(e_toggle), .e_errcnt(e_errcnt), .e_tdb(e_tdb), .e_off(e_off),
    .e_zlp(e_zlp), .e_cin(e_cin), .e_due(e_due),
    .e_deq_i(e_deq_w), .e_dcs_i(e_dcs_w), .e_state_i(e_state_w),
    .e_toggle_i(e_toggle_w), .e_errcnt_i(e_errcnt_w), .e_tdb_i(e_tdb_w), .e_off_i(e_off_w),
    .e_zlp_i(e_zlp_w), .e_cin_i(e_cin_w), .e_served_i(e_served),
    .e_clr_work(e_clr_work), .e_set_work(e_set_work), .e_skip(e_skip),
    .ready_async(ready_async), .ready_periodic(ready_periodic)
  );

  // ---------------------------------------------------------------- host engine
  // DMA requests: hx_ host engine, st_ self-test, hd_ kite_hdma (see "DMA" below)
  logic        hx_req_valid, hx_req_ready, hx_req_write, hx_done, hx_rd_valid;
  logic [63:0] hx_req_addr;
  logic [11:0] hx_req_len;
  logic [7:0]  hx_wr_data;
  logic        st_req_valid, st_req_ready, st_req_write, st_done, st_rd_valid;
  logic [63:0] st_req_addr;
  logic [11:0] st_req_len;
  logic [7:0]  st_wr_data;
  logic        hd_req_valid, hd_req_ready, hd_req_write, hd_done, hd_err, hd_err_dec;
  logic        hd_rd_valid;
  logic [63:0] hd_req_addr;
  logic [11:0] hd_req_len, hd_rd_idx, hd_wr_idx, hd_wr_idx_next;
  logic [7:0]  hd_rd_data, hd_wr_data;
  logic        treq_valid, treq_full, tout_valid, tout_full, tin_empty, tin_ready;
  logic [31:0] treq_data;
  logic [7:0]  tout_data;
  logic [16:0] tin_data;

  kite_xfer #(.NUM_CTX(NUM_CTX), .NUM_PORTS(NUM_PORTS), .PKT_BUF_BYTES(PKT_BUF_BYTES),
              .ADDR_WIDTH(ADDR_WIDTH)) u_xfer (
    .clk(clk), .rst(rst),
    .run_i(run), .hcreset_i(hcreset), .evt_base_i(evt_base), .evt_size_i(evt_size),
    .evt_restart_i(evt_restart), .evt_deq_i(evt_deq), .evt_full_o(evt_full),
    .evt_unread_o(evt_unread),
    .evt_irq_o(evt_irq_req), .host_error_o(host_error_evt), .halted_o(halted),
    .busy_o(xfer_busy), .quiet_o(xfer_quiet),
    .cmd_start_i(cmd_start), .cmd_op_i(cmd_op), .cmd_ctx_i(cmd_ctx), .cmd_arg_i(cmd_arg),
    .cmd_busy_o(cmd_busy),
    .port_enabled_i(p_en), .port_evt_pend_i(p_evt_pend), .port_evt_ack_o(p_evt_ack),
    .sof_i(sof_bus), .frame_i(frame_bus),
    .ctx_idx_o(e_idx), .ctx_cfg0_i(e_cfg0), .ctx_deq_i(e_deq), .ctx_dcs_i(e_dcs),
    .ctx_state_i(e_state), .ctx_toggle_i(e_toggle), .ctx_errcnt_i(e_errcnt),
    .ctx_tdb_i(e_tdb), .ctx_off_i(e_off), .ctx_zlp_i(e_zlp), .ctx_cin_i(e_cin), .ctx_due_i(e_due), .ctx_sw_write_i(ctx_wr_en),
    .ctx_ready_i(e_ready), .ctx_load_o(e_load), .ctx_store_o(e_store), .ctx_served_o(e_served), .ctx_deq_o(e_deq_w), .ctx_dcs_o(e_dcs_w), .ctx_state_o(e_state_w),
    .ctx_toggle_o(e_toggle_w), .ctx_errcnt_o(e_errcnt_w), .ctx_tdb_o(e_tdb_w),
    .ctx_off_o(e_off_w), .ctx_zlp_o(e_zlp_w), .ctx_cin_o(e_cin_w),
    .ctx_clr_work_o(e_clr_work), .ctx_set_work_o(e_set_work), .ctx_skip_o(e_skip),
    .ready_async_i(ready_async), .ready_periodic_i(ready_periodic),
    .dma_req_valid(hx_req_valid), .dma_req_ready(hx_req_ready), .dma_req_write(hx_req_write),
    .dma_req_addr(hx_req_addr), .dma_req_len(hx_req_len), .dma_done(hx_done),
    .dma_err(hd_err), .dma_rd_valid(hx_rd_valid), .dma_rd_data(hd_rd_data),
    .dma_rd_idx(hd_rd_idx), .dma_wr_idx(hd_wr_idx), .dma_wr_idx_next(hd_wr_idx_next),
    .dma_wr_data(hx_wr_data),
    .treq_valid_o(treq_valid), .treq_ready_i(!treq_full), .treq_data_o(treq_data),
    .tout_valid_o(tout_valid), .tout_ready_i(!tout_full), .tout_data_o(tout_data),
    .tin_valid_i(!tin_empty), .tin_ready_o(tin_ready), .tin_data_i(tin_data)
  );

  // An EVT_DEQ write that leaves events unread asks for the interrupt again: an event the
  // handler missed (written after its last look at the ring but before its INT_STATUS
  // acknowledgement reached the controller) is never stranded, and the handler needs no
  // register read to close that race.
  kite_intr #(.BUS_CLK_HZ(BUS_CLK_HZ)) u_intr (
    .clk(clk), .rst(rst), .clear_i(hcreset), .req_i(evt_irq_req | (evt_deq_wr & evt_unread)),
    .interval_i(imod),
    .set_o(event_irq), .pending_o(intr_pending)
  );

  // ---------------------------------------------------------------- DMA: one port, two users
  // kite_hdma is the only bus master. The host engine (hx_*) and the self-test (st_*) share it
  // per request: a request is granted when kite_hdma is idle, round-robin when both wait, and
  // its results go back to the requester it was granted to (own_q) until its done. A self-test
  // request is one chunk, so a host request waits for at most one chunk.
  logic        own_q, own_d;  // the request in flight (or the last one) is the self-test's
  logic        pick;          // the self-test gets the port if kite_hdma accepts now

  assign pick = st_req_valid && (!hx_req_valid || !own_q);
  assign hd_req_valid = hx_req_valid || st_req_valid;
  assign hd_req_write = pick ? st_req_write : hx_req_write;
  assign hd_req_addr = pick ? st_req_addr : hx_req_addr;
  assign hd_req_len = pick ? st_req_len : hx_req_len;
  // the readies do not look at their own requester's valid (no combinational loop through a
  // requester that computes valid and reads ready in one block)
  assign hx_req_ready = hd_req_ready && !(st_req_valid && !own_q);
  assign st_req_ready = hd_req_ready && (!own_q || !hx_req_valid);
  assign own_d = (hd_req_valid && hd_req_ready) ? pick : own_q;
  assign hx_done = hd_done && !own_q;
  assign st_done = hd_done && own_q;
  assign hx_rd_valid = hd_rd_valid && !own_q;
  assign st_rd_valid = hd_rd_valid && own_q;
  assign hd_wr_data = own_q ? st_wr_data : hx_wr_data;

  always_ff @(posedge clk) begin
    if (rst) begin
      own_q <= 1'b0;
    end else begin
      own_q <= own_d;
    end
  end

  kite_hdma #(
    .ADDR_WIDTH(ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .MAX_BURST_BEATS(MAX_BURST_BEATS)
  ) u_hdma (
    .clk(clk), .rst(rst),
    .req_valid(hd_req_valid), .req_ready(hd_req_ready), .req_write(hd_req_write),
    .req_addr(hd_req_addr), .req_len(hd_req_len), .done(hd_done), .err(hd_err),
    .err_dec(hd_err_dec),
    .rd_valid(hd_rd_valid), .rd_data(hd_rd_data), .rd_idx(hd_rd_idx), .wr_idx(hd_wr_idx),
    .wr_idx_next(hd_wr_idx_next), .wr_data(hd_wr_data),
    .m_awaddr(m_axi_awaddr), .m_awlen(m_axi_awlen), .m_awsize(m_axi_awsize),
    .m_awvalid(m_axi_awvalid), .m_awready(m_axi_awready),
    .m_wdata(m_axi_wdata), .m_wstrb(m_axi_wstrb), .m_wlast(m_axi_wlast),
    .m_wvalid(m_axi_wvalid), .m_wready(m_axi_wready),
    .m_bresp(m_axi_bresp), .m_bvalid(m_axi_bvalid), .m_bready(m_axi_bready),
    .m_araddr(m_axi_araddr), .m_arlen(m_axi_arlen), .m_arsize(m_axi_arsize),
    .m_arvalid(m_axi_arvalid), .m_arready(m_axi_arready),
    .m_rdata(m_axi_rdata), .m_rresp(m_axi_rresp), .m_rlast(m_axi_rlast),
    .m_rvalid(m_axi_rvalid), .m_rready(m_axi_rready)
  );
  // one master with one burst in flight: every access carries the host engine's ID
  assign m_axi_awid = ID_WIDTH'(1);
  assign m_axi_arid = ID_WIDTH'(1);

  if (SELF_TEST) begin : g_self_test
    kite_dma_op #(.ADDR_WIDTH(ADDR_WIDTH), .BUF_BYTES(DMA_BUF_BYTES)) u_dma_op (
      .clk(clk), .rst(rst),
      .start_i(dt_start), .op_i(dt_op), .src_i(dt_src), .dst_i(dt_dst), .len_i(dt_len),
      .seed_i(dt_seed), .step_i(dt_step), .busy_o(dt_busy), .done_o(dt_done),
      .error_o(dt_error), .err_code_o(dt_err_code), .crc_o(dt_crc),
      .done_bytes_o(dt_done_bytes), .cycles_o(dt_cycles), .done_evt_o(dt_done_evt),
      .error_evt_o(dt_error_evt),
      .dma_req_valid(st_req_valid), .dma_req_ready(st_req_ready),
      .dma_req_write(st_req_write), .dma_req_addr(st_req_addr), .dma_req_len(st_req_len),
      .dma_done(st_done), .dma_err(hd_err), .dma_err_dec(hd_err_dec),
      .dma_rd_valid(st_rd_valid), .dma_rd_data(hd_rd_data), .dma_rd_idx(hd_rd_idx),
      .dma_wr_idx(hd_wr_idx), .dma_wr_idx_next(hd_wr_idx_next), .dma_wr_data(st_wr_data)
    );
  end else begin : g_no_self_test
    // the self-test registers read as idle; START does nothing (CAP.DMA_TEST = 0)
    assign dt_busy = 1'b0;
    assign dt_done = 1'b0;
    assign dt_error = 1'b0;
    assign dt_err_code = '0;
    assign dt_crc = '0;
    assign dt_done_bytes = '0;
    assign dt_cycles = '0;
    assign dt_done_evt = 1'b0;
    assign dt_error_evt = 1'b0;
    assign st_req_valid = 1'b0;
    assign st_req_write = 1'b0;
    assign st_req_addr = '0;
    assign st_req_len = '0;
    assign st_wr_data = '0;
    logic unused_st;
    assign unused_st = ^{dt_start, dt_op, dt_src, dt_dst, dt_len, dt_seed, dt_step,
                         st_req_ready, st_done, st_rd_valid, hd_err_dec};
  end

  assign busy = dt_busy | xfer_busy | run;

  // ---------------------------------------------------------------- clock-domain crossing
  // bus -> usb: requests and OUT data
  logic        u_req_empty, u_req_pop, u_out_empty, u_out_pop;
  logic [31:0] u_req;
  logic [7:0]  u_out;
  logic [$clog2(PKT_BUF_BYTES):0] u_out_count;
  logic [$clog2(PKT_BUF_BYTES):0] out_wcount;
  logic [2:0]  req_wcount, unused_req_rcount;

  kite_cdc_fifo #(.WIDTH(32), .DEPTH(4)) u_fifo_req (
    .wr_clk(clk), .wr_rst(rst), .wr_en(treq_valid), .wr_data(treq_data), .wr_full(treq_full),
    .wr_count(req_wcount),
    .rd_clk(usb_clk), .rd_rst(usb_rst), .rd_en(u_req_pop), .rd_data(u_req),
    .rd_empty(u_req_empty), .rd_count(unused_req_rcount)
  );
  kite_cdc_fifo #(.WIDTH(8), .DEPTH(PKT_BUF_BYTES)) u_fifo_out (
    .wr_clk(clk), .wr_rst(rst), .wr_en(tout_valid), .wr_data(tout_data), .wr_full(tout_full),
    .wr_count(out_wcount),
    .rd_clk(usb_clk), .rd_rst(usb_rst), .rd_en(u_out_pop), .rd_data(u_out),
    .rd_empty(u_out_empty), .rd_count(u_out_count)
  );

  // usb -> bus: IN data bytes and results, in order. The engine cannot stall an IN packet
  // coming off the wire, so a request is only released when the FIFO has room for all the
  // bytes it may deliver (its length: kite_pkt_rx stops at it) plus its result, however slowly
  // the bus side pops. 2^11 entries hold any request (11-bit length) and its result.
  localparam int unsigned IN_DEPTH = 2048;
  localparam int unsigned INW = $clog2(IN_DEPTH) + 1;
  logic           u_in_full, u_in_push;
  logic [16:0]    u_in_data;
  logic [INW-1:0] u_in_count, unused_in_rcount;

  kite_cdc_fifo #(.WIDTH(17), .DEPTH(IN_DEPTH)) u_fifo_in (
    .wr_clk(usb_clk), .wr_rst(usb_rst), .wr_en(u_in_push), .wr_data(u_in_data),
    .wr_full(u_in_full), .wr_count(u_in_count),
    .rd_clk(clk), .rd_rst(rst), .rd_en(tin_ready), .rd_data(tin_data), .rd_empty(tin_empty),
    .rd_count(unused_in_rcount)
  );

  // levels bus -> usb
  logic        u_run;
  logic [13:0] u_fi;
  logic [N-1:0] u_power;
  kite_cdc_sync #(.WIDTH(1)) u_sync_run (.dst_clk(usb_clk), .dst_rst(usb_rst), .d(run), .q(u_run));
  kite_cdc_sync #(.WIDTH(14), .STABLE(1'b1),
                  .RESET_VALUE(14'(kite_regs_pkg::KITE_FRAME_INTERVAL_FI_RESET))) u_sync_fi (
    .dst_clk(usb_clk), .dst_rst(usb_rst), .d(fi), .q(u_fi)
  );
  kite_cdc_sync #(.WIDTH(N)) u_sync_power (
    .dst_clk(usb_clk), .dst_rst(usb_rst), .d(p_power), .q(u_power)
  );

  // pulses bus -> usb (port requests)
  logic [N-1:0] u_reset_req, u_disable_req, u_suspend_req, u_resume_req;
  kite_cdc_pulse #(.WIDTH(4 * N)) u_pulse_port (
    .src_clk(clk), .src_rst(rst), .src_pulse({p_resume, p_suspend, p_disable, p_reset}),
    .dst_clk(usb_clk), .dst_rst(usb_rst),
    .dst_pulse({u_resume_req, u_suspend_req, u_disable_req, u_reset_req})
  );

  // levels usb -> bus
  logic [N-1:0] u_conn, u_en, u_ls, u_rsting, u_susp, u_resm, u_oc;
  logic [10:0]  u_frame;
  logic         u_sof;
  logic [15:0]  u_bits_left;
  kite_cdc_sync #(.WIDTH(7 * N)) u_sync_ports (
    .dst_clk(clk), .dst_rst(rst), .d({u_conn, u_en, u_ls, u_rsting, u_susp, u_resm, u_oc}),
    .q({p_conn, p_en, p_ls, p_rsting, p_susp, p_resm, p_oc})
  );
  kite_cdc_sync #(.WIDTH(11), .STABLE(1'b1)) u_sync_frame (
    .dst_clk(clk), .dst_rst(rst), .d(u_frame), .q(frame_bus)
  );
  kite_cdc_pulse #(.WIDTH(1)) u_pulse_sof (
    .src_clk(usb_clk), .src_rst(usb_rst), .src_pulse(u_sof), .dst_clk(clk), .dst_rst(rst),
    .dst_pulse(sof_bus)
  );

  // ---------------------------------------------------------------- USB engine (usb_clk)
  logic        e_req_valid, e_req_ready, e_out_ready, e_in_valid, e_res_valid, e_res_ready;
  logic [7:0]  e_in_data;
  logic [3:0]  e_res_code;
  logic [10:0] e_res_len;
  logic        e_res_data1;
  logic        e_quiet;
  logic [20:0] u_to_sof;      // usb_clk edges until the next frame start (the simulator reads it)

  // A request is offered only once its whole OUT packet is in the OUT FIFO and the IN FIFO
  // has room for everything it can push (IN: len bytes, then the result). u_txn_q: a request
  // is in the engine, until its result is pushed; u_in_left_q: IN bytes it may still push.
  logic        u_req_in, u_in_room, u_txn_q, u_txn_d, u_res_push, u_byte_push;
  logic [10:0] u_in_left_q, u_in_left_d;

  // kite_usb_pkg::TOKEN_IN; the package comes after this file in the model's source list
  localparam logic [1:0] U_TOKEN_IN = 2'd2;
  assign u_req_in = u_req[1:0] == U_TOKEN_IN;
  assign u_in_room = 32'(u_in_count) + (u_req_in ? 32'(u_req[30:20]) : 32'd0) + 32'd1 <=
                     32'(IN_DEPTH);
  assign e_req_valid = !u_req_empty && !u_txn_q && u_in_room &&
                       (u_req_in || 32'(u_out_count) >= 32'(u_req[30:20]));
  assign u_req_pop = e_req_valid && e_req_ready;
  assign u_out_pop = e_out_ready;
  // IN bytes and the result share one FIFO so that they stay in order; a byte wins a tie
  // (the engine holds the result valid until it is taken). Bytes outside a request are
  // dropped: the receiver may still deliver after a BABBLE result at the frame end, and they
  // would otherwise be taken as the next IN packet's data.
  assign e_res_ready = !u_in_full && !e_in_valid;
  assign u_res_push = e_res_valid && e_res_ready;
  assign u_byte_push = e_in_valid && u_txn_q && u_in_left_q != 11'd0;
  assign u_in_push = u_byte_push || u_res_push;
  assign u_in_data = e_in_valid ? {9'd0, e_in_data} :
                                  {1'b1, e_res_len, e_res_data1, e_res_code};

  always_comb begin
    u_txn_d = u_txn_q;
    u_in_left_d = u_in_left_q;
    if (u_req_pop) begin
      u_txn_d = 1'b1;
      u_in_left_d = u_req_in ? u_req[30:20] : 11'd0;
    end else if (u_res_push) begin
      u_txn_d = 1'b0;
    end else if (u_byte_push) begin
      u_in_left_d = u_in_left_q - 11'd1;
    end
  end

  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      u_txn_q <= 1'b0;
      u_in_left_q <= '0;
    end else begin
      u_txn_q <= u_txn_d;
      u_in_left_q <= u_in_left_d;
    end
  end

`ifndef SYNTHESIS
  // the reservation above: a byte cannot wait, so the FIFO is never full when one comes, and
  // the engine never delivers more than the request's length
  always_ff @(posedge usb_clk) begin
    if (!usb_rst) begin
      assert (!(u_in_push && u_in_full))
        else $error("kite_core: IN FIFO push while full (byte lost)");
      assert (!(e_in_valid && u_txn_q && u_in_left_q == 11'd0))
        else $error("kite_core: IN byte beyond the request's length");
    end
  end
`endif

  kite_usb_engine #(.NUM_PORTS(NUM_PORTS), .USB_CLK_HZ(USB_CLK_HZ)) u_usb (
    .usb_clk(usb_clk), .usb_rst(usb_rst),
    .ctl_run(u_run), .ctl_frame_interval(u_fi), .frame_number(u_frame), .frame_sof(u_sof),
    .frame_bits_left(u_bits_left),
    .txn_req_valid(e_req_valid), .txn_req_ready(e_req_ready), .txn_req_token(u_req[1:0]),
    .txn_req_addr(u_req[8:2]), .txn_req_ep(u_req[12:9]), .txn_req_port(u_req[16:13]),
    .txn_req_ls(u_req[17]), .txn_req_data1(u_req[18]), .txn_req_iso(u_req[19]),
    .txn_req_len(u_req[30:20]), .txn_req_periodic(u_req[31]),
    .txn_out_data(u_out), .txn_out_valid(!u_out_empty), .txn_out_ready(e_out_ready),
    .txn_in_data(e_in_data), .txn_in_valid(e_in_valid),
    .txn_res_valid(e_res_valid), .txn_res_ready(e_res_ready), .txn_res_code(e_res_code),
    .txn_res_len(e_res_len), .txn_res_data1(e_res_data1),
    .frame_to_sof(u_to_sof), .quiet(e_quiet),
    .port_power(u_power), .port_reset_req(u_reset_req), .port_disable_req(u_disable_req),
    .port_suspend_req(u_suspend_req), .port_resume_req(u_resume_req),
    .port_connected(u_conn), .port_enabled(u_en), .port_ls(u_ls), .port_resetting(u_rsting),
    .port_suspended(u_susp), .port_resuming(u_resm), .port_overcurrent(u_oc),
    .port_oc_in(port_oc_in), .port_vbus_en(port_vbus_en),
    .utmi_data_out(utmi_data_out), .utmi_txvalid(utmi_txvalid), .utmi_txready(utmi_txready),
    .utmi_data_in(utmi_data_in), .utmi_rxvalid(utmi_rxvalid), .utmi_rxactive(utmi_rxactive),
    .utmi_rxerror(utmi_rxerror), .utmi_linestate(utmi_linestate),
    .utmi_xcvrselect(utmi_xcvrselect), .utmi_termselect(utmi_termselect),
    .utmi_opmode(utmi_opmode), .utmi_line_ctrl(utmi_line_ctrl)
  );

  // ---------------------------------------------------------------- quiet
  logic quiet_usb_q, quiet_bus_q, quiet_usb_s, quiet_q;

  always_ff @(posedge usb_clk) begin
    if (usb_rst) begin
      quiet_usb_q <= 1'b0;
    end else begin
      quiet_usb_q <= e_quiet && u_req_empty && !u_txn_q && u_out_empty && u_in_count == '0;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      quiet_bus_q <= 1'b0;
    end else begin
      quiet_bus_q <= xfer_quiet && !dt_busy && hd_req_ready && !hd_req_valid && e_ready &&
                     !intr_pending && !reg_wr_en && !sof_bus && !rst_wait &&
                     req_wcount == '0 && out_wcount == '0 && tin_empty;
    end
  end

  kite_cdc_sync #(.WIDTH(1)) u_sync_quiet (
    .dst_clk(clk), .dst_rst(rst), .d(quiet_usb_q), .q(quiet_usb_s)
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      quiet_q <= 1'b0;
    end else begin
      quiet_q <= quiet_bus_q && quiet_usb_s;
    end
  end

  assign quiet = quiet_q;

  // unused: the engine's frame-time information, FIFO counts that nobody needs, the periodic
  // interval (kite_ctx_ram compares it with the frame number itself)
  logic unused_ok;
  assign unused_ok = ^{u_bits_left, u_to_sof, unused_req_rcount,
                       unused_in_rcount, e_interval};

endmodule : kite_core

`default_nettype wire
