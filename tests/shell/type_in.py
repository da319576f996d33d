"""Types a command line into an interactive shell in a pseudo-terminal, as
a person would: the shell's completion set up by SETUP, WORDS typed, a Tab,
and once the terminal shows COMPLETED, Enter. Prints everything the
terminal showed. Never waits longer than 20 s for anything.

    python3 type_in.py SHELL SETUP WORDS COMPLETED
"""

import os
import pty
import select
import sys
import time

shell, setup, words, completed = sys.argv[1:5]
argv = {
    "bash": ["bash", "--norc", "--noprofile", "-i"],
    "zsh": ["zsh", "-f", "-i"],
    "fish": ["fish", "--no-config", "-i"],
}[shell]

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execvp(argv[0], argv)

shown = b""


def read_until(marker, limit=20.0):
    """Reads what the terminal shows until MARKER appears."""
    global shown
    deadline = time.monotonic() + limit
    while marker not in shown:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.stdout.write(shown.decode(errors="replace"))
            sys.exit(f"the terminal did not show {marker!r} within {limit} s")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                shown += os.read(fd, 65536)
            except OSError:
                break


def say(text):
    os.write(fd, text.encode())


# A marker the shell prints but the echo of what was typed does not show.
say(f"{setup}\necho SET''UP-DONE\n")
read_until(b"SETUP-DONE\r\n")
say(f"{words}\t")
read_until(completed.encode())
say("\n")
say("echo TY''PED-DONE\n")
read_until(b"TYPED-DONE\r\n")
say("exit\n")
os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace"))
