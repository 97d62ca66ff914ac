/* cradle-spectrogram-tiles.c — tiled dB spectrogram on worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-spectrogram-tiles.h"

#include <math.h>
#include <string.h>

#include "cradle-audio.h"
#include "cradle-error.h"
#include "cradle-mel.h"

/* ---- Parameters --------------------------------------------------------- */

void
cradle_spectrogram_params_init (CradleSpectrogramParams *params,
                                guint                    sample_rate)
{
  g_return_if_fail (params != NULL);

  *params = (CradleSpectrogramParams) {
    .sample_rate = sample_rate,
    .n_fft = 1024,
    .hop = 256,
    .window = CRADLE_STFT_WINDOW_HANN,
    .n_mels = 0,
    .fmin = 0.0f,
    .fmax = 0.0f,
  };
}

guint64
cradle_spectrogram_params_n_frames (const CradleSpectrogramParams *params,
                                    gsize                          n_samples)
{
  g_return_val_if_fail (params != NULL && params->hop > 0, 0);

  return 1 + (guint64) n_samples / params->hop;
}

/* ---- One thread's computer ---------------------------------------------- */

struct _CradleSpectrogramComputer
{
  CradleSpectrogramParams  params;
  CradleStft              *stft;
  CradleMelFilterbank     *mel;      /* NULL: linear bins */
  guint                    n_bins;
  guint                    n_bands;
  float                    ref;      /* power of a full-scale sine's peak bin */
  double                  *band_hz;  /* n_bands */
  float                   *power;    /* n_bins */
  float                   *bands;    /* n_bands */
};

CradleSpectrogramComputer *
cradle_spectrogram_computer_new (const CradleSpectrogramParams *params,
                                 GError                       **error)
{
  g_autoptr(CradleSpectrogramComputer) self = NULL;
  double half_sum;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params->sample_rate < CRADLE_AUDIO_MIN_RATE || params->sample_rate > CRADLE_AUDIO_MAX_RATE)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Spectrogram sample rate %u Hz is invalid: it must be between %u and %u Hz",
                   params->sample_rate, CRADLE_AUDIO_MIN_RATE, CRADLE_AUDIO_MAX_RATE);
      return NULL;
    }
  if ((guint) params->window > CRADLE_STFT_WINDOW_BLACKMAN)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG,
                   "Spectrogram window %d is not a known window function", (int) params->window);
      return NULL;
    }

  self = g_new0 (CradleSpectrogramComputer, 1);
  self->params = *params;
  self->stft = cradle_stft_new_with_window (params->n_fft, params->hop, params->window, error);
  if (self->stft == NULL)
    return NULL;
  self->n_bins = cradle_stft_get_n_bins (self->stft);

  if (params->n_mels > 0)
    {
      float fmax = params->fmax > 0.0f ? params->fmax : params->sample_rate / 2.0f;

      self->mel = cradle_mel_filterbank_new (params->sample_rate, params->n_fft, params->n_mels,
                                             params->fmin, fmax, error);
      if (self->mel == NULL)
        return NULL;
      self->n_bands = params->n_mels;
    }
  else
    {
      self->n_bands = self->n_bins;
    }

  self->band_hz = g_new (double, self->n_bands);
  for (guint b = 0; b < self->n_bands; b++)
    self->band_hz[b] = self->mel != NULL
                       ? cradle_mel_filterbank_band_hz (self->mel, b)
                       : (double) b * params->sample_rate / params->n_fft;

  half_sum = cradle_stft_get_window_sum (self->stft) / 2.0;
  self->ref = (float) (half_sum * half_sum);
  self->power = g_new (float, self->n_bins);
  self->bands = g_new (float, self->n_bands);

  return g_steal_pointer (&self);
}

void
cradle_spectrogram_computer_free (CradleSpectrogramComputer *self)
{
  if (self == NULL)
    return;

  cradle_stft_free (self->stft);
  cradle_mel_filterbank_free (self->mel);
  g_free (self->band_hz);
  g_free (self->power);
  g_free (self->bands);
  g_free (self);
}

guint
cradle_spectrogram_computer_get_n_bands (const CradleSpectrogramComputer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_bands;
}

double
cradle_spectrogram_computer_band_hz (const CradleSpectrogramComputer *self,
                                     guint                            band)
{
  g_return_val_if_fail (self != NULL, 0.0);
  g_return_val_if_fail (band < self->n_bands, 0.0);

  return self->band_hz[band];
}

