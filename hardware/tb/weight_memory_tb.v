`timescale 1ns / 1ps
`default_nettype none

// Test bench of weight_memory, inferred (USE_SPRAM=0) or built from four SB_SPRAM256KA
// (USE_SPRAM=1: needs Yosys's ice40/cells_sim.v among the sources after this file; the define below
// makes that file declare its ports without SystemVerilog default values, which iverilog -g2005
// rejects).
// Drives its single port cycle by cycle against a reference model's results. Reads, from the
// working folder:
//   wm_vectors.hex   COUNT lines, each {we, addr[ADDR_BITS-1:0], wdata[7:0]} as one hex number:
//                    the inputs of one clock cycle (a write, or a read of addr)
//   wm_expected.hex  COUNT lines, each {check, rdata[7:0]}: what rdata must hold after that cycle's
//                    clock edge. check = 0 after a write cycle (one byte is written OR read per
//                    cycle: the SPRAM drives x on a write, the inferred array the old byte) and for a
//                    read of a never-written byte.
// The inputs of cycle i change 1 ns after edge i-1. Two ns before edge i, rdata must not have
// changed since 1 ns after edge i-1 (no path from the inputs to rdata but through the clock); 1 ns
// after edge i it must hold cycle i's result (exactly one cycle of latency).
// Then LANE_CHECKS times: four random word addresses, one per bank, written through the byte port
// (two random bytes each) and then read all at once through the lane ports (LANE_PORTS=1), which
// must give those bytes: bank b's word w is bytes 8w + 2b and 8w + 2b + 1.
// Mismatches print FAIL; the end prints
//   DONE <results checked>
`define NO_ICE40_DEFAULT_ASSIGNMENTS
module weight_memory_tb;
    parameter ADDR_BITS = 17;
    parameter USE_SPRAM = 0;
    parameter COUNT = 1;
    parameter LANE_CHECKS = 32;

    localparam VECTOR_BITS = 1 + ADDR_BITS + 8;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg we = 1'b0;
    reg [ADDR_BITS-1:0] addr = {ADDR_BITS{1'b0}};
    reg [7:0] wdata = 8'd0;
    wire [7:0] rdata;
    localparam WORD_BITS = ADDR_BITS - 3;
    reg lane_en = 1'b0;
    reg [4*WORD_BITS-1:0] lane_addr = {4*WORD_BITS{1'b0}};
    wire [63:0] lane_rdata;

    weight_memory #(.ADDR_BITS(ADDR_BITS), .USE_SPRAM(USE_SPRAM), .LANE_PORTS(1)) dut (
        .clk(clk), .we(we), .addr(addr), .wdata(wdata), .rdata(rdata),
        .lane_en(lane_en), .lane_addr(lane_addr), .lane_rdata(lane_rdata));

    reg [VECTOR_BITS-1:0] vectors [0:COUNT-1];
    reg [8:0] expected [0:COUNT-1];
    reg [7:0] sampled;   // rdata 1 ns after the last clock edge
    integer i, checked, b, seed;
    reg [15:0] by_bytes [0:3];

    initial begin
        if (USE_SPRAM != 0 && ADDR_BITS != 17) $display("FAIL parameters: the SPRAM build needs ADDR_BITS = 17, not %0d", ADDR_BITS);
        $readmemh("wm_vectors.hex", vectors);
        $readmemh("wm_expected.hex", expected);
        checked = 0;
        @(posedge clk);
        #1;
        sampled = rdata;
        for (i = 0; i < COUNT; i = i + 1) begin
            {we, addr, wdata} = vectors[i];
            #7;
            if (rdata !== sampled)
                $display("FAIL cycle %0d: rdata changed from %h to %h before the clock edge (a read takes exactly one cycle)", i, sampled, rdata);
            @(posedge clk);
            #1;
            sampled = rdata;
            if (expected[i][8]) begin
                checked = checked + 1;
                if (rdata !== expected[i][7:0])
                    $display("FAIL cycle %0d: read of %h (bank %0d, byte %0d): rdata %h, expected %h",
                             i, addr, addr[2:1], addr[0], rdata, expected[i][7:0]);
            end
        end

        we = 1'b0;
        seed = COUNT;
        for (i = 0; i < LANE_CHECKS; i = i + 1) begin
            we = 1'b1;
            for (b = 0; b < 4; b = b + 1) begin
                lane_addr[WORD_BITS*b +: WORD_BITS] = $random(seed);
                by_bytes[b] = $random(seed);
                addr = {lane_addr[WORD_BITS*b +: WORD_BITS], b[1:0], 1'b0};
                wdata = by_bytes[b][7:0];
                @(posedge clk);
                #1 addr = {lane_addr[WORD_BITS*b +: WORD_BITS], b[1:0], 1'b1};
                wdata = by_bytes[b][15:8];
                @(posedge clk);
                #1;
            end
            we = 1'b0;
            lane_en = 1'b1;
            @(posedge clk);
            #1 lane_en = 1'b0;
            for (b = 0; b < 4; b = b + 1) begin
                checked = checked + 1;
                if (lane_rdata[16*b +: 16] !== by_bytes[b])
                    $display("FAIL lane read %0d, bank %0d, word %h: %h, the byte port wrote %h",
                             i, b, lane_addr[WORD_BITS*b +: WORD_BITS], lane_rdata[16*b +: 16], by_bytes[b]);
            end
        end
        $display("DONE %0d", checked);
        $finish;
    end
endmodule

`default_nettype wire
