/* cradle-model.c — a trained model and its self-describing file
 *
 * The file layout is in cradle-model.h. Loading checks, in this order: the
 * magic (NOT_MODEL; a file too short for it is TRUNCATED when what is there
 * is the start of the magic), the version (FUTURE_VERSION, before the
 * checksum, so a newer file says so), every length against the end of the
 * file (TRUNCATED), the checksum (CORRUPT), then the header JSON, the
 * scaler and the classifier payload (CORRUPT when anything does not parse
 * or does not agree). Nothing in the file is run: JSON goes through
 * json-glib, the payload through the classifier's own checked parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-model.h"
#include "cradle-classifier-private.h"
#include "cradle-serial-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECKSUM_LENGTH 32
#define PREDICT_CHUNK_ROWS 256
/* Below this a feature is constant: its scale is 1 (as scikit-learn does). */
#define SCALER_MIN_STD 1e-12

struct _CradleModel {
  CradleModelKind       kind;
  CradleTask            task;
  CradleModelInput      input;
  CradleAnalysisConfig  config;
  char                 *config_hash;
  char                **labels;
  guint                 n_classes;
  guint                 n_features;
  guint                 height;
  guint                 width;
  char                **feature_names;
  guint32               seed;
  char                 *dataset_hash;
  char                 *created;
  JsonNode             *metrics;
  JsonNode             *detector;      /* NULL: none stored */
  guint                 n_scale;
  float                *mean;
  float                *scale;
  CradleClassifier     *classifier;
};

static const char * const task_names[] = { "detect", "cause" };
static const char * const input_names[] = { "clip_vector", "log_mel" };

const char *
cradle_task_to_string (CradleTask task)
{
  g_return_val_if_fail ((guint) task < G_N_ELEMENTS (task_names), NULL);

  return task_names[task];
}

gboolean
cradle_task_from_string (const char *name,
                         CradleTask *task)
{
  g_return_val_if_fail (task != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (task_names); i++)
    {
      if (g_ascii_strcasecmp (name, task_names[i]) == 0)
        {
          *task = (CradleTask) i;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static JsonNode *
empty_object (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

static CradleModel *
model_alloc (void)
{
  CradleModel *self = g_new0 (CradleModel, 1);

  self->metrics = empty_object ();
  return self;
}

/**
 * cradle_model_new:
 *
 * Returns: (transfer full) (nullable): an untrained model, or NULL with
 * ERROR (CRADLE_MODEL_ERROR_INVALID) set.
 */
CradleModel *
cradle_model_new (CradleModelKind              kind,
                  CradleTask                   task,
                  CradleModelInput             input,
                  const CradleAnalysisConfig  *config,
                  const char * const          *labels,
                  guint                        n_classes,
                  GError                     **error)
{
  g_autoptr(CradleModel) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail ((guint) kind < CRADLE_MODEL_N_KINDS, NULL);
  g_return_val_if_fail ((guint) task < G_N_ELEMENTS (task_names), NULL);
  g_return_val_if_fail ((guint) input < G_N_ELEMENTS (input_names), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_classes < 2)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "A model needs at least two classes, not %u", n_classes);
      return NULL;
    }
  for (guint i = 0; i < n_classes; i++)
    {
      if (labels[i] == NULL || labels[i][0] == '\0' || !g_utf8_validate (labels[i], -1, NULL))
        {
          g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                       "Class %u has no name", i);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (labels[i], labels[j]))
          {
            g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                         "The class name “%s” appears twice", labels[i]);
            return NULL;
          }
    }
  if (!cradle_analysis_config_validate (config, &local_error))
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }

  self = model_alloc ();
  self->kind = kind;
  self->task = task;
  self->input = input;
  self->config = *config;
  self->config_hash = cradle_analysis_config_hash (config);
  self->n_classes = n_classes;
  self->labels = g_new0 (char *, n_classes + 1);
  for (guint i = 0; i < n_classes; i++)
    self->labels[i] = g_strdup (labels[i]);
  self->created = now_iso8601 ();
  return g_steal_pointer (&self);
}

