/* cradle-audio.c — reading, resampling and writing audio
 *
 * Reading: the path is checked with stat() and opened by us, so that "does
 * not exist", "is a folder" and "permission denied" get their own codes
 * before libsndfile sees the file descriptor. The header is validated (rate,
 * channels, frame count) before anything is allocated for the samples, and
 * the sample buffer grows only as frames are actually decoded: a header's
 * frame count is a hint (it is SF_COUNT_MAX for a FLAC stream whose length
 * is unknown, and an estimate for MP3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-audio.h"
#include "cradle-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sndfile.h>
#include <soxr.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Samples (not frames) per decoded block for multi-channel files. */
#define BLOCK_SAMPLES 65536
/* The first allocation for a file whose length is known is at most this
 * many frames (16 MiB); longer files grow by doubling as data arrives. */
#define INITIAL_CAPACITY_MAX ((gsize) 1 << 22)
/* The first allocation when the length is unknown. */
#define INITIAL_CAPACITY_UNKNOWN ((gsize) 1 << 16)

/* libsndfile's internal error numbers (src/common.h, SFE_*) that
 * sf_error() returns after a failed open. They are not public API but have
 * been stable for many releases; tests/test-audio.c pins the behaviour. */
enum {
  SNDFILE_ERR_SYSTEM = 2,            /* SFE_SYSTEM */
  SNDFILE_ERR_BAD_SF_INFO = 24,      /* SFE_BAD_SF_INFO: rate < 1, … */
  SNDFILE_ERR_CHANNEL_ZERO = 32,     /* SFE_CHANNEL_COUNT_ZERO */
  SNDFILE_ERR_CHANNEL_COUNT = 33,    /* SFE_CHANNEL_COUNT */
  SNDFILE_ERR_CHANNEL_BAD = 34,      /* SFE_CHANNEL_COUNT_BAD */
};

/* An open file with a validated header. */
typedef struct {
  char    *display;   /* g_filename_display_name (path) */
  int      fd;
  SNDFILE *sf;
  SF_INFO  info;
  gboolean frames_known;
} AudioReader;

static void
audio_reader_clear (AudioReader *r)
{
  if (r->sf != NULL)
    sf_close (r->sf);
  if (r->fd >= 0)
    g_close (r->fd, NULL);
  g_clear_pointer (&r->display, g_free);
  r->sf = NULL;
  r->fd = -1;
}

/* libsndfile's messages end with a full stop; ours put them in brackets. */
static char *
sndfile_message (const char *msg)
{
  char *s = g_strstrip (g_strdup (msg != NULL ? msg : "unknown error"));
  gsize len = strlen (s);

  while (len > 0 && s[len - 1] == '.')
    s[--len] = '\0';
  return s;
}

