"""`python -m generator …` and the `guidebook` script → the command line, answering a signal from
the first instant.

Importing the command line takes a third of a second; SIGINT or SIGTERM in that time ends it
quietly with 130 or 143 and one line, never a traceback. While the command runs, `cli.main`
handles the signals itself; once it has finished, they are ignored and the process exits with
the command's status at once (os._exit after flushing its output).
"""
import contextlib
import os
import signal
import sys


def _outside_the_command(signum, frame):
    for stream in (sys.stdout, sys.stderr):  # what a finished command printed is kept
        with contextlib.suppress(Exception):  # a write this signal cut into: exiting all the same
            stream.flush()
    os.write(2, f"guidebook: interrupted by {signal.Signals(signum).name}; it was not changing anything "
                "at that moment\n".encode())
    os._exit(128 + signum)


def run() -> int:
    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, _outside_the_command)
    from .cli import main
    status = main()
    # Finished: a later signal changes nothing, and Python's own shutdown (which puts the default
    # handlers back, so a signal then would kill the process without a word) is skipped.
    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(run())
