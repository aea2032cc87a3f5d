/* Log scanner: totals per (day, user, authority) of Squid, dnsmasq (Pi-hole) and CSV log lines, in C.
 *
 * The optional fast path of the readers in mue.discovery.readers (each has a pure Python or DuckDB reader for
 * when this module was not compiled). A Scanner takes blocks of whole lines (bytes-like objects), parses them
 * with the GIL released, so several threads scan blocks at once, each with its own Scanner, and keeps the
 * totals in a hash table whose size grows with the distinct (day, user, authority) keys only. Users and
 * authorities are interned (each distinct string stored once, numbered), so a total costs 40 bytes whatever
 * the cardinality, and ``columns()`` hands them over as arrays plus the distinct strings: the engine
 * classifies each authority and pseudonymises each user once, then folds the arrays (numpy).
 *
 * Squid (``Scanner()``): a line is parsed exactly as the DuckDB reader parses it (see squid.py): split on
 * single spaces, the empty items 2..6 are the padding of the elapsed field ("off"), then time = item 1,
 * client = item 3+off, bytes = item 5+off, URL = item 7+off, user = item 8+off; the user is the client when
 * it is "-"; the authority is the third '/'-separated part of a URL holding "://", else the URL itself. A
 * line is read up to a NUL byte; a line of spaces only is blank (skipped, not counted); a line over 1 MiB or
 * not valid UTF-8 is "unreadable"; a line whose time, size or user is missing or not a number is "not a
 * Squid native line".
 *
 * dnsmasq (``Scanner("dnsmasq", year, file_month)``), Unbound (``Scanner("unbound", year, file_month)``), BIND
 * (``Scanner("bind")``), AdGuard Home (``Scanner("adguard")``), CSV (``Scanner("csv", ...)``) and Zeek TSV
 * (``Scanner("zeek", ...)``, after the first header block): the Python readers (dns.py, csvlog.py, zeek.py)
 * define what a line means; the scanner decides the lines it can decide exactly as they
 * do and *defers* any other (a character outside printable ASCII in a dnsmasq line, a CSV value that is not
 * a plain number or a plain ISO 8601 time...): ``scan`` hands those lines back and the Python reader reads
 * them, so both paths give the same totals by construction. A CSV line that the csv module would read
 * differently from a line on its own (a quoted value running onto the next line, a carriage return inside
 * a line, a NUL byte), or a Zeek header line that changes the
 * layout (logs concatenated), sets ``fallback``: the reader then reads the whole file in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) || defined(__APPLE__)
#include <locale.h>
#ifdef __APPLE__
#include <xlocale.h>
#endif
#define HAVE_STRTOD_L 1
static locale_t c_locale; /* strtod in the "C" locale: a decimal point, whatever the process's locale */
#endif

#define MAX_LINE (1 << 20)
#define MAX_SAMPLES 10
#define SAMPLE_BYTES 1200 /* enough for 300 characters of UTF-8 */
#define ITEMS 13          /* the user is item 8 + off, off <= 5 */
#define PENDING 16        /* requests parsed before they are added: their table slots are fetched meanwhile */

#define CSV_FIELD_LIMIT 131072 /* csv.field_size_limit()'s default: a longer value is the csv module's error */

enum { REASON_FORMAT = 1, REASON_UNREADABLE = 2, REASON_TIME = 3 };
enum { FORMAT_SQUID = 0, FORMAT_DNSMASQ = 1, FORMAT_CSV = 2, FORMAT_ZEEK = 3, FORMAT_UNBOUND = 4, FORMAT_BIND = 5,
       FORMAT_ADGUARD = 6 };

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

/* A parsed request waiting to be added to the totals (see record()). */
typedef struct {
    uint64_t hash;
    int32_t day;
    uint32_t who, auth;
    int64_t nbytes;
    double ts;
} Request;

typedef struct {
    PyObject_HEAD
    Entry *table;
    Request pending[PENDING];
    int npending;
    size_t cap, used;
    Strings whos, auths;
    int busy;
    int format;
    int year, file_month; /* dnsmasq: syslog times have no year */
    /* CSV: the dialect (characters as ints, quotechar -1 for none) and the columns (at_bytes -1 for none) */
    int delimiter, quotechar, doublequote, skipinitialspace;
    Py_ssize_t width, at_ts, at_user, at_host, at_bytes;
    Py_ssize_t at_orig, at_bytes2; /* Zeek: the originating address (the user when none), a second byte count */
    char *scratch; /* a CSV line's values, unquoted, one after the other */
    size_t scratch_room;
    const char **field_start; /* a CSV line's values: in the line itself, or in scratch when one was quoted */
    size_t *field_len;
    size_t field_room;
} Scanner;

typedef struct {
    Py_ssize_t line; /* physical line number within the block, from 1 */
    int reason;
    const char *start;
    size_t len;
} Sample;

typedef struct {
    Py_ssize_t line;
    const char *start;
    size_t len;
} Deferred;