static gboolean
audio_reader_open (AudioReader  *r,
                   const char   *path,
                   GError      **error)
{
  GStatBuf st;
  struct stat fst;
  int saved_errno;

  r->display = g_filename_display_name (path);
  r->fd = -1;
  r->sf = NULL;
  memset (&r->info, 0, sizeof r->info);

  if (g_stat (path, &st) != 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT || saved_errno == ENOTDIR)
        g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_NOT_FOUND,
                     "“%s” does not exist", r->display);
      else
        g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_UNREADABLE,
                     "“%s” cannot be read: %s", r->display, g_strerror (saved_errno));
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_UNREADABLE,
                   "“%s” is a folder, not an audio file", r->display);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      /* Opening a FIFO would block; devices and sockets are not files. */
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_UNREADABLE,
                   "“%s” is not a regular file", r->display);
      return FALSE;
    }

  r->fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (r->fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, CRADLE_AUDIO_ERROR,
                   saved_errno == ENOENT ? CRADLE_AUDIO_ERROR_NOT_FOUND
                                         : CRADLE_AUDIO_ERROR_UNREADABLE,
                   "“%s” cannot be read: %s", r->display, g_strerror (saved_errno));
      return FALSE;
    }
  /* The path may have been replaced between stat() and open(). */
  if (fstat (r->fd, &fst) != 0 || !S_ISREG (fst.st_mode))
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_UNREADABLE,
                   "“%s” is not a regular file", r->display);
      return FALSE;
    }

  /* close_desc FALSE: we own the descriptor whether or not this succeeds. */
  r->sf = sf_open_fd (r->fd, SFM_READ, &r->info, FALSE);
  if (r->sf == NULL)
    {
      /* sf_error (NULL) reads a global: under concurrent failures the
       * message may belong to another thread's file. */
      int code = sf_error (NULL);
      g_autofree char *msg = sndfile_message (sf_error_number (code));

      switch (code)
        {
        case SNDFILE_ERR_SYSTEM:
          g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_UNREADABLE,
                       "“%s” cannot be read (%s)", r->display, msg);
          break;
        case SNDFILE_ERR_BAD_SF_INFO:
        case SNDFILE_ERR_CHANNEL_ZERO:
        case SNDFILE_ERR_CHANNEL_COUNT:
        case SNDFILE_ERR_CHANNEL_BAD:
          g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                       "“%s” has an impossible sample rate or channel count in its header (%s)",
                       r->display, msg);
          break;
        default:
          g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_FORMAT,
                       "“%s” is not an audio file libsndfile can read (%s)", r->display, msg);
          break;
        }
      return FALSE;
    }

  if (r->info.samplerate < CRADLE_AUDIO_MIN_RATE || r->info.samplerate > CRADLE_AUDIO_MAX_RATE)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                   "“%s” claims a sample rate of %d Hz, outside the supported %d–%d Hz",
                   r->display, r->info.samplerate, CRADLE_AUDIO_MIN_RATE, CRADLE_AUDIO_MAX_RATE);
      return FALSE;
    }
  if (r->info.channels < 1 || r->info.channels > CRADLE_AUDIO_MAX_CHANNELS)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                   "“%s” claims %d channels; 1 to %d are supported",
                   r->display, r->info.channels, CRADLE_AUDIO_MAX_CHANNELS);
      return FALSE;
    }

  r->frames_known = r->info.frames >= 0 && r->info.frames != SF_COUNT_MAX;
  if (r->frames_known && r->info.frames > CRADLE_AUDIO_MAX_FRAMES)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_TOO_LARGE,
                   "“%s” claims %" G_GINT64_FORMAT " frames (%.1f hours); at most %"
                   G_GINT64_FORMAT " are supported",
                   r->display, (gint64) r->info.frames,
                   (double) r->info.frames / r->info.samplerate / 3600.0,
                   CRADLE_AUDIO_MAX_FRAMES);
      return FALSE;
    }
  if (r->frames_known && r->info.frames == 0)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_EMPTY,
                   "“%s” contains no audio (0 frames)", r->display);
      return FALSE;
    }
  return TRUE;
}

static char *
format_name (SNDFILE *sf,
             int      format)
{
  SF_FORMAT_INFO fi = { .format = format };

  if (sf_command (sf, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.name != NULL)
    return g_strdup (fi.name);
  return g_strdup_printf ("unknown (0x%x)", (unsigned) format);
}

/**
 * cradle_audio_probe:
 * @path: a file name in the GLib file name encoding
 * @info: (out caller-allocates): filled on success; clear with
 *   cradle_audio_info_clear()
 * @error: return location for a #GError in %CRADLE_AUDIO_ERROR
 *
 * Reads and validates PATH's header without decoding samples.
 * @info->frames is -1 and @info->duration is -1 when the file does not say
 * how long it is (a FLAC stream with total_samples 0).
 *
 * Returns: %TRUE on success
 */
gboolean
cradle_audio_probe (const char       *path,
                    CradleAudioInfo  *info,
                    GError          **error)
{
  AudioReader r = { 0 };
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = audio_reader_open (&r, path, error);
  if (ok)
    {
      info->format = format_name (r.sf, r.info.format & SF_FORMAT_TYPEMASK);
      info->subtype = format_name (r.sf, r.info.format & SF_FORMAT_SUBMASK);
      info->sample_rate = (guint) r.info.samplerate;
      info->channels = (guint) r.info.channels;
      info->frames = r.frames_known ? (gint64) r.info.frames : -1;
      info->duration = r.frames_known ? (double) r.info.frames / r.info.samplerate : -1.0;
    }
  audio_reader_clear (&r);
  return ok;
}

void
cradle_audio_info_clear (CradleAudioInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->format, g_free);
  g_clear_pointer (&info->subtype, g_free);
  memset (info, 0, sizeof *info);
}

