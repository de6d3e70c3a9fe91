"""What the boto3 check scripts of sqsim-server's tests share.

Each decorated check runs once, at its definition; its outcome is "ok" or the
failure's traceback, under its name. report() prints them all as one JSON
object, the last line of stdout, which the C++ test reads. Import this after
boto3 is known to be importable (the scripts exit with status 3 otherwise).
"""

import json
import traceback

from botocore.exceptions import ClientError

RESULTS = {}


def checks(selected=(), traceback_limit=None):
    """A decorator that runs what it decorates as a check; with `selected`,
    only the checks named there run."""

    def check(fn):
        if selected and fn.__name__ not in selected:
            return fn
        try:
            fn()
            RESULTS[fn.__name__] = "ok"
        except Exception:  # noqa: BLE001 - every failure is reported by name
            RESULTS[fn.__name__] = traceback.format_exc(limit=traceback_limit)
        return fn

    return check


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def client_error(fn, *args, **kwargs):
    """The ClientError the call raises; a failed check when it succeeds."""
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        return e
    raise AssertionError("the call succeeded but an error was expected")


def report():
    print(json.dumps(RESULTS))
