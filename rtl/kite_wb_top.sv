// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_wb_top: the kite USB host controller for Wishbone systems (LiteX and the like): the same
// kite_core as kite_axi_top, behind
//   - a Wishbone B4 *classic* slave for the registers: 32-bit data, word address
//     s_wb_adr = byte offset / 4 (10 bits, the 4 KiB block), byte selects, ACK one cycle after
//     the request (registered; asserted only while CYC and STB are still high, so a master
//     that aborts by dropping CYC sees no stray ACK), never ERR (unmapped offsets read 0, as
//     on AXI);
//   - a Wishbone B4 *classic* master for DMA: 32-bit data (CAP.DATA_BYTES_LOG2 = 2), 32-bit
//     byte addresses presented as a 30-bit word address m_wb_adr (LiteX convention), CTI/BTE
//     not used: a burst of the core becomes consecutive single classic cycles, each with its
//     own CYC (CYC and STB rise together and fall in the cycle after ACK/ERR, so the bus is
//     free for at least one cycle between accesses; at most one access per two cycles). ERR
//     answers a bus error (the context halts with BUS_ERROR, the self-test reports it); RTY
//     is not supported (tie it off in the interconnect).
// Internally the core's AXI4 master is converted: one burst at a time per direction, reads
// before writes when both wait.

