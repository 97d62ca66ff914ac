/* cradle-device-row.c — a combo row choosing the input device
 *
 * One row for the Preferences window, the Record page and the Monitor page:
 * the device list comes from PortAudio in a worker thread, because opening
 * the sound system can take a moment, and the selection is bound to the
 * `input-device` setting, so every row shows the same microphone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-capture.h"
#include "cradle-device-row.h"

struct _CradleDeviceRow
{
  AdwComboRow   parent_instance;

  GSettings    *settings;
  GCancellable *cancellable;
  /* The device names behind the items; "" (the default) first. */
  GPtrArray    *names;
  gboolean      loaded;
};

G_DEFINE_FINAL_TYPE (CradleDeviceRow, cradle_device_row, ADW_TYPE_COMBO_ROW)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
list_devices_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = cradle_capture_list_devices (&error);

  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
get_device_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  CradleDeviceRow *self = user_data;
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < self->names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->names, i), name))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  /* A device that is not plugged in now: keep the setting, show nothing. */
  g_value_set_uint (value, GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static GVariant *
set_device_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  CradleDeviceRow *self = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= self->names->len)
    return NULL;

  return g_variant_new_string (g_ptr_array_index (self->names, selected));
}

static void
list_devices_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CradleDeviceRow *self;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) items = NULL;

  devices = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CRADLE_DEVICE_ROW (source);
  items = gtk_string_list_new (NULL);
  gtk_string_list_append (items, _("System Default"));
  g_ptr_array_add (self->names, g_strdup (""));

  if (devices == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), error->message);
  else
    for (guint i = 0; i < devices->len; i++)
      {
        CradleInputDevice *device = g_ptr_array_index (devices, i);

        gtk_string_list_append (items, device->name);
        g_ptr_array_add (self->names, g_strdup (device->name));
      }

  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (items));
  g_settings_bind_with_mapping (self->settings, "input-device", self, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                get_device_mapping, set_device_mapping,
                                self, NULL);
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
cradle_device_row_dispose (GObject *object)
{
  CradleDeviceRow *self = CRADLE_DEVICE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->loaded)
    g_settings_unbind (self, "selected");

  G_OBJECT_CLASS (cradle_device_row_parent_class)->dispose (object);
}

static void
cradle_device_row_finalize (GObject *object)
{
  CradleDeviceRow *self = CRADLE_DEVICE_ROW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->names, g_ptr_array_unref);

  G_OBJECT_CLASS (cradle_device_row_parent_class)->finalize (object);
}

static void
cradle_device_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CradleDeviceRow *self = CRADLE_DEVICE_ROW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_device_row_class_init (CradleDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cradle_device_row_dispose;
  object_class->finalize = cradle_device_row_finalize;
  object_class->get_property = cradle_device_row_get_property;

  /**
   * CradleDeviceRow:loaded:
   *
   * Whether the device list has come and the row is bound to its setting.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cradle_device_row_init (CradleDeviceRow *self)
{
  self->cancellable = g_cancellable_new ();
  self->names = g_ptr_array_new_with_free_func (g_free);
}

void
cradle_device_row_bind (CradleDeviceRow *self,
                        GSettings       *settings)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CRADLE_IS_DEVICE_ROW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  /* The task holds the row until the list comes or is cancelled. */
  task = g_task_new (self, self->cancellable, list_devices_done_cb, NULL);
  g_task_set_source_tag (task, cradle_device_row_bind);
  g_task_run_in_thread (task, list_devices_thread);
}

gboolean
cradle_device_row_is_loaded (CradleDeviceRow *self)
{
  g_return_val_if_fail (CRADLE_IS_DEVICE_ROW (self), FALSE);

  return self->loaded;
}
