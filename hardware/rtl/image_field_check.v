`default_nettype none
// The checks an engine makes on a model image's header and layer instructions as it reads them
// (the emulator refuses the same images at commit): sizes that this build's buffers hold, a known
// opcode, output kind, shift and pointer width, a PE count the engine can run, a layer's columns
// equal to the values it is given, and raw outputs only from the last layer. With COLUMN_BLOCKS a
// column block (opcode 2) differs from a whole layer in three checked fields: an input of no bytes (a
// chained block reads scratch), its flags, and its columns (not those of the input when chained); and
// its sums must fit beside the batch's earlier ones, which the engine decides (sums_past: each engine
// lays its accumulators out its own way). Both engines use this one module. Combinational: the
// engine registers the verdict in a cycle of its own (the compare chains ahead of every state bit
// limited the UP5K's Fmax).
module image_field_check #(
    parameter ACT_BITS = 10,   // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9,    // accumulators: up to 2^ACC_BITS rows per layer
    parameter PES      = 0,    // the PE count an image must have (its lanes are the PEs'); 0: any of 1 .. 16
    parameter COLUMN_BLOCKS = 0   // 1: column blocks (opcode 2) are accepted
) (
    input  wire [31:0]       value,          // the field just read
    input  wire [15:0]       layer_count,    // header: the layer count read before the input size
    input  wire [2:0]        field,          // instruction: which 4-byte field value is
    input  wire              final_layer,    // the instruction is the last layer's
    input  wire              raw_output,     // its output kind (field 0), for fields after it
    input  wire [ACT_BITS:0] width,          // values the layer is given
    input  wire              is_block,       // the instruction is a column block (field 0), for fields after it
    input  wire              chain_in,       // its input is the previous block's chained values (field 1), for field 3
    input  wire              sums_past,      // field 2 as a block's rows: its sums would not fit the accumulators
    output wire              header_bad,     // value as the header's input size
    output reg               layer_bad       // value as instruction field `field`
);
    // A 32-bit size read from the image fits 2^bits values (0 included).
    function at_most_pow2(input [31:0] size, input integer bits);
        begin
            at_most_pow2 = (size >> bits) == 32'd0 || ((size >> bits) == 32'd1 && (size & ((32'd1 << bits) - 32'd1)) == 32'd0);
        end
    endfunction

    localparam [15:0] REQUIRED_PES = PES;
    localparam BLOCKS = COLUMN_BLOCKS != 0;
    // An input size of 0: a chained block's.
    assign header_bad = (!BLOCKS && value == 32'd0) || !at_most_pow2(value, ACT_BITS) || layer_count == 16'd0;
    always @* begin
        case (field)
            // opcode | output kind | shift | pointer bits
            3'd0: layer_bad = (value[7:0] != 8'd1 && !(BLOCKS && value[7:0] == 8'd2))
                              || value[23:16] > 8'd31 || (value[31:24] != 8'd16 && value[31:24] != 8'd32);
            // PE count | BlockFlags (Accumulate, Hold, ChainIn, ChainOut): a block has some, a layer none
            3'd1: layer_bad = value[15:0] == 16'd0 || value[15:0] > 16'd16 || (PES != 0 && value[15:0] != REQUIRED_PES)
                              || (BLOCKS && (is_block == (value[23:16] == 8'd0) || value[23:20] != 4'd0));
            3'd2: layer_bad = value == 32'd0 || !at_most_pow2(value, ACC_BITS) || !at_most_pow2(value, ACT_BITS)
                              || (!final_layer && raw_output) || (BLOCKS && is_block && sums_past);
            // A chained block's columns are its own, not the (zero) input size's.
            3'd3: layer_bad = (value != {{(31 - ACT_BITS){1'b0}}, width} && !(BLOCKS && chain_in && width == {(ACT_BITS + 1){1'b0}}))
                              || (BLOCKS && value == 32'd0);
            default: layer_bad = 1'b0;
        endcase
    end
endmodule
`default_nettype wire