void
cradle_model_free (CradleModel *self)
{
  if (self == NULL)
    return;
  g_free (self->config_hash);
  g_strfreev (self->labels);
  g_strfreev (self->feature_names);
  g_free (self->dataset_hash);
  g_free (self->created);
  g_clear_pointer (&self->metrics, json_node_unref);
  g_clear_pointer (&self->detector, json_node_unref);
  g_free (self->mean);
  g_free (self->scale);
  cradle_classifier_free (self->classifier);
  g_free (self);
}

/* The scaler: per feature (clip vectors) or per column = mel band over all
 * frames of all rows (log-mel). Two passes in double. */
static void
fit_scaler (CradleModelInput    input,
            const CradleMatrix *m,
            guint               n_scale,
            float              *mean,
            float              *scale)
{
  g_autofree double *sum = g_new0 (double, n_scale);
  g_autofree double *sq = g_new0 (double, n_scale);
  gsize n_values = (gsize) m->n_rows * m->n_features;
  double count = (double) n_values / n_scale;

  g_assert (input == CRADLE_MODEL_INPUT_CLIP_VECTOR || m->n_features % n_scale == 0);
  for (gsize i = 0; i < n_values; i++)
    sum[i % n_scale] += m->x[i];
  for (guint j = 0; j < n_scale; j++)
    sum[j] /= count;
  for (gsize i = 0; i < n_values; i++)
    {
      double dv = m->x[i] - sum[i % n_scale];

      sq[i % n_scale] += dv * dv;
    }
  for (guint j = 0; j < n_scale; j++)
    {
      double sd = sqrt (sq[j] / count);

      mean[j] = (float) sum[j];
      scale[j] = sd < SCALER_MIN_STD ? 1.0f : (float) sd;
    }
}

/* OUT = (IN − mean) / scale for N_ROWS rows. The column of value i is
 * i mod n_scale in both layouts: n_scale = n_features for vectors, the
 * width (bands) for frame-major log-mel images. */
static void
standardise (const float *in,
             gsize        n_values,
             const float *mean,
             const float *scale,
             guint        n_scale,
             float       *out)
{
  for (gsize i = 0, j = 0; i < n_values; i++)
    {
      out[i] = (in[i] - mean[j]) / scale[j];
      if (++j == n_scale)
        j = 0;
    }
}

static gboolean
check_shape (CradleModel         *self,
             const CradleMatrix  *m,
             const char          *what,
             GError             **error)
{
  if (m->n_rows == 0 || m->n_features == 0 || m->x == NULL || m->y == NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The %s data is empty", what);
      return FALSE;
    }
  if (self->input == CRADLE_MODEL_INPUT_LOG_MEL &&
      (m->height == 0 || m->width == 0 || (guint64) m->height * m->width != m->n_features))
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "The %s data is not log-mel images (%u × %u for %u values)",
                   what, m->height, m->width, m->n_features);
      return FALSE;
    }
  return TRUE;
}

