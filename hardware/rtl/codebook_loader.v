`default_nettype none
// Turns a layer's codebook values, as the engine fetches them, into what its multipliers need: the
// canonical-signed-digit masks of each value (the recoder compiled from ShiftAddMultiplier.Recode16
// in kernels/, hardware/rtl/generated, digits 0 .. 16 of its 32) and the number of nonzero digits,
// the shift-add steps the value costs. Two stages, because the recoder's carry chain and the step
// count together were too long for a UP5K cycle: `load` with value and index registers the masks;
// a cycle later `we` offers the entry (index, value, masks, steps) for the engine's codebook.
module codebook_loader (
    input  wire        clk,
    input  wire        load,      // value is codebook entry `index`
    input  wire [3:0]  index,
    input  wire [15:0] value,
    output reg         we,        // one cycle after load: the entry below is ready
    output reg  [3:0]  addr,
    output reg  [15:0] word,      // the value itself (a DSP multiplier's constant)
    output reg  [16:0] plus,      // its digit masks (a shift-add multiplier's)
    output reg  [16:0] minus,
    output wire [4:0]  steps      // nonzero digits of the value
);
    wire [31:0] recoded_plus, recoded_minus;
    shift_add_multiplier_recode16 recoder (.constant(value), .plus(recoded_plus), .minus(recoded_minus));
    wire unused_high_digits = ^{recoded_plus[31:17], recoded_minus[31:17]};

    always @(posedge clk) begin
        we <= load;
        addr <= index;
        word <= value;
        plus <= recoded_plus[16:0];
        minus <= recoded_minus[16:0];
    end

    // Nonzero digits, counted as a tree of small sums rather than a chain of 17 additions.
    wire [16:0] digits = plus | minus;
    wire [2:0]  digits_a = {2'd0, digits[0]} + {2'd0, digits[1]} + {2'd0, digits[2]} + {2'd0, digits[3]};
    wire [2:0]  digits_b = {2'd0, digits[4]} + {2'd0, digits[5]} + {2'd0, digits[6]} + {2'd0, digits[7]};
    wire [2:0]  digits_c = {2'd0, digits[8]} + {2'd0, digits[9]} + {2'd0, digits[10]} + {2'd0, digits[11]};
    wire [2:0]  digits_d = {2'd0, digits[12]} + {2'd0, digits[13]} + {2'd0, digits[14]} + {2'd0, digits[15]};
    assign steps = ({2'd0, digits_a} + {2'd0, digits_b}) + ({2'd0, digits_c} + {2'd0, digits_d}) + {4'd0, digits[16]};
endmodule
`default_nettype wire
