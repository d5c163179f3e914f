/* strings: string processing over generated text.
 *
 * About 4 MiB of pseudo-English (made-up words from syllables, Zipf-like
 * word choice, sentences, punctuation, lines) is generated, then, for a few
 * passes:
 *   - the text is split into NUL-terminated lines (strchr, strlen);
 *   - lines are tokenized (strspn/strcspn) and words counted in a chained
 *     hash table keyed by the word (memcmp);
 *   - a set of patterns is searched for with strstr;
 *   - search-and-replace of several patterns builds a new text (memcpy);
 *   - the longest word and a case-folded copy are computed by hand.
 *
 * Deterministic: integer arithmetic; the C locale is never changed.
 * Prints one line: checksum: <16 hex digits>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
    return p;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t next_u32(void) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

static uint64_t fnv(const char *s, size_t n) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001B3ull;
    return h;
}

/* ---- text generation -------------------------------------------------------- */

#define VOCAB 3000
static char *vocab[VOCAB];

static void make_vocab(void) {
    static const char *onset[] = {"", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t",
                                  "v", "w", "th", "st", "br", "pl", "ch", "sh", "gr", "qu"};
    static const char *nucleus[] = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "ie", "oo"};
    static const char *coda[] = {"", "", "n", "r", "s", "t", "nd", "st", "ng", "ck", "m", "l"};
    const int no = sizeof onset / sizeof *onset, nn = sizeof nucleus / sizeof *nucleus,
              nc = sizeof coda / sizeof *coda;
    /* a few real short words up front so the patterns below occur often */
    static const char *common[] = {"the", "of", "and", "to", "in", "is", "that", "it", "was", "for"};
    for (int i = 0; i < 10; i++) {
        vocab[i] = xmalloc(strlen(common[i]) + 1);
        strcpy(vocab[i], common[i]);
    }
    char buf[64];
    for (int i = 10; i < VOCAB; i++) {
        int syl = 1 + (int)(next_u32() % 4);
        buf[0] = 0;
        for (int s = 0; s < syl; s++) {
            strcat(buf, onset[next_u32() % no]);
            strcat(buf, nucleus[next_u32() % nn]);
            strcat(buf, coda[next_u32() % nc]);
        }
        vocab[i] = xmalloc(strlen(buf) + 1);
        strcpy(vocab[i], buf);
    }
}

/* word index with a rough Zipf shape: small indices are common */
static int pick_word(void) {
    uint32_t r = next_u32();
    uint32_t span = 8u << (r % 9); /* 8 .. 2048 */
    uint32_t k = (r >> 8) % span;
    return (int)(k < VOCAB ? k : k % VOCAB);
}

static char *generate(size_t target, size_t *len_out) {
    char *t = xmalloc(target + 256);
    size_t n = 0;
    while (n < target) {
        int words = 4 + (int)(next_u32() % 14);
        for (int w = 0; w < words; w++) {
            const char *v = vocab[pick_word()];
            size_t l = strlen(v);
            memcpy(t + n, v, l);
            if (w == 0) t[n] -= 'a' - 'A';
            n += l;
            uint32_t p = next_u32() % 20;
            if (w == words - 1) t[n++] = p < 15 ? '.' : p < 18 ? '?' : '!';
            else if (p == 0) t[n++] = ',';
            else if (p == 1) t[n++] = ';';
            t[n++] = (w == words - 1 && (next_u32() & 3) == 0) ? '\n' : ' ';
        }
    }
    t[n++] = '\n';
    t[n] = 0;
    *len_out = n;
    return t;
}

/* ---- word counting ---------------------------------------------------------- */

typedef struct entry {
    struct entry *next;
    uint32_t len, count;
    char word[];
} entry;

#define BUCKETS 4096

static entry *buckets[BUCKETS];

static void count_word(const char *w, size_t len) {
    uint64_t h = fnv(w, len);
    entry **slot = &buckets[h & (BUCKETS - 1)];
    for (entry *e = *slot; e; e = e->next) {
        if (e->len == len && memcmp(e->word, w, len) == 0) {
            e->count++;
            return;
        }
    }
    entry *e = xmalloc(sizeof(entry) + len + 1);
    e->len = (uint32_t)len;
    e->count = 1;
    memcpy(e->word, w, len);
    e->word[len] = 0;
    e->next = *slot;
    *slot = e;
}