/**
 * cradle_audio_new:
 * @sample_rate: samples per second
 * @n_samples: number of samples, zeroed
 *
 * Returns: (transfer full): a new #CradleAudio
 */
CradleAudio *
cradle_audio_new (guint sample_rate,
                  gsize n_samples)
{
  CradleAudio *audio = g_new0 (CradleAudio, 1);

  audio->sample_rate = sample_rate;
  audio->n_samples = n_samples;
  audio->samples = n_samples > 0 ? g_new0 (float, n_samples) : NULL;
  return audio;
}

void
cradle_audio_free (CradleAudio *audio)
{
  if (audio == NULL)
    return;
  g_free (audio->samples);
  g_free (audio);
}

/* Makes room for at least NEED frames in *BUF, doubling, never beyond
 * CRADLE_AUDIO_MAX_FRAMES, nor beyond HINT (the header's count, 0 if
 * unknown) while NEED fits in it. Returns FALSE if memory ran out. */
static gboolean
ensure_capacity (float **buf,
                 gsize  *capacity,
                 gsize   need,
                 gsize   hint)
{
  gsize cap = *capacity;
  float *grown;

  if (need <= cap)
    return TRUE;
  while (cap < need)
    cap = cap < INITIAL_CAPACITY_UNKNOWN ? INITIAL_CAPACITY_UNKNOWN : cap * 2;
  if (need <= hint)
    cap = MIN (cap, hint);
  cap = MIN (cap, (gsize) CRADLE_AUDIO_MAX_FRAMES);
  g_assert (cap >= need);
  grown = g_try_realloc (*buf, cap * sizeof (float));
  if (grown == NULL)
    return FALSE;
  *buf = grown;
  *capacity = cap;
  return TRUE;
}

/* Mean of CHANNELS interleaved channels of N frames. */
static void
mix_to_mono (const float *in,
             gsize        n,
             int          channels,
             float       *out)
{
  const float scale = 1.0f / (float) channels;

  if (channels == 2)
    {
      for (gsize i = 0; i < n; i++)
        out[i] = 0.5f * (in[2 * i] + in[2 * i + 1]);
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      const float *frame = in + i * (gsize) channels;
      float sum = 0.0f;

      for (int c = 0; c < channels; c++)
        sum += frame[c];
      out[i] = sum * scale;
    }
}

/* Index of the first non-finite sample, or N. */
static gsize
find_non_finite (const float *x,
                 gsize        n)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!isfinite (x[i]))
      break;
  return i;
}

/**
 * cradle_audio_load:
 * @path: a file name in the GLib file name encoding
 * @target_rate: the wanted sample rate, or 0 for the file's own
 * @error: return location for a #GError in %CRADLE_AUDIO_ERROR
 *
 * Decodes PATH to mono float (the mean of its channels) and resamples it
 * to TARGET_RATE. See cradle-audio.h for how short data is treated.
 *
 * Returns: (transfer full) (nullable): the audio, or %NULL with @error set
 */
