`default_nettype none

// A processing element whose datapath is compiled from kernels/: sparse_mat_vec_multiply_accumulate
// (SparseMatVec.MultiplyAccumulate, hardware/rtl/generated, compiled with --stall for 44 MHz) decodes the
// entries, reads the codebook, multiplies and accumulates into its rows. Around it, in this module, is
// what the kernel leaves to its caller, with pe.v's ports so that pe_array can hold either:
//   - the broadcast FIFO (broadcast_fifo, as pe.v's: zero activations dropped at the door), read by
//     sparse_stream_reader, which gives the kernel the zeros of the columns not broadcast and stalls it
//     while the next broadcast has not arrived;
//   - the memories: the pointer banks outside (the kernel reads p[0], p[1], ... in order: p[a] is word
//     a / 2 of the even or odd bank), the entry memory outside (its data is kept for the kernel while it
//     is held, since the owner may read the memory every cycle), the codebook and the accumulators inside;
//   - the accumulator rows from row_base on, the row fault, the sweep that zeroes them, the result
//     path's read (and read-and-clear) while idle, and the work counters.
// Unlike pe.v, which takes broadcasts until it drains, the kernel is a call per layer: `start` (while
// idle, before the layer's first broadcast) runs it over `cols` columns, and `act_end` (held until the
// next start) says the layer's last broadcast has been offered, so the columns after it are zeros.
//
// Contract: `clear`, codebook writes and accumulator reads only while `idle`; row_base, local_rows and
// cols held from `start` to `idle`.
module compiled_pe #(
    parameter ROW_BITS = 6,            // accumulator rows = 2^ROW_BITS (this PE's local rows); at least 4
    parameter ENTRY_ADDR_BITS = 13,    // entry memory address width (at most 16, the kernel's span addresses)
    parameter COL_BITS = 10,           // column index width (layer inputs < 2^COL_BITS, at most 15)
    parameter FIFO_DEPTH = 8,          // broadcast FIFO (a power of two)
    parameter COUNTER_BITS = 32
) (
    input  wire                       clk,
    input  wire                       rst,
    input  wire                       clear,          // zero the accumulators and the counters (a sweep, 2^ROW_BITS cycles)

    input  wire                       cb_we,
    input  wire [3:0]                 cb_addr,
    input  wire [15:0]                cb_data,
    input  wire [4:0]                 cb_steps,       // shift-add steps of cb_data (counted per entry)

    input  wire                       start,          // pulse while idle: a layer of `cols` columns begins
    input  wire [COL_BITS-1:0]        cols,
    input  wire                       act_end,        // the layer's last broadcast has been offered

    input  wire                       act_valid,
    output wire                       act_ready,
    input  wire [COL_BITS-1:0]        act_col,
    input  wire [7:0]                 act_value,

    output wire                       entry_rd_en,
    output wire [ENTRY_ADDR_BITS-1:0] entry_rd_addr,
    input  wire [7:0]                 entry_rd_data,

    output wire                       ptr_rd_en,
    output wire [COL_BITS-1:0]        ptr_even_addr,
    input  wire [15:0]                ptr_even_data,
    output wire [COL_BITS-1:0]        ptr_odd_addr,
    input  wire [15:0]                ptr_odd_data,

    input  wire                       acc_rd_en,
    input  wire                       acc_rd_clear,
    input  wire [ROW_BITS-1:0]        acc_rd_addr,
    output wire [31:0]                acc_rd_data,

    input  wire [ROW_BITS-1:0]        row_base,
    input  wire [ROW_BITS:0]          local_rows,
    input  wire                       fault_clear,
    output reg                        row_fault,
    output wire                       idle,
    output reg                        work_entry,     // an entry's codebook value was read last cycle ...
    output wire [4:0]                 work_steps,     // ... and costs this many shift-add steps
    output reg  [COUNTER_BITS-1:0]    busy_cycles,    // cycles of the kernel's calls, their starts included, not held
    output reg  [COUNTER_BITS-1:0]    entries_consumed
);
    localparam ROWS = 1 << ROW_BITS;
    localparam [ROW_BITS-1:0] LAST_ROW = ROWS - 1;

    // ------------------------------------------------------------------ the kernel
    wire        hold;            // the kernel waits for a broadcast this cycle
    wire        kernel_done, kernel_busy;
    wire [15:0] entries_addr, pointers_addr, codebook_addr, x_addr, acc_addr, acc_wr_addr;
    wire        entries_rd_en, pointers_rd_en, codebook_rd_en, x_rd_en, acc_kernel_rd_en, acc_wr_en;
    wire [7:0]  entries_data, x_data;
    wire [31:0] acc_wr_data, acc_data;
    wire [63:0] consumed;
    reg  [20:0] cb_q;            // {steps, value} of the codebook entry read last
    reg         ptr_odd_sel;     // the pointer read last was odd
    wire [16:0] x_length = {{(17 - COL_BITS){1'b0}}, cols};
    // The layer's rows from row_base on: the kernel's acc span (0 when row_base lies past local_rows).
    wire [ROW_BITS+1:0] rows_left = {1'b0, local_rows} - {2'b00, row_base};
    wire [ROW_BITS:0]   rows_from_base = rows_left[ROW_BITS+1] ? {(ROW_BITS + 1){1'b0}} : rows_left[ROW_BITS:0];

    sparse_mat_vec_multiply_accumulate kernel (
        .clk(clk), .rst(rst), .start(start), .done(kernel_done), .busy(kernel_busy), .stall(hold),
        .entries_length(17'h10000), .entries_addr(entries_addr), .entries_rd_en(entries_rd_en), .entries_rd_data(entries_data),
        .pointers_length(x_length + 17'd1), .pointers_addr(pointers_addr), .pointers_rd_en(pointers_rd_en),
        .pointers_rd_data({16'd0, ptr_odd_sel ? ptr_odd_data : ptr_even_data}),
        .codebook_length(17'd16), .codebook_addr(codebook_addr), .codebook_rd_en(codebook_rd_en), .codebook_rd_data(cb_q[15:0]),
        .x_length(x_length), .x_addr(x_addr), .x_rd_en(x_rd_en), .x_rd_data(x_data),
        .acc_length({{(16 - ROW_BITS){1'b0}}, rows_from_base}), .acc_addr(acc_addr), .acc_rd_en(acc_kernel_rd_en), .acc_rd_data(acc_data),
        .acc_wr_addr(acc_wr_addr), .acc_wr_en(acc_wr_en), .acc_wr_data(acc_wr_data), .result(consumed)
    );
    // Span addresses past what this PE's memories hold never come from a well-formed slice. The kernel's
    // return value (the entries it consumed) is counted here as pe.v counts it, an entry per codebook
    // read, so synthesis drops the kernel's own 32-bit count, its column adds and their registers.
    wire unused_kernel_bits = ^{consumed, entries_addr[15:ENTRY_ADDR_BITS], codebook_addr[15:4], pointers_addr[15:COL_BITS], x_addr[15:COL_BITS]};

    // ------------------------------------------------------------------ broadcast FIFO and the reader
    wire                fifo_empty;
    wire                fifo_pop;
    wire [COL_BITS-1:0] head_col;
    wire [7:0]          head_x;
    // A broadcast no kernel run will read (what is left of a layer whose broadcasts came out of column
    // order, or one outside a layer) is dropped, so the owner is never blocked; it is a fault.
    wire                discard = !kernel_busy && !start && !fifo_empty;
    // The head from a register: the reader compares it with the next column in the cycle the kernel's
    // read address arrives, and its pop ends at the queue's pointers.
    broadcast_fifo #(.COL_BITS(COL_BITS), .DEPTH(FIFO_DEPTH), .HEAD_REGISTER(1)) broadcasts (
        .clk(clk), .rst(rst),
        .act_valid(act_valid), .act_ready(act_ready), .act_col(act_col), .act_value(act_value),
        .empty(fifo_empty), .pop(fifo_pop || discard), .head_col(head_col), .head_value(head_x)
    );

    wire x_fault;   // a broadcast out of column order: the owner's contract is broken, the sums are not the layer's
    // The kernel reads x in order by construction (column j again, or j + 1), as SpanStreamRtlTests checks
    // with the reader's read check on, so the reader here leaves that check out.
    sparse_stream_reader #(.DATA_BITS(8), .ADDR_BITS(COL_BITS), .CHECK_READS(0)) x_reader (
        .clk(clk), .rst(rst), .restart(start),
        .in_valid(!fifo_empty), .in_ready(fifo_pop), .in_index(head_col), .in_data(head_x),
        .in_end(act_end), .length(x_length[COL_BITS:0]), .rd_en(x_rd_en), .rd_addr(x_addr[COL_BITS-1:0]), .rd_data(x_data),
        .stall(hold), .hold(hold), .order_fault(x_fault)
    );

    // ------------------------------------------------------------------ pointers, entries, codebook
    // The kernel's reads act only in cycles it is not held; data comes a cycle later and stays until its next read.
    assign ptr_rd_en = pointers_rd_en && !hold;
    assign ptr_even_addr = pointers_addr[COL_BITS:1];
    assign ptr_odd_addr = pointers_addr[COL_BITS:1];
    always @(posedge clk) if (ptr_rd_en) ptr_odd_sel <= pointers_addr[0];

    assign entry_rd_en = entries_rd_en && !hold;
    assign entry_rd_addr = entries_addr[ENTRY_ADDR_BITS-1:0];
    reg       entry_fresh;       // the entry memory's data answers a read of last cycle
    reg [7:0] entry_kept;
    always @(posedge clk) begin
        entry_fresh <= entry_rd_en;
        if (entry_fresh) entry_kept <= entry_rd_data;
    end
    assign entries_data = entry_fresh ? entry_rd_data : entry_kept;

    (* no_rw_check *) reg [20:0] codebook [0:15];   // written only while idle
    wire cb_read = codebook_rd_en && !hold;
    always @(posedge clk) begin
        if (cb_we) codebook[cb_addr] <= {cb_steps, cb_data};
        if (cb_read) cb_q <= codebook[codebook_addr[3:0]];
        if (rst) work_entry <= 1'b0;
        else work_entry <= cb_read;   // the kernel reads the codebook once per entry it consumes
    end
    assign work_steps = cb_q[20:16];

    // ------------------------------------------------------------------ accumulators
    // The kernel's row r is accumulator row row_base + r. One read and one write port: the kernel owns
    // both while it runs (a read and a write of one row in a cycle read the old value, as it expects),
    // the result path and the sweep while it is idle.
    // No read-first emulation: where the kernel reads the row it writes in the same cycle it forwards
    // the value written (the read's data is not used), and the result path's read of a row being
    // cleared gives 0 (rd_zero), so no reader uses the data of such a read (rows of a malformed slice
    // past 2^ROW_BITS alias, but they raise the row fault).
    (* no_rw_check *) reg [31:0] acc_ram [0:ROWS-1];
    reg  [31:0]         acc_q;
    wire [ROW_BITS-1:0] kernel_row = acc_wr_addr[ROW_BITS-1:0] + row_base;
    wire [ROW_BITS-1:0] kernel_read_row = acc_addr[ROW_BITS-1:0] + row_base;
    // The row fault is checked a cycle after the write, off the path from the kernel's address to the
    // RAM, against the layer's rows from row_base on (latched at the start: a compare, not an add).
    reg                 fault_check;
    reg  [15:0]         fault_addr;
    reg  [ROW_BITS:0]   row_limit;       // rows_from_base, latched at the start
    wire                past_rows = fault_addr[15:ROW_BITS+1] != {(15 - ROW_BITS){1'b0}} || fault_addr[ROW_BITS:0] >= row_limit;
    wire                kernel_read = acc_kernel_rd_en && !hold;
    wire                kernel_write = acc_wr_en && !hold;
    reg                 sweeping;
    reg  [ROW_BITS-1:0] sweep_row;
    reg                 clear_pending;   // the result path's read-and-clear writes its zero a cycle after the read
    reg  [ROW_BITS-1:0] clear_row;
    reg                 rd_zero;
    wire [ROW_BITS-1:0] acc_raddr = kernel_busy ? kernel_read_row : acc_rd_addr;
    wire                acc_we = sweeping || kernel_write || clear_pending;
    wire [ROW_BITS-1:0] acc_waddr = sweeping ? sweep_row : kernel_write ? kernel_row : clear_row;
    // The sweep and the read-and-clear write zeros while the kernel is idle, and a compiled module's
    // span port shows write data 0 in every cycle its write enable is low: its data serves all three.
    wire [31:0]         acc_wdata = acc_wr_data;
    wire unused_row_high = ^acc_addr[15:ROW_BITS];
    always @(posedge clk) begin
        if (kernel_read || acc_rd_en) acc_q <= acc_ram[acc_raddr];
        if (acc_we) acc_ram[acc_waddr] <= acc_wdata;
        if (rst) clear_pending <= 1'b0;
        else clear_pending <= acc_rd_en && acc_rd_clear;
        clear_row <= acc_rd_addr;
        if (acc_rd_en) rd_zero <= clear_pending && (clear_row == acc_rd_addr);
        if (rst || clear) begin
            sweeping <= 1'b1;
            sweep_row <= {ROW_BITS{1'b0}};
        end else if (sweeping) begin
            sweep_row <= sweep_row + 1'b1;
            if (sweep_row == LAST_ROW) sweeping <= 1'b0;
        end
        // An entry past this PE's rows (a malformed slice); the sum still wraps in place.
        if (rst) fault_check <= 1'b0;
        else fault_check <= kernel_write;
        fault_addr <= acc_wr_addr;
        if (start) row_limit <= rows_from_base;
        if (rst || clear || fault_clear) row_fault <= 1'b0;
        else if ((fault_check && past_rows) || (x_fault && kernel_busy) || discard) row_fault <= 1'b1;   // the reader's flag lasts until the next start
    end
    assign acc_data = acc_q;
    assign acc_rd_data = rd_zero ? 32'd0 : acc_q;

    // ------------------------------------------------------------------ status and counters
    // The kernel reads the codebook once per entry it consumes: the count is the kernel's return value.
    assign idle = !kernel_busy && !kernel_done && !start && fifo_empty && !sweeping && !clear_pending && !fault_check;
    always @(posedge clk) begin
        if (rst || clear) begin
            busy_cycles <= {COUNTER_BITS{1'b0}};
            entries_consumed <= {COUNTER_BITS{1'b0}};
        end else begin
            if ((start || kernel_busy) && !hold) busy_cycles <= busy_cycles + 1'b1;
            if (work_entry) entries_consumed <= entries_consumed + 1'b1;
        end
    end
endmodule

`default_nettype wire
