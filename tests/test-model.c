/* test-model.c — CradleModel: scaler, save/load and the file's error paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-model.h"
#include "cradle-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define N_FEATURES 6
#define N_ROWS 240

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cradle-test-model-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * g_rand_double (rand));
}

/* Raw (unscaled) features: 3 classes told apart by features 0 and 1, every
 * feature offset and stretched differently. */
static void
make_raw (guint32  seed,
          float   *x,
          guint   *y)
{
  static const double offset[N_FEATURES] = { 1000, -50, 3, 0.001, 1e4, -7 };
  static const double stretch[N_FEATURES] = { 200, 0.01, 1, 1e-3, 5000, 30 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < N_ROWS; i++)
    {
      y[i] = i % 3;
      for (guint j = 0; j < N_FEATURES; j++)
        {
          double v = gauss (rand);

          if (j == 0)
            v += 4.0 * (y[i] == 1);
          if (j == 1)
            v += 4.0 * (y[i] == 2);
          x[i * N_FEATURES + j] = (float) (offset[j] + stretch[j] * v);
        }
    }
}

static const char * const labels3[] = { "hungry", "tired", "discomfort", NULL };
static const char * const feature_names[] = { "a", "b", "c", "d", "e", "f", NULL };

typedef struct {
  float        x[N_ROWS * N_FEATURES];
  guint        y[N_ROWS];
  CradleModel *model;
} Trained;

static void
trained_free (Trained *t)
{
  cradle_model_free (t->model);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Trained, trained_free)

static Trained *
train_logreg (void)
{
  Trained *t = g_new0 (Trained, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) metrics = json_from_string ("{\"accuracy\": 0.97, \"per_class\": [1, 2, 3]}", NULL);
  CradleAnalysisConfig config;
  CradleMatrix m = { .n_rows = N_ROWS, .n_features = N_FEATURES, .x = t->x, .y = t->y };
  CradleTrainRequest req = { .seed = 1234 };

  make_raw (1, t->x, t->y);
  cradle_analysis_config_init_default (&config);
  config.n_mfcc = 20;
  t->model = cradle_model_new (CRADLE_MODEL_LOGREG, CRADLE_TASK_CAUSE, CRADLE_MODEL_INPUT_CLIP_VECTOR,
                               &config, labels3, 3, &error);
  g_assert_no_error (error);
  cradle_model_set_feature_names (t->model, feature_names);
  cradle_model_set_dataset_hash (t->model, "0123456789abcdef");
  cradle_model_set_metrics (t->model, metrics);
  g_assert_true (cradle_model_fit (t->model, &m, NULL, &req, &error));
  g_assert_no_error (error);
  return t;
}

static void
test_scaler (void)
{
  g_autoptr(Trained) t = train_logreg ();
  guint n = 0;
  const float *mean, *scale;
  float std_x[N_ROWS * N_FEATURES];
  float pa[N_ROWS * 3], pb[N_ROWS * 3];
  guint correct = 0;

  g_assert_true (cradle_model_get_scaler (t->model, &n, &mean, &scale));
  g_assert_cmpuint (n, ==, N_FEATURES);
  for (guint j = 0; j < N_FEATURES; j++)
    {
      double s = 0, sq = 0;

      for (guint i = 0; i < N_ROWS; i++)
        s += t->x[i * N_FEATURES + j];
      s /= N_ROWS;
      for (guint i = 0; i < N_ROWS; i++)
        sq += pow (t->x[i * N_FEATURES + j] - s, 2);
      sq = sqrt (sq / N_ROWS);
      /* float32 inputs: relative 1e-5 of the spread (plus the offset's ulp). */
      g_assert_cmpfloat (fabs (mean[j] - s), <=, 1e-5 * (sq + fabs (s)));
      g_assert_cmpfloat (fabs (scale[j] - sq), <=, 1e-5 * sq);
    }

  /* The model = the classifier on inputs standardised by hand. */
  for (guint i = 0; i < N_ROWS * N_FEATURES; i++)
    std_x[i] = (t->x[i] - mean[i % N_FEATURES]) / scale[i % N_FEATURES];
  cradle_model_predict_proba (t->model, t->x, N_ROWS, pa);
  cradle_classifier_predict_proba (cradle_model_get_classifier (t->model), std_x, N_ROWS, pb);
  g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);
  for (guint i = 0; i < N_ROWS; i++)
    {
      guint best = 0;

      for (guint c = 1; c < 3; c++)
        if (pa[i * 3 + c] > pa[i * 3 + best])
          best = c;
      correct += best == t->y[i];
    }
  g_assert_cmpuint (correct, >, N_ROWS * 9 / 10);
}

