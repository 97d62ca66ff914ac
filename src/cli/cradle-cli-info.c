/* cradle-cli-info.c — `cradle-cli info FILE…`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cradle-cli.h"

int
cradle_cli_info (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per file, one per line", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — show audio file information");
  int status = CRADLE_CLI_EXIT_OK;

  g_option_context_set_summary (context, "Prints the container format, encoding, sample rate, "
                                         "channel count and duration of each audio file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    {
      fprintf (stderr, "cradle-cli: info needs at least one FILE\n");
      return CRADLE_CLI_EXIT_USAGE;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_auto(CradleAudioInfo) info = { 0 };
      g_autoptr(GError) error = NULL;

      if (!cradle_audio_probe (files[i], &info, &error))
        {
          cradle_cli_print_error (error);
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
          json_builder_set_member_name (b, "format");
          json_builder_add_string_value (b, info.format);
          json_builder_set_member_name (b, "encoding");
          json_builder_add_string_value (b, info.subtype);
          json_builder_set_member_name (b, "sample_rate");
          json_builder_add_int_value (b, info.sample_rate);
          json_builder_set_member_name (b, "channels");
          json_builder_add_int_value (b, info.channels);
          json_builder_set_member_name (b, "frames");
          json_builder_add_int_value (b, info.frames);
          json_builder_set_member_name (b, "duration");
          json_builder_add_double_value (b, info.duration);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cradle_cli_print_json_line (root);
        }
      else
        {
          printf ("%s\n", files[i]);
          printf ("  format:    %s\n", info.format);
          printf ("  encoding:  %s\n", info.subtype);
          printf ("  rate:      %u Hz\n", info.sample_rate);
          printf ("  channels:  %u\n", info.channels);
          printf ("  duration:  %.3f s (%" G_GINT64_FORMAT " frames)\n", info.duration, info.frames);
        }
    }
  return status;
}
