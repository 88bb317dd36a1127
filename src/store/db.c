/*
 * db.c - SQLite and PostgreSQL behind one prepared-statement interface
 * (see db.h for why the layer exists and what it promises).
 *
 * Each function switches on the backend.  SQLite maps one to one.  For
 * PostgreSQL a statement is PQprepare'd under a generated name; db_step()
 * sends it with PQsendQueryPrepared in single-row mode on the first call and
 * hands out one row per call, so memory stays flat whatever the result size.
 */
#include "store/db.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db {
    int kind;
    sqlite3 *lite;
    PGconn *pg;
    unsigned next_name; /* PostgreSQL prepared-statement names */
    char errbuf[512];
};

struct db_stmt {
    db *owner;
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char name[24];
    int nparams;
    char **params;   /* owned text of each parameter, NULL = SQL NULL */
    PGresult *row;   /* the current single-row result */
    int running;     /* a query was sent and its results are not yet drained */
};

static void set_err(char *err, size_t errlen, const char *what, const char *detail)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, detail);
}

int db_is_postgres_uri(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* PostgreSQL NOTICEs (e.g. "relation already exists, skipping") are not
 * errors; keep them off the user's terminal. */
static void pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

db *db_open(const char *target, char *err, size_t errlen)
{
    db *d = calloc(1, sizeof *d);
    if (!d) {
        set_err(err, errlen, target, "out of memory");
        return NULL;
    }
    if (db_is_postgres_uri(target)) {
        d->kind = DB_POSTGRES;
        d->pg = PQconnectdb(target);
        if (!d->pg || PQstatus(d->pg) != CONNECTION_OK) {
            /* the URI may hold a password: name the server, not the URI */
            const char *msg = d->pg ? PQerrorMessage(d->pg) : "out of memory";
            char line[400];
            snprintf(line, sizeof line, "%s", msg);
            line[strcspn(line, "\n")] = '\0';
            set_err(err, errlen, "cannot connect to PostgreSQL", line);
            PQfinish(d->pg);
            free(d);
            return NULL;
        }
        PQsetNoticeProcessor(d->pg, pg_quiet, NULL);
        return d;
    }
    d->kind = DB_SQLITE;
    int rc = sqlite3_open_v2(target, &d->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, target, d->lite ? sqlite3_errmsg(d->lite) : "out of memory");
        sqlite3_close(d->lite);
        free(d);
        return NULL;
    }
    sqlite3_extended_result_codes(d->lite, 1);
    /* another dyad writing the same file: wait for its batch instead of failing */
    sqlite3_busy_timeout(d->lite, 10000);
    return d;
}

void db_close(db *d)
{
    if (!d)
        return;
    if (d->kind == DB_SQLITE)
        sqlite3_close(d->lite);
    else
        PQfinish(d->pg);
    free(d);
}

int db_kind(const db *d) { return d->kind; }

const char *db_errmsg(const db *d)
{
    if (d->kind == DB_SQLITE)
        return sqlite3_errmsg(d->lite);
    if (d->errbuf[0])
        return d->errbuf;
    return PQerrorMessage(d->pg);
}

const char *db_stmt_errmsg(const db_stmt *st) { return db_errmsg(st->owner); }

/* Copies a PostgreSQL message into d->errbuf without its trailing newline. */
static void pg_remember(db *d, const char *msg)
{
    snprintf(d->errbuf, sizeof d->errbuf, "%s", msg ? msg : "unknown error");
    size_t n = strlen(d->errbuf);
    while (n && (d->errbuf[n - 1] == '\n' || d->errbuf[n - 1] == ' '))
        d->errbuf[--n] = '\0';
}

int db_exec(db *d, const char *sql, char *err, size_t errlen)
{
    if (d->kind == DB_SQLITE) {
        char *msg = NULL;
        if (sqlite3_exec(d->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
            set_err(err, errlen, "SQLite", msg ? msg : sqlite3_errmsg(d->lite));
            sqlite3_free(msg);
            return -1;
        }
        return 0;
    }
    PGresult *r = PQexec(d->pg, sql);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    if (!ok) {
        pg_remember(d, r ? PQresultErrorMessage(r) : PQerrorMessage(d->pg));
        set_err(err, errlen, "PostgreSQL", d->errbuf);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

/* Rewrites '?' placeholders to $1..$n outside quoted literals and identifiers. */
static char *pg_placeholders(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1); /* "?" -> "$NNN" at most 4x */
    if (!out)
        return NULL;
    size_t k = 0;
    int count = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            out[k++] = c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out[k++] = c;
        } else if (c == '?' && count < 999) {
            k += (size_t)sprintf(out + k, "$%d", ++count);
        } else {
            out[k++] = c;
        }
    }
    out[k] = '\0';
    *nparams = count;
    return out;
}

db_stmt *db_prepare(db *d, const char *sql, char *err, size_t errlen)
{
    db_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        set_err(err, errlen, "prepare", "out of memory");
        return NULL;
    }
    st->owner = d;
    if (d->kind == DB_SQLITE) {
        if (sqlite3_prepare_v2(d->lite, sql, -1, &st->lite, NULL) != SQLITE_OK) {
            set_err(err, errlen, "SQLite", sqlite3_errmsg(d->lite));
            free(st);
            return NULL;
        }
        return st;
    }
    char *text = pg_placeholders(sql, &st->nparams);
    if (!text || (st->nparams && !(st->params = calloc((size_t)st->nparams, sizeof *st->params)))) {
        free(text);
        free(st);
        set_err(err, errlen, "prepare", "out of memory");
        return NULL;
    }
    snprintf(st->name, sizeof st->name, "dyad_%u", d->next_name++);
    PGresult *r = PQprepare(d->pg, st->name, text, 0, NULL);
    free(text);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_remember(d, r ? PQresultErrorMessage(r) : PQerrorMessage(d->pg));
        set_err(err, errlen, "PostgreSQL", d->errbuf);
        PQclear(r);
        free(st->params);
        free(st);
        return NULL;
    }
    PQclear(r);
    return st;
}