typedef struct {
    Py_ssize_t physical, lines, malformed, ignored;
    int nsamples;
    Sample samples[MAX_SAMPLES];
    Deferred *deferred; /* lines handed back to the Python reader */
    size_t ndeferred, deferred_room;
    int nomem, fallback;
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
static int add(Scanner *self, uint64_t hash, int32_t day, uint32_t who, uint32_t auth, int64_t n, int64_t nbytes,
               double first, double last) {
    if ((self->used + 1) * 4 > self->cap * 3 && grow(self) < 0) return -1; /* load at most 3/4 */
    size_t j = hash & (self->cap - 1);
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

/* A line the scanner cannot decide as the Python reader would: handed back to it. */
static void defer(BlockResult *r, const char *start, size_t len) {
    if (r->ndeferred == r->deferred_room) {
        size_t room = r->deferred_room ? r->deferred_room * 2 : 64;
        Deferred *d = realloc(r->deferred, room * sizeof(Deferred));
        if (!d) { r->nomem = 1; return; }
        r->deferred = d;
        r->deferred_room = room;
    }
    Deferred *d = &r->deferred[r->ndeferred++];
    d->line = r->physical;
    d->start = start;
    d->len = len;
}

/* Add the pending requests to the totals. Their slots were asked of the memory first, all at once: with many
 * distinct keys the table is far larger than the cache, and one miss after the other was most of the time. */
static void flush(Scanner *self, BlockResult *r) {
    if (self->cap) {
        for (int i = 0; i < self->npending; i++)
            __builtin_prefetch(&self->table[self->pending[i].hash & (self->cap - 1)], 1);
    }
    for (int i = 0; i < self->npending; i++) {
        const Request *q = &self->pending[i];
        if (add(self, q->hash, q->day, q->who, q->auth, 1, q->nbytes, q->ts, q->ts) < 0) r->nomem = 1;
    }
    self->npending = 0;
}

/* One request of ``who`` to ``auth`` at ``ts``, added to the totals of its day (after a few others: flush()). */
static void record(Scanner *self, BlockResult *r, double ts, const char *who, size_t who_len, const char *auth,
                   size_t auth_len, int64_t nbytes) {
    int64_t who_id = intern(&self->whos, who, who_len);
    int64_t auth_id = who_id < 0 ? -1 : intern(&self->auths, auth, auth_len);
    if (auth_id < 0) { r->nomem = 1; return; }
    Request *q = &self->pending[self->npending++];
    q->day = (int32_t)floor(ts / 86400.0);
    q->who = (uint32_t)who_id;
    q->auth = (uint32_t)auth_id;
    q->hash = hash_ids(q->day, q->who, q->auth);
    q->nbytes = nbytes;
    q->ts = ts;
    if (self->npending == PENDING) flush(self, r);
}

static void scan_squid(Scanner *self, BlockResult *r, const char *p, size_t len) {
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
    record(self, r, ts, who, who_len, auth, auth_len, nbytes);
}

static int two_digits(const char *s, int *v);
static int parse_epoch(const char *s, size_t len, double *out);
static int starts_with(const char *p, size_t len, const char *prefix);

/* ---- dnsmasq (Pi-hole): the regular expression of dns.py, on lines of printable ASCII ---- */

static int is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_hex_or_sep(char c) {
    return is_digit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Days from 1970-01-01 to a proleptic Gregorian date (any day number: day 0 or 40 count on from the 1st). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (d - 1);
}

/* "dnsmasq[123]: " or "pihole-FTL[123]: " at q: the position after it, or NULL. */
static const char *dnsmasq_tag(const char *q, const char *end) {
    size_t n = (size_t)(end - q);
    if (n >= 8 && memcmp(q, "dnsmasq[", 8) == 0) q += 8;
    else if (n >= 11 && memcmp(q, "pihole-FTL[", 11) == 0) q += 11;
    else return NULL;
    const char *digits = q;
    while (q < end && is_digit(*q)) q++;
    if (q == digits || end - q < 3 || q[0] != ']' || q[1] != ':' || q[2] != ' ') return NULL;
    return q + 3;
}

static const char *token_end(const char *q, const char *end) {
    const char *space = memchr(q, ' ', (size_t)(end - q));
    return space ? space : end;
}

/* After the tag: the optional "123 192.168.1.10/53411 " of Pi-hole's extra format, then the message
 * "(\S+)(?: (\S+) (\S+) (\S+))?": 1 when the message's first word is there, its words in w/wl. */
static int dnsmasq_message(const char *q, const char *end, const char *w[4], size_t wl[4]) {
    const char *x = q;
    while (x < end && is_digit(*x)) x++;
    if (x > q && x < end && *x == ' ') {
        const char *a = ++x;
        while (x < end && is_hex_or_sep(*x)) x++;
        if (x > a && x < end && *x == '/') {
            const char *b = ++x;
            while (x < end && is_digit(*x)) x++;
            if (x > b && x < end && *x == ' ' && x + 1 < end && x[1] != ' ') q = x + 1;
        }
    }
    if (q >= end || *q == ' ') return 0;
    for (int i = 0; i < 4; i++) { w[i] = NULL; wl[i] = 0; }
    w[0] = q;
    wl[0] = (size_t)(token_end(q, end) - q);
    const char *c = q + wl[0];
    const char *v[3];
    size_t vl[3];
    for (int i = 0; i < 3; i++) {
        if (c >= end || *c != ' ' || c + 1 >= end || c[1] == ' ') return 1;
        v[i] = c + 1;
        vl[i] = (size_t)(token_end(v[i], end) - v[i]);
        c = v[i] + vl[i];
    }
    for (int i = 0; i < 3; i++) { w[i + 1] = v[i]; wl[i + 1] = vl[i]; }
    return 1;
}

static int month_number(const char *s) {
    static const char *names = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(s, names + 3 * i, 3) == 0) return i + 1;
    return 0;
}

/* A line of printable ASCII (the only lines the DNS formats read here: any other is handed back), not blank. */
static int printable(BlockResult *r, const char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7E) { defer(r, p, len); return 0; }
    }
    size_t k = 0;
    while (k < len && p[k] == ' ') k++;
    return k < len;
}

/* A syslog time "(\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) " at q: the position after it, or NULL; month 0 when the
 * word is not a month's abbreviation (a match all the same, as for the regular expressions). */
static const char *syslog_time(const char *q, const char *end, int *month, int *day, int hms[3]) {
    if (end - q < 3 || !is_word(q[0]) || !is_word(q[1]) || !is_word(q[2])) return NULL;
    *month = month_number(q);
    q += 3;
    if (q >= end || *q != ' ') return NULL;
    while (q < end && *q == ' ') q++;
    int nd = 0;
    *day = 0;
    while (q < end && is_digit(*q) && nd < 2) { *day = *day * 10 + (*q - '0'); q++; nd++; }
    if (!nd || end - q < 10 || q[0] != ' ') return NULL;
    q++;
    for (int i = 0; i < 3; i++) {
        if (!is_digit(q[0]) || !is_digit(q[1]) || q[2] != (i < 2 ? ':' : ' ')) return NULL;
        hms[i] = (q[0] - '0') * 10 + (q[1] - '0');
        q += 3;
    }
    return q;
}