gboolean
cradle_model_fit (CradleModel               *self,
                  const CradleMatrix        *train,
                  const CradleMatrix        *valid,
                  const CradleTrainRequest  *request,
                  GError                   **error)
{
  gboolean log_mel;
  guint n_scale;
  g_autofree float *mean = NULL;
  g_autofree float *scale = NULL;
  g_autofree float *train_x = NULL;
  g_autofree float *valid_x = NULL;
  CradleMatrix train_std, valid_std;
  CradleTrainRequest req = { 0 };
  CradleClassifier *classifier;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (train != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_shape (self, train, "training", error) ||
      (valid != NULL && !check_shape (self, valid, "validation", error)))
    return FALSE;
  if (valid != NULL && (valid->n_features != train->n_features ||
                        valid->height != train->height || valid->width != train->width))
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_MISMATCH,
                   "The validation data has %u features, the training data %u",
                   valid->n_features, train->n_features);
      return FALSE;
    }
  if (self->feature_names != NULL && g_strv_length (self->feature_names) != train->n_features)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_MISMATCH,
                   "The model has %u feature names but the data %u features",
                   g_strv_length (self->feature_names), train->n_features);
      return FALSE;
    }

  log_mel = self->input == CRADLE_MODEL_INPUT_LOG_MEL;
  n_scale = log_mel ? train->width : train->n_features;
  mean = g_new (float, n_scale);
  scale = g_new (float, n_scale);
  fit_scaler (self->input, train, n_scale, mean, scale);

  train_x = g_new (float, (gsize) train->n_rows * train->n_features);
  standardise (train->x, (gsize) train->n_rows * train->n_features, mean, scale, n_scale, train_x);
  train_std = *train;
  train_std.x = train_x;
  if (!log_mel)
    train_std.height = train_std.width = 0;
  if (valid != NULL)
    {
      valid_x = g_new (float, (gsize) valid->n_rows * valid->n_features);
      standardise (valid->x, (gsize) valid->n_rows * valid->n_features, mean, scale, n_scale, valid_x);
      valid_std = *valid;
      valid_std.x = valid_x;
      if (!log_mel)
        valid_std.height = valid_std.width = 0;
    }

  if (request != NULL)
    req = *request;
  req.train = &train_std;
  req.valid = valid != NULL ? &valid_std : NULL;
  req.n_classes = self->n_classes;
  classifier = cradle_classifier_train (self->kind, &req, error);
  if (classifier == NULL)
    return FALSE;

  cradle_classifier_free (self->classifier);
  self->classifier = classifier;
  g_free (self->mean);
  g_free (self->scale);
  self->mean = g_steal_pointer (&mean);
  self->scale = g_steal_pointer (&scale);
  self->n_scale = n_scale;
  self->n_features = train->n_features;
  self->height = log_mel ? train->height : 0;
  self->width = log_mel ? train->width : 0;
  self->seed = req.seed;
  g_free (self->created);
  self->created = now_iso8601 ();
  return TRUE;
}

void
cradle_model_predict_proba (CradleModel *self,
                            const float *x,
                            guint        n_rows,
                            float       *proba)
{
  g_autofree float *scratch = NULL;
  guint chunk;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->classifier != NULL);
  g_return_if_fail (n_rows == 0 || (x != NULL && proba != NULL));

  if (n_rows == 0)
    return;
  chunk = MIN (n_rows, PREDICT_CHUNK_ROWS);
  scratch = g_new (float, (gsize) chunk * self->n_features);
  for (guint start = 0; start < n_rows; start += chunk)
    {
      guint n = MIN (chunk, n_rows - start);

      standardise (x + (gsize) start * self->n_features, (gsize) n * self->n_features,
                   self->mean, self->scale, self->n_scale, scratch);
      cradle_classifier_predict_proba (self->classifier, scratch, n,
                                       proba + (gsize) start * self->n_classes);
    }
}

/* Writing. */

static JsonNode *
build_header (CradleModel *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  const CradleAnalysisConfig *c = &self->config;
  g_autoptr(GHashTable) params = cradle_classifier_get_params (self->classifier);
  g_autofree const char **names = NULL;
  guint n_params = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "config");
  json_builder_begin_object (b);
#define PUT_INT(field) json_builder_set_member_name (b, #field); json_builder_add_int_value (b, c->field)
#define PUT_FLOAT(field) json_builder_set_member_name (b, #field); json_builder_add_double_value (b, c->field)
  PUT_INT (sample_rate);
  PUT_INT (n_fft);
  PUT_INT (hop_length);
  PUT_INT (n_mels);
  PUT_INT (n_mfcc);
  PUT_FLOAT (fmin);
  PUT_FLOAT (fmax);
  PUT_FLOAT (clip_seconds);
  PUT_FLOAT (trim_top_db);
  PUT_FLOAT (yin_fmin);
  PUT_FLOAT (yin_fmax);
  PUT_INT (yin_frame_length);
  PUT_INT (yin_hop_length);
  PUT_FLOAT (yin_threshold);
