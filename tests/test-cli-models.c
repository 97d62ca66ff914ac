/* test-cli-models.c — train, evaluate, predict and compare, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-test-util.h"

#define SECONDS 1.5

typedef struct {
  char *tmp;
  char *dir;       /* the dataset */
  char *tree;      /* a folder tree with one subfolder per label */
} Fixture;

static CradleAudio *
make_clip (guint    rate,
           gboolean cry,
           double   f0,
           guint32  seed)
{
  gsize n = (gsize) (SECONDS * rate);
  CradleAudio *audio = cradle_audio_new (rate, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double jitter = g_rand_double_range (rand, 0.9, 1.1);
  g_autofree float *noise = cradle_test_noise (n, cry ? 0.01 : 0.2, seed);

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double v = noise[i];

      if (cry)
        {
          double f = f0 * jitter * (1.0 + 0.03 * sin (2 * G_PI * 5.0 * t));

          for (guint h = 1; h <= 4; h++)
            v += (0.5 + 0.5 * sin (2 * G_PI * 1.3 * t)) * 0.4 / h * sin (2 * G_PI * f * h * t);
        }
      else
        v += 0.1 * sin (2 * G_PI * 60.0 * jitter * t);
      audio->samples[i] = (float) CLAMP (v, -1.0, 1.0);
    }
  return audio;
}

static void
write_clip (const char *folder,
            const char *name,
            gboolean    cry,
            double      f0,
            guint32     seed)
{
  g_autoptr(CradleAudio) audio = make_clip (16000, cry, f0, seed);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_WAV, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  guint32 seed = 1;

  f->tmp = g_dir_make_tmp ("cradle-cli-models-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "ds", NULL);
  f->tree = g_build_filename (f->tmp, "tree", NULL);
  ds = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_dataset_begin (ds, &error));
  for (guint g = 0; g < 6; g++)
    for (guint k = 0; k < 3; k++)
      {
        g_autofree char *cry_group = g_strdup_printf ("baby-%u", g);
        g_autofree char *bg_group = g_strdup_printf ("room-%u", g);
        const char *labels[2] = { g < 3 ? "hunger" : "pain", g % 2 ? "background" : "silence" };

        for (guint c = 0; c < 2; c++)
          {
            g_autoptr(CradleAudio) audio = make_clip (c == 0 ? 8000 : 16000, c == 0,
                                                      g < 3 ? 350.0 : 600.0, seed++);
            CradleRecordingSpec spec = { 0 };

            spec.audio = audio;
            spec.label = labels[c];
            spec.label_status = CRADLE_LABEL_STATUS_CONFIRMED;
            spec.confidence = -1;
            spec.group_key = c == 0 ? cry_group : bg_group;
            spec.source = "import";
            spec.created = 1700000000 + seed;
            g_assert_cmpint (cradle_dataset_add_recording (ds, &spec, &error), >, 0);
            g_assert_no_error (error);
          }
      }
  g_assert_true (cradle_dataset_commit (ds, &error));

  /* Folder names as import knows them: ESC-50's and donateacry's. */
  for (guint k = 0; k < 4; k++)
    {
      g_autofree char *name = g_strdup_printf ("clip-%u.wav", k);
      g_autofree char *cry = g_build_filename (f->tree, "crying_baby", NULL);
      g_autofree char *hungry = g_build_filename (f->tree, "hungry", NULL);
      g_autofree char *noise = g_build_filename (f->tree, "noise", NULL);

      write_clip (cry, name, TRUE, 450.0, 100 + k);
      write_clip (hungry, name, TRUE, 350.0, 200 + k);
      write_clip (noise, name, FALSE, 0.0, 300 + k);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cradle_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
  g_free (f->tree);
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
  const char *commands[] = { "train", "evaluate", "predict", "compare" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CradleTestRun) r = { 0 };

      cradle_test_run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, "--json"));
    }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "--help", NULL);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (r.out, commands[i]));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "train", "--task", "weather", "--model", "logreg", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--task"));
  }
}

