`default_nettype none
// Runs one input through a committed model image, exactly as host/CoDesign.Runtime/Devices/
// LoadedModel.cs does: it reads the model header and each layer's instruction, codebook, PE table,
// pointers, entries and biases from the weight memory; multiplies by shift and add (csd_recoder,
// shift_add_multiplier), accumulates in 32 bits (wrapping), and requantizes (requantizer). This is
// the sequential engine: one CCS entry in flight at a time over the byte-wide memory port, so it is
// bit-exact but not fast. The EIE-style PE array (pe.v, one entry per cycle per PE from banked
// memory) replaces its inner loop.
module layer_engine #(
    parameter MEM_BITS = 17,     // weight memory address bits
    parameter BUF_BITS = 10,     // frame buffer address bits (input from rx, outputs to tx)
    parameter ACT_BITS = 10,     // activation buffer: up to 2^ACT_BITS values per layer
    parameter ACC_BITS = 9       // accumulators: up to 2^ACC_BITS rows per layer
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                start,
    input  wire [31:0]         model_addr,   // image start in weight memory
    input  wire [BUF_BITS-1:0] input_at,     // first input byte in the receive buffer
    input  wire [BUF_BITS-1:0] output_at,    // first output byte in the transmit buffer
    output reg                 done,         // one-cycle pulse; `fault` tells how it ended
    output reg                 fault,        // the image is malformed or exceeds this build
    // receive buffer read port (one cycle of latency)
    output wire [BUF_BITS-1:0] rx_addr,
    input  wire [7:0]          rx_data,
    // transmit buffer write port (outputs: 32-bit little-endian values)
    output reg                 tx_we,
    output reg  [BUF_BITS-1:0] tx_waddr,
    output reg  [7:0]          tx_wdata,
    // weight memory read port (one cycle of latency)
    output wire [MEM_BITS-1:0] mem_addr,
    input  wire [7:0]          mem_rdata,
    // work of this run (cleared by start)
    output reg  [31:0]         cycles,
    output reg  [31:0]         entries,
    output reg  [31:0]         steps,
    output reg  [31:0]         broadcasts
);
    localparam [4:0] E_IDLE = 5'd0, E_FETCH = 5'd1, E_HEADER = 5'd2, E_INPUT = 5'd3,
                     E_LAYER = 5'd4, E_CODEBOOK = 5'd5, E_CLEAR = 5'd6, E_PE = 5'd7,
                     E_COLUMN = 5'd8, E_ENTRY = 5'd9, E_MULTIPLY = 5'd10, E_ACCUMULATE = 5'd11,
                     E_ROW = 5'd12, E_REQUANT = 5'd13, E_STORE = 5'd14, E_NEXT = 5'd15,
                     E_FAULT = 5'd16, E_POINTERS = 5'd17, E_X = 5'd18, E_ENTRY_WAIT = 5'd19,
                     E_ROW_WAIT = 5'd20, E_ACC_WAIT = 5'd21;

    reg [4:0] state, after_fetch;

    // ---- byte fetch from weight memory: `fetch_len` bytes at `fetch_addr`, little-endian ----
    reg [31:0] fetch_addr;
    reg [2:0]  fetch_len, fetch_i;
    reg        fetch_have;
    reg [31:0] fetch_value;
    assign mem_addr = fetch_addr[MEM_BITS-1:0];

    // ---- model and layer registers ----
    reg [31:0] base;
    reg [15:0] layer_count, layer;
    reg [31:0] input_size, instructions;
    reg        raw_output;
    reg [4:0]  shift;
    reg [2:0]  pointer_bytes;
    reg [15:0] pe_count, pe;
    reg [31:0] rows, cols, codebook_at, bias_at, table_at, pointers_at, entries_at;
    reg [31:0] j, e, e_end, row, i;
    reg [7:0]  x;
    reg [3:0]  cb_index;
    reg [3:0]  v;
    reg        act_sel;               // which half of the activation buffer holds this layer's input
    reg [1:0]  part;                  // sub-step counter within a state
    reg [31:0] width;                 // values in the current layer's input
    // Global rows skipped by a zero run: z of this PE's rows, pe_count global rows apart (a 5 x 4-bit
    // product; pe_count is at most 16).
    wire [8:0] skip = pe_count[4:0] * fetch_value[7:4];

    // Codebook: recoded digit masks and step counts per index, in flip-flops (a block RAM each
    // would be wasted on 16 words).
    (* ram_style = "logic" *)
    reg [16:0] cb_plus  [0:15];
    (* ram_style = "logic" *)
    reg [16:0] cb_minus [0:15];
    (* ram_style = "logic" *)
    reg [4:0]  cb_steps [0:15];
    wire [16:0] recoded_plus, recoded_minus;
    csd_recoder recoder (.constant(fetch_value[15:0]), .plus(recoded_plus), .minus(recoded_minus));
    integer d;
    reg [4:0] recoded_steps;
    always @* begin
        recoded_steps = 5'd0;
        for (d = 0; d < 17; d = d + 1) recoded_steps = recoded_steps + {4'd0, recoded_plus[d] | recoded_minus[d]};
    end

    // ---- activation buffer: two halves, input and output of the current layer ----
    reg                  act_we;
    reg  [ACT_BITS:0]    act_waddr, act_raddr;
    reg  [7:0]           act_wdata;
    wire [7:0]           act_rdata;
    byte_buffer #(.ADDR_BITS(ACT_BITS + 1), .DATA_BITS(8)) activations (
        .clk(clk), .we(act_we), .waddr(act_waddr), .wdata(act_wdata), .raddr(act_raddr), .rdata(act_rdata));

    // ---- accumulators ----
    reg                  acc_we;
    reg  [ACC_BITS-1:0]  acc_waddr, acc_raddr;
    reg  [31:0]          acc_wdata;
    wire [31:0]          acc_rdata;
    byte_buffer #(.ADDR_BITS(ACC_BITS), .DATA_BITS(32)) accumulators (
        .clk(clk), .we(acc_we), .waddr(acc_waddr), .wdata(acc_wdata), .raddr(acc_raddr), .rdata(acc_rdata));

    // ---- input copy from the receive buffer ----
    reg [BUF_BITS-1:0] rx_index;
    assign rx_addr = rx_index;

    // ---- multiplier and requantizer ----
    reg         mul_valid;
    wire        mul_out_valid;
    wire [31:0] product;
    /* verilator lint_off UNUSEDSIGNAL */
    wire        mul_busy;
    wire [0:0]  mul_tag;
    wire        rq_in_ready;
    /* verilator lint_on UNUSEDSIGNAL */
    shift_add_multiplier multiplier (
        .clk(clk), .rst(rst), .in_valid(mul_valid), .x(x), .plus(cb_plus[v]), .minus(cb_minus[v]),
        .in_tag(1'b0), .out_valid(mul_out_valid), .product(product), .out_tag(mul_tag), .busy(mul_busy));

    reg         rq_valid;
    reg  [31:0] rq_acc, rq_bias;
    wire        rq_out_valid;
    wire [31:0] rq_result;
    requantizer requant (
        .clk(clk), .rst(rst), .in_valid(rq_valid), .in_ready(rq_in_ready), .acc(rq_acc), .bias(rq_bias),
        .shift(shift), .raw(raw_output), .out_valid(rq_out_valid), .out_ready(1'b1), .result(rq_result));

    task fetch(input [31:0] offset, input [2:0] length, input [4:0] next);
        begin
            fetch_addr  <= base + offset;
            fetch_len   <= length;
            fetch_i     <= 3'd0;
            fetch_have  <= 1'b0;
            fetch_value <= 32'd0;
            after_fetch <= next;
            state       <= E_FETCH;
        end
    endtask

    always @(posedge clk) begin
        done <= 1'b0;
        act_we <= 1'b0;
        acc_we <= 1'b0;
        tx_we <= 1'b0;
        mul_valid <= 1'b0;
        rq_valid <= 1'b0;
        if (state != E_IDLE) cycles <= cycles + 32'd1;

        if (rst) begin
            state <= E_IDLE;
            fault <= 1'b0;
        end else begin
            case (state)
                E_IDLE: if (start) begin
                    base <= model_addr;
                    cycles <= 32'd0;
                    entries <= 32'd0;
                    steps <= 32'd0;
                    broadcasts <= 32'd0;
                    fault <= 1'b0;
                    part <= 2'd0;
                    fetch_addr <= model_addr + 32'd6;
                    fetch_len <= 3'd2;
                    fetch_i <= 3'd0;
                    fetch_have <= 1'b0;
                    fetch_value <= 32'd0;
                    after_fetch <= E_HEADER;
                    state <= E_FETCH;
                end

                E_FETCH: begin
                    // Ask for byte fetch_i; the byte asked for one cycle earlier arrives now.
                    if (fetch_have) fetch_value[8*(fetch_i - 3'd1) +: 8] <= mem_rdata;
                    if (fetch_i == fetch_len) begin
                        fetch_have <= 1'b0;
                        state <= after_fetch;
                    end else begin
                        fetch_have <= 1'b1;
                        fetch_i <= fetch_i + 3'd1;
                        fetch_addr <= fetch_addr + 32'd1;
                    end
                end

                E_HEADER: begin
                    // part 0: layer count; 1: input size; 2: instructions offset
                    case (part)
                        2'd0: begin layer_count <= fetch_value[15:0]; part <= 2'd1; fetch(32'd8, 3'd4, E_HEADER); end
                        2'd1: begin input_size <= fetch_value; part <= 2'd2; fetch(32'd20, 3'd4, E_HEADER); end
                        default: begin
                            instructions <= fetch_value;
                            if (input_size == 32'd0 || input_size > (32'd1 << ACT_BITS) || layer_count == 16'd0) state <= E_FAULT;
                            else begin
                                rx_index <= input_at;
                                width <= input_size;
                                i <= 32'd0;
                                part <= 2'd0;
                                act_sel <= 1'b0;
                                state <= E_INPUT;
                            end
                        end
                    endcase
                end

                E_INPUT: begin
                    // Copy the input bytes from the receive buffer into activation half 0.
                    if (part != 2'd0) begin
                        act_we <= 1'b1;
                        act_waddr <= {1'b0, i[ACT_BITS-1:0]};
                        act_wdata <= rx_data;
                        i <= i + 32'd1;
                    end
                    if (i + {31'd0, part != 2'd0} == input_size) begin
                        layer <= 16'd0;
                        part <= 2'd0;
                        fetch(instructions, 3'd4, E_LAYER);
                    end else begin
                        part <= 2'd1;
                        rx_index <= rx_index + 1'b1;
                    end
                end

                E_LAYER: begin
                    // The instruction, 4 bytes at a time: opcode|kind|shift|pointer bits, PE count,
                    // rows, cols, codebook, bias, PE table.
                    case (i[2:0])
                        3'd0: begin
                            raw_output <= fetch_value[15:8] == 8'd1;
                            shift <= fetch_value[20:16];
                            pointer_bytes <= fetch_value[31:24] == 8'd32 ? 3'd4 : 3'd2;
                            if (fetch_value[7:0] != 8'd1 || fetch_value[23:16] > 8'd31 || (fetch_value[31:24] != 8'd16 && fetch_value[31:24] != 8'd32)) state <= E_FAULT;
                            else begin i <= 32'd1; fetch(instructions + {11'd0, layer, 5'd0} + 32'd4, 3'd2, E_LAYER); end
                        end
                        3'd1: begin pe_count <= fetch_value[15:0]; i <= 32'd2; fetch(instructions + {11'd0, layer, 5'd0} + 32'd8, 3'd4, E_LAYER); end
                        3'd2: begin rows <= fetch_value; i <= 32'd3; fetch(instructions + {11'd0, layer, 5'd0} + 32'd12, 3'd4, E_LAYER); end
                        3'd3: begin cols <= fetch_value; i <= 32'd4; fetch(instructions + {11'd0, layer, 5'd0} + 32'd16, 3'd4, E_LAYER); end
                        3'd4: begin codebook_at <= fetch_value; i <= 32'd5; fetch(instructions + {11'd0, layer, 5'd0} + 32'd20, 3'd4, E_LAYER); end
                        3'd5: begin bias_at <= fetch_value; i <= 32'd6; fetch(instructions + {11'd0, layer, 5'd0} + 32'd24, 3'd4, E_LAYER); end
                        default: begin
                            table_at <= fetch_value;
                            if (pe_count == 16'd0 || pe_count > 16'd16 || cols != width || rows == 32'd0 || rows > (32'd1 << ACC_BITS) || rows > (32'd1 << ACT_BITS)
                                || cols == 32'd0 || cols > (32'd1 << ACT_BITS) || (layer != layer_count - 16'd1 && raw_output))
                                state <= E_FAULT;
                            else begin
                                cb_index <= 4'd0;
                                fetch(codebook_at, 3'd2, E_CODEBOOK);
                            end
                        end
                    endcase
                end

                E_CODEBOOK: begin
                    cb_plus[cb_index] <= recoded_plus;
                    cb_minus[cb_index] <= recoded_minus;
                    cb_steps[cb_index] <= recoded_steps;
                    if (cb_index == 4'd15) begin
                        i <= 32'd0;
                        state <= E_CLEAR;
                    end else begin
                        cb_index <= cb_index + 4'd1;
                        fetch(codebook_at + {27'd0, cb_index + 4'd1, 1'b0}, 3'd2, E_CODEBOOK);
                    end
                end

                E_CLEAR: begin
                    acc_we <= 1'b1;
                    acc_waddr <= i[ACC_BITS-1:0];
                    acc_wdata <= 32'd0;
                    if (i + 32'd1 == rows) begin
                        pe <= 16'd0;
                        fetch(table_at, 3'd4, E_PE);
                        part <= 2'd0;
                    end
                    i <= i + 32'd1;
                end

                E_PE: begin
                    // This PE's record: pointers offset, entries offset.
                    if (part == 2'd0) begin
                        pointers_at <= fetch_value;
                        part <= 2'd1;
                        fetch(table_at + {12'd0, pe, 4'd0} - {14'd0, pe, 2'd0} + 32'd4, 3'd4, E_PE);  // table + 12*pe + 4
                    end else begin
                        entries_at <= fetch_value;
                        j <= 32'd0;
                        state <= E_COLUMN;
                    end
                end

                E_COLUMN: begin
                    if (j == cols) state <= E_NEXT;
                    else begin
                        act_raddr <= {act_sel, j[ACT_BITS-1:0]};
                        state <= E_X;
                        part <= 2'd0;
                    end
                end

                E_X: begin
                    // One cycle for the read address to reach the buffer, one for the data.
                    if (part == 2'd0) part <= 2'd1;
                    else begin
                        x <= act_rdata;
                        if (act_rdata == 8'd0) begin
                            j <= j + 32'd1;
                            state <= E_COLUMN;
                        end else begin
                            if (pe == 16'd0) broadcasts <= broadcasts + 32'd1;
                            part <= 2'd0;
                            fetch(pointers_at + (pointer_bytes == 3'd4 ? {j[29:0], 2'b00} : {j[30:0], 1'b0}), pointer_bytes, E_POINTERS);
                        end
                    end
                end

                E_POINTERS: begin
                    if (part == 2'd0) begin
                        e <= fetch_value;
                        part <= 2'd1;
                        fetch(pointers_at + (pointer_bytes == 3'd4 ? {j[29:0], 2'b00} + 32'd4 : {j[30:0], 1'b0} + 32'd2), pointer_bytes, E_POINTERS);
                    end else begin
                        e_end <= fetch_value;
                        row <= {16'd0, pe};
                        if (fetch_value < e) state <= E_FAULT;
                        else state <= E_ENTRY;
                    end
                end

                E_ENTRY: begin
                    if (e == e_end) begin
                        j <= j + 32'd1;
                        state <= E_COLUMN;
                    end else fetch(entries_at + e, 3'd1, E_ENTRY_WAIT);
                end

                E_ENTRY_WAIT: begin
                    // row is the global row of the next position in this PE's column: skip z of this
                    // PE's rows (each pe_count global rows apart).
                    v <= fetch_value[3:0];
                    row <= row + {23'd0, skip};
                    state <= E_MULTIPLY;
                end

                E_MULTIPLY: begin
                    if (row >= rows) state <= E_FAULT;
                    else begin
                        mul_valid <= 1'b1;
                        acc_raddr <= row[ACC_BITS-1:0];
                        entries <= entries + 32'd1;
                        steps <= steps + {27'd0, cb_steps[v]};
                        state <= E_ACCUMULATE;
                    end
                end

                E_ACCUMULATE: begin
                    if (mul_out_valid) begin
                        acc_we <= 1'b1;
                        acc_waddr <= row[ACC_BITS-1:0];
                        acc_wdata <= acc_rdata + product;
                        row <= row + {16'd0, pe_count};
                        e <= e + 32'd1;
                        state <= E_ACC_WAIT;
                    end
                end

                E_ACC_WAIT: state <= E_ENTRY;  // the write lands before the next read of this row

                E_NEXT: begin
                    if (pe + 16'd1 != pe_count) begin
                        pe <= pe + 16'd1;
                        part <= 2'd0;
                        fetch(table_at + {12'd0, pe + 16'd1, 4'd0} - {14'd0, pe + 16'd1, 2'd0}, 3'd4, E_PE);
                    end else begin
                        i <= 32'd0;
                        state <= E_ROW;
                    end
                end

                E_ROW: begin
                    // Bias, ReLU and requantization of row i.
                    acc_raddr <= i[ACC_BITS-1:0];
                    fetch(bias_at + {i[29:0], 2'b00}, 3'd4, E_ROW_WAIT);
                end

                E_ROW_WAIT: begin
                    rq_valid <= 1'b1;
                    rq_acc <= acc_rdata;
                    rq_bias <= fetch_value;
                    state <= E_REQUANT;
                end

                E_REQUANT: if (rq_out_valid) begin
                    if (raw_output) begin
                        fetch_value <= rq_result;
                        part <= 2'd0;
                        state <= E_STORE;
                    end else begin
                        act_we <= 1'b1;
                        act_waddr <= {!act_sel, i[ACT_BITS-1:0]};
                        act_wdata <= rq_result[7:0];
                        state <= i + 32'd1 == rows ? E_STORE : E_ROW;
                        i <= i + 32'd1;
                    end
                end

                E_STORE: begin
                    if (raw_output) begin
                        // Four little-endian bytes of output i into the transmit buffer.
                        tx_we <= 1'b1;
                        tx_waddr <= output_at + {i[BUF_BITS-3:0], part};
                        tx_wdata <= fetch_value[8*part +: 8];
                        part <= part + 2'd1;
                        if (part == 2'd3) begin
                            i <= i + 32'd1;
                            if (i + 32'd1 == rows) begin
                                done <= 1'b1;
                                state <= E_IDLE;
                            end else state <= E_ROW;
                        end
                    end else begin
                        // Next layer: this layer's output half becomes the input half.
                        act_sel <= !act_sel;
                        width <= rows;
                        if (layer + 16'd1 == layer_count) state <= E_FAULT;  // the last layer must emit raw values
                        else begin
                            layer <= layer + 16'd1;
                            i <= 32'd0;
                            part <= 2'd0;
                            fetch(instructions + {11'd0, layer + 16'd1, 5'd0}, 3'd4, E_LAYER);
                        end
                    end
                end

                E_FAULT: begin
                    fault <= 1'b1;
                    done <= 1'b1;
                    state <= E_IDLE;
                end

                default: state <= E_FAULT;
            endcase
        end
    end
endmodule
`default_nettype wire
