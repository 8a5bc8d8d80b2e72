`default_nettype none

// Test bench of crc32_update_byte (compiled from Crc32.UpdateByte into hardware/rtl/generated). Reads byte strings from crc_vectors.hex (one hex word per line):
//     string count, then for each string: its length, then its bytes, one per word.
// For each string it runs the register from 0xFFFFFFFF through crc32_update, one byte at a time,
// and prints
//     CRC <index> <length> <crc>      (crc = complement of the register, 8 hex digits)
// The C# test compares <crc> with Crc32.Compute. As an internal check the bench then feeds the
// CRC itself, little-endian, and expects the CRC-32 residue 0xDEBB20E3 in the register (which the
// frame receiver relies on); a mismatch prints FAIL.
module crc32_update_byte_tb #(
    parameter integer WORDS = 1   // words in crc_vectors.hex
);
    reg  [31:0] vectors [0:WORDS-1];
    reg  [31:0] crc_in;
    reg  [7:0]  data;
    wire [31:0] crc_out;
    reg  [31:0] crc;

    crc32_update_byte dut (
        .crc   (crc_in),
        .data  (data),
        .result(crc_out)
    );

    // One combinational step: apply, let it settle, take the result.
    task step;
        input [7:0] b;
        begin
            crc_in = crc;
            data   = b;
            #1;
            crc = crc_out;
        end
    endtask

    integer strings;
    integer s;
    integer pos;
    integer len;
    integer i;
    reg [31:0] sum;

    initial begin
        $readmemh("crc_vectors.hex", vectors);
        strings = vectors[0];
        pos = 1;
        for (s = 0; s < strings; s = s + 1) begin
            len = vectors[pos];
            pos = pos + 1;
            crc = 32'hFFFFFFFF;
            for (i = 0; i < len; i = i + 1) begin
                step(vectors[pos + i][7:0]);
            end
            pos = pos + len;
            sum = ~crc;
            $display("CRC %0d %0d %08h", s, len, sum);
            step(sum[7:0]);
            step(sum[15:8]);
            step(sum[23:16]);
            step(sum[31:24]);
            if (crc !== 32'hDEBB20E3) begin
                $display("FAIL string %0d: residue %08h, expected DEBB20E3", s, crc);
            end
        end
        $display("DONE %0d", strings);
        $finish;
    end

    // Watchdog: a few steps per byte can never take this long.
    initial begin
        #(10 * WORDS + 1000);
        $display("FAIL watchdog timeout");
        $finish;
    end
endmodule

`default_nettype wire
