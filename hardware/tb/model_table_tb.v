`timescale 1ns / 1ps
`default_nettype none

// Test bench of model_table on a 256-byte memory. Reads mt_vectors.hex: COUNT lines, each one
// operation {kind[3:0], addr[7:0], end[8:0]} (21 bits, 6 hex digits; kind 0: scan, 1: scan that
// drops what the range overlaps, 2: add, 3: remove, 4: reset). Each is asked for one cycle and
// waited for until the table is not busy; then it prints
//   R <i> <found> <full> <count> <cycles from the request until not busy>
module model_table_tb;
    parameter COUNT = 1;
    parameter SLOTS = 4;
    localparam MEM_BITS = 8;
    localparam AW = 9;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1, scan = 1'b0, drop = 1'b0, add = 1'b0, remove = 1'b0;
    reg [3:0] kind;
    reg [MEM_BITS-1:0] addr = {MEM_BITS{1'b0}};
    reg [AW-1:0] end_addr = {AW{1'b0}};
    wire busy, found, full;
    wire [7:0] count;

    model_table #(.SLOTS(SLOTS), .MEM_BITS(MEM_BITS), .AW(AW)) dut (
        .clk(clk), .rst(rst), .scan(scan), .drop(drop), .addr(addr), .end_addr(end_addr),
        .busy(busy), .found(found), .full(full), .add(add), .remove(remove), .count(count));

    reg [20:0] vectors [0:COUNT-1];
    integer i, cycles;

    initial begin
        $readmemh("mt_vectors.hex", vectors);
        @(posedge clk);
        #1 rst = 1'b0;
        for (i = 0; i < COUNT; i = i + 1) begin
            {kind, addr, end_addr} = vectors[i];
            scan = kind == 4'd0 || kind == 4'd1;
            drop = kind == 4'd1;
            add = kind == 4'd2;
            remove = kind == 4'd3;
            rst = kind == 4'd4;
            cycles = 1;
            @(posedge clk);
            #1 {scan, drop, add, remove, rst} = 5'b0;
            while (busy) begin
                @(posedge clk);
                #1 cycles = cycles + 1;
            end
            $display("R %0d %0d %0d %0d %0d", i, found, full, count, cycles);
        end
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
