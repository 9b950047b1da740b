// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_phy_rx: FS/LS receiver of kite_fs_phy (D+/D- receivers to the UTMI receive side).
//
// D+ and D- pass a 2-flop synchroniser; linestate_o is {D-, D+} after it. Clock recovery
// (a DPLL of the edge-tracking kind, 4x oversampling at FS, 32x at LS): every change of the
// synchronised line state restarts the bit-phase counter, and the bit is sampled half a bit time
// after the last edge (2 clocks at FS, 16 at LS); without edges the counter free-runs with the
// nominal bit time. Bit stuffing guarantees an edge at least every 7 bit times, so a transmitter
// whose clock is off by a fraction of a percent drifts by far less than a clock between edges.
//
// Receive state machine, one step per sample: IDLE waits for K (J->K is the first SYNC bit);
// SYNC takes NRZI bits (same level = 1) and accepts the SYNC after at least 3 zeros followed by
// a 1 (rxactive rises); DATA decodes NRZI, drops the stuffed 0 after six 1s (a 1 there is a
// stuff error: rxerror pulses and the packet is aborted), and presents each byte (LSB first)
// with a one-cycle rxvalid; SE0 starts the EOP, and SE0 followed by J ends the packet (rxactive
// falls; a partial byte gives rxerror). After an error, or a false SYNC, the receiver waits for
// an idle line (SE0 then J, or J for 8 bit times) before it looks for the next packet, with
// rxactive still high after an error inside a packet.
// quiet_o (registered): the synchronised line did not change in the last two cycles and the
// receiver stays where it is (idle and not starting a packet, or waiting on an SE0 line): until
// the line changes, only the DPLL phase counts.

