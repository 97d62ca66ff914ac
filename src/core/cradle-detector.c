/* cradle-detector.c — the streaming cry detector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-detector.h"

#include <math.h>
#include <string.h>

#include "cradle-audio.h"
#include "cradle-features.h"
#include "cradle-preprocess.h"

G_DEFINE_QUARK (cradle-detector-error-quark, cradle_detector_error)

/* A piece shorter than this at the end of an event is not given to the
 * cause model on its own (it would be mostly padding). */
#define CAUSE_MIN_PIECE_SECONDS 1.0

typedef enum {
  STATE_IDLE,       /* no candidate */
  STATE_CANDIDATE,  /* EMA >= on, not yet confirmed or not yet alerted */
  STATE_EVENT,      /* alerted */
} State;

struct _CradleDetector
{
  CradleDetectorSettings   settings;
  CradleModel             *detect;
  CradleModel             *cause;
  CradleFeatureExtractor  *detect_extractor;
  CradleFeatureExtractor  *cause_extractor;
  guint                    rate;
  int                      cry_index;

  gsize                    window_n;
  gsize                    hop_n;
  gsize                    clip_n;       /* detect model clip samples */
  float                   *window;       /* window_n */
  float                   *clip;         /* clip_n */
  float                   *x;            /* model input */
  float                   *proba;        /* n_classes of the detect model */

  /* Recent audio: sample i of the stream is ring[i % ring_cap]. */
  float                   *ring;
  gsize                    ring_cap;
  guint64                  total;
  guint64                  next_window_end;

  CradleDetectorWindowFunc window_func;
  gpointer                 window_data;

  float                    last_p;
  float                    last_ema;
  gboolean                 have_ema;
  guint64                  n_windows;
  guint64                  n_model_runs;

  State                    state;
  guint                    run;          /* windows in a row >= on (idle/candidate) or < off */
  double                   start;
  double                   alert;
  double                   last_above;   /* last window with EMA >= off */
  float                    peak;
  double                   sum;
  guint                    n_sum;
  gboolean                 escalated;
  gboolean                 cause_done;
  guint                    n_causes;
  float                   *cause_proba;  /* n_causes, valid once cause_done */
  double                   cooldown_until;
  guint                    n_events;

  GQueue                   notices;
};

void
cradle_detector_settings_init_default (CradleDetectorSettings *settings)
{
  g_return_if_fail (settings != NULL);

  *settings = (CradleDetectorSettings) {
    .window_seconds = 0.0,
    .hop_seconds = 0.5,
    .ema_alpha = 0.6,
    .on_threshold = 0.5,
    .off_threshold = 0.35,
    .confirm_windows = 1,
    .release_windows = 2,
    .min_event_seconds = 0.5,
    .cooldown_seconds = 5.0,
    .energy_gate_dbfs = -55.0,
    .preroll_seconds = 3.0,
    .max_clip_seconds = 120.0,
    .cause_after_seconds = 3.0,
    .escalate_minutes = 5.0,
  };
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS,
               "Invalid detector settings: %s", message);
  return FALSE;
}

