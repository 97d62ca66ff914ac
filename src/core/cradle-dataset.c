/* cradle-dataset.c — the dataset store: SQLite beside the audio files
 *
 * Design notes (see also cradle-dataset.h):
 *
 * - Every SQL statement is prepared once and kept in a cache keyed by its
 *   text (`stmt()`); there is no SQL built from values anywhere, the list
 *   filter included (it binds NULL for "any").
 *
 * - Transactions. Outside a caller's transaction each write is its own
 *   BEGIN IMMEDIATE … COMMIT (IMMEDIATE takes the write lock up front, so the
 *   busy timeout applies there and never to a read-to-write upgrade, which
 *   SQLite cannot wait for in WAL mode). Inside cradle_dataset_begin() each
 *   write is a SAVEPOINT, so a failed call leaves the caller's transaction as
 *   it was.
 *
 * - Files and rows. A file is always in place before the row that names it
 *   is committed, and a file is removed only after the commit that stopped
 *   naming it. Each write records the files it created (removed again if
 *   its transaction rolls back) and the files it made obsolete (removed
 *   after the commit). So a kill leaves at worst a file no row names, or a
 *   temporary file, both removed by the next exclusive open.
 *
 * - Locking. DIR/.lock is flock()ed: at open we try LOCK_EX|LOCK_NB; when
 *   we get it no other CradleDataset (in any process) has the folder open,
 *   so files no row names are crash leftovers, not another writer's file
 *   between its rename and its commit, and we remove them. Then we hold
 *   LOCK_SH for the object's lifetime. When another holder prevents
 *   LOCK_EX we skip the cleanup and wait (up to the busy timeout) for
 *   LOCK_SH, which only conflicts with another open's brief cleanup. flock
 *   locks belong to the open file description, so two CradleDatasets in one
 *   process exclude each other like two processes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-dataset.h"
#include "cradle-dataset-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (cradle-dataset-error-quark, cradle_dataset_error)

/* PRAGMA application_id of a Cradle database: "CRAD". */
#define CRADLE_APPLICATION_ID 0x43524144
#define LOCK_NAME             ".lock"
#define AUDIO_DIR             "audio"
#define MAX_STEM              64
#define MAX_LABEL_NAME        64
/* Segments may end this far past the recording's duration (rounding). */
#define SEGMENT_SLACK         0.001

struct _CradleDataset {
  char        *dir;            /* absolute */
  char        *db_path;
  sqlite3     *db;
  int          lock_fd;
  guint        busy_timeout_ms;
  GHashTable  *stmts;          /* SQL text → sqlite3_stmt */
  gboolean     in_transaction; /* the caller's, from cradle_dataset_begin */
  GPtrArray   *tx_created;     /* absolute paths: removed on rollback */
  GPtrArray   *tx_obsolete;    /* absolute paths: removed after commit */
  guint        removed_at_open;
};

/* The files one write created and made obsolete. */
typedef struct {
  GPtrArray *created;
  GPtrArray *obsolete;
  gboolean   owned;   /* BEGIN … COMMIT (else a savepoint in the caller's) */
} Op;

static const struct {
  const char *name;
  gboolean    is_cry;
  const char *description;
} default_vocabulary[] = {
  { "hunger", TRUE, "Hunger" },
  { "pain", TRUE, "Pain, belly pain" },
  { "sleepy", TRUE, "Tired, sleepy" },
  { "diaper", TRUE, "Diaper, wet or dirty" },
  { "attention", TRUE, "Wants attention, to be held" },
  { "burping", TRUE, "Needs to burp" },
  { "discomfort", TRUE, "Discomfort: too hot, too cold, clothes" },
  { "cry", TRUE, "Cry, cause unknown" },
  { "background", FALSE, "Background noise" },
  { "laugh", FALSE, "Laughing, babbling" },
  { "speech", FALSE, "Adult speech" },
  { "silence", FALSE, "Silence" },
};

/* ---- Schema ------------------------------------------------------------- */

/* Version 1. Every later version adds one entry to `migrations`. */
static const char schema_v1[] =
  "CREATE TABLE vocabulary ("
  "  name        TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),"
  "  is_cry      INTEGER NOT NULL CHECK (is_cry IN (0, 1)),"
  "  description TEXT,"
  "  position    INTEGER NOT NULL"
  ");"
  "CREATE TABLE babies ("
  "  id         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  alias      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (alias <> ''),"
  "  birth_date TEXT,"
  "  age_band   TEXT,"
  "  gender     TEXT,"
  "  notes      TEXT,"
  "  created    TEXT NOT NULL"
  ");"
  /* AUTOINCREMENT: an id a person has seen is never reused. Babies are
   * RESTRICTed so that rows never vanish without their files. */
  "CREATE TABLE recordings ("
  "  id            INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  path          TEXT NOT NULL UNIQUE,"
  "  sha256        TEXT NOT NULL,"
  "  source_sha256 TEXT NOT NULL,"
  "  sample_rate   INTEGER NOT NULL CHECK (sample_rate > 0),"
  "  channels      INTEGER NOT NULL CHECK (channels > 0),"
  "  n_samples     INTEGER NOT NULL CHECK (n_samples >= 0),"
  "  duration      REAL NOT NULL CHECK (duration >= 0),"
  "  source        TEXT NOT NULL,"
  "  source_path   TEXT,"
  "  device        TEXT,"
  "  created       TEXT NOT NULL,"
  "  baby_id       INTEGER REFERENCES babies (id) ON DELETE RESTRICT,"
  "  group_key     TEXT NOT NULL,"
  "  notes         TEXT"
  ");"
  "CREATE INDEX recordings_baby ON recordings (baby_id);"
  "CREATE INDEX recordings_group ON recordings (group_key);"
  "CREATE INDEX recordings_sha256 ON recordings (sha256);"
  "CREATE INDEX recordings_source_sha256 ON recordings (source_sha256);"
  /* The clip label: at most one per recording; no row = no label. */
  "CREATE TABLE labels ("
  "  recording_id INTEGER PRIMARY KEY REFERENCES recordings (id) ON DELETE CASCADE,"
  "  label        TEXT REFERENCES vocabulary (name) ON UPDATE CASCADE ON DELETE RESTRICT,"
  "  status       TEXT NOT NULL CHECK (status IN ('confirmed', 'dont-know', 'predicted')),"
  "  labeler      TEXT,"
  "  confidence   REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),"
  "  updated      TEXT NOT NULL,"
  "  CHECK ((status = 'dont-know') = (label IS NULL))"
  ");"
  "CREATE INDEX labels_label ON labels (label);"
  "CREATE TABLE segments ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,"
  "  start        REAL NOT NULL,"
  "  end          REAL NOT NULL,"
  "  label        TEXT NOT NULL REFERENCES vocabulary (name) ON UPDATE CASCADE ON DELETE RESTRICT,"
  "  labeler      TEXT,"
  "  created      TEXT NOT NULL,"
  "  CHECK (start >= 0 AND end > start)"
  ");"
  "CREATE INDEX segments_recording ON segments (recording_id, start);"
  "CREATE INDEX segments_label ON segments (label);"
  /* Clip feature vectors: little-endian float32 (features, never audio). */
  "CREATE TABLE feature_cache ("
  "  sha256      TEXT NOT NULL,"
  "  config_hash TEXT NOT NULL,"
  "  n_values    INTEGER NOT NULL CHECK (n_values > 0),"
  "  vector      BLOB NOT NULL CHECK (length (vector) = 4 * n_values),"
  "  created     TEXT NOT NULL,"
  "  PRIMARY KEY (sha256, config_hash)"
  ") WITHOUT ROWID;"
  "CREATE TABLE models ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name         TEXT NOT NULL,"
  "  path         TEXT NOT NULL,"
  "  task         TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  config_hash  TEXT NOT NULL,"
  "  metrics      TEXT,"
  "  dataset_hash TEXT,"
  "  created      TEXT NOT NULL,"
  "  active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))"
  ");"
  "CREATE INDEX models_task ON models (task, active);"
  /* A monitor event belongs with its recording: deleting the recording (or
   * forgetting the baby) deletes the event. */
  "CREATE TABLE monitor_events ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  started         TEXT NOT NULL,"
  "  ended           TEXT,"
  "  peak_confidence REAL,"
  "  mean_confidence REAL,"
  "  causes          TEXT,"
  "  model_id        INTEGER REFERENCES models (id) ON DELETE SET NULL,"
  "  recording_id    INTEGER REFERENCES recordings (id) ON DELETE CASCADE,"
  "  reviewed        INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1))"
  ");"
  "CREATE INDEX monitor_events_started ON monitor_events (started);"
  "CREATE INDEX monitor_events_recording ON monitor_events (recording_id);";

static gboolean insert_default_vocabulary (CradleDataset *self, GError **error);

/* migrations[i] takes the schema from version i to i + 1. */
static const struct {
  const char *sql;
  gboolean  (*run) (CradleDataset *self, GError **error);
} migrations[] = {
  { schema_v1, insert_default_vocabulary },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CRADLE_DATASET_SCHEMA_VERSION);

/* ---- Small helpers ---------------------------------------------------- */

static char *
iso_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    dt = g_date_time_new_from_unix_utc (0);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
now_iso (void)
{
  return iso_time (g_get_real_time () / G_USEC_PER_SEC);
}

static void
set_io_error (GError     **error,
              int          saved_errno,
              const char  *format,
              const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IO,
               "%s “%s”: %s", format, display, g_strerror (saved_errno));
}

static void
fsync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0);

  if (fd >= 0)
    {
      g_fsync (fd);
      g_close (fd, NULL);
    }
}

/* mkdir -p with 0700 for what it creates. */
static gboolean
make_private_dir (const char  *path,
                  GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      set_io_error (error, errno, "Could not create the folder", path);
      return FALSE;
    }
  g_chmod (path, 0700);
  return TRUE;
}

static void
unlink_all (GPtrArray *paths)
{
  for (guint i = 0; i < paths->len; i++)
    if (g_unlink (g_ptr_array_index (paths, i)) != 0 && errno != ENOENT)
      g_warning ("Could not remove “%s”: %s", (const char *) g_ptr_array_index (paths, i),
                 g_strerror (errno));
}

