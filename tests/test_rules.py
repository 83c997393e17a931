"""One rule per fact: an outcome that falls short carries an explanation, held by the
database (a check constraint) and refused by every form that sets an outcome."""

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from pledges.models import Commitment
from pledges.staff_forms import CommitmentAdminForm, current_version
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("outcome", ["partly", "not_fulfilled"])
def test_the_database_refuses_a_shortfall_without_explanation(outcome):
    commitment = CommitmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(outcome=outcome, outcome_explanation="")


def test_the_database_takes_fulfilled_without_explanation():
    commitment = CommitmentFactory()
    Commitment.objects.filter(pk=commitment.pk).update(outcome="fulfilled", outcome_explanation="")
    commitment.refresh_from_db()
    assert commitment.outcome == "fulfilled"


def admin_form(commitment, **changes):
    data = {k: v for k, v in model_to_dict(commitment).items() if v is not None}
    data["responsible_partners"] = []
    data["version"] = current_version(commitment)  # as the form was opened
    data.update(changes)
    return CommitmentAdminForm(data=data, instance=commitment)


@pytest.mark.parametrize("outcome", ["partly", "not_fulfilled"])
def test_the_admin_form_refuses_a_shortfall_without_explanation(outcome):
    form = admin_form(CommitmentFactory(), outcome=outcome, outcome_explanation="  ")
    assert not form.is_valid()
    assert form.errors["outcome_explanation"] == [str(Commitment.EXPLANATION_REQUIRED)]


def test_the_admin_form_takes_a_shortfall_with_explanation():
    form = admin_form(CommitmentFactory(), outcome="partly", outcome_explanation="Halva gjordes.")
    assert form.is_valid(), form.errors
