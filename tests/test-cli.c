/* test-cli.c — cradle-cli as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static void
test_help (void)
{
  static const char * const commands[] = { "info", "features", "spectrogram", "bench-features" };

  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (r.out, commands[i]));
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CradleTestRun) r = { 0 };

      cradle_test_run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
    }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "frobnicate", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "unknown command"));
  }
}

static char *
write_sine_wav (const char *dir,
                const char *name,
                guint       rate,
                double      seconds,
                double      hz)
{
  g_autofree float *x = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  gsize n = (gsize) (rate * seconds);

  audio = cradle_audio_new (rate, n);
  x = cradle_test_sine (n, rate, hz, 0.5);
  memcpy (audio->samples, x, n * sizeof (float));
  g_assert_true (cradle_audio_write (audio, path, g_str_has_suffix (name, ".flac") ?
                                     CRADLE_AUDIO_FILE_FLAC : CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_info (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-cli-XXXXXX", NULL);
  g_autofree char *wav = write_sine_wav (dir, "tone.wav", 22050, 2.0, 440.0);
  g_autofree char *missing = g_build_filename (dir, "missing.wav", NULL);
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) j = { 0 };
  g_auto(CradleTestRun) bad = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  cradle_test_run_cli (&r, "info", wav, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "22050 Hz"));
  g_assert_nonnull (strstr (r.out, "2.000 s"));

  cradle_test_run_cli (&j, "info", "--json", wav, NULL);
  g_assert_cmpint (j.status, ==, 0);
  json_parser_load_from_data (parser, j.out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "sample_rate"), ==, 22050);
  g_assert_cmpint (json_object_get_int_member (o, "channels"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "frames"), ==, 44100);

  /* A bad file among good ones: reported by name, the others still shown. */
  cradle_test_run_cli (&bad, "info", missing, wav, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "missing.wav"));
  g_assert_nonnull (strstr (bad.out, "tone.wav"));

  g_remove (wav);
  g_rmdir (dir);
}

static void
test_features (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-cli-XXXXXX", NULL);
  g_autofree char *flac = write_sine_wav (dir, "tone.flac", 16000, 3.0, 440.0);
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) csv = { 0 };
  g_auto(CradleTestRun) bad = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) cells = NULL;
  JsonObject *o;
  JsonObject *features;

  cradle_test_run_cli (&r, "features", "--json", flac, NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "config_hash"), ==, "40c7f3d7648710f6");
  features = json_object_get_object_member (o, "features");
  g_assert_cmpuint (json_object_get_size (features), ==, 175);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (features, "f0_mean"), 440.0, 4.4);
  /* Floats print as the shortest decimal that reads back as the same
   * float: never json-glib's 17 significant digits. */
  {
    g_autoptr(GRegex) long_number = g_regex_new ("[0-9]{10,}", 0, 0, NULL);

    g_assert_false (g_regex_match (long_number, r.out, 0, NULL));
  }

  cradle_test_run_cli (&csv, "features", "--csv", "--n-mfcc", "13", flac, NULL);
  g_assert_cmpint (csv.status, ==, 0);
  lines = g_strsplit (csv.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);  /* header, row, "" */
  g_assert_true (g_str_has_prefix (lines[0], "file,mfcc_00_mean,"));
  cells = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, 1 + 4 * 13 + 15);

  cradle_test_run_cli (&bad, "features", "--n-mfcc", "50", flac, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "n_mfcc"));

  g_remove (flac);
  g_rmdir (dir);
}

static void
test_spectrogram (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-cli-XXXXXX", NULL);
  g_autofree char *wav = write_sine_wav (dir, "tone.wav", 16000, 2.0, 1000.0);
  static const char * const outs[] = { "s.png", "s.svg", "s.pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
    {
      g_autofree char *out = g_build_filename (dir, outs[i], NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_auto(CradleTestRun) r = { 0 };

      cradle_test_run_cli (&r, "spectrogram", wav, "-o", out, "--width", "800", "--height", "400", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      if (i == 0)
        g_assert_cmpmem (contents, 4, "\x89PNG", 4);
      else if (i == 2)
        g_assert_cmpmem (contents, 4, "%PDF", 4);
      else
        g_assert_nonnull (strstr (contents, "<svg"));
      g_remove (out);
    }

  {
    g_autofree char *out = g_build_filename (dir, "s.bmp", NULL);
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "spectrogram", wav, "-o", out, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "s.bmp"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  g_remove (wav);
  g_rmdir (dir);
}

static void
test_bench (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-cli-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "cry", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *junk = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CradleTestRun) r = { 0 };
  JsonObject *o;

  g_mkdir (sub, 0700);
  a = write_sine_wav (sub, "a.wav", 16000, 5.0, 400.0);
  b = write_sine_wav (dir, "b.flac", 8000, 2.5, 500.0);
  g_file_set_contents (junk, "not audio", -1, NULL);

  cradle_test_run_cli (&r, "bench-features", dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "files"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "audio_seconds"), 7.5, 0.01);
  g_assert_cmpfloat (json_object_get_double_member (o, "seconds"), >, 0.0);

  g_remove (a);
  g_remove (b);
  g_remove (junk);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/features", test_features);
  g_test_add_func ("/cli/spectrogram", test_spectrogram);
  g_test_add_func ("/cli/bench-features", test_bench);

  return g_test_run ();
}
