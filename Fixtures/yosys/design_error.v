// design.v with a syntax error (a missing semicolon in uart_tx), for Scripts/yosys-e2e
// A small SoC-like design for Scripts/yosys-e2e: a UART (transmit and receive), a FIFO
// between them, an 8-bit ALU, an LFSR and a PWM, wired together in `top`. Written for
// WasmKiln's tests; synthesized with synth_ice40.

module uart_tx #(parameter CLKS_PER_BIT = 104) (
    input  wire       clk,
    input  wire       rst,
    input  wire       start,
    input  wire [7:0] data,
    output reg        tx,
    output wire       busy
);
    localparam IDLE = 2'd0, START = 2'd1, BITS = 2'd2, STOP = 2'd3;
    reg [1:0]  state;
    reg [7:0]  shift;
    reg [2:0]  bit_index;
    reg [15:0] count;
    assign busy = state != IDLE

    always @(posedge clk) begin
        if (rst) begin
            state <= IDLE; tx <= 1'b1; count <= 0; bit_index <= 0; shift <= 0;
        end else begin
            case (state)
                IDLE: begin
                    tx <= 1'b1;
                    if (start) begin shift <= data; state <= START; count <= 0; end
                end
                START: begin
                    tx <= 1'b0;
                    if (count == CLKS_PER_BIT - 1) begin count <= 0; state <= BITS; bit_index <= 0; end
                    else count <= count + 1'b1;
                end
                BITS: begin
                    tx <= shift[bit_index];
                    if (count == CLKS_PER_BIT - 1) begin
                        count <= 0;
                        if (bit_index == 3'd7) state <= STOP;
                        else bit_index <= bit_index + 1'b1;
                    end else count <= count + 1'b1;
                end
                STOP: begin
                    tx <= 1'b1;
                    if (count == CLKS_PER_BIT - 1) begin count <= 0; state <= IDLE; end
                    else count <= count + 1'b1;
                end
            endcase
        end
    end
endmodule

module uart_rx #(parameter CLKS_PER_BIT = 104) (
    input  wire       clk,
    input  wire       rst,
    input  wire       rx,
    output reg  [7:0] data,
    output reg        valid
);
    localparam IDLE = 2'd0, START = 2'd1, BITS = 2'd2, STOP = 2'd3;
    reg [1:0]  state;
    reg [2:0]  bit_index;
    reg [15:0] count;
    reg        rx_sync0, rx_sync1;
    always @(posedge clk) begin
        rx_sync0 <= rx;
        rx_sync1 <= rx_sync0;
    end
    always @(posedge clk) begin
        if (rst) begin
            state <= IDLE; valid <= 1'b0; count <= 0; bit_index <= 0; data <= 0;
        end else begin
            valid <= 1'b0;
            case (state)
                IDLE: if (!rx_sync1) begin state <= START; count <= 0; end
                START: begin
                    if (count == (CLKS_PER_BIT - 1) / 2) begin
                        count <= 0;
                        state <= rx_sync1 ? IDLE : BITS;
                        bit_index <= 0;
                    end else count <= count + 1'b1;
                end
                BITS: begin
                    if (count == CLKS_PER_BIT - 1) begin
                        count <= 0;
                        data[bit_index] <= rx_sync1;
                        if (bit_index == 3'd7) state <= STOP;
                        else bit_index <= bit_index + 1'b1;
                    end else count <= count + 1'b1;
                end
                STOP: begin
                    if (count == CLKS_PER_BIT - 1) begin
                        count <= 0; state <= IDLE; valid <= rx_sync1;
                    end else count <= count + 1'b1;
                end
            endcase
        end
    end
endmodule

module fifo #(parameter WIDTH = 8, parameter DEPTH_LOG2 = 4) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,
    input  wire [WIDTH-1:0] push_data,
    input  wire             pop,
    output wire [WIDTH-1:0] pop_data,
    output wire             empty,
    output wire             full
);
    reg [WIDTH-1:0]    memory [0:(1 << DEPTH_LOG2) - 1];
    reg [DEPTH_LOG2:0] head, tail;
    assign empty = head == tail;
    assign full = (head[DEPTH_LOG2-1:0] == tail[DEPTH_LOG2-1:0]) && (head[DEPTH_LOG2] != tail[DEPTH_LOG2]);
    assign pop_data = memory[tail[DEPTH_LOG2-1:0]];
    always @(posedge clk) begin
        if (rst) begin
            head <= 0; tail <= 0;
        end else begin
            if (push && !full) begin
                memory[head[DEPTH_LOG2-1:0]] <= push_data;
                head <= head + 1'b1;
            end
            if (pop && !empty) tail <= tail + 1'b1;
        end
    end
