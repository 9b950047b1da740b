// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_synth_top: synthesis-only wrapper for resource and fmax figures (scripts/synth.sh).
// kite_axi_top with ONCHIP_PHY = 1 plus one kite_fs_phy per port, wired as
// rtl/tb/kite_sim_top.sv wires them (line attachment), in a package-sized pin list.
//
// Why: kite_axi_top has hundreds of AXI pins (about 350 with 64-bit AXI), more than any
// package has, and ports tied to constants would let Yosys remove the logic behind them. So
// every port stays functional, at a small, known cost in flip-flops and LUTs:
//   - every bus-side input comes from its own bit of a shift register loaded from pin `sin`,
//     so no input is constant and no two inputs are equal;
//   - every bus-side output feeds an XOR tree (registered after one LUT level, then folded
//     into `sout`), so no output is unobserved;
//   - the clocks, resets, D+/D- of each port's PHY and the VBUS/over-current signals are
//     real pins.
// The parameters of the named configurations (`default`, `minimal`) live in
// rtl/configs.mk only; the script sets them on this module with `chparam`.

`default_nettype none

module kite_synth_top #(
  parameter int unsigned ADDR_WIDTH = 64,
  parameter int unsigned DATA_WIDTH = 64,
  parameter int unsigned NUM_CTX = 16,
  parameter int unsigned NUM_PORTS = 1,
  parameter bit SELF_TEST = 1'b1
) (
  input  wire                  clk,
  input  wire                  rst,
  input  wire                  usb_clk,
  input  wire                  usb_rst,
  input  wire                  sin,            // serial stimulus for every bus-side input
  output logic [3:0]           sout,           // every bus-side output, XOR-folded
  input  wire  [NUM_PORTS-1:0] port_oc_in,
  output logic [NUM_PORTS-1:0] port_vbus_en,
  input  wire  [NUM_PORTS-1:0] usb_dp_i,
  input  wire  [NUM_PORTS-1:0] usb_dm_i,
  output logic [NUM_PORTS-1:0] usb_dp_o,
  output logic [NUM_PORTS-1:0] usb_dm_o,
  output logic [NUM_PORTS-1:0] usb_oe,
  output logic [NUM_PORTS-1:0] usb_pulldown
);

  localparam int unsigned IDW = 4;     // kite_axi_top defaults
  localparam int unsigned AXW = 12;
  localparam int unsigned DW = DATA_WIDTH;
  localparam int unsigned AW = ADDR_WIDTH;

  // ------------------------------------------------------------------ bus-side inputs
  // AXI4-Lite: awaddr awprot awvalid wdata wstrb wvalid bready araddr arprot arvalid rready
  localparam int unsigned IN_AXIL = 2 * AXW + 2 * 3 + 32 + 4 + 6;
  // AXI4: awready wready bid bresp bvalid arready rid rdata rresp rlast rvalid
  localparam int unsigned IN_AXI = 2 * IDW + DW + 2 * 2 + 6;
  localparam int unsigned IN_W = IN_AXIL + IN_AXI;

  logic [IN_W-1:0] in_q;
  always_ff @(posedge clk) in_q <= {in_q[IN_W-2:0], sin};

  logic [AXW-1:0] s_axil_awaddr, s_axil_araddr;
  logic [2:0]     s_axil_awprot, s_axil_arprot;
  logic [31:0]    s_axil_wdata;
  logic [3:0]     s_axil_wstrb;
  logic           s_axil_awvalid, s_axil_wvalid, s_axil_bready, s_axil_arvalid, s_axil_rready;
  logic [IDW-1:0] m_axi_bid, m_axi_rid;
  logic [1:0]     m_axi_bresp, m_axi_rresp;
  logic [DW-1:0]  m_axi_rdata;
  logic           m_axi_awready, m_axi_wready, m_axi_bvalid, m_axi_arready, m_axi_rlast;
  logic           m_axi_rvalid;
  assign {s_axil_awaddr, s_axil_awprot, s_axil_awvalid, s_axil_wdata, s_axil_wstrb,
          s_axil_wvalid, s_axil_bready, s_axil_araddr, s_axil_arprot, s_axil_arvalid,
          s_axil_rready,
          m_axi_awready, m_axi_wready, m_axi_bid, m_axi_bresp, m_axi_bvalid, m_axi_arready,
          m_axi_rid, m_axi_rdata, m_axi_rresp, m_axi_rlast, m_axi_rvalid} = in_q;

  // ------------------------------------------------------------------ bus-side outputs
  logic           s_axil_awready, s_axil_wready, s_axil_bvalid, s_axil_arready, s_axil_rvalid;
  logic [1:0]     s_axil_bresp, s_axil_rresp;
  logic [31:0]    s_axil_rdata;
  logic [IDW-1:0] m_axi_awid, m_axi_arid;
  logic [AW-1:0]  m_axi_awaddr, m_axi_araddr;
  logic [7:0]     m_axi_awlen, m_axi_arlen;
  logic [2:0]     m_axi_awsize, m_axi_arsize, m_axi_awprot, m_axi_arprot;
  logic [1:0]     m_axi_awburst, m_axi_arburst;
  logic [3:0]     m_axi_awcache, m_axi_arcache;
  logic           m_axi_awlock, m_axi_arlock, m_axi_awvalid, m_axi_arvalid;
  logic [DW-1:0]  m_axi_wdata;
  logic [DW/8-1:0] m_axi_wstrb;
  logic           m_axi_wlast, m_axi_wvalid, m_axi_bready, m_axi_rready, irq, busy,
                  quiet;

  localparam int unsigned OUT_AXIL = 5 + 2 * 2 + 32;
  localparam int unsigned OUT_AXI = 2 * (IDW + AW + 8 + 3 + 2 + 1 + 4 + 3 + 1) + DW + DW / 8 + 4;
  localparam int unsigned OUT_W = OUT_AXIL + OUT_AXI + 3;
  logic [OUT_W-1:0] out_bits;
  assign out_bits = {s_axil_awready, s_axil_wready, s_axil_bresp, s_axil_bvalid,
                     s_axil_arready, s_axil_rdata, s_axil_rresp, s_axil_rvalid,
                     m_axi_awid, m_axi_awaddr, m_axi_awlen, m_axi_awsize, m_axi_awburst,
                     m_axi_awlock, m_axi_awcache, m_axi_awprot, m_axi_awvalid,
                     m_axi_wdata, m_axi_wstrb, m_axi_wlast, m_axi_wvalid, m_axi_bready,
                     m_axi_arid, m_axi_araddr, m_axi_arlen, m_axi_arsize, m_axi_arburst,
                     m_axi_arlock, m_axi_arcache, m_axi_arprot, m_axi_arvalid, m_axi_rready,
                     irq, busy, quiet};

  // one LUT level (6 inputs) before a register, so the fold adds little to the core's paths
  localparam int unsigned FOLD_W = (OUT_W + 5) / 6;
  logic [FOLD_W*6-1:0] out_pad;
  logic [FOLD_W-1:0]   fold_q;
  always_comb begin
    out_pad = '0;
    out_pad[OUT_W-1:0] = out_bits;
  end
  always_ff @(posedge clk) begin
    for (int i = 0; i < FOLD_W; i++) fold_q[i] <= ^out_pad[6*i +: 6];
  end
  always_ff @(posedge clk) begin
    for (int k = 0; k < 4; k++) begin
      logic x;
      x = 1'b0;
      for (int i = k; i < FOLD_W; i += 4) x = x ^ fold_q[i];
      sout[k] <= x;
    end
  end

  // ------------------------------------------------------------------ controller and PHYs
  logic [NUM_PORTS-1:0]   txready, rxvalid, rxactive, rxerror, txvalid, termselect;
  logic [NUM_PORTS*8-1:0] data_in, data_out;
  logic [NUM_PORTS*2-1:0] linestate, xcvrselect, opmode, line_ctrl;

  kite_axi_top #(
    .ADDR_WIDTH(ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ID_WIDTH(IDW), .AXIL_ADDR_WIDTH(AXW),
    .NUM_PORTS(NUM_PORTS), .NUM_CTX(NUM_CTX), .ONCHIP_PHY(1'b1), .SELF_TEST(SELF_TEST)
  ) u_top (
    .clk(clk), .rst(rst), .usb_clk(usb_clk), .usb_rst(usb_rst),
    .s_axil_awaddr(s_axil_awaddr), .s_axil_awprot(s_axil_awprot),
    .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot), .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
    .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize), .m_axi_awburst(m_axi_awburst), .m_axi_awlock(m_axi_awlock),
    .m_axi_awcache(m_axi_awcache), .m_axi_awprot(m_axi_awprot),
    .m_axi_awvalid(m_axi_awvalid), .m_axi_awready(m_axi_awready),
    .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb), .m_axi_wlast(m_axi_wlast),
    .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready), .m_axi_bid(m_axi_bid),
    .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready),
    .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst), .m_axi_arlock(m_axi_arlock),
    .m_axi_arcache(m_axi_arcache), .m_axi_arprot(m_axi_arprot),
    .m_axi_arvalid(m_axi_arvalid), .m_axi_arready(m_axi_arready), .m_axi_rid(m_axi_rid),
    .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
    .irq(irq), .busy(busy), .quiet(quiet),
    .port_oc_in(port_oc_in), .port_vbus_en(port_vbus_en),
    .utmi_data_out(data_out), .utmi_txvalid(txvalid), .utmi_txready(txready),
    .utmi_data_in(data_in), .utmi_rxvalid(rxvalid), .utmi_rxactive(rxactive),
    .utmi_rxerror(rxerror), .utmi_linestate(linestate),
    .utmi_xcvrselect(xcvrselect), .utmi_termselect(termselect),
    .utmi_opmode(opmode), .utmi_line_ctrl(line_ctrl)
  );

  for (genvar p = 0; p < NUM_PORTS; p++) begin : g_phy
    kite_fs_phy u_phy (
      .usb_clk(usb_clk), .usb_rst(usb_rst),
      .utmi_data_out(data_out[8*p +: 8]), .utmi_txvalid(txvalid[p]),
      .utmi_txready(txready[p]), .utmi_data_in(data_in[8*p +: 8]),
      .utmi_rxvalid(rxvalid[p]), .utmi_rxactive(rxactive[p]), .utmi_rxerror(rxerror[p]),
      .utmi_linestate(linestate[2*p +: 2]), .utmi_xcvrselect(xcvrselect[2*p +: 2]),
      .utmi_termselect(termselect[p]), .utmi_opmode(opmode[2*p +: 2]),
      .utmi_line_ctrl(line_ctrl[2*p +: 2]),
      .usb_dp_i(usb_dp_i[p]), .usb_dm_i(usb_dm_i[p]), .usb_dp_o(usb_dp_o[p]),
      .usb_dm_o(usb_dm_o[p]), .usb_oe(usb_oe[p]), .usb_pulldown(usb_pulldown[p]),
      .quiet()   // a simulation aid (docs/rtl.md): left out of the build
    );
  end

endmodule : kite_synth_top

`default_nettype wire