/* Seconds since 1970 of a syslog time: the file's year, or the year before for a month after the file's. */
static double syslog_seconds(const Scanner *self, int month, int day, const int hms[3]) {
    int year = month > self->file_month ? self->year - 1 : self->year;
    return (double)(days_from_civil(year, month, day) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2]);
}

static void scan_dnsmasq(Scanner *self, BlockResult *r, const char *p, size_t len) {
    if (!printable(r, p, len)) return; /* handed back, or blank */
    r->lines++;
    const char *q = p, *end = p + len;
    int month, day, hms[3];
    if (!(q = syslog_time(q, end, &month, &day, hms))) goto bad;
    /* (?:\S+ )?(?:dnsmasq|pihole-FTL)\[\d+\]: then the message: with the host name first, else without */
    const char *w[4];
    size_t wl[4];
    const char *t = token_end(q, end), *after;
    int found = 0;
    if (t > q && t < end && (after = dnsmasq_tag(t + 1, end)) != NULL) found = dnsmasq_message(after, end, w, wl);
    if (!found && (after = dnsmasq_tag(q, end)) != NULL) found = dnsmasq_message(after, end, w, wl);
    if (!found || !month) goto bad;
    if (wl[0] < 6 || memcmp(w[0], "query[", 6) != 0 || !w[2] || wl[2] != 4 || memcmp(w[2], "from", 4) != 0) {
        r->ignored++; /* forwarded, reply, cached, config...: the query line alone counts the request */
        return;
    }
    record(self, r, syslog_seconds(self, month, day, hms), w[3], wl[3], w[1], wl[1], 0);
    return;
bad:
    bad(r, r->physical, REASON_FORMAT, p, len);
}

/* ---- Unbound (log-queries): the regular expressions of dns.py ---- */

/* "unbound[" [\d:]+ "] " at q: the position after it, or NULL. */
static const char *unbound_tag(const char *q, const char *end) {
    if (end - q < 8 || memcmp(q, "unbound[", 8) != 0) return NULL;
    q += 8;
    const char *d = q;
    while (q < end && (is_digit(*q) || *q == ':')) q++;
    if (q == d || end - q < 2 || q[0] != ']' || q[1] != ' ') return NULL;
    return q + 2;
}

/* "(\w+): (.*)$" at q: 0 when absent; else 1, or 2 for a query ("info" and "([\d.:a-fA-F]+) (\S+) (\S+) (\S+)$"),
 * its client and name then set. */
static int unbound_message(const char *q, const char *end, const char **client, size_t *client_len,
                           const char **name, size_t *name_len) {
    const char *w = q;
    while (q < end && is_word(*q)) q++;
    if (q == w || end - q < 2 || q[0] != ':' || q[1] != ' ') return 0;
    if (q - w != 4 || memcmp(w, "info", 4) != 0) return 1;
    q += 2;
    const char *a = q;
    while (q < end && is_hex_or_sep(*q)) q++;
    if (q == a || q >= end || *q != ' ') return 1;
    *client = a;
    *client_len = (size_t)(q - a);
    const char *t[3];
    size_t tl[3];
    for (int i = 0; i < 3; i++) {
        q++; /* the space before the word */
        if (q >= end || *q == ' ') return 1;
        t[i] = q;
        q = token_end(q, end);
        tl[i] = (size_t)(q - t[i]);
        if (i < 2 && q >= end) return 1;
    }
    if (q != end) return 1;
    *name = t[0];
    *name_len = tl[0];
    return 2;
}

static void scan_unbound(Scanner *self, BlockResult *r, const char *p, size_t len) {
    if (!printable(r, p, len)) return;
    r->lines++;
    const char *q = p, *end = p + len;
    double ts = 0;
    int month = 0, day = 0, hms[3] = {0, 0, 0}, epoch = 0;
    if (*q == '[') { /* \[(\d+(?:\.\d+)?)\] */
        const char *a = ++q;
        while (q < end && is_digit(*q)) q++;
        if (q == a) goto bad;
        if (q < end && *q == '.') {
            const char *f = ++q;
            while (q < end && is_digit(*q)) q++;
            if (q == f) goto bad;
        }
        if (end - q < 2 || q[0] != ']' || q[1] != ' ' || !parse_epoch(a, (size_t)(q - a), &ts)) {
            if (end - q >= 2 && q[0] == ']' && q[1] == ' ') { defer(r, p, len); r->lines--; return; } /* > 18 digits */
            goto bad;
        }
        q += 2;
        epoch = 1;
    } else if (!(q = syslog_time(q, end, &month, &day, hms))) {
        goto bad;
    }
    const char *client = NULL, *name = NULL, *t = token_end(q, end), *after;
    size_t client_len = 0, name_len = 0;
    int found = 0;
    if (t > q && t < end && (after = unbound_tag(t + 1, end)) != NULL)
        found = unbound_message(after, end, &client, &client_len, &name, &name_len);
    if (!found && (after = unbound_tag(q, end)) != NULL)
        found = unbound_message(after, end, &client, &client_len, &name, &name_len);
    if (!found || (!epoch && !month)) goto bad;
    if (found == 1) { r->ignored++; return; } /* other messages (start-up, statistics, replies) */
    record(self, r, epoch ? ts : syslog_seconds(self, month, day, hms), client, client_len, name, name_len, 0);
    return;
bad:
    bad(r, r->physical, REASON_FORMAT, p, len);
}

/* ---- BIND query log: the regular expression of dns.py ---- */