CradleAudio *
cradle_audio_load (const char  *path,
                   guint        target_rate,
                   GError     **error)
{
  AudioReader r = { 0 };
  float *samples = NULL;
  float *block = NULL;
  float *scratch = NULL;
  gsize capacity, n = 0, block_frames, bad;
  int channels;
  int sf_err;
  CradleAudio *audio = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!audio_reader_open (&r, path, error))
    goto out;
  channels = r.info.channels;

  /* The header is only a hint: start from it (bounded) and grow. */
  capacity = r.frames_known ? MIN ((gsize) r.info.frames, INITIAL_CAPACITY_MAX)
                            : INITIAL_CAPACITY_UNKNOWN;
  samples = g_try_new (float, capacity);
  if (samples == NULL)
    goto out_of_memory;

  block_frames = MAX (1, BLOCK_SAMPLES / channels);
  for (;;)
    {
      sf_count_t got;
      float *dst;
      sf_count_t want;

      if (channels == 1 && n < capacity)
        {
          /* Mono: decode straight into the result. */
          dst = samples + n;
          want = (sf_count_t) MIN (block_frames, capacity - n);
        }
      else
        {
          if (channels == 1)
            {
              /* Full, but the file may hold more than it said: look with a
               * small read before growing. */
              if (scratch == NULL)
                scratch = g_new (float, 4096);
              dst = scratch;
              want = 4096;
            }
          else
            {
              if (block == NULL)
                block = g_new (float, block_frames * (gsize) channels);
              dst = block;
              want = (sf_count_t) block_frames;
            }
        }

      got = sf_readf_float (r.sf, dst, want);
      if (got <= 0)
        break;
      if (n + (gsize) got > (gsize) CRADLE_AUDIO_MAX_FRAMES)
        {
          g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_TOO_LARGE,
                       "“%s” holds more than %" G_GINT64_FORMAT " frames, the supported maximum",
                       r.display, CRADLE_AUDIO_MAX_FRAMES);
          goto out;
        }
      if (dst != samples + n)
        {
          if (!ensure_capacity (&samples, &capacity, n + (gsize) got,
                                r.frames_known ? (gsize) r.info.frames : 0))
            goto out_of_memory;
          if (channels == 1)
            memcpy (samples + n, dst, (gsize) got * sizeof (float));
          else
            mix_to_mono (dst, (gsize) got, channels, samples + n);
        }
      n += (gsize) got;
    }

  sf_err = sf_error (r.sf);
  if (sf_err != SF_ERR_NO_ERROR)
    {
      g_autofree char *msg = sndfile_message (sf_strerror (r.sf));

      if (r.frames_known)
        g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                     "“%s” is truncated or corrupt: decoding stopped after %" G_GSIZE_FORMAT
                     " of %" G_GINT64_FORMAT " frames (%s)",
                     r.display, n, (gint64) r.info.frames, msg);
      else
        g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                     "“%s” is truncated or corrupt: decoding stopped after %" G_GSIZE_FORMAT
                     " frames (%s)", r.display, n, msg);
      goto out;
    }
  /* The decoder ended quietly before the header's count. For FLAC (and
   * every other format libsndfile reads, checked for WAV/AIFF/W64 ADPCM,
   * GSM, ALAC, Vorbis, Opus) that count is exact, so this is a cut file.
   * For MPEG it can be an estimate (VBR without a Xing header): accept. */
  if (r.frames_known && n < (gsize) r.info.frames &&
      (r.info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                   "“%s” is truncated: decoding stopped after %" G_GSIZE_FORMAT " of %"
                   G_GINT64_FORMAT " frames", r.display, n, (gint64) r.info.frames);
      goto out;
    }
  if (n == 0)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_EMPTY,
                   "“%s” contains no audio (0 frames decoded)", r.display);
      goto out;
    }

  /* Integer encodings cannot produce these, float WAV/AIFF/CAF can. The
   * scan costs a few microseconds per second of audio. */
  bad = find_non_finite (samples, n);
  if (bad < n)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_INVALID,
                   "“%s” contains a sample that is not a finite number (NaN or infinity) at frame %"
                   G_GSIZE_FORMAT, r.display, bad);
      goto out;
    }

  if (capacity > n)
    samples = g_realloc (samples, n * sizeof (float));

  audio = g_new0 (CradleAudio, 1);
  audio->samples = g_steal_pointer (&samples);
  audio->n_samples = n;
  audio->sample_rate = (guint) r.info.samplerate;

  if (target_rate != 0 && target_rate != audio->sample_rate)
    {
      guint64 out_n = ((guint64) n * target_rate + audio->sample_rate / 2) / audio->sample_rate;
      float *resampled;
      gsize got_n = 0;
      GError *local_error = NULL;

      if (out_n > (guint64) CRADLE_AUDIO_MAX_FRAMES)
        {
          g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_TOO_LARGE,
                       "“%s” would be %" G_GUINT64_FORMAT " frames at %u Hz; at most %"
                       G_GINT64_FORMAT " are supported",
                       r.display, out_n, target_rate, CRADLE_AUDIO_MAX_FRAMES);
          g_clear_pointer (&audio, cradle_audio_free);
          goto out;
        }
      resampled = cradle_resample (audio->samples, audio->n_samples, audio->sample_rate,
                                   target_rate, &got_n, &local_error);
      if (resampled == NULL)
        {
          g_propagate_prefixed_error (error, local_error, "“%s”: ", r.display);
          g_clear_pointer (&audio, cradle_audio_free);
          goto out;
        }
      g_free (audio->samples);
      audio->samples = resampled;
      audio->n_samples = got_n;
      audio->sample_rate = target_rate;
    }
  goto out;

