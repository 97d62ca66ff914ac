/* test-dataset.c — the dataset store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-dataset-private.h"
#include "cradle-test-util.h"

/* ---- Helpers -------------------------------------------------------------- */

typedef struct {
  char          *dir;
  CradleDataset *ds;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("cradle-dataset-XXXXXX", &error);

  g_assert_no_error (error);
  /* A folder that does not exist yet: open creates it. */
  f->dir = g_build_filename (tmp, "data", NULL);
  f->ds = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->ds);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->dir);

  g_clear_pointer (&f->ds, cradle_dataset_free);
  cradle_test_rm_rf (parent);
  g_free (f->dir);
}

/* A tone of SECONDS at 16 kHz. */
static CradleAudio *
make_audio (double seconds,
            double hz)
{
  gsize n = (gsize) (seconds * 16000);
  CradleAudio *audio = cradle_audio_new (16000, n);
  g_autofree float *x = cradle_test_sine (n, 16000, hz, 0.5);

  memcpy (audio->samples, x, n * sizeof (float));
  return audio;
}

static gint64
add (CradleDataset *ds,
     double         seconds,
     const char    *label,
     gint64         baby_id,
     const char    *group)
{
  g_autoptr(CradleAudio) audio = make_audio (seconds, 440.0);
  g_autoptr(GError) error = NULL;
  CradleRecordingSpec spec = { 0 };
  gint64 id;

  spec.audio = audio;
  spec.label = label;
  spec.label_status = label != NULL ? CRADLE_LABEL_STATUS_CONFIRMED : CRADLE_LABEL_STATUS_NONE;
  spec.confidence = -1;
  spec.baby_id = baby_id;
  spec.group_key = group;
  spec.source = "record";
  spec.created = 1700000000;
  id = cradle_dataset_add_recording (ds, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_baby (CradleDataset *ds,
          const char    *alias)
{
  g_autoptr(GError) error = NULL;
  CradleBaby baby = { .alias = (char *) alias };
  gint64 id = cradle_dataset_add_baby (ds, &baby, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static char *
path_of (CradleDataset *ds,
         gint64         id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleRecording) r = cradle_dataset_get_recording (ds, id, &error);

  g_assert_no_error (error);
  return cradle_dataset_resolve_path (ds, r->path);
}

/* Runs SQL on a separate sqlite3 connection to DIR's database. */
static void
raw_sql (const char *dir,
         const char *sql)
{
  g_autofree char *db_path = g_build_filename (dir, CRADLE_DATASET_DB_NAME, NULL);
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

/* ---- Tests ------------------------------------------------------------------ */

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, CRADLE_DATASET_DB_NAME, NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *expected = g_canonicalize_filename (f->dir, NULL);
  g_autofree char *file = NULL;
  g_autofree char *audio_dir = NULL;
  sqlite3_stmt *s = NULL;
  gint64 id;

  g_assert_cmpstr (cradle_dataset_get_dir (f->ds), ==, expected);
  g_assert_cmpuint (file_mode (f->dir), ==, 0700);
  g_assert_cmpuint (file_mode (db), ==, 0600);
  id = add (f->ds, 0.5, "hunger", 0, NULL);
  file = path_of (f->ds, id);
  audio_dir = g_path_get_dirname (file);
  g_assert_cmpuint (file_mode (file), ==, 0600);
  g_assert_cmpuint (file_mode (audio_dir), ==, 0700);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (file_mode (wal), ==, 0600);

  /* WAL, foreign keys, version. */
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (f->ds), "PRAGMA journal_mode", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "wal");
  sqlite3_finalize (s);
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (f->ds), "PRAGMA foreign_keys", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (s, 0), ==, 1);
  sqlite3_finalize (s);
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (f->ds), "PRAGMA user_version", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (s, 0), ==, CRADLE_DATASET_SCHEMA_VERSION);
  sqlite3_finalize (s);
}

static void
test_umask (void)
{
  /* Permissions do not depend on the umask. */
  g_autofree char *tmp = g_dir_make_tmp ("cradle-dataset-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "d", NULL);
  g_autofree char *db = g_build_filename (dir, CRADLE_DATASET_DB_NAME, NULL);
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  mode_t old = umask (0);

  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  file = path_of (ds, add (ds, 0.2, NULL, 0, "g"));
  umask (old);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (db), ==, 0600);
  g_assert_cmpuint (file_mode (file), ==, 0600);
  g_assert_true (strstr (file, "/audio/unlabeled/g_20231114T221320Z.flac") != NULL);
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (tmp);
}

