/* cradle-cli-features.c — `cradle-cli features [--json|--csv] FILE…`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cradle-cli.h"

static void
print_csv_field (const char *text)
{
  if (strpbrk (text, ",\"\n") == NULL)
    {
      fputs (text, stdout);
      return;
    }
  putchar ('"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        putchar ('"');
      putchar (*p);
    }
  putchar ('"');
}

int
cradle_cli_features (int    argc,
                     char **argv)
{
  gboolean json = FALSE;
  gboolean csv = FALSE;
  g_auto(GStrv) files = NULL;
  CradleCliAnalysisOptions analysis;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per file, one per line", NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "A CSV table: a header, then a row per file", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — compute clip feature vectors");
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *vector = NULL;
  g_autofree char *hash = NULL;
  CradleAnalysisConfig config;
  guint n_values;
  int status = CRADLE_CLI_EXIT_OK;

  g_option_context_set_summary (context,
    "Loads each file, mixes it to mono, resamples it to the analysis rate, trims silence,\n"
    "peak-normalises it, centres it in a fixed-length clip and prints its feature vector:\n"
    "the mean and standard deviation over time of MFCCs, their deltas, spectral centroid,\n"
    "rolloff, bandwidth, flatness, zero-crossing rate, RMS and YIN F0, plus the voiced ratio.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, cradle_cli_analysis_option_group (&analysis));
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      fprintf (stderr, "cradle-cli: features needs at least one FILE\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (json && csv)
    {
      fprintf (stderr, "cradle-cli: choose one of --json and --csv\n");
      return CRADLE_CLI_EXIT_USAGE;
    }

  extractor = cradle_cli_make_extractor (&analysis, &config);
  if (extractor == NULL)
    return CRADLE_CLI_EXIT_USAGE;

  hash = cradle_analysis_config_hash (&config);
  n_values = cradle_feature_extractor_n_values (extractor);
  vector = g_new (float, n_values);

  if (csv)
    {
      fputs ("file", stdout);
      for (guint k = 0; k < n_values; k++)
        printf (",%s", cradle_feature_extractor_value_name (extractor, k));
      putchar ('\n');
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) file_error = NULL;
      double duration = 0.0;

      if (!cradle_feature_extractor_file_vector (extractor, files[i], vector, &duration, &file_error))
        {
          cradle_cli_print_error (file_error);
          status = CRADLE_CLI_EXIT_ERROR;
          continue;
        }

      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, files[i]);
          json_builder_set_member_name (b, "duration");
          json_builder_add_double_value (b, duration);
          json_builder_set_member_name (b, "config_hash");
          json_builder_add_string_value (b, hash);
          json_builder_set_member_name (b, "features");
          json_builder_begin_object (b);
          for (guint k = 0; k < n_values; k++)
            {
              json_builder_set_member_name (b, cradle_feature_extractor_value_name (extractor, k));
              json_builder_add_double_value (b, cradle_cli_float_for_json (vector[k]));
            }
          json_builder_end_object (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cradle_cli_print_json_line (root);
        }
      else if (csv)
        {
          print_csv_field (files[i]);
          for (guint k = 0; k < n_values; k++)
            printf (",%.9g", (double) vector[k]);
          putchar ('\n');
        }
      else
        {
          printf ("%s  (%.3f s, %u values, analysis %s)\n", files[i], duration, n_values, hash);
          for (guint k = 0; k < n_values; k++)
            printf ("  %-22s %14.6g\n", cradle_feature_extractor_value_name (extractor, k),
                    (double) vector[k]);
        }
    }
  return status;
}
