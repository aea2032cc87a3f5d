/* Squid native access.log scanner: totals per (day, user, authority), in C.
 *
 * The optional fast path of mue.discovery.readers.squid (the DuckDB reader is the fallback when this
 * module was not compiled). A Scanner takes blocks of whole lines (bytes-like objects), parses them
 * with the GIL released, so several threads scan blocks at once, each with its own Scanner, and keeps
 * the totals in a hash table whose size grows with the distinct (day, user, authority) keys only. Users
 * and authorities are interned (each distinct string stored once, numbered), so a total costs 40 bytes
 * whatever the cardinality, and ``columns()`` hands them over as arrays plus the distinct strings: the
 * engine classifies each authority and pseudonymises each user once, then folds the arrays (numpy).
 *
 * A line is parsed exactly as the DuckDB reader parses it (see squid.py): split on single spaces,
 * the empty items 2..6 are the padding of the elapsed field ("off"), then time = item 1,
 * client = item 3+off, bytes = item 5+off, URL = item 7+off, user = item 8+off; the user is the
 * client when it is "-"; the authority is the third '/'-separated part of a URL holding "://", else
 * the URL itself. A line is read up to a NUL byte; a line of spaces only is blank (skipped, not
 * counted); a line over 1 MiB or not valid UTF-8 is "unreadable"; a line whose time, size or user
 * is missing or not a number is "not a Squid native line".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1 << 20)
#define MAX_SAMPLES 10
#define SAMPLE_BYTES 1200 /* enough for 300 characters of UTF-8 */
#define ITEMS 13          /* the user is item 8 + off, off <= 5 */

enum { REASON_FORMAT = 1, REASON_UNREADABLE = 2 };

typedef struct {
    int32_t day;
    uint32_t who, auth; /* interned ids */
    uint32_t used;
    int64_t n, nbytes;
    double first, last;
} Entry;

/* Distinct strings, numbered from 0 in order of arrival; slots hold id + 1 (0: free). */
typedef struct {
    char **text;
    uint32_t *len;
    uint64_t *hash;
    size_t count, room;
    uint32_t *slots;
    size_t cap;
} Strings;

typedef struct {
    PyObject_HEAD
    Entry *table;
    size_t cap, used;
    Strings whos, auths;
    int busy;
} Scanner;

typedef struct {
    Py_ssize_t line; /* physical line number within the block, from 1 */
    int reason;
    const char *start;
    size_t len;
} Sample;

typedef struct {
    Py_ssize_t physical, lines, malformed;
    int nsamples;
    Sample samples[MAX_SAMPLES];
    int nomem;
} BlockResult;

