/* test-import.c — file-name parsing, the label map, Audacity label files,
 * importing folders and exporting them again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-import.h"
#include "cradle-test-util.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cradle-import-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A tone at HZ (distinct per file so contents differ) in DIR/RELATIVE. */
static void
write_tone (const char *dir,
            const char *relative,
            guint       rate,
            double      seconds,
            double      hz)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree float *x = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = (gsize) (rate * seconds);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  audio = cradle_audio_new (rate, n);
  x = cradle_test_sine (n, rate, hz, 0.4);
  memcpy (audio->samples, x, n * sizeof (float));
  g_assert_true (cradle_audio_write (audio, path, g_str_has_suffix (relative, ".flac") ?
                                     CRADLE_AUDIO_FILE_FLAC : CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
}

static void
write_text (const char *dir,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
copy_file (const char *from,
           const char *dir,
           const char *relative)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static CradleDataset *
open_dataset (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CradleDataset *dataset = cradle_dataset_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  return dataset;
}

static guint
added_for (const CradleImportSummary *s,
           const char                *label)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->added_per_label, label));
}

static const char *
skip_reason (const CradleImportSummary *s,
             const char                *basename)
{
  for (guint i = 0; i < s->skipped->len; i++)
    {
      CradleImportSkip *skip = g_ptr_array_index (s->skipped, i);

      if (g_str_has_suffix (skip->path, basename))
        return skip->reason;
    }
  return NULL;
}

static CradleRecording *
find_by_source_name (GPtrArray  *recordings,
                     const char *basename)
{
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);

      if (r->source_path != NULL && g_str_has_suffix (r->source_path, basename))
        return r;
    }
  return NULL;
}

static GPtrArray *
list_all (CradleDataset *dataset)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *recordings = cradle_dataset_list_recordings (dataset, NULL, &error);

  g_assert_no_error (error);
  return recordings;
}

/* ---- names ------------------------------------------------------------------- */

static void
test_parse_donateacry (void)
{
  g_auto(CradleNameInfo) info = { 0 };
  g_auto(CradleNameInfo) ms = { 0 };
  g_auto(CradleNameInfo) ext = { 0 };

  /* Real names from ../shared/data/donateacry, with and without extension. */
  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_DONATEACRY,
                                           "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72-bp",
                                           &info));
  g_assert_cmpstr (info.group_key, ==, "643d64ad-b711-469a-af69-55c0d5d3e30f");
  g_assert_cmpstr (info.baby, ==, "643d64ad-b711-469a-af69-55c0d5d3e30f");
  g_assert_cmpstr (info.gender, ==, "m");
  g_assert_cmpstr (info.age_band, ==, "7 months–2 years");
  g_assert_cmpstr (info.cause, ==, "pain");
  g_assert_cmpstr (info.reason, ==, "bp");
  g_assert_cmpint (info.created, ==, 1430138495);

  /* Later app versions wrote the time in milliseconds. */
  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_AUTO,
                                           "02c3b725-26e4-4a2c-9336-04ddc58836d9-1430726196216-1.7-m-04-hu.flac",
                                           &ms));
  g_assert_cmpstr (ms.group_key, ==, "02c3b725-26e4-4a2c-9336-04ddc58836d9");
  g_assert_cmpint (ms.created, ==, 1430726196);
  g_assert_cmpstr (ms.age_band, ==, "0–4 weeks");
  g_assert_cmpstr (ms.cause, ==, "hunger");

  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_DONATEACRY,
                                           "04c3386b-e6bc-4bd0-8456-d46ae21a73fc-1435305829013-1.7-f-26-dk.wav",
                                           &ext));
  g_assert_cmpstr (ext.gender, ==, "f");
  g_assert_cmpstr (ext.age_band, ==, "2–6 months");
  g_assert_null (ext.cause);     /* don't know */
  g_assert_cmpstr (ext.reason, ==, "dk");

  /* Reason codes without a label of their own. */
  {
    static const char * const codes[][2] = {
      { "hu", "hunger" }, { "bu", "burping" }, { "bp", "pain" }, { "dc", "discomfort" },
      { "ti", "sleepy" }, { "ch", "discomfort" }, { "lo", "attention" }, { "sc", "attention" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
      {
        g_auto(CradleNameInfo) c = { 0 };
        g_autofree char *name =
          g_strdup_printf ("045C5483-69E1-4BEC-B1D8-9286D174B9B2-1430102996-1.0-m-48-%s.flac",
                           codes[i][0]);

        g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_DONATEACRY, name, &c));
        g_assert_cmpstr (c.cause, ==, codes[i][1]);
        g_assert_cmpstr (c.age_band, ==, "4–8 weeks");
      }
  }

  /* Malformed: each fails the donateacry layout. */
  {
    static const char * const bad[] = {
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72",        /* no reason */
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-x-72-bp",     /* gender */
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-99-bp",     /* age code */
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72-zz",     /* reason code */
      "643D64AD-B711-469A-AF69-55C0D5D3E3-1430138495-1.0-m-72-bp",       /* short uuid */
      "643D64AG-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72-bp",     /* not hex */
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-14301x8495-1.0-m-72-bp",     /* time */
      "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-v1-m-72-bp",      /* version */
      "margot_m4a_12", "esc50-1-187207-A", "", ".flac",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(CradleNameInfo) b = { 0 };

        g_assert_false (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_DONATEACRY, bad[i], &b));
      }
  }
}

static void
test_parse_esc50 (void)
{
  g_auto(CradleNameInfo) info = { 0 };
  g_auto(CradleNameInfo) orig = { 0 };
  g_auto(CradleNameInfo) laugh = { 0 };
  g_auto(CradleNameInfo) other = { 0 };

  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_ESC50, "esc50-1-187207-A", &info));
  g_assert_cmpstr (info.group_key, ==, "esc50-187207");
  g_assert_null (info.baby);
  g_assert_null (info.cause);
  g_assert_cmpint (info.created, ==, 0);

  /* ESC-50's own names carry the class: 20 crying_baby, 26 laughing. */
  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_ESC50, "1-187207-A-20.wav", &orig));
  g_assert_cmpstr (orig.group_key, ==, "esc50-187207");
  g_assert_cmpstr (orig.cause, ==, "cry");
  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_AUTO, "3-151080-A-26.wav", &laugh));
  g_assert_cmpstr (laugh.cause, ==, "laugh");
  g_assert_cmpstr (laugh.group_key, ==, "esc50-151080");
  g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_ESC50, "5-9032-A-0.ogg", &other));
  g_assert_cmpstr (other.cause, ==, "background");

  {
    static const char * const bad[] = {
      "esc50-1-187207", "esc50-1-187207-A-B", "esc50-x-187207-A", "esc50-1-18720x-A",
      "esc50-1-187207-4", "1-187207-A-50", "1-187207-A", "margot_m4a_12",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(CradleNameInfo) b = { 0 };

        g_assert_false (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_ESC50, bad[i], &b));
      }
  }
}