#undef PUT_INT
#undef PUT_FLOAT
  json_builder_end_object (b);
  json_builder_set_member_name (b, "feature_version");
  json_builder_add_int_value (b, CRADLE_FEATURE_VERSION);
  json_builder_set_member_name (b, "config_hash");
  json_builder_add_string_value (b, self->config_hash);
  json_builder_set_member_name (b, "task");
  json_builder_add_string_value (b, task_names[self->task]);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, cradle_model_kind_to_string (self->kind));
  json_builder_set_member_name (b, "input");
  json_builder_add_string_value (b, input_names[self->input]);
  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->n_classes; i++)
    json_builder_add_string_value (b, self->labels[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "n_features");
  json_builder_add_int_value (b, self->n_features);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, self->height);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, self->width);
  json_builder_set_member_name (b, "feature_names");
  if (self->feature_names != NULL)
    {
      json_builder_begin_array (b);
      for (guint i = 0; self->feature_names[i] != NULL; i++)
        json_builder_add_string_value (b, self->feature_names[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  names = (const char **) g_hash_table_get_keys_as_array (params, &n_params);
  for (guint i = 0; i < n_params; i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_string_value (b, g_hash_table_lookup (params, names[i]));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, self->seed);
  json_builder_set_member_name (b, "dataset_hash");
  if (self->dataset_hash != NULL)
    json_builder_add_string_value (b, self->dataset_hash);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, self->created);
  json_builder_set_member_name (b, "metrics");
  json_builder_add_value (b, json_node_copy (self->metrics));
  if (self->detector != NULL)
    {
      json_builder_set_member_name (b, "detector");
      json_builder_add_value (b, json_node_copy (self->detector));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static GBytes *
model_to_bytes (CradleModel  *self,
                GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(JsonNode) header = build_header (self);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *text = NULL;
  guint8 digest[CHECKSUM_LENGTH];
  gsize digest_len = sizeof digest;
  gsize text_len;

  if (!cradle_classifier_serialize (self->classifier, payload, error))
    return NULL;
  json_generator_set_root (gen, header);
  text = json_generator_to_data (gen, &text_len);
  if (text_len > G_MAXUINT32)
    {
      g_set_error_literal (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                           "The model header is too large");
      return NULL;
    }

  g_byte_array_append (out, (const guint8 *) CRADLE_MODEL_MAGIC, 8);
  cradle_serial_put_u32 (out, CRADLE_MODEL_FORMAT_VERSION);
  cradle_serial_put_u32 (out, (guint32) text_len);
  g_byte_array_append (out, (const guint8 *) text, text_len);
  cradle_serial_put_u32 (out, self->n_scale);
  for (guint i = 0; i < self->n_scale; i++)
    cradle_serial_put_f32 (out, self->mean[i]);
  for (guint i = 0; i < self->n_scale; i++)
    cradle_serial_put_f32 (out, self->scale[i]);
  cradle_serial_put_u64 (out, payload->len);
  g_byte_array_append (out, payload->data, payload->len);
  g_checksum_update (checksum, out->data, out->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_byte_array_append (out, digest, CHECKSUM_LENGTH);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
cradle_model_save (CradleModel  *self,
                   const char   *path,
                   GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (self->classifier == NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_INVALID,
                   "Cannot save “%s”: the model has not been trained", display);
      return FALSE;
    }
  bytes = model_to_bytes (self, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, CRADLE_MODEL_ERROR, local_error->code,
                   "Cannot save “%s”: %s", display, local_error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &len);
  /* A temporary file in the same folder, fsynced and renamed into place. */
  if (!g_file_set_contents_full (path, (const char *) data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, CRADLE_MODEL_ERROR, CRADLE_MODEL_ERROR_IO,
                   "Could not write the model file “%s”: %s", display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Reading. */

static gpointer
load_error (GError     **error,
            int          code,
            const char  *file,
            const char  *format,
            ...) G_GNUC_PRINTF (4, 5);

static gpointer
load_error (GError     **error,
            int          code,
            const char  *file,
            const char  *format,
            ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CRADLE_MODEL_ERROR, code, "Model file “%s” %s", file, why);
  return NULL;
}

static JsonNode *
member (JsonObject *obj,
        const char *name,
        JsonNodeType type)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_TYPE (node) == type ? node : NULL;
}

static gboolean
get_uint (JsonObject *obj,
          const char *name,
          guint64     max,
          guint64    *out)
{
  JsonNode *node = member (obj, name, JSON_NODE_VALUE);
  gint64 v;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0 || (guint64) v > max)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
get_float (JsonObject *obj,
           const char *name,
           float      *out)
{
  JsonNode *node = member (obj, name, JSON_NODE_VALUE);
  double v;

  if (node == NULL)
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    v = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    v = json_node_get_double (node);
  else
    return FALSE;
  if (!isfinite (v) || fabs (v) > G_MAXFLOAT)
    return FALSE;
  *out = (float) v;
  return TRUE;
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = member (obj, name, JSON_NODE_VALUE);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* A JSON array of N_EXPECTED (0: any number ≥ 1) non-empty strings.
 * (transfer full) */
static char **
get_strv (JsonObject *obj,
          const char *name,
          guint       n_expected)
{
  JsonNode *node = member (obj, name, JSON_NODE_ARRAY);
  JsonArray *a;
  GStrvBuilder *builder;
  guint n;

  if (node == NULL)
    return NULL;
  a = json_node_get_array (node);
  n = json_array_get_length (a);
  if (n == 0 || (n_expected != 0 && n != n_expected))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_TYPE (e) != JSON_NODE_VALUE || json_node_get_value_type (e) != G_TYPE_STRING ||
          json_node_get_string (e)[0] == '\0')
        {
          g_strv_builder_unref (builder);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (e));
    }
  {
    char **strv = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return strv;
  }
}

/* Fills SELF from the header JSON; FALSE with WHY (static text) when a
 * field is missing, mistyped or out of range. */
static gboolean
parse_header (CradleModel  *self,
              JsonNode     *root,
              const char  **why)
{
  JsonObject *h, *c;
  JsonNode *node;
  guint64 v, feature_version;
  const char *s;
  CradleAnalysisConfig *config = &self->config;

  *why = "the header is not a JSON object";
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  h = json_node_get_object (root);

  *why = "the analysis configuration in the header is missing or incomplete";
  node = member (h, "config", JSON_NODE_OBJECT);
  if (node == NULL)
    return FALSE;
  c = json_node_get_object (node);
#define GET_UINT(field) if (!get_uint (c, #field, G_MAXUINT, &v)) return FALSE; config->field = (guint) v
#define GET_FLOAT(field) if (!get_float (c, #field, &config->field)) return FALSE
  GET_UINT (sample_rate);
  GET_UINT (n_fft);
  GET_UINT (hop_length);
  GET_UINT (n_mels);
  GET_UINT (n_mfcc);
  GET_FLOAT (fmin);
  GET_FLOAT (fmax);
  GET_FLOAT (clip_seconds);
  GET_FLOAT (trim_top_db);
  GET_FLOAT (yin_fmin);
  GET_FLOAT (yin_fmax);
  GET_UINT (yin_frame_length);
  GET_UINT (yin_hop_length);
  GET_FLOAT (yin_threshold);
#undef GET_UINT
#undef GET_FLOAT
  *why = "the analysis configuration in the header is not valid";
  if (!cradle_analysis_config_validate (config, NULL))
    return FALSE;

  *why = "the header's configuration hash is missing";
  s = get_string (h, "config_hash");
  if (s == NULL || !get_uint (h, "feature_version", G_MAXUINT, &feature_version))
    return FALSE;
  self->config_hash = g_strdup (s);
  /* A model made by other feature code keeps its hash, which then matches
   * no current configuration: it is refused when used, not when read. */
  if (feature_version == CRADLE_FEATURE_VERSION)
    {
      g_autofree char *hash = cradle_analysis_config_hash (config);

      *why = "the header's configuration hash does not match its configuration";
      if (!g_str_equal (hash, self->config_hash))
        return FALSE;
    }

  *why = "the header's task, kind or input is missing or unknown";
  if (!cradle_task_from_string (get_string (h, "task"), &self->task) ||
      !cradle_model_kind_from_string (get_string (h, "kind"), &self->kind))
    return FALSE;
  s = get_string (h, "input");
  if (g_strcmp0 (s, input_names[0]) == 0)
    self->input = CRADLE_MODEL_INPUT_CLIP_VECTOR;
  else if (g_strcmp0 (s, input_names[1]) == 0)
    self->input = CRADLE_MODEL_INPUT_LOG_MEL;
  else
    return FALSE;

  *why = "the header's labels are missing or not valid";
  self->labels = get_strv (h, "labels", 0);
  if (self->labels == NULL || g_strv_length (self->labels) < 2)
    return FALSE;
  self->n_classes = g_strv_length (self->labels);

  *why = "the header's input sizes are missing or inconsistent";
  if (!get_uint (h, "n_features", 1 << 28, &v) || v == 0)
    return FALSE;
  self->n_features = (guint) v;
  if (!get_uint (h, "height", 1 << 28, &v))
    return FALSE;
  self->height = (guint) v;
  if (!get_uint (h, "width", 1 << 28, &v))
    return FALSE;
  self->width = (guint) v;
  if (self->input == CRADLE_MODEL_INPUT_LOG_MEL
      ? self->height == 0 || self->width == 0 || (guint64) self->height * self->width != self->n_features
      : self->height != 0 || self->width != 0)
    return FALSE;

  *why = "the header's feature names are not valid";
  node = json_object_get_member (h, "feature_names");
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_NULL (node))
    {
      self->feature_names = get_strv (h, "feature_names", self->n_features);
      if (self->feature_names == NULL)
        return FALSE;
    }

  *why = "the header's hyperparameters are not valid";
  if (member (h, "params", JSON_NODE_OBJECT) == NULL)
    return FALSE;

  *why = "the header's seed, dataset hash or creation time is missing";
  if (!get_uint (h, "seed", G_MAXUINT32, &v))
    return FALSE;
  self->seed = (guint32) v;
  node = json_object_get_member (h, "dataset_hash");
  if (node == NULL || (!JSON_NODE_HOLDS_NULL (node) && get_string (h, "dataset_hash") == NULL))
    return FALSE;
  self->dataset_hash = g_strdup (get_string (h, "dataset_hash"));
  s = get_string (h, "created");
  if (s == NULL)
    return FALSE;
  self->created = g_strdup (s);

  *why = "the header's metrics are not a JSON object";
  node = json_object_get_member (h, "metrics");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      json_node_unref (self->metrics);
      self->metrics = json_node_copy (node);
    }
  *why = "the header's detector settings are not a JSON object";
  node = json_object_get_member (h, "detector");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      self->detector = json_node_copy (node);
    }
  return TRUE;
}

/**
 * cradle_model_load_from_bytes:
 *
 * Returns: (transfer full) (nullable):
 */
CradleModel *
cradle_model_load_from_bytes (GBytes      *bytes,
                              const char  *path_for_errors,
                              GError     **error)
{
  g_autoptr(CradleModel) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *file = path_for_errors != NULL ? path_for_errors : "(memory)";
  CradleSerialReader r;
  const guint8 *data, *magic, *header, *scaler, *payload, *stored;
  gsize length, body_length;
  guint32 version, header_len, n_scale;
  guint64 payload_len;
  guint8 digest[CHECKSUM_LENGTH];
  gsize digest_len = sizeof digest;
  const char *why = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  cradle_serial_reader_init (&r, data, length);

  if (length == 0)
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is empty");
  if (!cradle_serial_get_bytes (&r, 8, &magic))
    {
      if (memcmp (data, CRADLE_MODEL_MAGIC, length) == 0)
        return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file,
                           "is truncated (%" G_GSIZE_FORMAT " bytes)", length);
      return load_error (error, CRADLE_MODEL_ERROR_NOT_MODEL, file, "is not a Cradle model file");
    }
  if (memcmp (magic, CRADLE_MODEL_MAGIC, 8) != 0)
    return load_error (error, CRADLE_MODEL_ERROR_NOT_MODEL, file, "is not a Cradle model file");
  if (!cradle_serial_get_u32 (&r, &version))
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is truncated in its version");
  if (version > CRADLE_MODEL_FORMAT_VERSION)
    return load_error (error, CRADLE_MODEL_ERROR_FUTURE_VERSION, file,
                       "was written by a newer Cradle (format version %u; this one reads up to %u)",
                       version, CRADLE_MODEL_FORMAT_VERSION);
  if (version == 0)
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file, "is damaged (format version 0)");

  if (!cradle_serial_get_u32 (&r, &header_len) || !cradle_serial_get_bytes (&r, header_len, &header))
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is truncated in its header");
  if (!cradle_serial_get_u32 (&r, &n_scale) ||
      (guint64) n_scale * 8 > cradle_serial_remaining (&r) ||
      !cradle_serial_get_bytes (&r, (gsize) n_scale * 8, &scaler))
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is truncated in its scaler");
  if (!cradle_serial_get_u64 (&r, &payload_len) || payload_len > cradle_serial_remaining (&r) ||
      !cradle_serial_get_bytes (&r, payload_len, &payload))
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is truncated in its classifier data");
  body_length = r.pos;
  if (!cradle_serial_get_bytes (&r, CHECKSUM_LENGTH, &stored))
    return load_error (error, CRADLE_MODEL_ERROR_TRUNCATED, file, "is truncated in its checksum");
  if (cradle_serial_remaining (&r) != 0)
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file,
                       "is damaged (%" G_GSIZE_FORMAT " unexpected bytes after the checksum)",
                       cradle_serial_remaining (&r));

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, data, body_length);
  g_checksum_get_digest (checksum, digest, &digest_len);
  if (memcmp (digest, stored, CHECKSUM_LENGTH) != 0)
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file, "is damaged (checksum mismatch)");

  self = model_alloc ();
  parser = json_parser_new_immutable ();
  if (!g_utf8_validate ((const char *) header, header_len, NULL) ||
      !json_parser_load_from_data (parser, (const char *) header, header_len, NULL))
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file, "is damaged: its header is not JSON");
  if (!parse_header (self, json_parser_get_root (parser), &why))
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file, "is damaged: %s", why);

  if (n_scale != (self->input == CRADLE_MODEL_INPUT_LOG_MEL ? self->width : self->n_features))
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file,
                       "is damaged: its scaler has %u values for %u features", n_scale, self->n_features);
  self->n_scale = n_scale;
  self->mean = g_new (float, n_scale);
  self->scale = g_new (float, n_scale);
  {
    CradleSerialReader sr;

    cradle_serial_reader_init (&sr, scaler, (gsize) n_scale * 8);
    for (guint i = 0; i < n_scale; i++)
      cradle_serial_get_f32 (&sr, &self->mean[i]);
    for (guint i = 0; i < n_scale; i++)
      cradle_serial_get_f32 (&sr, &self->scale[i]);
  }
  for (guint i = 0; i < n_scale; i++)
    if (!isfinite (self->mean[i]) || !isfinite (self->scale[i]) || !(self->scale[i] > 0.0f))
      return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file,
                         "is damaged: its scaler has an impossible value");

  self->classifier = cradle_classifier_deserialize (self->kind, payload, payload_len, self->n_features,
                                                    self->height, self->width, self->n_classes,
                                                    &local_error);
  if (self->classifier == NULL)
    return load_error (error, CRADLE_MODEL_ERROR_CORRUPT, file,
                       "is damaged: %s", local_error->message);
  return g_steal_pointer (&self);
}

