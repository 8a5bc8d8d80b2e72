`timescale 1ns / 1ps
`default_nettype none

// Test bench of dsp_counter. Reads dc_vectors.hex: COUNT lines, each the inputs of one cycle as
// {clear, add_en, add[15:0]} (18 bits, 5 hex digits). After each cycle's edge it prints
//   K <cycle> <count, 8 hex digits>
// and the test runs the same vectors through a model (32 bits, wrapping).
// The iCE40 cell models (SB_MAC16, for USE_MAC16 = 1) are compiled after this bench, without their
// SystemVerilog port defaults.
`define NO_ICE40_DEFAULT_ASSIGNMENTS

module dsp_counter_tb;
    parameter COUNT = 1;
    parameter USE_MAC16 = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg clear = 1'b0, add_en = 1'b0;
    reg [15:0] add = 16'd0;
    wire [31:0] count;

    dsp_counter #(.USE_MAC16(USE_MAC16)) dut (.clk(clk), .clear(clear), .add_en(add_en), .add(add), .count(count));

    reg [17:0] vectors [0:COUNT-1];
    integer i;

    initial begin
        $readmemh("dc_vectors.hex", vectors);
        for (i = 0; i < COUNT; i = i + 1) begin
            {clear, add_en, add} = vectors[i];
            @(posedge clk);
            #1 $display("K %0d %h", i, count);
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