static void
test_parse_chunks (void)
{
  static const char * const names[][2] = {
    { "margot_m4a_12", "margot_m4a" },
    { "V_2017-04-01_08_06_22_0_30_mp3_3.flac", "V_2017-04-01_08_06_22_0_30_mp3" },
    { "silence_wav_0", "silence_wav" },
    { "laugh_1_m4a_10.flac", "laugh_1_m4a" },
    /* Not chunks: the group is the stem. */
    { "recording.wav", "recording" },
    { "take_two.flac", "take_two" },
    { "_3.wav", "_3" },
    { "cry_.wav", "cry_" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CradleNameInfo) a = { 0 };
      g_auto(CradleNameInfo) f = { 0 };

      g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_AUTO, names[i][0], &a));
      g_assert_cmpstr (a.group_key, ==, names[i][1]);
      g_assert_null (a.baby);
      g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_FOLDERS, names[i][0], &f));
      g_assert_cmpstr (f.group_key, ==, names[i][1]);
    }

  /* The folders layout does not read donateacry or ESC-50 names. */
  {
    g_auto(CradleNameInfo) f = { 0 };
    g_auto(CradleNameInfo) e = { 0 };
    g_auto(CradleNameInfo) empty = { 0 };

    g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_FOLDERS,
                                             "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72-bp.flac",
                                             &f));
    g_assert_cmpstr (f.group_key, ==, "643D64AD-B711-469A-AF69-55C0D5D3E30F-1430138495-1.0-m-72-bp");
    g_assert_null (f.baby);
    g_assert_true (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_FOLDERS, "esc50-1-187207-A", &e));
    g_assert_cmpstr (e.group_key, ==, "esc50-1-187207-A");
    g_assert_false (cradle_import_parse_name (CRADLE_IMPORT_LAYOUT_AUTO, "", &empty));
  }
}

static void
test_layout_strings (void)
{
  CradleImportLayout layout;
  CradleExportFormat format;

  for (guint i = CRADLE_IMPORT_LAYOUT_AUTO; i <= CRADLE_IMPORT_LAYOUT_ESC50; i++)
    {
      g_assert_true (cradle_import_layout_from_string (cradle_import_layout_to_string (i), &layout));
      g_assert_cmpuint (layout, ==, i);
    }
  g_assert_true (cradle_import_layout_from_string ("DonateACry", &layout));
  g_assert_cmpuint (layout, ==, CRADLE_IMPORT_LAYOUT_DONATEACRY);
  g_assert_false (cradle_import_layout_from_string ("zip", &layout));
  g_assert_false (cradle_import_layout_from_string (NULL, &layout));

  g_assert_true (cradle_export_format_from_string ("csv", &format));
  g_assert_cmpuint (format, ==, CRADLE_EXPORT_CSV);
  g_assert_true (cradle_export_format_from_string ("audacity", &format));
  g_assert_cmpuint (format, ==, CRADLE_EXPORT_AUDACITY);
  g_assert_false (cradle_export_format_from_string ("xml", &format));
}

/* ---- the label map ------------------------------------------------------------ */