gboolean
cradle_detector_settings_validate (const CradleDetectorSettings *s,
                                   GError                      **error)
{
  g_return_val_if_fail (s != NULL, FALSE);

  if (!(s->window_seconds == 0.0 || (s->window_seconds >= 0.1 && s->window_seconds <= 30.0)))
    return invalid (error, "the window must be 0.1 to 30 seconds (or 0: the model's clip length)");
  if (!(s->hop_seconds >= 0.01 && s->hop_seconds <= 30.0
        && (s->window_seconds == 0.0 || s->hop_seconds <= s->window_seconds)))
    return invalid (error, "the hop must be at least 0.01 seconds and at most the window");
  if (!(s->ema_alpha > 0.0 && s->ema_alpha <= 1.0))
    return invalid (error, "the EMA alpha must be in (0, 1]");
  if (!(s->on_threshold > 0.0 && s->on_threshold <= 1.0))
    return invalid (error, "the on threshold must be in (0, 1]");
  if (!(s->off_threshold >= 0.0 && s->off_threshold <= s->on_threshold))
    return invalid (error, "the off threshold must be in [0, on threshold]");
  if (s->confirm_windows < 1 || s->confirm_windows > 1000)
    return invalid (error, "confirm windows must be 1 to 1000");
  if (s->release_windows < 1 || s->release_windows > 1000)
    return invalid (error, "release windows must be 1 to 1000");
  if (!(s->min_event_seconds >= 0.0 && s->min_event_seconds <= 600.0))
    return invalid (error, "the minimum event length must be 0 to 600 seconds");
  if (!(s->cooldown_seconds >= 0.0 && s->cooldown_seconds <= 3600.0))
    return invalid (error, "the cooldown must be 0 to 3600 seconds");
  if (!(s->energy_gate_dbfs >= -200.0 && s->energy_gate_dbfs <= 0.0))
    return invalid (error, "the energy gate must be -200 to 0 dBFS");
  if (!(s->preroll_seconds >= 0.0 && s->preroll_seconds <= 60.0))
    return invalid (error, "the pre-roll must be 0 to 60 seconds");
  if (!(s->max_clip_seconds >= 1.0 && s->max_clip_seconds <= 3600.0))
    return invalid (error, "the longest clip must be 1 to 3600 seconds");
  if (!(s->cause_after_seconds >= 0.0 && s->cause_after_seconds <= 3600.0))
    return invalid (error, "cause-after must be 0 to 3600 seconds");
  if (!(s->escalate_minutes >= 0.0 && s->escalate_minutes <= 1440.0))
    return invalid (error, "escalation must be 0 to 1440 minutes");
  return TRUE;
}

const char *
cradle_detector_notice_kind_to_string (CradleDetectorNoticeKind kind)
{
  switch (kind)
    {
    case CRADLE_DETECTOR_NOTICE_ALERT:
      return "alert";
    case CRADLE_DETECTOR_NOTICE_CAUSE:
      return "cause";
    case CRADLE_DETECTOR_NOTICE_ESCALATED:
      return "escalated";
    case CRADLE_DETECTOR_NOTICE_ENDED:
      return "ended";
    default:
      return "unknown";
    }
}

void
cradle_detector_event_free (CradleDetectorEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->cause_proba);
  g_free (event->clip);
  g_free (event);
}

void
cradle_detector_free (CradleDetector *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->notices, (GDestroyNotify) cradle_detector_event_free);
  cradle_feature_extractor_free (self->detect_extractor);
  cradle_feature_extractor_free (self->cause_extractor);
  g_free (self->window);
  g_free (self->clip);
  g_free (self->x);
  g_free (self->proba);
  g_free (self->ring);
  g_free (self->cause_proba);
  g_free (self);
}

