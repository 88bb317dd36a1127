/*
 * db.h - the smallest SQL layer that lets one store run on SQLite and on
 * PostgreSQL.
 *
 * The store speaks SQL with '?' placeholders through prepared statements
 * only (no value is ever pasted into SQL text).  SQLite runs the statements
 * as they are; the PostgreSQL side rewrites '?' to $1, $2, ... once, at
 * prepare time, sends every value as text (PostgreSQL infers the types from
 * the columns) and reads rows in single-row mode, so exporting a million
 * events does not hold them all in memory.
 *
 * Why not an ORM or a generic driver: two backends, a dozen statements, and
 * both already agree on the SQL we need (ON CONFLICT, RETURNING, substr,
 * sum/count); the few dialect differences (DDL, full-text search) are chosen
 * by db_kind() where they occur.
 *
 * A db and its statements belong to one thread at a time.
 */
#ifndef DYAD_STORE_DB_H
#define DYAD_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_kind { DB_SQLITE, DB_POSTGRES };

/* True when target names a PostgreSQL database (postgresql:// or postgres://). */
int db_is_postgres_uri(const char *target);

/* Opens (creating if needed) the SQLite file at target, or connects to the
 * PostgreSQL URI.  NULL with err set on failure. */
db *db_open(const char *target, char *err, size_t errlen);
void db_close(db *d);
int db_kind(const db *d);

/* Runs one or more statements without parameters (DDL, PRAGMA, BEGIN).
 * Returns 0, or -1 with err set. */
int db_exec(db *d, const char *sql, char *err, size_t errlen);

/* Prepares one statement with '?' placeholders; NULL with err set. */
db_stmt *db_prepare(db *d, const char *sql, char *err, size_t errlen);
void db_finalize(db_stmt *st);

/* Parameters are 1-based.  A NULL text binds SQL NULL.  Text is copied
 * (SQLITE_TRANSIENT / our own buffer), so the caller's buffer may change
 * before db_step().  Return 0 or -1 when out of memory. */
int db_bind_text(db_stmt *st, int i, const char *s, size_t n);
int db_bind_str(db_stmt *st, int i, const char *s); /* NUL-terminated */
/* The same without the copy in SQLite: s must stay valid and unchanged until
 * the statement is stepped and reset (the bulk insert path: saves a malloc
 * and a memcpy per value). */
int db_bind_ref(db_stmt *st, int i, const char *s, size_t n);
int db_bind_sref(db_stmt *st, int i, const char *s);
int db_bind_int(db_stmt *st, int i, int64_t v);
int db_bind_double(db_stmt *st, int i, double v);

/* 1: a row is available; 0: done; -1: error (db_errmsg). */
int db_step(db_stmt *st);
/* Makes the statement ready to be bound and stepped again (bindings are kept
 * until rebound). */
void db_reset(db_stmt *st);

/* Columns are 0-based and valid until the next db_step/db_reset.  NULL reads
 * as "" / 0. */
const char *db_col_text(db_stmt *st, int col, size_t *len);
int64_t db_col_int(db_stmt *st, int col);
double db_col_double(db_stmt *st, int col);
int db_col_is_null(db_stmt *st, int col);

/* The last error of the connection (or of the statement's connection). */
const char *db_errmsg(const db *d);
const char *db_stmt_errmsg(const db_stmt *st);

#endif
