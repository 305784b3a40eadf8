#!/usr/bin/env python3
"""man_examples.py MANDIR BINDIR [README]: every example line of every man page (and every
line of README's ```sh blocks) is a command line its tools accept. The EXAMPLES section of each
page (literal blocks: tab-indented lines, or ``` fences; a trailing backslash continues a line)
is split into commands at pipes, ; and &&; each
command that runs a ktools tool is run with KT_CHECK_ARGS=1, which makes the tool parse its
arguments and exit (0 when it takes them, 2 when not). Nothing reaches a broker."""
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

mandir, bindir = sys.argv[1], sys.argv[2]
tools = set(os.listdir(bindir))
failures, checked = [], 0


def example_lines(text):
    section = re.search(r"^# EXAMPLES\n(.*?)(?=^# |\Z)", text, re.S | re.M)
    if not section:
        return []
    lines, fenced, pending = [], False, ""
    for raw in section.group(1).splitlines():
        if raw.startswith("```"):
            fenced = not fenced
            continue
        if not (fenced or raw.startswith("\t")):
            continue
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if line:
            lines.append(line)
    return lines


from doc_blocks import sh_commands as readme_lines  # noqa: E402


sources = []
for page in sorted(os.listdir(mandir)):
    if page.endswith(".scd"):
        with open(os.path.join(mandir, page)) as f:
            # scdoc's escapes: \\ is a backslash, \* and \_ are the characters
            text = f.read().replace("\\\\", "\0").replace("\\*", "*").replace("\\_", "_").replace("\0", "\\")
        sources.append((page, example_lines(text)))
if len(sys.argv) > 3:
    with open(sys.argv[3]) as f:
        sources.append(("README.md", readme_lines(f.read())))

for page, lines in sources:
    for line in lines:
        # Command substitutions and variables stand for a value: any word will do.
        line = re.sub(r"\$\([^)]*\)", "X", line)
        line = re.sub(r"#.*$", "", line) if not re.search(r"['\"][^'\"]*#", line) else line
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
            lexer.whitespace_split = True
            words = list(lexer)
        except ValueError as e:
            failures.append(f"{page}: cannot split '{line}': {e}")
            continue
        commands, current = [], []
        for w in words:
            if w in ("|", "||", "&&", ";", "&"):
                commands.append(current)
                current = []
            elif w in ("<", ">", ">>", "2>"):
                current.append(None)  # the redirection's target follows: drop both
            else:
                current.append(w)
        commands.append(current)
        for cmd in commands:
            args = []
            skip = False
            for w in cmd:
                if w is None:
                    skip = True
                    continue
                if skip:
                    skip = False
                    continue
                args.append(w)
            if not args or args[0] not in tools:
                continue
            checked += 1
            env = dict(os.environ, KT_CHECK_ARGS="1")
            r = subprocess.run([os.path.join(bindir, args[0])] + args[1:], env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=20)
            if r.returncode != 0:
                failures.append(f"{page}: {' '.join(args)}\n    {r.stderr.strip()}")

for f in failures:
    print(f)
print(f"man-examples: {checked} example commands checked, {len(failures)} refused")
sys.exit(1 if failures or checked == 0 else 0)
