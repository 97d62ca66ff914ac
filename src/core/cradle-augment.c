/* cradle-augment.c — gain, noise, shift, mixing, stretch and pitch shift
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-augment.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <rubberband/rubberband-c.h>

G_DEFINE_QUARK (cradle-augment-error-quark, cradle_augment_error)

static double
mean_power (const float *x,
            gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  return n > 0 ? sum / n : 0.0;
}

void
cradle_augment_gain (float  *x,
                     gsize   n,
                     double  db)
{
  float g = (float) pow (10.0, db / 20.0);

  g_return_if_fail (x != NULL || n == 0);

  for (gsize i = 0; i < n; i++)
    x[i] *= g;
}

void
cradle_augment_noise (float   *x,
                      gsize    n,
                      double   snr_db,
                      guint32  seed)
{
  g_autoptr(GRand) rand = NULL;
  double power;
  double sd;

  g_return_if_fail (x != NULL || n == 0);

  power = mean_power (x, n);
  if (power <= 0.0)
    return;
  sd = sqrt (power / pow (10.0, snr_db / 10.0));
  rand = g_rand_new_with_seed (seed);
  /* Box–Muller, two values per pair of uniforms. */
  for (gsize i = 0; i < n; i += 2)
    {
      double u1 = g_rand_double (rand);
      double u2 = g_rand_double (rand);
      double r = sqrt (-2.0 * log (u1 > 0.0 ? u1 : DBL_MIN));

      x[i] += (float) (sd * r * cos (2.0 * G_PI * u2));
      if (i + 1 < n)
        x[i + 1] += (float) (sd * r * sin (2.0 * G_PI * u2));
    }
}

void
cradle_augment_shift (float    *x,
                      gsize     n,
                      gssize    shift,
                      gboolean  circular)
{
  g_autofree float *copy = NULL;

  g_return_if_fail (x != NULL || n == 0);

  if (n == 0 || shift == 0)
    return;
  copy = g_memdup2 (x, n * sizeof (float));
  for (gsize i = 0; i < n; i++)
    {
      gint64 from = (gint64) i - shift;

      if (circular)
        {
          from %= (gint64) n;
          if (from < 0)
            from += n;
          x[i] = copy[from];
        }
      else
        x[i] = (from >= 0 && from < (gint64) n) ? copy[from] : 0.0f;
    }
}

void
cradle_augment_mix (float       *x,
                    gsize        n,
                    const float *background,
                    gsize        background_n,
                    gsize        offset,
                    double       snr_db)
{
  double clip_power;
  double bg_power = 0.0;
  double scale;

  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (background != NULL || background_n == 0);

  if (n == 0 || background_n == 0)
    return;
  offset %= background_n;
  for (gsize i = 0; i < n; i++)
    {
      double v = background[(offset + i) % background_n];

      bg_power += v * v;
    }
  bg_power /= n;
  clip_power = mean_power (x, n);
  if (bg_power <= 0.0 || clip_power <= 0.0)
    return;
  scale = sqrt (clip_power / (bg_power * pow (10.0, snr_db / 10.0)));
  for (gsize i = 0; i < n; i++)
    x[i] += (float) (scale * background[(offset + i) % background_n]);
}

/* Runs librubberband offline over X and fits the result to N samples
 * (centre-trimmed or zero-padded after). */
