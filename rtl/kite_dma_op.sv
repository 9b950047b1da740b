// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_dma_op: the DMA self-test as an operation of the host engine's DMA port. It has no bus
// master of its own: it cuts the operation into chunks and moves each one as byte-serial
// requests through kite_hdma, which kite_core shares with kite_xfer per request (so the host
// engine gets a turn between any two chunks).
//
// Operations (kite_regs_pkg::KITE_DMATEST_CTRL_OP_*):
//   COPY  per chunk: read it from src into the chunk buffer, then write it from there to dst
//   FILL  write len bytes of the pattern (seed + i * step) mod 256 to dst
//   READ  read len bytes at src
// Any 32-bit length, any byte alignment (kite_hdma realigns). CRC-32 (IEEE 802.3, reflected,
// init and final XOR 0xFFFFFFFF, equal to zlib crc32()), one byte per cycle, over the bytes read
// (COPY, READ) or written (FILL).
//
// Chunks are at most BUF_BYTES long and end at a BUF_BYTES boundary of the source (COPY,
// READ) or destination (FILL) address, so that after the first one the reads are whole bus
// words. DONE_BYTES advances per completed chunk (written for COPY and FILL, read for READ).
//
// Errors: an error response ends the test after kite_hdma finished the burst it belongs to
// (ERR_CODE RD_/WR_ SLVERR/DECERR). OP 3 ends with ERR_CODE 5 and an address whose bits at or
// above ADDR_WIDTH are set for the first or the last byte (of a side the OP uses) with
// ERR_CODE 6, both without bus traffic. START while busy is ignored (kite_regs does not even
// pass it on).

