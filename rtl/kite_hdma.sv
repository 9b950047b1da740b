// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_hdma: the host engine's memory port. Moves one byte-granular block between memory and
// a byte stream per request, through an AXI4 master (INCR, full-width beats, one burst in
// flight, bursts of at most MAX_BURST_BEATS that never cross a 4 KiB boundary).
//
// The stream side is byte serial: a read delivers bytes on rd_valid/rd_data/rd_idx (index from
// the start of the request, no back-pressure: R is stalled instead); a write asks for byte
// wr_idx and takes wr_data in the same cycle; wr_idx_next is the index it asks for in the next
// cycle, so that the source can be a RAM with a registered read (the packet buffer). One byte per cycle is far faster than a full-speed USB packet, and it makes
// any alignment of address and buffer free.
//
// An error response (SLVERR/DECERR) is remembered; the burst is completed on the bus and the
// request then ends with done + err. An address with bits at or above ADDR_WIDTH set ends the
// request with err and no bus traffic.

`default_nettype none

module kite_hdma #(
  parameter int unsigned ADDR_WIDTH = 64,      // AXI address bits, 32 or 64
  parameter int unsigned DATA_WIDTH = 64,      // AXI data bits, 32/64/128
  parameter int unsigned MAX_BURST_BEATS = 16  // longest burst, power of 2, 1..256
) (
  input  wire                      clk,
  input  wire                      rst,

  input  wire                      req_valid,   // accepted when idle (req_ready)
  output logic                     req_ready,
  input  wire                      req_write,
  input  wire  [63:0]              req_addr,
  input  wire  [11:0]              req_len,     // 1..2048 bytes (0 completes at once)
  output logic                     done,        // one-cycle pulse at the end of a request
  output logic                     err,         // with done: an error response or a bad address

  output logic                     rd_valid,
  output logic [7:0]               rd_data,
  output logic [11:0]              rd_idx,
  output logic [11:0]              wr_idx,
  output logic [11:0]              wr_idx_next,  // wr_idx of the next cycle
  input  wire  [7:0]               wr_data,

  output logic [ADDR_WIDTH-1:0]    m_awaddr,
  output logic [7:0]               m_awlen,
  output logic [2:0]               m_awsize,
  output logic                     m_awvalid,
  input  wire                      m_awready,
  output logic [DATA_WIDTH-1:0]    m_wdata,
  output logic [DATA_WIDTH/8-1:0]  m_wstrb,
  output logic                     m_wlast,
  output logic                     m_wvalid,
  input  wire                      m_wready,
  input  wire  [1:0]               m_bresp,
  input  wire                      m_bvalid,
  output logic                     m_bready,
  output logic [ADDR_WIDTH-1:0]    m_araddr,
  output logic [7:0]               m_arlen,
  output logic [2:0]               m_arsize,
  output logic                     m_arvalid,
  input  wire                      m_arready,
  input  wire  [DATA_WIDTH-1:0]    m_rdata,
  input  wire  [1:0]               m_rresp,
  input  wire                      m_rlast,
  input  wire                      m_rvalid,
  output logic                     m_rready
);

  if (ADDR_WIDTH != 32 && ADDR_WIDTH != 64) begin : g_bad_aw
    $error("kite_hdma: ADDR_WIDTH must be 32 or 64");
  end
  if (DATA_WIDTH != 32 && DATA_WIDTH != 64 && DATA_WIDTH != 128) begin : g_bad_dw
    $error("kite_hdma: DATA_WIDTH must be 32, 64 or 128");
  end
  if (MAX_BURST_BEATS < 1 || MAX_BURST_BEATS > 256 ||
      (MAX_BURST_BEATS & (MAX_BURST_BEATS - 1)) != 0) begin : g_bad_mb
    $error("kite_hdma: MAX_BURST_BEATS must be a power of 2, 1..256");
  end

  localparam int unsigned W = DATA_WIDTH / 8;
  localparam int unsigned WL = $clog2(W);
  localparam logic [63:0] WMASK = {56'd0, 8'(DATA_WIDTH / 8 - 1)};

  typedef enum logic [2:0] {
    S_IDLE, S_PLAN, S_AR, S_R, S_AW, S_W, S_B, S_END
  } state_t;

  state_t       st_q, st_d;
  logic         wr_q, wr_d;
  logic [63:0]  addr_q, addr_d;      // next byte address
  logic [12:0]  rem_q, rem_d;        // bytes left in the request
  logic [12:0]  chunk_q, chunk_d;    // bytes of the current burst
  logic [8:0]   beats_q, beats_d;    // beats of the current burst
  logic [8:0]   beat_q, beat_d;      // current beat
  logic [WL:0]  lane_q, lane_d;      // current byte lane within the beat
  logic [11:0]  idx_q, idx_d;        // stream index
  logic         err_q, err_d;
  logic         have_q, have_d;      // R beat held / W beat assembled
  logic [DATA_WIDTH-1:0] beat_data_q, beat_data_d;
  logic [1:0]   beat_resp_q, beat_resp_d;
  logic         beat_last_q, beat_last_d;
  logic [W-1:0] strb_q, strb_d;
  logic [12:0]  burst_off_q, burst_off_d;  // bytes of the burst already streamed

  // lanes of the current beat that belong to the burst
  logic [WL:0]  lane_lo, lane_hi;
  logic [12:0]  first_off;            // offset of the burst start within its first beat
  logic [12:0]  to4k, maxb, plan_chunk;
  logic [12:0]  plan_end;

  always_comb begin
    first_off = 13'(addr_q[WL-1:0]);
    to4k = 13'd4096 - 13'(addr_q[11:0]);
    maxb = 13'(MAX_BURST_BEATS * W) - first_off;
    plan_chunk = rem_q;
    if (to4k < plan_chunk) plan_chunk = to4k;
    if (maxb < plan_chunk) plan_chunk = maxb;
    plan_end = first_off + plan_chunk;
    // lane range of beat beat_q within the current burst (burst start = addr_q)
    lane_lo = (beat_q == 9'd0) ? (WL+1)'(addr_q[WL-1:0]) : '0;
    lane_hi = (WL+1)'(W - 1);
    if (beat_q == beats_q - 9'd1) begin
      lane_hi = (WL+1)'((13'(addr_q[WL-1:0]) + chunk_q - 13'd1) & 13'(W - 1));
    end
  end

  logic bad_addr;
  assign bad_addr = (ADDR_WIDTH < 64) &&
                    (|(req_addr >> ADDR_WIDTH) ||
                     |((req_addr + 64'(req_len) - 64'(req_len != 0)) >> ADDR_WIDTH));

  always_comb begin
    st_d = st_q;
    wr_d = wr_q;
    addr_d = addr_q;
    rem_d = rem_q;
    chunk_d = chunk_q;
    beats_d = beats_q;
    beat_d = beat_q;
    lane_d = lane_q;
    idx_d = idx_q;
    err_d = err_q;
    have_d = have_q;
    beat_data_d = beat_data_q;
    beat_resp_d = beat_resp_q;
    beat_last_d = beat_last_q;
    strb_d = strb_q;
    burst_off_d = burst_off_q;
    done = 1'b0;
    err = 1'b0;
    rd_valid = 1'b0;
    rd_data = beat_data_q[8*lane_q[WL-1:0] +: 8];
    rd_idx = idx_q;
    wr_idx = idx_q;
    wr_idx_next = idx_d;
    req_ready = st_q == S_IDLE;
    m_rready = 1'b0;

    unique case (st_q)
      S_IDLE: begin
        if (req_valid) begin
          wr_d = req_write;
          addr_d = req_addr;
          rem_d = 13'(req_len);
          idx_d = '0;
          err_d = bad_addr;
          st_d = (bad_addr || req_len == 0) ? S_END : S_PLAN;
        end
      end
      S_PLAN: begin
        chunk_d = plan_chunk;
        beats_d = 9'((plan_end + 13'(W - 1)) >> WL);
        beat_d = '0;
        have_d = 1'b0;
        burst_off_d = '0;
        st_d = wr_q ? S_AW : S_AR;
      end
      S_AR: if (m_arready) st_d = S_R;
      S_R: begin
        if (!have_q) begin
          m_rready = 1'b1;
          if (m_rvalid) begin
            have_d = 1'b1;
            beat_data_d = m_rdata;
            beat_resp_d = m_rresp;
            beat_last_d = m_rlast;
            lane_d = lane_lo;
            if (m_rresp[1]) err_d = 1'b1;
          end
        end else begin
          // stream the lanes of this beat that belong to the request
          if (!err_q) begin
            rd_valid = 1'b1;
          end
          idx_d = idx_q + 12'd1;
          lane_d = lane_q + 1'b1;
          if (lane_q == lane_hi) begin
            have_d = 1'b0;
            beat_d = beat_q + 9'd1;
            if (beat_q == beats_q - 9'd1 || beat_last_q) begin
              // burst complete (count beats; RLAST is trusted only as an extra stop)
              addr_d = addr_q + 64'(chunk_q);
              rem_d = rem_q - chunk_q;
              st_d = (err_q || rem_q == chunk_q) ? S_END : S_PLAN;
              if (beat_last_q != (beat_q == beats_q - 9'd1)) err_d = 1'b1;
            end
          end
        end
      end
      S_AW: if (m_awready) begin
        st_d = S_W;
        lane_d = lane_lo;
        strb_d = '0;
        have_d = 1'b0;
      end
      S_W: begin
        if (!have_q) begin
          beat_data_d[8*lane_q[WL-1:0] +: 8] = wr_data;
          strb_d[lane_q[WL-1:0]] = 1'b1;
          idx_d = idx_q + 12'd1;
          lane_d = lane_q + 1'b1;
          if (lane_q == lane_hi) have_d = 1'b1;
        end else if (m_wready) begin
          have_d = 1'b0;
          strb_d = '0;
          beat_d = beat_q + 9'd1;
          if (beat_q == beats_q - 9'd1) begin
            st_d = S_B;
          end else begin
            lane_d = '0;
          end
        end
      end
      S_B: if (m_bvalid) begin
        if (m_bresp[1]) err_d = 1'b1;
        addr_d = addr_q + 64'(chunk_q);
        rem_d = rem_q - chunk_q;
        st_d = (m_bresp[1] || err_q || rem_q == chunk_q) ? S_END : S_PLAN;
      end
      S_END: begin
        done = 1'b1;
        err = err_q;
        st_d = S_IDLE;
      end
      default: st_d = S_IDLE;
    endcase
  end

  always_comb begin
    m_araddr  = ADDR_WIDTH'(addr_q & ~WMASK);
    m_arlen   = 8'(beats_q - 9'd1);
    m_arsize  = 3'(WL);
    m_arvalid = st_q == S_AR;
    m_awaddr  = ADDR_WIDTH'(addr_q & ~WMASK);
    m_awlen   = 8'(beats_q - 9'd1);
    m_awsize  = 3'(WL);
    m_awvalid = st_q == S_AW;
    m_wdata   = beat_data_q;
    m_wstrb   = strb_q;
    m_wlast   = beat_q == beats_q - 9'd1;
    m_wvalid  = st_q == S_W && have_q;
    m_bready  = st_q == S_B;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= S_IDLE;
      wr_q <= 1'b0;
      addr_q <= '0;
      rem_q <= '0;
      chunk_q <= '0;
      beats_q <= 9'd1;
      beat_q <= '0;
      lane_q <= '0;
      idx_q <= '0;
      err_q <= 1'b0;
      have_q <= 1'b0;
      beat_data_q <= '0;
      beat_resp_q <= '0;
      beat_last_q <= 1'b0;
      strb_q <= '0;
      burst_off_q <= '0;
    end else begin
      st_q <= st_d;
      wr_q <= wr_d;
      addr_q <= addr_d;
      rem_q <= rem_d;
      chunk_q <= chunk_d;
      beats_q <= beats_d;
      beat_q <= beat_d;
      lane_q <= lane_d;
      idx_q <= idx_d;
      err_q <= err_d;
      have_q <= have_d;
      beat_data_q <= beat_data_d;
      beat_resp_q <= beat_resp_d;
      beat_last_q <= beat_last_d;
      strb_q <= strb_d;
      burst_off_q <= burst_off_d;
    end
  end

  // BRESP/RRESP bit 0 tells EXOKAY from OKAY and SLVERR from DECERR: both errors are equal here
  logic unused_ok;
  assign unused_ok = ^{m_bresp[0], beat_resp_q, burst_off_q};

endmodule : kite_hdma

`default_nettype wire
