// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_sim_top: the top the C model library (sim/model/) Verilates. kite_axi_top with its
// UTMI bundles brought out, plus one kite_fs_phy per port with D+/D- brought out. The input
// sim_attach_line chooses at run time what the core's UTMI inputs come from: 0 the UTMI pins
// (a C PHY emulation drives them), 1 the kite_fs_phy instances (a C device drives the line).
// The PHYs always see the core's UTMI outputs. Simulation only.

`default_nettype none

module kite_sim_top #(
  parameter int unsigned ADDR_WIDTH = 64,       // see kite_axi_top
  parameter int unsigned DATA_WIDTH = 64,
  parameter int unsigned ID_WIDTH = 4,
  parameter int unsigned AXIL_ADDR_WIDTH = 12,
  parameter int unsigned NUM_PORTS = 1,
  parameter int unsigned MAX_BURST_BEATS = 16,
  parameter int unsigned DMA_BUF_BYTES = 512,
  parameter int unsigned NUM_CTX = 16,
  parameter int unsigned PKT_BUF_BYTES = 1024,
  parameter int unsigned BUS_CLK_HZ = 96000000, // the model's default: 2 bus cycles per usb_clk
  parameter int unsigned USB_CLK_HZ = 48000000,
  parameter bit SELF_TEST = 1'b1
) (
  input  wire                        clk,
  input  wire                        rst,
  input  wire                        usb_clk,
  input  wire                        usb_rst,
  input  wire                        sim_attach_line,

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

  output logic [ID_WIDTH-1:0]        m_axi_awid,
  output logic [ADDR_WIDTH-1:0]      m_axi_awaddr,
  output logic [7:0]                 m_axi_awlen,
  output logic [2:0]                 m_axi_awsize,
  output logic [1:0]                 m_axi_awburst,
  output logic                       m_axi_awlock,
  output logic [3:0]                 m_axi_awcache,
  output logic [2:0]                 m_axi_awprot,
  output logic                       m_axi_awvalid,
  input  wire                        m_axi_awready,
  output logic [DATA_WIDTH-1:0]      m_axi_wdata,
  output logic [DATA_WIDTH/8-1:0]    m_axi_wstrb,
  output logic                       m_axi_wlast,
  output logic                       m_axi_wvalid,
  input  wire                        m_axi_wready,
  input  wire [ID_WIDTH-1:0]         m_axi_bid,
  input  wire [1:0]                  m_axi_bresp,
  input  wire                        m_axi_bvalid,
  output logic                       m_axi_bready,
  output logic [ID_WIDTH-1:0]        m_axi_arid,
  output logic [ADDR_WIDTH-1:0]      m_axi_araddr,
  output logic [7:0]                 m_axi_arlen,
  output logic [2:0]                 m_axi_arsize,
  output logic [1:0]                 m_axi_arburst,
  output logic                       m_axi_arlock,
  output logic [3:0]                 m_axi_arcache,
  output logic [2:0]                 m_axi_arprot,
  output logic                       m_axi_arvalid,
  input  wire                        m_axi_arready,
  input  wire [ID_WIDTH-1:0]         m_axi_rid,
  input  wire [DATA_WIDTH-1:0]       m_axi_rdata,
  input  wire [1:0]                  m_axi_rresp,
  input  wire                        m_axi_rlast,
  input  wire                        m_axi_rvalid,
  output logic                       m_axi_rready,

  output logic                       irq,
  output logic                       busy,
  output logic                       quiet,
  output logic [NUM_PORTS-1:0]       phy_quiet,   // kite_fs_phy quiet, per port (usb_clk)

  input  wire  [NUM_PORTS-1:0]       port_oc_in,
  output logic [NUM_PORTS-1:0]       port_vbus_en,
  // UTMI pins (sim_attach_line = 0)
  output logic [NUM_PORTS*8-1:0]     utmi_data_out,
  output logic [NUM_PORTS-1:0]       utmi_txvalid,
  input  wire  [NUM_PORTS-1:0]       utmi_txready,
  input  wire  [NUM_PORTS*8-1:0]     utmi_data_in,
  input  wire  [NUM_PORTS-1:0]       utmi_rxvalid,
  input  wire  [NUM_PORTS-1:0]       utmi_rxactive,
  input  wire  [NUM_PORTS-1:0]       utmi_rxerror,
  input  wire  [NUM_PORTS*2-1:0]     utmi_linestate,
  output logic [NUM_PORTS*2-1:0]     utmi_xcvrselect,
  output logic [NUM_PORTS-1:0]       utmi_termselect,
  output logic [NUM_PORTS*2-1:0]     utmi_opmode,
  output logic [NUM_PORTS*2-1:0]     utmi_line_ctrl,
  // line pins (sim_attach_line = 1)
  input  wire  [NUM_PORTS-1:0]       usb_dp_i,
  input  wire  [NUM_PORTS-1:0]       usb_dm_i,
  output logic [NUM_PORTS-1:0]       usb_dp_o,
  output logic [NUM_PORTS-1:0]       usb_dm_o,
  output logic [NUM_PORTS-1:0]       usb_oe,
  output logic [NUM_PORTS-1:0]       usb_pulldown
);

  logic [NUM_PORTS-1:0]   c_txready, c_rxvalid, c_rxactive, c_rxerror;
  logic [NUM_PORTS*8-1:0] c_data_in;
  logic [NUM_PORTS*2-1:0] c_linestate;
  logic [NUM_PORTS-1:0]   f_txready, f_rxvalid, f_rxactive, f_rxerror;
  logic [NUM_PORTS*8-1:0] f_data_in;
  logic [NUM_PORTS*2-1:0] f_linestate;

  assign c_txready   = sim_attach_line ? f_txready : utmi_txready;
  assign c_rxvalid   = sim_attach_line ? f_rxvalid : utmi_rxvalid;
  assign c_rxactive  = sim_attach_line ? f_rxactive : utmi_rxactive;
  assign c_rxerror   = sim_attach_line ? f_rxerror : utmi_rxerror;
  assign c_data_in   = sim_attach_line ? f_data_in : utmi_data_in;
  assign c_linestate = sim_attach_line ? f_linestate : utmi_linestate;

  kite_axi_top #(
    .ADDR_WIDTH(ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ID_WIDTH(ID_WIDTH),
    .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH), .NUM_PORTS(NUM_PORTS), .MAX_BURST_BEATS(MAX_BURST_BEATS),
    .DMA_BUF_BYTES(DMA_BUF_BYTES), .NUM_CTX(NUM_CTX), .PKT_BUF_BYTES(PKT_BUF_BYTES),
    .BUS_CLK_HZ(BUS_CLK_HZ), .USB_CLK_HZ(USB_CLK_HZ), .ONCHIP_PHY(1'b1), .SELF_TEST(SELF_TEST)
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
    .utmi_data_out(utmi_data_out), .utmi_txvalid(utmi_txvalid), .utmi_txready(c_txready),
    .utmi_data_in(c_data_in), .utmi_rxvalid(c_rxvalid), .utmi_rxactive(c_rxactive),
    .utmi_rxerror(c_rxerror), .utmi_linestate(c_linestate),
    .utmi_xcvrselect(utmi_xcvrselect), .utmi_termselect(utmi_termselect),
    .utmi_opmode(utmi_opmode), .utmi_line_ctrl(utmi_line_ctrl)
  );

  for (genvar p = 0; p < NUM_PORTS; p++) begin : g_phy
    kite_fs_phy #(.USB_CLK_HZ(USB_CLK_HZ)) u_phy (
      .usb_clk(usb_clk), .usb_rst(usb_rst),
      .utmi_data_out(utmi_data_out[8*p +: 8]), .utmi_txvalid(utmi_txvalid[p]),
      .utmi_txready(f_txready[p]), .utmi_data_in(f_data_in[8*p +: 8]),
      .utmi_rxvalid(f_rxvalid[p]), .utmi_rxactive(f_rxactive[p]), .utmi_rxerror(f_rxerror[p]),
      .utmi_linestate(f_linestate[2*p +: 2]), .utmi_xcvrselect(utmi_xcvrselect[2*p +: 2]),
      .utmi_termselect(utmi_termselect[p]), .utmi_opmode(utmi_opmode[2*p +: 2]),
      .utmi_line_ctrl(utmi_line_ctrl[2*p +: 2]),
      .usb_dp_i(usb_dp_i[p]), .usb_dm_i(usb_dm_i[p]), .usb_dp_o(usb_dp_o[p]),
      .usb_dm_o(usb_dm_o[p]), .usb_oe(usb_oe[p]), .usb_pulldown(usb_pulldown[p]),
      .quiet(phy_quiet[p])
    );
  end

endmodule : kite_sim_top

`default_nettype wire
