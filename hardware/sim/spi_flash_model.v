`default_nettype none
`timescale 1ns/1ps
// Simulation model of a serial NOR flash chip's read path (the iCEBreaker's W25Q128JV, 16 MiB), for
// benches (Icarus) and the iCEBreaker's board simulation (Verilator). SPI mode 0: the chip samples
// MOSI on SCK's rising edge and changes MISO after its falling edge. It knows two instructions:
// Release Power-Down (0xAB) and Read Data (0x03 + a 24-bit address, then bytes from there on,
// wrapping at the end of the chip). Everything else is counted as an error and printed, as are a read
// while the chip is powered down (it starts so, as configuration leaves it), a read sooner than tRES1
// after the wake-up (when CHECK_TIMING: Verilator's bridge keeps no time), chip select falling with SCK
// high (not mode 0), and a deselect in the middle of an instruction or address.
// The contents are erased (0xFF) unless a $readmemh file is given: FILE, or the plusarg +flash=<file>.
module spi_flash_model #(
    parameter SIZE = 16777216,
    parameter FILE = "",
    parameter ASLEEP = 1,          // powered down at the start, as after an iCE40's configuration
    parameter CHECK_TIMING = 1,
    parameter real T_RES1_NS = 3000.0
) (
    input  wire sck,
    input  wire cs_n,
    input  wire mosi,
    output reg  miso
);
    reg [7:0] memory [0:SIZE-1];
    reg [8*512-1:0] file;   // the plusarg's path, up to 512 characters
    integer i;
    initial begin
        for (i = 0; i < SIZE; i = i + 1) memory[i] = 8'hFF;
        if (FILE != "") $readmemh(FILE, memory);
        else if ($value$plusargs("flash=%s", file)) $readmemh(file, memory);
        miso = 1'b1;   // undriven, pulled up
    end

    // What the bench can look at.
    integer errors = 0;
    integer reads = 0;            // Read Data instructions
    integer wakes = 0;            // Release Power-Down instructions
    integer bytes_read = 0;
    reg [23:0] last_address = 24'd0;
    reg asleep = ASLEEP != 0;
    real woke_at = 0.0;

    reg [5:0]  bits;              // bits received since chip select fell (saturates)
    reg [31:0] received;
    reg        reading;           // an address was received: bytes go out
    reg [23:0] at;
    reg [2:0]  out_bit;

    task error(input [8*48-1:0] what);
        begin
            errors = errors + 1;
            $display("spi_flash_model: error: %0s", what);
        end
    endtask

    always @(negedge cs_n) begin
        if (sck) error("chip select fell with SCK high (not mode 0)");
        bits = 6'd0;
        reading = 1'b0;
    end

    always @(posedge cs_n) begin
        if (!reading && bits != 6'd8) error("deselected inside an instruction or address");
        else if (!reading && received[7:0] == 8'hAB) begin
            asleep = 1'b0;
            woke_at = $realtime;
            wakes = wakes + 1;
        end
        reading = 1'b0;
        miso = 1'b1;
    end

    always @(posedge sck) if (!cs_n && !reading) begin
        received = {received[30:0], mosi};
        if (bits != 6'd63) bits = bits + 6'd1;
        if (bits == 6'd8 && received[7:0] != 8'h03 && received[7:0] != 8'hAB) error("unknown instruction");
        if (bits == 6'd8 && received[7:0] == 8'h03) begin
            if (asleep) error("read while powered down (no 0xAB first)");
            else if (CHECK_TIMING != 0 && $realtime - woke_at < T_RES1_NS) error("read sooner than tRES1 after the wake-up");
        end
        if (bits == 6'd32 && received[31:24] == 8'h03) begin
            at = received[23:0];
            last_address = at;
            if (at >= SIZE) error("address beyond the chip");
            reads = reads + 1;
            reading = 1'b1;
            out_bit = 3'd7;
        end
    end

    // Data out: each bit after a falling edge, most significant first.
    always @(negedge sck) if (!cs_n && reading && !asleep) begin
        miso = memory[at % SIZE][out_bit];
        if (out_bit == 3'd0) begin
            at = at + 24'd1;
            bytes_read = bytes_read + 1;
        end
        out_bit = out_bit - 3'd1;
    end
endmodule
`default_nettype wire
