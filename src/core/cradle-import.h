/* cradle-import.h — importing folders of audio into a dataset, exporting
 * it again, and Audacity label files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cradle-dataset.h"

G_BEGIN_DECLS

#define CRADLE_IMPORT_ERROR (cradle_import_error_quark ())

typedef enum {
  CRADLE_IMPORT_ERROR_FOLDER,      /* the folder to import cannot be read */
  CRADLE_IMPORT_ERROR_MAPPING,     /* a --map FROM=TO is malformed or TO is not a label */
  CRADLE_IMPORT_ERROR_LABELS_FILE, /* an Audacity label file is malformed (file and line named) */
  CRADLE_IMPORT_ERROR_MANIFEST,    /* cradle-manifest.json is malformed */
  CRADLE_IMPORT_ERROR_EXPORT,      /* the export target cannot be written */
  CRADLE_IMPORT_ERROR_CANCELLED,
} CradleImportError;

GQuark cradle_import_error_quark (void);

/* The manifest an export to folders writes at its root, and that an import
 * of such a folder reads back (babies, labels, status, groups, segments,
 * notes, dates). */
#define CRADLE_MANIFEST_NAME "cradle-manifest.json"

typedef enum {
  CRADLE_IMPORT_LAYOUT_AUTO,        /* per file: manifest, then donateacry, esc50, chunk names, else stem */
  CRADLE_IMPORT_LAYOUT_FOLDERS,     /* label = folder; group = file stem (chunk names: source) */
  CRADLE_IMPORT_LAYOUT_DONATEACRY,  /* <uuid>-<unix time>-<version>-<m|f>-<age>-<reason> */
  CRADLE_IMPORT_LAYOUT_ESC50,       /* [esc50-]<fold>-<clip id>-<take>[-<class>] */
} CradleImportLayout;

gboolean    cradle_import_layout_from_string (const char *name, CradleImportLayout *layout);
const char *cradle_import_layout_to_string   (CradleImportLayout layout);

/* What a file's name says; a pure function, no I/O. */
typedef struct {
  char   *group_key;  /* never NULL after a successful parse */
  char   *baby;       /* nullable: donateacry's app-install uuid */
  char   *gender;     /* nullable: "m" or "f" */
  char   *age_band;   /* nullable: "0–4 weeks", "4–8 weeks", "2–6 months", "7 months–2 years", "over 2 years" */
  char   *cause;      /* nullable: a vocabulary name from a donateacry reason code or an ESC-50 class */
  gint64  created;    /* unix seconds, 0 when the name does not say */
  char   *reason;     /* nullable: donateacry's two-letter reason code as written ("hu", "dk", …) */
} CradleNameInfo;

void     cradle_name_info_clear   (CradleNameInfo    *info);
/* BASENAME with or without its extension. FALSE when it does not fit
 * LAYOUT; AUTO always fits (the group falls back to the stem). Chunked
 * names "<source>_<n>" give the group "<source>"; ESC-50 names give
 * "esc50-<clip id>"; donateacry names give the uuid (lower case). */
gboolean cradle_import_parse_name (CradleImportLayout layout,
                                   const char        *basename,
                                   CradleNameInfo    *info);

/* Folder names → vocabulary names. Built in: every vocabulary name maps to
 * itself, and hungry→hunger, belly_pain→pain, tired→sleepy, noise→background,
 * crying_baby→cry, laughing→laugh, talk→speech, quiet→silence (case and
 * "-"/" "/"_" insensitive). */
typedef struct _CradleLabelMap CradleLabelMap;

CradleLabelMap *cradle_label_map_new    (void);
void            cradle_label_map_free   (CradleLabelMap *map);
/* "FROM=TO"; TO is checked against the vocabulary at import. */
gboolean        cradle_label_map_add    (CradleLabelMap *map,
                                         const char     *from_eq_to,
                                         GError        **error);
/* TO may also be CRADLE_IMPORT_UNLABELED: files of that folder are imported
 * without a clip label. */
#define CRADLE_IMPORT_UNLABELED "unlabeled"