/* The file's bytes; IO errors name the file and say what failed. */
static GBytes *
read_file (const char  *path,
           const char  *display,
           GError     **error)
{
  g_autofree guint8 *buffer = NULL;
  struct stat st = { 0 };
  gsize done = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      return load_error (error, CRADLE_MODEL_ERROR_IO, display, "could not be opened: %s",
                         g_strerror (saved));
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      close (fd);
      return load_error (error, CRADLE_MODEL_ERROR_IO, display, "could not be read: %s",
                         S_ISDIR (st.st_mode) ? "it is a folder" : g_strerror (saved));
    }
  buffer = g_malloc (MAX (st.st_size, 1));
  while (done < (gsize) st.st_size)
    {
      gssize n = read (fd, buffer + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          return load_error (error, CRADLE_MODEL_ERROR_IO, display, "could not be read: %s",
                             n == 0 ? "it shrank while being read" : g_strerror (saved));
        }
      done += n;
    }
  close (fd);
  return g_bytes_new_take (g_steal_pointer (&buffer), done);
}

/**
 * cradle_model_load:
 *
 * Returns: (transfer full) (nullable):
 */
CradleModel *
cradle_model_load (const char  *path,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  bytes = read_file (path, display, error);
  if (bytes == NULL)
    return NULL;
  return cradle_model_load_from_bytes (bytes, display, error);
}

