/* cradle-portaudio-private.h — one lock around PortAudio's start and stop
 *
 * Pa_Initialize and Pa_Terminate are reference counted by PortAudio but not
 * thread-safe, and capture, playback and the monitor's chime start
 * PortAudio from different threads (the UI thread, the monitor's worker, a
 * Preferences device listing). Every user in core goes through this pair,
 * which serialises them under one mutex. Initialising prints the ALSA and
 * JACK back-ends' probing chatter on stderr ("cannot find card '0'", "jack
 * server is not running"), which says nothing about Cradle: stderr points at
 * /dev/null for the duration of Pa_Initialize.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* On failure sets ERROR in DOMAIN with CODE, "Could not start PortAudio: …". */
gboolean cradle_portaudio_acquire (GQuark    domain,
                                   gint      code,
                                   GError  **error);
/* Once for every successful acquire. */
void     cradle_portaudio_release (void);

G_END_DECLS
