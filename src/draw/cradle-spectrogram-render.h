/* cradle-spectrogram-render.h — one draw function for the spectrogram, on
 * screen and in PNG/SVG/PDF files
 *
 * cradle_spectrogram_render() draws a dB time-frequency matrix onto any
 * cairo_t: the image fills a plot area framed by a frequency ruler on the
 * left, a time ruler at the bottom, a colour bar with dB labels on the right
 * and an optional title on top. The GTK widget calls it from its snapshot
 * (through a cairo node) with the theme's colours; cradle-cli calls
 * cradle_spectrogram_export(), which draws with the same function onto a
 * PNG, SVG or PDF surface. cradle_spectrogram_layout_compute() gives the
 * same geometry without drawing, for cursor read-outs and hit tests, so the
 * screen and the files agree.
 *
 * The image is built at the plot area's device pixel size (sharp on HiDPI
 * screens) with no allocation per pixel: each output column maps to a time,
 * each output row to a frequency through the display scale and then to the
 * data's bands by interpolation between band centres. Where a column spans
 * several frames (zoomed out) or a row several bands (a dense STFT on a
 * short axis) the maximum is drawn, so short or narrow events never vanish.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

#include "cradle-axis.h"
#include "cradle-colormap.h"

G_BEGIN_DECLS

/**
 * CRADLE_DRAW_ERROR:
 *
 * Errors from exporting plots. Every message names the file.
 */
#define CRADLE_DRAW_ERROR (cradle_draw_error_quark ())

typedef enum {
  CRADLE_DRAW_ERROR_UNKNOWN_FORMAT, /* the extension is not .png, .svg or .pdf */
  CRADLE_DRAW_ERROR_WRITE,          /* the file (or its temporary) could not be written */
  CRADLE_DRAW_ERROR_CAIRO,          /* cairo failed to draw or encode */
} CradleDrawError;

GQuark cradle_draw_error_quark (void);

/**
 * CradleSpectrogramData:
 * @values: @n_frames × @n_bands dB values, frame-major:
 *   `values[frame * n_bands + band]`
 * @n_frames: number of frames, > 0
 * @n_bands: number of bands (mel bands or STFT bins), > 0
 * @seconds_per_frame: hop / sample rate, > 0
 * @start_time: time of frame 0's centre in seconds (0 for a centred STFT of
 *   a whole file); frame i is centred at start_time + i × seconds_per_frame
 * @band_hz: @n_bands centre frequencies in Hz, strictly ascending (mel
 *   spaced from cradle_mel_filterbank_band_hz(), linear for STFT bins)
 * @fmin: lowest frequency the data covers, in Hz (the mel range's fmin, or
 *   0 for an STFT)
 * @fmax: highest, in Hz (fmax, or the Nyquist frequency); when @fmax is not
 *   above @fmin the first and last band centres are used
 *
 * Borrowed pointers: the caller keeps them alive during each call.
 */
typedef struct {
  const float  *values;
  guint         n_frames;
  guint         n_bands;
  double        seconds_per_frame;
  double        start_time;
  const double *band_hz;
  double        fmin;
  double        fmax;
} CradleSpectrogramData;

typedef enum {
  CRADLE_SPECTROGRAM_INTERP_LINEAR,   /* between the two nearest frame centres */
  CRADLE_SPECTROGRAM_INTERP_NEAREST,  /* the nearest frame: one block per frame */
} CradleSpectrogramInterp;

/**
 * CradleSpectrogramStyle:
 * @colormap: colour map of the image and the colour bar
 * @db_top: the dB value drawn with the map's top colour; NAN (the default)
 *   takes the data's maximum
 * @db_range: dB from the bottom colour to the top one, > 0 (80); a value v
 *   is drawn with map ((v − (db_top − db_range)) / db_range)
 * @freq_scale: frequency display scale (MEL)
 * @freq_min: lowest displayed frequency in Hz; when @freq_max is not above
 *   @freq_min (both 0, the default) the data's fmin .. fmax is shown. A LOG
 *   axis starts at %CRADLE_FREQ_SCALE_LOG_MIN_HZ at least.
 * @freq_max: highest displayed frequency in Hz
 * @time_start: visible time range in seconds, for zooming and scrolling;
 *   when @time_end is not after @time_start (the default) the whole data is
 *   shown, from the first frame's centre to the last one's
 * @time_end: see @time_start
 * @time_interp: how output columns between frame centres are coloured
 * @show_axes: draw the rulers (and the colour bar when @show_colorbar); when
 *   FALSE the plot fills the whole area (less the title)
 * @show_colorbar: draw the colour bar with dB labels on the right
 * @title: (nullable): drawn centred above the plot
 * @font: (nullable): font of the labels (the title is bold and 20 %
 *   larger); %NULL means "Sans 10"
 * @foreground: text, ticks and frames (the theme's foreground colour)
 * @background: fills the whole area first; alpha 0 leaves it as it is
 * @pixel_scale: device pixels per user unit for the image; 0 (the default)
 *   reads it from the cairo_t. A widget drawing into a cairo node (a
 *   recording surface) sets its scale factor here. Vector surfaces (SVG,
 *   PDF) get at least 2.
 * @pango_context: (nullable): measures and shapes the text; a widget passes
 *   gtk_widget_get_pango_context() so its font settings apply. %NULL uses a
 *   context of the default font map at 96 dpi without metric hinting, the
 *   same for the screen and files.
 *
 * Initialise with cradle_spectrogram_style_init(), then change fields.
 */
