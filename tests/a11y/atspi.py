"""The window's accessibility tree as a screen reader reads it: through
AT-SPI (pyatspi) on the bus in DBUS_SESSION_BUS_ADDRESS.

  atspi.py tree   one JSON line per object of the web page:
                  {"role", "name", "text", "states", "attributes", "depth"}

Exit 0; 1 with a line on stderr when no web page is found in 30 s.
"""

import json
import sys
import time

import pyatspi


def documents():
    """The web documents of every application on the bus."""
    found = []
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None:
            continue
        found += pyatspi.utils.findAllDescendants(
            app, lambda o: o is not None and o.getRole() == pyatspi.ROLE_DOCUMENT_WEB
        )
    return found


def attributes(obj):
    try:
        return dict(a.split(":", 1) for a in obj.getAttributes() if ":" in a)
    except Exception:
        return {}


def text(obj):
    try:
        return obj.queryText().getText(0, -1)
    except Exception:
        return ""


def describe(obj, depth):
    states = obj.getState().getStates()
    return {
        "role": obj.getRoleName(),
        "name": obj.name or "",
        "states": sorted(pyatspi.stateToString(s) for s in states),
        "text": text(obj),
        "attributes": attributes(obj),
        "depth": depth,
    }


def walk(obj, depth=0):
    yield describe(obj, depth)
    for child in obj:
        if child is not None:
            yield from walk(child, depth + 1)


def wait_for_document():
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = documents()
        if found:
            return found[0]
        time.sleep(0.2)
    print("no web page on the accessibility bus in 30 s", file=sys.stderr)
    sys.exit(1)


def tree():
    for line in walk(wait_for_document()):
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["tree"]:
        tree()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
