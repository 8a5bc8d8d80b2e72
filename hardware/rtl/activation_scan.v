`default_nettype none
// The PE array's broadcast source (EIE's zero skipping): it scans a layer's input activations four
// at a time from the banked activation buffer (a word: activations 4k .. 4k + 3) and offers the
// nonzero ones, in column order, one per cycle. A word read takes two cycles (the owner registers
// read_column into the buffer's address, the buffer answers a cycle later); words with a nonzero
// activation inside the layer's columns wait in a QUEUE_DEPTH-deep queue, and a read is issued only
// when the queue has room for it and for the reads in flight. So runs of zeros cost a quarter cycle
// each (with 4 words; 2 words, for a small part, read two of every three cycles) and the scan keeps up
// with the PEs. While `run` is low the scan is reset to column 0.
module activation_scan #(
    parameter ACT_BITS = 10,    // up to 2^ACT_BITS activations
    parameter QUEUE_DEPTH = 4   // words waiting to be offered: 4, or 2 (88 flip-flops fewer; a little slower over zeros)
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                run,
    input  wire [ACT_BITS:0]   cols,          // the layer's inputs
    output wire                issue,         // read the word of read_column
    output reg  [ACT_BITS:0]   read_column,   // a multiple of 4
    input  wire [31:0]         act_word,      // the word asked for two cycles ago
    output wire                valid,         // a nonzero activation is offered
    output wire [ACT_BITS-1:0] column,
    output wire [7:0]          value,
    input  wire                ready,         // the PEs take it (with valid)
    output wire                finished       // every column read, offered and taken
);
    localparam NW = ACT_BITS + 1;
    localparam QB = $clog2(QUEUE_DEPTH);   // queue index bits (QUEUE_DEPTH a power of two, at least 2)
    localparam integer ROOM_ALL = QUEUE_DEPTH - 1;
    localparam [QB+1:0] ROOM = ROOM_ALL[QB+1:0];   // words queued and in flight when a read may still go out
    reg                sc_rd1, sc_rd2;
    reg [ACT_BITS-3:0] sc_w1, sc_w2;  // word index of the read in flight
    reg [ACT_BITS-3:0] wq_word [0:QUEUE_DEPTH-1];
    reg [3:0]          wq_mask [0:QUEUE_DEPTH-1]; // nonzero activations not yet offered
    reg [31:0]         wq_bytes [0:QUEUE_DEPTH-1];
    reg [QB-1:0]       wq_rd, wq_wr;
    reg [QB:0]         wq_count;
    wire [3:0] arrive_mask;
    genvar m;
    generate
        for (m = 0; m < 4; m = m + 1) begin : arrive
            wire [NW-1:0] at = {sc_w2, 2'b00} + m;
            assign arrive_mask[m] = act_word[8*m +: 8] != 8'd0 && at < cols;
        end
    endgenerate
    wire [3:0] head_mask = wq_mask[wq_rd];
    wire [1:0] head_lane = head_mask[0] ? 2'd0 : head_mask[1] ? 2'd1 : head_mask[2] ? 2'd2 : 2'd3;
    wire [3:0] head_rest = head_mask & ~(4'd1 << head_lane);
    assign column = {wq_word[wq_rd], head_lane};
    assign value = wq_bytes[wq_rd][8*head_lane +: 8];
    assign valid = wq_count != {(QB + 1){1'b0}};
    assign issue = run && read_column < cols && ({1'b0, wq_count} + {{(QB + 1){1'b0}}, sc_rd1} + {{(QB + 1){1'b0}}, sc_rd2}) <= ROOM;
    assign finished = !(read_column < cols) && !sc_rd1 && !sc_rd2 && !valid;
    wire enqueue = sc_rd2 && arrive_mask != 4'd0;
    wire take = valid && ready;
    wire pop = take && head_rest == 4'd0;
    always @(posedge clk) begin
        sc_rd1 <= issue;
        sc_w1 <= read_column[ACT_BITS-1:2];
        sc_rd2 <= sc_rd1;
        sc_w2 <= sc_w1;
        if (issue) read_column <= read_column + {{(NW - 3){1'b0}}, 3'd4};
        if (enqueue) begin
            wq_word[wq_wr] <= sc_w2;
            wq_mask[wq_wr] <= arrive_mask;
            wq_bytes[wq_wr] <= act_word;
            wq_wr <= wq_wr + 1'b1;
        end
        if (take) wq_mask[wq_rd] <= head_rest;
        if (pop) wq_rd <= wq_rd + 1'b1;
        wq_count <= wq_count + {{QB{1'b0}}, enqueue} - {{QB{1'b0}}, pop};
        if (rst || !run) begin
            read_column <= {NW{1'b0}};
            sc_rd1 <= 1'b0;
            sc_rd2 <= 1'b0;
            wq_rd <= {QB{1'b0}};
            wq_wr <= {QB{1'b0}};
            wq_count <= {(QB + 1){1'b0}};
        end
    end
endmodule
`default_nettype wire