/* Accessors. */

CradleModelKind
cradle_model_get_kind (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, CRADLE_MODEL_LOGREG);
  return self->kind;
}

CradleTask
cradle_model_get_task (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, CRADLE_TASK_DETECT);
  return self->task;
}

CradleModelInput
cradle_model_get_input (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, CRADLE_MODEL_INPUT_CLIP_VECTOR);
  return self->input;
}

const CradleAnalysisConfig *
cradle_model_get_config (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->config;
}

const char *
cradle_model_get_config_hash (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->config_hash;
}

guint
cradle_model_get_n_classes (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_classes;
}

const char * const *
cradle_model_get_labels (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->labels;
}

int
cradle_model_find_label (CradleModel *self,
                         const char  *label)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; label != NULL && i < self->n_classes; i++)
    if (g_str_equal (self->labels[i], label))
      return (int) i;
  return -1;
}

guint
cradle_model_get_n_features (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_features;
}

guint
cradle_model_get_height (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

guint
cradle_model_get_width (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

const char * const *
cradle_model_get_feature_names (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->feature_names;
}

void
cradle_model_set_feature_names (CradleModel        *self,
                                const char * const *names)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (names == NULL || self->classifier == NULL ||
                    g_strv_length ((char **) names) == self->n_features);

  g_strfreev (self->feature_names);
  self->feature_names = g_strdupv ((char **) names);
}

guint32
cradle_model_get_seed (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->seed;
}

const char *
cradle_model_get_dataset_hash (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dataset_hash;
}

void
cradle_model_set_dataset_hash (CradleModel *self,
                               const char  *hash)
{
  g_return_if_fail (self != NULL);

  g_free (self->dataset_hash);
  self->dataset_hash = g_strdup (hash);
}

const char *
cradle_model_get_created (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->created;
}

JsonNode *
cradle_model_get_metrics (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->metrics;
}

void
cradle_model_set_metrics (CradleModel *self,
                          JsonNode    *metrics)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (metrics == NULL || JSON_NODE_HOLDS_OBJECT (metrics));

  json_node_unref (self->metrics);
  self->metrics = metrics != NULL ? json_node_copy (metrics) : empty_object ();
}