static uint64_t table_digest(void) {
    uint64_t d = 0;
    uint32_t distinct = 0;
    for (int b = 0; b < BUCKETS; b++) {
        for (entry *e = buckets[b]; e; e = e->next) {
            d += fnv(e->word, e->len) * (e->count | 1);
            distinct++;
        }
    }
    return d ^ ((uint64_t)distinct << 40);
}

static void table_clear(void) {
    for (int b = 0; b < BUCKETS; b++) {
        entry *e = buckets[b];
        while (e) {
            entry *n = e->next;
            free(e);
            e = n;
        }
        buckets[b] = NULL;
    }
}

/* ---- replace ---------------------------------------------------------------- */

/* returns a new string with every occurrence of pat replaced by rep */
static char *replace_all(const char *s, const char *pat, const char *rep, size_t *count) {
    size_t pl = strlen(pat), rl = strlen(rep), sl = strlen(s);
    size_t n = 0;
    for (const char *p = strstr(s, pat); p; p = strstr(p + pl, pat)) n++;
    char *out = xmalloc(sl + n * rl - n * pl + 1);
    char *o = out;
    const char *cur = s;
    for (const char *p = strstr(s, pat); p; p = strstr(cur, pat)) {
        memcpy(o, cur, (size_t)(p - cur));
        o += p - cur;
        memcpy(o, rep, rl);
        o += rl;
        cur = p + pl;
    }
    size_t rest = strlen(cur);
    memcpy(o, cur, rest + 1);
    *count = n;
    return out;
}

int main(void) {
    make_vocab();
    size_t len;
    char *text = generate(4u << 20, &len);
    uint64_t sum = fnv(text, len);

    static const char *patterns[] = {"the ", " of the", "and", "ing", "Th", "ou", ". The", "qu", "strai", "zz"};
    static const char *from[] = {"the", "ou", " and ", "st"};
    static const char *to[] = {"THE", "oo", " & ", "sst"};

    for (int pass = 0; pass < 14; pass++) {
        /* split into lines: a copy with '\n' replaced by NUL */
        char *lines = xmalloc(len + 1);
        memcpy(lines, text, len + 1);
        uint32_t nlines = 0;
        uint64_t linesum = 0;
        for (char *p = lines; *p;) {
            char *nl = strchr(p, '\n');
            if (nl) *nl = 0;
            size_t l = strlen(p);
            linesum = linesum * 31 + l;
            nlines++;

            /* tokenize: words are runs of letters */
            const char *q = p;
            static const char *seps = " ,.;?!";
            for (;;) {
                q += strspn(q, seps);
                if (!*q) break;
                size_t wl = strcspn(q, seps);
                count_word(q, wl);
                q += wl;
            }
            if (!nl) break;
            p = nl + 1;
        }
        sum = sum * 1000003u + linesum + nlines;
        sum = sum * 1000003u + table_digest();
        table_clear();
        free(lines);

        /* searches */
        for (size_t k = 0; k < sizeof patterns / sizeof *patterns; k++) {
            uint32_t hits = 0;
            uint64_t pos = 0;
            for (const char *p = strstr(text, patterns[k]); p; p = strstr(p + 1, patterns[k])) {
                hits++;
                pos += (uint64_t)(p - text);
            }
            sum = sum * 1000003u + hits + (pos << 20);
        }

        /* chained replacements */
        char *cur = text;
        for (size_t k = 0; k < sizeof from / sizeof *from; k++) {
            size_t n;
            char *next = replace_all(cur, from[(k + (size_t)pass) % 4], to[(k + (size_t)pass) % 4], &n);
            if (cur != text) free(cur);
            cur = next;
            sum = sum * 1000003u + n;
        }
        size_t cl = strlen(cur);
        sum = sum * 1000003u + fnv(cur, cl) + cl;

        /* fold case by hand, longest word, and a memcmp of the halves */
        size_t best = 0, run = 0;
        for (size_t i = 0; i < cl; i++) {
            char c = cur[i];
            if (c >= 'A' && c <= 'Z') cur[i] = (char)(c + ('a' - 'A'));
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                if (++run > best) best = run;
            } else {
                run = 0;
            }
        }
        int cmp = memcmp(cur, cur + cl / 2, cl / 2);
        sum = sum * 1000003u + best + (uint64_t)(cmp < 0 ? 1 : cmp > 0 ? 2 : 3) + fnv(cur, cl);
        free(cur);
    }

    for (int i = 0; i < VOCAB; i++) free(vocab[i]);
    free(text);
    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
