/* Squid native access.log scanner: totals per (day, user, authority), in C.
 *
 * The optional fast path of mue.discovery.readers.squid (the DuckDB reader is the fallback when this
 * module was not compiled). A Scanner takes blocks of whole lines (bytes-like objects), parses them
 * with the GIL released, so several threads scan blocks at once, each with its own Scanner, and keeps
 * the totals in a hash table whose size grows with the distinct (day, user, authority) keys only.
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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1 << 20)
#define MAX_SAMPLES 10
#define SAMPLE_BYTES 1200 /* enough for 300 characters of UTF-8 */
#define ITEMS 13          /* the user is item 8 + off, off <= 5 */

enum { REASON_FORMAT = 1, REASON_UNREADABLE = 2 };

typedef struct {
    uint64_t hash;
    char *key; /* who bytes then authority bytes; NULL: free slot */
    uint32_t who_len, auth_len;
    int32_t day;
    int64_t n, nbytes;
    double first, last;
} Entry;

typedef struct {
    PyObject_HEAD
    Entry *table;
    size_t cap, used;
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

static uint64_t hash_key(const char *who, size_t who_len, const char *auth, size_t auth_len, int32_t day) {
    return hash_bytes(hash_bytes(0x243F6A8885A308D3ULL ^ (uint64_t)(uint32_t)day, who, who_len), auth, auth_len);
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
        if (!e->key) continue;
        size_t j = e->hash & (cap - 1);
        while (table[j].key) j = (j + 1) & (cap - 1);
        table[j] = *e;
    }
    free(self->table);
    self->table = table;
    self->cap = cap;
    return 0;
}

/* Add to the totals of a key; -1 when out of memory. */
static int add(Scanner *self, int32_t day, const char *who, size_t who_len, const char *auth, size_t auth_len,
               int64_t n, int64_t nbytes, double first, double last) {
    if ((self->used + 1) * 2 > self->cap && grow(self) < 0) return -1;
    uint64_t h = hash_key(who, who_len, auth, auth_len, day);
    size_t j = h & (self->cap - 1);
    for (;;) {
        Entry *e = &self->table[j];
        if (!e->key) break;
        if (e->hash == h && e->day == day && e->who_len == who_len && e->auth_len == auth_len &&
            memcmp(e->key, who, who_len) == 0 && memcmp(e->key + who_len, auth, auth_len) == 0) {
            e->n += n;
            e->nbytes += nbytes;
            if (first < e->first) e->first = first;
            if (last > e->last) e->last = last;
            return 0;
        }
        j = (j + 1) & (self->cap - 1);
    }
    char *key = malloc(who_len + auth_len + 1);
    if (!key) return -1;
    memcpy(key, who, who_len);
    memcpy(key + who_len, auth, auth_len);
    Entry *e = &self->table[j];
    e->hash = h;
    e->key = key;
    e->who_len = (uint32_t)who_len;
    e->auth_len = (uint32_t)auth_len;
    e->day = day;
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
    if (add(self, (int32_t)floor(ts / 86400.0), who, who_len, auth, auth_len, 1, nbytes, ts, ts) < 0) r->nomem = 1;
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

static PyObject *Scanner_merge(Scanner *self, PyObject *arg);

static PyObject *Scanner_rows(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *rows = PyList_New(0);
    if (!rows) return NULL;
    for (size_t i = 0; i < self->cap; i++) {
        Entry *e = &self->table[i];
        if (!e->key) continue;
        PyObject *who = PyUnicode_DecodeUTF8(e->key, e->who_len, "replace");
        PyObject *auth = who ? PyUnicode_DecodeUTF8(e->key + e->who_len, e->auth_len, "replace") : NULL;
        PyObject *row = auth ? Py_BuildValue("(iOOLLdd)", e->day, who, auth, (long long)e->n, (long long)e->nbytes,
                                             e->first, e->last) : NULL;
        Py_XDECREF(who);
        Py_XDECREF(auth);
        if (!row || PyList_Append(rows, row) < 0) {
            Py_XDECREF(row);
            Py_DECREF(rows);
            return NULL;
        }
        Py_DECREF(row);
    }
    return rows;
}

static void Scanner_dealloc(Scanner *self) {
    for (size_t i = 0; i < self->cap; i++) free(self->table[i].key);
    free(self->table);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan, METH_VARARGS,
     "scan(block) -> (physical lines, lines, malformed, samples): add a block of whole lines to the totals.\n"
     "samples: (line within the block, reason: 1 format / 2 unreadable, raw bytes) of the first malformed lines."},
    {"merge", (PyCFunction)Scanner_merge, METH_O, "merge(other): add another scanner's totals to these."},
    {"rows", (PyCFunction)Scanner_rows, METH_NOARGS, "rows() -> [(day, user, authority, requests, bytes, first, last)]"},
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

static PyObject *Scanner_merge(Scanner *self, PyObject *arg) {
    if (!PyObject_TypeCheck(arg, &ScannerType)) {
        PyErr_SetString(PyExc_TypeError, "merge() takes a Scanner");
        return NULL;
    }
    Scanner *other = (Scanner *)arg;
    if (other == self) {
        PyErr_SetString(PyExc_ValueError, "a Scanner cannot merge itself");
        return NULL;
    }
    for (size_t i = 0; i < other->cap; i++) {
        Entry *e = &other->table[i];
        if (!e->key) continue;
        if (add(self, e->day, e->key, e->who_len, e->key + e->who_len, e->auth_len, e->n, e->nbytes, e->first,
                e->last) < 0)
            return PyErr_NoMemory();
    }
    Py_RETURN_NONE;
}

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
