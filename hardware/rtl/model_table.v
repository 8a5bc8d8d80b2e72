`default_nettype none
// The device's table of registered models: where each committed image lies in the weight memory.
// A memory plan registers each resident block as a model, so the table must hold many entries
// (a plan for eight models on the UP5K keeps 54 blocks resident). Entries are kept in a memory
// (block RAM past 16 entries: a register set and compares per slot cost about 80 UP5K cells) and
// are compared one at a time: a scan reads every entry in use, in order, and finds the model
// registered at an address, the first free slot, and, when asked to, unregisters each model a
// DMA write overlaps. A scan takes at most the slots ever used
// since reset plus three cycles; entries past that mark are free without being cleared, so a
// reset only clears the mark.
module model_table #(
    parameter SLOTS    = 4,               // models registered at once, 1 .. 255 (Hello byte 31)
    parameter MEM_BITS = 17,              // log2 of the weight memory's bytes
    parameter AW       = MEM_BITS + 1     // bits of an image's end (0 .. 2^MEM_BITS inclusive)
) (
    input  wire                clk,
    input  wire                rst,
    // A scan compares every registered model with [addr, end_addr); addr and end_addr must hold
    // still until it is over.
    input  wire                scan,      // start a scan (ignored while busy)
    input  wire                drop,      // with scan: unregister each model the range overlaps
    input  wire [MEM_BITS-1:0] addr,
    input  wire [AW-1:0]       end_addr,
    output wire                busy,      // a scan asked for or running: its findings are ready when it falls
    // The last scan's findings; they hold until the next scan.
    output reg                 found,     // a model is registered at addr
    output wire                full,      // no slot is free (exact after a scan that drops nothing)
    // Acting on a scan's findings, while no scan runs.
    input  wire                add,       // register [addr, end_addr) in the free slot found
    input  wire                remove,    // unregister the model found at addr
    output reg  [7:0]          count      // models registered
);
    localparam IW = SLOTS > 1 ? $clog2(SLOTS) : 1;   // a slot's index
    localparam CW = $clog2(SLOTS + 1);                // 0 .. SLOTS
    localparam EW = 1 + MEM_BITS + AW;                // an entry: {registered, address, end}
    localparam [31:0] SLOTS32 = SLOTS;
    localparam [CW-1:0] SLOTS_C = SLOTS32[CW-1:0];

    reg [CW-1:0] used;        // slots written since reset; those past it are free

    // The scan's pipeline: entry `read_at` is asked for; it arrives from the memory a cycle later,
    // when it is compared (`comparing`); the comparisons are acted on the cycle after that (`judged`),
    // so that neither the memory's late output nor the compare's carry chain reaches a write enable.
    reg          scanning;
    reg [CW-1:0] read_at;
    reg          comparing, judged;
    reg [IW-1:0] compare_at, judged_at;
    reg [EW-1:0] entry;
    reg          dropping;
    reg          hit_overlap, hit_match, hit_empty;   // the judged entry's verdicts

    reg          free_seen;   // a slot below `used` is free: free_slot
    reg [IW-1:0] free_slot, found_slot;

    wire busy_running = scanning || comparing || judged;
    assign busy = scan || busy_running;
    assign full = !free_seen && used == SLOTS_C;

    wire          entry_valid = entry[EW-1];
    wire [MEM_BITS-1:0] entry_addr = entry[AW +: MEM_BITS];
    wire [AW-1:0] entry_end = entry[AW-1:0];
    wire          entry_overlaps = entry_valid && {1'b0, addr} < entry_end && {1'b0, entry_addr} < end_addr;
    wire          entry_matches = entry_valid && entry_addr == addr;

    // One write port: a scan's drops, or an add or remove between scans.
    wire          drop_now = judged && dropping && hit_overlap;
    wire          adding = add && !full && !drop_now;
    wire          removing = remove && found && !add && !drop_now;
    wire [IW-1:0] add_at = free_seen ? free_slot : used[IW-1:0];
    wire          write = drop_now || adding || removing;
    wire [IW-1:0] write_at = drop_now ? judged_at : adding ? add_at : found_slot;
    // Only the flag matters in a free entry: its range is written as is (no gates on 35 bits).
    wire [EW-1:0] write_entry = {adding, addr, end_addr};

    // Up to 16 entries are flip-flops (a few hundred bits cost less than block RAMs, and the HX8K
    // has none left); a larger table is block RAM.
    generate
        if (SLOTS > 16) begin : in_block_ram
            // An entry is never read in the cycle it is written (a scan reads ahead of its drops, and
            // adds and removes wait for the scan), so no bypass is built for it.
            (* no_rw_check *) reg [EW-1:0] entries [0:SLOTS-1];
            always @(posedge clk) begin
                if (write) entries[write_at] <= write_entry;
                entry <= entries[read_at[IW-1:0]];
            end
        end else begin : in_flip_flops
            (* ram_style = "logic" *) reg [EW-1:0] entries [0:SLOTS-1];
            always @(posedge clk) begin
                if (write) entries[write_at] <= write_entry;
                entry <= entries[read_at[IW-1:0]];
            end
        end
    endgenerate

    always @(posedge clk) begin
        comparing <= scanning && read_at != used;
        compare_at <= read_at[IW-1:0];
        judged <= comparing;
        judged_at <= compare_at;
        hit_overlap <= entry_overlaps;
        hit_match <= entry_matches;
        hit_empty <= !entry_valid;

        if (scanning) begin
            if (read_at == used) scanning <= 1'b0;
            else read_at <= read_at + 1'b1;
        end
        if (judged) begin
            if (hit_match) begin
                found <= 1'b1;
                found_slot <= judged_at;
            end
            if (hit_empty && !free_seen) begin
                free_seen <= 1'b1;
                free_slot <= judged_at;
            end
        end

        // The count follows the writes: an add puts one on, a drop or remove takes one off (one adder).
        if (write) count <= count + (adding ? 8'd1 : 8'hFF);
        if (adding) begin
            // The slot is taken; a later add goes past the mark, which is free, until a scan.
            if (free_seen) free_seen <= 1'b0;
            else used <= used + 1'b1;
        end
        if (removing) found <= 1'b0;

        if (scan && !busy_running) begin
            scanning <= 1'b1;
            dropping <= drop;
            read_at <= {CW{1'b0}};
            found <= 1'b0;
            free_seen <= 1'b0;
        end

        if (rst) begin
            used <= {CW{1'b0}};
            count <= 8'd0;
            scanning <= 1'b0;
            comparing <= 1'b0;
            judged <= 1'b0;
            found <= 1'b0;
            free_seen <= 1'b0;
        end
    end
endmodule
`default_nettype wire
