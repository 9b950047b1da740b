// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_axi_top: the kite USB 2.0 host controller for AXI systems (Zynq-style): an AXI4-Lite
// slave for the registers, a full AXI4 master for DMA, one level interrupt.
//
// kite_axil_regs (AXI4-Lite adapter) in front of kite_core, which holds the register file,
// the host engine with its DMA port (the AXI4 master, ID 1; the DMA self-test runs through
// it), the clock-domain crossings and the USB engine (usb_clk). The root ports leave
// as UTMI+ bundles (an external ULPI/UTMI PHY, or kite_fs_phy instances next to this top).
// kite_wb_top is the same core behind Wishbone.

`default_nettype none

module kite_axi_top #(
  parameter int unsigned ADDR_WIDTH = 64,      // AXI4 master address width: 32 or 64
  parameter int unsigned DATA_WIDTH = 64,      // AXI4 master data width: 32, 64 or 128
  parameter int unsigned ID_WIDTH = 4,         // AXI4 master ID width: 1..16
  parameter int unsigned AXIL_ADDR_WIDTH = 12, // AXI4-Lite slave address width: 12..64
  parameter int unsigned NUM_PORTS = 1,        // root hub ports, 1..15 (reported in CAP)
  parameter int unsigned MAX_BURST_BEATS = 16, // longest DMA burst: power of 2, 1..256
  parameter int unsigned DMA_BUF_BYTES = 512,  // self-test chunk buffer, power of 2, 16..2048
  parameter int unsigned NUM_CTX = 16,         // endpoint contexts, 1..64 (CAP_HOST.NUM_CTX)
  parameter int unsigned PKT_BUF_BYTES = 1024, // packet buffer, power of 2, 1024..4096
  parameter int unsigned BUS_CLK_HZ = 100000000,  // clk frequency (interrupt moderation)
  parameter int unsigned USB_CLK_HZ = 48000000,   // usb_clk frequency
  parameter bit ONCHIP_PHY = 1'b0,             // CAP_HOST.ONCHIP_PHY (kite_fs_phy beside it)
  parameter bit SELF_TEST = 1'b1               // DMA self-test present (CAP.DMA_TEST)
) (
  input  wire                        clk,
  input  wire                        rst,   // synchronous, active high
  input  wire                        usb_clk,
  input  wire                        usb_rst,  // synchronous to usb_clk, active high

  // AXI4-Lite slave: registers
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

  // AXI4 master: DMA
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

  output logic                       irq,   // level, active high
  output logic                       busy,  // DMA work in flight, host engine busy or RUN = 1
  output logic                       quiet, // nothing in flight in either clock domain (kite_core)

  // root ports (usb_clk domain), packed: port n at [n*8 +: 8], [n*2 +: 2], [n]
  input  wire  [NUM_PORTS-1:0]       port_oc_in,
  output logic [NUM_PORTS-1:0]       port_vbus_en,
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
  output logic [NUM_PORTS*2-1:0]     utmi_line_ctrl
);

  // ------------------------------------------------------------------ parameter checks
  // (the submodules check the rest of their parameters)
  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_axi_top: NUM_PORTS must be 1..15");
  end
  if (MAX_BURST_BEATS < 1 || MAX_BURST_BEATS > 256) begin : g_bad_mb
    $error("kite_axi_top: MAX_BURST_BEATS must be 1..256");
  end

  logic        reg_wr_en, reg_rd_en, reg_rd_hold;
  logic [11:0] reg_wr_addr, reg_rd_addr;
  logic [31:0] reg_wr_data, reg_rd_data;
  logic [3:0]  reg_wr_strb;

  kite_axil_regs #(.AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH)) u_axil (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(s_axil_awaddr), .s_axil_awprot(s_axil_awprot),
    .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr),
    .s_axil_arprot(s_axil_arprot), .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
    .reg_wr_en(reg_wr_en), .reg_wr_addr(reg_wr_addr), .reg_wr_data(reg_wr_data),
    .reg_wr_strb(reg_wr_strb), .reg_rd_en(reg_rd_en), .reg_rd_addr(reg_rd_addr),
    .reg_rd_data(reg_rd_data), .reg_rd_hold(reg_rd_hold)
  );

  kite_core #(
    .ADDR_WIDTH(ADDR_WIDTH), .DATA_WIDTH(DATA_WIDTH), .ID_WIDTH(ID_WIDTH),
    .NUM_PORTS(NUM_PORTS), .NUM_CTX(NUM_CTX), .MAX_BURST_BEATS(MAX_BURST_BEATS),
    .DMA_BUF_BYTES(DMA_BUF_BYTES), .PKT_BUF_BYTES(PKT_BUF_BYTES), .BUS_CLK_HZ(BUS_CLK_HZ),
    .USB_CLK_HZ(USB_CLK_HZ), .ONCHIP_PHY(ONCHIP_PHY), .SELF_TEST(SELF_TEST)
  ) u_core (
    .clk(clk), .rst(rst), .usb_clk(usb_clk), .usb_rst(usb_rst),
    .reg_wr_en(reg_wr_en), .reg_wr_addr(reg_wr_addr), .reg_wr_data(reg_wr_data),
    .reg_wr_strb(reg_wr_strb), .reg_rd_en(reg_rd_en), .reg_rd_hold(reg_rd_hold),
    .reg_rd_addr(reg_rd_addr), .reg_rd_data(reg_rd_data),
    .m_axi_awid(m_axi_awid), .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen),
    .m_axi_awsize(m_axi_awsize), .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
    .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready),
    .m_axi_arid(m_axi_arid), .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen),
    .m_axi_arsize(m_axi_arsize), .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready), .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
    .irq(irq), .busy(busy), .quiet(quiet),
    .port_oc_in(port_oc_in), .port_vbus_en(port_vbus_en),
    .utmi_data_out(utmi_data_out), .utmi_txvalid(utmi_txvalid), .utmi_txready(utmi_txready),
    .utmi_data_in(utmi_data_in), .utmi_rxvalid(utmi_rxvalid), .utmi_rxactive(utmi_rxactive),
    .utmi_rxerror(utmi_rxerror), .utmi_linestate(utmi_linestate),
    .utmi_xcvrselect(utmi_xcvrselect), .utmi_termselect(utmi_termselect),
    .utmi_opmode(utmi_opmode), .utmi_line_ctrl(utmi_line_ctrl)
  );

  // fixed AXI attributes: INCR bursts, normal non-cacheable bufferable, unprivileged secure
  assign m_axi_awburst = 2'b01;
  assign m_axi_arburst = 2'b01;
  assign m_axi_awlock  = 1'b0;
  assign m_axi_arlock  = 1'b0;
  assign m_axi_awcache = 4'b0011;
  assign m_axi_arcache = 4'b0011;
  assign m_axi_awprot  = 3'b000;
  assign m_axi_arprot  = 3'b000;

  // one burst per direction in flight: responses need no ID matching
  logic unused_ok;
  assign unused_ok = ^{m_axi_bid, m_axi_rid};

endmodule : kite_axi_top

`default_nettype wire
