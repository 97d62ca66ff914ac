/* cradle-dataset.h — the dataset store: a folder with a SQLite database and
 * the audio files beside it
 *
 *   DIR/                      0700
 *     cradle.db               0600, WAL, foreign keys on, busy timeout
 *     cradle.db-wal, -shm
 *     .lock                   advisory lock (flock): shared while open,
 *                             exclusive while cleaning up at open
 *     audio/<label>/<name>_<timestamp>.flac     0600, 16-bit FLAC, mono
 *     audio/unlabeled/…       recordings without a clip label
 *
 * Recordings are never stored as blobs. A new recording is written to a
 * temporary file (".tmp-*") in its folder, fsynced, renamed into place, and
 * its row inserted and committed right after (in the caller's transaction
 * when one is open). Relabelling moves the file with link → update → commit
 * → unlink. So after a kill at any moment no row points at a missing file;
 * what can remain is a temporary file or a file no row names, and the next
 * open that gets the lock exclusively (no other process has the dataset
 * open) removes both.
 *
 * All SQL goes through prepared statements. The schema version lives in
 * PRAGMA user_version and is migrated forward on open; a database from a
 * newer Cradle is refused (CRADLE_DATASET_ERROR_NEWER_SCHEMA). A database
 * locked by another writer is waited for (busy timeout), then reported
 * (CRADLE_DATASET_ERROR_LOCKED).
 *
 * A CradleDataset is used from one thread at a time; other processes may
 * open the same folder concurrently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cradle-audio.h"

G_BEGIN_DECLS

#define CRADLE_DATASET_ERROR (cradle_dataset_error_quark ())

typedef enum {
  CRADLE_DATASET_ERROR_OPEN,          /* the folder or database cannot be opened or created */
  CRADLE_DATASET_ERROR_NEWER_SCHEMA,  /* made by a newer Cradle: refused, untouched */
  CRADLE_DATASET_ERROR_NOT_DATASET,   /* the file is not a Cradle database */
  CRADLE_DATASET_ERROR_LOCKED,        /* another process held a lock past the timeout */
  CRADLE_DATASET_ERROR_NOT_FOUND,     /* no such recording, baby, label or segment */
  CRADLE_DATASET_ERROR_INVALID,       /* a bad value: unknown label, empty alias, end < start… */
  CRADLE_DATASET_ERROR_EXISTS,        /* a duplicate: alias, label name */
  CRADLE_DATASET_ERROR_IN_USE,        /* e.g. removing a label that recordings still carry */
  CRADLE_DATASET_ERROR_IO,            /* writing, moving or removing a file failed */
  CRADLE_DATASET_ERROR_SQL,           /* any other SQLite failure (message has SQLite's text) */
} CradleDatasetError;

GQuark cradle_dataset_error_quark (void);

#define CRADLE_DATASET_SCHEMA_VERSION 1
#define CRADLE_DATASET_DB_NAME        "cradle.db"
#define CRADLE_DATASET_UNLABELED_DIR  "unlabeled"
/* How long a statement waits for another process's write lock. */
#define CRADLE_DATASET_BUSY_TIMEOUT_MS 5000

typedef struct _CradleDataset CradleDataset;

/* $XDG_DATA_HOME/cradle/default (g_get_user_data_dir()). */
char          *cradle_dataset_default_dir   (void);

/* Opens DIR, creating the folder (0700), database (0600) and default
 * vocabulary when missing. Migrates an older schema; refuses a newer one. */
CradleDataset *cradle_dataset_open          (const char     *dir,
                                             GError        **error);
void           cradle_dataset_free          (CradleDataset  *self);
const char    *cradle_dataset_get_dir       (CradleDataset  *self);
/* Absolute path of a recording's RELATIVE path (g_free). */
char          *cradle_dataset_resolve_path  (CradleDataset  *self,
                                             const char     *relative);

/* Transactions for batches (import). Outside one, every write commits on
 * its own. Nested begin is a programmer error. */
gboolean       cradle_dataset_begin         (CradleDataset  *self,
                                             GError        **error);
gboolean       cradle_dataset_commit        (CradleDataset  *self,
                                             GError        **error);
void           cradle_dataset_rollback      (CradleDataset  *self);