JsonNode *
cradle_model_get_detector (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->detector;
}

void
cradle_model_set_detector (CradleModel *self,
                           JsonNode    *detector)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (detector == NULL || JSON_NODE_HOLDS_OBJECT (detector));

  g_clear_pointer (&self->detector, json_node_unref);
  if (detector != NULL)
    self->detector = json_node_copy (detector);
}

CradleClassifier *
cradle_model_get_classifier (CradleModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->classifier;
}

gboolean
cradle_model_get_scaler (CradleModel  *self,
                         guint        *n,
                         const float **mean,
                         const float **scale)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->classifier == NULL)
    return FALSE;
  if (n != NULL)
    *n = self->n_scale;
  if (mean != NULL)
    *mean = self->mean;
  if (scale != NULL)
    *scale = self->scale;
  return TRUE;
}

/**
 * cradle_model_describe:
 *
 * Returns: (transfer full): e.g. "gbt, detect (cry, not_cry): gbt eta=0.1 …"
 */
char *
cradle_model_describe (CradleModel *self)
{
  g_autofree char *labels = NULL;
  g_autofree char *classifier = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  labels = g_strjoinv (", ", self->labels);
  classifier = self->classifier != NULL ? cradle_classifier_describe (self->classifier)
                                        : g_strdup_printf ("%s (untrained)",
                                                           cradle_model_kind_to_string (self->kind));
  return g_strdup_printf ("%s, %s (%s): %s", cradle_model_kind_to_string (self->kind),
                          task_names[self->task], labels, classifier);
}