out_of_memory:
  g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_TOO_LARGE,
               "“%s” is too large to load: out of memory", r.display);

out:
  g_free (samples);
  g_free (block);
  g_free (scratch);
  audio_reader_clear (&r);
  return audio;
}

/**
 * cradle_resample:
 * @in: (array length=n_in): mono samples at @in_rate
 * @n_in: number of samples
 * @in_rate: rate of @in, Hz
 * @out_rate: wanted rate, Hz
 * @out_n: (out): number of samples returned: round (n_in · out_rate / in_rate)
 * @error: return location for a #GError in %CRADLE_AUDIO_ERROR
 *
 * Returns: (transfer full) (nullable): the resampled samples (never %NULL
 *   on success, even when *@out_n is 0), or %NULL with @error set
 */
float *
cradle_resample (const float  *in,
                 gsize         n_in,
                 guint         in_rate,
                 guint         out_rate,
                 gsize        *out_n,
                 GError      **error)
{
  soxr_io_spec_t io_spec;
  soxr_quality_spec_t q_spec;
  soxr_runtime_spec_t rt_spec;
  soxr_error_t err;
  guint64 want;
  size_t idone = 0, odone = 0;
  float *out;

  g_return_val_if_fail (in != NULL || n_in == 0, NULL);
  g_return_val_if_fail (in_rate > 0 && out_rate > 0, NULL);
  g_return_val_if_fail (out_n != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *out_n = 0;
  if (in_rate == out_rate)
    {
      *out_n = n_in;
      return n_in > 0 ? g_memdup2 (in, n_in * sizeof (float)) : g_new0 (float, 1);
    }
  if (in_rate < CRADLE_AUDIO_MIN_RATE || in_rate > CRADLE_AUDIO_MAX_RATE ||
      out_rate < CRADLE_AUDIO_MIN_RATE || out_rate > CRADLE_AUDIO_MAX_RATE)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_RESAMPLE,
                   "cannot resample from %u Hz to %u Hz: rates must be within %d–%d Hz",
                   in_rate, out_rate, CRADLE_AUDIO_MIN_RATE, CRADLE_AUDIO_MAX_RATE);
      return NULL;
    }
  if ((guint64) n_in > G_MAXUINT64 / out_rate)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_RESAMPLE,
                   "cannot resample %" G_GSIZE_FORMAT " samples: too many", n_in);
      return NULL;
    }
  want = ((guint64) n_in * out_rate + in_rate / 2) / in_rate;
  if (want > G_MAXSIZE / sizeof (float) - 1)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_RESAMPLE,
                   "cannot resample %" G_GSIZE_FORMAT " samples: the result is too long", n_in);
      return NULL;
    }
  out = g_try_new0 (float, MAX (want, 1));
  if (out == NULL)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_RESAMPLE,
                   "cannot resample to %" G_GUINT64_FORMAT " samples: out of memory", want);
      return NULL;
    }
  if (n_in == 0 || want == 0)
    return out;

  io_spec = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  q_spec = soxr_quality_spec (SOXR_HQ, 0);
  /* One thread: callers parallelise across files. */
  rt_spec = soxr_runtime_spec (1);
  err = soxr_oneshot (in_rate, out_rate, 1, in, n_in, &idone, out, (size_t) want, &odone,
                      &io_spec, &q_spec, &rt_spec);
  if (err != NULL)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_RESAMPLE,
                   "libsoxr could not resample from %u Hz to %u Hz: %s",
                   in_rate, out_rate, soxr_strerror (err));
      g_free (out);
      return NULL;
    }
  /* soxr_oneshot flushes and gives exactly WANT samples (checked for
   * many lengths and ratios); should it ever give fewer, the tail stays 0. */
  g_assert (odone <= want);
  *out_n = (gsize) want;
  return out;
}

