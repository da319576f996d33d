"""The window's accessibility tree as a screen reader reads it: through
AT-SPI (pyatspi) on the bus in DBUS_SESSION_BUS_ADDRESS.

  atspi.py tree   one JSON line per object of the web page:
                  {"role", "name", "text", "states", "attributes", "depth"}
  atspi.py announced TEXT
                  listens as a screen reader does for a live region's
                  news (Orca speaks a change inside a region marked
                  `live`/`container-live`: a child added, text inserted,
                  or an announcement) and prints the first that says TEXT:
                  {"event", "role", "live", "said"}; "listening" first.

Exit 0; 1 with a line on stderr when no web page is found in 30 s, or
nothing announced TEXT within 60 s.
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


def live(obj):
    """The politeness of the live region `obj` is in, or None."""
    found = attributes(obj)
    return found.get("container-live") or found.get("live")


def said_by(event):
    """What a screen reader would speak of this event."""
    if event.type.startswith("object:text-changed:insert") or event.type.startswith(
        "object:announcement"
    ):
        return str(event.any_data or "")
    child = event.any_data
    if event.type.startswith("object:children-changed:add") and child is not None:
        spoken = text(child) or child.name or ""
        return spoken or text(event.source)
    return ""


def announced(expected):
    from gi.repository import GLib

    wait_for_document()
    heard = []

    def on_event(event):
        try:
            politeness = live(event.source)
            said = said_by(event)
        except Exception:
            return
        if politeness and politeness != "off" and expected in said:
            heard.append(
                {
                    "event": event.type,
                    "role": event.source.getRoleName(),
                    "live": politeness,
                    "said": said,
                }
            )
            pyatspi.Registry.stop()

    pyatspi.Registry.registerEventListener(
        on_event,
        "object:children-changed",
        "object:text-changed",
        "object:announcement",
    )
    GLib.timeout_add_seconds(60, lambda: pyatspi.Registry.stop())
    GLib.idle_add(lambda: print(json.dumps("listening"), flush=True) and False)
    pyatspi.Registry.start()
    if not heard:
        print(f"nothing announced {expected!r} in 60 s", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(heard[0], ensure_ascii=False), flush=True)


def tree():
    for line in walk(wait_for_document()):
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["tree"]:
        tree()
    elif sys.argv[1:2] == ["announced"] and len(sys.argv) == 3:
        announced(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
