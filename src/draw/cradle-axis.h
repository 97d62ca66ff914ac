/* cradle-axis.h — ticks, labels and rulers shared by every plot
 *
 * A plot asks for tick values (a "nice" 1-2-5 × 10^k step for linear axes,
 * nice Hz values placed by the display mapping for mel and log frequency
 * axes), formats them as labels, and draws a ruler — tick marks and Pango
 * labels — along one edge of its plot rectangle. All lengths are in the
 * cairo_t's user units (widget pixels on screen, points in SVG/PDF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

#include "cradle-colormap.h"

G_BEGIN_DECLS

/* Length of a tick mark and the gap between a tick and its label. */
#define CRADLE_AXIS_TICK_LENGTH 4.0
#define CRADLE_AXIS_LABEL_GAP   3.0

/* ---- Tick choice ------------------------------------------------------- */

/* The smallest step of the form {1, 2, 5} × 10^k such that ticks STEP apart
 * on an axis showing RANGE units over LENGTH_PX pixels are at least
 * MIN_SPACING_PX apart. */
double  cradle_axis_nice_step  (double  range,
                                double  length_px,
                                double  min_spacing_px);
/* As cradle_axis_nice_step() below 10 s; from 10 s up the steps are those a
 * clock reads well: 10, 15, 20, 30 s, 1, 2, 5, 10, 15, 20, 30 min, 1, 2, 3,
 * 6, 12, 24 h. */
double  cradle_axis_time_step  (double  range,
                                double  length_px,
                                double  min_spacing_px);
/* The multiples of STEP in [LO, HI] (with a tolerance of 1e-9 × STEP at
 * both ends), ascending: a new array of *N_TICKS values (g_free). */
double *cradle_axis_ticks      (double  lo,
                                double  hi,
                                double  step,
                                guint  *n_ticks);

/* ---- Labels ------------------------------------------------------------ */

/* SECONDS as "0.5 s" while MAX_SECONDS (the largest time on the axis) is
 * under a minute, "1:05" under an hour and "1:02:03" beyond. STEP (the tick
 * step or the wanted resolution) sets the decimals: 1 s or more gives none,
 * 0.5 s one, 0.25 s two (at most 6). Returns a new string (g_free). */
char   *cradle_axis_format_time (double  seconds,
                                 double  step,
                                 double  max_seconds);
/* HZ as "500 Hz" below 1 kHz, else as "2 kHz", "2.5 kHz", "1.25 kHz"
 * (trailing zeros dropped). RESOLUTION limits the decimals (0: up to 1 in
 * Hz, 3 in kHz, enough for every nice tick value). New string (g_free). */
char   *cradle_axis_format_hz   (double  hz,
                                 double  resolution);
/* DB as "−80 dB" (with a real minus sign); STEP sets the decimals as for
 * time. New string (g_free). */
char   *cradle_axis_format_db   (double  db,
                                 double  step);

/* ---- Frequency display scales ----------------------------------------- */

typedef enum {
  CRADLE_FREQ_SCALE_LINEAR,
  CRADLE_FREQ_SCALE_MEL,    /* Slaney, as cradle_hz_to_mel() */
  CRADLE_FREQ_SCALE_LOG,    /* log2, from CRADLE_FREQ_SCALE_LOG_MIN_HZ at least */
} CradleFreqScale;

#define CRADLE_FREQ_SCALE_N_SCALES (CRADLE_FREQ_SCALE_LOG + 1)

/* A log axis cannot reach 0 Hz: its bottom is raised to at least this. */
#define CRADLE_FREQ_SCALE_LOG_MIN_HZ 20.0

/* "linear", "mel", "log", any case. FALSE for any other name. */
gboolean    cradle_freq_scale_from_string (const char      *name,
                                           CradleFreqScale *scale);
const char *cradle_freq_scale_to_string   (CradleFreqScale  scale);

/**
 * CradleFreqAxis:
 * @scale: the mapping
 * @fmin: the frequency at position 0 (for LOG, after raising it to
 *   %CRADLE_FREQ_SCALE_LOG_MIN_HZ)
 * @fmax: the frequency at position 1
 *
 * Maps frequencies in [@fmin, @fmax] to positions in [0, 1] (0 at the
 * bottom of a plot) and back. Initialise with cradle_freq_axis_init(); a
 * plain struct, copy it freely.
 */
typedef struct {
  CradleFreqScale scale;
  double          fmin;
  double          fmax;
  /*< private >*/
  double          lo;  /* fmin and fmax in the scale's own unit (Hz, mel, octaves) */
  double          hi;
} CradleFreqAxis;

void    cradle_freq_axis_init      (CradleFreqAxis       *axis,
                                    CradleFreqScale       scale,
                                    double                fmin,
                                    double                fmax);
/* Not clamped: frequencies outside [fmin, fmax] give positions outside
 * [0, 1] (for LOG, frequencies under 1e-3 Hz are taken as 1e-3 Hz). */
double  cradle_freq_axis_hz_to_pos (const CradleFreqAxis *axis,
                                    double                hz);
double  cradle_freq_axis_pos_to_hz (const CradleFreqAxis *axis,
                                    double                pos);
/* Nice frequencies to label an axis LENGTH_PX long, at least
 * MIN_SPACING_PX apart where they land: multiples of a 1-2-5 step on a
 * linear axis; on mel and log axes, per decade the densest of
 * {1..9, 2-4-6-8, 2-5, 5, 10} × 10^k that fits, plus 0 Hz when it is the
 * bottom. Ascending, a new array of *N_TICKS values in Hz (g_free). */
double *cradle_freq_axis_ticks     (const CradleFreqAxis *axis,
                                    double                length_px,
                                    double                min_spacing_px,
                                    guint                *n_ticks);

/* ---- Rulers ------------------------------------------------------------ */

typedef enum {
  CRADLE_AXIS_EDGE_LEFT,
  CRADLE_AXIS_EDGE_RIGHT,
  CRADLE_AXIS_EDGE_TOP,
  CRADLE_AXIS_EDGE_BOTTOM,
} CradleAxisEdge;

/**
 * CradleAxisTick:
 * @position: where along the edge, in [0, 1]: left to right on a horizontal
 *   edge, bottom to top on a vertical one
 * @label: (nullable): the text; %NULL for a tick without a label
 */
typedef struct {
  double      position;
  const char *label;
} CradleAxisTick;

/* How far a ruler with these labels reaches out from its edge: tick, gap,
 * then the widest label (LEFT/RIGHT) or the tallest (TOP/BOTTOM). LAYOUT
 * carries the font; its text is changed. */
double  cradle_axis_ruler_extent (PangoLayout          *layout,
                                  CradleAxisEdge        edge,
                                  const CradleAxisTick *ticks,
                                  guint                 n_ticks);
/* Draws ticks pointing out of RECT along EDGE and their labels beyond them,
 * centred on the tick, in COLOR (tick marks at 60 % of its alpha). A label
 * that would overlap the one drawn before it is left out, its tick kept.
 * LAYOUT carries the font; its text is changed. */
void    cradle_axis_draw_ruler   (cairo_t                 *cr,
                                  PangoLayout             *layout,
                                  const cairo_rectangle_t *rect,
                                  CradleAxisEdge           edge,
                                  const CradleAxisTick    *ticks,
                                  guint                    n_ticks,
                                  const CradleRGBA        *color);

G_END_DECLS
