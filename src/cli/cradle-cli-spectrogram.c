/* cradle-cli-spectrogram.c — `cradle-cli spectrogram FILE -o OUT`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cradle-cli.h"
#include "cradle-spectrogram-render.h"

int
cradle_cli_spectrogram (int    argc,
                        char **argv)
{
  g_auto(GStrv) files = NULL;
  g_autofree char *output = NULL;
  g_autofree char *colormap_name = NULL;
  g_autofree char *scale_name = NULL;
  g_autofree char *title = NULL;
  int width = 1200;
  int height = 600;
  double db_range = 80.0;
  gboolean clip = FALSE;
  CradleCliAnalysisOptions analysis;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the image to OUT; .png, .svg or .pdf picks the format", "OUT" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Image width in pixels (PDF: points) (1200)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Image height (600)", "H" },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &colormap_name,
      "viridis, magma or grayscale (viridis)", "MAP" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name,
      "Frequency axis: mel, linear or log (mel)", "SCALE" },
    { "db-range", 0, 0, G_OPTION_ARG_DOUBLE, &db_range,
      "dB from the darkest to the brightest colour (80)", "DB" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title above the plot (the file name)", "TEXT" },
    { "clip", 0, 0, G_OPTION_ARG_NONE, &clip,
      "Show the preprocessed clip the features see (trimmed, normalised, fixed length)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE -o OUT — draw a log-mel spectrogram");
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *clip_samples = NULL;
  g_autofree float *db = NULL;
  g_autofree double *band_hz = NULL;
  g_autofree char *basename = NULL;
  CradleAnalysisConfig config;
  CradleSpectrogramStyle style;
  CradleSpectrogramData data;
  const float *samples;
  gsize n_samples;
  guint n_frames = 0;

  g_option_context_set_summary (context,
    "Draws the log-mel spectrogram of FILE (mixed to mono, at the analysis rate) with time\n"
    "and frequency rulers and a dB colour bar, into a PNG, SVG or PDF file. The drawing code\n"
    "is the one the app's spectrogram view uses.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, cradle_cli_analysis_option_group (&analysis));
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      fprintf (stderr, "cradle-cli: spectrogram needs exactly one FILE\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (output == NULL)
    {
      fprintf (stderr, "cradle-cli: spectrogram needs -o OUT.png|.svg|.pdf\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (width < 200 || width > 20000 || height < 150 || height > 20000)
    {
      fprintf (stderr, "cradle-cli: --width must be 200–20000 and --height 150–20000\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!(db_range > 0.0 && db_range <= 200.0))
    {
      fprintf (stderr, "cradle-cli: --db-range must be above 0 and at most 200 dB\n");
      return CRADLE_CLI_EXIT_USAGE;
    }

  cradle_spectrogram_style_init (&style);
  style.db_range = db_range;
  if (colormap_name != NULL && !cradle_colormap_from_string (colormap_name, &style.colormap))
    {
      fprintf (stderr, "cradle-cli: unknown colour map “%s” (viridis, magma, grayscale)\n", colormap_name);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (scale_name != NULL && !cradle_freq_scale_from_string (scale_name, &style.freq_scale))
    {
      fprintf (stderr, "cradle-cli: unknown frequency scale “%s” (mel, linear, log)\n", scale_name);
      return CRADLE_CLI_EXIT_USAGE;
    }

  extractor = cradle_cli_make_extractor (&analysis, &config);
  if (extractor == NULL)
    return CRADLE_CLI_EXIT_USAGE;

  audio = cradle_audio_load (files[0], config.sample_rate, &error);
  if (audio == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  samples = audio->samples;
  n_samples = audio->n_samples;
  if (clip)
    {
      n_samples = cradle_analysis_config_clip_samples (&config);
      clip_samples = g_new (float, n_samples);
      cradle_preprocess_clip (&config, audio->samples, audio->n_samples, clip_samples);
      samples = clip_samples;
    }

  db = cradle_feature_extractor_log_mel (extractor, samples, n_samples, &n_frames);
  band_hz = g_new (double, config.n_mels);
  for (guint i = 0; i < config.n_mels; i++)
    band_hz[i] = cradle_feature_extractor_mel_band_hz (extractor, i);

  data = (CradleSpectrogramData) {
    .values = db,
    .n_frames = n_frames,
    .n_bands = config.n_mels,
    .seconds_per_frame = (double) config.hop_length / config.sample_rate,
    .start_time = 0.0,
    .band_hz = band_hz,
    .fmin = config.fmin,
    .fmax = cradle_analysis_config_get_fmax (&config),
  };
  basename = g_path_get_basename (files[0]);
  style.title = title != NULL ? title : basename;

  if (!cradle_spectrogram_export (output, width, height, &data, &style, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  return CRADLE_CLI_EXIT_OK;
}
