/*
 * newsdb._rank: an FTS5 ranking function, newsdb_bm25, for newsdb's own connections.
 *
 * Why: FTS5's bm25() weighs each phrase by its inverse document frequency, and it counts
 * that frequency by walking the phrase's whole doclist once per statement, whatever the
 * statement's rowid bound. newsdb ranks only the newest 1,000 matches of a search, yet at
 * a million articles a common word cost 22-25 ms of walking before the first row was
 * ranked (docs/performance.md, twelfth and thirteenth rounds).
 *
 * newsdb_bm25 scores a row exactly as bm25() does (Robertson-Sparck Jones IDF, k1 = 1.2,
 * b = 0.75, one weight per column, the score negated so that smaller is better). The
 * difference is the document frequency of a phrase: given the table's first rowid, its
 * rowid span and a sample size S, the walk stops after S matches and the frequency is
 * estimated from how many rowids those S matches took to find (S * span / rowids walked).
 * A phrase with fewer than S matches is counted exactly, so on small tables the scores
 * equal bm25()'s. Without those three arguments every phrase is counted exactly.
 *
 *     newsdb_bm25(fts_table, weight_1, ..., weight_ncol [, first_rowid, span, sample])
 *
 * Python's sqlite3 module cannot register an FTS5 function, so this module does it the way
 * SQLite's own extensions do: install() registers an automatic extension (a public SQLite
 * API) whose entry point runs for every connection opened afterwards in this process and
 * adds the function through the fts5_api pointer. It links the same libsqlite3 as
 * Python's _sqlite3; where the two are different copies (a statically linked _sqlite3),
 * the function never appears on Python's connections and newsdb.ranking falls back to
 * bm25().
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <sqlite3.h>

#ifndef NEWSDB_RANK_SOURCE
#define NEWSDB_RANK_SOURCE ""
#endif

#define K1 1.2
#define B 0.75

/* What a statement computes once, on its first row: the average row length and each
 * phrase's IDF. */
typedef struct {
    int n_phrase;
    double avg_len;
    double *idf;  /* n_phrase values */
    double *freq; /* n_phrase values: scratch space for a row's weighted hit counts */
} Statement;

typedef struct {
    int limit; /* stop after this many matches; 0: walk them all */
    int count;
    sqlite3_int64 last; /* rowid of the last match seen */
} Walk;

static int
count_match(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
    Walk *walk = (Walk *)user;
    walk->count++;
    walk->last = api->xRowid(fts);
    if (walk->limit > 0 && walk->count >= walk->limit) {
        return SQLITE_DONE; /* xQueryPhrase stops and returns SQLITE_OK */
    }
    return SQLITE_OK;
}

static void
free_statement(void *p)
{
    Statement *st = (Statement *)p;
    if (st) {
        sqlite3_free(st->idf);
        sqlite3_free(st);
    }
}

/* The number of rows that hold phrase `i`: counted, or estimated from a sample. */
static int
phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, int i, int sampled,
            sqlite3_int64 first, sqlite3_int64 span, int sample, sqlite3_int64 rows,
            double *out)
{
    Walk walk = {sampled ? sample : 0, 0, 0};
    int rc = api->xQueryPhrase(fts, i, (void *)&walk, count_match);
    if (rc != SQLITE_OK) {
        return rc;
    }
    if (!sampled || walk.count < sample) {
        *out = (double)walk.count;
        return SQLITE_OK;
    }
    double walked = (double)(walk.last - first + 1);
    double estimate = walked > 0 ? (double)sample * (double)span / walked : (double)rows;
    if (estimate < (double)sample) {
        estimate = (double)sample;
    }
    if (estimate > (double)rows) {
        estimate = (double)rows;
    }
    *out = estimate;
    return SQLITE_OK;
}

