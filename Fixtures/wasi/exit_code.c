/* exit_code: exits with the status given as argv[1] (default 0), after
 * printing unterminated output and running an atexit handler; both must be
 * flushed before proc_exit. */
#include "common.h"

static int code;

static void at_exit_handler(void) {
    printf("atexit handler ran, exiting with %d\n", code);
}

int main(int argc, char **argv) {
    code = argc > 1 ? atoi(argv[1]) : 0;
    if (atexit(at_exit_handler) != 0) return 99;
    printf("requested exit code: %d\n", code);
    printf("partial line without newline... ");
    exit(code);
}
