// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_axi_top: the kite USB 2.0 host controller for AXI systems (Zynq-style): an AXI4-Lite
// slave for the registers, a full AXI4 master for DMA, one level interrupt.
//
// Today it holds the register block (kite_axil_regs) and the DMA self-test engine
// (kite_dma_test). The USB host engine (kite_core) will join later, sharing the AXI4 master with
// the self-test engine through an arbiter; a Wishbone top (kite_wb_top) will wrap the same
// blocks behind Wishbone bridges. Keep bus-specific logic here and in the *_regs / bridge
// modules so that the cores stay bus-agnostic.

`default_nettype none

module kite_axi_top #(
  parameter int unsigned ADDR_WIDTH = 64,      // AXI4 master address width: 32 or 64
  parameter int unsigned DATA_WIDTH = 64,      // AXI4 master data width: 32, 64 or 128
  parameter int unsigned ID_WIDTH = 4,         // AXI4 master ID width: 1..16
  parameter int unsigned AXIL_ADDR_WIDTH = 12, // AXI4-Lite slave address width: 12..64
  parameter int unsigned NUM_PORTS = 1,        // root hub ports, 1..15 (reported in CAP)
  parameter int unsigned MAX_BURST_BEATS = 16, // longest DMA burst: power of 2, 1..256
  parameter int unsigned DMA_BUF_BYTES = 512   // self-test realignment buffer, power of 2
) (
  input  wire                        clk,
  input  wire                        rst,   // synchronous, active high

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
  output logic                       busy   // DMA work in flight
);

  // ------------------------------------------------------------------ parameter checks
  // (the submodules check the rest of their parameters)
  if (NUM_PORTS < 1 || NUM_PORTS > 15) begin : g_bad_np
    $error("kite_axi_top: NUM_PORTS must be 1..15");
  end
  if (MAX_BURST_BEATS < 1 || MAX_BURST_BEATS > 256) begin : g_bad_mb
    $error("kite_axi_top: MAX_BURST_BEATS must be 1..256");
  end

  logic        dt_start, dt_busy, dt_done, dt_error, dt_done_evt, dt_error_evt;
  logic [1:0]  dt_op;
  logic [63:0] dt_src, dt_dst;
  logic [31:0] dt_len, dt_crc, dt_done_bytes, dt_cycles;
  logic [7:0]  dt_seed, dt_step;
  logic [3:0]  dt_err_code;

  kite_axil_regs #(
    .AXIL_ADDR_WIDTH    (AXIL_ADDR_WIDTH),
    .CAP_ADDR_WIDTH     (ADDR_WIDTH),
    .CAP_DATA_BYTES_LOG2($clog2(DATA_WIDTH / 8)),
    .CAP_NUM_PORTS      (NUM_PORTS),
    .CAP_DMA_TEST       (1'b1),
    .CAP_MAX_BURST_LOG2 ($clog2(MAX_BURST_BEATS))
  ) u_regs (
    .clk                 (clk),
    .rst                 (rst),
    .s_axil_awaddr       (s_axil_awaddr),
    .s_axil_awprot       (s_axil_awprot),
    .s_axil_awvalid      (s_axil_awvalid),
    .s_axil_awready      (s_axil_awready),
    .s_axil_wdata        (s_axil_wdata),
    .s_axil_wstrb        (s_axil_wstrb),
    .s_axil_wvalid       (s_axil_wvalid),
    .s_axil_wready       (s_axil_wready),
    .s_axil_bresp        (s_axil_bresp),
    .s_axil_bvalid       (s_axil_bvalid),
    .s_axil_bready       (s_axil_bready),
    .s_axil_araddr       (s_axil_araddr),
    .s_axil_arprot       (s_axil_arprot),
    .s_axil_arvalid      (s_axil_arvalid),
    .s_axil_arready      (s_axil_arready),
    .s_axil_rdata        (s_axil_rdata),
    .s_axil_rresp        (s_axil_rresp),
    .s_axil_rvalid       (s_axil_rvalid),
    .s_axil_rready       (s_axil_rready),
    .dmatest_start_o     (dt_start),
    .dmatest_op_o        (dt_op),
    .dmatest_src_o       (dt_src),
    .dmatest_dst_o       (dt_dst),
    .dmatest_len_o       (dt_len),
    .dmatest_seed_o      (dt_seed),
    .dmatest_step_o      (dt_step),
    .dmatest_busy_i      (dt_busy),
    .dmatest_done_i      (dt_done),
    .dmatest_error_i     (dt_error),
    .dmatest_err_code_i  (dt_err_code),
    .dmatest_crc_i       (dt_crc),
    .dmatest_done_bytes_i(dt_done_bytes),
    .dmatest_cycles_i    (dt_cycles),
    .dmatest_done_evt_i  (dt_done_evt),
    .dmatest_error_evt_i (dt_error_evt),
    .irq_o               (irq)
  );

  kite_dma_test #(
    .ADDR_WIDTH     (ADDR_WIDTH),
    .DATA_WIDTH     (DATA_WIDTH),
    .ID_WIDTH       (ID_WIDTH),
    .MAX_BURST_BEATS(MAX_BURST_BEATS),
    .BUF_BYTES      (DMA_BUF_BYTES)
  ) u_dma_test (
    .clk          (clk),
    .rst          (rst),
    .start_i      (dt_start),
    .op_i         (dt_op),
    .src_i        (dt_src),
    .dst_i        (dt_dst),
    .len_i        (dt_len),
    .seed_i       (dt_seed),
    .step_i       (dt_step),
    .busy_o       (dt_busy),
    .done_o       (dt_done),
    .error_o      (dt_error),
    .err_code_o   (dt_err_code),
    .crc_o        (dt_crc),
    .done_bytes_o (dt_done_bytes),
    .cycles_o     (dt_cycles),
    .done_evt_o   (dt_done_evt),
    .error_evt_o  (dt_error_evt),
    .m_axi_awid   (m_axi_awid),
    .m_axi_awaddr (m_axi_awaddr),
    .m_axi_awlen  (m_axi_awlen),
    .m_axi_awsize (m_axi_awsize),
    .m_axi_awburst(m_axi_awburst),
    .m_axi_awlock (m_axi_awlock),
    .m_axi_awcache(m_axi_awcache),
    .m_axi_awprot (m_axi_awprot),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready),
    .m_axi_wdata  (m_axi_wdata),
    .m_axi_wstrb  (m_axi_wstrb),
    .m_axi_wlast  (m_axi_wlast),
    .m_axi_wvalid (m_axi_wvalid),
    .m_axi_wready (m_axi_wready),
    .m_axi_bid    (m_axi_bid),
    .m_axi_bresp  (m_axi_bresp),
    .m_axi_bvalid (m_axi_bvalid),
    .m_axi_bready (m_axi_bready),
    .m_axi_arid   (m_axi_arid),
    .m_axi_araddr (m_axi_araddr),
    .m_axi_arlen  (m_axi_arlen),
    .m_axi_arsize (m_axi_arsize),
    .m_axi_arburst(m_axi_arburst),
    .m_axi_arlock (m_axi_arlock),
    .m_axi_arcache(m_axi_arcache),
    .m_axi_arprot (m_axi_arprot),
    .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rid    (m_axi_rid),
    .m_axi_rdata  (m_axi_rdata),
    .m_axi_rresp  (m_axi_rresp),
    .m_axi_rlast  (m_axi_rlast),
    .m_axi_rvalid (m_axi_rvalid),
    .m_axi_rready (m_axi_rready)
  );

  assign busy = dt_busy;

endmodule : kite_axi_top

`default_nettype wire