static void
move_paths (GPtrArray *to,
            GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

/* ---- Statements and errors ------------------------------------------- */

static gboolean
is_busy (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* Sets ERROR from a failed SQLite call RC while doing WHAT. */
static void
set_sql_error (CradleDataset  *self,
               int             rc,
               const char     *what,
               GError        **error)
{
  const char *msg = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  g_autofree char *display = g_filename_display_name (self->db_path);

  if (is_busy (rc))
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_LOCKED,
                 "The database “%s” is locked by another program (waited %.1f s) while %s; "
                 "try again when it has finished",
                 display, self->busy_timeout_ms / 1000.0, what);
  else if ((rc & 0xff) == SQLITE_NOTADB)
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_DATASET,
                 "“%s” is not a Cradle dataset: it is not an SQLite database", display);
  else
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_SQL,
                 "Database error in “%s” while %s: %s", display, what, msg);
}

/* The cached prepared statement for SQL (a string literal), reset and with
 * its bindings cleared. A statement is used by one caller at a time: callers
 * collect results before running another query of the same text. */
static sqlite3_stmt *
stmt (CradleDataset  *self,
      const char     *sql,
      GError        **error)
{
  sqlite3_stmt *s = g_hash_table_lookup (self->stmts, sql);
  int rc;

  if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      return s;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (self, rc, "preparing a statement", error);
      return NULL;
    }
  g_hash_table_insert (self->stmts, (gpointer) sql, s);
  return s;
}

/* Steps S to completion (no rows expected) and resets it. */
static gboolean
step_done (CradleDataset  *self,
           sqlite3_stmt   *s,
           const char     *what,
           GError        **error)
{
  int rc = sqlite3_step (s);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sql_error (self, rc, what, error);
      sqlite3_reset (s);
      return FALSE;
    }
  sqlite3_reset (s);
  return TRUE;
}

/* Runs SQL (a literal without parameters). */
static gboolean
exec1 (CradleDataset  *self,
       const char     *sql,
       const char     *what,
       GError        **error)
{
  sqlite3_stmt *s = stmt (self, sql, error);

  return s != NULL && step_done (self, s, what, error);
}

/* Runs a script of several statements, each prepared and stepped (used by
 * migrations only; not cached). */
static gboolean
exec_script (CradleDataset  *self,
             const char     *sql,
             GError        **error)
{
  const char *tail = sql;

  while (tail != NULL && *tail != '\0')
    {
      sqlite3_stmt *s = NULL;
      int rc = sqlite3_prepare_v2 (self->db, tail, -1, &s, &tail);

      if (rc != SQLITE_OK)
        {
          set_sql_error (self, rc, "creating the schema", error);
          return FALSE;
        }
      if (s == NULL)
        break;
      rc = sqlite3_step (s);
      if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        {
          set_sql_error (self, rc, "creating the schema", error);
          sqlite3_finalize (s);
          return FALSE;
        }
      sqlite3_finalize (s);
    }
  return TRUE;
}

/* An integer from a one-row query without parameters. */
static gboolean
query_int (CradleDataset  *self,
           const char     *sql,
           gint64         *value,
           GError        **error)
{
  sqlite3_stmt *s = stmt (self, sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self, rc, "reading the database header", error);
      sqlite3_reset (s);
      return FALSE;
    }
  *value = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *s,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (s, i);
}

static char *
column_dup (sqlite3_stmt *s,
            int           i)
{
  const unsigned char *text = sqlite3_column_text (s, i);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* ---- Operations: transactions with their files ------------------------- */

static gboolean
op_begin (CradleDataset  *self,
          Op             *op,
          GError        **error)
{
  op->created = g_ptr_array_new_with_free_func (g_free);
  op->obsolete = g_ptr_array_new_with_free_func (g_free);
  op->owned = !self->in_transaction;
  if (op->owned)
    return exec1 (self, "BEGIN IMMEDIATE", "starting a transaction", error);
  return exec1 (self, "SAVEPOINT cradle_op", "starting a savepoint", error);
}

static void
op_clear (Op *op)
{
  g_clear_pointer (&op->created, g_ptr_array_unref);
  g_clear_pointer (&op->obsolete, g_ptr_array_unref);
}

/* Ends OP: commits (or releases the savepoint) when OK, else rolls back
 * and removes the files it created. Returns OK && the commit worked. */
static gboolean
op_end (CradleDataset  *self,
        Op             *op,
        gboolean        ok,
        GError        **error)
{
  if (ok)
    {
      if (op->owned)
        {
          ok = exec1 (self, "COMMIT", "committing", error);
          if (ok)
            unlink_all (op->obsolete);
        }
      else
        {
          ok = exec1 (self, "RELEASE cradle_op", "releasing a savepoint", error);
          if (ok)
            {
              move_paths (self->tx_created, op->created);
              move_paths (self->tx_obsolete, op->obsolete);
            }
        }
    }
  if (!ok)
    {
      if (op->owned)
        {
          if (!sqlite3_get_autocommit (self->db))
            exec1 (self, "ROLLBACK", "rolling back", NULL);
        }
      else
        {
          exec1 (self, "ROLLBACK TO cradle_op", "rolling back a savepoint", NULL);
          exec1 (self, "RELEASE cradle_op", "releasing a savepoint", NULL);
        }
      unlink_all (op->created);
    }
  op_clear (op);
  return ok;
}

/* ---- Vocabulary --------------------------------------------------------- */

static const char sql_vocab_insert[] =
  "INSERT INTO vocabulary (name, is_cry, description, position) VALUES (?1, ?2, ?3, "
  "(SELECT COALESCE (MAX (position) + 1, 0) FROM vocabulary))";

static gboolean
insert_default_vocabulary (CradleDataset  *self,
                           GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_vocabulary); i++)
    {
      sqlite3_stmt *s = stmt (self, sql_vocab_insert, error);

      if (s == NULL)
        return FALSE;
      bind_text (s, 1, default_vocabulary[i].name);
      sqlite3_bind_int (s, 2, default_vocabulary[i].is_cry);
      bind_text (s, 3, default_vocabulary[i].description);
      if (!step_done (self, s, "adding the default vocabulary", error))
        return FALSE;
    }
  return TRUE;
}

/* "hunger, pain, …" for messages. */
static char *
vocabulary_names (CradleDataset *self)
{
  g_autoptr(GString) names = g_string_new (NULL);
  sqlite3_stmt *s = stmt (self, "SELECT name FROM vocabulary ORDER BY position", NULL);

  if (s == NULL)
    return g_strdup ("?");
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, (const char *) sqlite3_column_text (s, 0));
    }
  sqlite3_reset (s);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
require_label (CradleDataset  *self,
               const char     *name,
               GError        **error)
{
  g_autofree char *names = NULL;

  if (cradle_dataset_lookup_label (self, name, NULL))
    return TRUE;
  names = vocabulary_names (self);
  g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
               "Label “%s” is not in the vocabulary of %s (%s)", name, self->dir, names);
  return FALSE;
}

static gboolean
validate_label_name (CradleDataset  *self,
                     const char     *name,
                     GError        **error)
{
  gsize len = strlen (name);

  if (len == 0 || len > MAX_LABEL_NAME ||
      name[strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789_-")] != '\0' ||
      name[0] == '-')
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "“%s” cannot be a label in %s: use 1–%d lower-case letters, digits, "
                   "“_” or “-”, not starting with “-”", name, self->dir, MAX_LABEL_NAME);
      return FALSE;
    }
  if (g_str_equal (name, CRADLE_DATASET_UNLABELED_DIR))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "“%s” cannot be a label in %s: the name is reserved for the folder "
                   "of recordings without a label", name, self->dir);
      return FALSE;
    }
  return TRUE;
}

void
cradle_label_info_free (CradleLabelInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->description);
  g_free (info);
}

GPtrArray *
cradle_dataset_list_labels (CradleDataset  *self,
                            GError        **error)
{
  g_autoptr(GPtrArray) labels = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  s = stmt (self, "SELECT name, is_cry, description FROM vocabulary ORDER BY position", error);
  if (s == NULL)
    return NULL;
  labels = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_label_info_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      CradleLabelInfo *info = g_new0 (CradleLabelInfo, 1);

      info->name = column_dup (s, 0);
      info->is_cry = sqlite3_column_int (s, 1) != 0;
      info->description = column_dup (s, 2);
      info->position = labels->len;
      g_ptr_array_add (labels, info);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "reading the vocabulary", error);
      return NULL;
    }
  return g_steal_pointer (&labels);
}

gboolean
cradle_dataset_lookup_label (CradleDataset  *self,
                             const char     *name,
                             gboolean       *is_cry)
{
  sqlite3_stmt *s;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  s = stmt (self, "SELECT is_cry FROM vocabulary WHERE name = ?1", NULL);
  if (s == NULL)
    return FALSE;
  bind_text (s, 1, name);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      found = TRUE;
      if (is_cry != NULL)
        *is_cry = sqlite3_column_int (s, 0) != 0;
    }
  sqlite3_reset (s);
  return found;
}

gboolean
cradle_dataset_add_label (CradleDataset  *self,
                          const char     *name,
                          gboolean        is_cry,
                          const char     *description,
                          GError        **error)
{
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!validate_label_name (self, name, error))
    return FALSE;
  if (cradle_dataset_lookup_label (self, name, NULL))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS,
                   "Label “%s” is already in the vocabulary of %s", name, self->dir);
      return FALSE;
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, sql_vocab_insert, error)) != NULL;
  if (ok)
    {
      bind_text (s, 1, name);
      sqlite3_bind_int (s, 2, is_cry ? 1 : 0);
      bind_text (s, 3, description);
      ok = step_done (self, s, "adding a label", error);
    }
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_set_label_is_cry (CradleDataset  *self,
                                 const char     *name,
                                 gboolean        is_cry,
                                 GError        **error)
{
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!cradle_dataset_lookup_label (self, name, NULL))
    {
      g_autofree char *names = vocabulary_names (self);

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "Label “%s” is not in the vocabulary of %s (%s)", name, self->dir, names);
      return FALSE;
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "UPDATE vocabulary SET is_cry = ?2 WHERE name = ?1", error)) != NULL;
  if (ok)
    {
      bind_text (s, 1, name);
      sqlite3_bind_int (s, 2, is_cry ? 1 : 0);
      ok = step_done (self, s, "changing a label", error);
    }
  return op_end (self, &op, ok, error);
}

