/* test-cli-import.c — `cradle-cli import`, `export` and `segments` as a
 * user runs them
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

static void
write_tone (const char *dir,
            const char *relative,
            double      seconds,
            double      hz)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree float *x = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = (gsize) (16000 * seconds);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  audio = cradle_audio_new (16000, n);
  x = cradle_test_sine (n, 16000, hz, 0.4);
  memcpy (audio->samples, x, n * sizeof (float));
  g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_FLAC, &error));
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

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_help (void)
{
  static const char * const commands[] = { "import", "export", "segments" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CradleTestRun) r = { 0 };
      g_auto(CradleTestRun) h = { 0 };

      cradle_test_run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, "--dataset"));
      cradle_test_run_cli (&h, "help", commands[i], NULL);
      g_assert_cmpint (h.status, ==, 0);
      g_assert_cmpstr (h.out, ==, r.out);
    }
}

static void
test_usage_errors (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cradle-cli-import-XXXXXX", NULL);
  g_autofree char *ds = g_build_filename (tmp, "ds", NULL);
  static const char * const cases[][6] = {
    { "import", NULL },
    { "import", "a", "b", NULL },
    { "import", "--layout", "zip", "x", NULL },
    { "import", "--map", "streams", "x", NULL },
    { "import", "--batch", "-3", "x", NULL },
    { "import", "--frobnicate", "x", NULL },
    { "export", NULL },
    { "export", "--format", "xml", "out", NULL },
    { "segments", NULL },
    { "segments", "abc", NULL },
    { "segments", "1", "--import", "a.txt", "--export", "b.txt" },
    { "segments", "1", "--map", "a=cry", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (args, (gpointer) g_getenv ("CRADLE_CLI"));
      g_ptr_array_add (args, (gpointer) cases[i][0]);
      g_ptr_array_add (args, (gpointer) "--dataset");
      g_ptr_array_add (args, ds);
      for (guint j = 1; j < 6 && cases[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i][j]);
      g_ptr_array_add (args, NULL);
      proc = g_subprocess_newv ((const char * const *) args->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s %s: %s", cases[i][0], cases[i][1] ? cases[i][1] : "", err);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_true (g_str_has_prefix (err, "cradle-cli: "));
    }
  cradle_test_rm_rf (tmp);
}

static void
test_import_export_segments (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cradle-cli-import-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *ds = g_build_filename (tmp, "ds", NULL);
  g_autofree char *ds2 = g_build_filename (tmp, "ds2", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *csv = g_build_filename (tmp, "all.csv", NULL);
  g_autofree char *json = g_build_filename (tmp, "all.json", NULL);
  g_autofree char *labels = g_build_filename (tmp, "labels.txt", NULL);
  g_autofree char *labels_back = g_build_filename (tmp, "labels-back.txt", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autofree char *first_id = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonObject *per_label;
  JsonArray *skipped;

  write_tone (src, "hungry/a_0.flac", 0.5, 300);
  write_tone (src, "hungry/a_1.flac", 0.5, 310);
  write_tone (src, "noise/b.flac", 0.5, 320);
  write_tone (src, "streams/long.flac", 2.0, 330);
  write_text (src, "noise/fake.wav", "not audio");

  /* Import: summary as JSON, skipped files with reasons, exit 0. */
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "import", "--dataset", ds, "--json", src, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");   /* stderr is not a terminal: no progress bar */
    o = parse_object (parser, r.out);
    g_assert_cmpint (json_object_get_int_member (o, "files"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (o, "added"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (o, "duplicates"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 2);
    g_assert_false (json_object_get_boolean_member (o, "cancelled"));
    per_label = json_object_get_object_member (o, "added_per_label");
    g_assert_cmpint (json_object_get_int_member (per_label, "hunger"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (per_label, "background"), ==, 1);
    skipped = json_object_get_array_member (o, "skipped_files");
    g_assert_cmpuint (json_array_get_length (skipped), ==, 2);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (
                     json_array_get_object_element (skipped, 0), "path"), "fake.wav"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (skipped, 1),
                                                    "reason"),
                     ==, "folder “streams” is not a label; use --map streams=LABEL");
  }

  /* Again, as text, with --map: only the stream is new. */
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "import", "-d", ds, "--map", "streams=background", "--batch", "1", src, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "5 audio files found: 1 added, 3 duplicates, 1 skipped"));
    g_assert_nonnull (strstr (r.out, "background"));
    g_assert_nonnull (strstr (r.out, "fake.wav: "));
  }

  /* Failures exit 1 naming what was wrong. */
  {
    g_auto(CradleTestRun) r = { 0 };
    g_auto(CradleTestRun) m = { 0 };

    cradle_test_run_cli (&r, "import", "-d", ds, missing, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "missing"));
    cradle_test_run_cli (&m, "import", "-d", ds, "--map", "streams=lullaby", src, NULL);
    g_assert_cmpint (m.status, ==, 1);
    g_assert_nonnull (strstr (m.err, "lullaby"));
  }

  /* Export in every format. */
  {
    g_auto(CradleTestRun) f = { 0 };
    g_auto(CradleTestRun) c = { 0 };
    g_auto(CradleTestRun) j = { 0 };
    g_auto(CradleTestRun) l = { 0 };
    g_auto(CradleTestRun) b = { 0 };
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *manifest = g_build_filename (out, CRADLE_MANIFEST_NAME, NULL);

    cradle_test_run_cli (&f, "export", "-d", ds, out, NULL);
    g_assert_cmpint (f.status, ==, 0);
    g_assert_nonnull (strstr (f.out, "4 recordings exported"));
    g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));

    cradle_test_run_cli (&c, "export", "-d", ds, "--format", "csv", "--label", "hunger", csv, NULL);
    g_assert_cmpint (c.status, ==, 0);
    g_file_get_contents (csv, &text, NULL, NULL);
    lines = g_strsplit (text, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, "" */
    g_assert_true (g_str_has_prefix (lines[0], "id,path,label,label_status,baby,group,"));
    first_id = g_strndup (lines[1], strcspn (lines[1], ","));

    cradle_test_run_cli (&j, "export", "-d", ds, "--format", "json", json, NULL);
    g_assert_cmpint (j.status, ==, 0);
    {
      g_autoptr(JsonParser) p = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_file (p, json, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (p));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "recordings")), ==, 4);
    }

    cradle_test_run_cli (&l, "export", "-d", ds, "--label", "lullaby", csv, NULL);
    g_assert_cmpint (l.status, ==, 1);
    g_assert_nonnull (strstr (l.err, "lullaby"));
    cradle_test_run_cli (&b, "export", "-d", ds, "--baby", "nobody", csv, NULL);
    g_assert_cmpint (b.status, ==, 1);
    g_assert_nonnull (strstr (b.err, "nobody"));
  }

  /* Export → import into a new dataset: the same four. */
  {
    g_auto(CradleTestRun) r = { 0 };
    g_autoptr(JsonParser) p = json_parser_new ();

    cradle_test_run_cli (&r, "import", "-d", ds2, "--json", out, NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (p, r.out);
    g_assert_cmpint (json_object_get_int_member (o, "added"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 0);
  }

  /* Segments: import an Audacity file, list, export. */
  write_text (tmp, "labels.txt", "0.1\t0.2\tcrying_baby\n0.25\t0.4\thungry\n");
  {
    g_auto(CradleTestRun) i = { 0 };
    g_auto(CradleTestRun) l = { 0 };
    g_auto(CradleTestRun) j = { 0 };
    g_auto(CradleTestRun) e = { 0 };
    g_auto(CradleTestRun) bad = { 0 };
    g_auto(CradleTestRun) none = { 0 };
    g_autofree char *back = NULL;
    g_auto(GStrv) json_lines = NULL;
    g_autoptr(JsonParser) p = json_parser_new ();

    cradle_test_run_cli (&i, "segments", "-d", ds, first_id, "--import", labels, NULL);
    g_assert_cmpint (i.status, ==, 0);
    g_assert_nonnull (strstr (i.out, "2 segments imported"));

    cradle_test_run_cli (&l, "segments", "-d", ds, first_id, NULL);
    g_assert_cmpint (l.status, ==, 0);
    g_assert_nonnull (strstr (l.out, "0.100\t0.200\tcry"));
    g_assert_nonnull (strstr (l.out, "0.250\t0.400\thunger"));

    cradle_test_run_cli (&j, "segments", "-d", ds, "--json", first_id, NULL);
    g_assert_cmpint (j.status, ==, 0);
    json_lines = g_strsplit (j.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (json_lines), ==, 3);
    o = parse_object (p, json_lines[1]);
    g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "hunger");
    g_assert_cmpfloat (json_object_get_double_member (o, "end"), ==, 0.4);

    cradle_test_run_cli (&e, "segments", "-d", ds, first_id, "--export", labels_back, NULL);
    g_assert_cmpint (e.status, ==, 0);
    g_file_get_contents (labels_back, &back, NULL, NULL);
    g_assert_cmpstr (back, ==, "0.100000\t0.200000\tcry\n0.250000\t0.400000\thunger\n");

    write_text (tmp, "labels.txt", "0.1\t0.2\tcry\n0.3\tx\tcry\n");
    cradle_test_run_cli (&bad, "segments", "-d", ds, first_id, "--import", labels, NULL);
    g_assert_cmpint (bad.status, ==, 1);
    g_assert_nonnull (strstr (bad.err, "labels.txt, line 2"));

    cradle_test_run_cli (&none, "segments", "-d", ds, "9999", NULL);
    g_assert_cmpint (none.status, ==, 1);
    g_assert_nonnull (strstr (none.err, "9999"));
  }

  /* Audacity export of the dataset: the one recording with segments. */
  {
    g_auto(CradleTestRun) a = { 0 };
    g_autofree char *dir = g_build_filename (tmp, "aud", NULL);

    cradle_test_run_cli (&a, "export", "-d", ds, "--format", "audacity", dir, NULL);
    g_assert_cmpint (a.status, ==, 0);
    g_assert_nonnull (strstr (a.out, "1 recording exported"));
  }

  cradle_test_rm_rf (tmp);
}

