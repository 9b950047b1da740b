// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_cdc_fifo: asynchronous FIFO with Gray-coded pointers (Cummings style). First-word
// fall-through on the read side: rd_data is valid whenever !rd_empty, rd_en pops it.
// The memory has one write port (wr_clk) and one registered read port (rd_clk, with a clock
// enable), the pattern that infers block RAM (RAMB18/36, SB_RAM40_4K). Its output register is
// the head of the FIFO: a word is fetched into it when the head is empty or popped, so after
// the first word (one rd_clk of latency) the reader can pop every cycle. The fetched word was
// written at least two synchroniser cycles before and its slot is only freed when it is
// popped, so the writer never writes the address being read. Counts are conservative (the
// other side's pointer lags; rd_count is 0 until the head is fetched).

`default_nettype none

module kite_cdc_fifo #(
  parameter int unsigned WIDTH = 8,  // data bits, 1..128
  parameter int unsigned DEPTH = 16  // entries, power of 2, 4..4096
) (
  input  wire              wr_clk,
  input  wire              wr_rst,   // synchronous, active high (reset both sides together)
  input  wire              wr_en,    // ignored while wr_full
  input  wire  [WIDTH-1:0] wr_data,
  output logic             wr_full,
  output logic [$clog2(DEPTH):0] wr_count,  // entries in use as seen by the writer

  input  wire              rd_clk,
  input  wire              rd_rst,
  input  wire              rd_en,    // ignored while rd_empty
  output logic [WIDTH-1:0] rd_data,
  output logic             rd_empty,
  output logic [$clog2(DEPTH):0] rd_count   // entries available as seen by the reader
);


  if (WIDTH < 1 || WIDTH > 128) begin : g_bad_w
    $error("kite_cdc_fifo: WIDTH must be 1..128");
  end
  if (DEPTH < 4 || DEPTH > 4096 || (DEPTH & (DEPTH - 1)) != 0) begin : g_bad_d
    $error("kite_cdc_fifo: DEPTH must be a power of 2, 4..4096");
  end

  localparam int unsigned AW = $clog2(DEPTH);
  localparam int AWI = AW;  // signed copy for a loop bound

  function automatic logic [AW:0] bin2gray(input logic [AW:0] b);
    bin2gray = b ^ (b >> 1);
  endfunction
  function automatic logic [AW:0] gray2bin(input logic [AW:0] g);
    logic [AW:0] b;
    // bit i is the XOR of bits i and up: log2 shift steps (cheaper to simulate than a chain)
    b = g;
    for (int s = 1; s <= AWI; s = s * 2) b = b ^ (b >> s);
    gray2bin = b;
  endfunction

  logic [WIDTH-1:0] mem [DEPTH];
  logic [WIDTH-1:0] rd_q;   // the RAM's output register: no reset, only a clock enable

  // ---------------------------------------------------------------- write side
  logic [AW:0] wbin_q, wbin_d, wgray_q;
  logic [AW:0] rgray_w, rbin_w_q;
  logic        do_wr;

  // The other side's pointer is converted from Gray in a register of its own: one cycle
  // more of lag (the count only gets more conservative), and no XOR chain in front of the
  // count, the full flag and whatever decides on them.
  kite_cdc_sync #(.WIDTH(AW + 1)) u_r2w (
    .dst_clk(wr_clk), .dst_rst(wr_rst), .d(rgray_q), .q(rgray_w)
  );
  assign wr_count = wbin_q - rbin_w_q;
  assign wr_full  = wr_count == (AW + 1)'(DEPTH);
  assign do_wr    = wr_en && !wr_full;
  assign wbin_d   = wbin_q + (AW + 1)'(do_wr);

  always_ff @(posedge wr_clk) begin
    if (do_wr) mem[wbin_q[AW-1:0]] <= wr_data;
  end

  always_ff @(posedge wr_clk) begin
    if (wr_rst) begin
      wbin_q   <= '0;
      wgray_q  <= '0;
      rbin_w_q <= '0;
    end else begin
      wbin_q   <= wbin_d;
      wgray_q  <= bin2gray(wbin_d);
      rbin_w_q <= gray2bin(rgray_w);
    end
  end

  // ---------------------------------------------------------------- read side
  // rbin_q: the head word (popped words are freed); head_q: the head is in rd_q
  logic [AW:0] rbin_q, rbin_d, rgray_q;
  logic [AW:0] wgray_r, wbin_r_q, rfill;
  logic [AW-1:0] raddr;
  logic        do_rd, rd_ce, head_q, head_d;

  kite_cdc_sync #(.WIDTH(AW + 1)) u_w2r (
    .dst_clk(rd_clk), .dst_rst(rd_rst), .d(wgray_q), .q(wgray_r)
  );
  assign rfill    = wbin_r_q - rbin_q;            // written, not popped (the head included)
  assign rd_empty = !head_q;
  assign rd_count = head_q ? rfill : '0;
  assign do_rd    = rd_en && head_q;
  assign rbin_d   = rbin_q + (AW + 1)'(do_rd);
  // fetch the word after the head when the head is free or leaves now and that word exists
  assign raddr    = rbin_q[AW-1:0] + AW'(head_q);
  assign rd_ce    = (!head_q || do_rd) && rfill > (AW + 1)'(head_q);
  assign head_d   = rd_ce || (head_q && !do_rd);
  assign rd_data  = rd_q;

  always_ff @(posedge rd_clk) begin
    if (rd_ce) rd_q <= mem[raddr];
  end

  always_ff @(posedge rd_clk) begin
    if (rd_rst) begin
      rbin_q   <= '0;
      rgray_q  <= '0;
      head_q   <= 1'b0;
      wbin_r_q <= '0;
    end else begin
      rbin_q   <= rbin_d;
      rgray_q  <= bin2gray(rbin_d);
      head_q   <= head_d;
      wbin_r_q <= gray2bin(wgray_r);
    end
  end

endmodule : kite_cdc_fifo

`default_nettype wire
