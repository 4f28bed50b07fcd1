# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""lab.py - what every oslab Python lab shares: its command line and its
results, the same protocol as the C labs (see labs/lab.h).  Nothing else
lives here: every fork, thread, lock, socket and event-loop call is in the
lab's own script, where a student can read it.

Command line:

    python3 NAME.py VARIANT [--option N ...]

--help, --list (one "variant<TAB>description" line each), --check (check
the line and exit 0 without running); a mistake prints one line,
"NAME: <what is wrong>; try 'NAME --help'", and exits 2.

Results: when OSLAB_RESULT_FD names an open file descriptor, result(key,
value) writes one "key=value" line to it with a single os.write(), so lines
from several threads or processes never interleave.  The chosen variant's
parameters are reported first, then what the variant measured.
"""
import os
import sys
import types

_result_fd = None


class Variant:
    """One variant: its name, one line of help, its function and its options
    with their defaults ({"threads": 4}).  run(opts) returns the exit status."""

    def __init__(self, name, help, run, takes=None):
        self.name, self.help, self.run, self.takes = name, help, run, takes or {}


class Option:
    """One option, "--name N", with its accepted range (both ends included)."""

    def __init__(self, name, lo, hi, help):
        self.name, self.lo, self.hi, self.help = name, lo, hi, help


class Lab:
    def __init__(self, name, summary, variants, options, examples):
        self.name, self.summary = name, summary
        self.variants, self.options, self.examples = variants, options, examples


def _usage_error(lab, msg):
    print(f"{lab.name}: {msg}; try '{lab.name} --help'", file=sys.stderr)
    sys.exit(2)


def _print_help(lab):
    print(f"usage: {lab.name} VARIANT [options]\n\n{lab.summary}\n\nvariants:")
    for v in lab.variants:
        defaults = ", ".join(f"--{k} {d}" for k, d in v.takes.items()) or "no options"
        print(f"  {v.name:<12} {v.help}\n  {'':<12} defaults: {defaults}")
    print("\noptions (each variant takes only the ones listed above):")
    for o in lab.options:
        print(f"  --{o.name + ' N':<16} {o.help} [{o.lo}..{o.hi}]")
    print(f"  {'-h, --help':<18} show this help")
    print(f"  {'--list':<18} print the variants, one \"name<TAB>description\" line each")
    print("\nresults: with OSLAB_RESULT_FD=N in the environment, every result is also\n"
          "written to file descriptor N as one \"key=value\" line (see labs/lab.h).\n"
          "exit status: 0 when the variant did what it shows, 1 when it did not,\n"
          "2 on a command-line mistake.")
    print(f"\nEXAMPLES:\n{lab.examples}", end="")


def _number(lab, opt, text):
    try:
        value = int(text, 10)
    except ValueError:
        _usage_error(lab, f"--{opt.name} needs a whole number, not '{text}'")
    if not opt.lo <= value <= opt.hi:
        _usage_error(lab, f"--{opt.name} must be between {opt.lo} and {opt.hi}, not {text}")
    return value


def parse(lab, argv):
    """Parse argv for lab; return (variant, opts), opts having one attribute
    per option the variant takes ("--timeout-ms" -> opts.timeout_ms).  Does
    not return on --help, --list, --check or a mistake."""
    global _result_fd

    # whole lines even when stdout is a pipe, and nothing left in a buffer
    # that a forked child would print a second time
    sys.stdout.reconfigure(line_buffering=True)
    if "-h" in argv[1:] or "--help" in argv[1:]:
        _print_help(lab)
        sys.exit(0)
    variant, given, check_only = None, {}, False
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--list":
            for v in lab.variants:
                print(f"{v.name}\t{v.help}")
            sys.exit(0)
        elif arg == "--check":
            check_only = True
        elif arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            opt = next((o for o in lab.options if o.name == name), None)
            if opt is None:
                _usage_error(lab, f"unknown option '--{name}'")
            if not eq:
                if i + 1 >= len(args):
                    _usage_error(lab, f"--{name} needs a value")
                i += 1
                value = args[i]
            given[name] = _number(lab, opt, value)
        elif arg.startswith("-") and arg != "-":
            _usage_error(lab, f"unknown option '{arg}'")
        elif variant is None:
            variant = arg
        else:
            _usage_error(lab, f"unexpected argument '{arg}' (variant is '{variant}')")
        i += 1

    if variant is None:
        print(f"{lab.name}: no variant given; choose one of:", file=sys.stderr)
        for v in lab.variants:
            print(f"  {v.name:<12} {v.help}", file=sys.stderr)
        print(f"for example '{lab.name} {lab.variants[0].name}'; try '{lab.name} --help'",
              file=sys.stderr)
        sys.exit(2)
    v = next((v for v in lab.variants if v.name == variant), None)
    if v is None:
        _usage_error(lab, f"unknown variant '{variant}'")
    for name in given:
        if name not in v.takes:
            _usage_error(lab, f"variant '{v.name}' does not take --{name}")
    values = {**v.takes, **given}
    if check_only:
        sys.exit(0)

    env = os.environ.get("OSLAB_RESULT_FD")
    if env is not None:
        try:
            _result_fd = int(env, 10)
            os.fstat(_result_fd)
        except (ValueError, OSError):
            _usage_error(lab, f"OSLAB_RESULT_FD='{env}' is not an open file descriptor")
    opts = types.SimpleNamespace()
    for name, value in values.items():
        key = name.replace("-", "_")
        setattr(opts, key, value)
        result(key, value)
    return v, opts


def result(key, value):
    """Report "key=value" on OSLAB_RESULT_FD: one os.write(), value an int."""
    if _result_fd is None:
        return
    line = f"{key}={int(value)}\n".encode()
    if os.write(_result_fd, line) != len(line):
        print(f"lab.result: short write of '{key}'", file=sys.stderr)


def main(lab):
    """Parse the command line, run the variant, exit with its status."""
    variant, opts = parse(lab, sys.argv)
    sys.exit(variant.run(opts))
