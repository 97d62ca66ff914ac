/* cradle-recording-item.c — one recording of the dataset as a list item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cradle-recording-item.h"

struct _CradleRecordingItem
{
  GObject          parent_instance;

  CradleRecording *recording;
};

G_DEFINE_FINAL_TYPE (CradleRecordingItem, cradle_recording_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED,
  PROP_BABY,
  PROP_LABEL,
  PROP_STATUS,
  PROP_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cradle_recording_item_finalize (GObject *object)
{
  CradleRecordingItem *self = CRADLE_RECORDING_ITEM (object);

  g_clear_pointer (&self->recording, cradle_recording_free);

  G_OBJECT_CLASS (cradle_recording_item_parent_class)->finalize (object);
}

static void
cradle_recording_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CradleRecordingItem *self = CRADLE_RECORDING_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->recording->id);
      break;
    case PROP_CREATED:
      g_value_set_string (value, self->recording->created);
      break;
    case PROP_BABY:
      g_value_set_string (value, self->recording->baby_alias != NULL ? self->recording->baby_alias : "");
      break;
    case PROP_LABEL:
      g_value_set_string (value, cradle_recording_item_get_label_text (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, cradle_recording_item_get_status_text (self));
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->recording->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cradle_recording_item_class_init (CradleRecordingItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cradle_recording_item_finalize;
  object_class->get_property = cradle_recording_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CREATED] = g_param_spec_string ("created", NULL, NULL, NULL, flags);
  properties[PROP_BABY] = g_param_spec_string ("baby", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cradle_recording_item_init (CradleRecordingItem *self)
{
}

CradleRecordingItem *
cradle_recording_item_new (CradleRecording *recording)
{
  CradleRecordingItem *self;

  g_return_val_if_fail (recording != NULL, NULL);

  self = g_object_new (CRADLE_TYPE_RECORDING_ITEM, NULL);
  self->recording = recording;

  return self;
}

const CradleRecording *
cradle_recording_item_get_recording (CradleRecordingItem *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), NULL);

  return self->recording;
}

gint64
cradle_recording_item_get_id (CradleRecordingItem *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), 0);

  return self->recording->id;
}

char *
cradle_recording_item_format_created (CradleRecordingItem *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), NULL);

  utc = g_date_time_new_from_iso8601 (self->recording->created, NULL);
  if (utc == NULL)
    return g_strdup (self->recording->created);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

const char *
cradle_recording_item_get_label_text (CradleRecordingItem *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), NULL);

  if (self->recording->label != NULL)
    return self->recording->label;
  if (self->recording->label_status == CRADLE_LABEL_STATUS_DONT_KNOW)
    return _("Don’t know");
  return "—";
}

const char *
cradle_recording_item_get_status_text (CradleRecordingItem *self)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), NULL);

  switch (self->recording->label_status)
    {
    case CRADLE_LABEL_STATUS_CONFIRMED:
      return _("Confirmed");
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      return _("Reviewed");
    case CRADLE_LABEL_STATUS_PREDICTED:
      return _("Predicted");
    case CRADLE_LABEL_STATUS_NONE:
    default:
      return _("Unlabeled");
    }
}

static gboolean
folded_contains (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

gboolean
cradle_recording_item_matches (CradleRecordingItem *self,
                               const char          *folded_text)
{
  g_return_val_if_fail (CRADLE_IS_RECORDING_ITEM (self), FALSE);

  if (folded_text == NULL || folded_text[0] == '\0')
    return TRUE;
  return folded_contains (cradle_recording_item_get_label_text (self), folded_text) ||
         folded_contains (self->recording->baby_alias, folded_text) ||
         folded_contains (self->recording->notes, folded_text);
}