static const char *
file_type_name (CradleAudioFileType type)
{
  return type == CRADLE_AUDIO_FILE_FLAC ? "FLAC" : "WAV";
}

/* Float to 16-bit PCM: scale by 32768, round to nearest, saturate; NaN is
 * silence. A 16-bit round trip (read back / 32768) is then exact to half a
 * step. We convert ourselves because libsndfile 1.2.0 either scales by 32767
 * (clipping off: a gain error of one step at full scale) or, with
 * SFC_SET_CLIPPING, truncates towards −∞ (a bias of half a step). */
static void
float_to_pcm16 (const float *in,
                gsize        n,
                short       *out)
{
  for (gsize i = 0; i < n; i++)
    {
      float v = in[i] * 32768.0f;

      if (v >= 32767.0f)
        out[i] = 32767;
      else if (v <= -32768.0f)
        out[i] = -32768;
      else if (isnan (v))
        out[i] = 0;
      else
        out[i] = (short) lrintf (v);
    }
}

/* Writes AUDIO to the open descriptor FD. */
static gboolean
write_samples (int                  fd,
               const CradleAudio   *audio,
               CradleAudioFileType  type,
               char               **reason)
{
  SF_INFO info = { 0 };
  SNDFILE *sf;
  short block[4096];
  gsize done = 0;
  gboolean ok = TRUE;

  info.samplerate = (int) audio->sample_rate;
  info.channels = 1;
  info.format = (type == CRADLE_AUDIO_FILE_FLAC ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
  if (!sf_format_check (&info))
    {
      *reason = g_strdup_printf ("libsndfile cannot write 16-bit %s at %u Hz",
                                 file_type_name (type), audio->sample_rate);
      return FALSE;
    }
  sf = sf_open_fd (fd, SFM_WRITE, &info, FALSE);
  if (sf == NULL)
    {
      *reason = sndfile_message (sf_strerror (NULL));
      return FALSE;
    }

  while (done < audio->n_samples)
    {
      gsize m = MIN (G_N_ELEMENTS (block), audio->n_samples - done);

      float_to_pcm16 (audio->samples + done, m, block);
      if (sf_writef_short (sf, block, (sf_count_t) m) != (sf_count_t) m)
        {
          *reason = sndfile_message (sf_strerror (sf));
          ok = FALSE;
          break;
        }
      done += m;
    }
  /* sf_close rewrites the header (and, for FLAC, flushes the encoder). */
  if (sf_close (sf) != 0 && ok)
    {
      *reason = sndfile_message (sf_strerror (NULL));
      ok = FALSE;
    }
  return ok;
}

/**
 * cradle_audio_write:
 * @audio: mono samples
 * @path: where to write, in the GLib file name encoding
 * @type: WAV or FLAC, 16-bit PCM
 * @error: return location for a #GError in %CRADLE_AUDIO_ERROR
 *
 * Writes to `.<name>.XXXXXX.tmp` beside PATH, fsyncs it and renames it over
 * PATH. On failure the temporary file is removed and PATH is untouched.
 *
 * Returns: %TRUE on success
 */
gboolean
cradle_audio_write (const CradleAudio    *audio,
                    const char           *path,
                    CradleAudioFileType   type,
                    GError              **error)
{
  g_autofree char *display = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *reason = NULL;
  int fd = -1;
  int saved_errno;
  GError *close_error = NULL;

  g_return_val_if_fail (audio != NULL, FALSE);
  g_return_val_if_fail (audio->samples != NULL || audio->n_samples == 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (type == CRADLE_AUDIO_FILE_WAV || type == CRADLE_AUDIO_FILE_FLAC, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  if (audio->sample_rate < CRADLE_AUDIO_MIN_RATE || audio->sample_rate > CRADLE_AUDIO_MAX_RATE)
    {
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_WRITE,
                   "Could not write “%s”: a sample rate of %u Hz is outside %d–%d Hz",
                   display, audio->sample_rate, CRADLE_AUDIO_MIN_RATE, CRADLE_AUDIO_MAX_RATE);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s.XXXXXX.tmp", base);
  tmp_path = g_build_filename (dir, tmp_name, NULL);

  /* 0644 less the umask: an ordinary file. */
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_WRITE,
                   "Could not write “%s”: cannot create a temporary file in its folder: %s",
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_samples (fd, audio, type, &reason))
    goto fail;
  if (g_fsync (fd) != 0)
    {
      reason = g_strdup_printf ("fsync failed: %s", g_strerror (errno));
      goto fail;
    }
  if (!g_close (fd, &close_error))
    {
      fd = -1;
      reason = g_strdup (close_error->message);
      g_clear_error (&close_error);
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp_path, path) != 0)
    {
      reason = g_strdup (g_strerror (errno));
      goto fail;
    }

  /* Make the rename itself durable; failure here loses nothing. */
  {
    int dir_fd = g_open (dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0);

    if (dir_fd >= 0)
      {
        g_fsync (dir_fd);
        g_close (dir_fd, NULL);
      }
  }
  return TRUE;

fail:
  if (fd >= 0)
    g_close (fd, NULL);
  g_unlink (tmp_path);
  g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_WRITE,
               "Could not write “%s” as %s: %s", display, file_type_name (type),
               reason != NULL ? reason : "unknown error");
  return FALSE;
}

