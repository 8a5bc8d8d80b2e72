// Runs a Verilated design (accelerator_top, a board's top, or a board's gate-level netlist; built
// with --prefix Vdesign) and connects its UART pins to this process's standard input and output:
// every byte read from stdin is shifted into the rx pin bit by bit (8N1, LSB first) and every byte
// the design shifts out of its tx pin is written to stdout. The host runtime talks to this process
// exactly as it talks to a board on a serial port. Ends when stdin closes.
// bridge_pins.h (one of hardware/sim/pins/, copied in by the build) says how this top's other pins
// are held and which pin shows that the design is busy. Built with --trace, the first argument names
// a VCD file that receives the whole run's waveform.
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <poll.h>
#include <unistd.h>
#include "Vdesign.h"
#include "verilated.h"
#include "bridge_pins.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#ifndef CLKS_PER_BIT
#define CLKS_PER_BIT 4
#endif

namespace {

// Feeds queued bytes onto the rx line one bit period at a time.
class Serializer {
public:
    void push(uint8_t byte) { queue_.push_back(byte); }
    bool idle() const { return queue_.empty() && bit_ < 0; }
    // Line level for this clock cycle.
    int step() {
        if (bit_ < 0) {
            if (queue_.empty()) return 1;
            frame_ = static_cast<uint16_t>((queue_.front() << 1) | 0x200);  // start 0, data, stop 1
            queue_.pop_front();
            bit_ = 0;
            count_ = 0;
        }
        int level = (frame_ >> bit_) & 1;
        if (++count_ == CLKS_PER_BIT) {
            count_ = 0;
            if (++bit_ == 10) bit_ = -1;
        }
        return level;
    }
private:
    std::deque<uint8_t> queue_;
    uint16_t frame_ = 0;
    int bit_ = -1;
    int count_ = 0;
};

// Samples the tx line in the middle of each bit and rebuilds bytes.
class Deserializer {
public:
    // Returns a byte (0..255) when one completes, else -1.
    int step(int level) {
        if (bit_ < 0) {
            if (level == 0) { bit_ = 0; count_ = 0; value_ = 0; }
            return -1;
        }
        if (++count_ == (bit_ == 0 ? CLKS_PER_BIT / 2 : CLKS_PER_BIT)) {
            count_ = 0;
            if (bit_ == 0) {
                if (level != 0) { bit_ = -1; return -1; }  // a glitch, not a start bit
            } else if (bit_ <= 8) {
                value_ |= level << (bit_ - 1);
            } else {
                bit_ = -1;
                return level ? value_ : -1;  // a missing stop bit drops the byte
            }
            bit_++;
        }
        return -1;
    }
    bool idle() const { return bit_ < 0; }
private:
    int bit_ = -1;
    int count_ = 0;
    int value_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    Verilated::commandArgs(argc, argv);
    auto* top = new Vdesign;
#if VM_TRACE
    VerilatedVcdC* trace = nullptr;
    if (argc > 1 && argv[1][0] != '+') {
        Verilated::traceEverOn(true);
        trace = new VerilatedVcdC;
        top->trace(trace, 99);
        trace->open(argv[1]);
        if (!trace->isOpen()) {
            fprintf(stderr, "uart_bridge: cannot write the trace %s\n", argv[1]);
            return 2;
        }
    }
#endif
    Serializer rx;
    Deserializer tx;
    uint64_t cycles = 0;
    bool input_open = true;
    uint8_t out[4096];
    size_t out_count = 0;

    auto tick = [&]() {
        top->clk = 0;
        top->eval();
#if VM_TRACE
        if (trace) trace->dump(2 * cycles);
#endif
        top->clk = 1;
        top->eval();
#if VM_TRACE
        if (trace) trace->dump(2 * cycles + 1);
#endif
        cycles++;
    };

    top->uart_rx = 1;
    bridge_hold_pins(top);
    bridge_reset(top, true);
    for (int i = 0; i < 16; i++) tick();
    bridge_reset(top, false);

    // Cycles since the line or the design last did anything: a frame's last byte still needs a
    // few cycles to reach the controller after the serializer has sent it.
    uint64_t still = 0;
    const uint64_t settle = 64 * CLKS_PER_BIT;
    while (input_open || !rx.idle() || bridge_busy(top) || !tx.idle() || out_count) {
        still = (rx.idle() && !bridge_busy(top) && tx.idle()) ? still + 1 : 0;
        // Look for input every 256 cycles, or block briefly when the design has nothing to do.
        bool quiet = still > settle;
        if (input_open && (quiet || (cycles & 255) == 0)) {
            if (quiet && out_count) {
                fwrite(out, 1, out_count, stdout);
                fflush(stdout);
                out_count = 0;
            }
            pollfd fd{0, POLLIN, 0};
            if (poll(&fd, 1, quiet ? 50 : 0) > 0) {
                uint8_t in[4096];
                ssize_t n = read(0, in, sizeof in);
                if (n <= 0) input_open = false;
                for (ssize_t i = 0; i < n; i++) rx.push(in[i]);
            }
        }
        top->uart_rx = rx.step();
        tick();
        int byte = tx.step(top->uart_tx);
        if (byte >= 0) {
            out[out_count++] = static_cast<uint8_t>(byte);
            if (out_count == sizeof out) {
                fwrite(out, 1, out_count, stdout);
                fflush(stdout);
                out_count = 0;
            }
        }
        if (!input_open && still > settle) {
            if (out_count) { fwrite(out, 1, out_count, stdout); fflush(stdout); out_count = 0; }
            break;
        }
    }
    fprintf(stderr, "uart_bridge: %llu cycles\n", static_cast<unsigned long long>(cycles));
    top->final();
#if VM_TRACE
    if (trace) trace->close();
    delete trace;
#endif
    delete top;
    return 0;
}
