/* Loads a shared library built from shared_module.c and the runtime, and runs its
 * self-test on the main thread and on a new thread. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static int (*selftest)(void);

static void *on_thread(void *argument) {
    (void)argument;
    return selftest() == 0 ? (void *)1 : NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) return 2;
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        printf("FAIL dlopen: %s\n", dlerror());
        return 1;
    }
    *(void **)&selftest = dlsym(library, "module_selftest");
    if (!selftest) {
        printf("FAIL dlsym\n");
        return 1;
    }
    if (selftest() != 0) return 1;
    printf("ok dlopen main thread\n");
    pthread_t thread;
    void *result = NULL;
    if (pthread_create(&thread, NULL, on_thread, NULL) != 0 || pthread_join(thread, &result) != 0 || !result) return 1;
    printf("ok dlopen thread\n");
    return 0;
}
