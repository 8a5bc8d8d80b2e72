`default_nettype none

// One processing element of the EIE-style sparse accelerator: bit-exact with
// SparseMatVec.MultiplyAccumulate in kernels/ over this PE's CCS slice. For every broadcast
// nonzero activation (column j, value x): row = 0; for e in p[j] .. p[j+1]-1 { row += z[e];
// acc[row] += codebook[v[e]] * x; row++ }, with 32-bit wrap-around.
//
// Pipeline (one (v, z) entry per cycle in steady state):
//   FIFO   broadcasts wait here (EIE's load balancing between PEs); zero activations are dropped
//          at the door, as the kernel skips them
//   P      pop a column, read p[j] and p[j+1] in one cycle from the even and odd pointer banks
//          (EIE's two-bank trick: p[j] and p[j+1] always sit in different banks); a column with
//          no entries in this slice ends here and costs no entry cycle
//   CQ     up to two fetched columns wait for the entry streamer: pointers are fetched while the
//          current column streams, so consecutive columns follow each other without a bubble,
//          even one-entry columns (the pop accounts for the take in the same cycle)
//   A      the streamer issues one entry address per cycle
//   D      entry byte back: row = (first of column ? 0 : previous row + 1) + z; codebook read at v
//   C      the codebook value is recoded to CSD digits (compiled from ShiftAddMultiplier.Recode16)
//   K      the digits are registered (keeps block RAM, recoder and first adder out of one cycle)
//   M1-M3  shift_add_multiplier_multiply_activation (x * codebook value, compiled from kernels/),
//          the row travels as its tag
//   R      accumulator read at row
//   W      accumulator write of old + product; when the entry just before wrote the same row
//          (possible across a column boundary) the old value comes from that write, not the RAM
// An entry's product lands in its accumulator 8 cycles after its address went out; the first
// address of a layer goes out 3 cycles after its broadcast was taken (FIFO to P to CQ to A).
//
// The codebook keeps the 16-bit values and their step counts (one small RAM) and recodes on the way out
// rather than storing 34-bit digit masks: recoding is one 17-bit carry chain, the masks would
// more than double the codebook's flip-flops.
//
// Memories outside the PE (so the DMA engine can fill them): the entry memory and the two pointer
// banks, all read with a one-cycle latency like iCE40 block RAM. Inside: the codebook and the
// accumulator RAM (2^ROW_BITS x 32), cleared by a sweep after reset and on `clear`, or row by row
// as the result path reads them with acc_rd_clear.
//
// Contract: `clear`, codebook writes and accumulator reads only while `idle`.
module pe #(
    parameter ROW_BITS = 6,            // accumulator rows = 2^ROW_BITS (this PE's local rows); at least 4
    parameter ENTRY_ADDR_BITS = 13,    // entry memory address width
    parameter COL_BITS = 10,           // column index width (layer inputs < 2^COL_BITS)
    parameter POINTER_BITS = 16,       // width of the stored column pointers
    parameter FIFO_DEPTH = 8,          // broadcast FIFO (a power of two)
    parameter COUNTER_BITS = 32,
    parameter USE_DSP = 0,             // 1: multiply on an SB_MAC16 (dsp_multiplier, same latency) instead of by shift and add
    parameter EBR_DELAYS = 0           // 1: x and the row travel to the multiplier and the accumulator in two block RAMs used as delay lines, not in flip-flops
) (
    input  wire                       clk,
    input  wire                       rst,
    input  wire                       clear,          // zero the accumulators and the counters (a sweep, 2^ROW_BITS cycles)

    // Codebook load: 16 signed 16-bit shared weights; entry 0 is the zero that padding uses.
    input  wire                       cb_we,
    input  wire [3:0]                 cb_addr,
    input  wire [15:0]                cb_data,
    input  wire [4:0]                 cb_steps,       // shift-add steps of cb_data (kept beside it, counted per entry)

    // Broadcast of an activation (column index and value).
    input  wire                       act_valid,
    output wire                       act_ready,
    input  wire [COL_BITS-1:0]        act_col,
    input  wire [7:0]                 act_value,

    // Entry memory (this PE's slice, one (v | z << 4) byte per address), data one cycle after the address.
    output wire                       entry_rd_en,
    output wire [ENTRY_ADDR_BITS-1:0] entry_rd_addr,
    input  wire [7:0]                 entry_rd_data,

    // Pointer banks: even bank word k holds p[2k], odd bank word k holds p[2k+1]; data one cycle later.
    output wire                       ptr_rd_en,
    output wire [COL_BITS-1:0]        ptr_even_addr,
    input  wire [POINTER_BITS-1:0]    ptr_even_data,
    output wire [COL_BITS-1:0]        ptr_odd_addr,
    input  wire [POINTER_BITS-1:0]    ptr_odd_data,

    // Result path: read accumulator rows (data one cycle later, held until the next read), optionally
    // zeroing them for the next layer.
    input  wire                       acc_rd_en,
    input  wire                       acc_rd_clear,
    input  wire [ROW_BITS-1:0]        acc_rd_addr,
    output wire [31:0]                acc_rd_data,

    // The accumulator rows of the current layer: row_base on (a column block's input k of a batch
    // keeps its sums past input k - 1's; 0 for a whole layer) up to local_rows, one past the last row this
    // PE holds. An entry that lands there or past it (a malformed slice) raises row_fault, held until
    // fault_clear, clear or reset; the sum still wraps in place.
    input  wire [ROW_BITS-1:0]        row_base,
    input  wire [ROW_BITS:0]          local_rows,
    input  wire                       fault_clear,
    output reg                        row_fault,
    output wire                       idle,           // FIFO empty, pipeline drained, no sweep
    output wire                       work_entry,     // an entry's codebook value was read this cycle ...
    output wire [4:0]                 work_steps,     // ... and costs this many shift-add steps
    output reg  [COUNTER_BITS-1:0]    busy_cycles,    // cycles with broadcasts waiting or entries in flight
    output reg  [COUNTER_BITS-1:0]    entries_consumed
);
    localparam ROWS = 1 << ROW_BITS;
    localparam [ROW_BITS-1:0] LAST_ROW = ROWS - 1;

    // ------------------------------------------------------------------ broadcast FIFO
    wire                fifo_empty;
    wire                fetch;   // P below pops the head
    wire [COL_BITS-1:0] head_col;
    wire [7:0]          head_x;
    broadcast_fifo #(.COL_BITS(COL_BITS), .DEPTH(FIFO_DEPTH)) broadcasts (
        .clk(clk), .rst(rst),
        .act_valid(act_valid), .act_ready(act_ready), .act_col(act_col), .act_value(act_value),
        .empty(fifo_empty), .pop(fetch), .head_col(head_col), .head_value(head_x)
    );

    // ------------------------------------------------------------------ column queue and streamer state
    // A column has at most one entry per local row (each entry advances the row), so its length
    // fits ROW_BITS + 1 bits; longer columns are malformed (the kernel would index past acc).
    localparam LEN_BITS = ROW_BITS + 1;

    reg [1:0]                 cq_count;
    reg [ENTRY_ADDR_BITS-1:0] cq_begin [0:1];
    reg [LEN_BITS-1:0]        cq_len [0:1];
    reg                       cq_single [0:1];   // the column has one entry
    reg [7:0]                 cq_x [0:1];

    reg                       s_active;   // an entry address goes out this cycle
    reg                       s_first;    // ... and it is the first of its column
    reg                       s_last;     // ... and the last (a register: it gates the next take)
    reg [ENTRY_ADDR_BITS-1:0] s_addr;
    reg [LEN_BITS-1:0]        s_left;     // entries of the column still to issue, this one included
    reg [7:0]                 s_x;

    // The streamer takes the next column in the cycle it issues the last entry of the current one.
    wire cq_take = (cq_count != 2'd0) && (!s_active || s_last);

    // ------------------------------------------------------------------ P: pointer fetch
    reg       sweeping;
    reg       pf_valid;   // pointer data arrives this cycle
    reg       pf_odd;     // the column was odd: p[j] is in the odd bank
    reg [7:0] pf_x;

    // Pop only when the column queue will have room for this column when its pointers arrive,
    // counting the one whose pointers are in flight and the one the streamer takes now.
    wire [1:0] cq_after = cq_count - {1'b0, cq_take};
    assign fetch = !fifo_empty && !sweeping && (cq_after == 2'd0 || (cq_after == 2'd1 && !pf_valid));

    assign ptr_rd_en = fetch;
    assign ptr_even_addr = (head_col >> 1) + {{(COL_BITS - 1){1'b0}}, head_col[0]};   // (j+1)/2: p[j] for even j, p[j+1] for odd j
    assign ptr_odd_addr = head_col >> 1;                                               // j/2: p[j] for odd j, p[j+1] for even j

    // Pointers are taken modulo the entry memory, like the streamer's address, so a slice that
    // fills the memory exactly (final pointer = 2^ENTRY_ADDR_BITS) still works.
    wire [ENTRY_ADDR_BITS-1:0] even_ptr = ptr_even_data[ENTRY_ADDR_BITS-1:0];
    wire [ENTRY_ADDR_BITS-1:0] odd_ptr = ptr_odd_data[ENTRY_ADDR_BITS-1:0];
    generate
        if (POINTER_BITS > ENTRY_ADDR_BITS) begin : wide_pointers
            wire unused_pointer_high = ^{ptr_even_data[POINTER_BITS-1:ENTRY_ADDR_BITS], ptr_odd_data[POINTER_BITS-1:ENTRY_ADDR_BITS]};
        end
    endgenerate
    wire [ENTRY_ADDR_BITS-1:0] new_begin = pf_odd ? odd_ptr : even_ptr;
    wire [ENTRY_ADDR_BITS-1:0] new_end = pf_odd ? even_ptr : odd_ptr;
    wire [ENTRY_ADDR_BITS-1:0] new_len = new_end - new_begin;
    localparam [ENTRY_ADDR_BITS-1:0] ONE_ENTRY = 1;
    // Empty columns stop here: the broadcast costs this PE no entry cycle. (p[j] != p[j+1] needs
    // no bank swap and no carry chain: this is on the queue's control path.)
    wire cq_push = pf_valid && (even_ptr != odd_ptr);
    generate
        if (ENTRY_ADDR_BITS > LEN_BITS) begin : long_addresses
            wire unused_len_high = ^new_len[ENTRY_ADDR_BITS-1:LEN_BITS];
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) pf_valid <= 1'b0;
        else pf_valid <= fetch;
        if (fetch) begin
            pf_odd <= head_col[0];
            pf_x <= head_x;
        end
    end

    // ------------------------------------------------------------------ CQ and A: the entry streamer
    localparam [LEN_BITS-1:0] TWO_LEFT = 2;

    always @(posedge clk) begin
        if (rst) begin
            cq_count <= 2'd0;
            s_active <= 1'b0;
        end else begin
            cq_count <= cq_after + {1'b0, cq_push};
            if (cq_take) s_active <= 1'b1;
            else if (s_last) s_active <= 1'b0;
        end

        // Queue slot 0 is the head; a push lands in the first free slot after this cycle's take.
        if (cq_take) begin
            cq_begin[0] <= cq_begin[1];
            cq_len[0] <= cq_len[1];
            cq_single[0] <= cq_single[1];
            cq_x[0] <= cq_x[1];
        end
        if (cq_push) begin
            cq_begin[cq_after[0]] <= new_begin;
            cq_len[cq_after[0]] <= new_len[LEN_BITS-1:0];
            cq_single[cq_after[0]] <= new_len == ONE_ENTRY;
            cq_x[cq_after[0]] <= pf_x;
        end

        if (cq_take) begin
            s_addr <= cq_begin[0];
            s_left <= cq_len[0];
            s_last <= cq_single[0];
            s_x <= cq_x[0];
            s_first <= 1'b1;
        end else begin
            s_addr <= s_addr + 1'b1;
            s_left <= s_left - 1'b1;
            s_last <= s_active && !s_last && s_left == TWO_LEFT;
            s_first <= 1'b0;
        end
        if (rst) s_last <= 1'b0;
    end

    assign entry_rd_en = s_active;
    assign entry_rd_addr = s_addr;

    // ------------------------------------------------------------------ D: decode, row, codebook read
    reg       d_valid;
    reg       d_first;
    reg [7:0] d_x;
    reg [ROW_BITS:0]   row_next;   // row after the previous entry of the column (one bit more, to see a row past the end)

    wire [3:0] d_v = entry_rd_data[3:0];
    wire [3:0] d_z = entry_rd_data[7:4];
    // The accumulator row wraps at 2^ROW_BITS; a well-formed slice never gets there (row_fault tells).
    wire [ROW_BITS-1:0] d_skip;
    generate
        if (ROW_BITS > 4) begin : wide_rows
            assign d_skip = {{(ROW_BITS - 4){1'b0}}, d_z};
        end else begin : narrow_rows   // ROW_BITS = 4: z fits exactly (fewer rows cannot hold a 15-zero run)
            assign d_skip = d_z;
        end
    endgenerate
    wire [ROW_BITS:0]   d_row_wide = (d_first ? {1'b0, row_base} : row_next) + {1'b0, d_skip};
    wire [ROW_BITS-1:0] d_row = d_row_wide[ROW_BITS-1:0];

    // Block RAM. Written only while idle, so a read colliding with a write never matters.
    (* no_rw_check *) reg [20:0] codebook [0:15];
    reg [15:0] c_weight;
    reg [4:0]  c_steps;

    always @(posedge clk) begin
        if (rst) d_valid <= 1'b0;
        else d_valid <= s_active;
        d_first <= s_first;
        d_x <= s_x;
        if (d_valid) row_next <= d_row_wide + 1'b1;
        if (rst || clear || fault_clear) row_fault <= 1'b0;
        else if (d_valid && d_row_wide >= local_rows) row_fault <= 1'b1;

        if (cb_we) codebook[cb_addr] <= {cb_steps, cb_data};
        {c_steps, c_weight} <= codebook[d_v];
    end

    // ------------------------------------------------------------------ C: recode; K: into the multiplier
    reg                c_valid;
    reg [ROW_BITS-1:0] c_row;
    reg [7:0]          c_x;

    always @(posedge clk) begin
        if (rst) c_valid <= 1'b0;
        else c_valid <= d_valid;
        c_row <= d_row;
        c_x <= d_x;
    end

    // Compiled from ShiftAddMultiplier.Recode16 in kernels/ (hardware/rtl/generated): 32-bit digit
    // masks, of which a 16-bit constant uses digits 0..16.
    wire [31:0] c_plus_word;
    wire [31:0] c_minus_word;
    shift_add_multiplier_recode16 recoder (
        .constant(c_weight), .plus(c_plus_word), .minus(c_minus_word)
    );
    wire [16:0] c_plus = c_plus_word[16:0];
    wire [16:0] c_minus = c_minus_word[16:0];
    wire unused_high_digits = ^{c_plus_word[31:17], c_minus_word[31:17]};
    // Digit 16 is never used by a 16-bit constant (the CSD of any value in -32768..32767 ends at
    // digit 15; the recoder test checks all 65,536), so the multiplier takes 16 digits: 8
    // partial products and a 3-level tree instead of 9 and 4.
    wire unused_digit16 = c_plus[16] | c_minus[16];

    // K: the recoded digits are registered, so the block RAM read, the recoder's carry chain and
    // the multiplier's first adder are not in one cycle.
    reg                k_valid;
    reg [ROW_BITS-1:0] k_row;
    reg [7:0]          k_x;
    reg [15:0]         k_plus;
    reg [15:0]         k_minus;

    always @(posedge clk) begin
        if (rst) k_valid <= 1'b0;
        else k_valid <= c_valid;
        k_row <= c_row;
        k_x <= c_x;
        k_plus <= c_plus[15:0];
        k_minus <= c_minus[15:0];
    end

    wire               m_valid;
    wire [31:0]        m_product;
    wire [ROW_BITS-1:0] m_row_tag;   // the row, as the multiplier's tag carried it
    wire [ROW_BITS-1:0] m_row;

    // The entry's x at K and its row at M. Flip-flops carry them stage by stage (d_x, c_x, k_x;
    // c_row, k_row and the multiplier's tag), or, with EBR_DELAYS, two block RAMs written every
    // cycle at a running index and read 2 and 4 places behind it (a read one cycle later gives
    // the value 3 and 5 cycles late): on the UP5K those flip-flops pack with no LUT, a cell each.
    wire [7:0] k_x_in;
    generate
        if (EBR_DELAYS != 0) begin : ebr_delays
            reg [7:0] delay_at = 8'd0;
            (* no_rw_check *) reg [7:0]          x_line [0:255];
            (* no_rw_check *) reg [ROW_BITS-1:0] row_line [0:255];
            reg [7:0]          x_late;
            reg [ROW_BITS-1:0] row_late;
            wire [7:0] x_read_at = delay_at - 8'd2;     // 8 bits: the index wraps with delay_at
            wire [7:0] row_read_at = delay_at - 8'd4;
            always @(posedge clk) begin
                delay_at <= delay_at + 8'd1;
                x_line[delay_at] <= s_x;
                row_line[delay_at] <= d_row;
                x_late <= x_line[x_read_at];        // s_x of 3 cycles ago: k_x
                row_late <= row_line[row_read_at];  // d_row of 5 cycles ago: the multiplier's tag
            end
            assign k_x_in = x_late;
            assign m_row = row_late;
            wire unused_flip_flop_delays = ^{k_x, m_row_tag};
        end else begin : flip_flop_delays
            assign k_x_in = k_x;
            assign m_row = m_row_tag;
        end
    endgenerate
    wire               m_busy;
    wire               counted_valid;   // the entry whose steps are counted now ...
    wire [4:0]         counted_steps;   // ... and its codebook value's shift-add steps
    generate
        if (USE_DSP != 0) begin : dsp
            // The DSP takes the codebook value itself at K like the digits, so the pipeline's
            // timing (and the cost model) is the same either way. It needs no recoding, so the
            // codebook is read a cycle later, at C, and its block RAM's output register is the K
            // stage (16 flip-flops fewer); the entry's steps are then counted at K.
            reg [3:0]  c_v;
            reg [15:0] k_weight;
            reg [4:0]  k_steps;
            always @(posedge clk) begin
                c_v <= d_v;
                {k_steps, k_weight} <= codebook[c_v];
            end
            assign counted_valid = k_valid;
            assign counted_steps = k_steps;
            wire unused_c_read = ^{c_weight, c_steps};
            // The product comes a cycle after its row, from the DSP's output register: that is
            // the W stage's product register (w_product), which then costs no flip-flops.
            dsp_multiplier #(.TAG_BITS(ROW_BITS), .PRODUCT_LAG(1)) multiplier (
                .clk(clk), .rst(rst),
                .in_valid(k_valid), .x(k_x_in), .constant(k_weight), .in_tag(k_row),
                .out_valid(m_valid), .product(m_product), .out_tag(m_row_tag), .busy(m_busy)
            );
        end else begin : shift_add
            assign counted_valid = c_valid;
            assign counted_steps = c_steps;
            shift_add_multiplier_multiply_activation #(.TAG_BITS(ROW_BITS)) multiplier (
                .clk(clk), .rst(rst),
                .in_valid(k_valid), .x(k_x_in), .plus(k_plus), .minus(k_minus), .in_tag(k_row),
                .out_valid(m_valid), .result(m_product), .out_tag(m_row_tag), .busy(m_busy)
            );
        end
    endgenerate

    // ------------------------------------------------------------------ R and W: accumulate
    // Block RAM. A read that collides with a write to the same row returns an undefined value on
    // iCE40 (yosys would add read-first emulation without no_rw_check); the pipeline never uses
    // such a read (w_forward) and the result path's clearing write lags its read (clear_pending).
    (* no_rw_check *) reg [31:0] acc_ram [0:ROWS-1];
    reg [31:0]         acc_q;
    reg                w_valid;
    reg                w_forward;  // the RAM read missed the previous entry's write to this row
    reg [ROW_BITS-1:0] w_row;
    reg [31:0]         w_product_q;
    reg [31:0]         w_last;     // the sum written last cycle
    // With USE_DSP the multiplier's product already lags its row by the cycle this register would.
    wire [31:0]        w_product = USE_DSP != 0 ? m_product : w_product_q;
    reg [ROW_BITS-1:0] sweep_row;

    wire [31:0] w_sum = (w_forward ? w_last : acc_q) + w_product;

    // Result path read-and-clear: the zero is written one cycle after the read, so it never
    // collides with its own read; reading the row just cleared again returns that zero.
    reg                clear_pending;
    reg [ROW_BITS-1:0] clear_row;
    reg                rd_zero;

    // One read and one write port: the pipeline owns both while it runs; the result path and
    // the sweep use them while the pipeline is idle.
    wire [ROW_BITS-1:0] acc_raddr = m_valid ? m_row : acc_rd_addr;
    wire                acc_we = sweeping || w_valid || clear_pending;
    wire [ROW_BITS-1:0] acc_waddr = sweeping ? sweep_row : (w_valid ? w_row : clear_row);
    wire [31:0]         acc_wdata = w_valid && !sweeping ? w_sum : 32'd0;

    always @(posedge clk) begin
        // Read only when someone reads: between result-path reads the block RAM's output register
        // holds the row read last (the PE-array engine drains the PEs from there one after another).
        if (m_valid || acc_rd_en) acc_q <= acc_ram[acc_raddr];
        if (acc_we) acc_ram[acc_waddr] <= acc_wdata;

        if (rst) w_valid <= 1'b0;
        else w_valid <= m_valid;
        w_forward <= m_valid && w_valid && (m_row == w_row);
        w_row <= m_row;
        w_product_q <= m_product;
        w_last <= w_sum;

        if (rst) clear_pending <= 1'b0;
        else clear_pending <= acc_rd_en && acc_rd_clear;
        clear_row <= acc_rd_addr;
        if (acc_rd_en) rd_zero <= clear_pending && (clear_row == acc_rd_addr);

        // Sweep: every row to zero, one per cycle, after reset and on `clear`.
        if (rst || clear) begin
            sweeping <= 1'b1;
            sweep_row <= {ROW_BITS{1'b0}};
        end else if (sweeping) begin
            sweep_row <= sweep_row + 1'b1;
            if (sweep_row == LAST_ROW) sweeping <= 1'b0;
        end
    end

    assign acc_rd_data = rd_zero ? 32'd0 : acc_q;

    // ------------------------------------------------------------------ status
    wire pipeline_empty = fifo_empty && !pf_valid && cq_count == 2'd0 && !s_active && !d_valid && !c_valid && !k_valid
                          && !m_busy && !m_valid && !w_valid;
    assign idle = pipeline_empty && !sweeping && !clear_pending;
    assign work_entry = counted_valid;
    assign work_steps = counted_steps;

    always @(posedge clk) begin
        if (rst || clear) begin
            busy_cycles <= {COUNTER_BITS{1'b0}};
            entries_consumed <= {COUNTER_BITS{1'b0}};
        end else begin
            if (!pipeline_empty) busy_cycles <= busy_cycles + 1'b1;
            if (s_active) entries_consumed <= entries_consumed + 1'b1;
        end
    end
endmodule

`default_nettype wire