typedef struct {
  CradleColormap              colormap;
  double                      db_top;
  double                      db_range;
  CradleFreqScale             freq_scale;
  double                      freq_min;
  double                      freq_max;
  double                      time_start;
  double                      time_end;
  CradleSpectrogramInterp     time_interp;
  gboolean                    show_axes;
  gboolean                    show_colorbar;
  const char                 *title;
  const PangoFontDescription *font;
  CradleRGBA                  foreground;
  CradleRGBA                  background;
  double                      pixel_scale;
  PangoContext               *pango_context;
} CradleSpectrogramStyle;

/* Viridis, top NAN (the data's maximum), range 80 dB, mel scale, whole
 * time range, linear interpolation, axes and colour bar, no title, black on
 * white. */
void cradle_spectrogram_style_init (CradleSpectrogramStyle *style);

/**
 * CradleSpectrogramLayout:
 * @width: the whole area, as passed in
 * @height: see @width
 * @plot: the image area (whole user units)
 * @colorbar: the colour bar (zero width when not drawn)
 * @title: the title's box (zero height when there is none)
 * @time_start: the time at the left edge of @plot, in seconds
 * @time_end: the time at the right edge
 * @freq: the display mapping; position 0 is the bottom edge of @plot
 * @db_top: the dB value of the top colour (resolved when the style's was NAN)
 * @db_bottom: the dB value of the bottom colour (@db_top − db_range)
 */
typedef struct {
  double            width;
  double            height;
  cairo_rectangle_t plot;
  cairo_rectangle_t colorbar;
  cairo_rectangle_t title;
  double            time_start;
  double            time_end;
  CradleFreqAxis    freq;
  double            db_top;
  double            db_bottom;
} CradleSpectrogramLayout;

/* In all the functions below STYLE may be NULL for the defaults of
 * cradle_spectrogram_style_init(). */

/* Where cradle_spectrogram_render() with the same arguments puts things. */
void     cradle_spectrogram_layout_compute   (CradleSpectrogramLayout       *layout,
                                              double                         width,
                                              double                         height,
                                              const CradleSpectrogramData   *data,
                                              const CradleSpectrogramStyle  *style);
/* Hit testing and read-outs; the mappings are not clamped to the plot. */
gboolean cradle_spectrogram_layout_in_plot   (const CradleSpectrogramLayout *layout,
                                              double                         x,
                                              double                         y);
double   cradle_spectrogram_layout_x_to_time (const CradleSpectrogramLayout *layout,
                                              double                         x);
double   cradle_spectrogram_layout_time_to_x (const CradleSpectrogramLayout *layout,
                                              double                         seconds);
double   cradle_spectrogram_layout_y_to_hz   (const CradleSpectrogramLayout *layout,
                                              double                         y);
double   cradle_spectrogram_layout_hz_to_y   (const CradleSpectrogramLayout *layout,
                                              double                         hz);

/* The dB value at SECONDS and HZ, linear between frame centres and between
 * band centres (clamped to the first and last centre). FALSE, *DB
 * untouched, outside the data's time span (half a frame beyond the first
 * and last centres) or frequency range. */
gboolean cradle_spectrogram_data_value_at    (const CradleSpectrogramData   *data,
                                              double                         seconds,
                                              double                         hz,
                                              float                         *db);

/* Draws the spectrogram into (0, 0, WIDTH, HEIGHT) of CR's user space. */
void     cradle_spectrogram_render           (cairo_t                       *cr,
                                              double                         width,
                                              double                         height,
                                              const CradleSpectrogramData   *data,
                                              const CradleSpectrogramStyle  *style);

/* Just the image, WIDTH_PX × HEIGHT_PX, with the visible time range, the
 * display scale and the colours of STYLE (its axes and text are ignored):
 * an opaque ARGB32 surface, transparent where the visible range lies
 * outside the data. For widgets that cache the image and rebuild it only on
 * resize or new data. Returns (transfer full). */
cairo_surface_t *
         cradle_spectrogram_render_image     (const CradleSpectrogramData   *data,
                                              const CradleSpectrogramStyle  *style,
                                              int                            width_px,
                                              int                            height_px);

/* Draws WIDTH × HEIGHT into PATH: PNG (pixels), SVG (px) or PDF (points),
 * chosen by PATH's extension, any case. The file is written to a temporary
 * name in the same directory and renamed into place only when complete, so
 * on error PATH is untouched and nothing is left behind. */
gboolean cradle_spectrogram_export           (const char                    *path,
                                              int                            width,
                                              int                            height,
                                              const CradleSpectrogramData   *data,
                                              const CradleSpectrogramStyle  *style,
                                              GError                       **error);

G_END_DECLS
