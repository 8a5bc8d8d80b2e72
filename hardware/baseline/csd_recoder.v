`default_nettype none

// Canonical signed digit (CSD, also called non-adjacent form) recoding of a signed constant,
// bit-exact with ShiftAddMultiplier.Recode in kernels/: bit k of `plus` means +2^k, bit k of
// `minus` means -2^k, no two adjacent digits are nonzero, and the value equals the constant.
//
// The kernel walks the constant digit by digit (odd: c mod 4 == 1 -> +1, == 3 -> -1). Hardware
// gets the same digits without a loop from one carry chain (Reitwiesner's identity, verified
// exhaustively against the kernel for every 16-bit constant by the test bench):
//     h = c >>> 1;  t = c + h;  d = h ^ t;  plus = t & d;  minus = h & d
// Above the top nonzero digit h and t both hold the sign, so d (and both masks) are zero there.
//
// Combinational: the PE recodes each codebook value once, on its way from the codebook to the
// multiplier, so this is one 17-bit add in the datapath.
module csd_recoder #(
    parameter CONST_BITS = 16,             // width of the signed constant
    parameter DIGITS = CONST_BITS + 1      // digit positions 0..DIGITS-1 (a B-bit constant needs B+1 in general)
) (
    input  wire [CONST_BITS-1:0] constant, // two's complement
    output wire [DIGITS-1:0]     plus,     // bit k: digit +1 at 2^k
    output wire [DIGITS-1:0]     minus     // bit k: digit -1 at 2^k
);
    // One spare bit above the digits keeps c + c/2 free of overflow: |c + c/2| < 1.5 * 2^(B-1) < 2^B.
    localparam W = DIGITS + 1;

    wire signed [W-1:0] c = {{(W - CONST_BITS){constant[CONST_BITS-1]}}, constant};
    wire signed [W-1:0] h = c >>> 1;
    wire signed [W-1:0] t = c + h;
    wire [W-1:0] d = h ^ t;
    wire [W-1:0] p = t & d;
    wire [W-1:0] m = h & d;

    assign plus = p[DIGITS-1:0];
    assign minus = m[DIGITS-1:0];

    // The spare top bit of the masks is always zero (the sign fills h and t there); it only sizes the add.
    wire unused_top = p[W-1] ^ m[W-1];
endmodule

`default_nettype wire
