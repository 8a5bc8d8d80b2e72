`default_nettype none
// An unsigned 16 x 16-bit product in the same cycle, on one of the UP5K's SB_MAC16 DSP blocks
// with all of its registers bypassed (USE_MAC16 = 1), or as a behavioural `*` (USE_MAC16 = 0, for
// parts without DSPs). Both engines use it where a product of two registers is needed once in a
// while and shift and add would cost flip-flops (a chained column block's FirstCol * batch): the
// DSP costs no logic cells.
module dsp_product #(
    parameter USE_MAC16 = 1    // 1: SB_MAC16 (iCE40 UP5K); 0: behavioural multiply
) (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [31:0] product
);
    generate
        if (USE_MAC16 != 0) begin : mac16
            wire unused_co, unused_accumco, unused_signextout;
            SB_MAC16 #(
                .NEG_TRIGGER(1'b0),
                .A_REG(1'b0), .B_REG(1'b0), .C_REG(1'b0), .D_REG(1'b0),   // no registers: combinational
                .TOP_8x8_MULT_REG(1'b0), .BOT_8x8_MULT_REG(1'b0),
                .PIPELINE_16x16_MULT_REG1(1'b0), .PIPELINE_16x16_MULT_REG2(1'b0),
                .TOPOUTPUT_SELECT(2'd3), .BOTOUTPUT_SELECT(2'd3),           // O = the 16 x 16 product
                .TOPADDSUB_LOWERINPUT(2'd0), .TOPADDSUB_UPPERINPUT(1'b0), .TOPADDSUB_CARRYSELECT(2'd0),
                .BOTADDSUB_LOWERINPUT(2'd0), .BOTADDSUB_UPPERINPUT(1'b0), .BOTADDSUB_CARRYSELECT(2'd0),
                .MODE_8x8(1'b0),
                .A_SIGNED(1'b0), .B_SIGNED(1'b0)
            ) mac (
                .CLK(1'b0), .CE(1'b0),
                .A(a), .B(b), .C(16'b0), .D(16'b0),
                .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
                .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
                .OLOADTOP(1'b0), .OLOADBOT(1'b0), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
                .OHOLDTOP(1'b0), .OHOLDBOT(1'b0),
                .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
                .O(product), .CO(unused_co), .ACCUMCO(unused_accumco), .SIGNEXTOUT(unused_signextout)
            );
        end else begin : behavioural
            assign product = {16'd0, a} * {16'd0, b};
        end
    endgenerate
endmodule
`default_nettype wire