/**
 * cradle_spectrogram_computer_do:
 * @x: (array length=n): the whole signal
 * @db: (out caller-allocates): @n_columns × n_bands values
 *
 * Never allocates.
 */
void
cradle_spectrogram_computer_do (CradleSpectrogramComputer *self,
                                const float               *x,
                                gsize                      n,
                                guint64                    first_column,
                                guint                      n_columns,
                                guint                      decimation,
                                float                     *db)
{
  guint64 n_frames;
  const guint nb = self != NULL ? self->n_bands : 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (db != NULL || n_columns == 0);
  g_return_if_fail (decimation >= 1);

  n_frames = cradle_stft_n_frames (self->stft, n);

  for (guint c = 0; c < n_columns; c++)
    {
      float *out = db + (gsize) c * nb;
      guint64 f0 = (first_column + c) * decimation;
      guint64 f1 = MIN (f0 + decimation, n_frames);

      if (f0 >= n_frames)
        {
          for (guint b = 0; b < nb; b++)
            out[b] = NAN;
          continue;
        }

      for (guint64 f = f0; f < f1; f++)
        {
          float *values;

          cradle_stft_power_frames (self->stft, x, n, f, 1, self->power);
          if (self->mel != NULL)
            {
              cradle_mel_filterbank_apply (self->mel, self->power, 1, self->bands);
              values = self->bands;
            }
          else
            {
              values = self->power;
            }
          cradle_power_to_db (values, nb, self->ref, CRADLE_SPECTROGRAM_AMIN, 0.0f);

          if (f == f0)
            memcpy (out, values, sizeof (float) * nb);
          else
            for (guint b = 0; b < nb; b++)
              out[b] = values[b] > out[b] ? values[b] : out[b];
        }
    }
}

void
cradle_waveform_peaks (const float *x,
                       gsize        n,
                       guint        n_buckets,
                       float       *mins,
                       float       *maxs)
{
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (mins != NULL && maxs != NULL);

  for (guint i = 0; i < n_buckets; i++)
    {
      gsize a = (gsize) ((double) n * i / n_buckets);
      gsize b = (gsize) ((double) n * (i + 1) / n_buckets);
      float lo;
      float hi;

      if (n == 0)
        {
          mins[i] = maxs[i] = 0.0f;
          continue;
        }
      if (b <= a)
        b = MIN (a + 1, n);
      if (a >= n)
        a = n - 1;
      lo = hi = x[a];
      for (gsize j = a + 1; j < b; j++)
        {
          lo = x[j] < lo ? x[j] : lo;
          hi = x[j] > hi ? x[j] : hi;
        }
      mins[i] = lo;
      maxs[i] = hi;
    }
}

/* ---- Tiles and their cache ---------------------------------------------- */

typedef enum {
  TILE_QUEUED,
  TILE_RUNNING,
  TILE_READY,
} TileState;

typedef struct {
  guint     level;
  guint64   index;
  TileState state;
  guint     n_columns;   /* valid columns (the last tile of a level may be short) */
  float    *values;      /* n_columns × n_bands once READY */
  guint64   generation;  /* the copy that last wanted it */
  GList     lru;         /* in self->lru while READY; data = the tile */
} Tile;

struct _CradleSpectrogramTiles
{
  CradleSpectrogramParams    params;
  GBytes                    *signal;
  const float               *x;
  gsize                      n;
  guint64                    n_frames;
  guint                      n_bands;
  double                    *band_hz;

  GMutex                     lock;
  GHashTable                *tiles;      /* key → Tile (owned) */
  GQueue                     lru;        /* READY tiles, most recently used first */
  GPtrArray                 *queued;     /* Tile, QUEUED (unowned) */
  GPtrArray                 *computers;  /* idle CradleSpectrogramComputer */
  gsize                      memory;
  gsize                      peak;
  gsize                      limit;
  guint64                    generation;
  guint                      pending;

  GThreadPool               *pool;
  CradleSpectrogramTileFunc  ready;
  gpointer                   user_data;
};

static guint64
tile_key (guint   level,
          guint64 index)
{
  return ((guint64) level << 56) | index;
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_free (tile->values);
  g_free (tile);
}

static void
evict_locked (CradleSpectrogramTiles *self)
{
  while (self->memory > self->limit && self->lru.tail != NULL)
    {
      Tile *tile = self->lru.tail->data;

      /* The tiles of the latest copy stay. */
      if (tile->generation == self->generation)
        break;
      g_queue_unlink (&self->lru, &tile->lru);
      self->memory -= (gsize) tile->n_columns * self->n_bands * sizeof (float);
      g_hash_table_remove (self->tiles, &(guint64) { tile_key (tile->level, tile->index) });
    }
}