static void
test_vocabulary (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const names[] = {
    "hunger", "pain", "sleepy", "diaper", "attention", "burping", "discomfort", "cry",
    "background", "laugh", "speech", "silence",
  };
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_cry = FALSE;
  CradleLabelInfo *info;
  gint64 id;

  labels = cradle_dataset_list_labels (f->ds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (labels->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < labels->len; i++)
    {
      info = g_ptr_array_index (labels, i);
      g_assert_cmpstr (info->name, ==, names[i]);
      g_assert_cmpint (info->is_cry, ==, i < 8);
      g_assert_cmpuint (info->position, ==, i);
    }
  info = g_ptr_array_index (labels, 7);
  g_assert_cmpstr (info->description, ==, "Cry, cause unknown");

  /* Edits. */
  g_assert_true (cradle_dataset_add_label (f->ds, "colic", TRUE, "Colic", &error));
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_lookup_label (f->ds, "colic", &is_cry));
  g_assert_true (is_cry);
  g_assert_false (cradle_dataset_add_label (f->ds, "colic", TRUE, NULL, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cradle_dataset_add_label (f->ds, "Bad Name", TRUE, NULL, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cradle_dataset_add_label (f->ds, "unlabeled", FALSE, NULL, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cradle_dataset_set_label_is_cry (f->ds, "colic", FALSE, &error));
  g_assert_true (cradle_dataset_lookup_label (f->ds, "colic", &is_cry));
  g_assert_false (is_cry);

  /* Rename moves the files and relabels. */
  id = add (f->ds, 0.3, "colic", 0, NULL);
  cradle_dataset_add_segment (f->ds, id, 0.0, 0.1, "colic", NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *old_path = path_of (f->ds, id);
    g_autofree char *new_path = NULL;
    g_autoptr(CradleRecording) r = NULL;
    g_autoptr(GPtrArray) segs = NULL;

    g_assert_true (cradle_dataset_rename_label (f->ds, "colic", "gas", &error));
    g_assert_no_error (error);
    g_assert_false (cradle_dataset_lookup_label (f->ds, "colic", NULL));
    r = cradle_dataset_get_recording (f->ds, id, &error);
    g_assert_cmpstr (r->label, ==, "gas");
    g_assert_true (g_str_has_prefix (r->path, "audio/gas/"));
    new_path = cradle_dataset_resolve_path (f->ds, r->path);
    g_assert_true (g_file_test (new_path, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
    segs = cradle_dataset_list_segments (f->ds, id, &error);
    g_assert_cmpuint (segs->len, ==, 1);
    g_assert_cmpstr (((CradleSegment *) g_ptr_array_index (segs, 0))->label, ==, "gas");
  }

  /* Remove: refused while used, then allowed; positions stay contiguous. */
  g_assert_false (cradle_dataset_remove_label (f->ds, "gas", &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "gas"));
  g_clear_error (&error);
  g_assert_true (cradle_dataset_delete_recording (f->ds, id, &error));
  g_assert_true (cradle_dataset_remove_label (f->ds, "gas", &error));
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_remove_label (f->ds, "pain", &error));
  g_assert_false (cradle_dataset_remove_label (f->ds, "pain", &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = cradle_dataset_list_labels (f->ds, &error);
  g_assert_cmpuint (labels->len, ==, 11);
  g_assert_cmpstr (((CradleLabelInfo *) g_ptr_array_index (labels, 1))->name, ==, "sleepy");
}

static void
test_babies (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) babies = NULL;
  g_autoptr(CradleBaby) found = NULL;
  g_autoptr(CradleBaby) by_id = NULL;
  g_autofree char *id_text = NULL;
  CradleBaby zoe = { .alias = (char *) "Zoe", .birth_date = (char *) "2024-02-29",
                     .age_band = (char *) "0-4 weeks", .gender = (char *) "f",
                     .notes = (char *) "twin" };
  CradleBaby bad_date = { .alias = (char *) "Ada", .birth_date = (char *) "2023-02-29" };
  CradleBaby empty = { .alias = (char *) "  " };
  gint64 zoe_id, ada_id;

  zoe_id = cradle_dataset_add_baby (f->ds, &zoe, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &zoe, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Zoe"));
  g_clear_error (&error);
  /* Aliases are unique regardless of case. */
  zoe.alias = (char *) "zoe";
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &zoe, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &bad_date, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2023-02-29"));
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &empty, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  ada_id = add_baby (f->ds, "Ada");

  babies = cradle_dataset_list_babies (f->ds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (babies->len, ==, 2);
  g_assert_cmpstr (((CradleBaby *) g_ptr_array_index (babies, 0))->alias, ==, "Ada");
  g_assert_cmpint (((CradleBaby *) g_ptr_array_index (babies, 0))->id, ==, ada_id);

  found = cradle_dataset_find_baby (f->ds, "zoe", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, zoe_id);
  g_assert_cmpstr (found->birth_date, ==, "2024-02-29");
  g_assert_cmpstr (found->age_band, ==, "0-4 weeks");
  g_assert_cmpstr (found->gender, ==, "f");
  g_assert_cmpstr (found->notes, ==, "twin");
  g_assert_true (g_str_has_suffix (found->created, "Z"));
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, ada_id);
  by_id = cradle_dataset_find_baby (f->ds, id_text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_id->alias, ==, "Ada");
  g_assert_null (cradle_dataset_find_baby (f->ds, "Nobody", &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Nobody"));
}

static void
test_add_recording (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CradleAudio) audio = make_audio (1.25, 300.0);
  g_autoptr(CradleAudio) loaded = NULL;
  g_autoptr(CradleRecording) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *file2 = NULL;
  CradleRecordingSpec spec = { 0 };
  gint64 baby, id, id2;

  baby = add_baby (f->ds, "Émile Ünder/score");
  spec.audio = audio;
  spec.label = "pain";
  spec.label_status = CRADLE_LABEL_STATUS_PREDICTED;
  spec.labeler = "model-3";
  spec.confidence = 0.75;
  spec.baby_id = baby;
  spec.source = "monitor";
  spec.source_path = "/src/x.wav";
  spec.source_sha256 = "abc";
  spec.channels = 2;
  spec.device = "USB mic";
  spec.created = 1700000000;  /* 2023-11-14T22:13:20Z */
  spec.notes = "night";
  id = cradle_dataset_add_recording (f->ds, &spec, &error);
  g_assert_no_error (error);
  r = cradle_dataset_get_recording (f->ds, id, &error);
  g_assert_no_error (error);
  /* Stem from the alias, reduced to [A-Za-z0-9._-]. */
  g_assert_cmpstr (r->path, ==, "audio/pain/mile_nder_score_20231114T221320Z.flac");
  g_assert_cmpuint (r->sample_rate, ==, 16000);
  g_assert_cmpuint (r->channels, ==, 2);
  g_assert_cmpfloat_with_epsilon (r->duration, 1.25, 1e-9);
  g_assert_cmpstr (r->source, ==, "monitor");
  g_assert_cmpstr (r->source_path, ==, "/src/x.wav");
  g_assert_cmpstr (r->source_sha256, ==, "abc");
  g_assert_cmpstr (r->device, ==, "USB mic");
  g_assert_cmpstr (r->created, ==, "2023-11-14T22:13:20Z");
  g_assert_cmpint (r->baby_id, ==, baby);
  g_assert_cmpstr (r->baby_alias, ==, "Émile Ünder/score");
  g_assert_cmpstr (r->group_key, ==, "Émile Ünder/score");
  g_assert_cmpstr (r->notes, ==, "night");
  g_assert_cmpstr (r->label, ==, "pain");
  g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_PREDICTED);
  g_assert_cmpstr (r->labeler, ==, "model-3");
  g_assert_cmpfloat_with_epsilon (r->confidence, 0.75, 1e-12);

  file = cradle_dataset_resolve_path (f->ds, r->path);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  sha = file_sha256 (file);
  g_assert_cmpstr (r->sha256, ==, sha);
  loaded = cradle_audio_load (file, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->n_samples, ==, audio->n_samples);
  g_assert_cmpfloat_with_epsilon (loaded->samples[100], audio->samples[100], 1.0 / 32768);
  g_assert_cmpint (cradle_dataset_find_by_source_sha256 (f->ds, "abc"), ==, id);
  g_assert_cmpint (cradle_dataset_find_by_source_sha256 (f->ds, "nope"), ==, 0);

  /* Same second, same stem: a -2 name, never a replaced file. */
  id2 = cradle_dataset_add_recording (f->ds, &spec, &error);
  g_assert_no_error (error);
  file2 = path_of (f->ds, id2);
  g_assert_true (g_str_has_suffix (file2, "/audio/pain/mile_nder_score_20231114T221320Z-2.flac"));
  {
    g_autofree char *again = file_sha256 (file);

    g_assert_cmpstr (r->sha256, ==, again);
  }

  /* Defaults: source sha = stored sha, group "recording-<id>", stem. */
  {
    g_autoptr(CradleRecording) r3 = NULL;
    g_autofree char *group = NULL;
    CradleRecordingSpec plain = { .audio = audio, .confidence = -1, .file_stem = "../../x y" };
    gint64 id3 = cradle_dataset_add_recording (f->ds, &plain, &error);

    g_assert_no_error (error);
    r3 = cradle_dataset_get_recording (f->ds, id3, &error);
    group = g_strdup_printf ("recording-%" G_GINT64_FORMAT, id3);
    g_assert_cmpstr (r3->group_key, ==, group);
    g_assert_cmpstr (r3->source_sha256, ==, r3->sha256);
    g_assert_cmpint (r3->label_status, ==, CRADLE_LABEL_STATUS_NONE);
    g_assert_null (r3->label);
    g_assert_cmpfloat (r3->confidence, ==, -1.0);
    g_assert_true (g_str_has_prefix (r3->path, "audio/unlabeled/x_y_"));
  }

  /* Bad input: unknown label, unknown baby, bad confidence. Nothing left. */
  spec.label = "hungry";
  g_assert_cmpint (cradle_dataset_add_recording (f->ds, &spec, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“hungry” is not in the vocabulary"));
  g_assert_nonnull (strstr (error->message, "hunger, pain, sleepy"));
  g_assert_nonnull (strstr (error->message, cradle_dataset_get_dir (f->ds)));
  g_clear_error (&error);
  spec.label = "pain";
  spec.baby_id = 999;
  g_assert_cmpint (cradle_dataset_add_recording (f->ds, &spec, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  spec.baby_id = baby;
  spec.confidence = 1.5;
  g_assert_cmpint (cradle_dataset_add_recording (f->ds, &spec, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_auto(CradleDatasetCheck) check = { 0 };

    g_assert_true (cradle_dataset_check (f->ds, &check, &error));
    g_assert_cmpuint (check.untracked_files->len, ==, 0);
    g_assert_cmpuint (check.temp_files->len, ==, 0);
    g_assert_cmpuint (check.missing_files->len, ==, 0);
  }
  g_assert_null (cradle_dataset_get_recording (f->ds, 4242, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No recording with id 4242 in "));
}

static void
test_list_filters (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ada = add_baby (f->ds, "Ada");
  gint64 ben = add_baby (f->ds, "Ben");
  gint64 r1 = add (f->ds, 0.2, "hunger", ada, NULL);
  gint64 r2 = add (f->ds, 0.2, "pain", ada, NULL);
  gint64 r3 = add (f->ds, 0.2, "hunger", ben, NULL);
  gint64 r4 = add (f->ds, 0.2, NULL, 0, "esc50-1_100%");
  struct {
    CradleRecordingFilter filter;
    gint64 expected[4];
  } cases[] = {
    { { 0 }, { r1, r2, r3, r4 } },
    { { .label = "hunger" }, { r1, r3 } },
    { { .baby_id = ada }, { r1, r2 } },
    { { .label = "hunger", .baby_id = ben }, { r3 } },
    { { .group_key = "Ada" }, { r1, r2 } },
    { { .unlabeled = TRUE }, { r4 } },
    { { .search = "ESC50" }, { r4 } },
    { { .search = "_100%" }, { r4 } },
    { { .search = "50_1" }, { 0 } },  /* "_" is literal, not a wildcard */
    { { .search = "QUIET" }, { 0 } },  /* notes, set below */
    { { .search = "ben" }, { r3 } },    /* the baby's alias */
    { { .label = "sleepy" }, { 0 } },
  };

  g_assert_true (cradle_dataset_set_notes (f->ds, r2, "Be quiet", &error));
  cases[9].expected[0] = r2;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) list = cradle_dataset_list_recordings (f->ds, &cases[c].filter, &error);
      guint n = 0;

      g_assert_no_error (error);
      while (n < 4 && cases[c].expected[n] != 0)
        n++;
      g_assert_cmpuint (list->len, ==, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (((CradleRecording *) g_ptr_array_index (list, i))->id, ==, cases[c].expected[i]);
    }
  {
    g_autoptr(GPtrArray) all = cradle_dataset_list_recordings (f->ds, NULL, &error);

    g_assert_cmpuint (all->len, ==, 4);
  }
}

static void
test_set_label (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add (f->ds, 0.3, NULL, 0, "g1");
  g_autofree char *before = path_of (f->ds, id);
  g_autofree char *sha = file_sha256 (before);
  g_autofree char *after = NULL;
  g_autofree char *dk = NULL;

  g_assert_true (strstr (before, "/audio/unlabeled/") != NULL);
  g_assert_true (cradle_dataset_set_label (f->ds, id, "sleepy", CRADLE_LABEL_STATUS_CONFIRMED,
                                           "mum", 0.9, &error));
  g_assert_no_error (error);
  after = path_of (f->ds, id);
  g_assert_true (strstr (after, "/audio/sleepy/g1_20231114T221320Z.flac") != NULL);
  g_assert_true (g_file_test (after, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (before, G_FILE_TEST_EXISTS));
  {
    g_autofree char *moved_sha = file_sha256 (after);

    g_assert_cmpstr (moved_sha, ==, sha);
  }
  g_assert_cmpuint (file_mode (after), ==, 0600);
  {
    g_autoptr(CradleRecording) r = cradle_dataset_get_recording (f->ds, id, &error);

    g_assert_cmpstr (r->label, ==, "sleepy");
    g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_CONFIRMED);
    g_assert_cmpstr (r->labeler, ==, "mum");
    g_assert_cmpfloat_with_epsilon (r->confidence, 0.9, 1e-12);
  }

  /* Don't know: back in unlabeled/, no label, status kept. */
  g_assert_true (cradle_dataset_set_label (f->ds, id, NULL, CRADLE_LABEL_STATUS_DONT_KNOW,
                                           "dad", -1, &error));
  g_assert_no_error (error);
  dk = path_of (f->ds, id);
  g_assert_true (strstr (dk, "/audio/unlabeled/") != NULL);
  g_assert_false (g_file_test (after, G_FILE_TEST_EXISTS));
  {
    g_autoptr(CradleRecording) r = cradle_dataset_get_recording (f->ds, id, &error);
    g_autoptr(GPtrArray) unlabeled = NULL;
    CradleRecordingFilter filter = { .unlabeled = TRUE };

    g_assert_null (r->label);
    g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_DONT_KNOW);
    g_assert_cmpstr (r->labeler, ==, "dad");
    g_assert_cmpfloat (r->confidence, ==, -1.0);
    /* "Unlabeled" means no clip label at all: don't know is a label. */
    unlabeled = cradle_dataset_list_recordings (f->ds, &filter, &error);
    g_assert_cmpuint (unlabeled->len, ==, 0);
  }

  /* Invalid combinations change nothing. */
  g_assert_false (cradle_dataset_set_label (f->ds, id, "hungry", CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "hungry"));
  g_clear_error (&error);
  g_assert_false (cradle_dataset_set_label (f->ds, id, "pain", CRADLE_LABEL_STATUS_DONT_KNOW, NULL, -1, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cradle_dataset_set_label (f->ds, 999, "pain", CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_test (dk, G_FILE_TEST_IS_REGULAR));

  /* Clear. */
  g_assert_true (cradle_dataset_set_label (f->ds, id, NULL, CRADLE_LABEL_STATUS_NONE, NULL, -1, &error));
  {
    g_autoptr(CradleRecording) r = cradle_dataset_get_recording (f->ds, id, &error);

    g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_NONE);
    g_assert_null (r->labeler);
  }
}

static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) segs = NULL;
  g_autoptr(GPtrArray) replacement = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);
  gint64 id = add (f->ds, 2.0, "cry", 0, NULL);
  gint64 s1, s2;
  CradleSegment *seg;

  s2 = cradle_dataset_add_segment (f->ds, id, 1.0, 2.0, "pain", "mum", &error);
  g_assert_no_error (error);
  s1 = cradle_dataset_add_segment (f->ds, id, 0.0, 0.5, "hunger", NULL, &error);
  g_assert_no_error (error);
  segs = cradle_dataset_list_segments (f->ds, id, &error);
  g_assert_cmpuint (segs->len, ==, 2);
  seg = g_ptr_array_index (segs, 0);
  g_assert_cmpint (seg->id, ==, s1);
  g_assert_cmpfloat (seg->end, ==, 0.5);
  g_assert_cmpstr (seg->label, ==, "hunger");
  seg = g_ptr_array_index (segs, 1);
  g_assert_cmpint (seg->id, ==, s2);
  g_assert_cmpstr (seg->labeler, ==, "mum");

  /* end > start, within duration (+1 ms), label known, recording known. */
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, id, 0.5, 0.5, "pain", NULL, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, id, -0.1, 0.5, "pain", NULL, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, id, 1.5, 2.01, "pain", NULL, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, id, 1.5, 2.0005, "pain", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, id, 0.1, 0.2, "hungry", NULL, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cradle_dataset_add_segment (f->ds, 999, 0.1, 0.2, "pain", NULL, &error), ==, 0);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cradle_dataset_delete_segment (f->ds, s1, &error));
  g_assert_false (cradle_dataset_delete_segment (f->ds, s1, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Replace: all or nothing. */
  seg = g_new0 (CradleSegment, 1);
  seg->start = 0.25;
  seg->end = 0.75;
  seg->label = g_strdup ("laugh");
  g_ptr_array_add (replacement, seg);
  seg = g_new0 (CradleSegment, 1);
  seg->start = 0.8;
  seg->end = 3.0;   /* past the end */
  seg->label = g_strdup ("laugh");
  g_ptr_array_add (replacement, seg);
  g_assert_false (cradle_dataset_replace_segments (f->ds, id, replacement, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&segs, g_ptr_array_unref);
  segs = cradle_dataset_list_segments (f->ds, id, &error);
  g_assert_cmpuint (segs->len, ==, 2);
  seg->end = 1.0;
  g_assert_true (cradle_dataset_replace_segments (f->ds, id, replacement, &error));
  g_assert_no_error (error);
  g_clear_pointer (&segs, g_ptr_array_unref);
  segs = cradle_dataset_list_segments (f->ds, id, &error);
  g_assert_cmpuint (segs->len, ==, 2);
  g_assert_cmpfloat (((CradleSegment *) g_ptr_array_index (segs, 0))->start, ==, 0.25);
  g_assert_cmpstr (((CradleSegment *) g_ptr_array_index (segs, 1))->label, ==, "laugh");
}

static const CradleDatasetCount *
count_of (GPtrArray  *counts,
          const char *key)
{
  for (guint i = 0; i < counts->len; i++)
    {
      const CradleDatasetCount *c = g_ptr_array_index (counts, i);

      if (g_str_equal (c->key, key))
        return c;
    }
  g_assert_not_reached ();
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDatasetStats) stats = NULL;
  gint64 ada = add_baby (f->ds, "Ada");
  gint64 ben = add_baby (f->ds, "Ben");
  gint64 dk, pred;
  const CradleDatasetCount *c;
  guint sum = 0;

  add_baby (f->ds, "Cleo");   /* no recordings */
  add (f->ds, 1.0, "hunger", ada, NULL);
  add (f->ds, 2.0, "hunger", ada, NULL);
  add (f->ds, 1.5, "hunger", ben, NULL);
  add (f->ds, 0.5, "pain", ben, NULL);
  add (f->ds, 0.25, "laugh", 0, "esc50-7");
  add (f->ds, 0.75, NULL, 0, "esc50-7");
  dk = add (f->ds, 0.5, NULL, 0, "g9");
  pred = add (f->ds, 0.5, NULL, ada, NULL);
  g_assert_true (cradle_dataset_set_label (f->ds, dk, NULL, CRADLE_LABEL_STATUS_DONT_KNOW, NULL, -1, &error));
  g_assert_true (cradle_dataset_set_label (f->ds, pred, "pain", CRADLE_LABEL_STATUS_PREDICTED, "m", 0.6, &error));

  stats = cradle_dataset_get_stats (f->ds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_recordings, ==, 8);
  g_assert_cmpfloat_with_epsilon (stats->total_seconds, 7.0, 1e-9);
  g_assert_cmpuint (stats->n_unlabeled, ==, 1);
  g_assert_cmpuint (stats->n_dont_know, ==, 1);
  g_assert_cmpuint (stats->n_predicted, ==, 1);
  g_assert_cmpuint (stats->n_babies, ==, 3);
  g_assert_cmpuint (stats->n_groups, ==, 4);   /* Ada, Ben, esc50-7, g9 */

  g_assert_cmpuint (stats->per_label->len, ==, 12);
  c = g_ptr_array_index (stats->per_label, 0);
  g_assert_cmpstr (c->key, ==, "hunger");
  g_assert_true (c->is_cry);
  g_assert_cmpuint (c->count, ==, 3);
  g_assert_cmpfloat_with_epsilon (c->seconds, 4.5, 1e-9);
  c = count_of (stats->per_label, "pain");   /* the predicted one is not counted */
  g_assert_cmpuint (c->count, ==, 1);
  g_assert_cmpfloat_with_epsilon (c->seconds, 0.5, 1e-9);
  c = count_of (stats->per_label, "laugh");
  g_assert_false (c->is_cry);
  g_assert_cmpuint (c->count, ==, 1);
  g_assert_cmpuint (count_of (stats->per_label, "silence")->count, ==, 0);
  for (guint i = 0; i < stats->per_label->len; i++)
    sum += ((CradleDatasetCount *) g_ptr_array_index (stats->per_label, i))->count;
  g_assert_cmpuint (sum + stats->n_unlabeled + stats->n_dont_know + stats->n_predicted, ==, stats->n_recordings);

  g_assert_cmpuint (stats->per_baby->len, ==, 3);
  c = g_ptr_array_index (stats->per_baby, 0);
  g_assert_cmpstr (c->key, ==, "Ada");
  g_assert_cmpuint (c->count, ==, 3);
  g_assert_cmpfloat_with_epsilon (c->seconds, 3.5, 1e-9);
  c = g_ptr_array_index (stats->per_baby, 2);
  g_assert_cmpstr (c->key, ==, "Cleo");
  g_assert_cmpuint (c->count, ==, 0);
  c = count_of (stats->per_group, "esc50-7");
  g_assert_cmpuint (c->count, ==, 2);
  g_assert_cmpfloat_with_epsilon (c->seconds, 1.0, 1e-9);
  /* hunger 3, pain 1, laugh 1 → 3. */
  g_assert_cmpfloat_with_epsilon (stats->imbalance, 3.0, 1e-12);
}

static void
test_stats_empty (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDatasetStats) stats = cradle_dataset_get_stats (f->ds, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_recordings, ==, 0);
  g_assert_cmpfloat (stats->total_seconds, ==, 0.0);
  g_assert_cmpfloat (stats->imbalance, ==, 1.0);
  g_assert_cmpuint (stats->per_label->len, ==, 12);
  g_assert_cmpuint (stats->per_group->len, ==, 0);
}

static void
test_feature_cache (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  float in[5] = { 1.5f, -0.0f, 3.25e-7f, -1e30f, 42.0f };
  float out[5] = { 0 };
  sqlite3_stmt *s = NULL;
  const guint8 *blob;

  g_assert_false (cradle_dataset_cache_lookup (f->ds, "sha", "cfg", out, 5));
  g_assert_true (cradle_dataset_cache_store (f->ds, "sha", "cfg", in, 5, &error));
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_cache_lookup (f->ds, "sha", "cfg", out, 5));
  g_assert_cmpmem (in, sizeof in, out, sizeof out);
  /* Misses: other config, other sha, other length. */
  g_assert_false (cradle_dataset_cache_lookup (f->ds, "sha", "cfg2", out, 5));
  g_assert_false (cradle_dataset_cache_lookup (f->ds, "sha2", "cfg", out, 5));
  g_assert_false (cradle_dataset_cache_lookup (f->ds, "sha", "cfg", out, 4));
  /* Replace. */
  in[0] = 7.0f;
  g_assert_true (cradle_dataset_cache_store (f->ds, "sha", "cfg", in, 5, &error));
  g_assert_true (cradle_dataset_cache_lookup (f->ds, "sha", "cfg", out, 5));
  g_assert_cmpfloat (out[0], ==, 7.0f);
  /* Stored as little-endian float32: 7.0f = 0x40e00000. */
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (f->ds),
                                       "SELECT vector FROM feature_cache", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (s, 0), ==, 20);
  blob = sqlite3_column_blob (s, 0);
  g_assert_cmpuint (blob[0], ==, 0x00);
  g_assert_cmpuint (blob[2], ==, 0xe0);
  g_assert_cmpuint (blob[3], ==, 0x40);
  sqlite3_finalize (s);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 a = add (f->ds, 0.3, "hunger", 0, "g");
  gint64 b = add (f->ds, 0.3, "pain", 0, "g");
  g_autofree char *file_a = path_of (f->ds, a);
  g_autofree char *file_b = path_of (f->ds, b);
  g_autoptr(CradleRecording) ra = cradle_dataset_get_recording (f->ds, a, &error);
  float v = 1.0f;

  cradle_dataset_add_segment (f->ds, a, 0.0, 0.1, "hunger", NULL, &error);
  g_assert_no_error (error);
  cradle_dataset_cache_store (f->ds, ra->sha256, "cfg", &v, 1, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_delete_recording (f->ds, a, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (file_a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (file_b, G_FILE_TEST_EXISTS));
  g_assert_null (cradle_dataset_get_recording (f->ds, a, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Cascades: segments gone. The same tone is in b: its cache row stays. */
  {
    g_autoptr(GPtrArray) segs = cradle_dataset_list_segments (f->ds, a, &error);

    g_assert_cmpuint (segs->len, ==, 0);
  }
  g_assert_true (cradle_dataset_cache_lookup (f->ds, ra->sha256, "cfg", &v, 1));
  g_assert_true (cradle_dataset_delete_recording (f->ds, b, &error));
  g_assert_false (cradle_dataset_cache_lookup (f->ds, ra->sha256, "cfg", &v, 1));

  g_assert_false (cradle_dataset_delete_recording (f->ds, a, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No recording with id"));
}

static gint64
add_tone (CradleDataset *ds,
          gint64         baby_id,
          double         hz)
{
  g_autoptr(CradleAudio) audio = make_audio (0.3, hz);
  g_autoptr(GError) error = NULL;
  CradleRecordingSpec spec = { .audio = audio, .label = "hunger", .confidence = -1,
                               .baby_id = baby_id };
  gint64 id = cradle_dataset_add_recording (ds, &spec, &error);

  g_assert_no_error (error);
  return id;
}

static void
test_forget_baby (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ada = add_baby (f->ds, "Ada");
  gint64 ben = add_baby (f->ds, "Ben");
  gint64 a1 = add_tone (f->ds, ada, 300);
  gint64 a2 = add_tone (f->ds, ada, 400);
  gint64 b1 = add_tone (f->ds, ben, 500);
  g_autofree char *fa1 = path_of (f->ds, a1);
  g_autofree char *fa2 = path_of (f->ds, a2);
  g_autofree char *fb1 = path_of (f->ds, b1);
  g_autoptr(CradleRecording) ra1 = cradle_dataset_get_recording (f->ds, a1, &error);
  g_autoptr(CradleRecording) rb1 = cradle_dataset_get_recording (f->ds, b1, &error);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) babies = NULL;
  float v = 2.0f;
  guint n = 0;

  cradle_dataset_cache_store (f->ds, ra1->sha256, "cfg", &v, 1, &error);
  cradle_dataset_cache_store (f->ds, rb1->sha256, "cfg", &v, 1, &error);
  cradle_dataset_add_segment (f->ds, a2, 0.0, 0.1, "pain", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cradle_dataset_forget_baby (f->ds, ada, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_false (g_file_test (fa1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fa2, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fb1, G_FILE_TEST_EXISTS));
  g_assert_false (cradle_dataset_cache_lookup (f->ds, ra1->sha256, "cfg", &v, 1));
  g_assert_true (cradle_dataset_cache_lookup (f->ds, rb1->sha256, "cfg", &v, 1));
  left = cradle_dataset_list_recordings (f->ds, NULL, &error);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpint (((CradleRecording *) g_ptr_array_index (left, 0))->id, ==, b1);
  babies = cradle_dataset_list_babies (f->ds, &error);
  g_assert_cmpuint (babies->len, ==, 1);
  g_assert_cmpstr (((CradleBaby *) g_ptr_array_index (babies, 0))->alias, ==, "Ben");
  {
    g_auto(CradleDatasetCheck) check = { 0 };
    sqlite3_stmt *s = NULL;

    g_assert_true (cradle_dataset_check (f->ds, &check, &error));
    g_assert_true (check.foreign_keys_ok);
    g_assert_cmpuint (check.untracked_files->len, ==, 0);
    /* No segment rows of the forgotten baby are left. */
    g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (f->ds),
                                         "SELECT COUNT (*) FROM segments", -1, &s, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (s, 0), ==, 0);
    sqlite3_finalize (s);
  }
  g_assert_false (cradle_dataset_forget_baby (f->ds, ada, &n, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
}

static void
test_transaction (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *relabelled = NULL;
  gint64 keep = add (f->ds, 0.2, "hunger", 0, "k");
  gint64 id;
  g_autofree char *file = NULL;

  kept = path_of (f->ds, keep);
  /* Rolled back: the new file and the relabel's link are removed, the
   * old file stays. */
  g_assert_true (cradle_dataset_begin (f->ds, &error));
  id = add (f->ds, 0.2, "pain", 0, "t");
  file = path_of (f->ds, id);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (cradle_dataset_set_label (f->ds, keep, "sleepy", CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error));
  relabelled = path_of (f->ds, keep);
  /* A failed call inside leaves the rest of the transaction alone. */
  g_assert_false (cradle_dataset_set_label (f->ds, id, "nope", CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error));
  g_clear_error (&error);
  cradle_dataset_rollback (f->ds);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (relabelled, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
  list = cradle_dataset_list_recordings (f->ds, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Committed: the old name goes at commit, not before. */
  g_assert_true (cradle_dataset_begin (f->ds, &error));
  g_assert_true (cradle_dataset_set_label (f->ds, keep, "sleepy", CRADLE_LABEL_STATUS_CONFIRMED, NULL, -1, &error));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_assert_true (cradle_dataset_commit (f->ds, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_clear_pointer (&relabelled, g_free);
  relabelled = path_of (f->ds, keep);
  g_assert_true (g_file_test (relabelled, G_FILE_TEST_EXISTS));
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-dataset-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, CRADLE_DATASET_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize n_before, n_after;
  CradleDataset *ds;

  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  add (ds, 0.2, "hunger", 0, NULL);
  cradle_dataset_free (ds);
  raw_sql (dir, "PRAGMA user_version = 99");
  g_assert_true (g_file_get_contents (db, &before, &n_before, NULL));

  ds = cradle_dataset_open (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "version 99"));
  g_assert_nonnull (strstr (error->message, "up to 1"));
  g_assert_nonnull (strstr (error->message, db));
  g_assert_true (g_file_get_contents (db, &after, &n_after, NULL));
  g_assert_cmpmem (before, n_before, after, n_after);
  cradle_test_rm_rf (dir);
}

static void
test_not_a_dataset (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-dataset-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, CRADLE_DATASET_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree float *noise = cradle_test_noise (1024, 1.0, 7);
  gsize n_after;
  CradleDataset *ds;

  g_assert_true (g_file_set_contents (db, (const char *) noise, 4096, NULL));
  ds = cradle_dataset_open (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_DATASET);
  g_assert_nonnull (strstr (error->message, db));
  g_assert_true (g_file_get_contents (db, &after, &n_after, NULL));
  g_assert_cmpmem (noise, 4096, after, n_after);
  g_clear_error (&error);

  /* An SQLite database of another program. */
  g_unlink (db);
  raw_sql (dir, "CREATE TABLE contacts (name TEXT)");
  ds = cradle_dataset_open (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_DATASET);
  g_assert_nonnull (strstr (error->message, "not a Cradle dataset"));
  g_clear_error (&error);

  /* A folder path that is a file. */
  ds = cradle_dataset_open (db, &error);
  g_assert_null (ds);
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_OPEN);
  cradle_test_rm_rf (dir);
}

static void
test_migration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-dataset-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  sqlite3_stmt *s = NULL;

  /* An empty SQLite file at version 0 (e.g. left by a crash before the
   * first migration committed) is brought to the current version. */
  raw_sql (dir, "PRAGMA user_version = 0");
  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  labels = cradle_dataset_list_labels (ds, &error);
  g_assert_cmpuint (labels->len, ==, 12);
  g_assert_cmpint (sqlite3_prepare_v2 (cradle_dataset_get_db (ds), "SELECT name FROM sqlite_master "
                                       "WHERE type = 'table' AND name IN ('models', 'monitor_events', "
                                       "'feature_cache', 'segments') ORDER BY name", -1, &s, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  sqlite3_finalize (s);
  g_clear_pointer (&ds, cradle_dataset_free);
  /* Reopening runs nothing again (the vocabulary is not doubled). */
  ds = cradle_dataset_open (dir, &error);
  g_assert_no_error (error);
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = cradle_dataset_list_labels (ds, &error);
  g_assert_cmpuint (labels->len, ==, 12);
  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db_path = g_build_filename (f->dir, CRADLE_DATASET_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  sqlite3 *other = NULL;
  gint64 start, waited;
  CradleBaby baby = { .alias = (char *) "Ada" };

  add (f->ds, 0.2, "hunger", 0, NULL);
  cradle_dataset_set_busy_timeout (f->ds, 300);
  g_assert_cmpint (sqlite3_open (db_path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "INSERT INTO babies (alias, created) VALUES ('x', 'now')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Reads still work under WAL. */
  list = cradle_dataset_list_recordings (f->ds, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  start = g_get_monotonic_time ();
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &baby, &error), ==, 0);
  waited = g_get_monotonic_time () - start;
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, db_path));
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_cmpint (waited, >=, 250 * 1000);
  g_clear_error (&error);
  /* A new recording's file is not left behind either. */
  {
    g_autoptr(CradleAudio) audio = make_audio (0.2, 440);
    CradleRecordingSpec spec = { .audio = audio, .confidence = -1 };
    g_auto(CradleDatasetCheck) check = { 0 };

    g_assert_cmpint (cradle_dataset_add_recording (f->ds, &spec, &error), ==, 0);
    g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_LOCKED);
    g_clear_error (&error);
    sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
    g_assert_true (cradle_dataset_check (f->ds, &check, &error));
    g_assert_cmpuint (check.untracked_files->len + check.temp_files->len, ==, 0);
  }
  sqlite3_close (other);

  /* Released: the write goes through. */
  g_assert_cmpint (cradle_dataset_add_baby (f->ds, &baby, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_orphan_cleanup (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_file = NULL;
  g_autofree char *untracked = NULL;
  g_autofree char *tracked = NULL;
  g_autofree char *folder = NULL;
  CradleDataset *second;
  gint64 id = add (f->ds, 0.2, "hunger", 0, NULL);

  tracked = path_of (f->ds, id);
  folder = g_path_get_dirname (tracked);
  tmp_file = g_build_filename (folder, ".tmp-x.flac", NULL);
  untracked = g_build_filename (f->dir, "audio", "pain", "lost_20240101T000000Z.flac", NULL);
  {
    g_autofree char *pain = g_path_get_dirname (untracked);

    g_mkdir_with_parents (pain, 0700);
  }
  g_assert_true (g_file_set_contents (tmp_file, "half", 4, NULL));
  g_assert_true (g_file_set_contents (untracked, "orphan", 6, NULL));

  {
    g_auto(CradleDatasetCheck) check = { 0 };

    g_assert_true (cradle_dataset_check (f->ds, &check, &error));
    g_assert_cmpuint (check.temp_files->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (check.temp_files, 0), ==, "audio/hunger/.tmp-x.flac");
    g_assert_cmpuint (check.untracked_files->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (check.untracked_files, 0), ==,
                     "audio/pain/lost_20240101T000000Z.flac");
    /* check changes nothing */
    g_assert_true (g_file_test (tmp_file, G_FILE_TEST_EXISTS));
  }

  /* While F->ds is open (shared lock) a second open must not clean up:
   * the files could be another writer's, between rename and commit. */
  second = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (tmp_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (untracked, G_FILE_TEST_EXISTS));
  {
    g_auto(CradleDatasetCheck) check = { 0 };

    g_assert_true (cradle_dataset_check (second, &check, &error));
    g_assert_cmpuint (check.removed_at_open, ==, 0);
  }
  cradle_dataset_free (second);

  /* Alone: cleaned and counted; the tracked file stays. */
  g_clear_pointer (&f->ds, cradle_dataset_free);
  f->ds = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (tmp_file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (untracked, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (tracked, G_FILE_TEST_EXISTS));
  {
    g_auto(CradleDatasetCheck) check = { 0 };

    g_assert_true (cradle_dataset_check (f->ds, &check, &error));
    g_assert_cmpuint (check.removed_at_open, ==, 2);
    g_assert_cmpuint (check.temp_files->len, ==, 0);
    g_assert_cmpuint (check.untracked_files->len, ==, 0);
    g_assert_true (check.integrity_ok);
  }
}

static void
test_check_missing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(CradleDatasetCheck) check = { 0 };
  gint64 id = add (f->ds, 0.2, "hunger", 0, NULL);
  g_autofree char *file = path_of (f->ds, id);
  g_autoptr(CradleRecording) r = cradle_dataset_get_recording (f->ds, id, &error);

  g_assert_true (cradle_dataset_check (f->ds, &check, &error));
  g_assert_true (check.integrity_ok);
  g_assert_null (check.integrity_message);
  g_assert_true (check.foreign_keys_ok);
  g_assert_cmpuint (check.missing_files->len, ==, 0);
  cradle_dataset_check_clear (&check);

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_true (cradle_dataset_check (f->ds, &check, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check.missing_files->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (check.missing_files, 0), ==, r->path);
  /* Reported, not repaired. */
  g_clear_pointer (&r, cradle_recording_free);
  r = cradle_dataset_get_recording (f->ds, id, &error);
  g_assert_nonnull (r);
}

static void
test_default_dir (void)
{
  g_autofree char *dir = cradle_dataset_default_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "cradle", "default", NULL);

  g_assert_cmpstr (dir, ==, expected);
}

static void
test_status_strings (void)
{
  CradleLabelStatus status;

  for (int i = CRADLE_LABEL_STATUS_NONE; i <= CRADLE_LABEL_STATUS_PREDICTED; i++)
    {
      g_assert_true (cradle_label_status_from_string (cradle_label_status_to_string (i), &status));
      g_assert_cmpint (status, ==, i);
    }
  g_assert_cmpstr (cradle_label_status_to_string (CRADLE_LABEL_STATUS_DONT_KNOW), ==, "dont-know");
  g_assert_false (cradle_label_status_from_string ("maybe", &status));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/core/dataset/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("create-permissions", test_create);
  ADD ("vocabulary", test_vocabulary);
  ADD ("babies", test_babies);
  ADD ("add-recording", test_add_recording);
  ADD ("list-filters", test_list_filters);
  ADD ("set-label-moves-file", test_set_label);
  ADD ("segments", test_segments);
  ADD ("stats", test_stats);
  ADD ("stats-empty", test_stats_empty);
  ADD ("feature-cache", test_feature_cache);
  ADD ("delete", test_delete);
  ADD ("forget-baby", test_forget_baby);
  ADD ("transaction", test_transaction);
  ADD ("locked", test_locked);
  ADD ("orphan-cleanup", test_orphan_cleanup);
  ADD ("check-missing-file", test_check_missing);
#undef ADD
  g_test_add_func ("/core/dataset/permissions-umask", test_umask);
  g_test_add_func ("/core/dataset/newer-schema", test_newer_schema);
  g_test_add_func ("/core/dataset/not-a-dataset", test_not_a_dataset);
  g_test_add_func ("/core/dataset/migration-v0", test_migration);
  g_test_add_func ("/core/dataset/default-dir", test_default_dir);
  g_test_add_func ("/core/dataset/status-strings", test_status_strings);
  return g_test_run ();
}