CradleDetector *
cradle_detector_new (CradleModel                  *detect,
                     CradleModel                  *cause,
                     const CradleDetectorSettings *settings,
                     GError                      **error)
{
  g_autoptr(CradleDetector) self = NULL;
  const CradleAnalysisConfig *config;
  gsize ring_seconds;

  g_return_val_if_fail (detect != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cradle_detector_settings_validate (settings, error))
    return NULL;
  if (cradle_model_get_task (detect) != CRADLE_TASK_DETECT || cradle_model_find_label (detect, "cry") < 0)
    {
      g_set_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_MODEL,
                   "The detector needs a detect model with a “cry” class; this is a %s model",
                   cradle_task_to_string (cradle_model_get_task (detect)));
      return NULL;
    }
  if (cause != NULL && cradle_model_get_task (cause) != CRADLE_TASK_CAUSE)
    {
      g_set_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_MODEL,
                   "The cause model must be a cause model; this is a %s model",
                   cradle_task_to_string (cradle_model_get_task (cause)));
      return NULL;
    }

  self = g_new0 (CradleDetector, 1);
  g_queue_init (&self->notices);
  self->settings = *settings;
  self->detect = detect;
  self->cause = cause;
  config = cradle_model_get_config (detect);
  self->rate = config->sample_rate;
  if (self->settings.window_seconds == 0.0)
    self->settings.window_seconds = config->clip_seconds;
  if (self->settings.hop_seconds > self->settings.window_seconds)
    {
      g_set_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS,
                   "Invalid detector settings: the hop (%g s) is longer than the model's clip (%g s)",
                   self->settings.hop_seconds, self->settings.window_seconds);
      return NULL;
    }
  self->cry_index = cradle_model_find_label (detect, "cry");
  self->detect_extractor = cradle_feature_extractor_new (config, error);
  if (self->detect_extractor == NULL)
    return NULL;
  if (cause != NULL)
    {
      self->cause_extractor = cradle_feature_extractor_new (cradle_model_get_config (cause), error);
      if (self->cause_extractor == NULL)
        return NULL;
      self->n_causes = cradle_model_get_n_classes (cause);
      self->cause_proba = g_new0 (float, self->n_causes);
    }

  settings = &self->settings;
  self->window_n = MAX ((gsize) 1, (gsize) lround (settings->window_seconds * self->rate));
  self->hop_n = MAX ((gsize) 1, (gsize) lround (settings->hop_seconds * self->rate));
  self->clip_n = cradle_analysis_config_clip_samples (config);
  self->window = g_new (float, self->window_n);
  self->clip = g_new (float, self->clip_n);
  self->x = g_new (float, cradle_model_get_n_features (detect));
  self->proba = g_new (float, cradle_model_get_n_classes (detect));
  ring_seconds = (gsize) ceil (settings->preroll_seconds + settings->max_clip_seconds
                               + settings->window_seconds);
  self->ring_cap = MAX (self->window_n, ring_seconds * self->rate);
  self->ring = g_new0 (float, self->ring_cap);
  self->next_window_end = self->window_n;
  self->cooldown_until = -INFINITY;
  return g_steal_pointer (&self);
}

guint
cradle_detector_get_rate (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rate;
}

const CradleDetectorSettings *
cradle_detector_get_settings (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->settings;
}

void
cradle_detector_set_window_func (CradleDetector          *self,
                                 CradleDetectorWindowFunc func,
                                 gpointer                 user_data)
{
  g_return_if_fail (self != NULL);
  self->window_func = func;
  self->window_data = user_data;
}

double
cradle_detector_get_time (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, 0.0);
  return (double) self->total / self->rate;
}

void
cradle_detector_get_last (CradleDetector *self,
                          float          *p_cry,
                          float          *ema)
{
  g_return_if_fail (self != NULL);
  if (p_cry != NULL)
    *p_cry = self->last_p;
  if (ema != NULL)
    *ema = self->last_ema;
}

gboolean
cradle_detector_in_event (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->state == STATE_EVENT;
}

guint64
cradle_detector_get_n_windows (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_windows;
}

guint64
cradle_detector_get_n_model_runs (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_model_runs;
}

CradleDetectorEvent *
cradle_detector_pop (CradleDetector *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_queue_pop_head (&self->notices);
}

/* ---- Audio ring --------------------------------------------------------- */

static guint64
time_to_sample (CradleDetector *self,
                double          t)
{
  if (t <= 0.0)
    return 0;
  return MIN ((guint64) llround (t * self->rate), self->total);
}

/* Copies stream samples [FROM, TO) into a new buffer, FROM clamped to what
 * the ring still holds. */
static float *
ring_copy (CradleDetector *self,
           guint64         from,
           guint64         to,
           guint64        *actual_from,
           gsize          *n)
{
  guint64 oldest = self->total > self->ring_cap ? self->total - self->ring_cap : 0;
  float *out;

  from = MAX (from, oldest);
  to = MIN (to, self->total);
  if (to < from)
    to = from;
  *n = (gsize) (to - from);
  *actual_from = from;
  out = g_new (float, MAX (*n, (gsize) 1));
  for (guint64 i = from; i < to; i++)
    out[i - from] = self->ring[i % self->ring_cap];
  return out;
}

