`default_nettype none
// The work counters of a Run (RunReply.cs): cycles, entries, shift-add steps and broadcasts of one
// image, or of a batch so far. `clear` zeroes them for a new batch; otherwise each counts what the
// engine reports in the cycle, behind an enable (an enable keeps the decision that a cycle counts
// beside the adder, not ahead of it: a multiplexer ahead of the 32-bit adds cost the UP5K build its
// Fmax). On the UP5K (USE_MAC16) each count is an SB_MAC16's accumulator (dsp_counter), where the four
// adders and their 128 flip-flops took 144 of its 5,280 logic cells. The Run reply carries them as four
// u64 at bytes 8 .. 39: reply_byte is byte reply_index of that block (the high words are zero), so the
// engine writes it without a multiplexer of its own.
module run_counters #(
    parameter ENTRY_BITS = 3,   // widest per-cycle entry count (PE array: one per PE)
    parameter STEP_BITS  = 7,   // widest per-cycle step count
    parameter USE_MAC16  = 0    // 1: each counter is an SB_MAC16's accumulator (dsp_counter; UP5K), no logic cells
) (
    input  wire                  clk,
    input  wire                  clear,
    input  wire                  count_cycle,
    input  wire                  add_work,      // add_entries and add_steps count this cycle
    input  wire [ENTRY_BITS-1:0] add_entries,
    input  wire [STEP_BITS-1:0]  add_steps,
    input  wire                  add_broadcast,
    input  wire [4:0]            reply_index,   // byte of the reply's counter block
    output wire [7:0]            reply_byte,
    output wire [31:0]           cycles,
    output wire [31:0]           entries,
    output wire [31:0]           steps,
    output wire [31:0]           broadcasts
);
    dsp_counter #(.USE_MAC16(USE_MAC16)) cycle_count (
        .clk(clk), .clear(clear), .add_en(count_cycle), .add(16'd1), .count(cycles));
    dsp_counter #(.USE_MAC16(USE_MAC16)) entry_count (
        .clk(clk), .clear(clear), .add_en(add_work), .add({{(16 - ENTRY_BITS){1'b0}}, add_entries}), .count(entries));
    dsp_counter #(.USE_MAC16(USE_MAC16)) step_count (
        .clk(clk), .clear(clear), .add_en(add_work), .add({{(16 - STEP_BITS){1'b0}}, add_steps}), .count(steps));
    dsp_counter #(.USE_MAC16(USE_MAC16)) broadcast_count (
        .clk(clk), .clear(clear), .add_en(add_broadcast), .add(16'd1), .count(broadcasts));

    reg [31:0] word;
    always @* begin
        case (reply_index[4:3])
            2'd0: word = cycles;
            2'd1: word = entries;
            2'd2: word = steps;
            default: word = broadcasts;
        endcase
    end
    assign reply_byte = reply_index[2] ? 8'd0 : word[8*reply_index[1:0] +: 8];
endmodule
`default_nettype wire