static void
train_evaluate_predict (Fixture    *f,
                        const char *kind,
                        const char *params)
{
  g_autofree char *model = g_strdup_printf ("%s/detect-%s.cradlemodel", f->tmp, kind);
  g_autofree char *clip = g_build_filename (f->tree, "crying_baby", "clip-0.wav", NULL);
  g_autofree char *noise = g_build_filename (f->tree, "noise", "clip-1.wav", NULL);

  {
    g_auto(CradleTestRun) r = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", kind,
                         "--cv", "3", "--seed", "4", "--threads", "2", "--out", model, "--json",
                         params != NULL ? "--params" : NULL, params, NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (parser, r.out);
    g_assert_cmpfloat (json_object_get_double_member (o, "macro_f1"), >, 0.8);
    g_assert_true (json_object_has_member (o, "baseline_accuracy"));
    g_assert_true (json_object_has_member (o, "balanced_accuracy"));
    g_assert_true (json_object_has_member (o, "full_band"));
    g_assert_cmpint (json_object_get_int_member (o, "model_id"), >, 0);
    g_assert_true (g_file_test (model, G_FILE_TEST_IS_REGULAR));
  }
  {
    /* Text: aligned tables with the baseline. */
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", kind,
                         "--cv", "3", "--threads", "2", params != NULL ? "--params" : NULL, params, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "baseline (not-cry)"));
    g_assert_nonnull (strstr (r.out, "macro-F1"));
    g_assert_nonnull (strstr (r.out, "confusion"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    const char *keys[] = { "accuracy", "balanced_accuracy", "macro_f1", "labels", "confusion",
                           "roc_auc", "baseline_accuracy" };
    JsonObject *o;
    JsonArray *confusion;
    guint64 total = 0;

    cradle_test_run_cli (&r, "evaluate", "--model", model, f->tree, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (parser, r.out);
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      g_assert_true (json_object_has_member (o, keys[k]));
    confusion = json_object_get_array_member (o, "confusion");
    for (guint t = 0; t < 2; t++)
      for (guint p = 0; p < 2; p++)
        total += json_array_get_int_element (json_array_get_array_element (confusion, t), p);
    g_assert_cmpuint (total, ==, 12);  /* crying_baby + hungry are cry, noise is not */
    g_assert_cmpfloat (json_object_get_double_member (o, "accuracy"), >=, 0.75);
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "evaluate", "--model", model, "--dataset", f->dir, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "on 36 files"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };
    g_auto(GStrv) lines = NULL;
    g_autoptr(JsonParser) p1 = json_parser_new ();
    g_autoptr(JsonParser) p2 = json_parser_new ();
    JsonObject *o;
    JsonObject *probs;

    cradle_test_run_cli (&r, "predict", "--model", model, clip, noise, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (r.out, "\n", -1);
    o = parse_object (p1, lines[0]);
    g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "cry");
    probs = json_object_get_object_member (o, "probabilities");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (probs, "cry") +
                                    json_object_get_double_member (probs, "not-cry"), 1.0, 1e-5);
    o = parse_object (p2, lines[1]);
    g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "not-cry");
  }
}

static void
test_logreg (Fixture       *f,
             gconstpointer  data)
{
  train_evaluate_predict (f, "logreg", NULL);
}

static void
test_tree (Fixture       *f,
           gconstpointer  data)
{
  train_evaluate_predict (f, "gbt", "n_estimators=30,max_depth=3");
}

static void
test_compare (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) t = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonArray *models;

  cradle_test_run_cli (&r, "compare", "--dataset", f->dir, "--task", "cause", "--models", "logreg,rf",
                       "--cv", "3", "--threads", "2", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (parser, r.out);
  g_assert_cmpstr (json_object_get_string_member (o, "task"), ==, "cause");
  models = json_object_get_array_member (o, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (models, 1), "kind"), ==, "rf");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "baseline"),
                                                    "accuracy"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (models, 0), "macro_f1"),
                     >, 0.8);

  cradle_test_run_cli (&t, "compare", "--dataset", f->dir, "--task", "detect", "--models", "logreg",
                       "--cv", "3", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "baseline (not-cry)"));
  g_assert_nonnull (strstr (t.out, "seconds"));
}