static char *
save (Fixture     *f,
      CradleModel *model,
      const char  *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (cradle_model_save (model, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_save_load (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Trained) t = train_logreg ();
  g_autofree char *path = save (f, t->model, "a.cradle-model");
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleModel) loaded = cradle_model_load (path, &error);
  float pa[N_ROWS * 3], pb[N_ROWS * 3];
  g_autofree char *ma = NULL;
  g_autofree char *mb = NULL;
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  cradle_model_predict_proba (t->model, t->x, N_ROWS, pa);
  cradle_model_predict_proba (loaded, t->x, N_ROWS, pb);
  g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);

  g_assert_true (cradle_analysis_config_equal (cradle_model_get_config (t->model),
                                               cradle_model_get_config (loaded)));
  g_assert_cmpint (memcmp (cradle_model_get_config (t->model), cradle_model_get_config (loaded),
                           sizeof (CradleAnalysisConfig)), ==, 0);
  g_assert_cmpstr (cradle_model_get_config_hash (t->model), ==, cradle_model_get_config_hash (loaded));
  g_assert_true (g_strv_equal ((const char * const *) cradle_model_get_labels (loaded), labels3));
  g_assert_true (g_strv_equal (cradle_model_get_feature_names (loaded), feature_names));
  g_assert_cmpint (cradle_model_get_task (loaded), ==, CRADLE_TASK_CAUSE);
  g_assert_cmpint (cradle_model_get_kind (loaded), ==, CRADLE_MODEL_LOGREG);
  g_assert_cmpint (cradle_model_get_input (loaded), ==, CRADLE_MODEL_INPUT_CLIP_VECTOR);
  g_assert_cmpuint (cradle_model_get_seed (loaded), ==, 1234);
  g_assert_cmpstr (cradle_model_get_dataset_hash (loaded), ==, "0123456789abcdef");
  g_assert_cmpstr (cradle_model_get_created (loaded), ==, cradle_model_get_created (t->model));
  g_assert_cmpint (cradle_model_find_label (loaded, "tired"), ==, 1);
  g_assert_cmpint (cradle_model_find_label (loaded, "cold"), ==, -1);
  ma = json_to_string (cradle_model_get_metrics (t->model), FALSE);
  mb = json_to_string (cradle_model_get_metrics (loaded), FALSE);
  g_assert_cmpstr (ma, ==, mb);
  da = cradle_model_describe (t->model);
  db = cradle_model_describe (loaded);
  g_assert_cmpstr (da, ==, db);
  g_test_message ("%s", da);
}

static void
test_log_mel (Fixture       *f,
              gconstpointer  data)
{
  enum { H = 6, W = 5, N = 90 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleModel) model = NULL;
  g_autoptr(CradleModel) loaded = NULL;
  g_autofree char *path = NULL;
  static const char * const labels2[] = { "cry", "not_cry", NULL };
  float x[N * H * W];
  guint y[N];
  float pa[N * 2], pb[N * 2];
  CradleAnalysisConfig config;
  CradleMatrix m = { .n_rows = N, .n_features = H * W, .height = H, .width = W, .x = x, .y = y };
  CradleTrainRequest req = { .seed = 5 };
  guint n;
  const float *mean, *scale;

  for (guint i = 0; i < N; i++)
    {
      y[i] = i % 2;
      for (guint t = 0; t < H; t++)
        for (guint b = 0; b < W; b++)
          x[(i * H + t) * W + b] = (float) (-40.0 + 10.0 * b + 3.0 * gauss (rand) + (y[i] == 1 && b == 2 ? 6.0 : 0.0));
    }
  cradle_analysis_config_init_default (&config);
  model = cradle_model_new (CRADLE_MODEL_LOGREG, CRADLE_TASK_DETECT, CRADLE_MODEL_INPUT_LOG_MEL,
                            &config, labels2, 2, &error);
  g_assert_no_error (error);
  g_assert_true (cradle_model_fit (model, &m, NULL, &req, &error));
  g_assert_no_error (error);

  g_assert_true (cradle_model_get_scaler (model, &n, &mean, &scale));
  g_assert_cmpuint (n, ==, W);
  for (guint b = 0; b < W; b++)
    {
      double s = 0.0, sq = 0.0;

      for (guint r = 0; r < N * H; r++)
        s += x[r * W + b];
      s /= N * H;
      for (guint r = 0; r < N * H; r++)
        sq += pow (x[r * W + b] - s, 2);
      sq = sqrt (sq / (N * H));
      g_assert_cmpfloat_with_epsilon (mean[b], s, 1e-4);
      g_assert_cmpfloat_with_epsilon (scale[b], sq, 1e-4);
    }

  path = save (f, model, "mel.cradle-model");
  loaded = cradle_model_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cradle_model_get_input (loaded), ==, CRADLE_MODEL_INPUT_LOG_MEL);
  g_assert_cmpuint (cradle_model_get_height (loaded), ==, H);
  g_assert_cmpuint (cradle_model_get_width (loaded), ==, W);
  g_assert_null (cradle_model_get_feature_names (loaded));
  g_assert_null (cradle_model_get_dataset_hash (loaded));
  cradle_model_predict_proba (model, x, N, pa);
  cradle_model_predict_proba (loaded, x, N, pb);
  g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);
}

