`default_nettype none

// Test bench of frame_transmitter. Sends the frames of tx_frames.hex (one hex word per line):
//     frame count, then per frame {type[31:24], seq[23:16], len[15:0]} and its len payload bytes,
//     one per word.
// Before each frame the payload is put into a bench memory that models a block RAM (rd_data is
// the byte at the previous cycle's rd_addr). out_ready is low in about STALL percent of the
// cycles (a pseudo-random pattern), and while a frame is being sent `start` is pulsed with other
// values, which the transmitter must ignore. Prints per frame
//     TXFRAME <index> <wire bytes in hex>
// then DONE. The C# test compares the bytes with FrameCodec.Encode. Internal checks (FAIL): the
// output holds still while it waits for out_ready, nothing comes out when not busy, busy lasts from
// start to done, done pulses once per frame, and reads stay inside the buffer.
module frame_transmitter_tb #(
    parameter integer MAX_PAYLOAD = 1024,
    parameter integer WORDS = 1,
    parameter integer STALL = 0
);
    localparam integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1;
    localparam integer LEN_W  = $clog2(MAX_PAYLOAD + 1);
    localparam integer MAX_WIRE = 2 * (MAX_PAYLOAD + 8) + 2;

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg              start = 1'b0;
    reg [7:0]        frame_type = 8'd0;
    reg [7:0]        frame_seq = 8'd0;
    reg [LEN_W-1:0]  frame_len = {LEN_W{1'b0}};
    wire             busy;
    wire             done;
    wire [ADDR_W-1:0] rd_addr;
    reg  [7:0]       rd_data = 8'd0;
    wire             out_valid;
    wire [7:0]       out_data;
    reg              out_ready = 1'b1;

    frame_transmitter #(.MAX_PAYLOAD(MAX_PAYLOAD)) dut (
        .clk       (clk),
        .rst       (rst),
        .start     (start),
        .frame_type(frame_type),
        .frame_seq (frame_seq),
        .frame_len (frame_len),
        .busy      (busy),
        .done      (done),
        .rd_addr   (rd_addr),
        .rd_data   (rd_data),
        .out_valid (out_valid),
        .out_data  (out_data),
        .out_ready (out_ready)
    );

    always #5 clk = ~clk;

    reg [31:0] words [0:WORDS-1];
    reg [7:0]  ram [0:MAX_PAYLOAD-1];
    reg [7:0]  sent [0:MAX_WIRE-1];
    integer    sent_count = 0;

    // Block RAM read port: one cycle of latency.
    always @(posedge clk) begin
        if (rd_addr >= MAX_PAYLOAD) begin
            rd_data <= 8'hxx;
        end else begin
            rd_data <= ram[rd_addr];
        end
    end

    // Back-pressure: a 16-bit Fibonacci LFSR decides out_ready for the next cycle.
    reg [15:0] lfsr = 16'hACE1;
    always @(posedge clk) begin
        lfsr <= {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
        out_ready <= ((lfsr % 100) >= STALL);
    end

    // Driver.
    integer frames;
    integer f;
    integer pos;
    integer len;
    integer k;
    integer done_count = 0;
    initial begin
        $readmemh("tx_frames.hex", words);
        frames = words[0];
        pos = 1;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (f = 0; f < frames; f = f + 1) begin
            len = words[pos][15:0];
            for (k = 0; k < len; k = k + 1) begin
                ram[k] = words[pos + 1 + k][7:0];
            end
            sent_count = 0;
            start      <= 1'b1;
            frame_type <= words[pos][31:24];
            frame_seq  <= words[pos][23:16];
            frame_len  <= len[LEN_W-1:0];
            @(posedge clk);
            // While it is busy, keep offering other frames: they must be ignored. Only while at
            // least two wire bytes are left (a frame has at least len + 10), so that the
            // transmitter is still busy when the pulse arrives.
            start      <= 1'b0;
            frame_type <= ~words[pos][31:24];
            frame_seq  <= ~words[pos][23:16];
            frame_len  <= {LEN_W{1'b0}};
            @(posedge clk);
            while (!done) begin
                start <= (sent_count < len + 8) && lfsr[0] && lfsr[5];
                @(posedge clk);
            end
            start <= 1'b0;
            $write("TXFRAME %0d ", f);
            for (k = 0; k < sent_count; k = k + 1) begin
                $write("%02h", sent[k]);
            end
            $write("\n");
            pos = pos + 1 + len;
            // An idle cycle or two between frames, varying.
            repeat (f % 3) @(posedge clk);
        end
        repeat (2) @(posedge clk);
        if (done_count != frames) begin
            $display("FAIL %0d frames, %0d done pulses", frames, done_count);
        end
        $display("DONE %0d", frames);
        $finish;
    end

    // Monitor: values before each clock edge.
    reg       was_waiting = 1'b0;  // out_valid && !out_ready at the previous edge
    reg [7:0] waiting_data = 8'd0;
    reg       was_busy = 1'b0;
    always @(posedge clk) begin
        if (!rst) begin
            if (out_valid && out_ready) begin
                if (sent_count < MAX_WIRE) begin
                    sent[sent_count] = out_data;
                end
                sent_count = sent_count + 1;
            end
            if (was_waiting && (!out_valid || out_data !== waiting_data)) begin
                $display("FAIL output changed while waiting for out_ready");
            end
            if (out_valid && !busy) begin
                $display("FAIL out_valid while not busy");
            end
            if (done) begin
                done_count = done_count + 1;
                if (busy) begin
                    $display("FAIL busy together with done");
                end
                if (!was_busy) begin
                    $display("FAIL done without busy before");
                end
            end
            if (was_busy && !busy && !done) begin
                $display("FAIL busy fell without done");
            end
            was_waiting  = out_valid && !out_ready;
            waiting_data = out_data;
            was_busy     = busy;
        end
    end

    // Watchdog: every wire byte takes at most a few hundred cycles even at STALL = 99.
    initial begin
        #(10 * 400 * (2 * WORDS + 10 * 20));
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
