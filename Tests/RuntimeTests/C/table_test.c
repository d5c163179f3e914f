/* Tables: creation, filling, growth and its limits. */
#include "check.h"

int main(void) {
    test_start();
    int a, b;
    wk_table *table = wk_table_new(WK_FUNCREF, 3, 6, &a);
    CHECK(table != NULL);
    CHECK_EQ(table->size, 3);
    CHECK_EQ(table->max, 6);
    CHECK_EQ(table->type, WK_FUNCREF);
    for (uint32_t i = 0; i < 3; i++) CHECK(table->elements[i] == &a);
    table->elements[1] = NULL;

    CHECK_EQ(wk_table_grow(table, 2, &b), 3);
    CHECK_EQ(table->size, 5);
    CHECK(table->elements[0] == &a && table->elements[1] == NULL && table->elements[2] == &a);
    CHECK(table->elements[3] == &b && table->elements[4] == &b);
    CHECK_EQ(wk_table_grow(table, 0, NULL), 5);
    CHECK_EQ(wk_table_grow(table, 2, NULL), UINT32_MAX);
    CHECK_EQ(table->size, 5);
    CHECK_EQ(wk_table_grow(table, 1, NULL), 5);
    CHECK_EQ(table->size, 6);
    CHECK(table->elements[5] == NULL);
    CHECK_EQ(wk_table_grow(table, 1, NULL), UINT32_MAX);
    CHECK_EQ(wk_table_grow(table, 0, NULL), 6);
    wk_table_free(table);
    OK("grow to max");

    CHECK(wk_table_new(WK_FUNCREF, 4, 3, NULL) == NULL);
    wk_table *unlimited = wk_table_new(WK_EXTERNREF, 0, UINT32_MAX, NULL);
    CHECK(unlimited != NULL && unlimited->size == 0);
    CHECK_EQ(wk_table_grow(unlimited, 0, NULL), 0);
    CHECK_EQ(wk_table_grow(unlimited, 1, &a), 0);
    CHECK_EQ(wk_table_grow(unlimited, 800, &b), 1);
    CHECK(unlimited->elements[0] == &a && unlimited->elements[800] == &b);
    CHECK_EQ(wk_table_grow(unlimited, 0xFFFFFFF0u, NULL), UINT32_MAX); /* overflows u32 */
    CHECK_EQ(wk_table_grow(unlimited, 0x10000000u, NULL), UINT32_MAX); /* past the implementation limit */
    CHECK_EQ(unlimited->size, 801);
    wk_table_free(unlimited);
    wk_table_free(NULL);
    OK("unlimited");
    return 0;
}
