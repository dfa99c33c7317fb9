import time

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


class FastSelect(forms.Select):
    """A <select> rendered in Python instead of one template per <option>.

    Django renders every option through its own template; a list page's filter form with a
    few hundred options spends most of its rendering time there. Same markup, same attributes;
    option groups fall back to Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self._choice_pairs()
        if choices is None:  # option groups
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((raw, SELECTED if raw in selected else "", label) for raw, label in choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)

    #: Set per request (e.g. to (user id, field name)) to keep the option list for
    #: CHOICES_TTL seconds in this process.
    cache_key = None

    def _choice_pairs(self):
        if self.cache_key is None:
            return self._fresh_pairs()
        return kept((*self.cache_key, get_language()), self._fresh_pairs)

    def _fresh_pairs(self):
        # A model choice field iterates its queryset through a server-side cursor (three round
        # trips on PostgreSQL); one plain query is cheaper for the short lists of a filter form.
        if isinstance(self.choices, ModelChoiceIterator):
            field = self.choices.field
            pairs = [] if field.empty_label is None else [("", field.empty_label)]
            pairs += [
                (field.prepare_value(obj), field.label_from_instance(obj))
                for obj in list(self.choices.queryset)
            ]
            return _flat(pairs)
        return _flat(self.choices)


# Option lists of filter forms, per process: a list page should not query (and translate) its
# reference lists — programmes, tracks, coaches, municipalities — on every request. A key that
# depends on a user's reach holds the data version that a change of reach moves on commit
# (participants.counting, subsidies.counting), so such a list is read anew at the next
# request; CHOICES_TTL is the safety net. What a user may *see* is unaffected: rows are always
# filtered by the visibility functions, and a stale option finds nothing.
CHOICES_TTL = 60  # seconds
_choices_cache = {}


def kept(key, make):
    """``make()`` (an option list), kept CHOICES_TTL seconds in this process under ``key``."""
    now = time.monotonic()
    hit = _choices_cache.get(key)
    if hit is None or hit[0] < now:
        if len(_choices_cache) > 2048:
            _choices_cache.clear()
        hit = _choices_cache[key] = (now + CHOICES_TTL, make())
    return hit[1]


SELECTED = mark_safe(" selected")  # a constant, no user input


def _flat(pairs):
    """(value, label) as strings (labels translated once, when listed), or None when the
    choices have option groups (which Django's own rendering handles). Escaped when
    rendered, by format_html_join."""
    flat = []
    for value, label in pairs:
        if isinstance(label, list | tuple):
            return None
        flat.append(("" if value is None else str(value), str(label)))
    return flat


class FastInputMixin:
    """An <input> rendered in Python instead of through Django's widget templates (same
    markup): for the few inputs of a list page's filter form that render on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["type"] = self.input_type
        final_attrs["name"] = name
        value = self.format_value(value)
        if value not in (None, ""):
            final_attrs["value"] = value
        return format_html("<input{}>", flatatt(final_attrs))


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    pass
