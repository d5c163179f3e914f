/* A minimal start file for x86-64 Linux with no C library: _start, which calls
 * main_freestanding and exits with its result, and printing through the write system
 * call made directly (see start.h). */
#include "start.h"

/* ---- The system, by hand ---- */

static long sys_write(int fd, const void *data, unsigned long length) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(1), "D"(fd), "S"(data), "d"(length) : "rcx", "r11", "memory");
    return result;
}

static __attribute__((noreturn)) void sys_exit(int code) {
    __asm__ volatile("syscall" ::"a"(60), "D"(code) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/* The kernel enters with the stack 16-byte aligned and no return address: clear the
 * frame pointer, keep the alignment a C function expects, and call main_freestanding. */
__asm__(".globl _start\n"
        "_start:\n"
        "    xor %rbp, %rbp\n"
        "    and $-16, %rsp\n"
        "    call start_c\n"
        "    hlt\n");

__attribute__((used, noreturn)) void start_c(void) {
    sys_exit(main_freestanding());
}

/* ---- Printing ---- */

void print(const char *text) {
    unsigned long length = 0;
    while (text[length]) length++;
    sys_write(1, text, length);
}

void print_unsigned(uint64_t value) {
    char digits[21];
    int n = sizeof digits;
    do {
        digits[--n] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    sys_write(1, digits + n, sizeof digits - n);
}

void print_signed(int64_t value) {
    if (value < 0) print("-");
    print_unsigned(value < 0 ? -(uint64_t)value : (uint64_t)value);
}

/* A double's bits, which say exactly what it is (a zero's sign too). */
void print_bits(uint64_t bits, int digits) {
    char text[19] = "0x";
    for (int i = 0; i < digits; i++) text[2 + i] = "0123456789abcdef"[(bits >> (4 * (digits - 1 - i))) & 15];
    sys_write(1, text, 2 + digits);
}
