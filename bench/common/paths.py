"""Paths as a result file records them: relative to the repository's root.

A result names the checkout it ran in only by accident (its --out, the agent jar on a JVM's
command line, the launcher it copied), and an absolute path ties the file to one machine and
one directory: every writer under bench/ passes what it records through repo_relative() first.
Measured numbers are never strings, so nothing but the paths changes.
"""

import re


def repo_relative(value, repo):
    """value with the absolute path of the checkout `repo` made relative to it, in every string:
    REPO/launcher/x becomes launcher/x and REPO itself '.'. Dicts, lists and tuples are walked
    (a tuple comes back as a list, as JSON has it); anything else is returned as it is."""
    root = repo.rstrip("/")
    pattern = re.compile(re.escape(root) + r"(/|(?![\w.-]))")

    def rewrite(v):
        if isinstance(v, str):
            return pattern.sub(lambda m: "" if m.group(1) == "/" else ".", v)
        if isinstance(v, dict):
            return {rewrite(k): rewrite(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [rewrite(x) for x in v]
        return v

    return rewrite(value)