/* Links the file at dataset-relative FROM into FOLDER (relative) under its
 * own name, or with "-N" before ".flac" when taken. The new relative path
 * in *TO. The link is recorded in OP->created. */
static gboolean
link_into_folder (CradleDataset  *self,
                  Op             *op,
                  const char     *from,
                  const char     *folder,
                  char          **to,
                  GError        **error);

/* Folder (relative) of a recording with clip label LABEL (nullable). */
static char *
label_folder (const char *label)
{
  return g_build_path ("/", AUDIO_DIR, label != NULL ? label : CRADLE_DATASET_UNLABELED_DIR, NULL);
}

typedef struct {
  gint64  id;
  char   *path;
  char   *sha256;
} FileRow;

static void
file_row_free (FileRow *row)
{
  g_free (row->path);
  g_free (row->sha256);
  g_free (row);
}

/* Recordings matching a one-parameter query returning (id, path, sha256). */
static GPtrArray *
collect_file_rows (CradleDataset  *self,
                   const char     *sql,
                   const char     *text_param,
                   gint64          int_param,
                   GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) file_row_free);
  sqlite3_stmt *s = stmt (self, sql, error);
  int rc;

  if (s == NULL)
    return NULL;
  if (text_param != NULL)
    bind_text (s, 1, text_param);
  else
    sqlite3_bind_int64 (s, 1, int_param);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      FileRow *row = g_new0 (FileRow, 1);

      row->id = sqlite3_column_int64 (s, 0);
      row->path = column_dup (s, 1);
      row->sha256 = column_dup (s, 2);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "reading recordings", error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
update_path (CradleDataset  *self,
             gint64          id,
             const char     *path,
             GError        **error)
{
  sqlite3_stmt *s = stmt (self, "UPDATE recordings SET path = ?2 WHERE id = ?1", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  bind_text (s, 2, path);
  return step_done (self, s, "moving a recording", error);
}

gboolean
cradle_dataset_rename_label (CradleDataset  *self,
                             const char     *old_name,
                             const char     *new_name,
                             GError        **error)
{
  Op op = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *folder = NULL;
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (old_name != NULL && new_name != NULL, FALSE);

  if (!cradle_dataset_lookup_label (self, old_name, NULL))
    {
      g_autofree char *names = vocabulary_names (self);

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "Label “%s” is not in the vocabulary of %s (%s)", old_name, self->dir, names);
      return FALSE;
    }
  if (g_str_equal (old_name, new_name))
    return TRUE;
  if (!validate_label_name (self, new_name, error))
    return FALSE;
  if (cradle_dataset_lookup_label (self, new_name, NULL))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS,
                   "Cannot rename “%s” to “%s” in %s: “%s” is already in the vocabulary",
                   old_name, new_name, self->dir, new_name);
      return FALSE;
    }

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  rows = collect_file_rows (self,
                            "SELECT r.id, r.path, r.sha256 FROM recordings r "
                            "JOIN labels l ON l.recording_id = r.id WHERE l.label = ?1 ORDER BY r.id",
                            old_name, 0, error);
  ok = rows != NULL;
  /* ON UPDATE CASCADE renames it in labels and segments. */
  if (ok && (ok = (s = stmt (self, "UPDATE vocabulary SET name = ?2 WHERE name = ?1", error)) != NULL))
    {
      bind_text (s, 1, old_name);
      bind_text (s, 2, new_name);
      ok = step_done (self, s, "renaming a label", error);
    }
  folder = label_folder (new_name);
  for (guint i = 0; ok && i < rows->len; i++)
    {
      FileRow *row = g_ptr_array_index (rows, i);
      g_autofree char *to = NULL;

      ok = link_into_folder (self, &op, row->path, folder, &to, error) &&
           update_path (self, row->id, to, error);
      if (ok)
        g_ptr_array_add (op.obsolete, cradle_dataset_resolve_path (self, row->path));
    }
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_remove_label (CradleDataset  *self,
                             const char     *name,
                             GError        **error)
{
  Op op = { 0 };
  sqlite3_stmt *s;
  gint64 n_clips = 0, n_segments = 0;
  gboolean ok;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!cradle_dataset_lookup_label (self, name, NULL))
    {
      g_autofree char *names = vocabulary_names (self);

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "Label “%s” is not in the vocabulary of %s (%s)", name, self->dir, names);
      return FALSE;
    }
  s = stmt (self, "SELECT (SELECT COUNT (*) FROM labels WHERE label = ?1), "
                  "(SELECT COUNT (*) FROM segments WHERE label = ?1)", error);
  if (s == NULL)
    return FALSE;
  bind_text (s, 1, name);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      n_clips = sqlite3_column_int64 (s, 0);
      n_segments = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self, rc, "counting a label's uses", error);
      return FALSE;
    }
  if (n_clips > 0 || n_segments > 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IN_USE,
                   "Cannot remove label “%s” from %s: %" G_GINT64_FORMAT " recordings and %"
                   G_GINT64_FORMAT " segments carry it; relabel them first", name, self->dir,
                   n_clips, n_segments);
      return FALSE;
    }

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "UPDATE vocabulary SET position = position - 1 "
                        "WHERE position > (SELECT position FROM vocabulary WHERE name = ?1)",
                  error)) != NULL;
  if (ok)
    {
      bind_text (s, 1, name);
      ok = step_done (self, s, "removing a label", error);
    }
  if (ok && (ok = (s = stmt (self, "DELETE FROM vocabulary WHERE name = ?1", error)) != NULL))
    {
      bind_text (s, 1, name);
      ok = step_done (self, s, "removing a label", error);
    }
  return op_end (self, &op, ok, error);
}

/* ---- Babies -------------------------------------------------------------- */

void
cradle_baby_free (CradleBaby *baby)
{
  if (baby == NULL)
    return;
  g_free (baby->alias);
  g_free (baby->birth_date);
  g_free (baby->age_band);
  g_free (baby->gender);
  g_free (baby->notes);
  g_free (baby->created);
  g_free (baby);
}

static CradleBaby *
baby_from_row (sqlite3_stmt *s)
{
  CradleBaby *baby = g_new0 (CradleBaby, 1);

  baby->id = sqlite3_column_int64 (s, 0);
  baby->alias = column_dup (s, 1);
  baby->birth_date = column_dup (s, 2);
  baby->age_band = column_dup (s, 3);
  baby->gender = column_dup (s, 4);
  baby->notes = column_dup (s, 5);
  baby->created = column_dup (s, 6);
  return baby;
}

static gboolean
valid_date (const char *text)
{
  int y, m, d;
  char tail;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* NULL for NULL or an empty/blank string, else the trimmed copy. */
static char *
nullable_strip (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

gint64
cradle_dataset_add_baby (CradleDataset     *self,
                         const CradleBaby  *baby,
                         GError           **error)
{
  g_autofree char *alias = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *created = now_iso ();
  g_autofree char *age_band = NULL;
  g_autofree char *gender = NULL;
  g_autofree char *notes = NULL;
  Op op = { 0 };
  sqlite3_stmt *s;
  gint64 id = 0;
  gboolean ok;
  int rc;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (baby != NULL, 0);

  alias = nullable_strip (baby->alias);
  birth_date = nullable_strip (baby->birth_date);
  age_band = nullable_strip (baby->age_band);
  gender = nullable_strip (baby->gender);
  notes = nullable_strip (baby->notes);
  if (alias == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "A baby in %s needs a name or alias; it was empty", self->dir);
      return 0;
    }
  if (birth_date != NULL && !valid_date (birth_date))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "The birth date “%s” of “%s” is not a date in the form YYYY-MM-DD",
                   birth_date, alias);
      return 0;
    }

  if (!op_begin (self, &op, error))
    {
      op_end (self, &op, FALSE, NULL);
      return 0;
    }
  ok = (s = stmt (self, "INSERT INTO babies (alias, birth_date, age_band, gender, notes, created) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)) != NULL;
  if (ok)
    {
      bind_text (s, 1, alias);
      bind_text (s, 2, birth_date);
      bind_text (s, 3, age_band);
      bind_text (s, 4, gender);
      bind_text (s, 5, notes);
      bind_text (s, 6, created);
      rc = sqlite3_step (s);
      if (rc == SQLITE_DONE)
        id = sqlite3_last_insert_rowid (self->db);
      else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS,
                       "A baby called “%s” already exists in %s", alias, self->dir);
          ok = FALSE;
        }
      else
        {
          set_sql_error (self, rc, "adding a baby", error);
          ok = FALSE;
        }
      sqlite3_reset (s);
    }
  if (!op_end (self, &op, ok, error))
    return 0;
  return id;
}

static CradleBaby *
get_baby_by_id (CradleDataset *self,
                gint64         id)
{
  sqlite3_stmt *s = stmt (self, "SELECT id, alias, birth_date, age_band, gender, notes, created "
                                "FROM babies WHERE id = ?1", NULL);
  CradleBaby *baby = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, id);
  if (sqlite3_step (s) == SQLITE_ROW)
    baby = baby_from_row (s);
  sqlite3_reset (s);
  return baby;
}

CradleBaby *
cradle_dataset_find_baby (CradleDataset  *self,
                          const char     *alias_or_id,
                          GError        **error)
{
  sqlite3_stmt *s;
  CradleBaby *baby = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (alias_or_id != NULL, NULL);

  s = stmt (self, "SELECT id, alias, birth_date, age_band, gender, notes, created "
                  "FROM babies WHERE alias = ?1", error);
  if (s == NULL)
    return NULL;
  bind_text (s, 1, alias_or_id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    baby = baby_from_row (s);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "looking up a baby", error);
      return NULL;
    }
  if (baby == NULL && alias_or_id[0] != '\0' &&
      alias_or_id[strspn (alias_or_id, "0123456789")] == '\0' && strlen (alias_or_id) < 18)
    baby = get_baby_by_id (self, g_ascii_strtoll (alias_or_id, NULL, 10));
  if (baby == NULL)
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                 "No baby called “%s” in %s", alias_or_id, self->dir);
  return baby;
}