static int
prepare_statement(const Fts5ExtensionApi *api, Fts5Context *fts, int sampled,
                  sqlite3_int64 first, sqlite3_int64 span, int sample, Statement **out)
{
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) {
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    }
    if (rc != SQLITE_OK) {
        return rc;
    }
    int n = api->xPhraseCount(fts);
    Statement *st = sqlite3_malloc(sizeof(Statement));
    if (!st) {
        return SQLITE_NOMEM;
    }
    st->n_phrase = n;
    st->avg_len = rows > 0 ? (double)tokens / (double)rows : 1.0;
    st->idf = sqlite3_malloc64(sizeof(double) * 2 * (sqlite3_uint64)(n > 0 ? n : 1));
    if (!st->idf) {
        sqlite3_free(st);
        return SQLITE_NOMEM;
    }
    st->freq = st->idf + n;
    for (int i = 0; i < n; i++) {
        double holding = 0;
        rc = phrase_rows(api, fts, i, sampled, first, span, sample, rows, &holding);
        if (rc != SQLITE_OK) {
            free_statement(st);
            return rc;
        }
        double idf = log(((double)rows - holding + 0.5) / (holding + 0.5));
        /* A phrase in more than half the rows would count against a match: like bm25(),
         * give it a small positive weight instead. */
        st->idf[i] = idf > 0 ? idf : 1e-6;
    }
    *out = st;
    return SQLITE_OK;
}

static void
newsdb_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
            sqlite3_value **argv)
{
    int n_col = api->xColumnCount(fts);
    int sampled = argc >= n_col + 3;
    Statement *st = (Statement *)api->xGetAuxdata(fts, 0);
    if (!st) {
        sqlite3_int64 first = 0, span = 0;
        int sample = 0;
        if (sampled) {
            first = sqlite3_value_int64(argv[n_col]);
            span = sqlite3_value_int64(argv[n_col + 1]);
            sample = sqlite3_value_int(argv[n_col + 2]);
            sampled = sample > 0 && span > 0;
        }
        int rc = prepare_statement(api, fts, sampled, first, span, sample, &st);
        if (rc == SQLITE_OK) {
            rc = api->xSetAuxdata(fts, st, free_statement);
        }
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    for (int i = 0; i < st->n_phrase; i++) {
        st->freq[i] = 0;
    }
    int hits = 0;
    int rc = api->xInstCount(fts, &hits);
    for (int h = 0; rc == SQLITE_OK && h < hits; h++) {
        int phrase, col, offset;
        rc = api->xInst(fts, h, &phrase, &col, &offset);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < st->n_phrase) {
            st->freq[phrase] += col < argc ? sqlite3_value_double(argv[col]) : 1.0;
        }
    }
    int length = 0;
    if (rc == SQLITE_OK) {
        rc = api->xColumnSize(fts, -1, &length);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double norm = K1 * (1 - B + B * (double)length / st->avg_len);
    double score = 0;
    for (int i = 0; i < st->n_phrase; i++) {
        double f = st->freq[i];
        score += st->idf[i] * (f * (K1 + 1)) / (f + norm);
    }
    sqlite3_result_double(ctx, -score);
}

/* The automatic extension's entry point: runs inside sqlite3_open for each new connection.
 * It must not fail the open, so it reports nothing: a connection without FTS5, or where
 * the function could not be added, simply lacks newsdb_bm25. */
static int
add_function(sqlite3 *db, char **err, const void *routines)
{
    (void)err;
    (void)routines;
    fts5_api *fts5 = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return SQLITE_OK;
    }
    sqlite3_bind_pointer(stmt, 1, (void *)&fts5, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (fts5 && fts5->iVersion >= 2) {
        fts5->xCreateFunction(fts5, "newsdb_bm25", NULL, newsdb_bm25, NULL);
    }
    return SQLITE_OK;
}

static PyObject *
install(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    int rc = sqlite3_auto_extension((void (*)(void))add_function);
    if (rc != SQLITE_OK) {
        PyErr_Format(PyExc_RuntimeError, "sqlite3_auto_extension failed: %s",
                     sqlite3_errstr(rc));
        return NULL;
    }
    return PyLong_FromLong(sqlite3_libversion_number());
}

static PyMethodDef methods[] = {
    {"install", install, METH_NOARGS,
     "Add newsdb_bm25 to every SQLite connection opened from now on in this process.\n"
     "Returns the linked SQLite's version number."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "newsdb._rank",
    .m_doc = "newsdb_bm25: bm25() with sampled document frequencies (see newsdb/_rank.c).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__rank(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddStringConstant(m, "SOURCE_SHA256", NEWSDB_RANK_SOURCE) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
