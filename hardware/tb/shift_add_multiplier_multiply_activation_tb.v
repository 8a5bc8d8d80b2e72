`timescale 1ns / 1ps
`default_nettype none

// Test bench of shift_add_multiplier_multiply_activation (compiled from ShiftAddMultiplier.MultiplyActivation,
// the multiplier of the PEs and of the layer engine). Reads mul_vectors.hex: COUNT lines, each
// {x[7:0], plus[16:0], minus[16:0]} as one 42-bit hex number (digit 16 must be zero), and feeds them in order with
// random idle cycles (GAP_PERCENT), tagging each with its index. Prints, in output order,
//   P <index> <product, 8 hex digits>
// and FAIL when products come out of order, get lost, or the pipeline does not accept one
// operand per cycle (a product must leave exactly LATENCY cycles after its operand entered).
// The module takes digits 0..15: digit 16 is always zero for a 16-bit constant.
module shift_add_multiplier_multiply_activation_tb;
    parameter COUNT = 1;
    parameter GAP_PERCENT = 0;
    parameter SEED = 1;
    parameter LATENCY = 3;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg [7:0] x = 8'd0;
    reg [16:0] plus = 17'd0;
    reg [16:0] minus = 17'd0;
    wire [15:0] dut_plus = plus[15:0];
    wire [15:0] dut_minus = minus[15:0];
    reg [31:0] in_tag = 32'd0;
    wire out_valid;
    wire [31:0] product;
    wire [31:0] out_tag;
    wire busy;

    shift_add_multiplier_multiply_activation #(.TAG_BITS(32)) dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .x(x), .plus(dut_plus), .minus(dut_minus), .in_tag(in_tag),
        .out_valid(out_valid), .result(product), .out_tag(out_tag), .busy(busy)
    );

    reg [41:0] vectors [0:COUNT-1];
    integer seed, i, received;
    integer cycle = 0;
    integer entered [0:COUNT-1];

    always @(posedge clk) cycle <= cycle + 1;

    initial begin
        #(10 * (COUNT * 4 + 1000));
        $display("FAIL watchdog after %0d products", received);
        $finish;
    end

    // Output side: checked at every edge.
    always @(posedge clk) begin
        if (!rst && out_valid) begin
            if (out_tag != received) $display("FAIL product %0d came out where %0d was expected", out_tag, received);
            else if (cycle - entered[received] != LATENCY) $display("FAIL product %0d took %0d cycles", received, cycle - entered[received]);
            $display("P %0d %h", out_tag, product);
            received = received + 1;
        end
    end

    initial begin
        seed = SEED;
        received = 0;
        $readmemh("mul_vectors.hex", vectors);
        repeat (2) @(posedge clk);
        #1 rst = 1'b0;
        for (i = 0; i < COUNT; i = i + 1) begin
            while (GAP_PERCENT > 0 && ($unsigned($random(seed)) % 100) < GAP_PERCENT) begin
                in_valid = 1'b0;
                @(posedge clk);
                #1;
            end
            in_valid = 1'b1;
            {x, plus, minus} = vectors[i];
            if (plus[16] || minus[16]) $display("FAIL vector %0d uses digit 16", i);
            in_tag = i;
            entered[i] = cycle;
            @(posedge clk);
            #1;
        end
        in_valid = 1'b0;
        while (received < COUNT) @(posedge clk);
        #1;
        if (busy) $display("FAIL busy after the last product");
        $display("DONE %0d", received);
        $finish;
    end
endmodule

`default_nettype wire