GPtrArray *
cradle_dataset_list_babies (CradleDataset  *self,
                            GError        **error)
{
  g_autoptr(GPtrArray) babies = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  s = stmt (self, "SELECT id, alias, birth_date, age_band, gender, notes, created "
                  "FROM babies ORDER BY alias COLLATE NOCASE, id", error);
  if (s == NULL)
    return NULL;
  babies = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_baby_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (babies, baby_from_row (s));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "listing babies", error);
      return NULL;
    }
  return g_steal_pointer (&babies);
}

/* Deletes the row of ROW (cascading to labels, segments and events) and its
 * cached features when no other recording has the same audio; the file goes
 * to OP->obsolete. */
static gboolean
delete_recording_row (CradleDataset  *self,
                      Op             *op,
                      FileRow        *row,
                      GError        **error)
{
  sqlite3_stmt *s = stmt (self, "DELETE FROM recordings WHERE id = ?1", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, row->id);
  if (!step_done (self, s, "deleting a recording", error))
    return FALSE;
  s = stmt (self, "DELETE FROM feature_cache WHERE sha256 = ?1 "
                  "AND NOT EXISTS (SELECT 1 FROM recordings WHERE sha256 = ?1)", error);
  if (s == NULL)
    return FALSE;
  bind_text (s, 1, row->sha256);
  if (!step_done (self, s, "deleting cached features", error))
    return FALSE;
  g_ptr_array_add (op->obsolete, cradle_dataset_resolve_path (self, row->path));
  return TRUE;
}

gboolean
cradle_dataset_forget_baby (CradleDataset  *self,
                            gint64          baby_id,
                            guint          *n_removed,
                            GError        **error)
{
  g_autoptr(CradleBaby) baby = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (n_removed != NULL)
    *n_removed = 0;
  baby = get_baby_by_id (self, baby_id);
  if (baby == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No baby with id %" G_GINT64_FORMAT " in %s", baby_id, self->dir);
      return FALSE;
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  rows = collect_file_rows (self, "SELECT id, path, sha256 FROM recordings WHERE baby_id = ?1 ORDER BY id",
                            NULL, baby_id, error);
  ok = rows != NULL;
  for (guint i = 0; ok && i < rows->len; i++)
    ok = delete_recording_row (self, &op, g_ptr_array_index (rows, i), error);
  if (ok && (ok = (s = stmt (self, "DELETE FROM babies WHERE id = ?1", error)) != NULL))
    {
      sqlite3_bind_int64 (s, 1, baby_id);
      ok = step_done (self, s, "forgetting a baby", error);
    }
  if (!op_end (self, &op, ok, error))
    return FALSE;
  if (n_removed != NULL)
    *n_removed = rows->len;
  return TRUE;
}

/* ---- Recordings ------------------------------------------------------------ */

const char *
cradle_label_status_to_string (CradleLabelStatus status)
{
  switch (status)
    {
    case CRADLE_LABEL_STATUS_CONFIRMED:
      return "confirmed";
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      return "dont-know";
    case CRADLE_LABEL_STATUS_PREDICTED:
      return "predicted";
    case CRADLE_LABEL_STATUS_NONE:
    default:
      return "none";
    }
}

gboolean
cradle_label_status_from_string (const char        *text,
                                 CradleLabelStatus *status)
{
  static const CradleLabelStatus all[] = {
    CRADLE_LABEL_STATUS_NONE, CRADLE_LABEL_STATUS_CONFIRMED,
    CRADLE_LABEL_STATUS_DONT_KNOW, CRADLE_LABEL_STATUS_PREDICTED,
  };

  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (text, cradle_label_status_to_string (all[i])))
      {
        *status = all[i];
        return TRUE;
      }
  return FALSE;
}

void
cradle_recording_free (CradleRecording *recording)
{
  if (recording == NULL)
    return;
  g_free (recording->path);
  g_free (recording->sha256);
  g_free (recording->source_sha256);
  g_free (recording->source);
  g_free (recording->source_path);
  g_free (recording->device);
  g_free (recording->created);
  g_free (recording->baby_alias);
  g_free (recording->group_key);
  g_free (recording->notes);
  g_free (recording->label);
  g_free (recording->labeler);
  g_free (recording);
}

#define RECORDING_COLUMNS \
  "SELECT r.id, r.path, r.sha256, r.source_sha256, r.sample_rate, r.channels, r.duration, " \
  "r.source, r.source_path, r.device, r.created, r.baby_id, b.alias, r.group_key, r.notes, " \
  "l.label, l.status, l.labeler, l.confidence " \
  "FROM recordings r LEFT JOIN babies b ON b.id = r.baby_id " \
  "LEFT JOIN labels l ON l.recording_id = r.id "

static CradleRecording *
recording_from_row (sqlite3_stmt *s)
{
  CradleRecording *r = g_new0 (CradleRecording, 1);
  const char *status = (const char *) sqlite3_column_text (s, 16);

  r->id = sqlite3_column_int64 (s, 0);
  r->path = column_dup (s, 1);
  r->sha256 = column_dup (s, 2);
  r->source_sha256 = column_dup (s, 3);
  r->sample_rate = (guint) sqlite3_column_int (s, 4);
  r->channels = (guint) sqlite3_column_int (s, 5);
  r->duration = sqlite3_column_double (s, 6);
  r->source = column_dup (s, 7);
  r->source_path = column_dup (s, 8);
  r->device = column_dup (s, 9);
  r->created = column_dup (s, 10);
  r->baby_id = sqlite3_column_int64 (s, 11);
  r->baby_alias = column_dup (s, 12);
  r->group_key = column_dup (s, 13);
  r->notes = column_dup (s, 14);
  r->label = column_dup (s, 15);
  if (status == NULL || !cradle_label_status_from_string (status, &r->label_status))
    r->label_status = CRADLE_LABEL_STATUS_NONE;
  r->labeler = column_dup (s, 17);
  r->confidence = sqlite3_column_type (s, 18) == SQLITE_NULL ? -1.0 : sqlite3_column_double (s, 18);
  return r;
}

CradleRecording *
cradle_dataset_get_recording (CradleDataset  *self,
                              gint64          id,
                              GError        **error)
{
  sqlite3_stmt *s;
  CradleRecording *r = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  s = stmt (self, RECORDING_COLUMNS "WHERE r.id = ?1", error);
  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    r = recording_from_row (s);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sql_error (self, rc, "reading a recording", error);
  else if (r == NULL)
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                 "No recording with id %" G_GINT64_FORMAT " in %s", id, self->dir);
  return r;
}

/* SQL LIKE pattern matching TEXT anywhere, with \ as the escape. */
static char *
like_pattern (const char *text)
{
  GString *p = g_string_new ("%");

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (p, '\\');
      g_string_append_c (p, *c);
    }
  g_string_append_c (p, '%');
  return g_string_free (p, FALSE);
}

GPtrArray *
cradle_dataset_list_recordings (CradleDataset                *self,
                                const CradleRecordingFilter  *filter,
                                GError                      **error)
{
  static const CradleRecordingFilter none = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *pattern = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  if (filter == NULL)
    filter = &none;
  s = stmt (self, RECORDING_COLUMNS
                  "WHERE (?1 IS NULL OR l.label = ?1) "
                  "AND (?2 = 0 OR r.baby_id = ?2) "
                  "AND (?3 IS NULL OR r.group_key = ?3) "
                  "AND (?4 = 0 OR l.recording_id IS NULL) "
                  "AND (?5 IS NULL OR r.path LIKE ?5 ESCAPE '\\' OR r.notes LIKE ?5 ESCAPE '\\' "
                  "     OR b.alias LIKE ?5 ESCAPE '\\' OR r.group_key LIKE ?5 ESCAPE '\\' "
                  "     OR r.source_path LIKE ?5 ESCAPE '\\') "
                  "ORDER BY r.id", error);
  if (s == NULL)
    return NULL;
  bind_text (s, 1, filter->label);
  sqlite3_bind_int64 (s, 2, filter->baby_id);
  bind_text (s, 3, filter->group_key);
  sqlite3_bind_int (s, 4, filter->unlabeled ? 1 : 0);
  if (filter->search != NULL && filter->search[0] != '\0')
    {
      pattern = like_pattern (filter->search);
      bind_text (s, 5, pattern);
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_recording_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (list, recording_from_row (s));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "listing recordings", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

gint64
cradle_dataset_find_by_source_sha256 (CradleDataset *self,
                                      const char    *source_sha256)
{
  sqlite3_stmt *s;
  gint64 id = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (source_sha256 == NULL)
    return 0;
  s = stmt (self, "SELECT id FROM recordings WHERE source_sha256 = ?1 ORDER BY id LIMIT 1", NULL);
  if (s == NULL)
    return 0;
  bind_text (s, 1, source_sha256);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return id;
}

/* The file name stem: [A-Za-z0-9._-], at most MAX_STEM bytes, never
 * starting with "." (hidden names are temporary files). */
static char *
sanitize_stem (const char *text)
{
  GString *stem = g_string_new (NULL);

  for (const char *c = text != NULL ? text : ""; *c != '\0' && stem->len < MAX_STEM; c++)
    {
      if (g_ascii_isalnum (*c) || *c == '_' || *c == '-' || (*c == '.' && stem->len > 0))
        g_string_append_c (stem, *c);
      else if (stem->len > 0 && stem->str[stem->len - 1] != '_')
        g_string_append_c (stem, '_');
    }
  while (stem->len > 0 && (stem->str[stem->len - 1] == '_' || stem->str[stem->len - 1] == '.'))
    g_string_truncate (stem, stem->len - 1);
  if (stem->len == 0)
    g_string_assign (stem, "recording");
  return g_string_free (stem, FALSE);
}

/* Hard-links (or, where the file system has no links, copies) FROM to TO
 * without ever replacing TO: fails with EEXIST when TO exists. */
static int
place_file (const char *from,
            const char *to)
{
  int in_fd, out_fd, saved;
  char buffer[65536];
  ssize_t n;

  if (link (from, to) == 0)
    return 0;
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != EXDEV &&
      errno != EMLINK && errno != ENOSYS)
    return errno;

  in_fd = g_open (from, O_RDONLY | O_CLOEXEC, 0);
  if (in_fd < 0)
    return errno;
  out_fd = g_open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out_fd < 0)
    {
      saved = errno;
      g_close (in_fd, NULL);
      return saved;
    }
  saved = 0;
  while ((n = read (in_fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || write (out_fd, buffer, (size_t) n) != n)
        {
          saved = errno != 0 ? errno : EIO;
          break;
        }
    }
  if (saved == 0 && fsync (out_fd) != 0)
    saved = errno;
  g_close (in_fd, NULL);
  g_close (out_fd, NULL);
  if (saved != 0)
    g_unlink (to);
  return saved;
}

/* Places absolute SRC into the relative FOLDER as STEM[-N]EXT, the first
 * free name. Sets *TO to the relative path. */
static gboolean
place_unique (CradleDataset  *self,
              const char     *src,
              const char     *folder,
              const char     *stem,
              const char     *ext,
              char          **to,
              GError        **error)
{
  g_autofree char *abs_folder = cradle_dataset_resolve_path (self, folder);

  if (!make_private_dir (abs_folder, error))
    return FALSE;
  for (guint n = 1; n < 100000; n++)
    {
      g_autofree char *name = n == 1 ? g_strconcat (stem, ext, NULL)
                                     : g_strdup_printf ("%s-%u%s", stem, n, ext);
      g_autofree char *rel = g_build_path ("/", folder, name, NULL);
      g_autofree char *abs = cradle_dataset_resolve_path (self, rel);
      int rc = place_file (src, abs);

      if (rc == EEXIST)
        continue;
      if (rc != 0)
        {
          set_io_error (error, rc, "Could not write", abs);
          return FALSE;
        }
      fsync_dir (abs_folder);
      *to = g_steal_pointer (&rel);
      return TRUE;
    }
  g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IO,
               "Could not find a free file name for “%s” in %s/%s", stem, self->dir, folder);
  return FALSE;
}

