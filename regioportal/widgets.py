from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A <select> rendered in Python instead of one template per <option>.

    Django renders every option through its own template; a list page's filter form with a
    few hundred options spends most of its rendering time there. Same markup, same attributes;
    option groups fall back to Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self._choice_pairs()
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option,
                    mark_safe(" selected") if option in selected else "",  # noqa: S308
                    label,
                )
                for option, label in (
                    ("" if choice is None else str(choice), label) for choice, label in choices
                )
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    def _choice_pairs(self):
        # A model choice field iterates its queryset through a server-side cursor (three round
        # trips on PostgreSQL); one plain query is cheaper for the short lists of a filter form.
        if isinstance(self.choices, ModelChoiceIterator):
            field = self.choices.field
            pairs = [] if field.empty_label is None else [("", field.empty_label)]
            pairs += [
                (field.prepare_value(obj), field.label_from_instance(obj))
                for obj in list(self.choices.queryset)
            ]
            return pairs
        return list(self.choices)