/* The vocabulary name for FOLDER (or CRADLE_IMPORT_UNLABELED), or NULL. */
const char     *cradle_label_map_lookup (CradleLabelMap *map,
                                         const char     *folder);

typedef void (*CradleImportProgressFunc) (guint       done,
                                          guint       total,
                                          const char *path,
                                          gpointer    user_data);

typedef struct {
  CradleImportLayout        layout;
  CradleLabelMap           *map;          /* nullable: the built-in map */
  guint                     batch_size;   /* files per transaction; 0 means 64 */
  CradleImportProgressFunc  progress;     /* nullable; called on the calling thread */
  gpointer                  user_data;
  GCancellable             *cancellable;  /* nullable */
} CradleImportOptions;

typedef struct {
  char *path;
  char *reason;
} CradleImportSkip;

typedef struct {
  guint       n_files;       /* audio files found */
  guint       n_added;
  guint       n_duplicates;  /* content already in the dataset (same source sha256) */
  guint       n_skipped;     /* unreadable, unmapped label, … */
  GPtrArray  *skipped;       /* (element-type CradleImportSkip) */
  GHashTable *added_per_label; /* label name (or "unlabeled") → GUINT_TO_POINTER (count) */
} CradleImportSummary;

void     cradle_import_summary_clear (CradleImportSummary *summary);

/* Imports every audio file under DIR. A file that cannot be used is
 * skipped and listed with its reason; the import never stops half-way for
 * one file. Returns FALSE only when nothing more can be done (DIR
 * unreadable, a database failure, cancelled): what was committed before
 * stays, SUMMARY says how far it got. SUMMARY must be zeroed (g_auto) or
 * cleared; it is reset first. Cancelling commits the open batch, then
 * returns CRADLE_IMPORT_ERROR_CANCELLED. */
gboolean cradle_import_folder        (CradleDataset              *dataset,
                                      const char                 *dir,
                                      const CradleImportOptions  *options,
                                      CradleImportSummary        *summary,
                                      GError                    **error);

/* ---- Export ------------------------------------------------------------- */

typedef enum {
  CRADLE_EXPORT_FOLDERS,   /* OUT/<label>/<file>.flac + OUT/cradle-manifest.json */
  CRADLE_EXPORT_CSV,       /* OUT is a CSV manifest: one row per recording */
  CRADLE_EXPORT_JSON,      /* OUT is the JSON manifest (paths absolute) */
  CRADLE_EXPORT_AUDACITY,  /* OUT/<file stem>.txt for every recording with segments */
} CradleExportFormat;

gboolean    cradle_export_format_from_string (const char *name, CradleExportFormat *format);

/* FILTER nullable (everything). Files are written to temporary names and
 * renamed into place. N_EXPORTED (nullable): recordings exported. */
gboolean cradle_export (CradleDataset               *dataset,
                        CradleExportFormat           format,
                        const char                  *out,
                        const CradleRecordingFilter *filter,
                        guint                       *n_exported,
                        GError                     **error);

/* ---- Audacity label files: start<TAB>end<TAB>label per line ------------ */

/* (element-type CradleSegment; id and recording_id 0) Lines of Audacity's
 * spectral selection ("\\\t…") are skipped. A malformed line is
 * CRADLE_IMPORT_ERROR_LABELS_FILE naming the file and line. */
GPtrArray *cradle_audacity_labels_read  (const char  *path,
                                         GError     **error);
gboolean   cradle_audacity_labels_write (const char  *path,
                                         GPtrArray   *segments,
                                         GError     **error);
/* Reads PATH and replaces RECORDING_ID's segments with it. Labels go
 * through MAP (nullable: built-in) and must be in the vocabulary; segments
 * must lie within the recording. N (nullable): segments imported. */
gboolean   cradle_import_audacity_labels (CradleDataset  *dataset,
                                          gint64          recording_id,
                                          const char     *path,
                                          CradleLabelMap *map,
                                          guint          *n,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleLabelMap, cradle_label_map_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleNameInfo, cradle_name_info_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleImportSummary, cradle_import_summary_clear)

G_END_DECLS