static gboolean
link_into_folder (CradleDataset  *self,
                  Op             *op,
                  const char     *from,
                  const char     *folder,
                  char          **to,
                  GError        **error)
{
  g_autofree char *abs_from = cradle_dataset_resolve_path (self, from);
  g_autofree char *base = g_path_get_basename (from);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot != NULL ? g_strndup (base, (gsize) (dot - base)) : g_strdup (base);

  if (!place_unique (self, abs_from, folder, stem, dot != NULL ? dot : "", to, error))
    return FALSE;
  g_ptr_array_add (op->created, cradle_dataset_resolve_path (self, *to));
  return TRUE;
}

static char *
sha256_file (const char  *path,
             GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buffer[65536];
  ssize_t n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      set_io_error (error, errno, "Could not read", path);
      return NULL;
    }
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_close (fd, NULL);
          set_io_error (error, saved, "Could not read", path);
          return NULL;
        }
      g_checksum_update (checksum, buffer, (gssize) n);
    }
  g_close (fd, NULL);
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
validate_label_args (CradleDataset      *self,
                     const char         *label,
                     CradleLabelStatus   status,
                     double              confidence,
                     GError            **error)
{
  if (!(confidence == -1.0 || (confidence >= 0.0 && confidence <= 1.0)))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "A confidence must be between 0 and 1, not %g", confidence);
      return FALSE;
    }
  switch (status)
    {
    case CRADLE_LABEL_STATUS_NONE:
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      if (label != NULL)
        {
          g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                       "A recording marked “%s” cannot also have the label “%s”",
                       cradle_label_status_to_string (status), label);
          return FALSE;
        }
      return TRUE;
    case CRADLE_LABEL_STATUS_CONFIRMED:
    case CRADLE_LABEL_STATUS_PREDICTED:
      if (label == NULL)
        {
          g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                       "A %s label needs a label name", cradle_label_status_to_string (status));
          return FALSE;
        }
      return require_label (self, label, error);
    default:
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "Unknown label status %d", (int) status);
      return FALSE;
    }
}

