`default_nettype none

// Feeds a compiled kernel's span read port from a valid/ready stream, so that a kernel which reads a
// span in order can take its data as it arrives instead of from a memory filled beforehand. The kernel
// is compiled with a stall input (`codesign kernel verilog ... --stall`); its span ports then show the
// read it waits to make, and this module answers it:
//   - a read of the next index takes the stream's element (in_ready with in_valid), or stalls the
//     kernel while none has arrived;
//   - a read of the index taken last gets that element again (a kernel may read an element twice);
//   - a read at or past the span's length gets 0 at once: a kernel's read-ahead may pass the end, and
//     the stream has nothing more to give;
//   - any other index is a read out of order, which a stream cannot serve: `order_fault` stays set
//     (until `restart`) and the data is 0. Such a kernel needs its span in a memory.
// Several readers (and anything else that may hold the kernel) OR their `stall` outputs into the
// kernel's stall input and each takes that OR back as `hold`: a read happens only in a cycle when no
// one holds the kernel. in_ready depends on in_valid (through `hold`), never the other way round.
module span_stream_reader #(
    parameter DATA_BITS = 8,            // the span's element width
    parameter ADDR_BITS = 16            // the kernel's span address width (its length has one bit more)
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 restart,        // with the start the kernel takes (while idle): the next element is index 0

    input  wire                 in_valid,
    output wire                 in_ready,
    input  wire [DATA_BITS-1:0] in_data,

    input  wire [ADDR_BITS:0]   length,         // the span's length, as the kernel's _length input has it
    input  wire                 rd_en,          // the kernel's _rd_en, _addr and _rd_data
    input  wire [ADDR_BITS-1:0] rd_addr,
    output reg  [DATA_BITS-1:0] rd_data,
    output wire                 stall,          // this reader holds the kernel: its next element is not here
    input  wire                 hold,           // the kernel is held this cycle (the OR of every stall)
    output reg                  order_fault
);
    reg [ADDR_BITS:0]   next;                   // index of the element the stream gives next
    reg [DATA_BITS-1:0] last;                   // the element taken last (index next - 1)

    wire [ADDR_BITS:0] index = {1'b0, rd_addr};
    wire in_range = index < length;
    wire wants_next = rd_en && in_range && index == next;
    wire wants_last = rd_en && in_range && next != 0 && index == next - 1'b1;
    wire take = wants_next && !hold;

    assign stall = wants_next && !in_valid;
    assign in_ready = take;

    always @(posedge clk) begin
        if (rst || restart) begin
            next <= {(ADDR_BITS + 1){1'b0}};
            order_fault <= 1'b0;
        end else if (rd_en && !hold) begin
            if (take) next <= next + 1'b1;
            if (in_range && !wants_next && !wants_last) order_fault <= 1'b1;
        end

        if (rd_en && !hold) rd_data <= take ? in_data : wants_last ? last : {DATA_BITS{1'b0}};
        if (take) last <= in_data;
    end
endmodule

`default_nettype wire