/* Loads BYTES (written to NAME) and expects CODE with the name in the
 * message. */
static void
expect_load_error (Fixture      *f,
                   const char   *name,
                   const guint8 *bytes,
                   gsize         len,
                   int           code)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleModel) model = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) bytes, len, NULL));
  model = cradle_model_load (path, &error);
  g_assert_null (model);
  if (error == NULL || error->code != code)
    g_test_message ("%s (%" G_GSIZE_FORMAT " bytes): %s", name, len, error ? error->message : "no error");
  g_assert_error (error, CRADLE_MODEL_ERROR, code);
  g_assert_nonnull (strstr (error->message, name));
}

static void
sha256 (const guint8 *data,
        gsize         len,
        guint8       *digest)
{
  g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = 32;

  g_checksum_update (c, data, len);
  g_checksum_get_digest (c, digest, &n);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Trained) t = train_logreg ();
  g_autofree char *path = save (f, t->model, "good.cradle-model");
  g_autofree guint8 *bytes = NULL;
  g_autofree guint8 *copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "missing.cradle-model", NULL);
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  const char *text = "Just some text, certainly not a model.\n";
  gsize len;
  guint32 header_len, n_scale;
  gsize scaler_at, payload_at, checksum_at;

  g_assert_true (g_file_get_contents (path, (char **) &bytes, &len, NULL));
  memcpy (&header_len, bytes + 12, 4);
  header_len = GUINT32_FROM_LE (header_len);
  memcpy (&n_scale, bytes + 16 + header_len, 4);
  n_scale = GUINT32_FROM_LE (n_scale);
  scaler_at = 16 + header_len + 4;
  payload_at = scaler_at + (gsize) n_scale * 8 + 8;
  checksum_at = len - 32;
  g_assert_cmpuint (n_scale, ==, N_FEATURES);
  copy = g_malloc (len + 64);

  /* Missing file. */
  g_assert_null (cradle_model_load (missing, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.cradle-model"));
  g_clear_error (&error);

  /* Empty, foreign, the start of the magic. */
  expect_load_error (f, "empty.cradle-model", (const guint8 *) "", 0, CRADLE_MODEL_ERROR_TRUNCATED);
  expect_load_error (f, "picture.png", png, sizeof png, CRADLE_MODEL_ERROR_NOT_MODEL);
  expect_load_error (f, "notes.txt", (const guint8 *) text, strlen (text), CRADLE_MODEL_ERROR_NOT_MODEL);
  expect_load_error (f, "hi.txt", (const guint8 *) "hi", 2, CRADLE_MODEL_ERROR_NOT_MODEL);
  expect_load_error (f, "start.cradle-model", bytes, 5, CRADLE_MODEL_ERROR_TRUNCATED);

  /* Truncated at every tenth byte: every length field comes before what it
   * measures, so each region (magic, version, header, scaler, payload,
   * checksum) reads as TRUNCATED. */
  for (gsize cut = 1; cut < len; cut += 10)
    expect_load_error (f, "cut.cradle-model", bytes, cut, CRADLE_MODEL_ERROR_TRUNCATED);
  expect_load_error (f, "cut.cradle-model", bytes, len - 1, CRADLE_MODEL_ERROR_TRUNCATED);
  /* Bytes after the checksum. */
  memcpy (copy, bytes, len);
  copy[len] = 0;
  expect_load_error (f, "long.cradle-model", copy, len + 1, CRADLE_MODEL_ERROR_CORRUPT);

  /* One flipped byte in the header, the scaler, the payload, the checksum. */
  {
    const gsize at[] = { 16 + header_len / 2, scaler_at + 5, payload_at + 40, len - 3, checksum_at };

    for (guint i = 0; i < G_N_ELEMENTS (at); i++)
      {
        memcpy (copy, bytes, len);
        copy[at[i]] ^= 0x20;
        expect_load_error (f, "flip.cradle-model", copy, len, CRADLE_MODEL_ERROR_CORRUPT);
      }
  }

  /* Version 2, checksum now wrong too: FUTURE_VERSION wins. */
  memcpy (copy, bytes, len);
  copy[8] = 2;
  expect_load_error (f, "future.cradle-model", copy, len, CRADLE_MODEL_ERROR_FUTURE_VERSION);
  /* … also with a recomputed checksum. */
  sha256 (copy, checksum_at, copy + checksum_at);
  expect_load_error (f, "future2.cradle-model", copy, len, CRADLE_MODEL_ERROR_FUTURE_VERSION);

  /* The header edited (another valid configuration, old hash kept) with a
   * fresh checksum: the recomputed configuration hash does not match. */
  {
    g_autofree char *header = g_strndup ((const char *) bytes + 16, header_len);
    g_autoptr(GString) edited = g_string_new (header);
    g_autoptr(GByteArray) file = g_byte_array_new ();
    guint8 digest[32];
    guint32 le;

    g_assert_cmpuint (g_string_replace (edited, "\"n_mfcc\":20", "\"n_mfcc\":21", 1), ==, 1);
    g_byte_array_append (file, bytes, 12);
    le = GUINT32_TO_LE ((guint32) edited->len);
    g_byte_array_append (file, (const guint8 *) &le, 4);
    g_byte_array_append (file, (const guint8 *) edited->str, edited->len);
    g_byte_array_append (file, bytes + 16 + header_len, checksum_at - (16 + header_len));
    sha256 (file->data, file->len, digest);
    g_byte_array_append (file, digest, 32);
    expect_load_error (f, "edited.cradle-model", file->data, file->len, CRADLE_MODEL_ERROR_CORRUPT);

    /* The same edit to a field that does not parse: CORRUPT as well. */
    g_string_assign (edited, header);
    g_assert_cmpuint (g_string_replace (edited, "\"labels\"", "\"lablez\"", 1), ==, 1);
    g_byte_array_set_size (file, 0);
    g_byte_array_append (file, bytes, 12);
    g_byte_array_append (file, (const guint8 *) &le, 4);
    g_byte_array_append (file, (const guint8 *) edited->str, edited->len);
    g_byte_array_append (file, bytes + 16 + header_len, checksum_at - (16 + header_len));
    sha256 (file->data, file->len, digest);
    g_byte_array_append (file, digest, 32);
    expect_load_error (f, "lablez.cradle-model", file->data, file->len, CRADLE_MODEL_ERROR_CORRUPT);
  }

  /* A payload the classifier rejects, with a valid checksum. */
  memcpy (copy, bytes, len);
  copy[payload_at] ^= 0xff;   /* the classifier's own magic */
  sha256 (copy, checksum_at, copy + checksum_at);
  expect_load_error (f, "payload.cradle-model", copy, len, CRADLE_MODEL_ERROR_CORRUPT);

  /* And the untouched file still loads. */
  {
    g_autoptr(CradleModel) ok = cradle_model_load (path, &error);

    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  CradleAnalysisConfig config;
  static const char * const dup[] = { "a", "a", NULL };

  cradle_analysis_config_init_default (&config);
  g_assert_null (cradle_model_new (CRADLE_MODEL_LOGREG, CRADLE_TASK_DETECT,
                                   CRADLE_MODEL_INPUT_CLIP_VECTOR, &config, dup, 2, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  config.n_fft = 1000;
  g_assert_null (cradle_model_new (CRADLE_MODEL_LOGREG, CRADLE_TASK_DETECT,
                                   CRADLE_MODEL_INPUT_CLIP_VECTOR, &config, labels3, 3, &error));
  g_assert_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID);
}

static void
test_strings (void)
{
  CradleTask task;

  g_assert_cmpstr (cradle_task_to_string (CRADLE_TASK_DETECT), ==, "detect");
  g_assert_cmpstr (cradle_task_to_string (CRADLE_TASK_CAUSE), ==, "cause");
  g_assert_true (cradle_task_from_string ("cause", &task));
  g_assert_cmpint (task, ==, CRADLE_TASK_CAUSE);
  g_assert_false (cradle_task_from_string ("sleep", &task));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/model/strings", test_strings);
  g_test_add_func ("/core/model/invalid", test_invalid);
  g_test_add_func ("/core/model/scaler", test_scaler);
  g_test_add ("/core/model/save-load", Fixture, NULL, fixture_setup, test_save_load, fixture_teardown);
  g_test_add ("/core/model/log-mel", Fixture, NULL, fixture_setup, test_log_mel, fixture_teardown);
  g_test_add ("/core/model/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);

  return g_test_run ();
}