static int starts(const char *q, const char *end, const char *prefix) {
    return starts_with(q, (size_t)(end - q), prefix);
}

static void scan_bind(Scanner *self, BlockResult *r, const char *p, size_t len) {
    if (!printable(r, p, len)) return;
    r->lines++;
    const char *q = p, *end = p + len;
    int day, year = 0, hh, mm, ss;
    /* (\d\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? */
    if (len < 21 || !two_digits(q, &day) || q[2] != '-' || !is_word(q[3]) || !is_word(q[4]) || !is_word(q[5]) ||
        q[6] != '-' || q[11] != ' ' || !two_digits(q + 12, &hh) || q[14] != ':' || !two_digits(q + 15, &mm) ||
        q[17] != ':' || !two_digits(q + 18, &ss))
        goto bad;
    for (int k = 7; k < 11; k++) {
        if (!is_digit(q[k])) goto bad;
        year = year * 10 + (q[k] - '0');
    }
    int month = month_number(q + 3);
    q += 20;
    if (q < end && *q == '.') {
        const char *f = ++q;
        while (q < end && is_digit(*q)) q++;
        if (q == f) goto bad;
    }
    if (q >= end || *q != ' ') goto bad;
    q++;
    /* (?:[\w-]+: \w+: )?client */
    const char *c = q;
    while (c < end && (is_word(*c) || *c == '-')) c++;
    if (c > q && starts(c, end, ": ")) {
        const char *w = c + 2, *x = w;
        while (x < end && is_word(*x)) x++;
        if (x > w && starts(x, end, ": ") && starts(x + 2, end, "client ")) q = x + 2;
    }
    if (!starts(q, end, "client ")) goto bad;
    q += 7;
    if (q < end && *q == '@') { /* (?:@\S+ )? */
        const char *t = token_end(q + 1, end);
        if (t > q + 1 && t < end) q = t + 1;
    }
    const char *client = q; /* ([\d.:a-fA-F]+)#\d+ */
    while (q < end && is_hex_or_sep(*q)) q++;
    size_t client_len = (size_t)(q - client);
    if (!client_len || q >= end || *q != '#') goto bad;
    const char *d = ++q;
    while (q < end && is_digit(*q)) q++;
    if (q == d || !starts(q, end, " (")) goto bad;
    q += 2; /* \([^)]*\): */
    const char *close = memchr(q, ')', (size_t)(end - q));
    if (!close || !starts(close, end, "): ")) goto bad;
    q = close + 3;
    if (starts(q, end, "view ")) { /* (?:view [^:]+: )? */
        const char *colon = memchr(q + 5, ':', (size_t)(end - q - 5));
        if (colon && colon > q + 5 && starts(colon, end, ": ") && starts(colon + 2, end, "query: ")) q = colon + 2;
    }
    if (!starts(q, end, "query: ")) goto bad;
    q += 7;
    const char *name = q, *t = token_end(q, end); /* (\S+) followed by a space */
    if (t == name || t >= end || !month || !year) goto bad; /* year 0: not a date (datetime refuses it) */
    record(self, r, (double)(days_from_civil(year, month, 1) * 86400 + (int64_t)(day - 1) * 86400 + hh * 3600 +
                             mm * 60 + ss), client, client_len, name, (size_t)(t - name), 0);
    return;
bad:
    bad(r, r->physical, REASON_FORMAT, p, len);
}

/* ---- CSV: csv.reader's splitting (QUOTE_MINIMAL, no escape character, not strict), csvlog.py's values ---- */

enum { START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD };

static int csv_room(Scanner *self, size_t len) {
    if (self->scratch_room < len + 1) {
        char *b = realloc(self->scratch, len + 1);
        if (!b) return -1;
        self->scratch = b;
        self->scratch_room = len + 1;
    }
    if (self->field_room < len + 1) { /* a line of len characters has at most len + 1 values */
        const char **starts = realloc(self->field_start, (len + 1) * sizeof(char *));
        if (!starts) return -1;
        self->field_start = starts;
        size_t *lens = realloc(self->field_len, (len + 1) * sizeof(size_t));
        if (!lens) return -1;
        self->field_len = lens;
        self->field_room = len + 1;
    }
    return 0;
}

/* The line's values into scratch, as csv.reader splits a line: how many, -1 when the record runs onto the next
 * line (an open quote), -2 when a value is longer than the csv module's limit. */
static Py_ssize_t csv_split(Scanner *self, const unsigned char *p, size_t len) {
    if (len == 0) return 0; /* csv.reader gives [] */
    if ((self->quotechar < 0 || !memchr(p, self->quotechar, len)) && !self->skipinitialspace) {
        /* no quote: the values are the pieces between delimiters, read in place */
        const char *q = (const char *)p, *end = q + len;
        Py_ssize_t n = 0;
        for (;;) {
            const char *d = memchr(q, self->delimiter, (size_t)(end - q));
            const char *e = d ? d : end;
            if ((size_t)(e - q) > CSV_FIELD_LIMIT) return -2;
            self->field_start[n] = q;
            self->field_len[n++] = (size_t)(e - q);
            if (!d) return n;
            q = d + 1;
        }
    }
    char *out = self->scratch;
    size_t o = 0, begin = 0;
    Py_ssize_t n = 0;
    int state = START_FIELD;
    const int delimiter = self->delimiter, quote = self->quotechar;
#define SAVE_FIELD                                                                  \
    do {                                                                            \
        if (o - begin > CSV_FIELD_LIMIT) return -2;                                 \
        self->field_start[n] = out + begin;                                         \
        self->field_len[n++] = o - begin;                                           \
        begin = o;                                                                  \
    } while (0)
    for (size_t i = 0; i < len; i++) {
        int c = p[i];
        switch (state) {
        case START_FIELD:
            if (c == quote) state = IN_QUOTED_FIELD;
            else if (c == ' ' && self->skipinitialspace) {}
            else if (c == delimiter) SAVE_FIELD;
            else { out[o++] = (char)c; state = IN_FIELD; }
            break;
        case IN_FIELD:
            if (c == delimiter) { SAVE_FIELD; state = START_FIELD; }
            else out[o++] = (char)c;
            break;
        case IN_QUOTED_FIELD:
            if (c == quote) state = self->doublequote ? QUOTE_IN_QUOTED_FIELD : IN_FIELD;
            else out[o++] = (char)c;
            break;
        default: /* QUOTE_IN_QUOTED_FIELD */
            if (c == quote) { out[o++] = (char)c; state = IN_QUOTED_FIELD; }
            else if (c == delimiter) { SAVE_FIELD; state = START_FIELD; }
            else { out[o++] = (char)c; state = IN_FIELD; }
        }
    }
    if (state == IN_QUOTED_FIELD) return -1;
    SAVE_FIELD;
#undef SAVE_FIELD
    return n;
}

