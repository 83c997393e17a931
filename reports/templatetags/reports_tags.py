from decimal import Decimal

from django import template

from reports.exports import display_cell

register = template.Library()


@register.filter
def report_cell(value):
    return display_cell(value)


@register.filter
def is_number(value):
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)