static void pg_drain(db_stmt *st)
{
    PQclear(st->row);
    st->row = NULL;
    if (st->running) {
        PGresult *r;
        while ((r = PQgetResult(st->owner->pg)) != NULL)
            PQclear(r);
        st->running = 0;
    }
}

void db_finalize(db_stmt *st)
{
    if (!st)
        return;
    if (st->owner->kind == DB_SQLITE) {
        sqlite3_finalize(st->lite);
    } else {
        pg_drain(st);
        /* DEALLOCATE needs the name as an identifier; names are ours ("dyad_N") */
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->owner->pg, sql));
        for (int i = 0; i < st->nparams; i++)
            free(st->params[i]);
        free(st->params);
    }
    free(st);
}

static int pg_set_param(db_stmt *st, int i, char *owned)
{
    if (i < 1 || i > st->nparams) {
        free(owned);
        return -1;
    }
    free(st->params[i - 1]);
    st->params[i - 1] = owned;
    return 0;
}

int db_bind_text(db_stmt *st, int i, const char *s, size_t n)
{
    if (st->owner->kind == DB_SQLITE) {
        int rc = s ? sqlite3_bind_text64(st->lite, i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8)
                   : sqlite3_bind_null(st->lite, i);
        return rc == SQLITE_OK ? 0 : -1;
    }
    char *copy = NULL;
    if (s) {
        copy = malloc(n + 1);
        if (!copy)
            return -1;
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return pg_set_param(st, i, copy);
}

int db_bind_str(db_stmt *st, int i, const char *s)
{
    return db_bind_text(st, i, s, s ? strlen(s) : 0);
}

int db_bind_ref(db_stmt *st, int i, const char *s, size_t n)
{
    if (st->owner->kind == DB_SQLITE) {
        int rc = s ? sqlite3_bind_text64(st->lite, i, s, n, SQLITE_STATIC, SQLITE_UTF8)
                   : sqlite3_bind_null(st->lite, i);
        return rc == SQLITE_OK ? 0 : -1;
    }
    return db_bind_text(st, i, s, n);
}

int db_bind_sref(db_stmt *st, int i, const char *s)
{
    return db_bind_ref(st, i, s, s ? strlen(s) : 0);
}

int db_bind_int(db_stmt *st, int i, int64_t v)
{
    if (st->owner->kind == DB_SQLITE)
        return sqlite3_bind_int64(st->lite, i, v) == SQLITE_OK ? 0 : -1;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    char *copy = strdup(buf);
    return copy ? pg_set_param(st, i, copy) : -1;
}

int db_bind_double(db_stmt *st, int i, double v)
{
    if (st->owner->kind == DB_SQLITE)
        return sqlite3_bind_double(st->lite, i, v) == SQLITE_OK ? 0 : -1;
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    char *copy = strdup(buf);
    return copy ? pg_set_param(st, i, copy) : -1;
}

int db_step(db_stmt *st)
{
    db *d = st->owner;
    if (d->kind == DB_SQLITE) {
        int rc = sqlite3_step(st->lite);
        if (rc == SQLITE_ROW)
            return 1;
        if (rc == SQLITE_DONE)
            return 0;
        return -1;
    }
    PQclear(st->row);
    st->row = NULL;
    if (!st->running) {
        d->errbuf[0] = '\0';
        if (!PQsendQueryPrepared(d->pg, st->name, st->nparams, (const char *const *)st->params,
                                 NULL, NULL, 0)) {
            pg_remember(d, PQerrorMessage(d->pg));
            return -1;
        }
        PQsetSingleRowMode(d->pg);
        st->running = 1;
    }
    PGresult *r = PQgetResult(d->pg);
    if (!r) {
        st->running = 0;
        return 0;
    }
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        st->row = r;
        return 1;
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
        PQclear(r);
        pg_drain(st);
        return 0;
    default:
        pg_remember(d, PQresultErrorMessage(r));
        PQclear(r);
        pg_drain(st);
        return -1;
    }
}

void db_reset(db_stmt *st)
{
    if (st->owner->kind == DB_SQLITE)
        sqlite3_reset(st->lite);
    else
        pg_drain(st);
}

const char *db_col_text(db_stmt *st, int col, size_t *len)
{
    const char *s = NULL;
    size_t n = 0;
    if (st->owner->kind == DB_SQLITE) {
        s = (const char *)sqlite3_column_text(st->lite, col);
        n = s ? (size_t)sqlite3_column_bytes(st->lite, col) : 0;
    } else if (st->row && col < PQnfields(st->row) && !PQgetisnull(st->row, 0, col)) {
        s = PQgetvalue(st->row, 0, col);
        n = (size_t)PQgetlength(st->row, 0, col);
    }
    if (len)
        *len = s ? n : 0;
    return s ? s : "";
}

int64_t db_col_int(db_stmt *st, int col)
{
    if (st->owner->kind == DB_SQLITE)
        return sqlite3_column_int64(st->lite, col);
    return strtoll(db_col_text(st, col, NULL), NULL, 10);
}

double db_col_double(db_stmt *st, int col)
{
    if (st->owner->kind == DB_SQLITE)
        return sqlite3_column_double(st->lite, col);
    return strtod(db_col_text(st, col, NULL), NULL);
}

int db_col_is_null(db_stmt *st, int col)
{
    if (st->owner->kind == DB_SQLITE)
        return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
    return !st->row || col >= PQnfields(st->row) || PQgetisnull(st->row, 0, col);
}