static void
test_label_map (void)
{
  g_autoptr(CradleLabelMap) map = cradle_label_map_new ();
  static const char * const builtin[][2] = {
    { "hungry", "hunger" }, { "belly_pain", "pain" }, { "Belly Pain", "pain" },
    { "belly-pain", "pain" }, { "tired", "sleepy" }, { "burping", "burping" },
    { "discomfort", "discomfort" }, { "cry", "cry" }, { "noise", "background" },
    { "laugh", "laugh" }, { "silence", "silence" }, { "speech", "speech" },
    { "crying_baby", "cry" }, { "Laughing", "laugh" }, { "talk", "speech" }, { "quiet", "silence" },
    { "HUNGER", "hunger" }, { "diaper", "diaper" }, { "attention", "attention" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    g_assert_cmpstr (cradle_label_map_lookup (map, builtin[i][0]), ==, builtin[i][1]);
  g_assert_null (cradle_label_map_lookup (map, "streams"));
  g_assert_null (cradle_label_map_lookup (map, "detection"));
  g_assert_null (cradle_label_map_lookup (map, NULL));

  {
    g_autoptr(GError) error = NULL;

    g_assert_true (cradle_label_map_add (map, "streams=background", &error));
    g_assert_no_error (error);
    g_assert_true (cradle_label_map_add (map, " Night Cries = CRY ", &error));
    g_assert_no_error (error);
    g_assert_true (cradle_label_map_add (map, "tired=discomfort", &error));   /* overrides */
    g_assert_no_error (error);
    g_assert_true (cradle_label_map_add (map, "misc=unlabeled", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (cradle_label_map_lookup (map, "streams"), ==, "background");
  g_assert_cmpstr (cradle_label_map_lookup (map, "night-cries"), ==, "cry");
  g_assert_cmpstr (cradle_label_map_lookup (map, "tired"), ==, "discomfort");
  g_assert_cmpstr (cradle_label_map_lookup (map, "misc"), ==, CRADLE_IMPORT_UNLABELED);

  {
    static const char * const bad[] = { "streams", "=cry", "streams=", "a=b c", "a=Ü", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (cradle_label_map_add (map, bad[i], &error));
        g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING);
        g_test_message ("--map %s: %s", bad[i], error->message);
      }
  }
}

/* ---- Audacity label files --------------------------------------------------- */

static void
test_audacity_round_trip (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "labels.txt", NULL);
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { double start, end; const char *label; } want[] = {
    { 0.0, 1.25, "cry" }, { 2.5, 3.000001, "laugh" }, { 10.123456, 12.0, "night cry, loud" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      CradleSegment *s = g_new0 (CradleSegment, 1);

      s->start = want[i].start;
      s->end = want[i].end;
      s->label = g_strdup (want[i].label);
      g_ptr_array_add (segments, s);
    }
  g_assert_true (cradle_audacity_labels_write (path, segments, &error));
  g_assert_no_error (error);
  back = cradle_audacity_labels_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < back->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (back, i);

      /* Written with six decimals: exact to half a microsecond. */
      g_assert_cmpfloat_with_epsilon (s->start, want[i].start, 5e-7);
      g_assert_cmpfloat_with_epsilon (s->end, want[i].end, 5e-7);
      g_assert_cmpstr (s->label, ==, want[i].label);
      g_assert_cmpint (s->id, ==, 0);
      g_assert_cmpint (s->recording_id, ==, 0);
    }

  /* Audacity's own file: spectral lines, CRLF, blank lines, a label with a tab. */
  {
    g_autoptr(GPtrArray) a = NULL;

    write_text (dir, "audacity.txt",
                "1.500000\t2.750000\tcry\r\n"
                "\\\t100.0\t4000.0\r\n"
                "\r\n"
                "  \n"
                "3\t3.5\tbaby\tlaughing\n"
                "4.25\t4.25\tpoint\n");
    g_free (path);
    path = g_build_filename (dir, "audacity.txt", NULL);
    a = cradle_audacity_labels_read (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (a->len, ==, 3);
    g_assert_cmpfloat (((CradleSegment *) a->pdata[0])->start, ==, 1.5);
    g_assert_cmpstr (((CradleSegment *) a->pdata[1])->label, ==, "baby\tlaughing");
    g_assert_cmpfloat (((CradleSegment *) a->pdata[2])->end, ==, 4.25);
  }
  cradle_test_rm_rf (dir);
}

static void
test_audacity_malformed (void)
{
  g_autofree char *dir = make_tmp_dir ();
  static const struct {
    const char *text;
    const char *needle;   /* in the message, besides the file and line */
    guint       line;
  } cases[] = {
    { "0\t1\tcry\n1,5\t2\tcry\n", "not a number", 2 },
    { "0\t1\tcry\nabc\t2\tcry\n", "not a number", 2 },
    { "0\t1\n", "found 2 fields", 1 },
    { "0 1 cry\n", "found 1 field", 1 },
    { "\n\n2\t1\tcry\n", "before the start", 3 },
    { "0\t1\t \n", "label is empty", 1 },
    { "-1\t1\tcry\n", "negative", 1 },
    { "0\tnan\tcry\n", "not a number", 1 },
    { "0\t1e400\tcry\n", "not a number", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u.txt", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *where = g_strdup_printf ("line %u", cases[i].line);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) segments = NULL;

      write_text (dir, name, cases[i].text);
      segments = cradle_audacity_labels_read (path, &error);
      g_assert_null (segments);
      g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, name));
      g_assert_nonnull (strstr (error->message, where));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }

  {
    g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_null (cradle_audacity_labels_read (missing, &error));
    g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE);
    g_assert_nonnull (strstr (error->message, "missing.txt"));
  }
  cradle_test_rm_rf (dir);
}

/* ---- importing a synthetic tree -------------------------------------------------- */

#define UUID_A "045C5483-69E1-4BEC-B1D8-9286D174B9B2"
#define UUID_B "02c3b725-26e4-4a2c-9336-04ddc58836d9"

/* SRC holds 12 audio files:
 *   hungry/   UUID_A-…-hu.wav, UUID_A-…(2)-hu.flac, dup.wav (= the first's bytes)
 *   tired/    UUID_B-…-ti.wav
 *   noise/    esc50-1-100032-A.wav, esc50-2-100032-B.wav
 *   cry/      margot_m4a_0.flac, margot_m4a_1.flac, bad.wav (text), empty.wav (0 bytes)
 *   donate/   UUID_B-…-dk.wav (folder not a label, reason dk: don't know)
 *   streams/  long.wav (folder not a label)
 *   root.wav  (no folder)
 * plus notes.txt and .hidden/x.wav, which are not looked at. */
static void
make_tree (const char *src)
{
  g_autofree char *first = g_build_filename (src, "hungry", UUID_A "-1430102996-1.0-m-48-hu.wav",
                                             NULL);

  write_tone (src, "hungry/" UUID_A "-1430102996-1.0-m-48-hu.wav", 8000, 0.5, 300);
  write_tone (src, "hungry/" UUID_A "-1430103000-1.0-m-48-hu.flac", 8000, 0.6, 310);
  copy_file (first, src, "hungry/dup.wav");
  write_tone (src, "tired/" UUID_B "-1430726196216-1.7-f-26-ti.wav", 8000, 0.5, 320);
  write_tone (src, "noise/esc50-1-100032-A.wav", 16000, 0.5, 1000);
  write_tone (src, "noise/esc50-2-100032-B.wav", 16000, 0.5, 1100);
  write_tone (src, "cry/margot_m4a_0.flac", 16000, 0.5, 450);
  write_tone (src, "cry/margot_m4a_1.flac", 16000, 0.7, 460);
  write_text (src, "cry/bad.wav", "this is not audio at all, just text pretending to be a WAV\n");
  write_text (src, "cry/empty.wav", "");
  write_tone (src, "donate/" UUID_B "-1430726199000-1.7-f-26-dk.wav", 8000, 0.5, 330);
  write_tone (src, "streams/long.wav", 16000, 1.0, 200);
  write_tone (src, "root.wav", 16000, 0.5, 210);
  write_text (src, "notes.txt", "not audio\n");
  write_tone (src, ".hidden/x.wav", 16000, 0.5, 220);
}

static void
test_import_tree (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsdir = make_tmp_dir ();
  g_autoptr(CradleDataset) dataset = NULL;
  g_auto(CradleImportSummary) s = { 0 };
  g_auto(CradleImportSummary) again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(CradleBaby) baby_a = NULL;
  g_autoptr(CradleBaby) baby_b = NULL;
  CradleImportOptions options = { 0 };
  CradleRecording *r;
  const char *reason;

  make_tree (src);
  dataset = open_dataset (dsdir);
  options.batch_size = 3;
  g_assert_true (cradle_import_folder (dataset, src, &options, &s, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (s.n_files, ==, 13);
  g_assert_cmpuint (s.n_added, ==, 8);
  g_assert_cmpuint (s.n_duplicates, ==, 1);
  g_assert_cmpuint (s.n_skipped, ==, 4);
  g_assert_cmpuint (s.skipped->len, ==, 4);
  g_assert_cmpuint (added_for (&s, "hunger"), ==, 2);
  g_assert_cmpuint (added_for (&s, "sleepy"), ==, 1);
  g_assert_cmpuint (added_for (&s, "background"), ==, 2);
  g_assert_cmpuint (added_for (&s, "cry"), ==, 2);
  g_assert_cmpuint (added_for (&s, CRADLE_IMPORT_UNLABELED), ==, 1);  /* the dk file */
  g_assert_cmpuint (g_hash_table_size (s.added_per_label), ==, 5);

  reason = skip_reason (&s, "long.wav");
  g_assert_cmpstr (reason, ==, "folder “streams” is not a label; use --map streams=LABEL");
  reason = skip_reason (&s, "root.wav");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "label folder"));
  reason = skip_reason (&s, "bad.wav");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "bad.wav"));      /* the loader's message */
  reason = skip_reason (&s, "empty.wav");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "empty.wav"));
  for (guint i = 0; i < s.skipped->len; i++)
    g_test_message ("skipped %s: %s", ((CradleImportSkip *) s.skipped->pdata[i])->path,
                    ((CradleImportSkip *) s.skipped->pdata[i])->reason);

  recordings = list_all (dataset);
  g_assert_cmpuint (recordings->len, ==, 8);

  r = find_by_source_name (recordings, UUID_A "-1430102996-1.0-m-48-hu.wav");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->label, ==, "hunger");
  g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_CONFIRMED);
  g_assert_cmpstr (r->group_key, ==, "045c5483-69e1-4bec-b1d8-9286d174b9b2");
  g_assert_cmpstr (r->baby_alias, ==, "045c5483-69e1-4bec-b1d8-9286d174b9b2");
  g_assert_cmpstr (r->source, ==, "import");
  g_assert_cmpuint (r->sample_rate, ==, 8000);
  g_assert_cmpfloat_with_epsilon (r->duration, 0.5, 1e-6);
  g_assert_true (g_str_has_prefix (r->created, "2015-04-27T"));   /* 1430102996 */

  r = find_by_source_name (recordings, "-dk.wav");
  g_assert_nonnull (r);
  g_assert_null (r->label);
  g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_DONT_KNOW);
  g_assert_cmpstr (r->baby_alias, ==, "02c3b725-26e4-4a2c-9336-04ddc58836d9");

  r = find_by_source_name (recordings, "esc50-2-100032-B.wav");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->label, ==, "background");
  g_assert_cmpstr (r->group_key, ==, "esc50-100032");
  g_assert_null (r->baby_alias);

  r = find_by_source_name (recordings, "margot_m4a_1.flac");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->group_key, ==, "margot_m4a");
  g_assert_cmpstr (r->label, ==, "cry");

  baby_a = cradle_dataset_find_baby (dataset, "045c5483-69e1-4bec-b1d8-9286d174b9b2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (baby_a->gender, ==, "m");
  g_assert_cmpstr (baby_a->age_band, ==, "4–8 weeks");
  baby_b = cradle_dataset_find_baby (dataset, "02c3b725-26e4-4a2c-9336-04ddc58836d9", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (baby_b->gender, ==, "f");
  g_assert_cmpstr (baby_b->age_band, ==, "2–6 months");

  /* Again: nothing new, every added file is a duplicate. */
  g_assert_true (cradle_import_folder (dataset, src, NULL, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.n_files, ==, 13);
  g_assert_cmpuint (again.n_added, ==, 0);
  g_assert_cmpuint (again.n_duplicates, ==, 9);
  g_assert_cmpuint (again.n_skipped, ==, 4);
  g_assert_cmpuint (g_hash_table_size (again.added_per_label), ==, 0);
  {
    g_autoptr(GPtrArray) after = list_all (dataset);

    g_assert_cmpuint (after->len, ==, 8);
  }

  g_clear_pointer (&dataset, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsdir);
}

static void
test_import_map_and_layouts (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsdir = make_tmp_dir ();
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleLabelMap) map = cradle_label_map_new ();
  g_autoptr(CradleLabelMap) bad_map = cradle_label_map_new ();
  g_autoptr(GError) error = NULL;
  CradleImportOptions options = { 0 };

  make_tree (src);
  dataset = open_dataset (dsdir);

  /* TO must be in the vocabulary: refused before anything is imported. */
  g_assert_true (cradle_label_map_add (bad_map, "streams=lullaby", &error));
  options.map = bad_map;
  {
    g_auto(CradleImportSummary) s = { 0 };

    g_assert_false (cradle_import_folder (dataset, src, &options, &s, &error));
    g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING);
    g_assert_nonnull (strstr (error->message, "lullaby"));
    g_clear_error (&error);
    g_assert_cmpuint (s.n_added, ==, 0);
  }

  /* The esc50 layout only takes ESC-50 names. */
  options.map = NULL;
  options.layout = CRADLE_IMPORT_LAYOUT_ESC50;
  {
    g_auto(CradleImportSummary) s = { 0 };

    g_assert_true (cradle_import_folder (dataset, src, &options, &s, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (s.n_added, ==, 2);
    g_assert_cmpuint (s.n_skipped, ==, 11);
    g_assert_nonnull (strstr (skip_reason (&s, "margot_m4a_0.flac"), "esc50 layout"));
  }

  /* --map streams=background, cry=unlabeled. */
  g_assert_true (cradle_label_map_add (map, "streams=background", &error));
  g_assert_true (cradle_label_map_add (map, "cry=unlabeled", &error));
  g_assert_no_error (error);
  options.map = map;
  options.layout = CRADLE_IMPORT_LAYOUT_AUTO;
  {
    g_auto(CradleImportSummary) s = { 0 };
    g_autoptr(GPtrArray) recordings = NULL;
    CradleRecording *r;

    g_assert_true (cradle_import_folder (dataset, src, &options, &s, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (s.n_duplicates, ==, 3);   /* 2 ESC-50 files, dup.wav */
    g_assert_cmpuint (s.n_added, ==, 7);
    g_assert_cmpuint (added_for (&s, "background"), ==, 1);
    g_assert_cmpuint (added_for (&s, CRADLE_IMPORT_UNLABELED), ==, 3);
    recordings = list_all (dataset);
    r = find_by_source_name (recordings, "long.wav");
    g_assert_cmpstr (r->label, ==, "background");
    g_assert_cmpstr (r->group_key, ==, "long");
    r = find_by_source_name (recordings, "margot_m4a_0.flac");
    g_assert_null (r->label);
    g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_NONE);
  }

  /* A folder that is not there. */
  {
    g_auto(CradleImportSummary) s = { 0 };
    g_autofree char *missing = g_build_filename (src, "nope", NULL);

    g_assert_false (cradle_import_folder (dataset, missing, NULL, &s, &error));
    g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_FOLDER);
    g_assert_nonnull (strstr (error->message, "nope"));
    g_clear_error (&error);
  }

  g_clear_pointer (&dataset, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsdir);
}

typedef struct {
  GCancellable *cancellable;
  guint         calls;
  guint         cancel_after;
} CancelData;

static void
cancel_progress (guint       done,
                 guint       total,
                 const char *path,
                 gpointer    user_data)
{
  CancelData *c = user_data;

  c->calls++;
  g_assert_cmpuint (done, ==, c->calls);
  g_assert_cmpuint (total, ==, 13);
  g_assert_nonnull (path);
  if (done == c->cancel_after)
    g_cancellable_cancel (c->cancellable);
}

static void
test_import_cancel (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsdir = make_tmp_dir ();
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(CradleImportSummary) s = { 0 };
  g_auto(CradleImportSummary) rest = { 0 };
  g_autoptr(GError) error = NULL;
  CancelData data = { cancellable, 0, 5 };
  CradleImportOptions options = { 0 };

  make_tree (src);
  dataset = open_dataset (dsdir);
  options.batch_size = 2;
  options.progress = cancel_progress;
  options.user_data = &data;
  options.cancellable = cancellable;
  g_assert_false (cradle_import_folder (dataset, src, &options, &s, &error));
  g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (data.calls, ==, 5);
  /* Sorted: cry/bad, cry/empty, cry/margot_0, cry/margot_1, donate/…-dk. */
  g_assert_cmpuint (s.n_added + s.n_duplicates + s.n_skipped, ==, 5);
  g_assert_cmpuint (s.n_added, ==, 3);
  {
    g_autoptr(GPtrArray) recordings = list_all (dataset);

    g_assert_cmpuint (recordings->len, ==, 3);   /* committed, the open batch too */
  }

  /* The rest afterwards. */
  g_assert_true (cradle_import_folder (dataset, src, NULL, &rest, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rest.n_added, ==, 5);
  g_assert_cmpuint (rest.n_duplicates, ==, 4);

  g_clear_pointer (&dataset, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsdir);
}

/* ---- export and round trip ------------------------------------------------------ */

/* Imports the tree and gives it every kind of field an export must carry. */
static CradleDataset *
make_rich_dataset (const char *src,
                   const char *dsdir)
{
  CradleDataset *dataset = open_dataset (dsdir);
  g_auto(CradleImportSummary) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recordings = NULL;
  CradleBaby baby = { 0 };
  CradleRecording *r;
  gint64 baby_id;

  make_tree (src);
  g_assert_true (cradle_import_folder (dataset, src, NULL, &s, &error));
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_add_label (dataset, "hiccups", TRUE, "Hiccups while crying",
                                           &error));
  g_assert_no_error (error);
  baby.alias = (char *) "Ada";
  baby.birth_date = (char *) "2024-03-01";
  baby.age_band = (char *) "2–6 months";
  baby.gender = (char *) "f";
  baby.notes = (char *) "twin, \"the louder one\"";
  baby_id = cradle_dataset_add_baby (dataset, &baby, &error);
  g_assert_no_error (error);
  baby.alias = (char *) "Unused";
  baby.notes = NULL;
  g_assert_cmpint (cradle_dataset_add_baby (dataset, &baby, &error), >, 0);
  g_assert_no_error (error);

  recordings = list_all (dataset);
  r = find_by_source_name (recordings, "margot_m4a_0.flac");
  g_assert_true (cradle_dataset_set_baby (dataset, r->id, baby_id, &error));
  g_assert_true (cradle_dataset_set_notes (dataset, r->id, "woke at 3am,\nthen cried", &error));
  g_assert_cmpint (cradle_dataset_add_segment (dataset, r->id, 0.1, 0.2, "cry", "ann", &error), >, 0);
  g_assert_cmpint (cradle_dataset_add_segment (dataset, r->id, 0.25, 0.5, "hiccups", NULL, &error), >, 0);
  r = find_by_source_name (recordings, "margot_m4a_1.flac");
  g_assert_true (cradle_dataset_set_label (dataset, r->id, "hiccups", CRADLE_LABEL_STATUS_PREDICTED,
                                           "model-7", 0.625, &error));
  r = find_by_source_name (recordings, "esc50-1-100032-A.wav");
  g_assert_true (cradle_dataset_set_label (dataset, r->id, NULL, CRADLE_LABEL_STATUS_NONE, NULL, -1,
                                           &error));
  g_assert_no_error (error);
  return dataset;
}

static GPtrArray *
segments_of (CradleDataset *dataset,
             gint64         id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *segments = cradle_dataset_list_segments (dataset, id, &error);

  g_assert_no_error (error);
  return segments;
}

static void
assert_same_audio (CradleDataset   *a,
                   CradleRecording *ra,
                   CradleDataset   *b,
                   CradleRecording *rb)
{
  g_autofree char *pa = cradle_dataset_resolve_path (a, ra->path);
  g_autofree char *pb = cradle_dataset_resolve_path (b, rb->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleAudio) xa = cradle_audio_load (pa, 0, &error);
  g_autoptr(CradleAudio) xb = NULL;

  g_assert_no_error (error);
  xb = cradle_audio_load (pb, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (xa->sample_rate, ==, xb->sample_rate);
  g_assert_cmpuint (xa->n_samples, ==, xb->n_samples);
  /* 16-bit FLAC decoded to 16-bit FLAC: bit for bit. */
  g_assert_cmpmem (xa->samples, xa->n_samples * sizeof (float), xb->samples,
                   xb->n_samples * sizeof (float));
}

static void
test_export_round_trip (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsa = make_tmp_dir ();
  g_autofree char *dsb = make_tmp_dir ();
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *out = g_build_filename (tmp, "export", NULL);
  g_autoptr(CradleDataset) a = make_rich_dataset (src, dsa);
  g_autoptr(CradleDataset) b = open_dataset (dsb);
  g_autoptr(GPtrArray) ra = list_all (a);
  g_autoptr(GPtrArray) rb = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CradleImportSummary) s = { 0 };
  GStatBuf st;
  guint n = 0;

  g_assert_true (cradle_export (a, CRADLE_EXPORT_FOLDERS, out, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, ra->len);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  {
    g_autofree char *manifest = g_build_filename (out, CRADLE_MANIFEST_NAME, NULL);
    g_autofree char *hiccups = g_build_filename (out, "hiccups", NULL);
    g_autofree char *unlabeled = g_build_filename (out, "unlabeled", NULL);

    g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (hiccups, G_FILE_TEST_IS_DIR));
    g_assert_true (g_file_test (unlabeled, G_FILE_TEST_IS_DIR));
  }

  g_assert_true (cradle_import_folder (b, out, NULL, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.n_files, ==, ra->len);
  g_assert_cmpuint (s.n_added, ==, ra->len);
  g_assert_cmpuint (s.n_skipped, ==, 0);

  rb = list_all (b);
  g_assert_cmpuint (rb->len, ==, ra->len);
  g_assert_true (cradle_dataset_lookup_label (b, "hiccups", NULL));
  for (guint i = 0; i < ra->len; i++)
    {
      CradleRecording *x = g_ptr_array_index (ra, i);
      CradleRecording *y = NULL;
      g_autoptr(GPtrArray) sx = segments_of (a, x->id);
      g_autoptr(GPtrArray) sy = NULL;

      /* The source hash travels with the manifest. */
      for (guint j = 0; j < rb->len; j++)
        if (g_str_equal (((CradleRecording *) rb->pdata[j])->source_sha256, x->source_sha256))
          y = rb->pdata[j];
      g_assert_nonnull (y);
      g_assert_cmpstr (y->label, ==, x->label);
      g_assert_cmpint (y->label_status, ==, x->label_status);
      g_assert_cmpstr (y->labeler, ==, x->labeler);
      g_assert_cmpfloat (y->confidence, ==, x->confidence);
      g_assert_cmpstr (y->baby_alias, ==, x->baby_alias);
      g_assert_cmpstr (y->group_key, ==, x->group_key);
      g_assert_cmpstr (y->notes, ==, x->notes);
      g_assert_cmpstr (y->created, ==, x->created);
      g_assert_cmpstr (y->source, ==, x->source);
      g_assert_cmpstr (y->sha256, ==, x->sha256);
      g_assert_cmpuint (y->channels, ==, x->channels);
      g_assert_cmpuint (y->sample_rate, ==, x->sample_rate);
      g_assert_cmpfloat (y->duration, ==, x->duration);
      sy = segments_of (b, y->id);
      g_assert_cmpuint (sy->len, ==, sx->len);
      for (guint j = 0; j < sx->len; j++)
        {
          CradleSegment *p = sx->pdata[j];
          CradleSegment *q = sy->pdata[j];

          g_assert_cmpfloat (q->start, ==, p->start);
          g_assert_cmpfloat (q->end, ==, p->end);
          g_assert_cmpstr (q->label, ==, p->label);
          g_assert_cmpstr (q->labeler, ==, p->labeler);
        }
      assert_same_audio (a, x, b, y);
    }

  /* Babies with every field (the unused one too). */
  {
    g_autoptr(GPtrArray) babies_a = cradle_dataset_list_babies (a, &error);
    g_autoptr(GPtrArray) babies_b = cradle_dataset_list_babies (b, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (babies_b->len, ==, babies_a->len);
    for (guint i = 0; i < babies_a->len; i++)
      {
        CradleBaby *p = babies_a->pdata[i];
        CradleBaby *q = babies_b->pdata[i];

        g_assert_cmpstr (q->alias, ==, p->alias);
        g_assert_cmpstr (q->birth_date, ==, p->birth_date);
        g_assert_cmpstr (q->age_band, ==, p->age_band);
        g_assert_cmpstr (q->gender, ==, p->gender);
        g_assert_cmpstr (q->notes, ==, p->notes);
      }
  }

  /* Importing the export into either dataset again adds nothing. */
  {
    g_auto(CradleImportSummary) sa = { 0 };
    g_auto(CradleImportSummary) sb = { 0 };

    g_assert_true (cradle_import_folder (a, out, NULL, &sa, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sa.n_added, ==, 0);
    g_assert_cmpuint (sa.n_duplicates, ==, ra->len);
    g_assert_true (cradle_import_folder (b, src, NULL, &sb, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sb.n_added, ==, 0);
  }

  /* A second export into the same folder is allowed (it has a manifest);
   * a non-empty foreign folder is not. */
  g_assert_true (cradle_export (a, CRADLE_EXPORT_FOLDERS, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cradle_export (a, CRADLE_EXPORT_FOLDERS, src, NULL, NULL, &error));
  g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT);
  g_clear_error (&error);

  /* A broken manifest stops the import before anything is added. */
  {
    g_auto(CradleImportSummary) sm = { 0 };
    g_autofree char *dsc = make_tmp_dir ();
    g_autoptr(CradleDataset) c = open_dataset (dsc);

    write_text (out, CRADLE_MANIFEST_NAME, "{\"cradle_manifest\": 1, \"recordings\": [{\"label\": 3}]}");
    g_assert_false (cradle_import_folder (c, out, NULL, &sm, &error));
    g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, CRADLE_MANIFEST_NAME));
    g_clear_error (&error);
    g_clear_pointer (&c, cradle_dataset_free);
    cradle_test_rm_rf (dsc);
  }

  g_clear_pointer (&a, cradle_dataset_free);
  g_clear_pointer (&b, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsa);
  cradle_test_rm_rf (dsb);
  cradle_test_rm_rf (tmp);
}

/* Splits RFC 4180 CSV text into rows of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          p++;
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (row->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

static void
test_export_csv_json_audacity (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsa = make_tmp_dir ();
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *csv = g_build_filename (tmp, "all.csv", NULL);
  g_autofree char *json = g_build_filename (tmp, "all.json", NULL);
  g_autofree char *cry_csv = g_build_filename (tmp, "cry.csv", NULL);
  g_autofree char *labels = g_build_filename (tmp, "labels", NULL);
  g_autoptr(CradleDataset) a = make_rich_dataset (src, dsa);
  g_autoptr(GPtrArray) recordings = list_all (a);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CradleRecordingFilter filter = { 0 };
  guint n = 0;

  g_assert_true (cradle_export (a, CRADLE_EXPORT_CSV, csv, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 8);
  g_file_get_contents (csv, &text, NULL, &error);
  g_assert_no_error (error);
  rows = parse_csv (text);
  g_assert_cmpuint (rows->len, ==, 9);
  {
    GPtrArray *header = rows->pdata[0];
    static const char * const want[] = {
      "id", "path", "label", "label_status", "baby", "group", "duration", "sample_rate",
      "channels", "sha256", "source", "created", "notes", "n_segments",
    };

    g_assert_cmpuint (header->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < header->len; i++)
      g_assert_cmpstr (header->pdata[i], ==, want[i]);
  }
  for (guint i = 1; i < rows->len; i++)
    {
      GPtrArray *row = rows->pdata[i];
      CradleRecording *r = recordings->pdata[i - 1];
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);

      g_assert_cmpuint (row->len, ==, 14);
      g_assert_cmpstr (row->pdata[0], ==, id);
      g_assert_true (g_path_is_absolute (row->pdata[1]));
      g_assert_true (g_file_test (row->pdata[1], G_FILE_TEST_IS_REGULAR));
      g_assert_cmpstr (row->pdata[2], ==, r->label != NULL ? r->label : "");
      g_assert_cmpstr (row->pdata[5], ==, r->group_key);
      g_assert_cmpstr (row->pdata[9], ==, r->sha256);
      g_assert_cmpstr (row->pdata[12], ==, r->notes != NULL ? r->notes : "");
      if (r->notes != NULL)
        g_assert_cmpstr (row->pdata[13], ==, "2");
    }

  /* --label cry */
  filter.label = "cry";
  g_assert_true (cradle_export (a, CRADLE_EXPORT_CSV, cry_csv, &filter, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);   /* margot_m4a_1 became hiccups */

  /* JSON: the manifest with absolute paths. */
  g_assert_true (cradle_export (a, CRADLE_EXPORT_JSON, json, NULL, &n, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root;
    JsonArray *recs;
    guint with_segments = 0;

    json_parser_load_from_file (parser, json, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (root, "cradle_manifest"), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "babies")), ==, 4);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "labels")), ==, 13);
    recs = json_object_get_array_member (root, "recordings");
    g_assert_cmpuint (json_array_get_length (recs), ==, 8);
    for (guint i = 0; i < json_array_get_length (recs); i++)
      {
        JsonObject *r = json_array_get_object_element (recs, i);
        const char *path = json_object_get_string_member (r, "path");

        g_assert_true (g_path_is_absolute (path));
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        if (json_array_get_length (json_object_get_array_member (r, "segments")) > 0)
          with_segments++;
      }
    g_assert_cmpuint (with_segments, ==, 1);
  }

  /* Audacity: one label file per recording with segments. */
  g_assert_true (cradle_export (a, CRADLE_EXPORT_AUDACITY, labels, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  {
    g_autoptr(GDir) d = g_dir_open (labels, 0, &error);
    const char *name = g_dir_read_name (d);
    g_autofree char *path = g_build_filename (labels, name, NULL);
    g_autoptr(GPtrArray) segments = cradle_audacity_labels_read (path, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (name, ".txt"));
    g_assert_null (g_dir_read_name (d));
    g_assert_cmpuint (segments->len, ==, 2);
    g_assert_cmpstr (((CradleSegment *) segments->pdata[1])->label, ==, "hiccups");
  }

  g_clear_pointer (&a, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsa);
  cradle_test_rm_rf (tmp);
}

static void
test_audacity_onto_recording (void)
{
  g_autofree char *src = make_tmp_dir ();
  g_autofree char *dsa = make_tmp_dir ();
  g_autoptr(CradleDataset) a = make_rich_dataset (src, dsa);
  g_autoptr(GPtrArray) recordings = list_all (a);
  g_autoptr(CradleLabelMap) map = cradle_label_map_new ();
  g_autoptr(GError) error = NULL;
  CradleRecording *r = find_by_source_name (recordings, "long.wav");   /* not imported: NULL */
  g_autofree char *path = g_build_filename (src, "l.txt", NULL);
  g_autoptr(GPtrArray) segments = NULL;
  guint n = 0;

  g_assert_null (r);
  r = find_by_source_name (recordings, "margot_m4a_1.flac");   /* 0.7 s */
  write_text (src, "l.txt", "0.0\t0.2\tcrying_baby\n\\\t1\t2\n0.3\t0.7\tgiggle\n");

  /* "giggle" is not a label … */
  g_assert_false (cradle_import_audacity_labels (a, r->id, path, NULL, &n, &error));
  g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE);
  g_assert_nonnull (strstr (error->message, "l.txt, line 3"));
  g_assert_nonnull (strstr (error->message, "giggle"));
  g_clear_error (&error);
  segments = segments_of (a, r->id);
  g_assert_cmpuint (segments->len, ==, 0);
  g_clear_pointer (&segments, g_ptr_array_unref);

  /* … unless mapped. */
  g_assert_true (cradle_label_map_add (map, "giggle=laugh", &error));
  g_assert_true (cradle_import_audacity_labels (a, r->id, path, map, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  segments = segments_of (a, r->id);
  g_assert_cmpuint (segments->len, ==, 2);
  g_assert_cmpstr (((CradleSegment *) segments->pdata[0])->label, ==, "cry");
  g_assert_cmpstr (((CradleSegment *) segments->pdata[1])->label, ==, "laugh");
  g_clear_pointer (&segments, g_ptr_array_unref);

  /* Past the end of the recording; a point label. */
  write_text (src, "l.txt", "0.0\t0.2\tcry\n0.5\t0.9\tcry\n");
  g_assert_false (cradle_import_audacity_labels (a, r->id, path, NULL, &n, &error));
  g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  write_text (src, "l.txt", "0.3\t0.3\tcry\n");
  g_assert_false (cradle_import_audacity_labels (a, r->id, path, NULL, &n, &error));
  g_assert_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE);
  g_clear_error (&error);
  segments = segments_of (a, r->id);
  g_assert_cmpuint (segments->len, ==, 2);   /* unchanged */

  /* No such recording. */
  g_assert_false (cradle_import_audacity_labels (a, 99999, path, NULL, &n, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);

  g_clear_pointer (&a, cradle_dataset_free);
  cradle_test_rm_rf (src);
  cradle_test_rm_rf (dsa);
}

/* ---- the real data --------------------------------------------------------------- */

static guint
count_for (GPtrArray  *counts,
           const char *key)
{
  for (guint i = 0; i < counts->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (counts, i);

      if (g_str_equal (c->key, key))
        return c->count;
    }
  return 0;
}

static void
test_real_data (void)
{
  const char *data = cradle_test_shared_data ();
  g_autofree char *dsdir = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleDatasetStats) stats = NULL;
  g_auto(CradleImportSummary) s = { 0 };
  g_auto(CradleImportSummary) again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) histogram = g_hash_table_new (NULL, NULL);
  guint esc50_groups = 0, esc50_files = 0, uuid_groups = 0, uuid_files = 0;
  gint64 t0;
  /* Expected numbers, derived once from the file names alone:
   *
   *   cd ../shared/data; for d in donateacry/[a-z]* detection/[a-z]*; do echo $d $(ls $d | wc -l); done
   *   find donateacry detection -name '*.flac' | python3 -c '
   *     import sys, re, collections
   *     c = collections.Counter()
   *     for p in sys.stdin:
   *         b = p.strip().rsplit("/", 1)[1][:-5]
   *         if re.match(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}-", b): g = b[:36].lower()
   *         elif b.startswith("esc50-"): g = "esc50-" + b.split("-")[2]
   *         else: g = b.rsplit("_", 1)[0]
   *         c[g] += 1
   *     print(len(c), sorted(collections.Counter(c.values()).items()))'
   *
   * 275 groups: 177 donateacry uuids (359 files), 94 ESC-50 clip ids (124
   * files), 4 chunked sources; group sizes {1:163, 2:64, 3:20, 4:11, 5:5,
   * 6:2, 7:2, 8:3, 13:1, 26:1, 27:1, 88:2}. */
  static const struct { const char *label; guint count; } labels[] = {
    { "hunger", 298 }, { "pain", 13 }, { "burping", 7 }, { "discomfort", 22 }, { "sleepy", 19 },
    { "cry", 85 }, { "laugh", 88 }, { "background", 92 }, { "silence", 88 },
    { "diaper", 0 }, { "attention", 0 }, { "speech", 0 },
  };
  static const struct { const char *group; guint count; } groups[] = {
    { "silence_wav", 88 }, { "laugh_1_m4a", 88 }, { "margot_m4a", 27 },
    { "V_2017-04-01_08_06_22_0_30_mp3", 26 },
    { "d6cda191-4962-4308-9a36-46d5648a95ed", 13 },
    { "643d64ad-b711-469a-af69-55c0d5d3e30f", 8 },
    { "40a4c760-facf-4911-b0a6-22eccc3ab18d", 8 },
    { "8f4dbf5a-b504-4452-b6ac-94e646a6a052", 8 },
    { "esc50-152007", 5 }, { "esc50-211527", 3 }, { "esc50-187207", 1 },
  };
  static const guint sizes[][2] = {
    { 1, 163 }, { 2, 64 }, { 3, 20 }, { 4, 11 }, { 5, 5 }, { 6, 2 }, { 7, 2 }, { 8, 3 },
    { 13, 1 }, { 26, 1 }, { 27, 1 }, { 88, 2 },
  };

  if (data == NULL)
    {
      g_test_skip ("../shared/data is absent (set CRADLE_SHARED_DATA); real-data import not run");
      return;
    }

  dsdir = make_tmp_dir ();
  dataset = open_dataset (dsdir);
  t0 = g_get_monotonic_time ();
  g_assert_true (cradle_import_folder (dataset, data, NULL, &s, &error));
  g_assert_no_error (error);
  g_test_message ("imported %u files in %.1f s", s.n_added,
                  (g_get_monotonic_time () - t0) / 1e6);

  g_assert_cmpuint (s.n_files, ==, 713);
  g_assert_cmpuint (s.n_added, ==, 712);
  g_assert_cmpuint (s.n_duplicates, ==, 0);
  g_assert_cmpuint (s.n_skipped, ==, 1);
  g_assert_true (g_str_has_suffix (((CradleImportSkip *) s.skipped->pdata[0])->path,
                                   "streams/nursery-dev.flac"));
  g_assert_cmpstr (((CradleImportSkip *) s.skipped->pdata[0])->reason, ==,
                   "folder “streams” is not a label; use --map streams=LABEL");
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_cmpuint (added_for (&s, labels[i].label), ==, labels[i].count);

  stats = cradle_dataset_get_stats (dataset, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->n_recordings, ==, 712);
  g_assert_cmpuint (stats->n_unlabeled, ==, 0);
  g_assert_cmpuint (stats->n_babies, ==, 177);
  g_assert_cmpuint (stats->n_groups, ==, 275);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_assert_cmpuint (count_for (stats->per_label, labels[i].label), ==, labels[i].count);
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    g_assert_cmpuint (count_for (stats->per_group, groups[i].group), ==, groups[i].count);
  g_assert_cmpuint (stats->per_group->len, ==, 275);
  for (guint i = 0; i < stats->per_group->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (stats->per_group, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (histogram, GUINT_TO_POINTER (c->count)));

      g_hash_table_insert (histogram, GUINT_TO_POINTER (c->count), GUINT_TO_POINTER (n + 1));
      if (g_str_has_prefix (c->key, "esc50-"))
        {
          esc50_groups++;
          esc50_files += c->count;
        }
      else if (strlen (c->key) == 36)
        {
          uuid_groups++;
          uuid_files += c->count;
        }
    }
  g_assert_cmpuint (g_hash_table_size (histogram), ==, G_N_ELEMENTS (sizes));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (histogram,
                                                             GUINT_TO_POINTER (sizes[i][0]))),
                      ==, sizes[i][1]);
  g_assert_cmpuint (esc50_groups, ==, 94);
  g_assert_cmpuint (esc50_files, ==, 124);
  g_assert_cmpuint (uuid_groups, ==, 177);
  g_assert_cmpuint (uuid_files, ==, 359);
  /* Every donateacry baby's recordings are its group. */
  g_assert_cmpuint (stats->per_baby->len, ==, 177);

  t0 = g_get_monotonic_time ();
  g_assert_true (cradle_import_folder (dataset, data, NULL, &again, &error));
  g_assert_no_error (error);
  g_test_message ("re-import (hashing only) in %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpuint (again.n_added, ==, 0);
  g_assert_cmpuint (again.n_duplicates, ==, 712);
  g_assert_cmpuint (again.n_skipped, ==, 1);

  g_clear_pointer (&dataset, cradle_dataset_free);
  cradle_test_rm_rf (dsdir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/name/donateacry", test_parse_donateacry);
  g_test_add_func ("/import/name/esc50", test_parse_esc50);
  g_test_add_func ("/import/name/chunks", test_parse_chunks);
  g_test_add_func ("/import/name/layout-strings", test_layout_strings);
  g_test_add_func ("/import/label-map", test_label_map);
  g_test_add_func ("/import/audacity/round-trip", test_audacity_round_trip);
  g_test_add_func ("/import/audacity/malformed", test_audacity_malformed);
  g_test_add_func ("/import/audacity/onto-recording", test_audacity_onto_recording);
  g_test_add_func ("/import/folder/tree", test_import_tree);
  g_test_add_func ("/import/folder/map-and-layouts", test_import_map_and_layouts);
  g_test_add_func ("/import/folder/cancel", test_import_cancel);
  g_test_add_func ("/import/export/round-trip", test_export_round_trip);
  g_test_add_func ("/import/export/csv-json-audacity", test_export_csv_json_audacity);
  g_test_add_func ("/import/real-data", test_real_data);

  return g_test_run ();
}
