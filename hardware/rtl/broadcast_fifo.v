`default_nettype none

// A PE's queue of broadcast activations (column and value), EIE's load balance between PEs: the array
// offers a broadcast to every PE at once, and each PE takes its head when its own pipeline is ready, so
// a PE may run ahead or fall behind by DEPTH columns. Zero activations are dropped at the door (the
// kernel skips them), and the ready output does not look at the value, so every PE answers the same
// broadcast alike. The head is read as it stands: `pop` takes it. With HEAD_REGISTER the head is a
// register of its own, loaded with the element behind it (or the one arriving) as it leaves, so a
// reader's compare of the head starts at a register instead of at the queue's read multiplexer; the
// timing is the same (an element offered into an empty queue is its head the next cycle either way).
//
// Flip-flops, not a block RAM: 8 words would waste two of the few EBRs (and need yosys's transparency
// emulation for the asynchronous read).
module broadcast_fifo #(
    parameter COL_BITS = 10,           // column index width
    parameter DEPTH = 8,               // a power of two
    parameter HEAD_REGISTER = 0        // 1: the head comes from a register (18 more flip-flops), not the read multiplexer
) (
    input  wire                clk,
    input  wire                rst,

    input  wire                act_valid,
    output wire                act_ready,
    input  wire [COL_BITS-1:0] act_col,
    input  wire [7:0]          act_value,

    output wire                empty,
    input  wire                pop,          // only while not empty
    output wire [COL_BITS-1:0] head_col,
    output wire [7:0]          head_value
);
    localparam BITS = $clog2(DEPTH);
    localparam integer DEPTH_ALL = DEPTH;
    localparam [BITS:0] FULL = DEPTH_ALL[BITS:0];

    (* ram_style = "logic" *) reg [COL_BITS+7:0] words [0:DEPTH-1];
    reg [BITS-1:0] wr;
    reg [BITS-1:0] rd;
    reg [BITS:0]   count;

    assign act_ready = count != FULL;
    wire push = act_valid && act_ready && (act_value != 8'd0);
    assign empty = count == {(BITS + 1){1'b0}};
    wire [COL_BITS+7:0] head;
    assign head_col = head[COL_BITS+7:8];
    assign head_value = head[7:0];
    generate
        if (HEAD_REGISTER != 0) begin : registered
            reg [COL_BITS+7:0] head_q;
            wire [BITS-1:0]    behind = rd + 1'b1;
            always @(posedge clk) begin
                if (pop && count > 1) head_q <= words[behind];
                else if (push && (count == 0 || (pop && count == 1))) head_q <= {act_col, act_value};
            end
            assign head = head_q;
        end else begin : multiplexed
            assign head = words[rd];
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            wr <= {BITS{1'b0}};
            rd <= {BITS{1'b0}};
            count <= {(BITS + 1){1'b0}};
        end else begin
            if (push) wr <= wr + 1'b1;
            if (pop) rd <= rd + 1'b1;
            if (push && !pop) count <= count + 1'b1;
            else if (pop && !push) count <= count - 1'b1;
        end
        if (push) words[wr] <= {act_col, act_value};
    end
endmodule

`default_nettype wire