static void
ring_append (CradleDetector *self,
             const float    *samples,
             gsize           n)
{
  while (n > 0)
    {
      gsize pos = (gsize) (self->total % self->ring_cap);
      gsize run = MIN (n, self->ring_cap - pos);

      memcpy (self->ring + pos, samples, run * sizeof (float));
      samples += run;
      n -= run;
      self->total += run;
    }
}

/* ---- Models ------------------------------------------------------------- */

/* P(cry) of the window in self->window. */
static float
window_probability (CradleDetector *self)
{
  const CradleAnalysisConfig *config = cradle_model_get_config (self->detect);

  cradle_preprocess_clip (config, self->window, self->window_n, self->clip);
  if (cradle_model_get_input (self->detect) == CRADLE_MODEL_INPUT_CLIP_VECTOR)
    {
      cradle_feature_extractor_clip_vector (self->detect_extractor, self->clip, self->clip_n, self->x);
      cradle_model_predict_proba (self->detect, self->x, 1, self->proba);
    }
  else
    {
      guint n_frames = 0;
      g_autofree float *mel = cradle_feature_extractor_log_mel (self->detect_extractor, self->clip,
                                                               self->clip_n, &n_frames);

      /* The model's own configuration gives the image it was trained on. */
      g_assert (n_frames == cradle_model_get_height (self->detect));
      cradle_model_predict_proba (self->detect, mel, 1, self->proba);
    }
  self->n_model_runs++;
  return self->proba[self->cry_index];
}

/* The cause model's mean probabilities over stream seconds [T0, T1]:
 * pieces of its clip length, each preprocessed as in training. */
static gboolean
estimate_cause (CradleDetector *self,
                double          t0,
                double          t1)
{
  const CradleAnalysisConfig *config = cradle_model_get_config (self->cause);
  g_autofree float *audio = NULL;
  g_autofree float *resampled = NULL;
  g_autofree float *clip = NULL;
  g_autofree float *x = NULL;
  g_autofree float *proba = NULL;
  const float *samples;
  guint64 from;
  gsize n, piece, clip_n, min_piece;
  guint n_pieces = 0;

  audio = ring_copy (self, time_to_sample (self, t0), time_to_sample (self, t1), &from, &n);
  samples = audio;
  if (config->sample_rate != self->rate && n > 0)
    {
      g_autoptr(GError) error = NULL;
      gsize out_n = 0;

      resampled = cradle_resample (audio, n, self->rate, config->sample_rate, &out_n, &error);
      if (resampled == NULL)
        {
          g_warning ("Cause estimate skipped: %s", error->message);
          return FALSE;
        }
      samples = resampled;
      n = out_n;
    }
  clip_n = cradle_analysis_config_clip_samples (config);
  min_piece = (gsize) (CAUSE_MIN_PIECE_SECONDS * config->sample_rate);
  if (n == 0)
    return FALSE;

  clip = g_new (float, clip_n);
  proba = g_new (float, self->n_causes);
  memset (self->cause_proba, 0, self->n_causes * sizeof (float));
  if (cradle_model_get_input (self->cause) == CRADLE_MODEL_INPUT_CLIP_VECTOR)
    x = g_new (float, cradle_model_get_n_features (self->cause));
  for (gsize off = 0; off < n; off += piece)
    {
      piece = MIN (clip_n, n - off);
      if (piece < min_piece && n_pieces > 0)
        break;
      cradle_preprocess_clip (config, samples + off, piece, clip);
      if (x != NULL)
        {
          cradle_feature_extractor_clip_vector (self->cause_extractor, clip, clip_n, x);
          cradle_model_predict_proba (self->cause, x, 1, proba);
        }
      else
        {
          guint n_frames = 0;
          g_autofree float *mel = cradle_feature_extractor_log_mel (self->cause_extractor, clip,
                                                                   clip_n, &n_frames);

          g_assert (n_frames == cradle_model_get_height (self->cause));
          cradle_model_predict_proba (self->cause, mel, 1, proba);
        }
      for (guint c = 0; c < self->n_causes; c++)
        self->cause_proba[c] += proba[c];
      n_pieces++;
    }
  for (guint c = 0; c < self->n_causes; c++)
    self->cause_proba[c] /= (float) n_pieces;
  self->cause_done = TRUE;
  return TRUE;
}

