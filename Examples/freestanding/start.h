/* What start.c gives a freestanding program on x86-64 Linux: it starts at _start,
 * which calls main_freestanding and exits with what it returns. */
#ifndef START_H
#define START_H
#include <stdint.h>

int main_freestanding(void);

void print(const char *text);
void print_unsigned(uint64_t value);
void print_signed(int64_t value);
/* `digits` hexadecimal digits of `bits`, after 0x. */
void print_bits(uint64_t bits, int digits);
#endif
