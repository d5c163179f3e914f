/* Reads the native line table (DWARF 2-5 `.debug_line`) of the object file holding a
 * code address. A trap that is a fault (an access into a guard page) has no site of
 * its own; the generated C's #line directives make the line-table row of the faulting
 * instruction name the wasm instruction, or the module's original source line. Runs
 * after the trap, outside the signal handler: it opens and maps the file. Assumes a
 * little-endian target, as the runtime does elsewhere. */
#include "internal.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A bounded reader: reading past the end sets `bad` and yields zeros. */
typedef struct cursor {
    const uint8_t *at, *end;
    bool bad;
} cursor;

static uint64_t fixed(cursor *c, size_t size) {
    if ((size_t)(c->end - c->at) < size || size > 8) {
        c->bad = true;
        c->at = c->end;
        return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < size; i++) value |= (uint64_t)c->at[i] << (8 * i);
    c->at += size;
    return value;
}

static uint64_t uleb(cursor *c) {
    uint64_t value = 0;
    for (unsigned shift = 0; c->at < c->end; shift += 7) {
        uint8_t byte = *c->at++;
        if (shift < 64) value |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return value;
    }
    c->bad = true;
    return 0;
}

static int64_t sleb(cursor *c) {
    uint64_t value = 0;
    unsigned shift = 0;
    while (c->at < c->end) {
        uint8_t byte = *c->at++;
        if (shift < 64) value |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (shift < 64 && (byte & 0x40)) value |= ~(uint64_t)0 << shift;
            return (int64_t)value;
        }
    }
    c->bad = true;
    return 0;
}

static void skip(cursor *c, uint64_t size) {
    if ((uint64_t)(c->end - c->at) < size) {
        c->bad = true;
        c->at = c->end;
    } else {
        c->at += size;
    }
}

/* A NUL-terminated string at the cursor, or NULL. */
static const char *string(cursor *c) {
    const uint8_t *nul = memchr(c->at, 0, (size_t)(c->end - c->at));
    if (!nul) {
        c->bad = true;
        c->at = c->end;
        return NULL;
    }
    const char *text = (const char *)c->at;
    c->at = nul + 1;
    return text;
}

/* The sections a line table needs, inside the mapped file. */
typedef struct sections {
    cursor line, line_str, str;
} sections;

static const char *string_at(cursor table, uint64_t offset) {
    if (offset >= (uint64_t)(table.end - table.at)) return NULL;
    table.at += offset;
    return string(&table);
}

/* An attribute of a DWARF 5 directory or file entry: a string, or a number in *number. */
static const char *form_value(cursor *c, const sections *s, uint64_t form, unsigned offset_size, uint64_t *number) {
    *number = 0;
    switch (form) {
    case 0x08: return string(c);                                          /* DW_FORM_string */
    case 0x1f: return string_at(s->line_str, fixed(c, offset_size));       /* DW_FORM_line_strp */
    case 0x0e: return string_at(s->str, fixed(c, offset_size));            /* DW_FORM_strp */
    case 0x0b: *number = fixed(c, 1); return NULL;                         /* DW_FORM_data1 */
    case 0x05: *number = fixed(c, 2); return NULL;                         /* DW_FORM_data2 */
    case 0x06: *number = fixed(c, 4); return NULL;                         /* DW_FORM_data4 */
    case 0x07: *number = fixed(c, 8); return NULL;                         /* DW_FORM_data8 */
    case 0x0f: *number = uleb(c); return NULL;                             /* DW_FORM_udata */
    case 0x1e: skip(c, 16); return NULL;                                   /* DW_FORM_data16 (MD5) */
    case 0x09: skip(c, uleb(c)); return NULL;                              /* DW_FORM_block */
    default: c->bad = true; return NULL;  /* strx forms need .debug_info: not for line tables */
    }
}

/* The name of entry `index` of a DWARF 5 directory or file table; for files, *directory
 * gets its directory index. */
static const char *v5_entry(cursor *c, const sections *s, unsigned offset_size, uint64_t index, uint64_t *directory) {
    uint8_t format_count = (uint8_t)fixed(c, 1);
    uint64_t formats[2 * 16];
    if (format_count > 16) {
        c->bad = true;
        return NULL;
    }
    for (unsigned i = 0; i < 2u * format_count; i++) formats[i] = uleb(c);
    uint64_t count = uleb(c);
    const char *found = NULL;
    for (uint64_t entry = 0; entry < count && !c->bad; entry++) {
        for (unsigned f = 0; f < format_count; f++) {
            uint64_t number;
            const char *text = form_value(c, s, formats[2 * f + 1], offset_size, &number);
            if (entry != index) continue;
            if (formats[2 * f] == 1) found = text;                       /* DW_LNCT_path */
            if (formats[2 * f] == 2 && directory) *directory = number;   /* DW_LNCT_directory_index */
        }
    }
    return c->bad ? NULL : found;
}