/**
 * cradle_audio_file_type_from_path:
 * @path: a file name
 * @type: (out): the type for its extension
 * @error: return location for a %CRADLE_AUDIO_ERROR_WRITE error
 *
 * Returns: %TRUE if PATH ends in .wav or .flac (any case)
 */
gboolean
cradle_audio_file_type_from_path (const char           *path,
                                  CradleAudioFileType  *type,
                                  GError              **error)
{
  g_autofree char *base = NULL;
  g_autofree char *display = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    {
      if (g_ascii_strcasecmp (dot, ".wav") == 0)
        {
          *type = CRADLE_AUDIO_FILE_WAV;
          return TRUE;
        }
      if (g_ascii_strcasecmp (dot, ".flac") == 0)
        {
          *type = CRADLE_AUDIO_FILE_FLAC;
          return TRUE;
        }
    }

  display = g_filename_display_name (path);
  if (dot == NULL || dot == base)
    g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_WRITE,
                 "Cannot write “%s”: it has no extension; use .wav or .flac", display);
  else
    {
      g_autofree char *ext = g_filename_display_name (dot);

      g_set_error (error, CRADLE_AUDIO_ERROR, CRADLE_AUDIO_ERROR_WRITE,
                   "Cannot write “%s”: “%s” files are not supported; use .wav or .flac",
                   display, ext);
    }
  return FALSE;
}
