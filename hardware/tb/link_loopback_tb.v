`default_nettype none

// Loopback test bench of the whole link layer over serial lines, as a board would run it:
//
//   host_tx (uart_tx) --line--> dev_rx (uart_rx) -> frame_receiver -> payload buffer
//   payload buffer -> frame_transmitter -> dev_tx (uart_tx) --line--> host_rx (uart_rx)
//
// The bench plays the host and a minimal controller that echoes every good frame: on
// frame_valid it sends back the same sequence number and payload with type | 0x80 (a reply).
// Host bytes come from loop_wire.hex (one hex word per line):
//     byte count, then per byte {wait[16], gap[15:8], byte[7:0]}
// wait: before this byte, wait until the device has been quiet for a while (its reply is out),
// as a host waits for a reply before the next request; gap: extra idle cycles before the byte.
// Prints, in order of occurrence:
//     RXFRAME <type> <seq> <len>    the device received a good frame
//     RXERROR                       the device discarded a corrupted frame
//     OUT <byte>                    the host received a byte of the device's replies
// then DONE. The C# test checks the RX lines against FrameDecoder on the host bytes and that the
// OUT bytes are exactly FrameCodec.Encode of the expected replies. Internal checks (FAIL): a
// framing error on either line, a frame arriving while a reply is still being sent.
module link_loopback_tb #(
    parameter integer CLKS_PER_BIT = 4,
    parameter integer MAX_PAYLOAD = 64,
    parameter integer BYTES = 1
);
    localparam integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1;
    localparam integer LEN_W  = $clog2(MAX_PAYLOAD + 1);
    // Quiet time that means "the reply is out": more than a byte time on the line.
    localparam integer QUIET = 12 * CLKS_PER_BIT;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

    // Host transmitter.
    reg  [7:0] host_data = 8'd0;
    reg        host_start = 1'b0;
    wire       host_ready;
    wire       line_to_device;
    uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) host_tx (
        .clk(clk), .rst(rst), .data(host_data), .start(host_start), .ready(host_ready), .tx(line_to_device));

    // Device: receive path.
    wire [7:0] dev_byte;
    wire       dev_byte_valid;
    wire       dev_framing_error;
    uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) dev_rx (
        .clk(clk), .rst(rst), .rx(line_to_device),
        .data(dev_byte), .valid(dev_byte_valid), .frame_error(dev_framing_error));

    wire              buf_we;
    wire [ADDR_W-1:0] buf_addr;
    wire [7:0]        buf_wdata;
    wire              frame_valid;
    wire              frame_error;
    wire [7:0]        frame_type;
    wire [7:0]        frame_seq;
    wire [LEN_W-1:0]  frame_len;
    frame_receiver #(.MAX_PAYLOAD(MAX_PAYLOAD)) receiver (
        .clk(clk), .rst(rst), .in_valid(dev_byte_valid), .in_data(dev_byte),
        .buf_we(buf_we), .buf_addr(buf_addr), .buf_wdata(buf_wdata),
        .frame_valid(frame_valid), .frame_error(frame_error),
        .frame_type(frame_type), .frame_seq(frame_seq), .frame_len(frame_len));

    // The payload buffer: one write port, one read port with one cycle of latency (a block RAM).
    reg  [7:0]        buffer [0:MAX_PAYLOAD-1];
    wire [ADDR_W-1:0] rd_addr;
    reg  [7:0]        rd_data = 8'd0;
    always @(posedge clk) begin
        if (buf_we) begin
            buffer[buf_addr] <= buf_wdata;
        end
        rd_data <= buffer[rd_addr];
    end

    // Device: the echo controller and the transmit path.
    reg              reply_start = 1'b0;
    reg  [7:0]       reply_type = 8'd0;
    reg  [7:0]       reply_seq = 8'd0;
    reg  [LEN_W-1:0] reply_len = {LEN_W{1'b0}};
    wire             xmit_busy;
    wire             xmit_done;
    wire             out_valid;
    wire [7:0]       out_data;
    wire             out_ready;
    frame_transmitter #(.MAX_PAYLOAD(MAX_PAYLOAD)) transmitter (
        .clk(clk), .rst(rst),
        .start(reply_start), .frame_type(reply_type), .frame_seq(reply_seq), .frame_len(reply_len),
        .busy(xmit_busy), .done(xmit_done),
        .rd_addr(rd_addr), .rd_data(rd_data),
        .out_valid(out_valid), .out_data(out_data), .out_ready(out_ready));

    wire line_to_host;
    uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) dev_tx (
        .clk(clk), .rst(rst), .data(out_data), .start(out_valid), .ready(out_ready), .tx(line_to_host));

    always @(posedge clk) begin
        reply_start <= 1'b0;
        if (frame_valid) begin
            if (xmit_busy || reply_start) begin
                $display("FAIL frame arrived while the previous reply was being sent");
            end
            reply_start <= 1'b1;
            reply_type  <= frame_type | 8'h80;
            reply_seq   <= frame_seq;
            reply_len   <= frame_len;
        end
    end

    // Host receiver.
    wire [7:0] host_byte;
    wire       host_byte_valid;
    wire       host_framing_error;
    uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) host_rx (
        .clk(clk), .rst(rst), .rx(line_to_host),
        .data(host_byte), .valid(host_byte_valid), .frame_error(host_framing_error));

    // Monitor.
    integer replies = 0;
    always @(posedge clk) begin
        if (!rst) begin
            if (frame_valid) begin
                $display("RXFRAME %02h %02h %0d", frame_type, frame_seq, frame_len);
            end
            if (frame_error) begin
                $display("RXERROR");
            end
            if (host_byte_valid) begin
                $display("OUT %02h", host_byte);
            end
            if (xmit_done) begin
                replies = replies + 1;
            end
            if (dev_framing_error || host_framing_error) begin
                $display("FAIL UART framing error (device %b, host %b)", dev_framing_error, host_framing_error);
            end
        end
    end

    // How long the device has been quiet: nothing being sent back, nothing pending.
    integer quiet = 0;
    always @(posedge clk) begin
        if (xmit_busy || reply_start || frame_valid || !out_ready || !host_ready || dev_byte_valid) begin
            quiet <= 0;
        end else begin
            quiet <= quiet + 1;
        end
    end

    // Host driver.
    reg [16:0] wire_bytes [0:BYTES];
    integer n;
    integer i;
    reg       wait_quiet;
    reg [7:0] gap;
    reg [7:0] value;
    initial begin
        $readmemh("loop_wire.hex", wire_bytes);
        n = wire_bytes[0];
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (i = 1; i <= n; i = i + 1) begin
            {wait_quiet, gap, value} = wire_bytes[i];
            if (wait_quiet) begin
                host_start <= 1'b0;
                @(posedge clk);
                while (quiet < QUIET) @(posedge clk);
            end
            if (gap != 8'd0) begin
                host_start <= 1'b0;
                repeat (gap) @(posedge clk);
            end
            host_start <= 1'b1;
            host_data  <= value;
            @(posedge clk);
            while (!host_ready) @(posedge clk);
        end
        host_start <= 1'b0;
        // The last frame's reply.
        @(posedge clk);
        while (quiet < QUIET) @(posedge clk);
        $display("DONE %0d %0d", n, replies);
        $finish;
    end

    // Watchdog: every host byte, and every reply byte (at most twice as many, stuffed, plus
    // overhead), takes 10 bits; waits add a few byte times per frame.
    initial begin
        #(10 * 10 * CLKS_PER_BIT * (6 * BYTES + 100));
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