/* ---- Events ------------------------------------------------------------- */

static CradleDetectorEvent *
notice_new (CradleDetector          *self,
            CradleDetectorNoticeKind kind)
{
  CradleDetectorEvent *event = g_new0 (CradleDetectorEvent, 1);

  event->kind = kind;
  event->index = self->n_events;
  event->start = self->start;
  event->alert = self->alert;
  event->end = -1.0;
  event->peak_confidence = self->peak;
  event->mean_confidence = self->n_sum > 0 ? (float) (self->sum / self->n_sum) : 0.0f;
  event->escalated = self->escalated;
  event->cause = -1;
  if (self->cause_done)
    {
      event->n_causes = self->n_causes;
      event->cause_proba = g_memdup2 (self->cause_proba, self->n_causes * sizeof (float));
      event->cause_labels = cradle_model_get_labels (self->cause);
      event->cause = 0;
      for (guint c = 1; c < self->n_causes; c++)
        if (self->cause_proba[c] > self->cause_proba[event->cause])
          event->cause = (int) c;
    }
  g_queue_push_tail (&self->notices, event);
  return event;
}

static void
end_event (CradleDetector *self)
{
  const CradleDetectorSettings *s = &self->settings;
  CradleDetectorEvent *event;
  double end = MAX (self->last_above, self->alert);
  guint64 from;

  if (self->cause != NULL && end - self->start >= s->cause_after_seconds)
    estimate_cause (self, self->start, end);
  event = notice_new (self, CRADLE_DETECTOR_NOTICE_ENDED);
  event->end = end;
  if (self->ring != NULL)
    {
      event->clip_rate = self->rate;
      event->clip = ring_copy (self, time_to_sample (self, self->start - s->preroll_seconds),
                               time_to_sample (self, end), &from, &event->clip_n);
      event->clip_start = (double) from / self->rate;
    }
  self->cooldown_until = end + s->cooldown_seconds;
  self->n_events++;
}

static void
reset_candidate (CradleDetector *self)
{
  self->state = STATE_IDLE;
  self->run = 0;
  self->peak = 0.0f;
  self->sum = 0.0;
  self->n_sum = 0;
  self->escalated = FALSE;
  self->cause_done = FALSE;
  self->alert = -1.0;
}