static void
worker (gpointer data,
        gpointer user_data)
{
  CradleSpectrogramTiles *self = user_data;
  CradleSpectrogramComputer *computer = NULL;
  Tile *tile = NULL;
  guint best = 0;
  float *values;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->queued->len; i++)
    {
      Tile *t = g_ptr_array_index (self->queued, i);

      if (tile == NULL || t->generation > tile->generation)
        {
          tile = t;
          best = i;
        }
    }
  if (tile == NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_ptr_array_remove_index_fast (self->queued, best);
  tile->state = TILE_RUNNING;
  if (self->computers->len > 0)
    computer = g_ptr_array_steal_index_fast (self->computers, self->computers->len - 1);
  g_mutex_unlock (&self->lock);

  if (computer == NULL)
    {
      /* The parameters were validated by _new (), so this cannot fail. */
      computer = cradle_spectrogram_computer_new (&self->params, NULL);
      g_assert (computer != NULL);
    }

  values = g_new (float, (gsize) tile->n_columns * self->n_bands);
  cradle_spectrogram_computer_do (computer, self->x, self->n,
                                  tile->index * CRADLE_SPECTROGRAM_TILE_COLUMNS, tile->n_columns,
                                  1u << tile->level, values);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->computers, computer);
  tile->values = values;
  tile->state = TILE_READY;
  g_queue_push_head_link (&self->lru, &tile->lru);
  self->memory += (gsize) tile->n_columns * self->n_bands * sizeof (float);
  self->peak = MAX (self->peak, self->memory);
  self->pending--;
  {
    guint level = tile->level;
    guint64 index = tile->index;

    evict_locked (self);
    g_mutex_unlock (&self->lock);

    if (self->ready != NULL)
      self->ready (level, index, self->user_data);
  }
}

CradleSpectrogramTiles *
cradle_spectrogram_tiles_new (const CradleSpectrogramParams *params,
                              GBytes                        *signal,
                              guint                          n_threads,
                              gsize                          memory_limit,
                              CradleSpectrogramTileFunc      ready,
                              gpointer                       user_data,
                              GError                       **error)
{
  CradleSpectrogramTiles *self;
  CradleSpectrogramComputer *computer;
  gsize size;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (signal != NULL, NULL);
  g_return_val_if_fail (n_threads >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = g_bytes_get_size (signal);
  if (size < sizeof (float) || size % sizeof (float) != 0)
    {
      g_set_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_TOO_SHORT,
                   "The signal to analyse is empty or not whole float samples (%" G_GSIZE_FORMAT " bytes)",
                   size);
      return NULL;
    }

  computer = cradle_spectrogram_computer_new (params, error);
  if (computer == NULL)
    return NULL;

  self = g_new0 (CradleSpectrogramTiles, 1);
  self->params = *params;
  self->signal = g_bytes_ref (signal);
  self->x = g_bytes_get_data (signal, NULL);
  self->n = size / sizeof (float);
  self->n_frames = cradle_spectrogram_params_n_frames (params, self->n);
  self->n_bands = cradle_spectrogram_computer_get_n_bands (computer);
  self->band_hz = g_new (double, self->n_bands);
  for (guint b = 0; b < self->n_bands; b++)
    self->band_hz[b] = cradle_spectrogram_computer_band_hz (computer, b);

  g_mutex_init (&self->lock);
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, tile_free);
  g_queue_init (&self->lru);
  self->queued = g_ptr_array_new ();
  self->computers = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_spectrogram_computer_free);
  g_ptr_array_add (self->computers, computer);
  self->limit = memory_limit;
  self->ready = ready;
  self->user_data = user_data;
  self->pool = g_thread_pool_new (worker, self, (int) n_threads, FALSE, NULL);
  g_assert (self->pool != NULL);

  return self;
}

void
cradle_spectrogram_tiles_free (CradleSpectrogramTiles *self)
{
  if (self == NULL)
    return;

  /* Queued pushes are dropped; running workers finish their tile. */
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_hash_table_unref (self->tiles);
  g_ptr_array_unref (self->queued);
  g_ptr_array_unref (self->computers);
  g_mutex_clear (&self->lock);
  g_bytes_unref (self->signal);
  g_free (self->band_hz);
  g_free (self);
}

const CradleSpectrogramParams *
cradle_spectrogram_tiles_get_params (CradleSpectrogramTiles *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->params;
}

