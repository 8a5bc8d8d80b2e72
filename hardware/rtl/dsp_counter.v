`default_nettype none
// A 32-bit counter that adds `add` in the cycles `add_en` is high, and `clear` (which wins) zeroes it.
// On the UP5K (USE_MAC16 = 1) it is the accumulator of an SB_MAC16 DSP block, which the designs leave
// mostly idle, so it costs no logic cell: the adder and its 32 flip-flops would otherwise take 32 cells.
// The count is the DSP's output register, as the behavioural build's (USE_MAC16 = 0) is a register;
// it holds no defined value until the first clear (the engines clear it when a Run starts).
module dsp_counter #(
    parameter USE_MAC16 = 1    // 1: SB_MAC16 (iCE40 UP5K); 0: an adder and a register
) (
    input  wire        clk,
    input  wire        clear,
    input  wire        add_en,
    input  wire [15:0] add,
    output wire [31:0] count
);
    generate
        if (USE_MAC16 != 0) begin : mac16
            // The low half adds `add` to itself (B + S), the high half adds the low half's carry (0 + Q + carry);
            // a load puts C and D, zeros, into both halves; a hold keeps them.
            wire hold = !(clear || add_en);
            wire unused_co, unused_accumco, unused_signextout;
            SB_MAC16 #(
                .NEG_TRIGGER(1'b0),
                .A_REG(1'b0), .B_REG(1'b0), .C_REG(1'b0), .D_REG(1'b0),
                .TOP_8x8_MULT_REG(1'b0), .BOT_8x8_MULT_REG(1'b0),
                .PIPELINE_16x16_MULT_REG1(1'b0), .PIPELINE_16x16_MULT_REG2(1'b0),
                .TOPOUTPUT_SELECT(2'd1), .BOTOUTPUT_SELECT(2'd1),           // O = the accumulator registers
                .TOPADDSUB_LOWERINPUT(2'd0), .TOPADDSUB_UPPERINPUT(1'b0), .TOPADDSUB_CARRYSELECT(2'd2),   // A + Q + the low half's carry
                .BOTADDSUB_LOWERINPUT(2'd0), .BOTADDSUB_UPPERINPUT(1'b0), .BOTADDSUB_CARRYSELECT(2'd0),   // B + S
                .MODE_8x8(1'b0),
                .A_SIGNED(1'b0), .B_SIGNED(1'b0)
            ) mac (
                .CLK(clk), .CE(1'b1),
                .A(16'd0), .B(add), .C(16'd0), .D(16'd0),
                .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
                .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
                .OLOADTOP(clear), .OLOADBOT(clear), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
                .OHOLDTOP(hold), .OHOLDBOT(hold),
                .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
                .O(count), .CO(unused_co), .ACCUMCO(unused_accumco), .SIGNEXTOUT(unused_signextout)
            );
        end else begin : behavioural
            reg [31:0] value;
            always @(posedge clk) begin
                if (clear) value <= 32'd0;
                else if (add_en) value <= value + {16'd0, add};
            end
            assign count = value;
        end
    endgenerate
endmodule
`default_nettype wire
