`timescale 1ns / 1ps
`default_nettype none

// Test bench of requantizer_requantize (compiled from Requantizer.Requantize). Reads rq_vectors.hex:
// COUNT lines, each {raw, shift[4:0], acc[31:0], bias[31:0]} as one 70-bit hex number; feeds them
// with random idle cycles (GAP_PERCENT); prints, in order,
//   Q <index> <result, 8 hex digits>
// and FAIL if a result is lost, duplicated, or comes out other than LATENCY cycles after its input
// (the layer engine and its cost model count on the 2-stage requantizer).
module requantizer_requantize_tb;
    parameter COUNT = 1;
    parameter GAP_PERCENT = 0;
    parameter SEED = 1;
    parameter LATENCY = 2;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg [31:0] acc = 32'd0;
    reg [31:0] bias = 32'd0;
    reg [4:0] shift = 5'd0;
    reg raw = 1'b0;
    wire out_valid;
    wire [31:0] result;

    requantizer_requantize dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .out_valid(out_valid),
        .acc(acc), .bias(bias), .shift({27'd0, shift}), .raw(raw), .result(result)
    );

    reg [69:0] vectors [0:COUNT-1];
    integer sent_at [0:COUNT-1];
    integer seed, sent, taken, received, cycle;

    initial begin
        #(10 * (COUNT * 20 + 1000));
        $display("FAIL watchdog after %0d results", received);
        $finish;
    end

    // One block counts edges, takes inputs and checks outputs, so their order at an edge is fixed: an
    // input taken at edge k must be seen at edge k + LATENCY, as the hand-written requantizer did.
    always @(posedge clk) begin
        cycle = cycle + 1;
        if (!rst && out_valid) begin
            $display("Q %0d %h", received, result);
            if (received >= taken) $display("FAIL more results than inputs");
            else if (cycle - sent_at[received] != LATENCY) $display("FAIL result %0d after %0d cycles", received, cycle - sent_at[received]);
            received = received + 1;
        end
        if (!rst && in_valid) begin
            sent_at[taken] = cycle;
            taken = taken + 1;
        end
    end

    initial begin
        seed = SEED;
        sent = 0;
        received = 0;
        taken = 0;
        cycle = 0;
        $readmemh("rq_vectors.hex", vectors);
        repeat (2) @(posedge clk);
        #2 rst = 1'b0;
        while (sent < COUNT) begin
            if (GAP_PERCENT > 0 && ($unsigned($random(seed)) % 100) < GAP_PERCENT) begin
                in_valid = 1'b0;
            end else begin
                in_valid = 1'b1;
                {raw, shift, acc, bias} = vectors[sent];
            end
            @(posedge clk);
            if (in_valid) sent = sent + 1;
            #2;
        end
        in_valid = 1'b0;
        repeat (LATENCY + 4) @(posedge clk);
        if (received != COUNT) $display("FAIL %0d results for %0d inputs", received, COUNT);
        $display("DONE %0d", received);
        $finish;
    end
endmodule

`default_nettype wire
