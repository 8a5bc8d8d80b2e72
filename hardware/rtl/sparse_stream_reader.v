`default_nettype none

// Feeds a compiled kernel's span read port from a stream of its nonzero elements only, each with its
// index, as the PE array broadcasts activations (column and value, zeros left out). The kernel is
// compiled with a stall input (`codesign kernel verilog ... --stall`) and reads the span in order, every
// index; this module fills in the zeros:
//   - a read of the next index takes the stream's element when the element has that index, gets 0 when
//     the element's index is higher (that one is left for its own index), gets 0 when the stream has
//     ended (`in_end`: nothing more comes); when neither an element nor the end has arrived the read is
//     taken all the same and the kernel is held from the next cycle until one comes, its value then
//     written to the read data (the kernel, held, has not looked at it yet), so the kernel waits the
//     cycles it would have waited with the read held;
//   - a read of the index read last gets the same value again (a kernel's read-ahead reads twice);
//   - a read at or past the span's length never stalls (a kernel's read-ahead passes the end and does
//     not use the value: 0 for the next index, else the value read last);
//   - any other read (with CHECK_READS), or an element whose index was passed already (a stream out of
//     order or with an index twice), sets `order_fault` (until `restart`; a read's check lands a cycle
//     after it). A kernel whose reads are in order by construction (the PE's: index j or j + 1) can do
//     without the read check: about 40 LUT4 on the iCE40, as compiled_pe measures it.
// As with span_stream_reader, several holders OR their `stall` outputs into the kernel's stall input and
// each takes the OR back as `hold`; in_ready depends on in_valid, never the other way round. The stall
// drives every clock enable of the kernel, so it is a register of this module, and the read's address
// comes from the kernel's adders, so what this module does in a read's cycle looks only at the address's
// lowest bit (in order, a read is of the next index or the one before it) and at its own registers (the
// element's index is compared with the next index, not with the address); the full compares that check
// the order are a cycle late.
module sparse_stream_reader #(
    parameter DATA_BITS = 8,            // the span's element width
    parameter ADDR_BITS = 16,           // the kernel's span address width (its length has one bit more)
    parameter CHECK_READS = 1           // 1: a read of any index but the next one or the one before it is an order fault
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 restart,        // with the start the kernel takes (while idle): the next read is index 0

    input  wire                 in_valid,
    output wire                 in_ready,
    input  wire [ADDR_BITS-1:0] in_index,       // ascending within a call, each index at most once
    input  wire [DATA_BITS-1:0] in_data,
    input  wire                 in_end,         // the stream has nothing more for this call (held until restart)

    input  wire [ADDR_BITS:0]   length,         // the span's length, as the kernel's _length input has it
    input  wire                 rd_en,          // the kernel's _rd_en, _addr and _rd_data
    input  wire [ADDR_BITS-1:0] rd_addr,
    output reg  [DATA_BITS-1:0] rd_data,
    output wire                 stall,          // this reader holds the kernel: neither the next element nor the end is here
    input  wire                 hold,           // the kernel is held this cycle (the OR of every stall)
    output reg                  order_fault
);
    reg [ADDR_BITS:0]   next;                   // index of the read expected next
    reg                 next_in_range;          // next < length
    reg [DATA_BITS-1:0] last;                   // the value read last (index next - 1)
    reg                 pending;                // a read of index next was taken before its element or the end came

    wire is_next = rd_en && rd_addr[0] == next[0];         // in order: the next index ...
    wire is_last = rd_en && rd_addr[0] != next[0];         // ... or the one before it
    wire wants_next = is_next && next_in_range;
    wire [ADDR_BITS-1:0] next_index = next[ADDR_BITS-1:0];
    wire present = in_valid && in_index == next_index;    // the element is the one read
    wire passed = in_valid && in_index < next_index;      // the element's index went by without a read taking it
    wire known = in_valid || in_end;                      // index next's value is known: the element, a later one (0), or the end (0)
    wire answer = ((wants_next && !hold) || pending) && known;
    wire [DATA_BITS-1:0] value = present ? in_data : {DATA_BITS{1'b0}};

    // The stall is a register: the kernel's read address, at the end of its adders, drives only this
    // module's own registers and the FIFO's pop, never the clock enables of the kernel's registers.
    assign stall = pending;
    assign in_ready = answer && present;

    // The order checks of the read taken last cycle.
    reg                 checking;
    reg                 passing;   // it was of the next index, and the element had passed that index
    reg [ADDR_BITS-1:0] checked_addr;
    reg [ADDR_BITS:0]   checked_next;
    wire [ADDR_BITS:0]  checked_index = {1'b0, checked_addr};
    wire in_order = checked_index == checked_next || (checked_next != 0 && checked_index == checked_next - 1'b1) || checked_index >= length;

    always @(posedge clk) begin
        if (rst || restart) begin
            next <= {(ADDR_BITS + 1){1'b0}};
            next_in_range <= length != {(ADDR_BITS + 1){1'b0}};
            pending <= 1'b0;
            checking <= 1'b0;
            passing <= 1'b0;
            order_fault <= 1'b0;
        end else begin
            checking <= rd_en && !hold;
            passing <= answer && passed;
            pending <= !known && (pending || (wants_next && !hold));
            if (answer) begin
                next <= next + 1'b1;
                next_in_range <= next + 1'b1 != length;   // next < length here, so an equality does
            end
            if ((CHECK_READS != 0 && checking && !in_order) || passing) order_fault <= 1'b1;
        end
        checked_addr <= rd_addr;
        checked_next <= next;
        if (answer) begin
            rd_data <= value;
            last <= value;
        end else if (rd_en && !hold && !wants_next) begin
            rd_data <= is_last ? last : {DATA_BITS{1'b0}};
        end
    end
endmodule

`default_nettype wire
