`default_nettype none

// The end of a layer, bit-exact with Requantizer in kernels/: the bias is added to the
// accumulator with 32-bit wrap-around (AddBias), then either the raw sum goes out (the last
// layer's Raw32 output) or ReluShiftSaturate: sum <= 0 -> 0, else
// (sum + (shift > 0 ? 2^(shift-1) : 0)) >> shift, saturated to 255.
//
// Two register stages (the bias add, then round/shift/saturate) so each stage holds one carry
// chain and one barrel shifter at most. The pipeline advances whenever its output is taken or
// empty, so a stalled result writer backs it up without losing values (in_ready follows
// out_ready combinationally; the result path drives in_valid from registers, so there is no loop).
module requantizer #(
    parameter ACC_BITS = 32,               // accumulator and bias width (the kernel's int)
    parameter OUT_BITS = 8,                // activation width after saturation
    parameter SHIFT_BITS = 5               // shift 0 .. 2^SHIFT_BITS - 1 (0..31)
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  in_valid,
    output wire                  in_ready,
    input  wire [ACC_BITS-1:0]   acc,      // two's complement
    input  wire [ACC_BITS-1:0]   bias,     // two's complement
    input  wire [SHIFT_BITS-1:0] shift,
    input  wire                  raw,      // 1: pass acc + bias unchanged (Raw32 output)
    output reg                   out_valid,
    input  wire                  out_ready,
    output reg  [ACC_BITS-1:0]   result    // raw: the 32-bit sum; else the activation, zero-extended
);
    wire advance = !out_valid || out_ready;
    assign in_ready = advance;

    // Stage 1: bias add (wraps like the kernel's unchecked int add).
    reg                  s1_valid;
    reg [ACC_BITS-1:0]   s1_sum;
    reg [SHIFT_BITS-1:0] s1_shift;
    reg                  s1_raw;

    always @(posedge clk) begin
        if (rst) begin
            s1_valid <= 1'b0;
        end else if (advance) begin
            s1_valid <= in_valid;
        end

        if (advance) begin
            s1_sum <= acc + bias;
            s1_shift <= shift;
            s1_raw <= raw;
        end
    end

    // Stage 2: ReLU, round half up, shift, saturate. The rounding add is moved after the shift, so
    // it is 9 bits wide instead of 33: with u = (sum << 1) >> shift, (sum + half) >> shift equals
    // (u + 1) >> 1 (half = 2^(shift-1), or nothing for shift 0), which is above 2^OUT_BITS - 1
    // exactly when u >= 2^(OUT_BITS+1) - 1.
    wire positive = !s1_sum[ACC_BITS-1] && (s1_sum != {ACC_BITS{1'b0}});
    wire [ACC_BITS:0] u = {s1_sum, 1'b0} >> s1_shift;
    wire saturate = u[ACC_BITS:OUT_BITS+1] != {(ACC_BITS - OUT_BITS){1'b0}} || u[OUT_BITS:0] == {(OUT_BITS + 1){1'b1}};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [OUT_BITS+1:0] rounded = {1'b0, u[OUT_BITS:0]} + {{(OUT_BITS + 1){1'b0}}, 1'b1};   // bits 0 and OUT_BITS+1 are dropped
    /* verilator lint_on UNUSEDSIGNAL */
    wire [OUT_BITS-1:0] activation = !positive ? {OUT_BITS{1'b0}} : (saturate ? {OUT_BITS{1'b1}} : rounded[OUT_BITS:1]);

    always @(posedge clk) begin
        if (rst) begin
            out_valid <= 1'b0;
        end else if (advance) begin
            out_valid <= s1_valid;
        end

        if (advance) begin
            result <= s1_raw ? s1_sum : {{(ACC_BITS - OUT_BITS){1'b0}}, activation};
        end
    end
endmodule

`default_nettype wire
