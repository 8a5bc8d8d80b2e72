`default_nettype none
// Reads a serial NOR flash (W25Q128 on the iCEBreaker) in SPI mode 0 with the plain READ command
// (0x03, a 24-bit address, then bytes for as long as the chip select stays low). The FPGA's
// configuration logic may leave the chip in deep power-down (icepack's default), so each read
// starts with Release Power-Down (0xAB), then waits tRES1 with the chip deselected.
// SCK runs at half the clock: it rises in one cycle and falls in the next. MOSI changes with the
// falling edge; MISO is sampled in the cycle SCK falls, i.e. while SCK is high, where the chip holds it.
// The command's bits come from a constant-foldable multiplexer on the bit counter rather than a
// shift register (the address is fixed in a board build), so only the received byte is shifted.
module spi_flash_reader #(
    parameter WAKE_CYCLES = 37    // clock cycles of tRES1 (3 us on the W25Q128) after 0xAB, and then some
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,      // begin: wake the chip, then read from address on
    input  wire [23:0] address,
    input  wire        stop,       // end the read (deselect the chip); bytes stop
    output wire [7:0]  data,       // the byte just received, valid with `valid` and until the next one
    output reg         valid,      // one cycle per byte
    output wire        busy,
    // the chip's pins
    output reg         sck,
    output reg         cs_n,
    output wire        mosi,
    input  wire        miso
);
    localparam [2:0] S_IDLE = 3'd0, S_WAKE = 3'd1, S_GAP = 3'd2, S_COMMAND = 3'd3, S_DATA = 3'd4;
    localparam WAIT_BITS = $clog2(WAKE_CYCLES + 1);

    reg [2:0]           state;
    reg [4:0]           bit_at;     // bit being sent or received in this command or byte
    reg [WAIT_BITS-1:0] wait_left;
    reg [7:0]           shift;

    wire [31:0] command = {8'h03, address};
    wire [7:0]  wake = 8'hAB;
    // MSB first; nothing is sent while data comes back.
    assign mosi = state == S_WAKE ? wake[3'd7 - bit_at[2:0]] : state == S_COMMAND ? command[5'd31 - bit_at] : 1'b0;
    assign data = shift;
    assign busy = state != S_IDLE;

    wire shifting = state == S_WAKE || state == S_COMMAND || state == S_DATA;
    wire last_bit = bit_at == (state == S_COMMAND ? 5'd31 : 5'd7);

    always @(posedge clk) begin
        valid <= 1'b0;
        if (rst) begin
            state <= S_IDLE;
            sck <= 1'b0;
            cs_n <= 1'b1;
        end else if (stop && state != S_IDLE) begin
            state <= S_IDLE;
            sck <= 1'b0;
            cs_n <= 1'b1;
        end else begin
            if (shifting) begin
                sck <= !sck;
                if (sck) begin
                    // The falling edge: the bit just clocked is complete.
                    shift <= {shift[6:0], miso};
                    bit_at <= last_bit ? 5'd0 : bit_at + 5'd1;
                    if (last_bit) begin
                        case (state)
                            S_WAKE: begin
                                cs_n <= 1'b1;
                                wait_left <= WAKE_CYCLES[WAIT_BITS-1:0];
                                state <= S_GAP;
                            end
                            S_COMMAND: state <= S_DATA;
                            default: valid <= 1'b1;   // S_DATA: a byte
                        endcase
                    end
                end
            end
            case (state)
                S_IDLE: if (start) begin
                    cs_n <= 1'b0;
                    bit_at <= 5'd0;
                    state <= S_WAKE;
                end
                S_GAP: begin
                    wait_left <= wait_left - 1'b1;
                    if (wait_left == {WAIT_BITS{1'b0}}) begin
                        cs_n <= 1'b0;
                        bit_at <= 5'd0;
                        state <= S_COMMAND;
                    end
                end
                default: ;
            endcase
        end
    end
endmodule
`default_nettype wire
