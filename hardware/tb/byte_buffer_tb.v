`timescale 1ns / 1ps
`default_nettype none

// Test bench of byte_buffer: one write port and one read port driven at the same time, cycle by
// cycle, against a reference model's results. Reads, from the working folder:
//   bb_vectors.hex   COUNT lines, each {we, waddr[ADDR_BITS-1:0], wdata[DATA_BITS-1:0],
//                    raddr[ADDR_BITS-1:0]} as one hex number: the inputs of one clock cycle
//   bb_expected.hex  COUNT lines, each {check, rdata[DATA_BITS-1:0]}: what rdata must hold after
//                    that cycle's clock edge (check = 0: the address was never written, don't care)
// The inputs of cycle i change 1 ns after edge i-1. Two ns before edge i, rdata must not have
// changed since 1 ns after edge i-1 (no path from the inputs to rdata but through the clock); 1 ns
// after edge i it must hold cycle i's result (exactly one cycle of latency). Read-during-write at the same address returns the OLD contents
// (the read samples the array before the write lands); the new value is read from the next cycle
// on. Mismatches print FAIL; the end prints
//   DONE <results checked> <reads of the address written in the same cycle>
module byte_buffer_tb;
    parameter ADDR_BITS = 4;
    parameter DATA_BITS = 8;
    parameter COUNT = 1;
    parameter NO_COLLISION = 0;   // the bare block RAM: the vectors must not read the address being written

    localparam VECTOR_BITS = 1 + 2 * ADDR_BITS + DATA_BITS;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg we = 1'b0;
    reg [ADDR_BITS-1:0] waddr = {ADDR_BITS{1'b0}};
    reg [DATA_BITS-1:0] wdata = {DATA_BITS{1'b0}};
    reg [ADDR_BITS-1:0] raddr = {ADDR_BITS{1'b0}};
    wire [DATA_BITS-1:0] rdata;

    byte_buffer #(.ADDR_BITS(ADDR_BITS), .DATA_BITS(DATA_BITS), .NO_COLLISION(NO_COLLISION)) dut (
        .clk(clk), .we(we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .rdata(rdata));

    reg [VECTOR_BITS-1:0] vectors [0:COUNT-1];
    reg [DATA_BITS:0] expected [0:COUNT-1];
    reg [DATA_BITS-1:0] sampled;   // rdata 1 ns after the last clock edge
    integer i, checked, collisions;

    initial begin
        $readmemh("bb_vectors.hex", vectors);
        $readmemh("bb_expected.hex", expected);
        checked = 0;
        collisions = 0;
        @(posedge clk);
        #1;
        sampled = rdata;
        for (i = 0; i < COUNT; i = i + 1) begin
            {we, waddr, wdata, raddr} = vectors[i];
            if (we && waddr == raddr) collisions = collisions + 1;
            #7;
            if (rdata !== sampled)
                $display("FAIL cycle %0d: rdata changed from %h to %h before the clock edge (a read takes exactly one cycle)", i, sampled, rdata);
            @(posedge clk);
            #1;
            sampled = rdata;
            if (expected[i][DATA_BITS]) begin
                checked = checked + 1;
                if (rdata !== expected[i][DATA_BITS-1:0])
                    $display("FAIL cycle %0d: we=%b waddr=%h wdata=%h raddr=%h: rdata %h, expected %h",
                             i, we, waddr, wdata, raddr, rdata, expected[i][DATA_BITS-1:0]);
            end
        end
        $display("DONE %0d %0d", checked, collisions);
        $finish;
    end
endmodule

`default_nettype wire