static int is_py_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* str.strip() on a value; 0 when an end is not ASCII (it may be Unicode white space: Python decides). */
static int strip_value(const char **s, size_t *len) {
    const unsigned char *a = (const unsigned char *)*s, *e = a + *len;
    while (a < e && is_py_space(*a)) a++;
    while (e > a && is_py_space(e[-1])) e--;
    if (a < e && (*a >= 0x80 || e[-1] >= 0x80)) return 0;
    *s = (const char *)a;
    *len = (size_t)(e - a);
    return 1;
}

static int two_digits(const char *s, int *v) {
    if (!is_digit(s[0]) || !is_digit(s[1])) return 0;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return 1;
}

/* The ISO 8601 forms most exports write, as datetime.fromisoformat reads them (a naive time is UTC):
 * YYYY-MM-DD[(T| )HH:MM[:SS[.f to .fffffffff]][Z|+HH:MM|-HH:MM]]; 0 for any other form. */
static int parse_iso(const char *s, size_t len, double *out) {
    int y = 0, mo, d, hh = 0, mi = 0, ss = 0, us = 0, off = 0;
    if (len < 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int k = 0; k < 4; k++) {
        if (!is_digit(s[k])) return 0;
        y = y * 10 + (s[k] - '0');
    }
    if (!two_digits(s + 5, &mo) || !two_digits(s + 8, &d)) return 0;
    size_t i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ') return 0;
        i++;
        if (len - i < 5 || !two_digits(s + i, &hh) || s[i + 2] != ':' || !two_digits(s + i + 3, &mi)) return 0;
        i += 5;
        if (i < len && s[i] == ':') {
            if (len - i < 3 || !two_digits(s + i + 1, &ss)) return 0;
            i += 3;
            if (i < len && s[i] == '.') { /* 1 to 9 digits, the first six kept: fromisoformat truncates */
                size_t j = 0;
                int v = 0;
                while (i + 1 + j < len && is_digit(s[i + 1 + j]) && j < 10) {
                    if (j < 6) v = v * 10 + (s[i + 1 + j] - '0');
                    j++;
                }
                if (j < 1 || j > 9) return 0;
                for (size_t k = j; k < 6; k++) v *= 10;
                us = v;
                i += 1 + j;
            }
        }
        if (i < len) {
            int oh, om;
            if (s[i] == 'Z' && i + 1 == len) {}
            else if ((s[i] == '+' || s[i] == '-') && len - i == 6 && two_digits(s + i + 1, &oh) && s[i + 3] == ':' &&
                     two_digits(s + i + 4, &om) && oh < 24 && om < 60)
                off = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            else return 0;
        }
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || hh > 23 || mi > 59 || ss > 59)
        return 0;
    int64_t seconds = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off;
    *out = (double)(seconds * 1000000 + us) / 1e6; /* timedelta.total_seconds(): exact until the last division */
    return 1;
}

/* digits[.digits]: float() of it, correctly rounded as Python's is: by one division when the digits make an exact
 * double (up to 2**53), else by the C library's strtod (correctly rounded in glibc and macOS); 0 otherwise. */
static int parse_epoch(const char *s, size_t len, double *out) {
    uint64_t mantissa = 0;
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_digit(s[i]) && ++digits <= 18) mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
    }
    if (digits <= 18 && mantissa <= (1ULL << 53)) return parse_time(s, len, out);
#ifdef HAVE_STRTOD_L
    char text[48];
    double value;
    if (len >= sizeof text || !c_locale || !parse_time(s, len, &value)) return 0; /* the same form, checked */
    memcpy(text, s, len);
    text[len] = 0;
    char *end;
    value = strtod_l(text, &end, c_locale);
    if (end != text + len) return 0;
    *out = value;
    return 1;
#else
    return 0;
#endif
}

