`timescale 1ns / 1ps
`default_nettype none

// Test bench of codebook_loader. Reads cl_values.hex: COUNT 16-bit codebook values. Offers value k
// with index k mod 16, with random idle cycles between loads (GAP_PERCENT), and prints each entry
// the loader writes:
//   CB <k> <index> <value, 4 hex digits> <plus, 5 hex digits> <minus, 5 hex digits> <steps>
// FAIL: a write that does not come exactly one cycle after its load, or a write without a load.
module codebook_loader_tb;
    parameter COUNT = 1;
    parameter GAP_PERCENT = 30;
    parameter SEED = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg load = 1'b0;
    reg [3:0] index = 4'd0;
    reg [15:0] value = 16'd0;
    wire we;
    wire [3:0] addr;
    wire [15:0] word;
    wire [16:0] plus, minus;
    wire [4:0] steps;

    codebook_loader dut (
        .clk(clk), .load(load), .index(index), .value(value),
        .we(we), .addr(addr), .word(word), .plus(plus), .minus(minus), .steps(steps));

    reg [15:0] values [0:COUNT-1];
    integer seed, k, written;
    reg loaded;   // a load was offered at the last edge

    always @(posedge clk) begin
        #1;
        if (we != loaded) $display("FAIL write enable %0d one cycle after load %0d", we, loaded);
        if (we) begin
            $display("CB %0d %0d %h %h %h %0d", written, addr, word, plus, minus, steps);
            written = written + 1;
        end
    end

    initial begin
        seed = SEED;
        written = 0;
        loaded = 1'b0;
        $readmemh("cl_values.hex", values);
        @(posedge clk);
        k = 0;
        while (k < COUNT) begin
            #2;
            if (($unsigned($random(seed)) % 100) < GAP_PERCENT) load = 1'b0;
            else begin
                load = 1'b1;
                index = k[3:0];
                value = values[k];
                k = k + 1;
            end
            @(posedge clk);
            loaded = load;
        end
        #2 load = 1'b0;
        @(posedge clk);
        loaded = 1'b0;
        @(posedge clk);
        @(posedge clk);
        if (written != COUNT) $display("FAIL %0d writes for %0d loads", written, COUNT);
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
