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
// Mismatches print FAIL; the end prints
//   DONE <results checked>
`define NO_ICE40_DEFAULT_ASSIGNMENTS
module weight_memory_tb;
    parameter ADDR_BITS = 17;
    parameter USE_SPRAM = 0;
    parameter COUNT = 1;

    localparam VECTOR_BITS = 1 + ADDR_BITS + 8;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg we = 1'b0;
    reg [ADDR_BITS-1:0] addr = {ADDR_BITS{1'b0}};
    reg [7:0] wdata = 8'd0;
    wire [7:0] rdata;

    weight_memory #(.ADDR_BITS(ADDR_BITS), .USE_SPRAM(USE_SPRAM)) dut (
        .clk(clk), .we(we), .addr(addr), .wdata(wdata), .rdata(rdata));

    reg [VECTOR_BITS-1:0] vectors [0:COUNT-1];
    reg [8:0] expected [0:COUNT-1];
    reg [7:0] sampled;   // rdata 1 ns after the last clock edge
    integer i, checked;

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
                    $display("FAIL cycle %0d: read of %h (bank %0d, lane %0d): rdata %h, expected %h",
                             i, addr, addr >> 15, addr[0], rdata, expected[i][7:0]);
            end
        end
        $display("DONE %0d", checked);
        $finish;
    end
endmodule

`default_nettype wire