/* ---- The label vocabulary ------------------------------------------- */

/* The default vocabulary, in order: hunger, pain, sleepy, diaper,
 * attention, burping, discomfort, cry (cause unknown) — all cry labels —
 * then background, laugh, speech, silence — not cry. */
typedef struct {
  char     *name;          /* lower case, [a-z0-9_-]+ */
  gboolean  is_cry;
  char     *description;   /* e.g. "Cry, cause unknown" */
  guint     position;
} CradleLabelInfo;

void       cradle_label_info_free        (CradleLabelInfo *info);
/* (element-type CradleLabelInfo) in vocabulary order */
GPtrArray *cradle_dataset_list_labels    (CradleDataset   *self,
                                          GError         **error);
/* FALSE when NAME is not in the vocabulary. IS_CRY nullable. */
gboolean   cradle_dataset_lookup_label   (CradleDataset   *self,
                                          const char      *name,
                                          gboolean        *is_cry);
gboolean   cradle_dataset_add_label      (CradleDataset   *self,
                                          const char      *name,
                                          gboolean         is_cry,
                                          const char      *description,
                                          GError         **error);
gboolean   cradle_dataset_set_label_is_cry (CradleDataset *self,
                                            const char    *name,
                                            gboolean       is_cry,
                                            GError       **error);
/* Renames in the vocabulary, on every recording and segment, and moves the
 * files to audio/NEW/. */
gboolean   cradle_dataset_rename_label   (CradleDataset   *self,
                                          const char      *old_name,
                                          const char      *new_name,
                                          GError         **error);
/* IN_USE while any recording or segment carries it. */
gboolean   cradle_dataset_remove_label   (CradleDataset   *self,
                                          const char      *name,
                                          GError         **error);

/* ---- Babies ------------------------------------------------------------ */

typedef struct {
  gint64  id;
  char   *alias;        /* unique, non-empty */
  char   *birth_date;   /* nullable, YYYY-MM-DD */
  char   *age_band;     /* nullable, e.g. "0-4 weeks" */
  char   *gender;       /* nullable, "f" / "m" / free text */
  char   *notes;        /* nullable */
  char   *created;      /* ISO 8601 UTC */
} CradleBaby;

void       cradle_baby_free              (CradleBaby      *baby);
/* Returns the new id, or 0 with ERROR (EXISTS for a taken alias). BABY->id
 * and ->created are ignored. */
gint64     cradle_dataset_add_baby       (CradleDataset   *self,
                                          const CradleBaby *baby,
                                          GError         **error);
/* The baby with alias ALIAS_OR_ID, or with that numeric id. (transfer full) */
CradleBaby *cradle_dataset_find_baby     (CradleDataset   *self,
                                          const char      *alias_or_id,
                                          GError         **error);
/* (element-type CradleBaby), by alias */
GPtrArray *cradle_dataset_list_babies    (CradleDataset   *self,
                                          GError         **error);
/* Removes every recording of the baby (rows, labels, segments, cached
 * features, monitor events, files) and the baby itself. Files are removed
 * after the rows are committed; one left by a crash in between is removed
 * at the next open. N_REMOVED (nullable): recordings removed. */
gboolean   cradle_dataset_forget_baby    (CradleDataset   *self,
                                          gint64           baby_id,
                                          guint           *n_removed,
                                          GError         **error);

/* ---- Recordings --------------------------------------------------------- */

typedef enum {
  CRADLE_LABEL_STATUS_NONE,        /* no clip label */
  CRADLE_LABEL_STATUS_CONFIRMED,   /* a person chose LABEL */
  CRADLE_LABEL_STATUS_DONT_KNOW,   /* a person listened and does not know; LABEL is NULL */
  CRADLE_LABEL_STATUS_PREDICTED,   /* a model chose LABEL: predicted, unreviewed */
} CradleLabelStatus;

const char *cradle_label_status_to_string   (CradleLabelStatus status);  /* "none", "confirmed", "dont-know", "predicted" */
gboolean    cradle_label_status_from_string (const char *text, CradleLabelStatus *status);