static void
step (CradleDetector *self,
      double          t,
      float           p,
      float           ema)
{
  const CradleDetectorSettings *s = &self->settings;
  gboolean above_on = ema >= s->on_threshold;
  gboolean above_off = ema >= s->off_threshold;

  switch (self->state)
    {
    case STATE_IDLE:
      if (!above_on)
        return;
      reset_candidate (self);
      self->state = STATE_CANDIDATE;
      /* The cry began somewhere in this window; its middle is the estimate. */
      self->start = MAX (0.0, t - s->window_seconds / 2.0);
      self->run = 1;
      self->last_above = t;
      break;

    case STATE_CANDIDATE:
      if (above_on)
        self->run++;
      else if (self->run < s->confirm_windows || !above_off)
        {
          /* Unconfirmed, or confirmed but fading before the alert: a blip. */
          reset_candidate (self);
          return;
        }
      self->last_above = t;
      break;

    case STATE_EVENT:
      if (above_off)
        {
          self->run = 0;
          self->last_above = t;
        }
      else if (++self->run >= s->release_windows)
        {
          end_event (self);
          reset_candidate (self);
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  self->peak = MAX (self->peak, p);
  self->sum += p;
  self->n_sum++;

  if (self->state == STATE_CANDIDATE && self->run >= s->confirm_windows
      && t - self->start >= s->min_event_seconds && t >= self->cooldown_until)
    {
      self->state = STATE_EVENT;
      self->run = 0;
      self->alert = t;
      notice_new (self, CRADLE_DETECTOR_NOTICE_ALERT);
    }
  if (self->state != STATE_EVENT)
    return;
  if (self->cause != NULL && !self->cause_done && t - self->start >= s->cause_after_seconds
      && estimate_cause (self, self->start, t))
    notice_new (self, CRADLE_DETECTOR_NOTICE_CAUSE);
  if (s->escalate_minutes > 0.0 && !self->escalated && t - self->start >= s->escalate_minutes * 60.0)
    {
      self->escalated = TRUE;
      notice_new (self, CRADLE_DETECTOR_NOTICE_ESCALATED);
    }
}

/* The decision stage: everything after P(cry). The detector and
 * cradle_detector_replay run this same code. */
static void
decide (CradleDetector *self,
        double          t,
        float           p,
        gboolean        gated)
{
  const CradleDetectorSettings *s = &self->settings;
  float ema;

  ema = self->have_ema ? (float) (s->ema_alpha * p + (1.0 - s->ema_alpha) * self->last_ema) : p;
  self->have_ema = TRUE;
  self->last_p = p;
  self->last_ema = ema;
  self->n_windows++;
  if (self->window_func != NULL)
    self->window_func (t, p, ema, gated, self->window_data);
  step (self, t, p, ema);
}

static void
analyse_window (CradleDetector *self)
{
  const CradleDetectorSettings *s = &self->settings;
  double t = (double) self->total / self->rate;
  double energy = 0.0;
  gboolean gated;
  gsize n;
  float p = 0.0f;

  n = self->window_n;
  for (gsize i = 0; i < n; i++)
    self->window[i] = self->ring[(self->total - n + i) % self->ring_cap];
  for (gsize i = 0; i < n; i++)
    energy += (double) self->window[i] * self->window[i];
  energy = 10.0 * log10 (energy / (double) n + 1e-30);
  gated = energy < s->energy_gate_dbfs;
  if (!gated)
    p = window_probability (self);
  decide (self, t, p, gated);
}

void
cradle_detector_push (CradleDetector *self,
                      const float    *samples,
                      gsize           n)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (samples != NULL || n == 0);

  while (n > 0)
    {
      gsize take = (gsize) MIN ((guint64) n, self->next_window_end - self->total);

      ring_append (self, samples, take);
      samples += take;
      n -= take;
      if (self->total == self->next_window_end)
        {
          analyse_window (self);
          self->next_window_end += self->hop_n;
        }
    }
}

void
cradle_detector_finish (CradleDetector *self)
{
  g_return_if_fail (self != NULL);

  if (self->state == STATE_EVENT)
    end_event (self);
  reset_candidate (self);
}

/* ---- Replay ------------------------------------------------------------- */

GArray *
cradle_detector_replay (const CradleDetectorSettings *settings,
                        const double                 *times,
                        const float                  *p_cry,
                        gsize                         n)
{
  CradleDetector self = { 0 };
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (CradleDetectorSpan));
  CradleDetectorEvent *event;

  g_return_val_if_fail (settings != NULL && settings->window_seconds > 0.0, spans);
  g_return_val_if_fail (n == 0 || (times != NULL && p_cry != NULL), spans);

  /* No model, no ring, no cause: only the decision stage's fields. */
  self.settings = *settings;
  self.cooldown_until = -INFINITY;
  g_queue_init (&self.notices);
  for (gsize i = 0; i <= n; i++)
    {
      if (i < n)
        decide (&self, times[i], p_cry[i], FALSE);
      else
        cradle_detector_finish (&self);
      while ((event = g_queue_pop_head (&self.notices)) != NULL)
        {
          if (event->kind == CRADLE_DETECTOR_NOTICE_ENDED)
            {
              CradleDetectorSpan span = { event->start, event->end, event->alert, event->peak_confidence };

              g_array_append_val (spans, span);
            }
          cradle_detector_event_free (event);
        }
    }
  return spans;
}

