`default_nettype none

// Unsigned x times a CSD-recoded constant (plus/minus digit masks from csd_recoder), by shifts and
// adds only: the iCE40 HX has no multipliers, and this is ShiftAddMultiplier.Multiply of kernels/.
//
// Because CSD never has two adjacent nonzero digits, each pair of digit positions (2g, 2g+1)
// holds at most one nonzero digit, so the pair contributes 0, +-x<<2g or +-x<<(2g+1): one
// partial product per pair (radix-4, like Booth recoding) instead of one per digit. 17 digit
// positions give 9 partial products, summed by a binary adder tree; pipeline registers sit
// after chosen tree levels, so the multiplier accepts one operand per cycle and `tag` (the PE's
// row and valid bit) travels alongside with the same latency.
//
// A negative partial product is formed as ~(m<<2g) + (1<<2g): the inversion is free in the LUT
// that selects the partial product, and the +1 lands on bit 2g, which is still zero in the next
// pair's partial product (that one starts at bit 2g+2), so it is ORed in there instead of costing
// an adder. The top pair has no next pair and negates with a short subtractor.
//
// Latency 3 cycles for 16 or 17 digits (8 or 9 partial products, 3 or 4 tree levels). The PE
// passes 16 digits: a 16-bit constant never uses digit 16, and 8 partial products need one
// tree level less.
//
// Precondition: plus and minus are a CSD recoding (disjoint, no two adjacent nonzero digits), as
// csd_recoder produces; other masks give undefined products.
module shift_add_multiplier #(
    parameter X_BITS = 8,              // unsigned multiplicand (an activation)
    parameter DIGITS = 17,             // digit positions of the recoded constant (16-bit constant -> 17)
    parameter PRODUCT_BITS = 32,       // product width; the product is exact, sign-extended to this
    parameter TAG_BITS = 1             // side information delayed with the product (e.g. valid, row)
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    in_valid,
    input  wire [X_BITS-1:0]       x,
    input  wire [DIGITS-1:0]       plus,
    input  wire [DIGITS-1:0]       minus,
    input  wire [TAG_BITS-1:0]     in_tag,
    output wire                    out_valid,
    output wire [PRODUCT_BITS-1:0] product,   // two's complement
    output wire [TAG_BITS-1:0]     out_tag,
    output wire                    busy       // an operand is inside the pipeline (for the PE's idle)
);
    // Partial products: one per pair of digit positions.
    localparam GROUPS = (DIGITS + 1) / 2;
    // Exact width of any product: |x * c| < 2^X_BITS * (4/3) * 2^(DIGITS-1) < 2^(X_BITS+DIGITS), plus a sign bit.
    localparam IW = X_BITS + DIGITS + 1;

    // Adder tree shape: level 0 holds the partial products, level l the ceil(n/2) sums of level l-1.
    function integer terms_at;
        input integer level;
        integer n, l;
        begin
            n = GROUPS;
            for (l = 0; l < level; l = l + 1) n = (n + 1) / 2;
            terms_at = n;
        end
    endfunction

    function integer levels_of;
        input integer groups;
        integer n, l;
        begin
            n = groups;
            l = 0;
            while (n > 1) begin
                n = (n + 1) / 2;
                l = l + 1;
            end
            levels_of = l;
        end
    endfunction

    // Index of the first term of a level in the `tree` array.
    function integer offset_of;
        input integer level;
        integer l, o;
        begin
            o = 0;
            for (l = 0; l < level; l = l + 1) o = o + terms_at(l);
            offset_of = o;
        end
    endfunction

    // A register stage after tree level 1 (it also absorbs the partial-product selection), after
    // the last two levels, and at the output: 3 stages for 9 partial products (4 levels) or for 8
    // (3 levels), so no stage holds more than two adders in series. A tree of one level gets one stage.
    localparam LEVELS = levels_of(GROUPS) < 1 ? 1 : levels_of(GROUPS);

    function integer registered_after;
        input integer level;
        begin
            registered_after = (level == 1 || level >= LEVELS - 1) ? 1 : 0;
        end
    endfunction

    localparam TERMS_TOTAL = offset_of(LEVELS + 1);

    // Every tree term, level by level. One array keeps the generate loops free of hierarchical
    // names; split_var tells Verilator that its elements are separate nets (each level only reads
    // the level below), which they are.
    wire [IW-1:0] tree [0:TERMS_TOTAL-1] /* verilator split_var */;
    // Valid and tag after each level (level 0 = the inputs).
    wire [TAG_BITS:0] side [0:LEVELS] /* verilator split_var */;

    assign side[0] = {in_tag, in_valid};

    // Valid bit of every registered stage, for `busy`.
    wire [LEVELS:1] stage_valid;

    // Sign of each pair's partial product; pair g's +1 is folded into pair g+1.
    wire [GROUPS-1:0] negative;
    wire unused_top_sign = negative[GROUPS-1];   // the top pair negates itself

    genvar g, l, i;
    generate
        for (g = 0; g < GROUPS; g = g + 1) begin : partial
            // The digits of this pair; the top pair of an odd digit count has only one.
            wire p0 = plus[2*g];
            wire m0 = minus[2*g];
            wire p1;
            wire m1;
            if (2 * g + 1 < DIGITS) begin : pair
                assign p1 = plus[2*g+1];
                assign m1 = minus[2*g+1];
            end else begin : single
                assign p1 = 1'b0;
                assign m1 = 1'b0;
            end

            // Magnitude x or 2x (relative to 2^2g), and its sign.
            wire [X_BITS:0] mag = (p0 | m0) ? {1'b0, x} : ((p1 | m1) ? {x, 1'b0} : {(X_BITS + 1){1'b0}});
            wire neg = m0 | m1;
            assign negative[g] = neg;
            wire [IW-2*g-1:0] wide = {{(IW - 2*g - X_BITS - 1){1'b0}}, mag};

            // The +1 of the pair below (bit 2g-2), where this partial product is still zero.
            wire [IW-1:0] carry_in;
            if (g == 0) begin : first
                assign carry_in = {IW{1'b0}};
            end else begin : above
                assign carry_in = {{(IW - 1){1'b0}}, negative[g-1]} << (2*g - 2);
            end

            wire [IW-2*g-1:0] signed_part;
            if (g == GROUPS - 1) begin : top
                // Nothing above to take the +1: negate outright (a short subtractor).
                assign signed_part = neg ? ({(IW - 2*g){1'b0}} - wide) : wide;
            end else begin : inner
                assign signed_part = neg ? ~wide : wide;
            end

            if (g == 0) begin : unshifted
                assign tree[g] = signed_part | carry_in;
            end else begin : shifted
                assign tree[g] = {signed_part, {(2*g){1'b0}}} | carry_in;
            end
        end

        for (l = 1; l <= LEVELS; l = l + 1) begin : level
            localparam integer BELOW = offset_of(l - 1);   // first term of the level below
            localparam integer HERE = offset_of(l);        // first term of this level
            for (i = 0; i < terms_at(l); i = i + 1) begin : node
                wire [IW-1:0] a = tree[BELOW + 2*i];
                wire [IW-1:0] b;
                if (2 * i + 1 < terms_at(l - 1)) begin : add
                    assign b = tree[BELOW + 2*i + 1];
                end else begin : pass
                    assign b = {IW{1'b0}};
                end

                if (registered_after(l) != 0) begin : stage
                    reg [IW-1:0] sum;
                    always @(posedge clk) sum <= a + b;   // data needs no reset: `side` says when it is valid
                    assign tree[HERE + i] = sum;
                end else begin : comb
                    assign tree[HERE + i] = a + b;
                end
            end

            wire [TAG_BITS:0] side_in = side[l-1];
            if (registered_after(l) != 0) begin : side_stage
                reg [TAG_BITS:0] side_q;
                always @(posedge clk) begin
                    if (rst) side_q <= {(TAG_BITS + 1){1'b0}};
                    else side_q <= side_in;
                end
                assign side[l] = side_q;
                assign stage_valid[l] = side_q[0];
            end else begin : side_comb
                assign side[l] = side_in;
                assign stage_valid[l] = 1'b0;
            end
        end
    endgenerate

    localparam integer ROOT = offset_of(LEVELS);
    wire [IW-1:0] result = tree[ROOT];

    generate
        if (PRODUCT_BITS > IW) begin : extend
            assign product = {{(PRODUCT_BITS - IW){result[IW-1]}}, result};
        end else begin : truncate
            assign product = result[PRODUCT_BITS-1:0];
            if (PRODUCT_BITS < IW) begin : drop
                wire unused_high = ^result[IW-1:PRODUCT_BITS];
            end
        end
    endgenerate

    assign busy = |stage_valid;
    wire [TAG_BITS:0] side_out = side[LEVELS];
    assign out_valid = side_out[0];
    assign out_tag = side_out[TAG_BITS:1];
endmodule

`default_nettype wire