/* Eight bytes at a time: the keys are short, this is the hot loop's main arithmetic. */
static uint64_t hash_bytes(uint64_t h, const char *s, size_t len) {
    uint64_t w;
    while (len >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    w = 0;
    memcpy(&w, s, len);
    h = (h ^ w ^ ((uint64_t)len << 56)) * 0x9E3779B97F4A7C15ULL; /* the length separates ("ab", "c") from ("a", "bc") */
    return h ^ (h >> 32);
}

static uint64_t hash_ids(int32_t day, uint32_t who, uint32_t auth) {
    uint64_t h = ((uint64_t)(uint32_t)day << 40) ^ ((uint64_t)who << 24) ^ (uint64_t)auth;
    h = (h ^ (h >> 31)) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

static int strings_grow(Strings *t) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof(uint32_t));
    if (!slots) return -1;
    for (size_t i = 0; i < t->count; i++) {
        size_t j = t->hash[i] & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* The id of a string, added when new; -1 when out of memory. */
static int64_t intern(Strings *t, const char *text, size_t len) {
    if ((t->count + 1) * 2 > t->cap && strings_grow(t) < 0) return -1;
    uint64_t h = hash_bytes(0x243F6A8885A308D3ULL, text, len);
    size_t j = h & (t->cap - 1);
    for (;;) {
        uint32_t slot = t->slots[j];
        if (!slot) break;
        size_t i = slot - 1;
        if (t->hash[i] == h && t->len[i] == len && memcmp(t->text[i], text, len) == 0) return (int64_t)i;
        j = (j + 1) & (t->cap - 1);
    }
    if (t->count == t->room) {
        size_t room = t->room ? t->room * 2 : 256;
        char **tx = realloc(t->text, room * sizeof(char *));
        if (!tx) return -1;
        t->text = tx;
        uint32_t *ln = realloc(t->len, room * sizeof(uint32_t));
        if (!ln) return -1;
        t->len = ln;
        uint64_t *hs = realloc(t->hash, room * sizeof(uint64_t));
        if (!hs) return -1;
        t->hash = hs;
        t->room = room;
    }
    char *copy = malloc(len ? len : 1);
    if (!copy) return -1;
    memcpy(copy, text, len);
    size_t i = t->count++;
    t->text[i] = copy;
    t->len[i] = (uint32_t)len;
    t->hash[i] = h;
    t->slots[j] = (uint32_t)i + 1;
    return (int64_t)i;
}

static void strings_free(Strings *t) {
    for (size_t i = 0; i < t->count; i++) free(t->text[i]);
    free(t->text);
    free(t->len);
    free(t->hash);
    free(t->slots);
}

/* The distinct strings as a list of str (invalid UTF-8 replaced, as the DuckDB reader's lines cannot hold it). */
static PyObject *strings_list(const Strings *t) {
    PyObject *list = PyList_New((Py_ssize_t)t->count);
    if (!list) return NULL;
    for (size_t i = 0; i < t->count; i++) {
        PyObject *item = PyUnicode_DecodeUTF8(t->text[i], t->len[i], "replace");
        if (!item) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

static int is_ascii(const char *s, size_t len) {
    uint64_t w, any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        any |= w;
    }
    for (; i < len; i++) any |= (unsigned char)s[i];
    return (any & 0x8080808080808080ULL) == 0;
}

static int grow(Scanner *self) {
    size_t cap = self->cap ? self->cap * 2 : 1024;
    Entry *table = calloc(cap, sizeof(Entry));
    if (!table) return -1;
    for (size_t i = 0; i < self->cap; i++) {
        Entry *e = &self->table[i];
        if (!e->used) continue;
        size_t j = hash_ids(e->day, e->who, e->auth) & (cap - 1);
        while (table[j].used) j = (j + 1) & (cap - 1);
        table[j] = *e;
    }
    free(self->table);
    self->table = table;
    self->cap = cap;
    return 0;
}

/* Add to the totals of a key (interned ids); -1 when out of memory. */
static int add(Scanner *self, int32_t day, uint32_t who, uint32_t auth, int64_t n, int64_t nbytes, double first,
               double last) {
    if ((self->used + 1) * 4 > self->cap * 3 && grow(self) < 0) return -1; /* load at most 3/4 */
    size_t j = hash_ids(day, who, auth) & (self->cap - 1);
    for (;;) {
        Entry *e = &self->table[j];
        if (!e->used) break;
        if (e->day == day && e->who == who && e->auth == auth) {
            e->n += n;
            e->nbytes += nbytes;
            if (first < e->first) e->first = first;
            if (last > e->last) e->last = last;
            return 0;
        }
        j = (j + 1) & (self->cap - 1);
    }
    Entry *e = &self->table[j];
    e->used = 1;
    e->day = day;
    e->who = who;
    e->auth = auth;
    e->n = n;
    e->nbytes = nbytes;
    e->first = first;
    e->last = last;
    self->used++;
    return 0;
}

static int valid_utf8(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t n;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return 0;
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* digits[.digits], as Squid writes its time; the result is correctly rounded for up to 15 digits. */
static int parse_time(const char *s, size_t len, double *out) {
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    uint64_t mantissa = 0;
    size_t i = 0, digits = 0, decimals = 0;
    int dot = 0;
    if (len == 0) return 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (++digits > 18) return 0;
            mantissa = mantissa * 10 + (uint64_t)(c - '0');
            if (dot) decimals++;
        } else if (c == '.' && !dot) {
            dot = 1;
        } else {
            return 0;
        }
    }
    if (digits == 0) return 0;
    *out = (double)mantissa / pow10[decimals];
    return 1;
}

static int parse_int(const char *s, size_t len, int64_t *out) {
    size_t i = 0;
    int negative = 0;
    uint64_t value = 0;
    if (len && (s[0] == '+' || s[0] == '-')) { negative = s[0] == '-'; i = 1; }
    if (i == len || len - i > 18) return 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        value = value * 10 + (uint64_t)(s[i] - '0');
    }
    *out = negative ? -(int64_t)value : (int64_t)value;
    return 1;
}

static const char *find_scheme(const char *s, size_t len) {
    const char *end = s + len, *c = s;
    while ((c = memchr(c, ':', (size_t)(end - c))) != NULL) {
        if (end - c >= 3 && c[1] == '/' && c[2] == '/') return c;
        c++;
    }
    return NULL;
}

static void bad(BlockResult *r, Py_ssize_t line, int reason, const char *start, size_t len) {
    r->malformed++;
    if (r->nsamples < MAX_SAMPLES) {
        Sample *s = &r->samples[r->nsamples++];
        s->line = line;
        s->reason = reason;
        s->start = start;
        s->len = len < SAMPLE_BYTES ? len : SAMPLE_BYTES;
    }
}

static void scan_line(Scanner *self, BlockResult *r, const char *p, size_t len) {
    const char *nul = memchr(p, '\0', len);
    if (nul) len = (size_t)(nul - p);
    if (len == 0) return; /* empty: not a line */
    size_t k = 0;
    while (k < len && p[k] == ' ') k++; /* as DuckDB's trim(): spaces only */
    if (k == len) return; /* blank */
    r->lines++;
    Py_ssize_t number = r->physical;
    if (len > MAX_LINE) { bad(r, number, REASON_UNREADABLE, p, len); return; }
    if (!is_ascii(p, len) && !valid_utf8((const unsigned char *)p, len)) {
        bad(r, number, REASON_UNREADABLE, p, len);
        return;
    }
    const char *start[ITEMS + 1];
    size_t size[ITEMS + 1];
    int items = 0;
    const char *q = p, *end = p + len;
    while (items < ITEMS) {
        const char *space = memchr(q, ' ', (size_t)(end - q));
        items++;
        start[items] = q;
        size[items] = (size_t)((space ? space : end) - q);
        if (!space) break;
        q = space + 1;
    }
    if (items < 6) { bad(r, number, REASON_FORMAT, p, len); return; }
    int off = 0;
    for (int i = 2; i <= 6; i++) off += size[i] == 0;
    if (8 + off > items) { bad(r, number, REASON_FORMAT, p, len); return; }
    double ts;
    int64_t nbytes;
    if (!parse_time(start[1], size[1], &ts) || !parse_int(start[5 + off], size[5 + off], &nbytes)) {
        bad(r, number, REASON_FORMAT, p, len);
        return;
    }
    const char *who = start[8 + off];
    size_t who_len = size[8 + off];
    if (who_len == 1 && who[0] == '-') { who = start[3 + off]; who_len = size[3 + off]; }
    const char *auth = start[7 + off];
    size_t auth_len = size[7 + off];
    if (find_scheme(auth, auth_len)) { /* split_part(url, '/', 3) */
        const char *a = auth, *e = auth + auth_len;
        for (int slashes = 0; slashes < 2; slashes++) {
            const char *s = memchr(a, '/', (size_t)(e - a));
            a = s ? s + 1 : e;
        }
        const char *s = memchr(a, '/', (size_t)(e - a));
        auth = a;
        auth_len = (size_t)((s ? s : e) - a);
    }
    int64_t who_id = intern(&self->whos, who, who_len);
    int64_t auth_id = who_id < 0 ? -1 : intern(&self->auths, auth, auth_len);
    if (auth_id < 0 || add(self, (int32_t)floor(ts / 86400.0), (uint32_t)who_id, (uint32_t)auth_id, 1, nbytes, ts,
                           ts) < 0)
        r->nomem = 1;
}

static PyObject *Scanner_scan(Scanner *self, PyObject *args) {
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) return NULL;
    if (self->busy) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_RuntimeError, "a Scanner scans one block at a time");
        return NULL;
    }
    self->busy = 1;
    BlockResult r;
    memset(&r, 0, sizeof r);
    const char *p = view.buf, *end = p + view.len;
    Py_BEGIN_ALLOW_THREADS
    while (p < end && !r.nomem) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t len = (size_t)(e - p);
        if (len && p[len - 1] == '\r') len--;
        r.physical++;
        scan_line(self, &r, p, len);
        p = nl ? nl + 1 : end;
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    PyObject *samples = NULL, *out = NULL;
    if (r.nomem) { PyErr_NoMemory(); goto done; }
    samples = PyList_New(0);
    if (!samples) goto done;
    for (int i = 0; i < r.nsamples; i++) {
        Sample *s = &r.samples[i];
        PyObject *item = Py_BuildValue("(niy#)", s->line, s->reason, s->start, (Py_ssize_t)s->len);
        if (!item || PyList_Append(samples, item) < 0) { Py_XDECREF(item); goto done; }
        Py_DECREF(item);
    }
    out = Py_BuildValue("(nnnO)", r.physical, r.lines, r.malformed, samples);
