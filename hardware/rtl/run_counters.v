`default_nettype none
// The work counters of a Run (RunReply.cs): cycles, entries, shift-add steps and broadcasts of one
// image, or of a batch so far. `clear` zeroes them for a new batch; otherwise each counts what the
// engine reports in the cycle, behind an enable (an enable keeps the decision that a cycle counts
// beside the adder, not ahead of it: a multiplexer ahead of the 32-bit adds cost the UP5K build its
// Fmax). The Run reply carries them as four u64 at bytes 8 .. 39: reply_byte is byte reply_index
// of that block (the high words are zero), so the engine writes it without a multiplexer of its own.
module run_counters #(
    parameter ENTRY_BITS = 3,   // widest per-cycle entry count (PE array: one per PE)
    parameter STEP_BITS  = 7    // widest per-cycle step count
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
    output reg  [31:0]           cycles,
    output reg  [31:0]           entries,
    output reg  [31:0]           steps,
    output reg  [31:0]           broadcasts
);
    always @(posedge clk) begin
        if (clear) begin
            cycles <= 32'd0;
            entries <= 32'd0;
            steps <= 32'd0;
            broadcasts <= 32'd0;
        end else begin
            if (count_cycle) cycles <= cycles + 32'd1;
            if (add_work) begin
                entries <= entries + {{(32 - ENTRY_BITS){1'b0}}, add_entries};
                steps <= steps + {{(32 - STEP_BITS){1'b0}}, add_steps};
            end
            if (add_broadcast) broadcasts <= broadcasts + 32'd1;
        end
    end

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