/* Writes the labels row of ID (or removes it for NONE). */
static gboolean
write_label_row (CradleDataset      *self,
                 gint64              id,
                 const char         *label,
                 CradleLabelStatus   status,
                 const char         *labeler,
                 double              confidence,
                 GError            **error)
{
  sqlite3_stmt *s;
  g_autofree char *now = NULL;

  if (status == CRADLE_LABEL_STATUS_NONE)
    {
      s = stmt (self, "DELETE FROM labels WHERE recording_id = ?1", error);
      if (s == NULL)
        return FALSE;
      sqlite3_bind_int64 (s, 1, id);
      return step_done (self, s, "clearing a label", error);
    }
  s = stmt (self, "INSERT OR REPLACE INTO labels (recording_id, label, status, labeler, confidence, updated) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (s == NULL)
    return FALSE;
  now = now_iso ();
  sqlite3_bind_int64 (s, 1, id);
  bind_text (s, 2, label);
  bind_text (s, 3, cradle_label_status_to_string (status));
  bind_text (s, 4, labeler);
  if (confidence >= 0.0)
    sqlite3_bind_double (s, 5, confidence);
  else
    sqlite3_bind_null (s, 5);
  bind_text (s, 6, now);
  return step_done (self, s, "setting a label", error);
}

gint64
cradle_dataset_add_recording (CradleDataset              *self,
                              const CradleRecordingSpec  *spec,
                              GError                    **error)
{
  g_autoptr(CradleBaby) baby = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *abs_folder = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *stem_source = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *rel = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) dt = NULL;
  CradleLabelStatus status;
  Op op = { 0 };
  sqlite3_stmt *s;
  gint64 when, id = 0;
  gboolean ok;
  int fd;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (spec != NULL, 0);
  g_return_val_if_fail (spec->audio != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  status = spec->label_status;
  if (spec->label != NULL && status == CRADLE_LABEL_STATUS_NONE)
    status = CRADLE_LABEL_STATUS_CONFIRMED;
  if (!validate_label_args (self, spec->label, status, spec->confidence, error))
    return 0;
  if (spec->audio->n_samples == 0 || spec->audio->sample_rate == 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "Cannot add an empty recording to %s", self->dir);
      return 0;
    }
  if (spec->baby_id != 0 && (baby = get_baby_by_id (self, spec->baby_id)) == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No baby with id %" G_GINT64_FORMAT " in %s", spec->baby_id, self->dir);
      return 0;
    }

  when = spec->created != 0 ? spec->created : g_get_real_time () / G_USEC_PER_SEC;
  dt = g_date_time_new_from_unix_utc (when);
  if (dt == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "The creation time %" G_GINT64_FORMAT " is not a valid date", spec->created);
      return 0;
    }
  created = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  stamp = g_date_time_format (dt, "%Y%m%dT%H%M%SZ");

  /* 1. The FLAC at a temporary name in its label's folder, private. */
  folder = label_folder (spec->label);
  abs_folder = cradle_dataset_resolve_path (self, folder);
  if (!make_private_dir (abs_folder, error))
    return 0;
  tmp_path = g_build_filename (abs_folder, ".tmp-XXXXXX.flac", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, "Could not create a temporary file in", abs_folder);
      return 0;
    }
  g_close (fd, NULL);
  if (!cradle_audio_write (spec->audio, tmp_path, CRADLE_AUDIO_FILE_FLAC, error))
    {
      g_unlink (tmp_path);
      return 0;
    }
  if (g_chmod (tmp_path, 0600) != 0)
    {
      set_io_error (error, errno, "Could not make private", tmp_path);
      g_unlink (tmp_path);
      return 0;
    }
  sha256 = sha256_file (tmp_path, error);
  if (sha256 == NULL)
    {
      g_unlink (tmp_path);
      return 0;
    }

  /* 2. Its final name, never replacing another file. */
  if (spec->file_stem != NULL)
    stem_source = g_strdup (spec->file_stem);
  else if (baby != NULL)
    stem_source = g_strdup (baby->alias);
  else if (spec->group_key != NULL)
    stem_source = g_strdup (spec->group_key);
  stem = sanitize_stem (stem_source);
  {
    g_autofree char *stem_stamp = g_strdup_printf ("%s_%s", stem, stamp);

    ok = place_unique (self, tmp_path, folder, stem_stamp, ".flac", &rel, error);
  }
  g_unlink (tmp_path);
  if (!ok)
    return 0;

  /* 3. The row, committed with the file in place. */
  if (!op_begin (self, &op, error))
    {
      g_autofree char *abs = cradle_dataset_resolve_path (self, rel);

      g_unlink (abs);
      op_end (self, &op, FALSE, NULL);
      return 0;
    }
  g_ptr_array_add (op.created, cradle_dataset_resolve_path (self, rel));
  ok = (s = stmt (self, "INSERT INTO recordings (path, sha256, source_sha256, sample_rate, channels, "
                        "n_samples, duration, source, source_path, device, created, baby_id, group_key, notes) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                  error)) != NULL;
  if (ok)
    {
      const char *group = spec->group_key != NULL ? spec->group_key
                          : baby != NULL ? baby->alias : "";

      bind_text (s, 1, rel);
      bind_text (s, 2, sha256);
      bind_text (s, 3, spec->source_sha256 != NULL ? spec->source_sha256 : sha256);
      sqlite3_bind_int64 (s, 4, spec->audio->sample_rate);
      sqlite3_bind_int64 (s, 5, spec->channels != 0 ? spec->channels : 1);
      sqlite3_bind_int64 (s, 6, (gint64) spec->audio->n_samples);
      sqlite3_bind_double (s, 7, (double) spec->audio->n_samples / spec->audio->sample_rate);
      bind_text (s, 8, spec->source != NULL ? spec->source : "import");
      bind_text (s, 9, spec->source_path);
      bind_text (s, 10, spec->device);
      bind_text (s, 11, created);
      if (spec->baby_id != 0)
        sqlite3_bind_int64 (s, 12, spec->baby_id);
      else
        sqlite3_bind_null (s, 12);
      bind_text (s, 13, group);
      bind_text (s, 14, spec->notes);
      ok = step_done (self, s, "adding a recording", error);
      if (ok)
        id = sqlite3_last_insert_rowid (self->db);
      if (ok && group[0] == '\0' &&
          (ok = (s = stmt (self, "UPDATE recordings SET group_key = 'recording-' || id WHERE id = ?1",
                           error)) != NULL))
        {
          sqlite3_bind_int64 (s, 1, id);
          ok = step_done (self, s, "adding a recording", error);
        }
    }
  if (ok && status != CRADLE_LABEL_STATUS_NONE)
    ok = write_label_row (self, id, spec->label, status, spec->labeler, spec->confidence, error);
  if (!op_end (self, &op, ok, error))
    return 0;
  return id;
}

gboolean
cradle_dataset_set_label (CradleDataset      *self,
                          gint64              id,
                          const char         *label,
                          CradleLabelStatus   status,
                          const char         *labeler,
                          double              confidence,
                          GError            **error)
{
  g_autoptr(CradleRecording) r = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *current_folder = NULL;
  Op op = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (label != NULL && status == CRADLE_LABEL_STATUS_NONE)
    status = CRADLE_LABEL_STATUS_CONFIRMED;
  if (!validate_label_args (self, label, status, confidence, error))
    return FALSE;
  r = cradle_dataset_get_recording (self, id, error);
  if (r == NULL)
    return FALSE;

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  folder = label_folder (label);
  current_folder = g_path_get_dirname (r->path);
  if (!g_str_equal (folder, current_folder))
    {
      g_autofree char *to = NULL;

      ok = link_into_folder (self, &op, r->path, folder, &to, error) &&
           update_path (self, id, to, error);
      if (ok)
        g_ptr_array_add (op.obsolete, cradle_dataset_resolve_path (self, r->path));
    }
  if (ok)
    ok = write_label_row (self, id, label, status, labeler, confidence, error);
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_set_baby (CradleDataset  *self,
                         gint64          id,
                         gint64          baby_id,
                         GError        **error)
{
  g_autoptr(CradleRecording) r = NULL;
  g_autoptr(CradleBaby) baby = NULL;
  g_autofree char *auto_group = NULL;
  const char *group;
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  r = cradle_dataset_get_recording (self, id, error);
  if (r == NULL)
    return FALSE;
  if (baby_id != 0 && (baby = get_baby_by_id (self, baby_id)) == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No baby with id %" G_GINT64_FORMAT " in %s", baby_id, self->dir);
      return FALSE;
    }
  /* A group that was only the default (the old baby, or the recording
   * itself) follows the baby; a group from the source is kept. */
  auto_group = g_strdup_printf ("recording-%" G_GINT64_FORMAT, id);
  group = r->group_key;
  if (g_strcmp0 (r->group_key, auto_group) == 0 || g_strcmp0 (r->group_key, r->baby_alias) == 0)
    group = baby != NULL ? baby->alias : auto_group;

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "UPDATE recordings SET baby_id = ?2, group_key = ?3 WHERE id = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (s, 1, id);
      if (baby_id != 0)
        sqlite3_bind_int64 (s, 2, baby_id);
      else
        sqlite3_bind_null (s, 2);
      bind_text (s, 3, group);
      ok = step_done (self, s, "setting a recording's baby", error);
    }
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_set_notes (CradleDataset  *self,
                          gint64          id,
                          const char     *notes,
                          GError        **error)
{
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "UPDATE recordings SET notes = ?2 WHERE id = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (s, 1, id);
      bind_text (s, 2, notes != NULL && notes[0] != '\0' ? notes : NULL);
      ok = step_done (self, s, "setting notes", error);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No recording with id %" G_GINT64_FORMAT " in %s", id, self->dir);
      ok = FALSE;
    }
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_delete_recording (CradleDataset  *self,
                                 gint64          id,
                                 GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  Op op = { 0 };
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  rows = collect_file_rows (self, "SELECT id, path, sha256 FROM recordings WHERE id = ?1", NULL, id, error);
  if (rows == NULL)
    return FALSE;
  if (rows->len == 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No recording with id %" G_GINT64_FORMAT " in %s", id, self->dir);
      return FALSE;
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = delete_recording_row (self, &op, g_ptr_array_index (rows, 0), error);
  return op_end (self, &op, ok, error);
}

/* ---- Segments ---------------------------------------------------------------- */

void
cradle_segment_free (CradleSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->label);
  g_free (segment->labeler);
  g_free (segment);
}

GPtrArray *
cradle_dataset_list_segments (CradleDataset  *self,
                              gint64          recording_id,
                              GError        **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  s = stmt (self, "SELECT id, recording_id, start, end, label, labeler FROM segments "
                  "WHERE recording_id = ?1 ORDER BY start, end, id", error);
  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, recording_id);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      CradleSegment *seg = g_new0 (CradleSegment, 1);

      seg->id = sqlite3_column_int64 (s, 0);
      seg->recording_id = sqlite3_column_int64 (s, 1);
      seg->start = sqlite3_column_double (s, 2);
      seg->end = sqlite3_column_double (s, 3);
      seg->label = column_dup (s, 4);
      seg->labeler = column_dup (s, 5);
      g_ptr_array_add (list, seg);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "listing segments", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
validate_segment (CradleDataset    *self,
                  CradleRecording  *r,
                  double            start,
                  double            end,
                  const char       *label,
                  GError          **error)
{
  if (!(start >= 0.0) || !(end > start) || !(end <= r->duration + SEGMENT_SLACK))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "The segment %.3f–%.3f s of recording %" G_GINT64_FORMAT " in %s is not "
                   "within 0–%.3f s with its end after its start",
                   start, end, r->id, self->dir, r->duration);
      return FALSE;
    }
  if (label == NULL)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "The segment %.3f–%.3f s of recording %" G_GINT64_FORMAT " needs a label",
                   start, end, r->id);
      return FALSE;
    }
  return require_label (self, label, error);
}

static gboolean
insert_segment (CradleDataset  *self,
                gint64          recording_id,
                double          start,
                double          end,
                const char     *label,
                const char     *labeler,
                gint64         *id,
                GError        **error)
{
  g_autofree char *now = now_iso ();
  sqlite3_stmt *s = stmt (self, "INSERT INTO segments (recording_id, start, end, label, labeler, created) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, recording_id);
  sqlite3_bind_double (s, 2, start);
  sqlite3_bind_double (s, 3, end);
  bind_text (s, 4, label);
  bind_text (s, 5, labeler);
  bind_text (s, 6, now);
  if (!step_done (self, s, "adding a segment", error))
    return FALSE;
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

gint64
cradle_dataset_add_segment (CradleDataset  *self,
                            gint64          recording_id,
                            double          start,
                            double          end,
                            const char     *label,
                            const char     *labeler,
                            GError        **error)
{
  g_autoptr(CradleRecording) r = NULL;
  Op op = { 0 };
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL, 0);

  r = cradle_dataset_get_recording (self, recording_id, error);
  if (r == NULL || !validate_segment (self, r, start, end, label, error))
    return 0;
  if (!op_begin (self, &op, error))
    {
      op_end (self, &op, FALSE, NULL);
      return 0;
    }
  ok = insert_segment (self, recording_id, start, end, label, labeler, &id, error);
  if (!op_end (self, &op, ok, error))
    return 0;
  return id;
}

gboolean
cradle_dataset_delete_segment (CradleDataset  *self,
                               gint64          segment_id,
                               GError        **error)
{
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "DELETE FROM segments WHERE id = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (s, 1, segment_id);
      ok = step_done (self, s, "deleting a segment", error);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                   "No segment with id %" G_GINT64_FORMAT " in %s", segment_id, self->dir);
      ok = FALSE;
    }
  return op_end (self, &op, ok, error);
}

gboolean
cradle_dataset_replace_segments (CradleDataset  *self,
                                 gint64          recording_id,
                                 GPtrArray      *segments,
                                 GError        **error)
{
  g_autoptr(CradleRecording) r = NULL;
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  r = cradle_dataset_get_recording (self, recording_id, error);
  if (r == NULL)
    return FALSE;
  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      CradleSegment *seg = g_ptr_array_index (segments, i);

      if (!validate_segment (self, r, seg->start, seg->end, seg->label, error))
        return FALSE;
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "DELETE FROM segments WHERE recording_id = ?1", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (s, 1, recording_id);
      ok = step_done (self, s, "replacing segments", error);
    }
  for (guint i = 0; ok && segments != NULL && i < segments->len; i++)
    {
      CradleSegment *seg = g_ptr_array_index (segments, i);

      ok = insert_segment (self, recording_id, seg->start, seg->end, seg->label, seg->labeler,
                           NULL, error);
    }
  return op_end (self, &op, ok, error);
}

/* ---- Statistics -------------------------------------------------------------- */

static void
dataset_count_free (CradleDatasetCount *count)
{
  g_free (count->key);
  g_free (count);
}

void
cradle_dataset_stats_free (CradleDatasetStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->per_label, g_ptr_array_unref);
  g_clear_pointer (&stats->per_baby, g_ptr_array_unref);
  g_clear_pointer (&stats->per_group, g_ptr_array_unref);
  g_free (stats);
}

/* Rows of (key, count, seconds[, is_cry]) into a new array. */
static GPtrArray *
collect_counts (CradleDataset  *self,
                const char     *sql,
                gboolean        with_is_cry,
                GError        **error)
{
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func ((GDestroyNotify) dataset_count_free);
  sqlite3_stmt *s = stmt (self, sql, error);
  int rc;

  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      CradleDatasetCount *c = g_new0 (CradleDatasetCount, 1);

      c->key = column_dup (s, 0);
      c->count = (guint) sqlite3_column_int64 (s, 1);
      c->seconds = sqlite3_column_double (s, 2);
      c->is_cry = with_is_cry && sqlite3_column_int (s, 3) != 0;
      g_ptr_array_add (counts, c);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "computing statistics", error);
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/* Per label: confirmed clip labels only, so that recordings = Σ per label +
 * unlabeled + don't know + predicted. */
