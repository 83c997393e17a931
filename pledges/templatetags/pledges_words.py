from django import template

register = template.Library()


@register.filter
def unit(commitment, number):
    """{{ commitment|unit:n }}: the commitment's unit in the form that agrees with n."""
    return commitment.unit_for(number)


@register.filter
def decimal_comma(value):
    """{{ value|decimal_comma }}: an indicator's Decimal as a reader writes it (12,5)."""
    from pledges.problems import number

    return number(value)


@register.filter
def year_or_day(day):
    """{{ indicator.baseline_period|year_or_day }}: "2024" for a year's first day."""
    from pledges.problems import year_or_day as words

    return words(day)
