"""The admin's history pages with values in words (`pledges.history.history_value`)."""

from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from pledges.history import history_value, parse_decision_reason


class HistoryContextHelper(HistoricalRecordContextHelper):
    """simple-history's change list entries with `history_value` applied."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return value
        return history_value(self.model, change.field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page shows values in words (`history_value`)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, *args, **kwargs):
        super().set_history_delta_changes(request, historical_records, *args, **kwargs)
        for record in historical_records:
            record.history_change_reason = change_reason_in_words(record.history_change_reason)


def change_reason_in_words(reason):
    """The change reason column: a decision (`pledges.history.decision_reason`) in words,
    nothing for none (simple-history would print "None")."""
    if not reason:
        return ""
    decided_on, decided_by = parse_decision_reason(reason)
    if decided_on is None and not decided_by:
        return reason
    date = date_format(decided_on, "j F Y") if decided_on else ""
    return ", ".join(part for part in (date, decided_by) if part)