/* Writes "DIRECTORY/NAME" (or NAME when it is absolute or in the compilation's folder)
 * of file `index` of the unit whose tables start at `tables`. */
static bool file_name(cursor tables, const sections *s, unsigned version, unsigned offset_size, uint64_t index,
                      char *out, size_t size) {
    const char *name = NULL, *folder = NULL;
    uint64_t directory = 0;
    if (version >= 5) {
        cursor folders = tables;
        v5_entry(&tables, s, offset_size, UINT64_MAX, NULL); /* step over the directories */
        name = v5_entry(&tables, s, offset_size, index, &directory);
        if (name && directory != 0) folder = v5_entry(&folders, s, offset_size, directory, NULL);
    } else {
        const char *folders[256];
        size_t folder_count = 0;
        for (const char *dir; (dir = string(&tables)) && *dir;)
            if (folder_count < 256) folders[folder_count++] = dir;
        for (uint64_t entry = 1; !tables.bad; entry++) {
            const char *entry_name = string(&tables);
            if (!entry_name || !*entry_name) break;
            uint64_t dir = uleb(&tables);
            uleb(&tables); /* modification time */
            uleb(&tables); /* length */
            if (entry == index) {
                name = entry_name;
                if (dir != 0 && dir <= folder_count) folder = folders[dir - 1];
            }
        }
    }
    if (!name) return false;
    if (folder && name[0] != '/') snprintf(out, size, "%s/%s", folder, name);
    else snprintf(out, size, "%s", name);
    return true;
}

/* Runs the line programs of `.debug_line` for `address` (as linked); on a row that
 * covers it, writes the file's name and the line. */
static bool find_row(const sections *s, uint64_t address, char *file, size_t file_size, uint32_t *line) {
    cursor units = s->line;
    while (units.at < units.end && !units.bad) {
        unsigned offset_size = 4;
        uint64_t length = fixed(&units, 4);
        if (length == 0xffffffff) {
            offset_size = 8;
            length = fixed(&units, 8);
        }
        if (units.bad || length > (uint64_t)(units.end - units.at)) return false;
        cursor c = {units.at, units.at + length, false};
        units.at += length;

        unsigned version = (unsigned)fixed(&c, 2);
        if (version < 2 || version > 5) continue;
        if (version >= 5) skip(&c, 2); /* address and segment selector sizes */
        uint64_t header_length = fixed(&c, offset_size);
        if (c.bad || header_length > (uint64_t)(c.end - c.at)) continue;
        cursor program = {c.at + header_length, c.end, false};
        unsigned min_length = (unsigned)fixed(&c, 1);
        if (version >= 4) fixed(&c, 1); /* operations per instruction: VLIW only */
        fixed(&c, 1);                   /* default is_stmt */
        int line_base = (int8_t)fixed(&c, 1);
        unsigned line_range = (unsigned)fixed(&c, 1);
        unsigned opcode_base = (unsigned)fixed(&c, 1);
        if (c.bad || line_range == 0 || opcode_base == 0) continue;
        const uint8_t *operand_counts = c.at;
        skip(&c, opcode_base - 1);
        if (c.bad) continue;
        cursor tables = c;

        uint64_t at = 0, previous_at = 0, file_index = 1, previous_file = 0;
        int64_t row_line = 1, previous_line = 0;
        bool previous = false;
        while (program.at < program.end && !program.bad) {
            unsigned opcode = (unsigned)fixed(&program, 1);
            bool row = false, end = false;
            if (opcode >= opcode_base) {
                unsigned adjusted = opcode - opcode_base;
                at += (uint64_t)(adjusted / line_range) * min_length;
                row_line += line_base + (int)(adjusted % line_range);
                row = true;
            } else if (opcode == 0) { /* extended */
                uint64_t size = uleb(&program);
                const uint8_t *next = program.at + size;
                if (size == 0 || size > (uint64_t)(program.end - program.at)) break;
                unsigned extended = (unsigned)fixed(&program, 1);
                if (extended == 1) row = end = true;                                   /* end_sequence */
                else if (extended == 2) at = fixed(&program, size - 1); /* set_address */
                program.at = next;
            } else {
                switch (opcode) {
                case 1: row = true; break;                                              /* copy */
                case 2: at += uleb(&program) * min_length; break;                        /* advance_pc */
                case 3: row_line += sleb(&program); break;                              /* advance_line */
                case 4: file_index = uleb(&program); break;                              /* set_file */
                case 8: at += (uint64_t)((255 - opcode_base) / line_range) * min_length; break; /* const_add_pc */
                case 9: at += fixed(&program, 2); break;                                /* fixed_advance_pc */
                default:
                    for (unsigned i = 0; i < operand_counts[opcode - 1]; i++) uleb(&program);
                }
            }
            if (!row) continue;
            if (previous && previous_at <= address && address < at) {
                *line = (uint32_t)previous_line;
                return previous_line > 0 &&
                       file_name(tables, s, version, offset_size, previous_file, file, file_size);
            }
            previous = !end;
            previous_at = at, previous_file = file_index, previous_line = row_line;
            if (end) at = 0, file_index = 1, row_line = 1;
        }
    }
    return false;
}

