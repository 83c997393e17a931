from django import template

register = template.Library()


@register.filter
def unit(commitment, number):
    """{{ commitment|unit:n }}: the commitment's unit in the form that agrees with n."""
    return commitment.unit_for(number)