done:
    Py_XDECREF(samples);
    PyBuffer_Release(&view);
    return out;
}

static PyObject *Scanner_rows(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *whos = strings_list(&self->whos);
    PyObject *auths = whos ? strings_list(&self->auths) : NULL;
    PyObject *rows = auths ? PyList_New(0) : NULL;
    if (!rows) goto fail;
    for (size_t i = 0; i < self->cap; i++) {
        Entry *e = &self->table[i];
        if (!e->used) continue;
        PyObject *row = Py_BuildValue("(iOOLLdd)", e->day, PyList_GET_ITEM(whos, e->who),
                                      PyList_GET_ITEM(auths, e->auth), (long long)e->n, (long long)e->nbytes,
                                      e->first, e->last);
        if (!row || PyList_Append(rows, row) < 0) {
            Py_XDECREF(row);
            goto fail;
        }
        Py_DECREF(row);
    }
    Py_DECREF(whos);
    Py_DECREF(auths);
    return rows;
fail:
    Py_XDECREF(whos);
    Py_XDECREF(auths);
    Py_XDECREF(rows);
    return NULL;
}

/* A column of the totals as bytes: ``width`` bytes per total, copied from each entry at ``offset``. */
static PyObject *column(Scanner *self, size_t offset, size_t width) {
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(self->used * width));
    if (!out) return NULL;
    char *dst = PyBytes_AS_STRING(out);
    for (size_t i = 0; i < self->cap; i++) {
        const Entry *e = &self->table[i];
        if (!e->used) continue;
        memcpy(dst, (const char *)e + offset, width);
        dst += width;
    }
    return out;
}