typedef struct {
  gint64             id;
  char              *path;           /* relative to the dataset folder */
  char              *sha256;         /* of the stored file: the feature-cache key */
  char              *source_sha256;  /* of the original file: de-duplication */
  guint              sample_rate;
  guint              channels;       /* of the original (the stored file is mono) */
  double             duration;       /* seconds */
  char              *source;         /* "import", "record", "monitor" */
  char              *source_path;    /* nullable: where it was imported from */
  char              *device;         /* nullable: the input device */
  char              *created;        /* ISO 8601 UTC */
  gint64             baby_id;        /* 0: none */
  char              *baby_alias;     /* nullable */
  char              *group_key;      /* never NULL: the baby, or the source group */
  char              *notes;          /* nullable */
  char              *label;          /* nullable: the clip label */
  CradleLabelStatus  label_status;
  char              *labeler;        /* nullable */
  double             confidence;     /* 0..1, or -1 when not given */
} CradleRecording;

void       cradle_recording_free         (CradleRecording *recording);

/* What to add. AUDIO is written as 16-bit mono FLAC at its own rate. */
typedef struct {
  const CradleAudio *audio;
  const char        *label;          /* nullable; must be in the vocabulary */
  CradleLabelStatus  label_status;   /* NONE when label is NULL, unless DONT_KNOW */
  const char        *labeler;        /* nullable */
  double             confidence;     /* -1: not given */
  gint64             baby_id;        /* 0: none */
  const char        *group_key;      /* nullable: the baby's alias, else "recording-<id>" */
  const char        *source;         /* "import", "record", "monitor" */
  const char        *source_path;    /* nullable */
  const char        *source_sha256;  /* nullable: the stored file's sha256 is used */
  guint              channels;       /* of the original; 0 means 1 */
  const char        *device;         /* nullable */
  gint64             created;        /* unix seconds; 0 means now */
  const char        *notes;          /* nullable */
  const char        *file_stem;      /* nullable: the name before _<timestamp>; default baby alias or group */
} CradleRecordingSpec;

/* Writes the file (temp + rename) and inserts the row; returns the new id
 * or 0 with ERROR. The file name is audio/<label|unlabeled>/<stem>_<UTC
 * yyyymmddThhmmss>[-N].flac with the stem reduced to [A-Za-z0-9._-]. */
gint64     cradle_dataset_add_recording  (CradleDataset             *self,
                                          const CradleRecordingSpec *spec,
                                          GError                   **error);
/* The id of the recording with this source_sha256, or 0. */
gint64     cradle_dataset_find_by_source_sha256 (CradleDataset *self,
                                                 const char    *source_sha256);
/* (transfer full) */
CradleRecording *cradle_dataset_get_recording (CradleDataset *self,
                                               gint64         id,
                                               GError       **error);

typedef struct {
  const char *label;          /* nullable: only this clip label */
  gint64      baby_id;        /* 0: any */
  const char *group_key;      /* nullable */
  gboolean    unlabeled;      /* only recordings without a clip label */
  const char *search;         /* nullable: substring of path, notes, baby alias or group */
} CradleRecordingFilter;

/* (element-type CradleRecording), by id. FILTER nullable. */
GPtrArray *cradle_dataset_list_recordings (CradleDataset               *self,
                                           const CradleRecordingFilter *filter,
                                           GError                     **error);
/* Sets the clip label (moving the file to the label's folder). LABEL NULL
 * with DONT_KNOW or NONE. CONFIDENCE -1 when not given. */
gboolean   cradle_dataset_set_label      (CradleDataset     *self,
                                          gint64             id,
                                          const char        *label,
                                          CradleLabelStatus  status,
                                          const char        *labeler,
                                          double             confidence,
                                          GError           **error);
gboolean   cradle_dataset_set_baby       (CradleDataset   *self,
                                          gint64           id,
                                          gint64           baby_id,
                                          GError         **error);
gboolean   cradle_dataset_set_notes      (CradleDataset   *self,
                                          gint64           id,
                                          const char      *notes,
                                          GError         **error);
/* Removes the row (labels, segments, events) and then the file. */
gboolean   cradle_dataset_delete_recording (CradleDataset *self,
                                            gint64         id,
                                            GError       **error);

/* ---- Segments ----------------------------------------------------------- */