static gboolean
rubberband_run (const float *x,
                gsize        n,
                guint        sample_rate,
                double       time_ratio,
                double       pitch_scale,
                float       *out,
                GError     **error)
{
  RubberBandState rb;
  g_autofree float *result = NULL;
  gsize capacity;
  gsize got = 0;
  const float *in[1] = { x };

  g_return_val_if_fail (x != NULL && out != NULL && x != out, FALSE);

  if (n == 0)
    return TRUE;
  if (n > G_MAXUINT32 / 4)
    {
      g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID,
                   "A clip of %" G_GSIZE_FORMAT " samples is too long to stretch", n);
      return FALSE;
    }
  rb = rubberband_new (sample_rate, 1,
                       RubberBandOptionProcessOffline | RubberBandOptionEngineFaster,
                       time_ratio, pitch_scale);
  rubberband_set_expected_input_duration (rb, (unsigned int) n);
  rubberband_set_max_process_size (rb, (unsigned int) n);
  rubberband_study (rb, in, (unsigned int) n, 1);
  rubberband_process (rb, in, (unsigned int) n, 1);

  capacity = (gsize) ceil (n * time_ratio) + 4096;
  result = g_new0 (float, capacity);
  for (;;)
    {
      int available = rubberband_available (rb);
      float *outs[1];

      if (available <= 0)
        break;
      if (got + (gsize) available > capacity)
        {
          capacity = (got + available) * 2;
          result = g_renew (float, result, capacity);
        }
      outs[0] = result + got;
      got += rubberband_retrieve (rb, outs, (unsigned int) available);
    }
  rubberband_delete (rb);

  if (got == 0)
    {
      g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_FAILED,
                   "librubberband produced no output for a clip of %" G_GSIZE_FORMAT " samples", n);
      return FALSE;
    }
  if (got >= n)
    memcpy (out, result + (got - n) / 2, n * sizeof (float));
  else
    {
      memcpy (out, result, got * sizeof (float));
      memset (out + got, 0, (n - got) * sizeof (float));
    }
  return TRUE;
}

gboolean
cradle_augment_time_stretch (const float  *x,
                             gsize         n,
                             guint         sample_rate,
                             double        factor,
                             float        *out,
                             GError      **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(factor >= 0.25 && factor <= 4.0))
    {
      g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID,
                   "Time-stretch factor %g is outside 0.25–4", factor);
      return FALSE;
    }
  return rubberband_run (x, n, sample_rate, factor, 1.0, out, error);
}

gboolean
cradle_augment_pitch_shift (const float  *x,
                            gsize         n,
                            guint         sample_rate,
                            double        semitones,
                            float        *out,
                            GError      **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(fabs (semitones) <= 24.0))
    {
      g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID,
                   "Pitch shift of %g semitones is outside ±24", semitones);
      return FALSE;
    }
  return rubberband_run (x, n, sample_rate, 1.0, pow (2.0, semitones / 12.0), out, error);
}

void
cradle_augment_policy_init_default (CradleAugmentPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  *policy = (CradleAugmentPolicy) {
    .flags = CRADLE_AUGMENT_NOISE | CRADLE_AUGMENT_SHIFT | CRADLE_AUGMENT_MIX |
             CRADLE_AUGMENT_STRETCH | CRADLE_AUGMENT_PITCH,
    .copies = 1,
    .gain_db_min = -6.0,
    .gain_db_max = 6.0,
    .noise_snr_db_min = 10.0,
    .noise_snr_db_max = 30.0,
    .shift_max_seconds = 0.5,
    .shift_circular = TRUE,
    .mix_snr_db_min = 5.0,
    .mix_snr_db_max = 20.0,
    .stretch_min = 0.9,
    .stretch_max = 1.1,
    .pitch_semitones_min = -2.0,
    .pitch_semitones_max = 2.0,
  };
}

static const struct {
  const char         *name;
  CradleAugmentFlags  flag;
} flag_names[] = {
  { "gain", CRADLE_AUGMENT_GAIN },
  { "noise", CRADLE_AUGMENT_NOISE },
  { "shift", CRADLE_AUGMENT_SHIFT },
  { "mix", CRADLE_AUGMENT_MIX },
  { "stretch", CRADLE_AUGMENT_STRETCH },
  { "pitch", CRADLE_AUGMENT_PITCH },
};

