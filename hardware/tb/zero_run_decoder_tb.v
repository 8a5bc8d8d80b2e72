`default_nettype none

// Test bench of zero_run_decoder. Plays frame_receiver from zrd_ops.hex (one hex word per line):
//     op count, then per op {op[7:0], gap[7:0], data[7:0]}
// gap: idle cycles before the op. Ops: 1 a frame header (in_type = data); 0 a payload byte (written
// at the frame's next address, one cycle); 2 the frame ended good (in_valid, with the header's type
// and the payload bytes' count as its length); 3 it ended damaged (in_error). The receive buffer
// is a memory in the bench. Prints one line per result:
//     FRAME <type> 0 <len> <payload hex, or - when empty>     a frame that decoded (or was raw)
//     FRAME <type> 1                                         a compressed payload that did not
//     ERROR
// then DONE. Internal checks (FAIL): nothing is written at or past MAX_PAYLOAD, results come only
// when no zeros are pending and never both at once.
module zero_run_decoder_tb #(
    parameter integer MAX_PAYLOAD = 64,
    parameter integer OPS = 1
);
    localparam integer ADDR_W = (MAX_PAYLOAD > 1) ? $clog2(MAX_PAYLOAD) : 1;
    localparam integer LEN_W  = $clog2(MAX_PAYLOAD + 1);

    reg clk = 1'b0;
    reg rst = 1'b1;
    reg              in_we = 1'b0;
    reg [7:0]        in_data = 8'd0;
    reg [7:0]        in_type = 8'd0;
    reg              in_valid = 1'b0;
    reg              in_error = 1'b0;
    reg [7:0]        result_type = 8'd0;   // frame_receiver holds its frame_type until the next good frame
    wire              buf_we;
    wire [ADDR_W-1:0] buf_addr;
    wire [7:0]        buf_wdata;
    wire              frame_valid, frame_error, frame_malformed;
    wire [7:0]        frame_type;
    wire [LEN_W-1:0]  frame_len;

    zero_run_decoder #(.MAX_PAYLOAD(MAX_PAYLOAD)) dut (
        .clk(clk), .rst(rst),
        .in_we(in_we), .in_data(in_data), .in_type(in_type),
        .in_valid(in_valid), .in_error(in_error), .in_frame_type(result_type),
        .buf_we(buf_we), .buf_addr(buf_addr), .buf_wdata(buf_wdata),
        .frame_valid(frame_valid), .frame_error(frame_error), .frame_type(frame_type), .frame_len(frame_len),
        .frame_malformed(frame_malformed));

    always #5 clk = ~clk;

    reg [23:0] ops [0:OPS];
    reg [7:0]  buffer [0:MAX_PAYLOAD-1];
    integer n, i, k, count;
    reg [7:0] op, gap;

    always @(posedge clk) begin
        if (buf_we) begin
            if ({1'b0, buf_addr} >= MAX_PAYLOAD) $display("FAIL write at %0d", buf_addr);
            else buffer[buf_addr] <= buf_wdata;
        end
        if (frame_valid && frame_error) $display("FAIL both results at once");
        if ((frame_valid || frame_error) && dut.zeros != 4'd0) $display("FAIL result while zeros are pending");
        if (frame_error) $display("ERROR");
        if (frame_valid) begin
            if (frame_malformed) $display("FRAME %02x 1", frame_type);
            else if (frame_len == 0) $display("FRAME %02x 0 0 -", frame_type);
            else begin
                $write("FRAME %02x 0 %0d ", frame_type, frame_len);
                for (k = 0; k < frame_len; k = k + 1) $write("%02x", buffer[k]);
                $write("\n");
            end
        end
    end

    initial begin
        $readmemh("zrd_ops.hex", ops);
        n = ops[0];
        count = 0;
        repeat (3) @(posedge clk);
        rst <= 1'b0;
        for (i = 1; i <= n; i = i + 1) begin
            op = ops[i][23:16];
            gap = ops[i][15:8];
            repeat (gap) @(posedge clk);
            case (op)
                8'd1: in_type <= ops[i][7:0];
                8'd0: begin
                    in_we <= 1'b1;
                    in_data <= ops[i][7:0];
                    count = count + 1;
                    @(posedge clk);
                    in_we <= 1'b0;
                end
                8'd2: begin
                    in_valid <= 1'b1;
                    result_type <= in_type;
                    count = 0;
                    @(posedge clk);
                    in_valid <= 1'b0;
                end
                default: begin
                    in_error <= 1'b1;
                    count = 0;
                    @(posedge clk);
                    in_error <= 1'b0;
                end
            endcase
        end
        repeat (40) @(posedge clk);
        $display("DONE");
        $finish;
    end
endmodule

`default_nettype wire