static void scan_csv(Scanner *self, BlockResult *r, const char *p, size_t len) {
    if (memchr(p, '\r', len) || memchr(p, '\0', len)) { r->fallback = 1; return; } /* split otherwise in Python */
    if (csv_room(self, len) < 0) { r->nomem = 1; return; }
    Py_ssize_t n = csv_split(self, (const unsigned char *)p, len);
    if (n == -2) { defer(r, p, len); return; } /* a value over the limit (counted in characters): Python says */
    if (n < 0) { r->fallback = 1; return; }
    if (n <= self->width) {
        Py_ssize_t i = 0;
        while (i < n && self->field_len[i] == 0) i++;
        if (i == n) return; /* a blank record: skipped, not counted */
    }
#define VALUE(at, s, l)                                                             \
    do {                                                                            \
        if ((at) >= 0 && (at) < n) { s = self->field_start[at]; l = self->field_len[at]; } \
        else { s = p; l = 0; }                                                      \
    } while (0)
    const char *ts_text, *host, *who, *size_text;
    size_t ts_len, host_len, who_len, size_len;
    VALUE(self->at_ts, ts_text, ts_len);
    VALUE(self->at_host, host, host_len);
    VALUE(self->at_user, who, who_len);
    double ts;
    int64_t nbytes = 0;
    if (!strip_value(&ts_text, &ts_len) || !strip_value(&host, &host_len) ||
        !(parse_epoch(ts_text, ts_len, &ts) || parse_iso(ts_text, ts_len, &ts))) {
        defer(r, p, len);
        return;
    }
    if (self->at_bytes >= 0) {
        VALUE(self->at_bytes, size_text, size_len);
        if (size_len && (size_len > 15 || !parse_int(size_text, size_len, &nbytes) || size_text[0] == '+' ||
                         size_text[0] == '-')) {
            defer(r, p, len);
            return;
        }
    }
#undef VALUE
    r->lines++;
    const char *scheme = find_scheme(host, host_len);
    if (scheme) { /* authority_of(): after "://", up to the first '/', '?' or '#' */
        const char *a = scheme + 3, *e = host + host_len, *c = a;
        while (c < e && *c != '/' && *c != '?' && *c != '#') c++;
        host = a;
        host_len = (size_t)(c - a);
    }
    if (!host_len) { r->ignored++; return; } /* no host name */
    record(self, r, ts, who, who_len, host, host_len, nbytes);
}

/* ---- Zeek TSV: zeek.py's line reader, with the layout of the file's first header block ---- */

static int zeek_unset(const char *s, size_t len) { /* "-", "(empty)" or "": the unset and empty values */
    return len == 0 || (len == 1 && s[0] == '-') || (len == 7 && memcmp(s, "(empty)", 7) == 0);
}

static int starts_with(const char *p, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

/* int() of a byte count as zeek.py's _int reads it: 0 for an unset value; 0 when it cannot say (defer). */
static int zeek_count(const char *s, size_t len, int64_t *out) {
    if (zeek_unset(s, len)) { *out = 0; return 1; }
    if (len > 18) return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i])) return 0;
    return parse_int(s, len, out);
}

static void scan_zeek(Scanner *self, BlockResult *r, const char *p, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x80 || c == '\r' || c == '\0') { defer(r, p, len); return; }
    }
    if (len && p[0] == '#') {
        if (starts_with(p, len, "#separator") || starts_with(p, len, "#fields") || starts_with(p, len, "#unset_field"))
            r->fallback = 1; /* another header block: the layout may change */
        return; /* #types, #path, #open, #close...: not data */
    }
    size_t k = 0;
    while (k < len && is_py_space((unsigned char)p[k])) k++;
    if (k == len) return; /* blank */
    if (p[k] == '{') { defer(r, p, len); return; } /* a JSON record */
    const char *start[64];
    size_t size[64];
    Py_ssize_t n = 0;
    const char *q = p, *end = p + len;
    for (;;) {
        const char *sep = memchr(q, self->delimiter, (size_t)(end - q));
        if (n < 64) {
            start[n] = q;
            size[n] = (size_t)((sep ? sep : end) - q);
        }
        n++;
        if (!sep) break;
        q = sep + 1;
    }
    if (n != self->width || n > 64) {
        if (n > 64 && n == self->width) { defer(r, p, len); return; } /* wider than the scanner keeps */
        r->lines++;
        bad(r, r->physical, REASON_FORMAT, p, len);
        return;
    }
    if (self->at_ts < 0) { r->lines++; bad(r, r->physical, REASON_TIME, p, len); return; }
    double ts;
    if (!parse_epoch(start[self->at_ts], size[self->at_ts], &ts)) { defer(r, p, len); return; }
    int64_t nbytes = 0, more = 0;
    if ((self->at_bytes >= 0 && !zeek_count(start[self->at_bytes], size[self->at_bytes], &nbytes)) ||
        (self->at_bytes2 >= 0 && !zeek_count(start[self->at_bytes2], size[self->at_bytes2], &more))) {
        defer(r, p, len);
        return;
    }
    r->lines++;
    const char *host = self->at_host >= 0 ? start[self->at_host] : p;
    size_t host_len = self->at_host >= 0 ? size[self->at_host] : 0;
    if (zeek_unset(host, host_len)) { r->ignored++; return; } /* a TLS session without SNI, a request without Host */
    const char *who = self->at_user >= 0 ? start[self->at_user] : p;
    size_t who_len = self->at_user >= 0 ? size[self->at_user] : 0;
    if (zeek_unset(who, who_len)) {
        who = self->at_orig >= 0 ? start[self->at_orig] : p;
        who_len = self->at_orig >= 0 ? size[self->at_orig] : 0;
    }
    record(self, r, ts, who, who_len, host, host_len, nbytes + more);
}

/* ---- AdGuard Home's querylog.json: one JSON object per line, read as json.loads and dns.py read it ---- */

/* A strict reader of the JSON the scanner decides: any string with an escape or a control character, a nesting
 * over 32, or anything else json.loads might read otherwise (NaN, Infinity) makes it hand the line back. */
typedef struct {
    const char *p, *end;
} Cursor;

static void json_space(Cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int json_string(Cursor *c, const char **s, size_t *n) {
    const char *a = ++c->p;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            *s = a;
            *n = (size_t)(c->p - a);
            c->p++;
            return 1;
        }
        if (ch == '\\' || ch < 0x20) return 0;
        c->p++;
    }
    return 0;
}

static int json_digits(Cursor *c) {
    const char *a = c->p;
    while (c->p < c->end && is_digit(*c->p)) c->p++;
    return c->p > a;
}