CradleDatasetStats *
cradle_dataset_get_stats (CradleDataset  *self,
                          GError        **error)
{
  g_autoptr(CradleDatasetStats) stats = g_new0 (CradleDatasetStats, 1);
  sqlite3_stmt *s;
  guint largest = 0, smallest = G_MAXUINT, n_present = 0;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  s = stmt (self, "SELECT COUNT (*), TOTAL (r.duration), "
                  "COUNT (*) - COUNT (l.recording_id), "
                  "TOTAL (l.status = 'dont-know'), TOTAL (l.status = 'predicted'), "
                  "(SELECT COUNT (*) FROM babies), COUNT (DISTINCT r.group_key) "
                  "FROM recordings r LEFT JOIN labels l ON l.recording_id = r.id", error);
  if (s == NULL)
    return NULL;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      stats->n_recordings = (guint) sqlite3_column_int64 (s, 0);
      stats->total_seconds = sqlite3_column_double (s, 1);
      stats->n_unlabeled = (guint) sqlite3_column_int64 (s, 2);
      stats->n_dont_know = (guint) sqlite3_column_double (s, 3);
      stats->n_predicted = (guint) sqlite3_column_double (s, 4);
      stats->n_babies = (guint) sqlite3_column_int64 (s, 5);
      stats->n_groups = (guint) sqlite3_column_int64 (s, 6);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self, rc, "computing statistics", error);
      return NULL;
    }
  stats->per_label = collect_counts (self,
      "SELECT v.name, COUNT (r.id), TOTAL (r.duration), v.is_cry FROM vocabulary v "
      "LEFT JOIN labels l ON l.label = v.name AND l.status = 'confirmed' "
      "LEFT JOIN recordings r ON r.id = l.recording_id "
      "GROUP BY v.name ORDER BY v.position", TRUE, error);
  if (stats->per_label == NULL)
    return NULL;
  stats->per_baby = collect_counts (self,
      "SELECT b.alias, COUNT (r.id), TOTAL (r.duration) FROM babies b "
      "LEFT JOIN recordings r ON r.baby_id = b.id GROUP BY b.id ORDER BY b.alias COLLATE NOCASE, b.id",
      FALSE, error);
  if (stats->per_baby == NULL)
    return NULL;
  stats->per_group = collect_counts (self,
      "SELECT group_key, COUNT (*), TOTAL (duration) FROM recordings GROUP BY group_key ORDER BY group_key",
      FALSE, error);
  if (stats->per_group == NULL)
    return NULL;

  for (guint i = 0; i < stats->per_label->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (stats->per_label, i);

      if (c->count == 0)
        continue;
      n_present++;
      largest = MAX (largest, c->count);
      smallest = MIN (smallest, c->count);
    }
  stats->imbalance = n_present >= 2 ? (double) largest / smallest : 1.0;
  return g_steal_pointer (&stats);
}

/* ---- Feature cache ----------------------------------------------------------- */

gboolean
cradle_dataset_cache_lookup (CradleDataset  *self,
                             const char     *sha256,
                             const char     *config_hash,
                             float          *values,
                             guint           n_values)
{
  sqlite3_stmt *s;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL && config_hash != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);

  s = stmt (self, "SELECT n_values, vector FROM feature_cache WHERE sha256 = ?1 AND config_hash = ?2", NULL);
  if (s == NULL)
    return FALSE;
  bind_text (s, 1, sha256);
  bind_text (s, 2, config_hash);
  if (sqlite3_step (s) == SQLITE_ROW &&
      sqlite3_column_int64 (s, 0) == n_values &&
      sqlite3_column_bytes (s, 1) == (int) (n_values * 4))
    {
      const guint8 *blob = sqlite3_column_blob (s, 1);

      for (guint i = 0; i < n_values; i++)
        {
          guint32 bits;

          memcpy (&bits, blob + 4 * i, 4);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&values[i], &bits, 4);
        }
      found = TRUE;
    }
  sqlite3_reset (s);
  return found;
}

gboolean
cradle_dataset_cache_store (CradleDataset  *self,
                            const char     *sha256,
                            const char     *config_hash,
                            const float    *values,
                            guint           n_values,
                            GError        **error)
{
  g_autofree guint8 *blob = NULL;
  g_autofree char *now = now_iso ();
  Op op = { 0 };
  sqlite3_stmt *s;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL && config_hash != NULL, FALSE);
  g_return_val_if_fail (values != NULL && n_values > 0, FALSE);

  blob = g_malloc ((gsize) n_values * 4);
  for (guint i = 0; i < n_values; i++)
    {
      guint32 bits;

      memcpy (&bits, &values[i], 4);
      bits = GUINT32_TO_LE (bits);
      memcpy (blob + 4 * i, &bits, 4);
    }
  if (!op_begin (self, &op, error))
    return op_end (self, &op, FALSE, NULL);
  ok = (s = stmt (self, "INSERT OR REPLACE INTO feature_cache (sha256, config_hash, n_values, vector, created) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)", error)) != NULL;
  if (ok)
    {
      bind_text (s, 1, sha256);
      bind_text (s, 2, config_hash);
      sqlite3_bind_int64 (s, 3, n_values);
      sqlite3_bind_blob (s, 4, blob, (int) (n_values * 4), SQLITE_STATIC);
      bind_text (s, 5, now);
      ok = step_done (self, s, "caching features", error);
      sqlite3_bind_null (s, 4);
    }
  return op_end (self, &op, ok, error);
}

/* ---- Files under audio/ -------------------------------------------------------- */

static gboolean
is_temp_name (const char *name)
{
  return name[0] == '.';
}

/* Every file under audio/ (relative paths): hidden names into TEMPS, names
 * no row has into UNTRACKED. Folders are not followed through symlinks. */
static void
scan_audio_dir (const char  *dataset_dir,
                const char  *rel,
                GHashTable  *tracked,
                GPtrArray   *untracked,
                GPtrArray   *temps,
                guint        depth)
{
  g_autofree char *abs = g_build_filename (dataset_dir, rel, NULL);
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (depth > 16)
    return;
  d = g_dir_open (abs, 0, NULL);
  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child_rel = g_build_path ("/", rel, name, NULL);
      g_autofree char *child_abs = g_build_filename (abs, name, NULL);
      GStatBuf st;

      if (g_lstat (child_abs, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        scan_audio_dir (dataset_dir, child_rel, tracked, untracked, temps, depth + 1);
      else if (is_temp_name (name))
        g_ptr_array_add (temps, g_steal_pointer (&child_rel));
      else if (!g_hash_table_contains (tracked, child_rel))
        g_ptr_array_add (untracked, g_steal_pointer (&child_rel));
    }
}

static GHashTable *
tracked_paths (CradleDataset  *self,
               GError        **error)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *s = stmt (self, "SELECT path FROM recordings", error);
  int rc;

  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_hash_table_add (paths, column_dup (s, 0));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "listing recordings", error);
      return NULL;
    }
  return g_steal_pointer (&paths);
}

/* With the exclusive lock: removes temporary and untracked files. */
static void
cleanup_at_open (CradleDataset *self)
{
  g_autoptr(GHashTable) tracked = tracked_paths (self, NULL);
  g_autoptr(GPtrArray) untracked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) temps = g_ptr_array_new_with_free_func (g_free);

  if (tracked == NULL)
    return;
  scan_audio_dir (self->dir, AUDIO_DIR, tracked, untracked, temps, 0);
  g_ptr_array_extend_and_steal (temps, g_steal_pointer (&untracked));
  for (guint i = 0; i < temps->len; i++)
    {
      g_autofree char *abs = cradle_dataset_resolve_path (self, g_ptr_array_index (temps, i));

      if (g_unlink (abs) == 0)
        self->removed_at_open++;
      else
        g_warning ("Could not remove the leftover file “%s”: %s", abs, g_strerror (errno));
    }
}

void
cradle_dataset_check_clear (CradleDatasetCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->integrity_message, g_free);
  g_clear_pointer (&check->missing_files, g_ptr_array_unref);
  g_clear_pointer (&check->untracked_files, g_ptr_array_unref);
  g_clear_pointer (&check->temp_files, g_ptr_array_unref);
  memset (check, 0, sizeof *check);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

gboolean
cradle_dataset_check (CradleDataset       *self,
                      CradleDatasetCheck  *check,
                      GError             **error)
{
  g_autoptr(GHashTable) tracked = NULL;
  GHashTableIter iter;
  gpointer key;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (check != NULL, FALSE);

  memset (check, 0, sizeof *check);
  check->missing_files = g_ptr_array_new_with_free_func (g_free);
  check->untracked_files = g_ptr_array_new_with_free_func (g_free);
  check->temp_files = g_ptr_array_new_with_free_func (g_free);
  check->removed_at_open = self->removed_at_open;

  s = stmt (self, "PRAGMA integrity_check", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      const char *first = (const char *) sqlite3_column_text (s, 0);

      check->integrity_ok = g_strcmp0 (first, "ok") == 0;
      if (!check->integrity_ok)
        check->integrity_message = g_strdup (first);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self, rc, "checking integrity", error);
      return FALSE;
    }

  s = stmt (self, "PRAGMA foreign_key_check", error);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sql_error (self, rc, "checking foreign keys", error);
      return FALSE;
    }
  check->foreign_keys_ok = rc == SQLITE_DONE;

  tracked = tracked_paths (self, error);
  if (tracked == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, tracked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *abs = cradle_dataset_resolve_path (self, key);

      if (!g_file_test (abs, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (check->missing_files, g_strdup (key));
    }
  g_ptr_array_sort (check->missing_files, compare_strings);
  scan_audio_dir (self->dir, AUDIO_DIR, tracked, check->untracked_files, check->temp_files, 0);
  g_ptr_array_sort (check->untracked_files, compare_strings);
  g_ptr_array_sort (check->temp_files, compare_strings);
  return TRUE;
}

/* ---- Opening ------------------------------------------------------------------ */

char *
cradle_dataset_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "cradle", "default", NULL);
}