`default_nettype none

module kite_phy_rx (
  input  wire       clk,
  input  wire       rst,              // synchronous, active high
  input  wire       ls_i,             // low-speed bit rate and polarity
  input  wire       enable_i,         // may start a packet (not while we transmit)
  input  wire       dp_i,             // asynchronous line inputs
  input  wire       dm_i,
  output wire [1:0] linestate_o,      // {D-, D+}, synchronised
  output wire [7:0] data_o,
  output wire       rxvalid_o,
  output wire       rxactive_o,
  output wire       rxerror_o,
  output wire       quiet_o
);

  typedef enum logic [2:0] { R_IDLE, R_SYNC, R_DATA, R_EOP, R_WAIT } rstate_e;

  logic [1:0] s1_q, s2_q, s3_q;       // {dm, dp} synchroniser stages and the previous sample
  logic [4:0] ph_q, ph_d;             // DPLL phase
  rstate_e    st_q, st_d;
  logic       prev_q, prev_d;         // previous sampled level (1 = J)
  logic [2:0] cnt_q, cnt_d;           // SYNC: zeros seen; DATA: consecutive 1s
  logic [3:0] idle_q, idle_d;         // WAIT: J samples in a row
  logic       se0seen_q, se0seen_d;   // WAIT: SE0 seen
  logic [7:0] sh_q, sh_d;
  logic [2:0] nb_q, nb_d;
  logic       act_q, act_d;
  logic       vld_q, vld_d;
  logic       err_q, err_d;
  logic [7:0] dat_q, dat_d;
  logic       bitv;                   // DATA: decoded bit

  wire [4:0] last = ls_i ? 5'd31 : 5'd3;
  wire [4:0] mid = ls_i ? 5'd16 : 5'd2;
  wire       edge_seen = (s2_q != s3_q);
  wire       sample = (ph_q == mid);
  wire       se0 = (s2_q == 2'b00);
  wire       lvl = ls_i ? s2_q[1] : s2_q[0];    // 1 = J (ignoring SE1)

  always_comb begin
    ph_d = edge_seen ? 5'd1 : (ph_q == last) ? 5'd0 : ph_q + 5'd1;
    st_d = st_q;
    prev_d = prev_q;
    cnt_d = cnt_q;
    idle_d = idle_q;
    se0seen_d = se0seen_q;
    sh_d = sh_q;
    nb_d = nb_q;
    act_d = act_q;
    vld_d = 1'b0;
    err_d = 1'b0;
    dat_d = dat_q;
    bitv = 1'b0;
    if (sample) begin
      case (st_q)
        R_IDLE: begin
          act_d = 1'b0;
          if (enable_i && !se0 && !lvl) begin
            st_d = R_SYNC;
            prev_d = 1'b0;
            cnt_d = 3'd1;
          end
        end
        R_SYNC: begin
          if (se0) begin
            st_d = R_WAIT;
            idle_d = '0;
            se0seen_d = 1'b1;
          end else if (lvl != prev_q) begin
            prev_d = lvl;
            if (cnt_q != 3'd7) cnt_d = cnt_q + 3'd1;
          end else if (cnt_q >= 3'd3) begin
            st_d = R_DATA;
            act_d = 1'b1;
            cnt_d = 3'd1;             // the SYNC's final 1 counts for stuffing
            nb_d = '0;
          end else begin
            st_d = R_WAIT;
            idle_d = '0;
            se0seen_d = 1'b0;
          end
        end
        R_DATA: begin
          if (se0) begin
            st_d = R_EOP;
          end else begin
            bitv = (lvl == prev_q);
            prev_d = lvl;
            if (cnt_q == 3'd6) begin
              cnt_d = '0;
              if (bitv) begin          // seven 1s in a row: stuff error
                err_d = 1'b1;
                st_d = R_WAIT;
                idle_d = '0;
                se0seen_d = 1'b0;
              end
            end else begin
              cnt_d = bitv ? cnt_q + 3'd1 : 3'd0;
              sh_d = {bitv, sh_q[7:1]};
              nb_d = nb_q + 3'd1;
              if (nb_q == 3'd7) begin
                vld_d = 1'b1;
                dat_d = {bitv, sh_q[7:1]};
              end
            end
          end
        end
        R_EOP: begin
          if (!se0) begin
            if (lvl) begin
              err_d = (nb_q != 3'd0);
              st_d = R_IDLE;
              act_d = 1'b0;
            end else begin
              err_d = 1'b1;            // K after SE0
              st_d = R_WAIT;
              idle_d = '0;
              se0seen_d = 1'b0;
            end
          end
        end
        R_WAIT: begin
          if (se0) begin
            se0seen_d = 1'b1;
            idle_d = '0;
          end else if (lvl) begin
            if (idle_q != 4'hF) idle_d = idle_q + 4'd1;
            if (se0seen_q || idle_q >= 4'd7) begin
              st_d = R_IDLE;
              act_d = 1'b0;
            end
          end else begin
            idle_d = '0;
            se0seen_d = 1'b0;
          end
        end
        default: st_d = R_IDLE;
      endcase
    end
  end

  logic quiet_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      quiet_q <= 1'b0;
    end else begin
      quiet_q <= s1_q == s2_q && s2_q == s3_q && !vld_q && !err_q &&
                 ((st_q == R_IDLE && !act_q && !(enable_i && !se0 && !lvl)) ||
                  (st_q == R_WAIT && se0 && se0seen_q && idle_q == '0));
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      s1_q <= 2'b00;
      s2_q <= 2'b00;
      s3_q <= 2'b00;
      ph_q <= '0;
      st_q <= R_IDLE;
      prev_q <= 1'b1;
      cnt_q <= '0;
      idle_q <= '0;
      se0seen_q <= 1'b0;
      sh_q <= '0;
      nb_q <= '0;
      act_q <= 1'b0;
      vld_q <= 1'b0;
      err_q <= 1'b0;
      dat_q <= '0;
    end else begin
      s1_q <= {dm_i, dp_i};
      s2_q <= s1_q;
      s3_q <= s2_q;
      ph_q <= ph_d;
      st_q <= st_d;
      prev_q <= prev_d;
      cnt_q <= cnt_d;
      idle_q <= idle_d;
      se0seen_q <= se0seen_d;
      sh_q <= sh_d;
      nb_q <= nb_d;
      act_q <= act_d;
      vld_q <= vld_d;
      err_q <= err_d;
      dat_q <= dat_d;
    end
  end

  assign linestate_o = s2_q;
  assign data_o = dat_q;
  assign rxvalid_o = vld_q;
  assign rxactive_o = act_q;
  assign rxerror_o = err_q;
  assign quiet_o = quiet_q;

endmodule

`default_nettype wire
