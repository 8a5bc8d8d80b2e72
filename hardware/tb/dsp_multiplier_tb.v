`timescale 1ns / 1ps
`default_nettype none

// Test bench of dsp_multiplier. Reads dsp_vectors.hex: COUNT lines, each
// {x[7:0], constant[15:0], expected product[31:0]} as one 56-bit hex number (the expected product
// comes from the C# kernel), and feeds them in order with random idle cycles (GAP_PERCENT), tagging
// each with its index. Prints, in output order,
//   P <index> <product, 8 hex digits>
// and FAIL when a product differs from the expected one, when products come out of order or get
// lost, or when the pipeline does not accept one operand per cycle (a product must leave exactly
// LATENCY cycles after its operand entered; with PRODUCT_LAG the product is checked a cycle after
// out_valid, LATENCY + 1 cycles after its operand). USE_MAC16 = 1 needs the SB_MAC16 model, Yosys's
// ice40/cells_sim.v, among the sources after this file: the define below makes that file declare
// its ports without SystemVerilog default values, which iverilog -g2005 rejects.
`define NO_ICE40_DEFAULT_ASSIGNMENTS
module dsp_multiplier_tb;
    parameter COUNT = 1;
    parameter USE_MAC16 = 1;
    parameter GAP_PERCENT = 0;
    parameter SEED = 1;
    parameter LATENCY = 3;
    parameter PRODUCT_LAG = 0;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg [7:0] x = 8'd0;
    reg [15:0] constant = 16'd0;
    reg [31:0] expected_in = 32'd0;
    reg [31:0] in_tag = 32'd0;
    wire out_valid;
    wire [31:0] product;
    wire [31:0] out_tag;
    wire busy;

    dsp_multiplier #(.TAG_BITS(32), .USE_MAC16(USE_MAC16), .PRODUCT_LAG(PRODUCT_LAG)) dut (
        .clk(clk), .rst(rst), .in_valid(in_valid), .x(x), .constant(constant), .in_tag(in_tag),
        .out_valid(out_valid), .product(product), .out_tag(out_tag), .busy(busy)
    );

    reg [55:0] vectors [0:COUNT-1];
    reg [31:0] expected [0:COUNT-1];
    integer seed, i, received, failures;
    integer cycle = 0;
    integer entered [0:COUNT-1];

    always @(posedge clk) cycle <= cycle + 1;

    initial begin
        #(10 * (COUNT * 4 + 1000));
        $display("FAIL watchdog after %0d products", received);
        $finish;
    end

    // Output side: checked at every edge, PRODUCT_LAG cycles after out_valid.
    reg        lag_valid = 1'b0;
    reg [31:0] lag_tag = 32'd0;
    always @(posedge clk) begin
        lag_valid <= !rst && out_valid;
        lag_tag <= out_tag;
    end
    wire        check_valid = PRODUCT_LAG != 0 ? lag_valid : !rst && out_valid;
    wire [31:0] check_tag = PRODUCT_LAG != 0 ? lag_tag : out_tag;
    always @(posedge clk) begin
        if (check_valid) begin
            if (check_tag != received) begin
                $display("FAIL product %0d came out where %0d was expected", check_tag, received);
                failures = failures + 1;
            end else begin
                if (cycle - entered[received] != LATENCY + PRODUCT_LAG) begin
                    $display("FAIL product %0d took %0d cycles", received, cycle - entered[received]);
                    failures = failures + 1;
                end
                if (product !== expected[received]) begin
                    $display("FAIL product %0d: x %0d constant %h gave %h, expected %h",
                        received, vectors[received][55:48], vectors[received][47:32], product, expected[received]);
                    failures = failures + 1;
                end
            end
            $display("P %0d %h", check_tag, product);
            received = received + 1;
        end
    end

    initial begin
        seed = SEED;
        received = 0;
        failures = 0;
        $readmemh("dsp_vectors.hex", vectors);
        for (i = 0; i < COUNT; i = i + 1) expected[i] = vectors[i][31:0];
        repeat (2) @(posedge clk);
        #1 rst = 1'b0;
        if (busy) $display("FAIL busy before the first operand");
        for (i = 0; i < COUNT; i = i + 1) begin
            while (GAP_PERCENT > 0 && ($unsigned($random(seed)) % 100) < GAP_PERCENT) begin
                in_valid = 1'b0;
                // Garbage on the idle inputs must not leak into any product.
                x = $random(seed);
                constant = $random(seed);
                in_tag = 32'hffff_ffff;
                @(posedge clk);
                #1;
            end
            in_valid = 1'b1;
            {x, constant, expected_in} = vectors[i];
            in_tag = i;
            entered[i] = cycle;
            @(posedge clk);
            #1;
        end
        in_valid = 1'b0;
        while (received < COUNT) @(posedge clk);
        #1;
        if (busy) $display("FAIL busy after the last product");
        $display("DONE %0d products, %0d failures", received, failures);
        $finish;
    end
endmodule

`default_nettype wire