guint
cradle_spectrogram_tiles_get_n_bands (CradleSpectrogramTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_bands;
}

const double *
cradle_spectrogram_tiles_get_band_hz (CradleSpectrogramTiles *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->band_hz;
}

guint64
cradle_spectrogram_tiles_get_n_frames (CradleSpectrogramTiles *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_frames;
}

guint64
cradle_spectrogram_tiles_n_columns (CradleSpectrogramTiles *self,
                                    guint                   level)
{
  guint64 d;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (level <= CRADLE_SPECTROGRAM_MAX_LEVEL, 0);

  d = (guint64) 1 << level;
  return (self->n_frames + d - 1) / d;
}

guint64
cradle_spectrogram_tiles_copy (CradleSpectrogramTiles *self,
                               guint                   level,
                               guint64                 first,
                               guint                   n_columns,
                               gboolean                request,
                               float                  *out)
{
  const guint nb = self != NULL ? self->n_bands : 0;
  guint64 n_level;
  guint64 missing = 0;
  guint64 c = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (level <= CRADLE_SPECTROGRAM_MAX_LEVEL, 0);
  g_return_val_if_fail (out != NULL || n_columns == 0, 0);

  n_level = cradle_spectrogram_tiles_n_columns (self, level);

  g_mutex_lock (&self->lock);
  if (request)
    self->generation++;

  while (c < n_columns)
    {
      guint64 column = first + c;
      guint64 index = column / CRADLE_SPECTROGRAM_TILE_COLUMNS;
      guint offset = (guint) (column % CRADLE_SPECTROGRAM_TILE_COLUMNS);
      guint run = (guint) MIN ((guint64) (CRADLE_SPECTROGRAM_TILE_COLUMNS - offset), n_columns - c);
      float *dst = out + c * nb;
      guint64 key = tile_key (level, index);
      Tile *tile;

      if (column >= n_level)
        {
          for (gsize i = 0; i < (gsize) (n_columns - c) * nb; i++)
            dst[i] = NAN;
          missing += n_columns - c;
          break;
        }

      tile = g_hash_table_lookup (self->tiles, &key);
      if (tile != NULL && tile->state == TILE_READY && offset + run <= tile->n_columns)
        {
          memcpy (dst, tile->values + (gsize) offset * nb, sizeof (float) * run * nb);
          g_queue_unlink (&self->lru, &tile->lru);
          g_queue_push_head_link (&self->lru, &tile->lru);
        }
      else if (tile != NULL && tile->state == TILE_READY)
        {
          /* The short last tile: what it has, then NaN past the end. */
          guint have = tile->n_columns > offset ? tile->n_columns - offset : 0;

          memcpy (dst, tile->values + (gsize) offset * nb, sizeof (float) * have * nb);
          for (gsize i = (gsize) have * nb; i < (gsize) run * nb; i++)
            dst[i] = NAN;
          missing += run - have;
          g_queue_unlink (&self->lru, &tile->lru);
          g_queue_push_head_link (&self->lru, &tile->lru);
        }
      else
        {
          for (gsize i = 0; i < (gsize) run * nb; i++)
            dst[i] = NAN;
          missing += run;

          if (tile == NULL && request)
            {
              guint64 *k = g_new (guint64, 1);

              tile = g_new0 (Tile, 1);
              tile->level = level;
              tile->index = index;
              tile->state = TILE_QUEUED;
              tile->n_columns = (guint) MIN ((guint64) CRADLE_SPECTROGRAM_TILE_COLUMNS,
                                             n_level - index * CRADLE_SPECTROGRAM_TILE_COLUMNS);
              tile->lru.data = tile;
              *k = key;
              g_hash_table_insert (self->tiles, k, tile);
              g_ptr_array_add (self->queued, tile);
              self->pending++;
              g_thread_pool_push (self->pool, GUINT_TO_POINTER (1), NULL);
            }
        }

      if (tile != NULL && request)
        tile->generation = self->generation;
      c += run;
    }

  if (request)
    evict_locked (self);
  g_mutex_unlock (&self->lock);

  return missing;
}

gsize
cradle_spectrogram_tiles_get_memory (CradleSpectrogramTiles *self,
                                     gsize                  *peak)
{
  gsize memory;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  memory = self->memory;
  if (peak != NULL)
    *peak = self->peak;
  g_mutex_unlock (&self->lock);

  return memory;
}

guint
cradle_spectrogram_tiles_get_pending (CradleSpectrogramTiles *self)
{
  guint pending;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  pending = self->pending;
  g_mutex_unlock (&self->lock);

  return pending;
}