void
cradle_dataset_set_busy_timeout (CradleDataset *self,
                                 guint          timeout_ms)
{
  g_return_if_fail (self != NULL);

  self->busy_timeout_ms = timeout_ms;
  sqlite3_busy_timeout (self->db, (int) MIN (timeout_ms, (guint) G_MAXINT));
}

/* Waits up to the busy timeout for a shared flock. */
static gboolean
lock_shared (CradleDataset  *self,
             GError        **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) self->busy_timeout_ms * 1000;

  while (flock (self->lock_fd, LOCK_SH | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          set_io_error (error, errno, "Could not lock", self->dir);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_LOCKED,
                       "The dataset %s is being opened by another program (waited %.1f s); "
                       "try again when it has finished", self->dir, self->busy_timeout_ms / 1000.0);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
  return TRUE;
}

/* Checks the header: FALSE with NOT_DATASET / NEWER_SCHEMA; *VERSION is
 * the file's schema version. Changes nothing. */
static gboolean
check_header (CradleDataset  *self,
              gint64         *version,
              GError        **error)
{
  g_autofree char *display = g_filename_display_name (self->db_path);
  gint64 app_id = 0, n_tables = 0;

  if (!query_int (self, "PRAGMA user_version", version, error) ||
      !query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "SELECT COUNT (*) FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", &n_tables, error))
    return FALSE;
  if (*version == 0 && app_id == 0 && n_tables == 0)
    return TRUE;  /* new and empty */
  if (app_id != CRADLE_APPLICATION_ID || *version == 0)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_DATASET,
                   "“%s” is an SQLite database but not a Cradle dataset "
                   "(%" G_GINT64_FORMAT " tables of another program); choose another folder",
                   display, n_tables);
      return FALSE;
    }
  if (*version > CRADLE_DATASET_SCHEMA_VERSION)
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NEWER_SCHEMA,
                   "The dataset “%s” has schema version %" G_GINT64_FORMAT ", made by a newer "
                   "Cradle; this Cradle understands versions up to %d. It was left untouched: "
                   "open it with a newer Cradle", display, *version, CRADLE_DATASET_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (CradleDataset  *self,
         GError        **error)
{
  g_autofree char *set_version = NULL;
  gint64 version = 0;
  gboolean ok;

  if (!exec1 (self, "BEGIN IMMEDIATE", "starting a migration", error))
    return FALSE;
  /* Again inside the write lock: another process may have migrated. */
  ok = check_header (self, &version, error);
  if (ok && version == 0)
    {
      sqlite3_stmt *s = NULL;
      int rc = sqlite3_prepare_v2 (self->db, "PRAGMA application_id = 1129464132", -1, &s, NULL);

      G_STATIC_ASSERT (CRADLE_APPLICATION_ID == 1129464132);
      ok = rc == SQLITE_OK && sqlite3_step (s) == SQLITE_DONE;
      if (!ok)
        set_sql_error (self, rc == SQLITE_OK ? sqlite3_errcode (self->db) : rc, "creating the dataset", error);
      sqlite3_finalize (s);
    }
  for (gint64 v = version; ok && v < CRADLE_DATASET_SCHEMA_VERSION; v++)
    {
      ok = exec_script (self, migrations[v].sql, error) &&
           (migrations[v].run == NULL || migrations[v].run (self, error));
    }
  if (ok && version < CRADLE_DATASET_SCHEMA_VERSION)
    {
      /* PRAGMA takes no parameters; the value is our own constant. */
      sqlite3_stmt *s = NULL;
      int rc;

      set_version = g_strdup_printf ("PRAGMA user_version = %d", CRADLE_DATASET_SCHEMA_VERSION);
      rc = sqlite3_prepare_v2 (self->db, set_version, -1, &s, NULL);
      ok = rc == SQLITE_OK && sqlite3_step (s) == SQLITE_DONE;
      if (!ok)
        set_sql_error (self, rc == SQLITE_OK ? sqlite3_errcode (self->db) : rc, "setting the schema version", error);
      sqlite3_finalize (s);
    }
  if (ok)
    ok = exec1 (self, "COMMIT", "committing a migration", error);
  if (!ok && !sqlite3_get_autocommit (self->db))
    exec1 (self, "ROLLBACK", "rolling back a migration", NULL);
  return ok;
}

static void
finalize_stmt (gpointer s)
{
  sqlite3_finalize (s);
}

static void
chmod_if_exists (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_chmod (path, 0600);
}

CradleDataset *
cradle_dataset_open (const char  *dir,
                     GError     **error)
{
  g_autoptr(CradleDataset) self = NULL;
  g_autofree char *lock_path = NULL;
  g_autofree char *display = NULL;
  gboolean exclusive = FALSE;
  gboolean new_folder;
  gint64 version = 0;
  int rc, fd;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (CradleDataset, 1);
  self->lock_fd = -1;
  self->busy_timeout_ms = CRADLE_DATASET_BUSY_TIMEOUT_MS;
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       finalize_stmt);
  self->tx_created = g_ptr_array_new_with_free_func (g_free);
  self->tx_obsolete = g_ptr_array_new_with_free_func (g_free);
  self->dir = g_canonicalize_filename (dir, NULL);
  self->db_path = g_build_filename (self->dir, CRADLE_DATASET_DB_NAME, NULL);
  display = g_filename_display_name (self->dir);

  new_folder = !g_file_test (self->dir, G_FILE_TEST_EXISTS);
  if (!new_folder && !g_file_test (self->dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_OPEN,
                   "Cannot open the dataset %s: it is a file, not a folder", display);
      return NULL;
    }
  if (new_folder && g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_OPEN,
                   "Cannot create the dataset folder %s: %s", display, g_strerror (saved));
      return NULL;
    }

  lock_path = g_build_filename (self->dir, LOCK_NAME, NULL);
  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved = errno;

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_OPEN,
                   "Cannot open the dataset %s: cannot create its lock file: %s",
                   display, g_strerror (saved));
      return NULL;
    }
  exclusive = flock (self->lock_fd, LOCK_EX | LOCK_NB) == 0;
  if (!exclusive && !lock_shared (self, error))
    return NULL;

  /* Create the database file ourselves so that it is 0600 from the start
   * (SQLite gives -wal and -shm the database file's mode). Never truncated. */
  fd = g_open (self->db_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_OPEN,
                   "Cannot open the dataset database %s/%s: %s", display,
                   CRADLE_DATASET_DB_NAME, g_strerror (saved));
      return NULL;
    }
  g_close (fd, NULL);

  rc = sqlite3_open_v2 (self->db_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (self, rc, "opening", error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  cradle_dataset_set_busy_timeout (self, self->busy_timeout_ms);

  /* Read the header before changing anything: a newer or foreign file is
   * refused untouched (journal_mode=WAL would rewrite its header). */
  if (!check_header (self, &version, error))
    return NULL;

  if (!exec1 (self, "PRAGMA foreign_keys = ON", "enabling foreign keys", error))
    return NULL;
  /* FULL rather than NORMAL: with WAL, NORMAL survives an application kill
   * but may lose the last commits on power loss. We unlink files right after
   * the commit that stops naming them, so a lost commit could leave a row
   * pointing at a removed file; FULL syncs the WAL at every commit. Imports
   * batch their rows in one transaction, so the cost is small. */
  if (!exec1 (self, "PRAGMA journal_mode = WAL", "switching to WAL", error) ||
      !exec1 (self, "PRAGMA synchronous = FULL", "setting synchronous", error))
    return NULL;
  if (version < CRADLE_DATASET_SCHEMA_VERSION && !migrate (self, error))
    return NULL;

  if (version == 0)
    g_chmod (self->dir, 0700);
  chmod_if_exists (self->db_path);
  {
    g_autofree char *wal = g_strconcat (self->db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (self->db_path, "-shm", NULL);

    chmod_if_exists (wal);
    chmod_if_exists (shm);
  }

  if (exclusive)
    {
      cleanup_at_open (self);
      /* Downgrade; another opener may slip in between, which is harmless:
       * we have written nothing yet. */
      if (flock (self->lock_fd, LOCK_SH | LOCK_NB) != 0 && !lock_shared (self, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
cradle_dataset_free (CradleDataset *self)
{
  if (self == NULL)
    return;
  if (self->in_transaction)
    cradle_dataset_rollback (self);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->lock_fd >= 0)
    g_close (self->lock_fd, NULL);
  g_clear_pointer (&self->tx_created, g_ptr_array_unref);
  g_clear_pointer (&self->tx_obsolete, g_ptr_array_unref);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self);
}

const char *
cradle_dataset_get_dir (CradleDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dir;
}

char *
cradle_dataset_resolve_path (CradleDataset *self,
                             const char    *relative)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (relative != NULL, NULL);

  return g_build_filename (self->dir, relative, NULL);
}

struct sqlite3 *
cradle_dataset_get_db (CradleDataset *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->db;
}

/* ---- Caller's transactions --------------------------------------------------- */

gboolean
cradle_dataset_begin (CradleDataset  *self,
                      GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!exec1 (self, "BEGIN IMMEDIATE", "starting a transaction", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

/* On failure the transaction is rolled back (and its new files removed). */
gboolean
cradle_dataset_commit (CradleDataset  *self,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec1 (self, "COMMIT", "committing", error))
    {
      cradle_dataset_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  unlink_all (self->tx_obsolete);
  g_ptr_array_set_size (self->tx_obsolete, 0);
  g_ptr_array_set_size (self->tx_created, 0);
  return TRUE;
}

void
cradle_dataset_rollback (CradleDataset *self)
{
  g_return_if_fail (self != NULL);

  if (!sqlite3_get_autocommit (self->db))
    exec1 (self, "ROLLBACK", "rolling back", NULL);
  self->in_transaction = FALSE;
  unlink_all (self->tx_created);
  g_ptr_array_set_size (self->tx_created, 0);
  g_ptr_array_set_size (self->tx_obsolete, 0);
}
