// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_axi_arb: shares one AXI4 master port between two masters: s0 (the DMA self-test engine)
// and s1 (the host engine). Read and write channels are arbitrated independently and
// round-robin; a grant is held from the address handshake to the burst's last R beat (read)
// or its B response (write), so one burst per channel is in flight and responses need no ID
// routing. The outgoing ID still tells the masters apart: bit 0 is the master (0 self-test,
// 1 host engine); the remaining bits are zero (both masters use ID 0 themselves).

`default_nettype none

module kite_axi_arb #(
  parameter int unsigned ADDR_WIDTH = 64,  // address bits, 32 or 64
  parameter int unsigned DATA_WIDTH = 64,  // data bits, 32/64/128
  parameter int unsigned ID_WIDTH = 4      // ID bits on the shared port, 1..16
) (
  input  wire                       clk,
  input  wire                       rst,

  // slaves 0 and 1 (one per master; arrays indexed by master)
  input  wire  [1:0]                s_awvalid,
  output logic [1:0]                s_awready,
  input  wire  [2*ADDR_WIDTH-1:0]   s_awaddr,
  input  wire  [15:0]               s_awlen,
  input  wire  [5:0]                s_awsize,
  input  wire  [1:0]                s_wvalid,
  output logic [1:0]                s_wready,
  input  wire  [2*DATA_WIDTH-1:0]   s_wdata,
  input  wire  [2*DATA_WIDTH/8-1:0] s_wstrb,
  input  wire  [1:0]                s_wlast,
  output logic [1:0]                s_bvalid,
  input  wire  [1:0]                s_bready,
  output logic [1:0]                s_bresp,    // shared: valid for the master with bvalid
  input  wire  [1:0]                s_arvalid,
  output logic [1:0]                s_arready,
  input  wire  [2*ADDR_WIDTH-1:0]   s_araddr,
  input  wire  [15:0]               s_arlen,
  input  wire  [5:0]                s_arsize,
  output logic [1:0]                s_rvalid,
  input  wire  [1:0]                s_rready,
  output logic [DATA_WIDTH-1:0]     s_rdata,    // shared
  output logic [1:0]                s_rresp,    // shared
  output logic                      s_rlast,    // shared

  // master port
  output logic [ID_WIDTH-1:0]       m_axi_awid,
  output logic [ADDR_WIDTH-1:0]     m_axi_awaddr,
  output logic [7:0]                m_axi_awlen,
  output logic [2:0]                m_axi_awsize,
  output logic                      m_axi_awvalid,
  input  wire                       m_axi_awready,
  output logic [DATA_WIDTH-1:0]     m_axi_wdata,
  output logic [DATA_WIDTH/8-1:0]   m_axi_wstrb,
  output logic                      m_axi_wlast,
  output logic                      m_axi_wvalid,
  input  wire                       m_axi_wready,
  input  wire  [1:0]                m_axi_bresp,
  input  wire                       m_axi_bvalid,
  output logic                      m_axi_bready,
  output logic [ID_WIDTH-1:0]       m_axi_arid,
  output logic [ADDR_WIDTH-1:0]     m_axi_araddr,
  output logic [7:0]                m_axi_arlen,
  output logic [2:0]                m_axi_arsize,
  output logic                      m_axi_arvalid,
  input  wire                       m_axi_arready,
  input  wire  [DATA_WIDTH-1:0]     m_axi_rdata,
  input  wire  [1:0]                m_axi_rresp,
  input  wire                       m_axi_rlast,
  input  wire                       m_axi_rvalid,
  output logic                      m_axi_rready
);

  if (ID_WIDTH < 1 || ID_WIDTH > 16) begin : g_bad_id
    $error("kite_axi_arb: ID_WIDTH must be 1..16");
  end
  if (ADDR_WIDTH != 32 && ADDR_WIDTH != 64) begin : g_bad_aw
    $error("kite_axi_arb: ADDR_WIDTH must be 32 or 64");
  end
  if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128) begin : g_bad_dw
    $error("kite_axi_arb: DATA_WIDTH must be 32, 64 or 128");
  end

  localparam int unsigned SB = DATA_WIDTH / 8;

  // ---------------------------------------------------------------- read channel
  logic rbusy_q, rbusy_d;   // a burst owns the read channel
  logic rsel_q, rsel_d;     // its master
  logic raddr_q, raddr_d;   // AR already forwarded
  logic rlast_pri_q, rlast_pri_d;  // master granted last (round robin)
  logic rpick;

  always_comb begin
    rpick = s_arvalid[1] && (!s_arvalid[0] || !rlast_pri_q);
    rbusy_d = rbusy_q;
    rsel_d = rsel_q;
    raddr_d = raddr_q;
    rlast_pri_d = rlast_pri_q;
    if (!rbusy_q && |s_arvalid) begin
      rbusy_d = 1'b1;
      rsel_d = rpick;
      raddr_d = 1'b0;
      rlast_pri_d = rpick;
    end
    if (rbusy_q && !raddr_q && m_axi_arvalid && m_axi_arready) raddr_d = 1'b1;
    if (rbusy_q && raddr_q && m_axi_rvalid && m_axi_rready && m_axi_rlast) rbusy_d = 1'b0;
  end

  always_comb begin
    m_axi_arid    = ID_WIDTH'(rsel_q);
    m_axi_araddr  = rsel_q ? s_araddr[ADDR_WIDTH +: ADDR_WIDTH] : s_araddr[0 +: ADDR_WIDTH];
    m_axi_arlen   = rsel_q ? s_arlen[15:8] : s_arlen[7:0];
    m_axi_arsize  = rsel_q ? s_arsize[5:3] : s_arsize[2:0];
    m_axi_arvalid = rbusy_q && !raddr_q && s_arvalid[rsel_q];
    s_arready     = '0;
    s_arready[rsel_q] = rbusy_q && !raddr_q && m_axi_arready;
    s_rvalid      = '0;
    s_rvalid[rsel_q] = rbusy_q && raddr_q && m_axi_rvalid;
    m_axi_rready  = rbusy_q && raddr_q && s_rready[rsel_q];
    s_rdata       = m_axi_rdata;
    s_rresp       = m_axi_rresp;
    s_rlast       = m_axi_rlast;
  end

  // ---------------------------------------------------------------- write channel
  logic wbusy_q, wbusy_d;
  logic wsel_q, wsel_d;
  logic waddr_q, waddr_d;   // AW forwarded
  logic wdata_q, wdata_d;   // all W beats forwarded
  logic wlast_pri_q, wlast_pri_d;
  logic wpick;

  always_comb begin
    wpick = s_awvalid[1] && (!s_awvalid[0] || !wlast_pri_q);
    wbusy_d = wbusy_q;
    wsel_d = wsel_q;
    waddr_d = waddr_q;
    wdata_d = wdata_q;
    wlast_pri_d = wlast_pri_q;
    if (!wbusy_q && |s_awvalid) begin
      wbusy_d = 1'b1;
      wsel_d = wpick;
      waddr_d = 1'b0;
      wdata_d = 1'b0;
      wlast_pri_d = wpick;
    end
    if (wbusy_q && !waddr_q && m_axi_awvalid && m_axi_awready) waddr_d = 1'b1;
    if (wbusy_q && m_axi_wvalid && m_axi_wready && m_axi_wlast) wdata_d = 1'b1;
    if (wbusy_q && waddr_q && wdata_q && m_axi_bvalid && m_axi_bready) wbusy_d = 1'b0;
  end

  always_comb begin
    m_axi_awid    = ID_WIDTH'(wsel_q);
    m_axi_awaddr  = wsel_q ? s_awaddr[ADDR_WIDTH +: ADDR_WIDTH] : s_awaddr[0 +: ADDR_WIDTH];
    m_axi_awlen   = wsel_q ? s_awlen[15:8] : s_awlen[7:0];
    m_axi_awsize  = wsel_q ? s_awsize[5:3] : s_awsize[2:0];
    m_axi_awvalid = wbusy_q && !waddr_q && s_awvalid[wsel_q];
    s_awready     = '0;
    s_awready[wsel_q] = wbusy_q && !waddr_q && m_axi_awready;
    // W only after AW was forwarded (the memory side may require it)
    m_axi_wvalid  = wbusy_q && waddr_q && !wdata_q && s_wvalid[wsel_q];
    m_axi_wdata   = wsel_q ? s_wdata[DATA_WIDTH +: DATA_WIDTH] : s_wdata[0 +: DATA_WIDTH];
    m_axi_wstrb   = wsel_q ? s_wstrb[SB +: SB] : s_wstrb[0 +: SB];
    m_axi_wlast   = s_wlast[wsel_q];
    s_wready      = '0;
    s_wready[wsel_q] = wbusy_q && waddr_q && !wdata_q && m_axi_wready;
    s_bvalid      = '0;
    s_bvalid[wsel_q] = wbusy_q && waddr_q && wdata_q && m_axi_bvalid;
    m_axi_bready  = wbusy_q && waddr_q && wdata_q && s_bready[wsel_q];
    s_bresp       = m_axi_bresp;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      rbusy_q <= 1'b0; rsel_q <= 1'b0; raddr_q <= 1'b0; rlast_pri_q <= 1'b0;
      wbusy_q <= 1'b0; wsel_q <= 1'b0; waddr_q <= 1'b0; wdata_q <= 1'b0; wlast_pri_q <= 1'b0;
    end else begin
      rbusy_q <= rbusy_d; rsel_q <= rsel_d; raddr_q <= raddr_d; rlast_pri_q <= rlast_pri_d;
      wbusy_q <= wbusy_d; wsel_q <= wsel_d; waddr_q <= waddr_d; wdata_q <= wdata_d;
      wlast_pri_q <= wlast_pri_d;
    end
  end

endmodule : kite_axi_arb

`default_nettype wire