/* The loaded object holding a code address: its file and load bias. */
typedef struct object_search {
    uintptr_t address, bias;
    const char *path;
    bool found;
} object_search;

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    object_search *search = data;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + header->p_vaddr;
        if (header->p_type == PT_LOAD && search->address >= start && search->address - start < header->p_memsz) {
            search->bias = info->dlpi_addr;
            /* The main program has no name here. */
            search->path = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "/proc/self/exe";
            search->found = true;
            return 1;
        }
    }
    return 0;
}

/* The uncompressed section called `name` of a mapped ELF file, or an empty cursor. */
static cursor section(const uint8_t *file, size_t size, const char *name) {
    cursor none = {NULL, NULL, true};
    const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)file;
    if (header->e_shentsize != sizeof(ElfW(Shdr)) || header->e_shoff > size ||
        (size - header->e_shoff) / sizeof(ElfW(Shdr)) < header->e_shnum || header->e_shstrndx >= header->e_shnum)
        return none;
    const ElfW(Shdr) *table = (const ElfW(Shdr) *)(file + header->e_shoff);
    const ElfW(Shdr) *names = &table[header->e_shstrndx];
    if (names->sh_offset > size || names->sh_size > size - names->sh_offset) return none;
    cursor name_table = {file + names->sh_offset, file + names->sh_offset + names->sh_size, false};
    for (unsigned i = 0; i < header->e_shnum; i++) {
        const ElfW(Shdr) *candidate = &table[i];
        const char *candidate_name = string_at(name_table, candidate->sh_name);
        if (!candidate_name || strcmp(candidate_name, name) != 0) continue;
        if (candidate->sh_type == SHT_NOBITS || (candidate->sh_flags & SHF_COMPRESSED) ||
            candidate->sh_offset > size || candidate->sh_size > size - candidate->sh_offset)
            return none;
        return (cursor){file + candidate->sh_offset, file + candidate->sh_offset + candidate->sh_size, false};
    }
    return none;
}

bool wkrt_native_line(const void *code, char *file, size_t file_size, uint32_t *line) {
    object_search search = {(uintptr_t)code, 0, NULL, false};
    if (!code || file_size == 0 || !dl_iterate_phdr(find_object, &search) || !search.found) return false;
    int descriptor = open(search.path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return false;
    struct stat status;
    void *mapping = MAP_FAILED;
    if (fstat(descriptor, &status) == 0 && (size_t)status.st_size >= sizeof(ElfW(Ehdr)))
        mapping = mmap(NULL, (size_t)status.st_size, PROT_READ, MAP_PRIVATE, descriptor, 0);
    close(descriptor);
    if (mapping == MAP_FAILED) return false;

    const uint8_t *bytes = mapping;
    size_t size = (size_t)status.st_size;
    bool found = false;
    const ElfW(Ehdr) *header = mapping;
    if (memcmp(header->e_ident, ELFMAG, SELFMAG) == 0 && header->e_ident[EI_CLASS] == (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)) {
        sections s = {section(bytes, size, ".debug_line"), section(bytes, size, ".debug_line_str"),
                      section(bytes, size, ".debug_str")};
        if (!s.line.bad) found = find_row(&s, (uint64_t)(search.address - search.bias), file, file_size, line);
    }
    munmap(mapping, size);
    return found;
}
