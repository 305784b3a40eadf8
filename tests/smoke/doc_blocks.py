"""The commands of README's ```sh blocks, for the checks that read README (man_examples.py)
and run it (tests/cli/readme_run.py): continuations joined, whole-line comments left out."""
import re


def sh_commands(text):
    out = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        pending = ""
        for raw in block.splitlines():
            line = pending + raw.strip()
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            if line and not line.startswith("#"):
                out.append(line)
    return out