/* ---- Settings as JSON, and a model's own ------------------------------- */

/* The decision settings a model file may carry: everything that changes
 * which events a stream gives. The clip, cause and escalation settings are
 * the caregiver's, not the model's. */
#define JSON_DOUBLE_FIELDS(X) \
  X ("window", window_seconds) \
  X ("hop", hop_seconds) \
  X ("alpha", ema_alpha) \
  X ("threshold", on_threshold) \
  X ("off_threshold", off_threshold) \
  X ("min_event", min_event_seconds) \
  X ("cooldown", cooldown_seconds) \
  X ("gate", energy_gate_dbfs)
#define JSON_UINT_FIELDS(X) \
  X ("confirm", confirm_windows) \
  X ("release", release_windows)

JsonNode *
cradle_detector_settings_to_json (const CradleDetectorSettings *settings)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (settings != NULL, NULL);

  json_builder_begin_object (b);
#define ADD_DOUBLE(name, field) \
  json_builder_set_member_name (b, name); \
  json_builder_add_double_value (b, settings->field);
#define ADD_UINT(name, field) \
  json_builder_set_member_name (b, name); \
  json_builder_add_int_value (b, settings->field);
  JSON_DOUBLE_FIELDS (ADD_DOUBLE)
  JSON_UINT_FIELDS (ADD_UINT)
#undef ADD_DOUBLE
#undef ADD_UINT
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
json_field_invalid (GError    **error,
                    const char *name,
                    const char *what)
{
  g_set_error (error, CRADLE_DETECTOR_ERROR, CRADLE_DETECTOR_ERROR_INVALID_SETTINGS,
               "Invalid detector settings: “%s” %s", name, what);
  return FALSE;
}

gboolean
cradle_detector_settings_apply_json (CradleDetectorSettings *settings,
                                     JsonNode               *node,
                                     GError                **error)
{
  CradleDetectorSettings s;
  JsonObject *o;
  JsonNode *member;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_field_invalid (error, "settings", "is not a JSON object");
  o = json_node_get_object (node);
  s = *settings;
#define GET_DOUBLE(name, field) \
  member = json_object_get_member (o, name); \
  if (member != NULL) \
    { \
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) == G_TYPE_STRING \
          || json_node_get_value_type (member) == G_TYPE_BOOLEAN) \
        return json_field_invalid (error, name, "is not a number"); \
      s.field = json_node_get_double (member); \
    }
#define GET_UINT(name, field) \
  member = json_object_get_member (o, name); \
  if (member != NULL) \
    { \
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 \
          || json_node_get_int (member) < 0 || json_node_get_int (member) > G_MAXUINT) \
        return json_field_invalid (error, name, "is not a whole number"); \
      s.field = (guint) json_node_get_int (member); \
    }
  JSON_DOUBLE_FIELDS (GET_DOUBLE)
  JSON_UINT_FIELDS (GET_UINT)
#undef GET_DOUBLE
#undef GET_UINT
  if (!cradle_detector_settings_validate (&s, error))
    return FALSE;
  *settings = s;
  return TRUE;
}

gboolean
cradle_detector_settings_init_for_model (CradleDetectorSettings *settings,
                                         CradleModel            *detect,
                                         GError                **error)
{
  JsonNode *detector, *tuned;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (detect != NULL, FALSE);

  cradle_detector_settings_init_default (settings);
  detector = cradle_model_get_detector (detect);
  if (detector == NULL)
    return TRUE;
  tuned = json_object_get_member (json_node_get_object (detector), "settings");
  if (tuned == NULL)
    return json_field_invalid (error, "settings", "is missing from the model's detector section");
  return cradle_detector_settings_apply_json (settings, tuned, error);
}