`default_nettype none

module kite_dma_op #(
  parameter int unsigned ADDR_WIDTH = 64,  // bus address bits, 32 or 64 (ERR_CODE 6 beyond)
  parameter int unsigned BUF_BYTES = 512   // chunk buffer (COPY): power of 2, 16..2048
) (
  input  wire                 clk,
  input  wire                 rst,             // synchronous, active high

  // control (kite_regs DMATEST_*)
  input  wire                 start_i,         // pulse; not given while busy
  input  wire  [1:0]          op_i,
  input  wire  [63:0]         src_i,
  input  wire  [63:0]         dst_i,
  input  wire  [31:0]         len_i,
  input  wire  [7:0]          seed_i,
  input  wire  [7:0]          step_i,
  // status (kite_regs DMATEST_*)
  output logic                busy_o,
  output logic                done_o,
  output logic                error_o,
  output logic [3:0]          err_code_o,
  output logic [31:0]         crc_o,
  output logic [31:0]         done_bytes_o,
  output logic [31:0]         cycles_o,
  output logic                done_evt_o,      // pulse: ended without error
  output logic                error_evt_o,     // pulse: ended with an error

  // requests to kite_hdma (through kite_core's request mux; see kite_hdma for the protocol)
  output logic                dma_req_valid,
  input  wire                 dma_req_ready,
  output logic                dma_req_write,
  output logic [63:0]         dma_req_addr,
  output logic [11:0]         dma_req_len,
  input  wire                 dma_done,
  input  wire                 dma_err,
  input  wire                 dma_err_dec,
  input  wire                 dma_rd_valid,
  input  wire  [7:0]          dma_rd_data,
  input  wire  [11:0]         dma_rd_idx,
  input  wire  [11:0]         dma_wr_idx,
  input  wire  [11:0]         dma_wr_idx_next,
  output logic [7:0]          dma_wr_data
);

  if (ADDR_WIDTH != 32 && ADDR_WIDTH != 64) begin : g_bad_aw
    $error("kite_dma_op: ADDR_WIDTH must be 32 or 64");
  end
  // a chunk is one kite_hdma request, whose length is at most 2048
  if (BUF_BYTES < 16 || BUF_BYTES > 2048 || (BUF_BYTES & (BUF_BYTES - 1)) != 0) begin : g_bad_buf
    $error("kite_dma_op: BUF_BYTES must be a power of 2, 16..2048");
  end

  localparam int unsigned CB = $clog2(BUF_BYTES);  // buffer index bits
  localparam logic [1:0] OP_COPY = kite_regs_pkg::KITE_DMATEST_CTRL_OP_COPY;
  localparam logic [1:0] OP_FILL = kite_regs_pkg::KITE_DMATEST_CTRL_OP_FILL;
  localparam logic [1:0] OP_READ = kite_regs_pkg::KITE_DMATEST_CTRL_OP_READ;
  localparam logic [3:0] ERR_RD_SLVERR = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_RD_SLVERR;
  localparam logic [3:0] ERR_RD_DECERR = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_RD_DECERR;
  localparam logic [3:0] ERR_WR_SLVERR = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_WR_SLVERR;
  localparam logic [3:0] ERR_WR_DECERR = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_WR_DECERR;
  localparam logic [3:0] ERR_BAD_OP = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_BAD_OP;
  localparam logic [3:0] ERR_BAD_ADDR = kite_regs_pkg::KITE_DMATEST_STATUS_ERR_CODE_BAD_ADDR;

  typedef enum logic [3:0] {
    S_IDLE, S_CHECK_SRC, S_CHECK_DST, S_CHUNK, S_RD_REQ, S_RD_WAIT, S_WR_REQ, S_WR_WAIT,
    S_NEXT, S_FINISH
  } state_e;

  state_e       state_q, state_d;
  logic [1:0]   op_q, op_d;
  logic [63:0]  src_q, src_d;
  logic [63:0]  dst_q, dst_d;
  logic [31:0]  rem_q, rem_d;          // bytes left, including the current chunk
  logic [CB:0]  chunk_q, chunk_d;      // bytes of the current chunk, 1..BUF_BYTES
  logic [7:0]   fill_q, fill_d;        // FILL: the pattern byte kite_hdma takes next
  logic [7:0]   step_q, step_d;
  logic         done_q, done_d;
  logic         error_q, error_d;
  logic [3:0]   err_code_q, err_code_d;
  logic [31:0]  done_bytes_q, done_bytes_d;
  logic [31:0]  cycles_q, cycles_d;
  logic         done_evt_q, done_evt_d;
  logic         error_evt_q, error_evt_d;
  logic [31:0]  crc_q, crc_d;

  // one byte of the reflected CRC-32, unrolled
  function automatic logic [31:0] crc_byte(input logic [31:0] crc_in, input logic [7:0] data);
    logic [31:0] c;
    c = crc_in;
    for (int b = 0; b < 8; b++) begin
      c = (c >> 1) ^ ((c[0] ^ data[b]) ? 32'hEDB88320 : 32'h0);
    end
    crc_byte = c;
  endfunction

  // ------------------------------------------------------------------ shared arithmetic
  // One adder gives both the checked end address (base + len - 1) and the request address
  // (base + done_bytes); one subtractor gives len - 1 and the bytes left after a chunk.
  logic          uses_src, uses_dst, checking, sel_dst;
  logic [63:0]   base;
  logic [31:0]   rem_sub, addend;
  logic [64:0]   sum;
  logic          addr_bad;
  logic [CB:0]   lim, chunk_new;

  assign uses_src = (op_q == OP_COPY) || (op_q == OP_READ);
  assign uses_dst = (op_q == OP_COPY) || (op_q == OP_FILL);
  assign checking = (state_q == S_CHECK_SRC) || (state_q == S_CHECK_DST);
  assign sel_dst  = (state_q == S_CHECK_DST) || (state_q == S_WR_REQ) ||
                    (state_q == S_CHUNK && op_q == OP_FILL);
  assign base     = sel_dst ? dst_q : src_q;
  assign rem_sub  = rem_q - (checking ? 32'd1 : 32'(chunk_q));
  assign addend   = checking ? rem_sub : done_bytes_q;
  assign sum      = {1'b0, base} + {33'd0, addend};
  // first or last byte beyond ADDR_WIDTH (the 65th bit catches a wrap beyond 2^64)
  assign addr_bad = (base >> ADDR_WIDTH) != '0 || (sum >> ADDR_WIDTH) != '0;

  // chunk: up to the next BUF_BYTES boundary of the side that leads (sum = base + done_bytes)
  assign lim       = (CB + 1)'(BUF_BYTES) - (CB + 1)'(sum[CB-1:0]);
  assign chunk_new = (rem_q < 32'(lim)) ? rem_q[CB:0] : lim;

  // ------------------------------------------------------------------ chunk buffer
  // byte wide, registered read addressed with wr_idx_next (one block RAM)
  logic [7:0] buf_mem [BUF_BYTES];
  logic [7:0] buf_rd_q;
  logic       buf_we;

  assign buf_we = (state_q == S_RD_WAIT) && dma_rd_valid && (op_q == OP_COPY);

  always_ff @(posedge clk) begin
    if (buf_we) begin
      buf_mem[dma_rd_idx[CB-1:0]] <= dma_rd_data;
    end
    buf_rd_q <= buf_mem[dma_wr_idx_next[CB-1:0]];
  end

  // ------------------------------------------------------------------ requests
  logic       wr_take;      // kite_hdma took the byte at wr_idx (its index moves on only then)
  logic       crc_en;       // a byte for the CRC: read (COPY, READ) or taken (FILL)
  logic [7:0] crc_in;
  logic [3:0] dma_err_code; // ERR_CODE of an error ending the request in flight

  assign wr_take       = (state_q == S_WR_WAIT) && (dma_wr_idx_next != dma_wr_idx);
  assign crc_en        = ((state_q == S_RD_WAIT) && dma_rd_valid) ||
                         (wr_take && op_q == OP_FILL);
  assign crc_in        = (state_q == S_RD_WAIT) ? dma_rd_data : fill_q;
  assign dma_err_code  = (state_q == S_WR_WAIT) ? (dma_err_dec ? ERR_WR_DECERR : ERR_WR_SLVERR)
                                                : (dma_err_dec ? ERR_RD_DECERR : ERR_RD_SLVERR);
  assign dma_req_valid = (state_q == S_RD_REQ) || (state_q == S_WR_REQ);
  assign dma_req_write = (state_q == S_WR_REQ);
  assign dma_req_addr  = sum[63:0];
  assign dma_req_len   = 12'(chunk_q);
  assign dma_wr_data   = (op_q == OP_FILL) ? fill_q : buf_rd_q;

  // ------------------------------------------------------------------ control
  always_comb begin
    state_d      = state_q;
    op_d         = op_q;
    src_d        = src_q;
    dst_d        = dst_q;
    rem_d        = rem_q;
    chunk_d      = chunk_q;
    fill_d       = fill_q;
    step_d       = step_q;
    done_d       = done_q;
    error_d      = error_q;
    err_code_d   = err_code_q;
    done_bytes_d = done_bytes_q;
    cycles_d     = cycles_q;
    done_evt_d   = 1'b0;
    error_evt_d  = 1'b0;
    crc_d        = crc_q;
    if (crc_en) crc_d = crc_byte(crc_q, crc_in);  // (an if: not simulated when idle)

    if (state_q != S_IDLE && cycles_q != 32'hFFFF_FFFF) begin
      cycles_d = cycles_q + 1'b1;
    end
    if (wr_take) begin
      fill_d = fill_q + step_q;
    end

    unique case (state_q)
      S_IDLE: begin
        if (start_i) begin
          op_d         = op_i;
          src_d        = src_i;
          dst_d        = dst_i;
          rem_d        = len_i;
          fill_d       = seed_i;
          step_d       = step_i;
          done_d       = 1'b0;
          error_d      = 1'b0;
          err_code_d   = '0;
          done_bytes_d = '0;
          cycles_d     = 32'd1;
          crc_d        = 32'hFFFF_FFFF;
          state_d      = S_CHECK_SRC;
        end
      end
      S_CHECK_SRC: begin
        if (op_q == 2'd3) begin
          err_code_d = ERR_BAD_OP;
          state_d    = S_FINISH;
        end else if (rem_q == '0) begin
          state_d = S_FINISH;
        end else if (uses_src && addr_bad) begin
          err_code_d = ERR_BAD_ADDR;
          state_d    = S_FINISH;
        end else begin
          state_d = S_CHECK_DST;
        end
      end
      S_CHECK_DST: begin
        if (uses_dst && addr_bad) begin
          err_code_d = ERR_BAD_ADDR;
          state_d    = S_FINISH;
        end else begin
          state_d = S_CHUNK;
        end
      end
      S_CHUNK: begin
        chunk_d = chunk_new;
        state_d = (op_q == OP_FILL) ? S_WR_REQ : S_RD_REQ;
      end
      S_RD_REQ, S_WR_REQ: begin
        if (dma_req_ready) begin
          state_d = (state_q == S_RD_REQ) ? S_RD_WAIT : S_WR_WAIT;
        end
      end
      S_RD_WAIT, S_WR_WAIT: begin
        if (dma_done && dma_err) begin
          err_code_d = dma_err_code;
          state_d    = S_FINISH;
        end else if (dma_done) begin
          state_d = (state_q == S_RD_WAIT && op_q == OP_COPY) ? S_WR_REQ : S_NEXT;
        end
      end
      S_NEXT: begin
        rem_d        = rem_sub;
        done_bytes_d = done_bytes_q + 32'(chunk_q);
        state_d      = (rem_sub == '0) ? S_FINISH : S_CHUNK;
      end
      S_FINISH: begin
        done_d      = 1'b1;
        error_d     = (err_code_q != '0);
        done_evt_d  = (err_code_q == '0);
        error_evt_d = (err_code_q != '0);
        state_d     = S_IDLE;
      end
      default: state_d = S_IDLE;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      state_q      <= S_IDLE;
      op_q         <= '0;
      src_q        <= '0;
      dst_q        <= '0;
      rem_q        <= '0;
      chunk_q      <= '0;
      fill_q       <= '0;
      step_q       <= '0;
      done_q       <= 1'b0;
      error_q      <= 1'b0;
      err_code_q   <= '0;
      done_bytes_q <= '0;
      cycles_q     <= '0;
      done_evt_q   <= 1'b0;
      error_evt_q  <= 1'b0;
      crc_q        <= 32'hFFFF_FFFF;
    end else begin
      state_q      <= state_d;
      op_q         <= op_d;
      src_q        <= src_d;
      dst_q        <= dst_d;
      rem_q        <= rem_d;
      chunk_q      <= chunk_d;
      fill_q       <= fill_d;
      step_q       <= step_d;
      done_q       <= done_d;
      error_q      <= error_d;
      err_code_q   <= err_code_d;
      done_bytes_q <= done_bytes_d;
      cycles_q     <= cycles_d;
      done_evt_q   <= done_evt_d;
      error_evt_q  <= error_evt_d;
      crc_q        <= crc_d;
    end
  end

  assign busy_o       = (state_q != S_IDLE);
  assign done_o       = done_q;
  assign error_o      = error_q;
  assign err_code_o   = err_code_q;
  assign crc_o        = ~crc_q;
  assign done_bytes_o = done_bytes_q;
  assign cycles_o     = cycles_q;
  assign done_evt_o   = done_evt_q;
  assign error_evt_o  = error_evt_q;

  // buffer indices beyond the chunk buffer
  logic unused_ok;
  assign unused_ok = ^{dma_rd_idx[11:CB]};

endmodule : kite_dma_op

`default_nettype wire
