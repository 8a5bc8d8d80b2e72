`timescale 1ns / 1ps
`default_nettype none

// Test bench of requantizer. Reads rq_vectors.hex: COUNT lines, each {raw, shift[4:0], acc[31:0],
// bias[31:0]} as one 70-bit hex number; feeds them with random idle cycles (GAP_PERCENT) while the
// output is randomly held off (STALL_PERCENT); prints, in order,
//   Q <index> <result, 8 hex digits>
// and FAIL if results are lost, duplicated or reordered.
module requantizer_tb;
    parameter COUNT = 1;
    parameter GAP_PERCENT = 0;
    parameter STALL_PERCENT = 0;
    parameter SEED = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg [31:0] acc = 32'd0;
    reg [31:0] bias = 32'd0;
    reg [4:0] shift = 5'd0;
    reg raw = 1'b0;
    reg out_ready = 1'b0;
    wire in_ready;
    wire out_valid;
    wire [31:0] result;

    requantizer #(.ACC_BITS(32), .OUT_BITS(8), .SHIFT_BITS(5)) dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .acc(acc), .bias(bias), .shift(shift), .raw(raw),
        .out_valid(out_valid), .out_ready(out_ready), .result(result)
    );

    reg [69:0] vectors [0:COUNT-1];
    integer seed, sent, received;

    initial begin
        #(10 * (COUNT * 20 + 1000));
        $display("FAIL watchdog after %0d results", received);
        $finish;
    end

    // Consumer: random back-pressure; a result is taken at an edge where out_valid && out_ready.
    always @(posedge clk) begin
        if (!rst && out_valid && out_ready) begin
            $display("Q %0d %h", received, result);
            received = received + 1;
            if (received > COUNT) $display("FAIL more results than inputs");
        end
        #1 out_ready = !(STALL_PERCENT > 0 && ($unsigned($random(seed)) % 100) < STALL_PERCENT);
    end

    initial begin
        seed = SEED;
        sent = 0;
        received = 0;
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
            if (in_valid && in_ready) sent = sent + 1;
            #2;
        end
        in_valid = 1'b0;
        while (received < COUNT) @(posedge clk);
        repeat (4) @(posedge clk);
        if (received != COUNT) $display("FAIL %0d results for %0d inputs", received, COUNT);
        $display("DONE %0d", received);
        $finish;
    end
endmodule

`default_nettype wire
