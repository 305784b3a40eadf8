#!/usr/bin/env python3
"""Names a unity build would define twice.

scripts/test compiles its sanitizer build with CMAKE_UNITY_BUILD: each target's .cpp files are
pasted together in batches of 8, so two files of one target that define the same name in an
anonymous namespace (or as a file-scope static) of the same enclosing namespace break that build
once a new file shifts them into one batch. The dev build never sees it; this check does, for
every pair, in a second. It reads clang-format's layout (top-level names at column 0, namespaces
closed with `}  // namespace`): types, aliases, constants, and functions with the same parameter
types (overloads are fine). Exit 1 naming each pair."""
import collections
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')


def target(rel):
    """The build target a source file belongs to: files of different targets never share a batch."""
    parts = rel.split(os.sep)
    if parts[0] == 'tools':
        return 'tools/' + parts[1]
    if parts[:2] == ['tests', 'unit']:
        return 'tests/unit'
    if parts[0] == 'libcommon':
        return 'libcommon'
    return rel  # fuzz targets and benches: one file each


def param_types(text):
    """'const std::string& a, int b = 2' -> 'const std::string&,int'"""
    out = []
    for p in text.split(','):
        p = p.split('=')[0].strip()
        out.append(re.sub(r'\s*\b\w+$', '', p) if re.search(r'[\w&*>]\s+\w+$', p) else p)
    return ','.join(out)


def names(lines):
    """(kind, name, parameter types, line) of each name a file defines in an anonymous namespace or
    as a file-scope static, with its enclosing named namespaces."""
    named, anon = [], False
    for i, line in enumerate(lines):
        if m := re.match(r'^namespace ([\w:]+) \{', line):
            named.append(m.group(1))
            continue
        if re.match(r'^namespace \{', line):
            anon = True
            continue
        if re.match(r'^\}\s*// namespace', line):
            if anon:
                anon = False
            elif named:
                named.pop()
            continue
        if not (anon or line.startswith('static ')) or not line or line[0] in ' \t}#/':
            continue
        scope = '::'.join(named)
        if line.startswith('using ') and '=' not in line:
            continue  # a using-declaration names what is defined elsewhere
        if m := re.match(r'^(?:struct|class|union|enum(?:\s+class)?)\s+(\w+)', line):
            if not line.rstrip().endswith(';'):
                yield scope, 'type', m.group(1), '', i
            continue
        if m := re.match(r'^using\s+(\w+)\s*=', line):
            yield scope, 'type', m.group(1), '', i
            continue
        if line.startswith('template'):
            continue
        if (m := re.match(r'^[\w:<>,\s*&\[\]]*?\b(\w+)\s*\((.*)', line)) and '=' not in line.split('(')[0]:
            rest, j = m.group(2), i
            while ')' not in rest and j + 1 < len(lines):
                j += 1
                rest += ' ' + lines[j].strip()
            yield scope, 'function', m.group(1), param_types(rest.split(')')[0]), i
            continue
        if m := re.match(r'^[\w:<>,\s*&]*?\b(\w+)\s*(?:\[\w*\])?\s*(?:=|\{|;)', line):
            yield scope, 'name', m.group(1), '', i


defs = collections.defaultdict(list)
for top in ('libcommon', 'tools', 'tests', 'bench'):
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for f in sorted(files):
            if f.endswith('.cpp'):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                with open(path, encoding='utf-8', errors='replace') as src:
                    for scope, kind, name, params, line in names(src.read().split('\n')):
                        defs[(target(rel), scope, kind, name, params)].append((rel, line + 1))

bad = 0
for (tgt, scope, kind, name, params), where in sorted(defs.items()):
    if len({rel for rel, _ in where}) > 1:
        bad = 1
        places = ', '.join(f'{rel}:{line}' for rel, line in where)
        print(f"unity: {kind} '{scope + '::' if scope else ''}{name}' is defined in more than one file of {tgt}: "
              f'{places} (one unity batch cannot hold both: rename one)')
sys.exit(bad)
