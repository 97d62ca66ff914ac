/* cradle-audio.h — reading, resampling and writing audio
 *
 * Reading goes through libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3 where the
 * installed libsndfile supports it, AIFF, …), mixes every channel down to
 * mono and resamples with libsoxr at high quality. Bad input never crashes:
 * it gives a CRADLE_AUDIO_ERROR whose message names the file and the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits on what a file may claim before we decode it. */
#define CRADLE_AUDIO_MIN_RATE     1000
#define CRADLE_AUDIO_MAX_RATE     768000
#define CRADLE_AUDIO_MAX_CHANNELS 64
/* 2^29 frames (2 GiB of mono float): 9.3 h at 16 kHz, 3.1 h at 48 kHz. */
#define CRADLE_AUDIO_MAX_FRAMES   (G_GINT64_CONSTANT (1) << 29)

typedef struct {
  char   *format;       /* major format, e.g. "FLAC (Free Lossless Audio Codec)" */
  char   *subtype;      /* encoding, e.g. "Signed 16 bit PCM" */
  guint   sample_rate;
  guint   channels;
  gint64  frames;
  double  duration;     /* seconds */
} CradleAudioInfo;

/* Mono float samples (nominally [-1, 1]) at one sample rate. */
typedef struct {
  float  *samples;      /* float files are not clipped: may exceed [-1, 1] */
  gsize   n_samples;
  guint   sample_rate;
} CradleAudio;

typedef enum {
  CRADLE_AUDIO_FILE_WAV,   /* 16-bit PCM WAV */
  CRADLE_AUDIO_FILE_FLAC,  /* 16-bit FLAC */
} CradleAudioFileType;

/* Reads and validates the header only (the same checks as
 * cradle_audio_load before decoding; a 0-frame file is EMPTY). INFO is
 * overwritten on success; FRAMES and DURATION are -1 when the file does not
 * say its length. */
gboolean     cradle_audio_probe          (const char          *path,
                                          CradleAudioInfo     *info,
                                          GError             **error);
void         cradle_audio_info_clear     (CradleAudioInfo     *info);

CradleAudio *cradle_audio_new            (guint                sample_rate,
                                          gsize                n_samples);
void         cradle_audio_free           (CradleAudio         *audio);

/* Decodes PATH, mixes to mono (mean of channels) and, when TARGET_RATE is not
 * 0 and differs from the file's rate, resamples to TARGET_RATE.
 *
 * The header is checked before any sample buffer is allocated (rate,
 * channels, frames > CRADLE_AUDIO_MAX_FRAMES → TOO_LARGE, 0 frames → EMPTY);
 * the buffer then grows only as frames are decoded, since the header's count
 * may be unknown (a FLAC stream with total_samples 0) or an estimate (MP3).
 *
 * Short data:
 *  - A WAV/AIFF/… data chunk cut short loads the frames that are there (a
 *    partial last frame is dropped): libsndfile itself reports the shorter
 *    count for a chunk that runs past the end of the file.
 *  - Decoding that stops before the header's count, with a decoder error
 *    ("flac decoder lost sync") or without one (a FLAC cut at a frame
 *    boundary), is CRADLE_AUDIO_ERROR_INVALID, "is truncated", naming the
 *    file and both counts.
 *  - MPEG (MP3) is the exception: its count can be an estimate, so what
 *    decodes loads (an MP3 cut in half loads its first half).
 *  - A file cut inside its header is CRADLE_AUDIO_ERROR_FORMAT (libsndfile
 *    cannot parse it), as is an OGG cut short (libsndfile rejects it at open).
 * A NaN or infinite sample (float files) is CRADLE_AUDIO_ERROR_INVALID.
 * Float files are not clipped: their samples may exceed [-1, 1]. */
CradleAudio *cradle_audio_load           (const char          *path,
                                          guint                target_rate,
                                          GError             **error);

/* libsoxr, high quality (SOXR_HQ), float in and out. Returns a new buffer
 * (g_free) of *OUT_N samples, or NULL with ERROR set. */
float       *cradle_resample             (const float         *in,
                                          gsize                n_in,
                                          guint                in_rate,
                                          guint                out_rate,
                                          gsize               *out_n,
                                          GError             **error);

/* Writes 16-bit PCM (dithering is not applied; samples are clipped to
 * [-1, 1], scaled by 32768 and rounded to nearest, NaN written as 0, so a
 * round trip is exact to half a 16-bit step). The file is written to a temporary name beside PATH and renamed
 * into place only when complete, so PATH is never left half-written. */
gboolean     cradle_audio_write          (const CradleAudio   *audio,
                                          const char          *path,
                                          CradleAudioFileType  type,
                                          GError             **error);

/* Picks the file type from PATH's extension (.wav or .flac). */
gboolean     cradle_audio_file_type_from_path (const char          *path,
                                               CradleAudioFileType *type,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleAudio, cradle_audio_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleAudioInfo, cradle_audio_info_clear)

G_END_DECLS
