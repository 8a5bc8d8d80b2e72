`default_nettype none

// Gearbox from memory words to narrow values, bit-exact with WidthConverter.Unpack in kernels/:
// memory is a little-endian bit stream, value i occupies stream bits [i*VALUE_BITS, (i+1)*VALUE_BITS),
// a value may straddle two words, and a value is sign-extended (SIGNED) or zero-extended to 32 bits
// (a 32-bit value keeps its bit pattern either way). Bits of the last word past the last value are
// simply never asked for; `flush` drops them before the next stream starts.
//
// A shift buffer holds `count` not yet emitted stream bits, oldest at bit 0. A value leaves from the
// bottom (shift right by VALUE_BITS); a word enters above the bits still held. The buffer holds
// BUS_BITS + 2*VALUE_BITS - 1 bits, enough to accept a word whenever fewer than 2*VALUE_BITS bits
// remain: then the output never starves while words keep coming, although word_ready is a register
// function (no combinational path from value_ready to word_ready).
module width_unpacker #(
    parameter BUS_BITS = 32,       // memory word width (32 or 64; 8 and 16 work as well)
    parameter VALUE_BITS = 4,      // 1..32
    parameter SIGNED = 0,          // 1: sign-extend values, 0: zero-extend
    parameter OUT_BITS = 32        // width of `value`
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                flush,        // synchronous: forget buffered bits (start of a new stream)
    input  wire                word_valid,
    output wire                word_ready,
    input  wire [BUS_BITS-1:0] word,
    output wire                value_valid,
    input  wire                value_ready,
    output wire [OUT_BITS-1:0] value
);
    localparam CAP = BUS_BITS + 2 * VALUE_BITS - 1;
    // Enough bits to count 0..CAP.
    localparam COUNT_BITS = $clog2(CAP + 1);
    localparam [COUNT_BITS-1:0] VALUE_COUNT = VALUE_BITS;
    localparam [COUNT_BITS-1:0] WORD_COUNT = BUS_BITS;
    localparam [COUNT_BITS-1:0] ROOM_FOR_WORD = CAP - BUS_BITS;   // accept a word while count <= this

    reg [CAP-1:0]        buffer;   // bits above `count` are kept zero, so a new word can be ORed in
    reg [COUNT_BITS-1:0] count;

    assign value_valid = count >= VALUE_COUNT;
    assign word_ready = count <= ROOM_FOR_WORD;

    wire take_value = value_valid && value_ready;
    wire take_word = word_valid && word_ready;

    // After this cycle's value leaves: what stays, and where the incoming word lands.
    wire [CAP-1:0]        kept = take_value ? (buffer >> VALUE_BITS) : buffer;
    wire [COUNT_BITS-1:0] kept_count = take_value ? count - VALUE_COUNT : count;
    wire [CAP-1:0]        placed = {{(CAP - BUS_BITS){1'b0}}, word} << kept_count;

    always @(posedge clk) begin
        if (rst || flush) begin
            buffer <= {CAP{1'b0}};
            count <= {COUNT_BITS{1'b0}};
        end else begin
            buffer <= take_word ? (kept | placed) : kept;
            count <= take_word ? kept_count + WORD_COUNT : kept_count;
        end
    end

    // The value at the bottom of the buffer, extended as the kernel does.
    wire [VALUE_BITS-1:0] bits = buffer[VALUE_BITS-1:0];
    generate
        if (OUT_BITS > VALUE_BITS) begin : extend
            wire fill = (SIGNED != 0) ? bits[VALUE_BITS-1] : 1'b0;
            assign value = {{(OUT_BITS - VALUE_BITS){fill}}, bits};
        end else begin : narrow
            assign value = bits[OUT_BITS-1:0];
            if (OUT_BITS < VALUE_BITS) begin : truncate
                wire unused_high = ^bits[VALUE_BITS-1:OUT_BITS];
            end
        end
    endgenerate
endmodule

`default_nettype wire
