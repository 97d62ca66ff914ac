/* cradle-event-row.c — one monitor event in the Monitor page's timeline
 *
 * Signals: ::false-alarm () and ::correct-cause (label), emitted by the
 * row's actions event.false-alarm and event.correct-cause(s).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cradle-event-row.h"

struct _CradleEventRow
{
  AdwActionRow     parent_instance;

  CradleEventInfo *info;
};

G_DEFINE_FINAL_TYPE (CradleEventRow, cradle_event_row, ADW_TYPE_ACTION_ROW)

enum {
  SIGNAL_FALSE_ALARM,
  SIGNAL_CORRECT_CAUSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cradle_event_info_free (CradleEventInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->started, g_date_time_unref);
  g_free (info->cause);
  g_free (info->label);
  g_free (info);
}

static void
cradle_event_row_false_alarm_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_FALSE_ALARM], 0);
}

static void
cradle_event_row_correct_cause_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_CORRECT_CAUSE], 0, g_variant_get_string (parameter, NULL));
}

static void
cradle_event_row_finalize (GObject *object)
{
  CradleEventRow *self = CRADLE_EVENT_ROW (object);

  cradle_event_info_free (self->info);

  G_OBJECT_CLASS (cradle_event_row_parent_class)->finalize (object);
}

static void
cradle_event_row_class_init (CradleEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cradle_event_row_finalize;

  signals[SIGNAL_FALSE_ALARM] =
    g_signal_new ("false-alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CORRECT_CAUSE]
      = g_signal_new ("correct-cause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "event.false-alarm", NULL,
                                   cradle_event_row_false_alarm_action);
  gtk_widget_class_install_action (widget_class, "event.correct-cause", "s",
                                   cradle_event_row_correct_cause_action);
}

static void
cradle_event_row_init (CradleEventRow *self)
{
}

static char *
describe_review (const CradleEventInfo *info)
{
  switch (info->label_status)
    {
    case CRADLE_LABEL_STATUS_CONFIRMED:
      if (g_strcmp0 (info->label, "background") == 0)
        return g_strdup (_("False alarm"));
      /* Translators: %s is the cry label a person confirmed. */
      return g_strdup_printf (_("Confirmed: %s"), info->label);
    case CRADLE_LABEL_STATUS_PREDICTED:
      return g_strdup (_("Not reviewed"));
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      return g_strdup (_("Reviewed: cause unknown"));
    case CRADLE_LABEL_STATUS_NONE:
    default:
      return g_strdup (_("Not labelled"));
    }
}

GtkWidget *
cradle_event_row_new (CradleEventInfo    *info,
                      const char * const *cry_labels)
{
  CradleEventRow *self;
  g_autofree char *time = NULL;
  g_autofree char *title = NULL;
  g_autofree char *review = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *open, *false_alarm, *cause_button, *box;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (CRADLE_TYPE_EVENT_ROW, NULL);
  self->info = info;

  time = g_date_time_format (info->started, "%X");
  if (info->seconds >= 0)
    /* Translators: an event's start time and its length in seconds. */
    title = g_strdup_printf (_("%s · %.0f s"), time, info->seconds);
  else
    title = g_strdup (time);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  if (info->cause != NULL)
    /* Translators: the estimated cause and its probability. */
    g_string_append_printf (subtitle, _("%s (%.0f %%)"), info->cause, 100.0 * info->cause_proba);
  else
    g_string_append (subtitle, _("Cause unknown"));
  if (info->confidence >= 0)
    {
      g_string_append (subtitle, " · ");
      /* Translators: the detector's peak confidence that it was crying. */
      g_string_append_printf (subtitle, _("confidence %.0f %%"), 100.0 * info->confidence);
    }
  review = describe_review (info);
  g_string_append (subtitle, " · ");
  g_string_append (subtitle, review);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  open = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (open, _("Open in the Spectrogram"));
  gtk_widget_add_css_class (open, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.open-recording");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "x", info->recording_id);
  gtk_box_append (GTK_BOX (box), open);

  false_alarm = gtk_button_new_with_mnemonic (_("_False Alarm"));
  gtk_widget_set_tooltip_text (false_alarm, _("Label the clip as background noise"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (false_alarm), "event.false-alarm");
  gtk_box_append (GTK_BOX (box), false_alarm);

  for (guint i = 0; cry_labels != NULL && cry_labels[i] != NULL; i++)
    {
      g_autofree char *detailed = g_strdup_printf ("event.correct-cause('%s')", cry_labels[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (cry_labels[i], detailed);

      g_menu_append_item (menu, item);
    }
  cause_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (cause_button), _("Correct Cause"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (cause_button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (cause_button, _("Confirm the clip with the right cry label"));
  gtk_box_append (GTK_BOX (box), cause_button);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  return GTK_WIDGET (self);
}

const CradleEventInfo *
cradle_event_row_get_info (CradleEventRow *self)
{
  g_return_val_if_fail (CRADLE_IS_EVENT_ROW (self), NULL);

  return self->info;
}