static int json_number(Cursor *c) { /* -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
    if (c->p < c->end && *c->p == '-') c->p++;
    if (c->p < c->end && *c->p == '0') c->p++;
    else if (!json_digits(c)) return 0;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!json_digits(c)) return 0;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) c->p++;
        if (!json_digits(c)) return 0;
    }
    return 1;
}

static int json_word(Cursor *c, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return 0;
    c->p += n;
    return 1;
}

/* One value, skipped; when it is a string, its text in s/n (s NULL for any other value). */
static int json_value(Cursor *c, int depth, const char **s, size_t *n) {
    *s = NULL;
    json_space(c);
    if (c->p >= c->end || depth > 32) return 0;
    char ch = *c->p;
    if (ch == '"') return json_string(c, s, n);
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        c->p++;
        json_space(c);
        if (c->p < c->end && *c->p == close) { c->p++; return 1; }
        for (;;) {
            const char *v;
            size_t vn;
            if (ch == '{') {
                json_space(c);
                if (c->p >= c->end || *c->p != '"' || !json_string(c, &v, &vn)) return 0;
                json_space(c);
                if (c->p >= c->end || *c->p != ':') return 0;
                c->p++;
            }
            if (!json_value(c, depth + 1, &v, &vn)) return 0;
            json_space(c);
            if (c->p < c->end && *c->p == ',') { c->p++; continue; }
            if (c->p < c->end && *c->p == close) { c->p++; return 1; }
            return 0;
        }
    }
    if (ch == 't') return json_word(c, "true");
    if (ch == 'f') return json_word(c, "false");
    if (ch == 'n') return json_word(c, "null");
    return json_number(c);
}

static void scan_adguard(Scanner *self, BlockResult *r, const char *p, size_t len) {
    size_t k = 0;
    int ascii = 1;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)p[i] >= 0x80) ascii = 0;
    }
    while (k < len && is_py_space((unsigned char)p[k])) k++;
    if (k == len && ascii) return; /* blank */
    if (!ascii) { defer(r, p, len); return; }
    Cursor c = {p, p + len};
    json_space(&c);
    const char *t = NULL, *host = NULL, *client = "";
    size_t t_len = 0, host_len = 0, client_len = 0;
    int t_string = 0, host_string = 0, client_string = 1;
    if (c.p >= c.end || *c.p != '{') goto python;
    c.p++;
    json_space(&c);
    if (c.p < c.end && *c.p == '}') c.p++;
    else {
        for (;;) {
            const char *key, *v;
            size_t key_len, vn;
            json_space(&c);
            if (c.p >= c.end || *c.p != '"' || !json_string(&c, &key, &key_len)) goto python;
            json_space(&c);
            if (c.p >= c.end || *c.p != ':') goto python;
            c.p++;
            if (!json_value(&c, 1, &v, &vn)) goto python;
            if (key_len == 1 && key[0] == 'T') { t = v; t_len = vn; t_string = v != NULL; }
            else if (key_len == 2 && key[0] == 'Q' && key[1] == 'H') { host = v; host_len = vn; host_string = v != NULL; }
            else if (key_len == 2 && key[0] == 'I' && key[1] == 'P') {
                client = v;
                client_len = vn;
                client_string = v != NULL;
            }
            json_space(&c);
            if (c.p < c.end && *c.p == ',') { c.p++; continue; }
            if (c.p < c.end && *c.p == '}') { c.p++; break; }
            goto python;
        }
    }
    json_space(&c);
    double ts;
    if (c.p != c.end || !t_string || !host_string || !client_string || !parse_iso(t, t_len, &ts)) goto python;
    r->lines++;
    record(self, r, ts, client, client_len, host, host_len, 0);
    return;
python:
    defer(r, p, len);
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
    while (p < end && !r.nomem && !r.fallback) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t len = (size_t)(e - p);
        if (len && p[len - 1] == '\r') len--;
        r.physical++;
        if (self->format == FORMAT_SQUID) scan_squid(self, &r, p, len);
        else if (self->format == FORMAT_DNSMASQ) scan_dnsmasq(self, &r, p, len);
        else if (self->format == FORMAT_CSV) scan_csv(self, &r, p, len);
        else if (self->format == FORMAT_UNBOUND) scan_unbound(self, &r, p, len);
        else if (self->format == FORMAT_BIND) scan_bind(self, &r, p, len);
        else if (self->format == FORMAT_ADGUARD) scan_adguard(self, &r, p, len);
        else scan_zeek(self, &r, p, len);
        if (r.fallback) break;
        p = nl ? nl + 1 : end;
    }
    flush(self, &r); /* the block's last requests: columns() and the next block see every total */
    Py_END_ALLOW_THREADS
    self->busy = 0;
    PyObject *samples = NULL, *deferred = NULL, *out = NULL;
    if (r.nomem) { PyErr_NoMemory(); goto done; }
    samples = PyList_New(0);
    if (!samples) goto done;
    for (int i = 0; i < r.nsamples; i++) {
        Sample *s = &r.samples[i];
        PyObject *item = Py_BuildValue("(niy#)", s->line, s->reason, s->start, (Py_ssize_t)s->len);
        if (!item || PyList_Append(samples, item) < 0) { Py_XDECREF(item); goto done; }
        Py_DECREF(item);
    }
    deferred = PyList_New((Py_ssize_t)r.ndeferred);
    if (!deferred) goto done;
    for (size_t i = 0; i < r.ndeferred; i++) {
        Deferred *d = &r.deferred[i];
        PyObject *item = Py_BuildValue("(ny#)", d->line, d->start, (Py_ssize_t)d->len);
        if (!item) goto done;
        PyList_SET_ITEM(deferred, (Py_ssize_t)i, item);
    }
    out = Py_BuildValue("(nnnOnOO)", r.physical, r.lines, r.malformed, samples, r.ignored, deferred,
                        r.fallback ? Py_True : Py_False);
done:
    free(r.deferred);
    Py_XDECREF(samples);
    Py_XDECREF(deferred);
    PyBuffer_Release(&view);
    return out;
}

/* The totals as columns, each a bytes object, filled in one pass over the table (it is much larger than the
 * cache: one pass per column would read it seven times). */
