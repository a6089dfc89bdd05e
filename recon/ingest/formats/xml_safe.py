"""Parse a provider's XML file with entity expansion, DTDs and network access refused.

A bank file comes from outside: a billion-laughs or external-entity document must be refused
before it can eat memory or reach the network. ISO 20022 messages never need a DTD, so any
DTD is refused outright (defusedxml, `forbid_dtd=True`).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_tree

from recon.errors import UnreadableFileError


def parse_xml(path: Path) -> Element:
    """The document's root element; UnreadableFileError (one line, naming the file) when the
    file is not well-formed or declares a DTD, an entity or an external reference."""
    try:
        return safe_tree.parse(
            str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ).getroot()
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden) as err:
        raise UnreadableFileError(
            path,
            "refused: the XML declares a DTD or entities (entity-expansion and external-entity"
            f" protection; ISO 20022 files need neither): {type(err).__name__}",
        ) from None
    except defusedxml.ExternalReferenceForbidden:
        raise UnreadableFileError(
            path, "refused: the XML refers to an external resource (external-entity protection)"
        ) from None
    except ParseError as err:
        position = getattr(err, "position", None)
        line = position[0] if position else None
        raise UnreadableFileError(path, f"not well-formed XML: {err}", line=line) from None
