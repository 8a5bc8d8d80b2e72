`default_nettype none

// Test bench of frame_receiver. Feeds the byte stream of rx_wire.hex (one hex word per line):
//     byte count, then per byte {gap[15:8], byte[7:0]}
// gap: idle cycles (in_valid low) before the byte; 0 gives one byte per cycle. The payload
// buffer is a memory in the bench, written through the receiver's write port. Prints one line
// per result of the receiver:
//     FRAME <i> <type> <seq> <len> <payload hex, or - when empty>
//     ERROR <i>
// where <i> is the index of the byte (a flag) that ended the frame, then DONE. The C# test
// compares these lines with what FrameDecoder makes of the same bytes. Internal checks (FAIL):
// writes go to addresses 0, 1, 2... of the frame and stay below MAX_PAYLOAD, a good frame wrote
// exactly its length (no CRC bytes), results come one cycle after a byte and never both at
// once, and the frame header outputs only change with frame_valid.
module frame_receiver_tb #(
    parameter integer MAX_PAYLOAD = 1024,
    parameter integer BYTES = 1
);
    localparam integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1;
    localparam integer LEN_W  = $clog2(MAX_PAYLOAD + 1);

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg in_valid = 1'b0;
    reg [7:0] in_data = 8'd0;
    wire              buf_we;
    wire [ADDR_W-1:0] buf_addr;
    wire [7:0]        buf_wdata;
    wire              frame_valid;
    wire              frame_error;
    wire [7:0]        frame_type;
    wire [7:0]        frame_seq;
    wire [LEN_W-1:0]  frame_len;

    frame_receiver #(.MAX_PAYLOAD(MAX_PAYLOAD)) dut (
        .clk        (clk),
        .rst        (rst),
        .in_valid   (in_valid),
        .in_data    (in_data),
        .buf_we     (buf_we),
        .buf_addr   (buf_addr),
        .buf_wdata  (buf_wdata),
        .frame_valid(frame_valid),
        .frame_error(frame_error),
        .frame_type (frame_type),
        .frame_seq  (frame_seq),
        .frame_len  (frame_len)
    );

    always #5 clk = ~clk;

    reg [31:0] wire_bytes [0:BYTES];
    reg [7:0]  buffer [0:MAX_PAYLOAD-1];

    // Driver.
    integer n;
    integer i;
    reg [7:0] gap;
    reg [7:0] value;
    initial begin
        $readmemh("rx_wire.hex", wire_bytes);
        n = wire_bytes[0];
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (i = 1; i <= n; i = i + 1) begin
            {gap, value} = wire_bytes[i][15:0];
            if (gap != 8'd0) begin
                in_valid <= 1'b0;
                repeat (gap) @(posedge clk);
            end
            in_valid <= 1'b1;
            in_data  <= value;
            @(posedge clk);
        end
        in_valid <= 1'b0;
        repeat (4) @(posedge clk);
        $display("DONE %0d", consumed);
        $finish;
    end

    // Monitor. Sees, at each clock edge, the byte the receiver takes at this edge and the
    // outputs it registered at the previous edge.
    integer consumed = 0;      // bytes taken so far
    integer prev_idx = -1;     // index of the byte taken at the previous edge, -1 if none
    integer writes = 0;        // payload writes since the last flag
    integer writes_frame = 0;  // payload writes of the frame the last flag ended
    integer k;
    reg [7:0]       held_type = 8'd0;
    reg [7:0]       held_seq = 8'd0;
    reg [LEN_W-1:0] held_len = {LEN_W{1'b0}};
    always @(posedge clk) begin
        if (!rst) begin
            if (buf_we) begin
                if (buf_addr >= MAX_PAYLOAD) begin
                    $display("FAIL write at %0d, past the buffer", buf_addr);
                end else begin
                    buffer[buf_addr] = buf_wdata;
                end
                if (buf_addr != writes) begin
                    $display("FAIL write %0d of a frame went to address %0d", writes, buf_addr);
                end
                writes = writes + 1;
            end
            if (frame_valid && frame_error) begin
                $display("FAIL frame_valid and frame_error at once");
            end
            if ((frame_valid || frame_error) && prev_idx < 0) begin
                $display("FAIL result without a byte in the cycle before");
            end
            if (frame_valid) begin
                if (writes_frame != frame_len) begin
                    $display("FAIL frame of length %0d wrote %0d bytes", frame_len, writes_frame);
                end
                $write("FRAME %0d %02h %02h %0d ", prev_idx, frame_type, frame_seq, frame_len);
                if (frame_len == 0) begin
                    $write("-");
                end
                for (k = 0; k < frame_len; k = k + 1) begin
                    $write("%02h", buffer[k]);
                end
                $write("\n");
                held_type = frame_type;
                held_seq  = frame_seq;
                held_len  = frame_len;
            end else if (frame_type !== held_type || frame_seq !== held_seq || frame_len !== held_len) begin
                $display("FAIL frame header outputs changed without frame_valid");
            end
            if (frame_error) begin
                $display("ERROR %0d", prev_idx);
            end
            if (in_valid) begin
                prev_idx = consumed;
                consumed = consumed + 1;
                if (in_data == 8'h7E) begin
                    writes_frame = writes;
                    writes = 0;
                end
            end else begin
                prev_idx = -1;
            end
        end
    end

    // Watchdog: every byte takes at most 256 cycles.
    initial begin
        #(10 * 260 * (BYTES + 10));
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