/* Ctrl+C: the import stops between files, what was committed stays. */
static void
test_sigint (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cradle-cli-import-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *ds = g_build_filename (tmp, "ds", NULL);
  const char *cli = g_getenv ("CRADLE_CLI");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GPtrArray) recordings = NULL;
  JsonObject *o;
  int status;

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("cry/c_%03u.flac", i);

      write_tone (src, name, 1.0, 200 + i);
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           cli, "import", "-d", ds, "--json", "--batch", "8", src, NULL);
  g_assert_no_error (error);
  /* Once the first file is stored, the handler is in place. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *cry = g_build_filename (ds, "audio", "cry", NULL);
      g_autoptr(GDir) d = g_dir_open (cry, 0, NULL);

      if (d != NULL && g_dir_read_name (d) != NULL)
        break;
      g_usleep (2000);
    }
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d, stderr: %s", status, err);
  if (status == 0)
    {
      g_test_incomplete ("the import finished before SIGINT arrived");
      cradle_test_rm_rf (tmp);
      return;
    }
  g_assert_cmpint (status, ==, 130);
  g_assert_nonnull (strstr (err, "cancelled"));
  o = parse_object (parser, out);
  g_assert_true (json_object_get_boolean_member (o, "cancelled"));

  dataset = cradle_dataset_open (ds, &error);
  g_assert_no_error (error);
  recordings = cradle_dataset_list_recordings (dataset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recordings->len, ==, json_object_get_int_member (o, "added"));
  g_assert_cmpuint (recordings->len, <, 150);
  g_clear_pointer (&dataset, cradle_dataset_free);
  cradle_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-import/help", test_help);
  g_test_add_func ("/cli-import/usage-errors", test_usage_errors);
  g_test_add_func ("/cli-import/import-export-segments", test_import_export_segments);
  g_test_add_func ("/cli-import/sigint", test_sigint);

  return g_test_run ();
}