gboolean
cradle_augment_policy_parse (CradleAugmentPolicy  *policy,
                             const char           *text,
                             GError              **error)
{
  g_auto(GStrv) items = NULL;
  CradleAugmentFlags flags = 0;
  gboolean named = FALSE;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  cradle_augment_policy_init_default (policy);
  items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      gboolean known = FALSE;

      if (item[0] == '\0' || g_str_equal (item, "default"))
        continue;
      if (g_str_equal (item, "all"))
        {
          flags |= CRADLE_AUGMENT_ALL;
          named = TRUE;
          continue;
        }
      if (g_str_has_prefix (item, "copies="))
        {
          guint64 copies;

          if (!g_ascii_string_to_unsigned (item + 7, 10, 1, 100, &copies, NULL))
            {
              g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID,
                           "Augmentation “%s”: copies must be a whole number from 1 to 100", item);
              return FALSE;
            }
          policy->copies = (guint) copies;
          continue;
        }
      for (guint k = 0; k < G_N_ELEMENTS (flag_names); k++)
        if (g_str_equal (item, flag_names[k].name))
          {
            flags |= flag_names[k].flag;
            known = named = TRUE;
          }
      if (!known)
        {
          g_set_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID,
                       "Unknown augmentation “%s” (known: gain, noise, shift, mix, stretch, "
                       "pitch, all, default, copies=N)", item);
          return FALSE;
        }
    }
  if (named)
    policy->flags = flags;
  return TRUE;
}

char *
cradle_augment_policy_to_string (const CradleAugmentPolicy *policy)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (policy != NULL, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (flag_names); k++)
    if (policy->flags & flag_names[k].flag)
      g_string_append_printf (s, "%s,", flag_names[k].name);
  g_string_append_printf (s, "copies=%u", policy->copies);
  return g_string_free (s, FALSE);
}

static double
draw (GRand  *rand,
      double  lo,
      double  hi)
{
  return hi > lo ? g_rand_double_range (rand, lo, hi) : lo;
}

gboolean
cradle_augment_apply (const CradleAugmentPolicy  *policy,
                      float                      *x,
                      gsize                       n,
                      guint                       sample_rate,
                      GPtrArray                  *backgrounds,
                      GRand                      *rand,
                      GError                    **error)
{
  g_autofree float *tmp = NULL;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (x != NULL || n == 0, FALSE);
  g_return_val_if_fail (rand != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n == 0)
    return TRUE;
  tmp = g_new (float, n);
  if (policy->flags & CRADLE_AUGMENT_STRETCH)
    {
      double factor = draw (rand, policy->stretch_min, policy->stretch_max);

      if (!cradle_augment_time_stretch (x, n, sample_rate, factor, tmp, error))
        return FALSE;
      memcpy (x, tmp, n * sizeof (float));
    }
  if (policy->flags & CRADLE_AUGMENT_PITCH)
    {
      double semitones = draw (rand, policy->pitch_semitones_min, policy->pitch_semitones_max);

      if (!cradle_augment_pitch_shift (x, n, sample_rate, semitones, tmp, error))
        return FALSE;
      memcpy (x, tmp, n * sizeof (float));
    }
  if (policy->flags & CRADLE_AUGMENT_SHIFT)
    {
      double max = policy->shift_max_seconds * sample_rate;
      gssize shift = (gssize) llround (draw (rand, -max, max));

      cradle_augment_shift (x, n, shift, policy->shift_circular);
    }
  if (policy->flags & CRADLE_AUGMENT_GAIN)
    cradle_augment_gain (x, n, draw (rand, policy->gain_db_min, policy->gain_db_max));
  if ((policy->flags & CRADLE_AUGMENT_MIX) && backgrounds != NULL && backgrounds->len > 0)
    {
      const CradleAudio *bg = g_ptr_array_index (backgrounds,
                                                 g_rand_int_range (rand, 0, (gint32) backgrounds->len));
      gsize offset = bg->n_samples > 0 ? (gsize) g_rand_int_range (rand, 0, (gint32) MIN (bg->n_samples, G_MAXINT32)) : 0;

      cradle_augment_mix (x, n, bg->samples, bg->n_samples, offset,
                          draw (rand, policy->mix_snr_db_min, policy->mix_snr_db_max));
    }
  if (policy->flags & CRADLE_AUGMENT_NOISE)
    cradle_augment_noise (x, n, draw (rand, policy->noise_snr_db_min, policy->noise_snr_db_max),
                          g_rand_int (rand));
  return TRUE;
}
