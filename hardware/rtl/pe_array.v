`default_nettype none

// PES processing elements (pe.v) sharing one activation broadcast, EIE style, each reading its CCS
// slice from its own weight-memory lane (MemoryLanes.cs: PE p's pointers and entries lie in lane p;
// the memory's 8-byte line holds one word of every lane, so a lane word is LANE_BYTES = 8 / PES bytes:
// one 16-bit bank per lane with 4 PEs, two banks read at one address with 2 PEs). A broadcast is taken only when every PE's FIFO has
// room, so all PEs see the same sequence; the FIFOs then let each PE run ahead or fall behind by up
// to FIFO_DEPTH columns (load balance), and the slowest PE sets the pace. `done` when all are idle.
//
// Per layer the owner gives each PE's lane word addresses of its pointer 0 and entry 0 and pulses
// `load`: the PEs copy pointers 0 .. cols from their lanes into their even/odd pointer banks (EIE's
// two banks: p[j] and p[j+1] come out in one cycle), one pointer per cycle, all PEs at once, and
// flag `load_fault` when a PE's pointers decrease; `row_fault` flags an entry past its PE's rows. Then the entries stream straight from the lanes:
// entry e of a slice is byte e % W of lane word entry0 + e / W (W = LANE_BYTES). 32-bit pointers
// (`wide`) are read as their low halves: a lane of 2^WORD_BITS words holds fewer entries than 16 bits count.
//
// While the array is done its owner may read whole memory lines (`line_en`: every lane at the same
// word), e.g. a layer's biases. Accumulators are read one local row at a time, all PEs at once: local
// row k of PE i is global row i + k*PES. `work_entries` / `work_steps` tell, per cycle, which PEs
// consumed an entry and how many shift-add steps its codebook value costs.
//
// COMPILED_PE = 1 builds the PEs from compiled_pe.v (the datapath compiled from kernels/) instead of
// pe.v: each then runs its kernel once per layer, from `layer_start` (after the load, before the first
// broadcast) until `act_end` (the layer's last broadcast offered) and its columns are done; pe.v
// ignores both.
module pe_array #(
    parameter PES = 4,
    parameter LANE_BYTES = 2,          // bytes of a lane word: 2 (one 16-bit bank per PE), 4 (two banks) or 8
    parameter ROW_BITS = 7,            // local rows per PE = 2^ROW_BITS
    parameter COL_BITS = 10,           // column index width
    parameter MAX_COLS = (1 << COL_BITS) - 1,   // columns the pointer banks hold (MAX_COLS + 1 pointers)
    parameter WORD_BITS = 14,          // lane word address width
    parameter FIFO_DEPTH = 8,
    parameter COUNTER_BITS = 32,
    parameter USE_DSP = 0,             // 1: each PE multiplies on an SB_MAC16 (UP5K) instead of by shift and add
    parameter EBR_DELAYS = 0,          // 1: each PE's x and row delay lines in two block RAMs (pe.v)
    parameter COMPILED_PE = 0          // 1: compiled_pe.v (shift-add and DSP settings do not apply)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire                        clear,          // every PE: zero accumulators and counters

    input  wire                        cb_we,
    input  wire [3:0]                  cb_addr,
    input  wire [15:0]                 cb_data,
    input  wire [4:0]                  cb_steps,       // shift-add steps of cb_data (its nonzero CSD digits)

    // This layer's slices (held by the owner while the array runs).
    input  wire [WORD_BITS*PES-1:0]    pointer_word,   // PE i at [WORD_BITS*i +: WORD_BITS]
    input  wire [WORD_BITS*PES-1:0]    entry_word,
    input  wire                        wide,           // 32-bit pointers
    input  wire [COL_BITS-1:0]         cols,
    input  wire [ROW_BITS-1:0]         row_base,       // every PE's first accumulator row of this layer (pe.v)
    input  wire [(ROW_BITS+1)*PES-1:0] local_rows,     // one past each PE's last row in this layer (PE i at [(ROW_BITS+1)*i +: ROW_BITS+1])
    input  wire                        load,           // pulse: copy pointers 0 .. cols into the banks
    output reg                         load_fault,
    output wire                        row_fault,      // since the last load, an entry of some PE fell past its rows

    // Lane read ports: one word per lane per cycle, data one cycle after the address.
    output wire [WORD_BITS*PES-1:0]    lane_addr,
    input  wire [8*LANE_BYTES*PES-1:0] lane_rdata,     // PE i's lane word at [8*LANE_BYTES*i +: 8*LANE_BYTES]
    input  wire                        line_en,        // only while done
    input  wire [WORD_BITS-1:0]        line_word,

    input  wire                        layer_start,    // pulse: the layer's broadcasts follow (compiled PEs)
    input  wire                        act_end,        // the layer's last broadcast was offered (compiled PEs)
    input  wire                        act_valid,
    output wire                        act_ready,
    input  wire [COL_BITS-1:0]         act_col,
    input  wire [7:0]                  act_value,

    input  wire                        acc_rd_en,
    input  wire                        acc_rd_clear,
    input  wire [ROW_BITS-1:0]         acc_rd_addr,
    output wire [32*PES-1:0]           acc_rd_data,    // PE i at bits [32i +: 32]

    output wire                        done,
    output wire [PES-1:0]              work_entries,
    output wire [5*PES-1:0]            work_steps,
    output wire [COUNTER_BITS*PES-1:0] busy_cycles,
    output wire [COUNTER_BITS*PES-1:0] entries_consumed
);
    localparam LANE_BITS = 8 * LANE_BYTES;
    localparam BYTE_SEL = $clog2(LANE_BYTES);         // entry address bits that pick the byte of a word
    localparam ENTRY_ADDR_BITS = WORD_BITS + BYTE_SEL;
    localparam integer BYTE_MASK_ALL = LANE_BYTES - 1;
    localparam integer HALF_MASK_ALL = LANE_BYTES / 2 - 1;
    localparam [2:0] BYTE_MASK = BYTE_MASK_ALL[2:0];
    localparam [1:0] HALF_MASK = HALF_MASK_ALL[1:0];
    localparam PTR_WORDS = MAX_COLS / 2 + 1;   // p[0] .. p[MAX_COLS], split in two banks
    localparam PTR_ADDR_BITS = $clog2(PTR_WORDS);   // < COL_BITS: a bank holds half the pointers

    // ---- pointer load: read j = 0 .. cols from every lane, write one cycle later ----
    reg                loading;        // reads go out
    reg [COL_BITS-1:0] load_j;         // the pointer read this cycle
    reg                load_have;      // a pointer arrives this cycle ...
    reg [COL_BITS-1:0] load_have_j;    // ... for this j
    wire [PES-1:0]     decreasing;     // a PE's pointer arriving now is below the one before
    // Pointer j lies at byte 4j (wide) or 2j of the lane array: lane word (that / LANE_BYTES), 16-bit half (that / 2 mod LANE_BYTES / 2).
    wire [WORD_BITS+1:0] load_byte = wide ? {{(WORD_BITS - COL_BITS){1'b0}}, load_j, 2'b00} : {{(WORD_BITS - COL_BITS + 1){1'b0}}, load_j, 1'b0};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [WORD_BITS+1:0] load_word = load_byte >> BYTE_SEL;   // its top bits are zero: pointers lie inside the lane
    /* verilator lint_on UNUSEDSIGNAL */
    wire [WORD_BITS-1:0] load_offset = load_word[WORD_BITS-1:0];
    reg  [1:0]           load_have_half;   // the half of the arriving word that holds the pointer

    always @(posedge clk) begin
        if (rst) begin
            loading <= 1'b0;
            load_have <= 1'b0;
            load_fault <= 1'b0;
        end else begin
            load_have <= loading;
            load_have_j <= load_j;
            load_have_half <= load_byte[2:1] & HALF_MASK;
            if (load) begin
                loading <= 1'b1;
                load_j <= {COL_BITS{1'b0}};
                load_fault <= 1'b0;
            end else begin
                if (loading) begin
                    load_j <= load_j + 1'b1;
                    if (load_j == cols) loading <= 1'b0;
                end
                if (load_have && |decreasing) load_fault <= 1'b1;
            end
        end
    end

    wire [PES-1:0] ready;
    wire [PES-1:0] idle;
    wire [PES-1:0] row_faults;
    assign row_fault = |row_faults;
    assign act_ready = &ready;
    assign done = &idle && !loading && !load_have && !load && !clear;
    // All or none: a PE may only take the broadcast when every PE takes it.
    wire take = act_valid && act_ready;

    genvar p;
    generate
        for (p = 0; p < PES; p = p + 1) begin : lane
            wire                       entry_rd_en;
            wire [ENTRY_ADDR_BITS-1:0] entry_rd_addr;
            reg  [2:0]                 entry_byte;     // the entry's byte in its lane word
            wire                       ptr_rd_en;
            wire [COL_BITS-1:0]        ptr_even_addr;
            wire [COL_BITS-1:0]        ptr_odd_addr;
            reg  [15:0]                ptr_even_data;
            reg  [15:0]                ptr_odd_data;
            wire [LANE_BITS-1:0]       lane_word = lane_rdata[LANE_BITS*p +: LANE_BITS];
            /* verilator lint_off UNUSEDSIGNAL */
            wire [LANE_BITS-1:0]       pointer_shifted = lane_word >> {load_have_half, 4'd0};
            wire [LANE_BITS-1:0]       entry_shifted = lane_word >> {entry_byte, 3'd0};
            /* verilator lint_on UNUSEDSIGNAL */
            wire [15:0]                word = pointer_shifted[15:0];   // the pointer arriving

            wire [WORD_BITS-1:0] entry_at = entry_word[WORD_BITS*p +: WORD_BITS] + entry_rd_addr[ENTRY_ADDR_BITS-1:BYTE_SEL];
            assign lane_addr[WORD_BITS*p +: WORD_BITS] = line_en ? line_word
                : loading ? pointer_word[WORD_BITS*p +: WORD_BITS] + load_offset : entry_at;
            always @(posedge clk) entry_byte <= entry_rd_addr[2:0] & BYTE_MASK;
            wire unused_entry_enable = entry_rd_en;   // the lane is read every cycle

            // Pointers: p[j] in the even bank for even j, the odd bank for odd j, at word j / 2.
            (* no_rw_check *) reg [15:0] even_bank [0:PTR_WORDS-1];
            (* no_rw_check *) reg [15:0] odd_bank [0:PTR_WORDS-1];
            reg [15:0] previous;       // the pointer loaded before this one
            wire [COL_BITS-1:0] have_word = load_have_j >> 1;
            wire [PTR_ADDR_BITS-1:0] ld_addr = have_word[PTR_ADDR_BITS-1:0];
            wire [PTR_ADDR_BITS-1:0] even_addr = ptr_even_addr[PTR_ADDR_BITS-1:0];
            wire [PTR_ADDR_BITS-1:0] odd_addr = ptr_odd_addr[PTR_ADDR_BITS-1:0];
            // Pointer word addresses never reach past MAX_COLS / 2: their high bits are zero.
            wire unused_high_addr = ^{have_word[COL_BITS-1:PTR_ADDR_BITS], ptr_even_addr[COL_BITS-1:PTR_ADDR_BITS], ptr_odd_addr[COL_BITS-1:PTR_ADDR_BITS]};
            assign decreasing[p] = load_have_j != {COL_BITS{1'b0}} && word < previous;

            always @(posedge clk) begin
                if (load_have) begin
                    previous <= word;
                    if (load_have_j[0]) odd_bank[ld_addr] <= word;
                    else even_bank[ld_addr] <= word;
                end
                if (ptr_rd_en) begin
                    ptr_even_data <= even_bank[even_addr];
                    ptr_odd_data <= odd_bank[odd_addr];
                end
            end

            if (COMPILED_PE != 0) begin : compiled
                compiled_pe #(
                    .ROW_BITS(ROW_BITS), .ENTRY_ADDR_BITS(ENTRY_ADDR_BITS), .COL_BITS(COL_BITS),
                    .FIFO_DEPTH(FIFO_DEPTH), .COUNTER_BITS(COUNTER_BITS)
                ) element (
                    .clk(clk), .rst(rst), .clear(clear),
                    .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data), .cb_steps(cb_steps),
                    .start(layer_start), .cols(cols), .act_end(act_end),
                    .act_valid(take), .act_ready(ready[p]), .act_col(act_col), .act_value(act_value),
                    .entry_rd_en(entry_rd_en), .entry_rd_addr(entry_rd_addr),
                    .entry_rd_data(entry_shifted[7:0]),
                    .ptr_rd_en(ptr_rd_en), .ptr_even_addr(ptr_even_addr), .ptr_even_data(ptr_even_data),
                    .ptr_odd_addr(ptr_odd_addr), .ptr_odd_data(ptr_odd_data),
                    .acc_rd_en(acc_rd_en), .acc_rd_clear(acc_rd_clear), .acc_rd_addr(acc_rd_addr),
                    .acc_rd_data(acc_rd_data[32*p +: 32]),
                    .row_base(row_base), .local_rows(local_rows[(ROW_BITS+1)*p +: ROW_BITS+1]), .fault_clear(load), .row_fault(row_faults[p]),
                    .idle(idle[p]),
                    .work_entry(work_entries[p]), .work_steps(work_steps[5*p +: 5]),
                    .busy_cycles(busy_cycles[COUNTER_BITS*p +: COUNTER_BITS]),
                    .entries_consumed(entries_consumed[COUNTER_BITS*p +: COUNTER_BITS])
                );
            end else begin : hand
                pe #(
                    .ROW_BITS(ROW_BITS), .ENTRY_ADDR_BITS(ENTRY_ADDR_BITS), .COL_BITS(COL_BITS),
                    .POINTER_BITS(16), .FIFO_DEPTH(FIFO_DEPTH), .COUNTER_BITS(COUNTER_BITS), .USE_DSP(USE_DSP),
                    .EBR_DELAYS(EBR_DELAYS)
                ) element (
                    .clk(clk), .rst(rst), .clear(clear),
                    .cb_we(cb_we), .cb_addr(cb_addr), .cb_data(cb_data), .cb_steps(cb_steps),
                    .act_valid(take), .act_ready(ready[p]), .act_col(act_col), .act_value(act_value),
                    .entry_rd_en(entry_rd_en), .entry_rd_addr(entry_rd_addr),
                    .entry_rd_data(entry_shifted[7:0]),
                    .ptr_rd_en(ptr_rd_en), .ptr_even_addr(ptr_even_addr), .ptr_even_data(ptr_even_data),
                    .ptr_odd_addr(ptr_odd_addr), .ptr_odd_data(ptr_odd_data),
                    .acc_rd_en(acc_rd_en), .acc_rd_clear(acc_rd_clear), .acc_rd_addr(acc_rd_addr),
                    .acc_rd_data(acc_rd_data[32*p +: 32]),
                    .row_base(row_base), .local_rows(local_rows[(ROW_BITS+1)*p +: ROW_BITS+1]), .fault_clear(load), .row_fault(row_faults[p]),
                    .idle(idle[p]),
                    .work_entry(work_entries[p]), .work_steps(work_steps[5*p +: 5]),
                    .busy_cycles(busy_cycles[COUNTER_BITS*p +: COUNTER_BITS]),
                    .entries_consumed(entries_consumed[COUNTER_BITS*p +: COUNTER_BITS])
                );
                wire unused_layer_bounds = layer_start ^ act_end;   // pe.v takes broadcasts until it drains
            end
        end
    endgenerate
endmodule

`default_nettype wire
