/* cradle-cli-common.c — option parsing, errors, JSON and file listing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cradle-cli.h"

GOptionGroup *
cradle_cli_analysis_option_group (CradleCliAnalysisOptions *options)
{
  const GOptionEntry entries[] = {
    { "sample-rate", 0, 0, G_OPTION_ARG_INT, &options->sample_rate,
      "Analysis sample rate in Hz (16000)", "HZ" },
    { "n-fft", 0, 0, G_OPTION_ARG_INT, &options->n_fft, "STFT size (2048)", "N" },
    { "hop", 0, 0, G_OPTION_ARG_INT, &options->hop_length, "STFT hop in samples (512)", "N" },
    { "n-mels", 0, 0, G_OPTION_ARG_INT, &options->n_mels, "Mel bands (128)", "N" },
    { "n-mfcc", 0, 0, G_OPTION_ARG_INT, &options->n_mfcc, "MFCC coefficients, 13–40 (40)", "N" },
    { "clip-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &options->clip_seconds,
      "Clip length after preprocessing (5)", "SECONDS" },
    { NULL }
  };
  GOptionGroup *group;

  options->sample_rate = options->n_fft = options->hop_length = -1;
  options->n_mels = options->n_mfcc = -1;
  options->clip_seconds = -1.0;

  group = g_option_group_new ("analysis", "Analysis options:", "Show analysis options", NULL, NULL);
  g_option_group_add_entries (group, entries);
  return group;
}

static gboolean
apply_uint (int         value,
            const char *option,
            guint      *field,
            GError    **error)
{
  if (value == -1)
    return TRUE;
  if (value <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s must be a positive number, not %d", option, value);
      return FALSE;
    }
  *field = (guint) value;
  return TRUE;
}

gboolean
cradle_cli_analysis_options_apply (const CradleCliAnalysisOptions  *options,
                                   CradleAnalysisConfig            *config,
                                   GError                         **error)
{
  if (!apply_uint (options->sample_rate, "sample-rate", &config->sample_rate, error) ||
      !apply_uint (options->n_fft, "n-fft", &config->n_fft, error) ||
      !apply_uint (options->hop_length, "hop", &config->hop_length, error) ||
      !apply_uint (options->n_mels, "n-mels", &config->n_mels, error) ||
      !apply_uint (options->n_mfcc, "n-mfcc", &config->n_mfcc, error))
    return FALSE;
  if (options->clip_seconds != -1.0)
    config->clip_seconds = (float) options->clip_seconds;
  return cradle_analysis_config_validate (config, error);
}

CradleFeatureExtractor *
cradle_cli_make_extractor (const CradleCliAnalysisOptions *options,
                           CradleAnalysisConfig           *config)
{
  g_autoptr(GError) error = NULL;
  CradleFeatureExtractor *extractor;

  cradle_analysis_config_init_default (config);
  if (!cradle_cli_analysis_options_apply (options, config, &error) ||
      !(extractor = cradle_feature_extractor_new (config, &error)))
    {
      cradle_cli_print_error (error);
      return NULL;
    }
  return extractor;
}

gboolean
cradle_cli_parse (GOptionContext   *context,
                  int              *argc,
                  char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "cradle-cli: %s\nRun “cradle-cli %s --help” for usage.\n",
               error->message, (*argv)[0]);
      return FALSE;
    }
  return TRUE;
}

void
cradle_cli_print_error (const GError *error)
{
  fprintf (stderr, "cradle-cli: %s\n", error->message);
}

/* Doubles as the shortest decimal that reads back as the same double:
 * json-glib prints 17 significant digits (0.30000000000000004), which is
 * exact but unreadable for people and noisy in diffs. */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_string (out, l->data);
            g_string_append_c (out, ':');
            append_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

void
cradle_cli_print_json_line (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_node (out, node);
  printf ("%s\n", out->str);
  fflush (stdout);
}

/* The shortest decimal that reads back as the same float (0.3f → 0.3). */
double
cradle_cli_float_for_json (float value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return value;
  for (int precision = 1; precision <= 9; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if ((float) g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return g_ascii_strtod (buffer, NULL);
}

static gboolean
is_audio_name (const char *name)
{
  static const char * const extensions[] = {
    ".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf",
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

static gboolean
list_into (const char  *dir,
           GPtrArray   *paths,
           guint        depth,
           GError     **error)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (depth > 32)
    return TRUE;
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) &&
              !list_into (path, paths, depth + 1, error))
            return FALSE;
        }
      else if (is_audio_name (name))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  return TRUE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
cradle_cli_list_audio_files (const char  *dir,
                             GError     **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (!list_into (dir, paths, 0, error))
    return NULL;
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

GOptionEntry
cradle_cli_dataset_option (char **dir)
{
  return (GOptionEntry) {
    "dataset", 'd', 0, G_OPTION_ARG_FILENAME, dir,
    "The dataset folder ($CRADLE_DATASET, else ~/.local/share/cradle/default)", "DIR"
  };
}

CradleDataset *
cradle_cli_open_dataset (const char  *dir,
                         GError     **error)
{
  g_autofree char *fallback = NULL;

  if (dir == NULL || dir[0] == '\0')
    dir = g_getenv ("CRADLE_DATASET");
  if (dir == NULL || dir[0] == '\0')
    dir = fallback = cradle_dataset_default_dir ();
  return cradle_dataset_open (dir, error);
}