static PyObject *Scanner_columns(Scanner *self, PyObject *Py_UNUSED(ignored)) {
    PyObject *whos = strings_list(&self->whos);
    PyObject *auths = whos ? strings_list(&self->auths) : NULL;
    PyObject *cols[7] = {NULL};
    PyObject *out = NULL;
    if (!auths) goto done;
    const size_t widths[7] = {4, 4, 4, 8, 8, 8, 8};
    for (int k = 0; k < 7; k++)
        if (!(cols[k] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(self->used * widths[k])))) goto done;
    int32_t *day = (int32_t *)PyBytes_AS_STRING(cols[0]);
    uint32_t *who = (uint32_t *)PyBytes_AS_STRING(cols[1]), *auth = (uint32_t *)PyBytes_AS_STRING(cols[2]);
    int64_t *n = (int64_t *)PyBytes_AS_STRING(cols[3]), *nbytes = (int64_t *)PyBytes_AS_STRING(cols[4]);
    double *first = (double *)PyBytes_AS_STRING(cols[5]), *last = (double *)PyBytes_AS_STRING(cols[6]);
    size_t j = 0;
    for (size_t i = 0; i < self->cap; i++) {
        const Entry *e = &self->table[i];
        if (!e->used) continue;
        day[j] = e->day;
        who[j] = e->who;
        auth[j] = e->auth;
        n[j] = e->n;
        nbytes[j] = e->nbytes;
        first[j] = e->first;
        last[j] = e->last;
        j++;
    }
    out = Py_BuildValue("(OOOOOOOOO)", whos, auths, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]);
done:
    Py_XDECREF(whos);
    Py_XDECREF(auths);
    for (int k = 0; k < 7; k++) Py_XDECREF(cols[k]);
    return out;
}

static int Scanner_init(Scanner *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"format", "year", "file_month", "delimiter", "quotechar", "doublequote",
                            "skipinitialspace", "width", "at_ts", "at_user", "at_host", "at_bytes", "at_orig",
                            "at_bytes2", NULL};
    const char *format = "squid";
    self->year = 1970;
    self->file_month = 12;
    self->delimiter = ',';
    self->quotechar = '"';
    self->doublequote = 1;
    self->skipinitialspace = 0;
    self->width = 0;
    self->at_ts = self->at_user = self->at_host = self->at_bytes = self->at_orig = self->at_bytes2 = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|siiiippnnnnnnn", names, &format, &self->year,
                                     &self->file_month, &self->delimiter, &self->quotechar, &self->doublequote,
                                     &self->skipinitialspace, &self->width, &self->at_ts, &self->at_user,
                                     &self->at_host, &self->at_bytes, &self->at_orig, &self->at_bytes2))
        return -1;
    if (strcmp(format, "squid") == 0) self->format = FORMAT_SQUID;
    else if (strcmp(format, "dnsmasq") == 0) self->format = FORMAT_DNSMASQ;
    else if (strcmp(format, "csv") == 0) self->format = FORMAT_CSV;
    else if (strcmp(format, "zeek") == 0) self->format = FORMAT_ZEEK;
    else if (strcmp(format, "unbound") == 0) self->format = FORMAT_UNBOUND;
    else if (strcmp(format, "bind") == 0) self->format = FORMAT_BIND;
    else if (strcmp(format, "adguard") == 0) self->format = FORMAT_ADGUARD;
    else {
        PyErr_Format(PyExc_ValueError, "unknown log format %s (squid, dnsmasq, csv, zeek, unbound, bind, adguard)",
                     format);
        return -1;
    }
    if (self->format == FORMAT_ZEEK && (self->delimiter < 1 || self->delimiter > 127)) {
        PyErr_SetString(PyExc_ValueError, "the Zeek separator must be one ASCII character");
        return -1;
    }
    if (self->format == FORMAT_CSV && (self->delimiter < 0 || self->delimiter > 127 || self->quotechar > 127 ||
                                       self->delimiter == self->quotechar)) {
        PyErr_SetString(PyExc_ValueError, "the CSV delimiter and quote character must be distinct ASCII characters");
        return -1;
    }
    return 0;
}

static void Scanner_dealloc(Scanner *self) {
    free(self->scratch);
    free(self->field_start);
    free(self->field_len);
    free(self->table);
    strings_free(&self->whos);
    strings_free(&self->auths);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Scanner_methods[] = {
    {"scan", (PyCFunction)Scanner_scan, METH_VARARGS,
     "scan(block) -> (physical lines, lines, malformed, samples, ignored, deferred, fallback): add a block of\n"
     "whole lines to the totals. samples: (line within the block, reason: 1 format / 2 unreadable, raw bytes) of\n"
     "the first malformed lines; ignored: lines read but skipped on purpose (a DNS reply, a CSV line without a\n"
     "host); deferred: (line within the block, raw bytes) of the lines left to the Python reader (not counted in\n"
     "lines); fallback: the block holds a CSV line the csv module reads across lines: read the file in Python."},
    {"columns", (PyCFunction)Scanner_columns, METH_NOARGS,
     "columns() -> (users, authorities, day, user, authority, requests, bytes, first, last): the distinct users and\n"
     "authorities (lists of str), then one bytes object per column of the totals, in native byte order: day, user\n"
     "and authority as int32/uint32/uint32 (user and authority index the lists), requests and bytes as int64,\n"
     "first and last as float64."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mue.discovery._logscan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(format='squid', year, file_month, delimiter, quotechar, doublequote, skipinitialspace, "
               "width, at_ts, at_user, at_host, at_bytes, at_orig, at_bytes2): totals per (day, user, authority) of log\n"
               "lines (see the module's source for what each format reads).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_logscan",
    .m_doc = "Log scanner of the discovery readers (Squid, dnsmasq, CSV).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__logscan(void) {
    if (PyType_Ready(&ScannerType) < 0) return NULL;
#ifdef HAVE_STRTOD_L
    if (!c_locale) c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); /* none: long numbers are deferred */
#endif
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
