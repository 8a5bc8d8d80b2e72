`timescale 1ns / 1ps
`default_nettype none

// Test bench of shift_add_multiplier_recode16 (compiled from ShiftAddMultiplier.Recode16): every 16-bit constant, exhaustively (no input file). Prints
//   R <constant, 4 hex digits> <plus, 5 hex digits> <minus, 5 hex digits>
// for each, and FAIL when the digits do not add up to the constant, overlap, or sit next to
// each other (the CSD properties); the C# test compares every line with ShiftAddMultiplier.Recode.
module shift_add_multiplier_recode16_tb;
    parameter FIRST = 0;        // constants FIRST .. FIRST + COUNT - 1 (as 16-bit patterns)
    parameter COUNT = 65536;

    reg [15:0] constant;
    wire [31:0] plus_word;
    wire [31:0] minus_word;
    wire [16:0] plus = plus_word[16:0];
    wire [16:0] minus = minus_word[16:0];

    shift_add_multiplier_recode16 dut (.constant(constant), .plus(plus_word), .minus(minus_word));

    integer i, value, failures;

    initial begin
        #(COUNT * 2 + 100);
        $display("FAIL watchdog");
        $finish;
    end

    initial begin
        failures = 0;
        for (i = FIRST; i < FIRST + COUNT; i = i + 1) begin
            constant = i;
            #1;
            value = $signed({1'b0, plus}) - $signed({1'b0, minus});
            if (value != $signed(constant) || (plus & minus) != 17'd0 || ((plus | minus) & ((plus | minus) >> 1)) != 17'd0) begin
                if (failures < 10) $display("FAIL constant %h: plus %h minus %h is %0d", constant, plus, minus, value);
                failures = failures + 1;
            end
            $display("R %h %h %h", constant, plus, minus);
        end
        $display("DONE %0d", COUNT);
        $finish;
    end
endmodule

`default_nettype wire
