/* The typed header's GC types (LibraryTests.gcObjects): objects an export returns are read
 * and written through their accessors, passed back to other exports, and kept alive
 * across collections by a handle. The instance refuses calls from another thread. */
#include "shapes.h"

#include <pthread.h>
#include <stdio.h>

static void *churn_elsewhere(void *inst) {
    static wk_result outcome;
    outcome = shapes_try_churn(inst, 10);
    return &outcome;
}

int main(void) {
    wk_error error = {0};
    shapes *inst = shapes_new(NULL, NULL, &error);
    if (!inst) {
        printf("cannot instantiate: %s\n", error.message);
        return 1;
    }
    shapes_point *point = shapes_make_point(inst, 7, 2.5);
    printf("point: x %d, y %.1f\n", (int)shapes_point_get_x(point), shapes_point_get_y(point));
    shapes_point_set_x(point, 9);

    /* Held by a handle, the point outlives collections its instance makes. */
    wk_gc_handle *handle = wk_gc_handle_new(point);
    shapes_churn(inst, 2000000);
    wk_gc_stats stats;
    wk_gc_stats_get(&stats);
    printf("collected: %s\n", stats.collections > 0 ? "yes" : "no");
    point = wk_gc_handle_get(handle);
    printf("held point: x %d\n", (int)shapes_point_get_x(point));

    shapes_path *path = shapes_make_path(inst, 5);
    printf("path: length %u, sum %d\n", shapes_path_length(path), (int)shapes_path_sum(inst, path));
    printf("path[3]: y %.1f\n", shapes_point_get_y(shapes_path_get(path, 3)));
    shapes_path_set(path, 0, point);
    printf("path with the held point first: sum %d\n", (int)shapes_path_sum(inst, path));
    printf("past the end: %s, length of NULL: %u\n", shapes_path_get(path, 99) == NULL ? "NULL" : "?",
           shapes_path_length(NULL));

    shapes_bytes *bytes = shapes_make_bytes(inst);
    printf("bytes: %u of '%c'\n", shapes_bytes_length(bytes), shapes_bytes_get(bytes, 2));

    pthread_t thread;
    void *outcome = NULL;
    if (pthread_create(&thread, NULL, churn_elsewhere, inst) != 0 || pthread_join(thread, &outcome) != 0) return 1;
    printf("from another thread: %s\n", ((wk_result *)outcome)->message);
    printf("on its own again: sum %d\n", (int)shapes_path_sum(inst, path));

    wk_gc_handle_release(handle);
    shapes_free(inst);
    return 0;
}