`default_nettype none

module kite_wb_top #(
  parameter int unsigned NUM_PORTS = 1,         // root ports, 1..15
  parameter int unsigned NUM_CTX = 16,          // endpoint contexts, 1..64
  parameter int unsigned MAX_BURST_BEATS = 16,  // longest internal burst, power of 2, 1..256
  parameter int unsigned DMA_BUF_BYTES = 512,   // self-test chunk buffer, power of 2, 16..2048
  parameter int unsigned PKT_BUF_BYTES = 1024,  // packet buffer, power of 2, 1024..4096
  parameter int unsigned BUS_CLK_HZ = 100000000,  // clk frequency (interrupt moderation)
  parameter int unsigned USB_CLK_HZ = 48000000, // usb_clk frequency
  parameter bit ONCHIP_PHY = 1'b0,              // CAP_HOST.ONCHIP_PHY
  parameter bit SELF_TEST = 1'b1                // DMA self-test present (CAP.DMA_TEST)
) (
  input  wire                      clk,
  input  wire                      rst,
  input  wire                      usb_clk,
  input  wire                      usb_rst,

  // Wishbone slave: registers
  input  wire                      s_wb_cyc,
  input  wire                      s_wb_stb,
  input  wire                      s_wb_we,
  input  wire  [9:0]               s_wb_adr,
  input  wire  [31:0]              s_wb_dat_w,
  input  wire  [3:0]               s_wb_sel,
  output logic [31:0]              s_wb_dat_r,
  output logic                     s_wb_ack,
  output logic                     s_wb_err,

  // Wishbone master: DMA
  output logic                     m_wb_cyc,
  output logic                     m_wb_stb,
  output logic                     m_wb_we,
  output logic [29:0]              m_wb_adr,
  output logic [31:0]              m_wb_dat_w,
  output logic [3:0]               m_wb_sel,
  input  wire  [31:0]              m_wb_dat_r,
  input  wire                      m_wb_ack,
  input  wire                      m_wb_err,

  output logic                     irq,

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

  // (kite_core and its submodules check the other parameters)
  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_wb_top: NUM_PORTS must be 1..15");
  end
  if (MAX_BURST_BEATS < 1 || MAX_BURST_BEATS > 256) begin : g_bad_mb
    $error("kite_wb_top: MAX_BURST_BEATS must be 1..256");
  end

  // ---------------------------------------------------------------- register slave
  logic        ack_q;
  logic [31:0] reg_rd_data;   // registered in kite_regs: valid in the ACK cycle
  logic        req;
  assign req = s_wb_cyc && s_wb_stb && !ack_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      ack_q <= 1'b0;
    end else begin
      ack_q <= req;
    end
  end
  // a registered ACK is only valid while the request is still there (B4: ACK answers CYC & STB)
  assign s_wb_ack = ack_q && s_wb_cyc && s_wb_stb;
  assign s_wb_err = 1'b0;
  assign s_wb_dat_r = reg_rd_data;

  // ---------------------------------------------------------------- core
  logic [0:0]  awid, arid;
  logic [31:0] awaddr, araddr, wdata, rdata_c;
  logic [7:0]  awlen, arlen;
  logic [2:0]  awsize, arsize;
  logic        awvalid, awready, wlast, wvalid, wready, bvalid, bready;
  logic        arvalid, arready, rlast, rvalid, rready, busy, quiet;
  logic [3:0]  wstrb;
  logic [1:0]  bresp, rresp;

  kite_core #(
    .ADDR_WIDTH(32), .DATA_WIDTH(32), .ID_WIDTH(1), .NUM_PORTS(NUM_PORTS), .NUM_CTX(NUM_CTX),
    .MAX_BURST_BEATS(MAX_BURST_BEATS), .DMA_BUF_BYTES(DMA_BUF_BYTES),
    .PKT_BUF_BYTES(PKT_BUF_BYTES), .BUS_CLK_HZ(BUS_CLK_HZ), .USB_CLK_HZ(USB_CLK_HZ),
    .ONCHIP_PHY(ONCHIP_PHY), .SELF_TEST(SELF_TEST)
  ) u_core (
    .clk(clk), .rst(rst), .usb_clk(usb_clk), .usb_rst(usb_rst),
    .reg_wr_en(req && s_wb_we), .reg_wr_addr({s_wb_adr, 2'b00}), .reg_wr_data(s_wb_dat_w),
    .reg_wr_strb(s_wb_sel), .reg_rd_en(req && !s_wb_we), .reg_rd_hold(1'b0),
    .reg_rd_addr({s_wb_adr, 2'b00}), .reg_rd_data(reg_rd_data),
    .m_axi_awid(awid), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen), .m_axi_awsize(awsize),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_wdata(wdata),
    .m_axi_wstrb(wstrb), .m_axi_wlast(wlast), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_bresp(bresp), .m_axi_bvalid(bvalid), .m_axi_bready(bready),
    .m_axi_arid(arid), .m_axi_araddr(araddr), .m_axi_arlen(arlen), .m_axi_arsize(arsize),
    .m_axi_arvalid(arvalid), .m_axi_arready(arready), .m_axi_rdata(rdata_c),
    .m_axi_rresp(rresp), .m_axi_rlast(rlast), .m_axi_rvalid(rvalid), .m_axi_rready(rready),
    .irq(irq), .busy(busy), .quiet(quiet),
    .port_oc_in(port_oc_in), .port_vbus_en(port_vbus_en),
    .utmi_data_out(utmi_data_out), .utmi_txvalid(utmi_txvalid), .utmi_txready(utmi_txready),
    .utmi_data_in(utmi_data_in), .utmi_rxvalid(utmi_rxvalid), .utmi_rxactive(utmi_rxactive),
    .utmi_rxerror(utmi_rxerror), .utmi_linestate(utmi_linestate),
    .utmi_xcvrselect(utmi_xcvrselect), .utmi_termselect(utmi_termselect),
    .utmi_opmode(utmi_opmode), .utmi_line_ctrl(utmi_line_ctrl)
  );

  // ---------------------------------------------------------------- AXI4 -> Wishbone master
  typedef enum logic [2:0] { B_IDLE, B_RD, B_RDATA, B_WR_WAIT, B_WR, B_BRESP } bstate_t;
  bstate_t     bs_q, bs_d;
  logic [29:0] adr_q, adr_d;
  logic [7:0]  left_q, left_d;     // beats after the current one
  logic        err_q, err_d;
  logic [31:0] dat_q, dat_d;
  logic [3:0]  sel_q, sel_d;
  logic        last_q, last_d;

  always_comb begin
    bs_d = bs_q;
    adr_d = adr_q;
    left_d = left_q;
    err_d = err_q;
    dat_d = dat_q;
    sel_d = sel_q;
    last_d = last_q;
    arready = 1'b0;
    awready = 1'b0;
    wready = 1'b0;
    rvalid = 1'b0;
    bvalid = 1'b0;
    unique case (bs_q)
      B_IDLE: begin
        err_d = 1'b0;
        if (arvalid) begin
          arready = 1'b1;
          adr_d = araddr[31:2];
          left_d = arlen;
          bs_d = B_RD;
        end else if (awvalid) begin
          awready = 1'b1;
          adr_d = awaddr[31:2];
          left_d = awlen;
          bs_d = B_WR_WAIT;
        end
      end
      B_RD: if (m_wb_ack || m_wb_err) begin
        dat_d = m_wb_dat_r;
        err_d = m_wb_err;
        bs_d = B_RDATA;
      end
      B_RDATA: begin
        rvalid = 1'b1;
        if (rready) begin
          adr_d = adr_q + 30'd1;
          left_d = left_q - 8'd1;
          bs_d = (left_q == 0) ? B_IDLE : B_RD;
          err_d = 1'b0;
        end
      end
      B_WR_WAIT: begin
        wready = 1'b1;
        if (wvalid) begin
          dat_d = wdata;
          sel_d = wstrb;
          last_d = wlast || left_q == 0;
          bs_d = (wstrb == 4'd0) ? B_WR_WAIT : B_WR;
          if (wstrb == 4'd0) begin
            adr_d = adr_q + 30'd1;
            left_d = left_q - 8'd1;
            if (wlast || left_q == 0) bs_d = B_BRESP;
          end
        end
      end
      B_WR: if (m_wb_ack || m_wb_err) begin
        err_d = err_q | m_wb_err;
        adr_d = adr_q + 30'd1;
        left_d = left_q - 8'd1;
        bs_d = last_q ? B_BRESP : B_WR_WAIT;
      end
      B_BRESP: begin
        bvalid = 1'b1;
        if (bready) bs_d = B_IDLE;
      end
      default: bs_d = B_IDLE;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      bs_q <= B_IDLE;
      adr_q <= '0;
      left_q <= '0;
      err_q <= 1'b0;
      dat_q <= '0;
      sel_q <= '0;
      last_q <= 1'b0;
    end else begin
      bs_q <= bs_d;
      adr_q <= adr_d;
      left_q <= left_d;
      err_q <= err_d;
      dat_q <= dat_d;
      sel_q <= sel_d;
      last_q <= last_d;
    end
  end

  assign m_wb_cyc = bs_q == B_RD || bs_q == B_WR;
  assign m_wb_stb = m_wb_cyc;
  assign m_wb_we = bs_q == B_WR;
  assign m_wb_adr = adr_q;
  assign m_wb_dat_w = dat_q;
  assign m_wb_sel = bs_q == B_WR ? sel_q : 4'hf;
  assign rdata_c = dat_q;
  assign rresp = err_q ? 2'b10 : 2'b00;
  assign rlast = left_q == 0;
  assign bresp = err_q ? 2'b10 : 2'b00;

  // IDs and sizes carry nothing here (one burst at a time, always 4-byte beats); busy and
  // quiet are for simulation only
  logic unused_ok;
  assign unused_ok = ^{awid, arid, awsize, arsize, busy, quiet, awaddr[1:0], araddr[1:0]};

endmodule : kite_wb_top

`default_nettype wire
