`default_nettype none

// Unsigned 8-bit x times a signed 16-bit constant on one of the UP5K's SB_MAC16 DSP blocks: the
// same exact product as shift_add_multiplier_multiply_activation (and as x * c in the C# kernels), sign-extended to
// 32 bits, with the same latency (3 cycles: an operand entering with in_valid in cycle t leaves
// with out_valid in cycle t + 3), one operand per cycle, and the same ports and tag, so a PE can
// take either. It takes the constant itself rather than csd_recoder's digit masks.
//
// USE_MAC16 = 1 instantiates SB_MAC16 explicitly, in its 16x16 mode:
//   A = constant (A_SIGNED = 1), B = {8'b0, x} (B_SIGNED = 0: x is zero-extended, so B is never
//   read as negative). The product of a signed and an unsigned 16-bit operand is a 32-bit two's
//   complement number, and |x * c| <= 255 * 32768 < 2^31, so O is the product, already
//   sign-extended, with no fabric logic on the data at all.
//   The three stages are the DSP's own registers, which cost no logic cells and make the fastest
//   16x16 configuration: the A/B input registers, the four 8x8 partial-product registers
//   (TOP_8x8_MULT_REG, BOT_8x8_MULT_REG, PIPELINE_16x16_MULT_REG1) and the 32-bit register after
//   the partial-product adder (PIPELINE_16x16_MULT_REG2), which drives O directly
//   (TOPOUTPUT_SELECT = BOTOUTPUT_SELECT = 3). The accumulator stages are bypassed. The DSP's
//   registers have asynchronous resets only, so they are tied off and the data is not reset (as in
//   shift_add_multiplier_multiply_activation: the valid bit says when the data counts); valid and tag, which do reset,
//   go through three fabric flip-flop stages beside it.
// USE_MAC16 = 0 is the same pipeline written with a behavioural `*`, for parts without DSPs such
// as the HX8K (there shift_add_multiplier_multiply_activation is the smaller choice) or for synthesis to infer.
// PRODUCT_LAG = 1 holds the product one more cycle in the DSP's output register (the accumulator
// register, loaded with product + 0 through the DSP's adder): it comes a cycle after out_valid and
// out_tag, for an owner that would register it there anyway (a PE's accumulate stage), which then
// needs no 32 flip-flops of fabric for it.
module dsp_multiplier #(
    parameter TAG_BITS = 1,            // side information delayed with the product (e.g. valid, row)
    parameter USE_MAC16 = 1,           // 1: SB_MAC16 (iCE40 UP5K); 0: behavioural multiply
    parameter PRODUCT_LAG = 0          // 1: the product a cycle after out_valid, from the DSP's output register
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                in_valid,
    input  wire [7:0]          x,         // unsigned
    input  wire [15:0]         constant,  // two's complement
    input  wire [TAG_BITS-1:0] in_tag,
    output wire                out_valid,
    output wire [31:0]         product,   // two's complement, exact (PRODUCT_LAG cycles after out_valid)
    output wire [TAG_BITS-1:0] out_tag,
    output wire                busy       // an operand is inside the pipeline (for the PE's idle; not the lag cycle, when the owner holds out_valid)
);
    // Valid and tag: three stages, reset.
    reg [TAG_BITS:0] side1, side2, side3;
    always @(posedge clk) begin
        if (rst) begin
            side1 <= {(TAG_BITS + 1){1'b0}};
            side2 <= {(TAG_BITS + 1){1'b0}};
            side3 <= {(TAG_BITS + 1){1'b0}};
        end else begin
            side1 <= {in_tag, in_valid};
            side2 <= side1;
            side3 <= side2;
        end
    end

    assign out_valid = side3[0];
    assign out_tag = side3[TAG_BITS:1];
    assign busy = side1[0] | side2[0] | side3[0];

    generate
        if (USE_MAC16 != 0) begin : mac16
            wire [31:0] o;
            wire unused_co, unused_accumco, unused_signextout;

            SB_MAC16 #(
                .NEG_TRIGGER(1'b0),
                .A_REG(1'b1),                       // stage 1: operands
                .B_REG(1'b1),
                .C_REG(1'b0),                       // C and D (accumulator operands) unused
                .D_REG(1'b0),
                .TOP_8x8_MULT_REG(1'b1),            // stage 2: all four 8x8 partial products
                .BOT_8x8_MULT_REG(1'b1),
                .PIPELINE_16x16_MULT_REG1(1'b1),
                .PIPELINE_16x16_MULT_REG2(1'b1),    // stage 3: the 32-bit product
                // O = product register (3), or with PRODUCT_LAG the output registers (1) loaded
                // with the adders' sum of the product's halves (2) and C = D = 0 (1): no carry
                // can come out of the low half, so the carry-in of each half is 0.
                .TOPOUTPUT_SELECT(PRODUCT_LAG != 0 ? 2'd1 : 2'd3),
                .TOPADDSUB_LOWERINPUT(PRODUCT_LAG != 0 ? 2'd2 : 2'd0),
                .TOPADDSUB_UPPERINPUT(PRODUCT_LAG != 0 ? 1'b1 : 1'b0),
                .TOPADDSUB_CARRYSELECT(2'd0),
                .BOTOUTPUT_SELECT(PRODUCT_LAG != 0 ? 2'd1 : 2'd3),
                .BOTADDSUB_LOWERINPUT(PRODUCT_LAG != 0 ? 2'd2 : 2'd0),
                .BOTADDSUB_UPPERINPUT(PRODUCT_LAG != 0 ? 1'b1 : 1'b0),
                .BOTADDSUB_CARRYSELECT(2'd0),
                .MODE_8x8(1'b0),                    // one 16x16 multiplier
                .A_SIGNED(1'b1),                    // the constant
                .B_SIGNED(1'b0)                     // x, zero-extended
            ) mac (
                .CLK(clk), .CE(1'b1),
                .A(constant), .B({8'b0, x}), .C(16'b0), .D(16'b0),
                .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
                .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
                .OLOADTOP(1'b0), .OLOADBOT(1'b0), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
                .OHOLDTOP(1'b0), .OHOLDBOT(1'b0),
                .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
                .O(o), .CO(unused_co), .ACCUMCO(unused_accumco), .SIGNEXTOUT(unused_signextout)
            );

            assign product = o;
        end else begin : behavioural
            // Operands registered twice, then the product once. Not the other way round: Yosys 0.23's
            // ice40_dsp pass (synth_ice40 -dsp) crashes on a multiply followed by two registers,
            // while this shape maps to one SB_MAC16 there too (it takes the second operand
            // register and the product register) and, without -dsp, to LUTs.
            reg [7:0] x_q, x_qq;
            reg signed [15:0] c_q, c_qq;
            reg signed [31:0] p_q, p_lag;
            // x zero-extended to a signed 9-bit operand, so that the whole multiply is signed.
            wire signed [8:0] x_signed = {1'b0, x_qq};
            always @(posedge clk) begin       // data needs no reset: the valid bit says when it counts
                x_q <= x;
                c_q <= constant;
                x_qq <= x_q;
                c_qq <= c_q;
                p_q <= x_signed * c_qq;
                p_lag <= p_q;
            end

            assign product = PRODUCT_LAG != 0 ? p_lag : p_q;
        end
    endgenerate
endmodule

`default_nettype wire
