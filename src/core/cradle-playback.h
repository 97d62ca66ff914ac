/* cradle-playback.h — playing audio through PortAudio
 *
 * A CradlePlayback plays one mono float buffer on an output device. The
 * PortAudio callback only copies from the buffer (which the playback owns
 * and never changes while the stream runs) and advances an atomic frame
 * counter: no allocation, lock, log or I/O there. The UI reads the
 * position from that counter on each frame-clock tick to move its cursor;
 * at the end of the buffer the stream stops by itself and
 * cradle_playback_is_playing() turns FALSE.
 *
 * Calls other than the getters are made from one thread (the UI thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRADLE_PLAYBACK_ERROR (cradle_playback_error_quark ())

typedef enum {
  CRADLE_PLAYBACK_ERROR_INIT,       /* PortAudio could not start */
  CRADLE_PLAYBACK_ERROR_NO_DEVICE,  /* no output device, or none matches the name */
  CRADLE_PLAYBACK_ERROR_OPEN,       /* the device refused the stream (names device and rate) */
  CRADLE_PLAYBACK_ERROR_INVALID,    /* empty buffer, rate 0, start beyond the end */
  CRADLE_PLAYBACK_ERROR_STOP,       /* the device did not stop in time (left open) */
} CradlePlaybackError;

GQuark cradle_playback_error_quark (void);

typedef struct _CradlePlayback CradlePlayback;

/* DEVICE: an exact output device name, else a case-insensitive substring of
 * one; NULL or "default" for the default output. Opening the device is
 * deferred to cradle_playback_play(). */
CradlePlayback *cradle_playback_new          (const char      *device,
                                              GError         **error);
void            cradle_playback_free         (CradlePlayback  *self);

/* Stops what is playing, copies N_FRAMES mono samples at RATE Hz and plays
 * them from START_SECONDS (resampled to a rate the device accepts when it
 * refuses RATE). END_SECONDS > START_SECONDS stops there; ≤ 0 plays to the
 * end. */
gboolean        cradle_playback_play         (CradlePlayback  *self,
                                              const float     *samples,
                                              gsize            n_frames,
                                              guint            rate,
                                              double           start_seconds,
                                              double           end_seconds,
                                              GError         **error);
/* Bounded: a device that does not stop within 4 s (a sound server that
 * died can wedge PortAudio) is left open on purpose, this fails with
 * CRADLE_PLAYBACK_ERROR_STOP naming it, and later plays fail the same
 * way, since the left stream may still read this playback's buffer. */
gboolean        cradle_playback_stop         (CradlePlayback  *self,
                                              GError         **error);
/* Safe from any thread. */
gboolean        cradle_playback_is_playing   (CradlePlayback  *self);
/* Seconds into the buffer of the frame the device is playing now (from
 * PortAudio's output time and the callback's frame counter); the last
 * position after the end or a stop. Safe from any thread. */
double          cradle_playback_get_position (CradlePlayback  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradlePlayback, cradle_playback_free)

G_END_DECLS
