/* cradle-preferences-window.c — the Preferences window
 *
 * Every row is bound to a GSettings key (g_settings_bind), so a change is
 * saved and seen by the pages at once; there is no Apply button. The input
 * device row (CradleDeviceRow) lists PortAudio's devices in a worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cradle-device-row.h"
#include "cradle-preferences-window.h"

struct _CradlePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  CradleDeviceRow      *input_device_row;
  GtkSpinButton        *preroll_spin;
  GtkSpinButton        *auto_stop_spin;
  AdwComboRow          *colormap_row;
  AdwComboRow          *frequency_scale_row;
  AdwComboRow          *fft_size_row;
  AdwComboRow          *hop_row;
  AdwComboRow          *window_function_row;
  GtkSpinButton        *db_range_spin;
  GtkSwitch            *show_f0_switch;
  GtkSpinButton        *threshold_spin;
  GtkSpinButton        *cooldown_spin;
  GtkSpinButton        *escalate_spin;
  GtkSwitch            *sound_switch;
  GtkSwitch            *notification_switch;
};

G_DEFINE_FINAL_TYPE (CradlePreferencesWindow, cradle_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The setting values behind each combo row's items, in the items' order. */
static const char * const colormap_values[] = { "viridis", "magma", "grayscale", NULL };
static const char * const frequency_scale_values[] = { "linear", "mel", "log", NULL };
static const char * const window_function_values[] = { "hann", "hamming", "blackman", NULL };
static const int fft_sizes[] = { 256, 512, 1024, 2048, 4096 };
static const double hop_fractions[] = { 0.125, 0.25, 0.5 };

/* Mappings between a combo row's "selected" and a string key. */

static gboolean
get_choice_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *values = user_data;
  const char *current = g_variant_get_string (variant, NULL);

  for (guint i = 0; values[i] != NULL; i++)
    if (g_str_equal (values[i], current))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
set_choice_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *values = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) values))
    return NULL;

  return g_variant_new_string (values[selected]);
}

static gboolean
get_fft_size_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  int size = g_variant_get_int32 (variant);
  guint best = 0;

  /* The nearest offered size, as the spectrogram rounds it. */
  for (guint i = 1; i < G_N_ELEMENTS (fft_sizes); i++)
    if (ABS (fft_sizes[i] - size) < ABS (fft_sizes[best] - size))
      best = i;
  g_value_set_uint (value, best);

  return TRUE;
}

static GVariant *
set_fft_size_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (fft_sizes))
    return NULL;

  return g_variant_new_int32 (fft_sizes[selected]);
}

static gboolean
get_hop_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  double fraction = g_variant_get_double (variant);
  guint best = 0;

  /* The nearest offered fraction. */
  for (guint i = 1; i < G_N_ELEMENTS (hop_fractions); i++)
    if (fabs (hop_fractions[i] - fraction) < fabs (hop_fractions[best] - fraction))
      best = i;
  g_value_set_uint (value, best);

  return TRUE;
}

static GVariant *
set_hop_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (hop_fractions))
    return NULL;

  return g_variant_new_double (hop_fractions[selected]);
}

/* Mappings between a spin button's "value" (double) and an int key. */

static gboolean
get_int_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int32 (variant));
  return TRUE;
}

static GVariant *
set_int_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  return g_variant_new_int32 ((gint32) lround (g_value_get_double (value)));
}

static void
cradle_preferences_window_bind (CradlePreferencesWindow *self)
{
  g_settings_bind (self->settings, "record-preroll", self->preroll_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "record-auto-stop", self->auto_stop_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, get_int_mapping, set_int_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "colormap", self->colormap_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, get_choice_mapping, set_choice_mapping,
                                (gpointer) colormap_values, NULL);
  g_settings_bind_with_mapping (self->settings, "frequency-scale", self->frequency_scale_row,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                get_choice_mapping, set_choice_mapping,
                                (gpointer) frequency_scale_values, NULL);
  g_settings_bind_with_mapping (self->settings, "fft-size", self->fft_size_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, get_fft_size_mapping,
                                set_fft_size_mapping, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "hop-fraction", self->hop_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, get_hop_mapping, set_hop_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "window-function", self->window_function_row,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                get_choice_mapping, set_choice_mapping,
                                (gpointer) window_function_values, NULL);
  g_settings_bind (self->settings, "db-range", self->db_range_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-f0", self->show_f0_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-threshold", self->threshold_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-cooldown", self->cooldown_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "escalate-minutes", self->escalate_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, get_int_mapping, set_int_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "alert-sound", self->sound_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-notification", self->notification_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* Usable once the device list has come from PortAudio. */
  g_object_bind_property (self->input_device_row, "loaded",
                          self->input_device_row, "sensitive",
                          G_BINDING_SYNC_CREATE);
  cradle_device_row_bind (self->input_device_row, self->settings);
}

static void
cradle_preferences_window_dispose (GObject *object)
{
  CradlePreferencesWindow *self = CRADLE_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRADLE_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cradle_preferences_window_parent_class)->dispose (object);
}

static void
cradle_preferences_window_finalize (GObject *object)
{
  CradlePreferencesWindow *self = CRADLE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cradle_preferences_window_parent_class)->finalize (object);
}

static void
cradle_preferences_window_class_init (CradlePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cradle_preferences_window_dispose;
  object_class->finalize = cradle_preferences_window_finalize;

  g_type_ensure (CRADLE_TYPE_DEVICE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cradle/Cradle/ui/cradle-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, input_device_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, preroll_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, auto_stop_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, colormap_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, frequency_scale_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, fft_size_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, hop_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, window_function_row);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, db_range_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, show_f0_switch);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, cooldown_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, escalate_spin);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, sound_switch);
  gtk_widget_class_bind_template_child (widget_class, CradlePreferencesWindow, notification_switch);
}

static void
cradle_preferences_window_init (CradlePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

}

/**
 * cradle_preferences_window_new:
 * @settings: the application's settings
 *
 * Returns: (transfer none): a new Preferences window, owned by GTK
 */
CradlePreferencesWindow *
cradle_preferences_window_new (GSettings *settings)
{
  CradlePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRADLE_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  cradle_preferences_window_bind (self);

  return self;
}
