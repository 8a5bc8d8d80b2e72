// The pins of hardware/sim/icebreaker_with_flash.v (the iCEBreaker's top with its flash chip) beside
// clk and the UART, as uart_bridge.cpp drives them: the user button released (it is active low), no
// reset pin (the top resets itself at power-up), and the red LED (active low) lit while the
// accelerator is busy.
#pragma once

static inline void bridge_hold_pins(Vdesign* top) { top->button_n = 1; }
static inline void bridge_reset(Vdesign*, bool) {}
static inline bool bridge_busy(const Vdesign* top) { return !top->led_red_n; }