endmodule

module alu (
    input  wire [2:0] op,
    input  wire [7:0] a,
    input  wire [7:0] b,
    output reg  [7:0] result,
    output wire       zero,
    output reg        carry
);
    always @(*) begin
        carry = 1'b0;
        case (op)
            3'd0: {carry, result} = a + b;
            3'd1: {carry, result} = {1'b0, a} - {1'b0, b};
            3'd2: result = a & b;
            3'd3: result = a | b;
            3'd4: result = a ^ b;
            3'd5: result = a << b[2:0];
            3'd6: result = a >> b[2:0];
            default: result = (a < b) ? a : b;
        endcase
    end
    assign zero = result == 8'd0;
endmodule

module lfsr16 (
    input  wire        clk,
    input  wire        rst,
    input  wire        step,
    output reg  [15:0] value
);
    wire feedback = value[15] ^ value[13] ^ value[12] ^ value[10];
    always @(posedge clk) begin
        if (rst) value <= 16'hACE1;
        else if (step) value <= {value[14:0], feedback};
    end
endmodule

module pwm #(parameter BITS = 8) (
    input  wire            clk,
    input  wire            rst,
    input  wire [BITS-1:0] duty,
    output reg             out
);
    reg [BITS-1:0] counter;
    always @(posedge clk) begin
        if (rst) begin counter <= 0; out <= 1'b0; end
        else begin
            counter <= counter + 1'b1;
            out <= counter < duty;
        end
    end
endmodule

// Bytes received on rx go through the FIFO into the ALU with the LFSR's low byte; the
// result is sent back on tx and drives the PWM (the LED's brightness).
module top (
    input  wire clk,
    input  wire rst,
    input  wire rx,
    input  wire [2:0] op,
    output wire tx,
    output wire led,
    output wire [3:0] status
);
    wire [7:0] rx_data, fifo_data, result;
    wire       rx_valid, fifo_empty, fifo_full, tx_busy, zero, carry;
    wire [15:0] random;
    reg        send;
    reg  [7:0] last;

    uart_rx #(.CLKS_PER_BIT(104)) receiver (.clk(clk), .rst(rst), .rx(rx), .data(rx_data), .valid(rx_valid));
    fifo #(.WIDTH(8), .DEPTH_LOG2(4)) queue (.clk(clk), .rst(rst), .push(rx_valid), .push_data(rx_data),
        .pop(send), .pop_data(fifo_data), .empty(fifo_empty), .full(fifo_full));
    lfsr16 noise (.clk(clk), .rst(rst), .step(rx_valid), .value(random));
    alu unit (.op(op), .a(fifo_data), .b(random[7:0]), .result(result), .zero(zero), .carry(carry));
    uart_tx #(.CLKS_PER_BIT(104)) transmitter (.clk(clk), .rst(rst), .start(send), .data(result), .tx(tx), .busy(tx_busy));
    pwm #(.BITS(8)) dimmer (.clk(clk), .rst(rst), .duty(last), .out(led));

    always @(posedge clk) begin
        if (rst) begin send <= 1'b0; last <= 8'd0; end
        else begin
            send <= !fifo_empty && !tx_busy && !send;
            if (send) last <= result;
        end
    end
    assign status = {fifo_full, fifo_empty, zero, carry};
endmodule
