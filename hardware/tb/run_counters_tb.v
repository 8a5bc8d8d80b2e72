`timescale 1ns / 1ps
`default_nettype none

// Test bench of run_counters. Reads rc_vectors.hex: COUNT lines, each the inputs of one cycle as
// {add_work, clear, count_cycle, add_broadcast, add_entries[2:0], add_steps[6:0], reply_index[4:0]}
// (19 bits, 5 hex digits). After each cycle's edge it prints
//   C <cycle> <cycles> <entries> <steps> <broadcasts> <reply byte before the edge, 2 hex digits>
// (the counters in hex, 8 digits each); the test runs the same vectors through a model.
// The iCE40 cell models (SB_MAC16, for USE_MAC16 = 1) are compiled after this bench, without their
// SystemVerilog port defaults.
`define NO_ICE40_DEFAULT_ASSIGNMENTS

module run_counters_tb;
    parameter COUNT = 1;
    parameter USE_MAC16 = 0;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg clear = 1'b0, count_cycle = 1'b0, add_work = 1'b0, add_broadcast = 1'b0;
    reg [2:0] add_entries = 3'd0;
    reg [6:0] add_steps = 7'd0;
    reg [4:0] reply_index = 5'd0;
    wire [7:0] reply_byte;
    wire [31:0] cycles, entries, steps, broadcasts;

    run_counters #(.ENTRY_BITS(3), .STEP_BITS(7), .USE_MAC16(USE_MAC16)) dut (
        .clk(clk), .clear(clear), .count_cycle(count_cycle), .add_work(add_work), .add_entries(add_entries), .add_steps(add_steps),
        .add_broadcast(add_broadcast), .reply_index(reply_index), .reply_byte(reply_byte),
        .cycles(cycles), .entries(entries), .steps(steps), .broadcasts(broadcasts));

    reg [18:0] vectors [0:COUNT-1];
    reg [7:0] byte_before;
    integer i;

    initial begin
        $readmemh("rc_vectors.hex", vectors);
        for (i = 0; i < COUNT; i = i + 1) begin
            {add_work, clear, count_cycle, add_broadcast, add_entries, add_steps, reply_index} = vectors[i];
            #1 byte_before = reply_byte;
            @(posedge clk);
            #1 $display("C %0d %h %h %h %h %h", i, cycles, entries, steps, broadcasts, byte_before);
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