static void
test_model_file_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *model = g_build_filename (f->tmp, "m.cradlemodel", NULL);
  g_autofree char *corrupt = g_build_filename (f->tmp, "corrupt.cradlemodel", NULL);
  g_autofree char *foreign = g_build_filename (f->tmp, "foreign.cradlemodel", NULL);
  g_autofree char *missing = g_build_filename (f->tmp, "missing.cradlemodel", NULL);
  g_autofree char *clip = g_build_filename (f->tree, "noise", "clip-0.wav", NULL);
  g_autofree char *bytes = NULL;
  gsize length = 0;

  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", "logreg",
                         "--cv", "0", "--out", model, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (model, &bytes, &length, NULL));
  bytes[length / 2] ^= 0x5a;
  g_assert_true (g_file_set_contents (corrupt, bytes, length, NULL));
  g_assert_true (g_file_set_contents (foreign, "RIFF....WAVEfmt ", 16, NULL));

  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "predict", "--model", corrupt, clip, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, corrupt));
    g_assert_null (strstr (r.out, "not-cry"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "evaluate", "--model", foreign, f->tree, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, foreign));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "predict", "--model", missing, clip, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, missing));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "predict", clip, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--model"));
  }
}

/* train --crops: N crops of --clip-seconds per recording (with --room-tone
 * or --onset-crops), in the JSON; the saved model's clip is the crop;
 * --augment with crops and --room-tone or --onset-crops without them are
 * usage errors. */
static void
test_crops (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *model = g_strdup_printf ("%s/detect-crops.cradlemodel", f->tmp);
  g_autofree char *clip = g_build_filename (f->tree, "crying_baby", "clip-0.wav", NULL);

  {
    g_auto(CradleTestRun) r = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", "logreg",
                         "--cv", "3", "--threads", "2", "--clip-seconds", "0.5", "--crops", "3",
                         "--room-tone", "--out", model, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (parser, r.out);
    g_assert_cmpint (json_object_get_int_member (o, "crops"), ==, 3);
    g_assert_true (json_object_get_boolean_member (o, "room_tone"));
    g_assert_false (json_object_get_boolean_member (o, "onset_crops"));
    g_assert_cmpfloat (json_object_get_double_member (o, "clip_seconds"), ==, 0.5);
    g_assert_cmpfloat (json_object_get_double_member (o, "macro_f1"), >, 0.8);
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "predict", "--model", model, clip, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "cry"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "compare", "--dataset", f->dir, "--task", "detect", "--models", "logreg",
                         "--cv", "3", "--clip-seconds", "0.5", "--crops", "2", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "crops of recordings"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", "logreg",
                         "--cv", "3", "--threads", "2", "--clip-seconds", "0.5", "--crops", "4",
                         "--onset-crops", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    o = parse_object (parser, r.out);
    g_assert_cmpint (json_object_get_int_member (o, "crops"), ==, 4);
    g_assert_false (json_object_get_boolean_member (o, "room_tone"));
    g_assert_true (json_object_get_boolean_member (o, "onset_crops"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "compare", "--dataset", f->dir, "--task", "detect", "--models", "logreg",
                         "--cv", "3", "--clip-seconds", "0.5", "--crops", "4", "--onset-crops", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "crops of recordings"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", "logreg",
                         "--crops", "2", "--augment", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--crops"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "train", "--dataset", f->dir, "--task", "detect", "--model", "logreg",
                         "--room-tone", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--room-tone"));
  }
  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "compare", "--dataset", f->dir, "--task", "detect", "--models", "logreg",
                         "--onset-crops", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--onset-crops"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/models/help", test_help);
  g_test_add ("/cli/models/logreg", Fixture, NULL, fixture_setup, test_logreg, fixture_teardown);
  g_test_add ("/cli/models/tree", Fixture, NULL, fixture_setup, test_tree, fixture_teardown);
  g_test_add ("/cli/models/compare", Fixture, NULL, fixture_setup, test_compare, fixture_teardown);
  g_test_add ("/cli/models/crops", Fixture, NULL, fixture_setup, test_crops, fixture_teardown);
  g_test_add ("/cli/models/model-file-errors", Fixture, NULL, fixture_setup, test_model_file_errors,
              fixture_teardown);
  return g_test_run ();
}