static PyObject *Scanner_columns(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *whos = strings_list(&self->whos);
    PyObject *auths = whos ? strings_list(&self->auths) : NULL;
    PyObject *cols[7] = {NULL};
    PyObject *out = NULL;
    if (!auths) goto done;
    const size_t offsets[7] = {offsetof(Entry, day), offsetof(Entry, who), offsetof(Entry, auth), offsetof(Entry, n),
                               offsetof(Entry, nbytes), offsetof(Entry, first), offsetof(Entry, last)};
    const size_t widths[7] = {4, 4, 4, 8, 8, 8, 8};
    for (int k = 0; k < 7; k++)
        if (!(cols[k] = column(self, offsets[k], widths[k]))) goto done;
    out = Py_BuildValue("(OOOOOOOOO)", whos, auths, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]);
done:
    Py_XDECREF(whos);
    Py_XDECREF(auths);
    for (int k = 0; k < 7; k++) Py_XDECREF(cols[k]);
    return out;
}

static void Scanner_dealloc(Scanner *self) {
    free(self->table);
    strings_free(&self->whos);
    strings_free(&self->auths);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan, METH_VARARGS,
     "scan(block) -> (physical lines, lines, malformed, samples): add a block of whole lines to the totals.\n"
     "samples: (line within the block, reason: 1 format / 2 unreadable, raw bytes) of the first malformed lines."},
    {"rows", (PyCFunction)Scanner_rows, METH_NOARGS, "rows() -> [(day, user, authority, requests, bytes, first, last)]"},
    {"columns", (PyCFunction)Scanner_columns, METH_NOARGS,
     "columns() -> (users, authorities, day, user, authority, requests, bytes, first, last): the distinct users and\n"
     "authorities (lists of str), then one bytes object per column of the totals, in native byte order: day, user\n"
     "and authority as int32/uint32/uint32 (user and authority index the lists), requests and bytes as int64,\n"
     "first and last as float64."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mue.discovery._squidscan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Totals per (day, user, authority) of Squid native log lines.",
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_squidscan",
    .m_doc = "Squid native access.log scanner (see squid.py).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__squidscan(void) {
    if (PyType_Ready(&ScannerType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
