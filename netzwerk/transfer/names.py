"""The one place that knows the `name` property: a person's name when the note's title carries
more (`Thomas Müller (Robert Bosch GmbH).md` with `name: Thomas Müller`).

The adoption of existing vaults (issue 19) makes `name` a known key with its own `[keys]`
mapping; until then it is an unknown property, which netzwerk keeps and ignores. When the
two meet, only this module changes.
"""

from __future__ import annotations

from netzwerk.config import Config
from netzwerk.model import KNOWN_KEYS, Contact


def name_property(config: Config) -> str:
    """The property that holds the person's name in this vault."""
    return config.key("name") if "name" in KNOWN_KEYS else "name"


def display_name(contact: Contact, config: Config) -> str:
    """The person's name: the `name` property if the note has one, else the title."""
    # After the adoption issue the model reads `name` into `Contact.display`; until then it
    # is an unknown property, kept in `extra`.
    named = getattr(contact, "display", None) or contact.extra.get(name_property(config), "")
    return str(named).strip() or contact.name
