`default_nettype none

// PES processing elements (pe.v) sharing one activation broadcast, EIE style: every PE holds
// its own CCS slice (rows interleaved, row i on PE i mod PES) in its own entry memory and pointer
// banks, and its own accumulators. A broadcast is taken only when every PE's FIFO has room, so all
// PEs see the same sequence; the FIFOs then let each PE run ahead or fall behind by up to
// FIFO_DEPTH columns (load balance), and the slowest PE sets the pace. `done` when all are idle.
//
// Memories are filled through one load port (the DMA engine's), PE by PE; pointer p[j] goes to
// bank j mod 2, word j / 2. The codebook load goes to every PE (one codebook per layer).
// Accumulators are read one local row at a time, all PEs at once: local row k of PE i is global
// row i + k*PES, so one read gives PES consecutive global rows for the result path.
module pe_array #(
    parameter PES = 4,
    parameter ROW_BITS = 6,            // local rows per PE = 2^ROW_BITS
    parameter ENTRY_ADDR_BITS = 11,    // entry memory per PE: 2^ENTRY_ADDR_BITS bytes
    parameter COL_BITS = 10,           // column index width
    parameter MAX_COLS = (1 << COL_BITS) - 1,   // columns the pointer banks hold (MAX_COLS + 1 pointers)
    parameter POINTER_BITS = 16,
    parameter FIFO_DEPTH = 8,
    parameter COUNTER_BITS = 32,
    parameter USE_DSP = 0,             // 1: each PE multiplies on an SB_MAC16 (UP5K) instead of by shift and add
    parameter PE_BITS = PES > 1 ? $clog2(PES) : 1
) (
    input  wire                       clk,
    input  wire                       rst,
    input  wire                       clear,          // every PE: zero accumulators and counters

    input  wire                       cb_we,
    input  wire [3:0]                 cb_addr,
    input  wire [15:0]                cb_data,

    // Load port (only while done): entry bytes and pointers of PE ld_pe.
    input  wire [PE_BITS-1:0]         ld_pe,
    input  wire                       ld_entry_we,
    input  wire [ENTRY_ADDR_BITS-1:0] ld_entry_addr,
    input  wire [7:0]                 ld_entry_data,
    input  wire                       ld_ptr_we,
    input  wire [COL_BITS-1:0]        ld_ptr_index,   // j in p[j]
    input  wire [POINTER_BITS-1:0]    ld_ptr_data,

    input  wire                       act_valid,
    output wire                       act_ready,
    input  wire [COL_BITS-1:0]        act_col,
    input  wire [7:0]                 act_value,

    input  wire                       acc_rd_en,
    input  wire                       acc_rd_clear,
    input  wire [ROW_BITS-1:0]        acc_rd_addr,
    output wire [32*PES-1:0]          acc_rd_data,    // PE i at bits [32i +: 32]

    output wire                       done,
    output wire [COUNTER_BITS*PES-1:0] busy_cycles,
    output wire [COUNTER_BITS*PES-1:0] entries_consumed
);
    localparam PTR_WORDS = MAX_COLS / 2 + 1;   // p[0] .. p[MAX_COLS], split in two banks
    localparam PTR_ADDR_BITS = $clog2(PTR_WORDS);   // < COL_BITS: a bank holds half the pointers

    wire [PES-1:0] ready;
    wire [PES-1:0] idle;
    assign act_ready = &ready;
    assign done = &idle;
    // All or none: a PE may only take the broadcast when every PE takes it.
    wire take = act_valid && act_ready;

    genvar p;
    generate
        for (p = 0; p < PES; p = p + 1) begin : lane
            wire                       entry_rd_en;
            wire [ENTRY_ADDR_BITS-1:0] entry_rd_addr;
            reg  [7:0]                 entry_rd_data;
            wire                       ptr_rd_en;
            wire [COL_BITS-1:0]        ptr_even_addr;
            wire [COL_BITS-1:0]        ptr_odd_addr;
            reg  [POINTER_BITS-1:0]    ptr_even_data;
            reg  [POINTER_BITS-1:0]    ptr_odd_data;

            // This PE's slice: block RAM, one read port for the PE and one write port for loading.
            // Loads happen only while the array is done, so reads and writes never collide.
            (* no_rw_check *) reg [7:0]              entries [0:(1 << ENTRY_ADDR_BITS)-1];
            (* no_rw_check *) reg [POINTER_BITS-1:0] even_bank [0:PTR_WORDS-1];
            (* no_rw_check *) reg [POINTER_BITS-1:0] odd_bank [0:PTR_WORDS-1];

            localparam [PE_BITS-1:0] INDEX = p;
            wire mine = ld_pe == INDEX;
            wire [COL_BITS-1:0] ld_word = ld_ptr_index >> 1;
            wire [PTR_ADDR_BITS-1:0] ld_ptr_addr = ld_word[PTR_ADDR_BITS-1:0];
            wire [PTR_ADDR_BITS-1:0] even_addr = ptr_even_addr[PTR_ADDR_BITS-1:0];
            wire [PTR_ADDR_BITS-1:0] odd_addr = ptr_odd_addr[PTR_ADDR_BITS-1:0];
            // Pointer word addresses never reach past MAX_COLS / 2: their high bits are zero.
            wire unused_high_addr = ^{ld_word[COL_BITS-1:PTR_ADDR_BITS], ptr_even_addr[COL_BITS-1:PTR_ADDR_BITS], ptr_odd_addr[COL_BITS-1:PTR_ADDR_BITS]};

            always @(posedge clk) begin
                if (ld_entry_we && mine) entries[ld_entry_addr] <= ld_entry_data;
                if (ld_ptr_we && mine && !ld_ptr_index[0]) even_bank[ld_ptr_addr] <= ld_ptr_data;
                if (ld_ptr_we && mine && ld_ptr_index[0]) odd_bank[ld_ptr_addr] <= ld_ptr_data;
                if (entry_rd_en) entry_rd_data <= entries[entry_rd_addr];
                if (ptr_rd_en) begin
                    ptr_even_data <= even_bank[even_addr];
                    ptr_odd_data <= odd_bank[odd_addr];
                end
            end

            pe #(
                .ROW_BITS(ROW_BITS), .ENTRY_ADDR_BITS(ENTRY_ADDR_BITS), .COL_BITS(COL_BITS),
                .POINTER_BITS(POINTER_BITS), .FIFO_DEPTH(FIFO_DEPTH), .COUNTER_BITS(COUNTER_BITS), .USE_DSP(USE_DSP)
            ) element (
                .clk(clk), .rst(rst), .clear(clear),
                .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data),
                .act_valid(take), .act_ready(ready[p]), .act_col(act_col), .act_value(act_value),
                .entry_rd_en(entry_rd_en), .entry_rd_addr(entry_rd_addr), .entry_rd_data(entry_rd_data),
                .ptr_rd_en(ptr_rd_en), .ptr_even_addr(ptr_even_addr), .ptr_even_data(ptr_even_data),
                .ptr_odd_addr(ptr_odd_addr), .ptr_odd_data(ptr_odd_data),
                .acc_rd_en(acc_rd_en), .acc_rd_clear(acc_rd_clear), .acc_rd_addr(acc_rd_addr),
                .acc_rd_data(acc_rd_data[32*p +: 32]),
                .idle(idle[p]),
                .busy_cycles(busy_cycles[COUNTER_BITS*p +: COUNTER_BITS]),
                .entries_consumed(entries_consumed[COUNTER_BITS*p +: COUNTER_BITS])
            );
        end
    endgenerate
endmodule

`default_nettype wire
