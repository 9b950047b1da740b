// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_axil_regs: AXI4-Lite slave in front of the bus-agnostic register port of kite_regs.
//
// 32-bit data, one transaction of each direction in flight. AW and W may arrive in any order
// or together; the write is performed once both were accepted (one cycle wr_en). Only the low
// 12 address bits are decoded (the 4 KiB block repeats above). Every access gets OKAY: unmapped
// offsets read 0 and ignore writes (friendlier to a probing driver than SLVERR).

`default_nettype none

module kite_axil_regs #(
  parameter int unsigned AXIL_ADDR_WIDTH = 12  // s_axil address width, 12..64 bits
) (
  input  wire                        clk,
  input  wire                        rst,

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

  // register port (to kite_regs via kite_core)
  output logic                       reg_wr_en,
  output logic [11:0]                reg_wr_addr,
  output logic [31:0]                reg_wr_data,
  output logic [3:0]                 reg_wr_strb,
  output logic                       reg_rd_en,    // AR handshake: the register port samples
  output logic [11:0]                reg_rd_addr,
  input  wire  [31:0]                reg_rd_data,  // the cycle after reg_rd_en, held until the next
  output logic                       reg_rd_hold   // the read data is still on R (not yet taken)
);

  if (AXIL_ADDR_WIDTH < 12 || AXIL_ADDR_WIDTH > 64) begin : g_bad_aw
    $error("kite_axil_regs: AXIL_ADDR_WIDTH must be 12..64");
  end

  logic        aw_have_q, aw_have_d;
  logic [11:0] aw_addr_q, aw_addr_d;
  logic        w_have_q, w_have_d;
  logic [31:0] w_data_q, w_data_d;
  logic [3:0]  w_strb_q, w_strb_d;
  logic        bvalid_q, bvalid_d;
  logic        rvalid_q, rvalid_d;

  assign s_axil_awready = !aw_have_q && !bvalid_q;
  assign s_axil_wready  = !w_have_q && !bvalid_q;
  assign s_axil_bvalid  = bvalid_q;
  assign s_axil_bresp   = 2'b00;
  assign s_axil_arready = !rvalid_q;
  assign s_axil_rvalid  = rvalid_q;
  assign s_axil_rdata   = reg_rd_data;
  assign s_axil_rresp   = 2'b00;

  assign reg_wr_en   = aw_have_q && w_have_q;
  assign reg_wr_addr = {aw_addr_q[11:2], 2'b00};
  assign reg_wr_data = w_data_q;
  assign reg_wr_strb = w_strb_q;
  assign reg_rd_en   = s_axil_arvalid && s_axil_arready;
  assign reg_rd_addr = {s_axil_araddr[11:2], 2'b00};
  assign reg_rd_hold = rvalid_q;

  always_comb begin
    aw_have_d = aw_have_q;
    aw_addr_d = aw_addr_q;
    w_have_d  = w_have_q;
    w_data_d  = w_data_q;
    w_strb_d  = w_strb_q;
    bvalid_d  = bvalid_q;
    if (s_axil_awvalid && s_axil_awready) begin
      aw_have_d = 1'b1;
      aw_addr_d = s_axil_awaddr[11:0];
    end
    if (s_axil_wvalid && s_axil_wready) begin
      w_have_d = 1'b1;
      w_data_d = s_axil_wdata;
      w_strb_d = s_axil_wstrb;
    end
    if (reg_wr_en) begin
      aw_have_d = 1'b0;
      w_have_d  = 1'b0;
      bvalid_d  = 1'b1;
    end
    if (bvalid_q && s_axil_bready) bvalid_d = 1'b0;
    rvalid_d = rvalid_q;
    if (reg_rd_en) begin
      rvalid_d = 1'b1;
    end else if (rvalid_q && s_axil_rready) begin
      rvalid_d = 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      aw_have_q <= 1'b0;
      aw_addr_q <= '0;
      w_have_q  <= 1'b0;
      w_data_q  <= '0;
      w_strb_q  <= '0;
      bvalid_q  <= 1'b0;
      rvalid_q  <= 1'b0;
    end else begin
      aw_have_q <= aw_have_d;
      aw_addr_q <= aw_addr_d;
      w_have_q  <= w_have_d;
      w_data_q  <= w_data_d;
      w_strb_q  <= w_strb_d;
      bvalid_q  <= bvalid_d;
      rvalid_q  <= rvalid_d;
    end
  end

  // AXPROT carries no meaning for this block; address bits above 11 are not decoded.
  logic unused_ok;
  assign unused_ok = ^{s_axil_awprot, s_axil_arprot, s_axil_awaddr, s_axil_araddr};

endmodule : kite_axil_regs

`default_nettype wire