typedef struct {
  gint64  id;
  gint64  recording_id;
  double  start;          /* seconds, 0 <= start < end <= duration (+ 1 ms) */
  double  end;
  char   *label;          /* in the vocabulary */
  char   *labeler;        /* nullable */
} CradleSegment;

void       cradle_segment_free           (CradleSegment   *segment);
/* (element-type CradleSegment), by start */
GPtrArray *cradle_dataset_list_segments  (CradleDataset   *self,
                                          gint64           recording_id,
                                          GError         **error);
gint64     cradle_dataset_add_segment    (CradleDataset   *self,
                                          gint64           recording_id,
                                          double           start,
                                          double           end,
                                          const char      *label,
                                          const char      *labeler,
                                          GError         **error);
gboolean   cradle_dataset_delete_segment (CradleDataset   *self,
                                          gint64           segment_id,
                                          GError         **error);
/* Replaces all segments of RECORDING_ID with SEGMENTS (element-type
 * CradleSegment; id and recording_id ignored) in one transaction. */
gboolean   cradle_dataset_replace_segments (CradleDataset *self,
                                            gint64         recording_id,
                                            GPtrArray     *segments,
                                            GError       **error);

/* ---- Statistics --------------------------------------------------------- */

typedef struct {
  char    *key;        /* label name, baby alias or group key */
  gboolean is_cry;     /* labels only */
  guint    count;      /* recordings */
  double   seconds;
} CradleDatasetCount;

typedef struct {
  guint      n_recordings;
  double     total_seconds;
  guint      n_unlabeled;     /* no clip label */
  guint      n_dont_know;
  guint      n_predicted;     /* predicted, unreviewed */
  guint      n_babies;
  guint      n_groups;
  GPtrArray *per_label;       /* (element-type CradleDatasetCount), vocabulary order, every label incl. 0 */
  GPtrArray *per_baby;        /* by alias; recordings without a baby not listed */
  GPtrArray *per_group;       /* by key */
  double     imbalance;       /* largest / smallest count among labels with ≥ 1 recording (1 when < 2 labels) */
} CradleDatasetStats;

void       cradle_dataset_stats_free     (CradleDatasetStats *stats);
/* (transfer full) */
CradleDatasetStats *cradle_dataset_get_stats (CradleDataset *self,
                                              GError       **error);

/* ---- Feature cache --------------------------------------------------------- */

/* Cached clip vectors keyed by (stored file sha256, analysis-config hash). */
gboolean   cradle_dataset_cache_lookup   (CradleDataset   *self,
                                          const char      *sha256,
                                          const char      *config_hash,
                                          float           *values,
                                          guint            n_values);
gboolean   cradle_dataset_cache_store    (CradleDataset   *self,
                                          const char      *sha256,
                                          const char      *config_hash,
                                          const float     *values,
                                          guint            n_values,
                                          GError         **error);

/* ---- Integrity ------------------------------------------------------------ */

typedef struct {
  gboolean   integrity_ok;        /* PRAGMA integrity_check said "ok" */
  char      *integrity_message;   /* its first line otherwise */
  gboolean   foreign_keys_ok;     /* PRAGMA foreign_key_check found nothing */
  GPtrArray *missing_files;       /* (element-type utf8) rows whose file is missing */
  GPtrArray *untracked_files;     /* (element-type utf8) files under audio/ no row names */
  GPtrArray *temp_files;          /* (element-type utf8) leftover temporary files */
  guint      removed_at_open;     /* temp + untracked files removed by the last cleanup */
} CradleDatasetCheck;

void       cradle_dataset_check_clear    (CradleDatasetCheck *check);
/* Inspects without changing anything. */
gboolean   cradle_dataset_check          (CradleDataset      *self,
                                          CradleDatasetCheck *check,
                                          GError            **error);

/* For the later issues' tables (models, monitor events): the raw handle.
 * (transfer none) */
struct sqlite3;
struct sqlite3 *cradle_dataset_get_db    (CradleDataset   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleDataset, cradle_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleLabelInfo, cradle_label_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleBaby, cradle_baby_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleRecording, cradle_recording_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleSegment, cradle_segment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleDatasetStats, cradle_dataset_stats_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleDatasetCheck, cradle_dataset_check_clear)

G_END_DECLS
