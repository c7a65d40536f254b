#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make the patch series of patches/series.txt.

    series.py TOP SRC OUT

TOP is the repository, SRC the assembled tree (build/src: a git repository
whose tag "base" is the pristine kernel and whose work tree is the whole
series), OUT the directory to write. In OUT/tree, a git work tree of SRC,
it commits the patches one by one on top of "base", then writes them with
git format-patch, and the cover letter, to OUT. The last commit must leave
exactly the assembled tree.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys

AUTHOR = "KHO team <kho@example.org>"
SIGNOFF = "Signed-off-by: " + AUTHOR
GROWN_MAKEFILE = "kernel/liveupdate/Makefile"
GROWN_KCONFIG = "kernel/liveupdate/Kconfig"
GROWN_INDEX = "Documentation/core-api/kho/index.rst"
GROWN_PROGS = "tools/testing/selftests/kho/Makefile"


def die(msg):
    sys.stderr.write("series: " + msg + "\n")
    sys.exit(1)


def git(cwd, *args, inp=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="KHO team",
               GIT_AUTHOR_EMAIL="kho@example.org",
               GIT_COMMITTER_NAME="KHO team",
               GIT_COMMITTER_EMAIL="kho@example.org",
               GIT_AUTHOR_DATE="2026-12-01T12:00:00Z",
               GIT_COMMITTER_DATE="2026-12-01T12:00:00Z")
    r = subprocess.run(["git", "-C", cwd] + list(args), input=inp,
                       capture_output=True, text=True, env=env)
    if r.returncode:
        die("git %s: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


class Patch:
    def __init__(self, subject):
        self.subject = subject
        self.files = []      # globs
        self.hooks = []
        self.kconfig = []
        self.ignore = []
        self.body = []


def parse(path):
    patches, cur, in_head = [], None, False
    for n, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if line.startswith("== "):
            cur = Patch(line[3:].strip())
            patches.append(cur)
            in_head = True
            continue
        if cur is None:
            if line and not line.startswith("#"):
                die("%s:%d: text before the first patch" % (path, n))
            continue
        if in_head:
            if not line:
                in_head = False
                continue
            key, _, val = line.partition(":")
            if key == "files":
                cur.files += val.split()
            elif key == "hooks":
                cur.hooks += val.split()
            elif key == "kconfig":
                cur.kconfig += val.split()
            elif key == "checkpatch-ignore":
                cur.ignore += val.split("--")[0].split()
            else:
                die("%s:%d: unknown field '%s'" % (path, n, key))
            continue
        cur.body.append(line)
    for p in patches:
        while p.body and not p.body[-1]:
            p.body.pop()
    return patches


def hook_message(path):
    """Subject and body of a hook patch (its part before '---')."""
    subject, body, seen = None, [], False
    for line in open(path):
        line = line.rstrip("\n")
        if line == "---":
            break
        if subject is None:
            m = re.match(r"Subject: \[PATCH\] (.*)", line)
            if m:
                subject = m.group(1)
            continue
        if not seen and not line:
            seen = True
            continue
        if line.startswith("Signed-off-by:"):
            continue
        body.append(line)
    while body and not body[-1]:
        body.pop()
    return subject, body


def kconfig_blocks(text):
    """Header lines, [(symbol, lines)], footer lines."""
    lines = text.split("\n")
    head, blocks, foot = [], [], []
    cur = None
    for line in lines:
        m = re.match(r"(menu)?config (\w+)$", line)
        if m:
            cur = (m.group(2), [line])
            blocks.append(cur)
        elif line.startswith("endmenu"):
            cur = None
            foot.append(line)
        elif foot:
            foot.append(line)
        elif cur is None:
            head.append(line)
        else:
            cur[1].append(line)
    return head, blocks, foot


def defined_symbols(tree):
    out = subprocess.run(["git", "-C", tree, "grep", "-hE",
                          r"^\s*(menu)?config [A-Z0-9_]+\s*$", "--",
                          "*Kconfig*"], capture_output=True, text=True)
    return {l.split()[-1] for l in out.stdout.splitlines()}


def grow_kconfig(final, tree, introduced):
    head, blocks, foot = kconfig_blocks(final)
    syms = defined_symbols(tree) | set(introduced)
    out = head[:]
    for sym, lines in blocks:
        if sym not in introduced:
            continue
        for l in lines:
            m = re.match(r"\s+(depends on|select)\s+(.*)$", l)
            if m:
                refs = re.findall(r"[A-Z][A-Z0-9_]+", m.group(2))
                missing = [r for r in refs if r not in syms and r not in ("y", "m", "n")]
                if missing:
                    if len(refs) > 1:
                        die("Kconfig: '%s' of %s names %s, which this prefix "
                            "does not define" % (l.strip(), sym, missing))
                    continue
            out.append(l)
    # No blank line before endmenu twice.
    while len(out) > 1 and out[-1] == "" and out[-2] == "":
        out.pop()
    return "\n".join(out + foot)


def grow_makefile(final, tree):
    out = []
    for l in final.split("\n"):
        m = re.match(r"obj-\$\(CONFIG_\w+\)\s*\+=\s*(\S+)\.o$", l)
        if m and not os.path.exists(os.path.join(
                tree, os.path.dirname(GROWN_MAKEFILE), m.group(1) + ".c")):
            continue
        if "+=" in l and not m:
            die("%s: one object per line: '%s'" % (GROWN_MAKEFILE, l))
        # An ifdef whose objects this prefix does not have yet goes too.
        if l == "endif" and out and out[-1].startswith("ifdef "):
            out.pop()
            continue
        out.append(l)
    return "\n".join(out)


def grow_index(final, tree):
    out, in_toc = [], False
    d = os.path.join(tree, os.path.dirname(GROWN_INDEX))
    for l in final.split("\n"):
        if l.startswith(".. toctree::"):
            in_toc = True
        elif in_toc and re.match(r"   [a-z]", l):
            if not os.path.exists(os.path.join(d, l.strip() + ".rst")):
                continue
        elif in_toc and l and not l.startswith(" "):
            in_toc = False
        out.append(l)
    return "\n".join(out)


def grow_progs(final, tree):
    """TEST_PROGS of a selftests Makefile: the scripts the prefix has."""
    d = os.path.join(tree, os.path.dirname(GROWN_PROGS))
    out = []
    for l in final.split("\n"):
        m = re.match(r"(TEST_PROGS\s*:=\s*)(.*)$", l)
        if m:
            progs = [f for f in m.group(2).split()
                     if os.path.exists(os.path.join(d, f))]
            l = m.group(1) + " ".join(progs)
        out.append(l)
    return "\n".join(out)


def main():
    top, src, out = (os.path.abspath(a) for a in sys.argv[1:4])
    patches = parse(os.path.join(top, "patches/series.txt"))
    tree = os.path.join(out, "tree")

    hooks = [l.split()[0] for l in open(os.path.join(top, "patches/series"))
             if l.strip() and not l.startswith("#")]
    new = git(src, "diff", "--name-only", "--diff-filter=A", "base").split()
    changed = git(src, "diff", "--name-only", "--diff-filter=M", "base").split()

    # Who claims what.
    claim = {}
    for i, p in enumerate(patches):
        files = []
        for g in p.files:
            hits = [f for f in new if fnmatch.fnmatch(f, g)]
            if not hits:
                die("patch %d (%s): '%s' matches no new file" % (i + 1, p.subject, g))
            files += hits
        p.paths = sorted(set(files))
        for f in p.paths:
            if f in claim:
                die("%s is claimed by patches %d and %d" % (f, claim[f] + 1, i + 1))
            claim[f] = i
    unclaimed = [f for f in new if f not in claim]
    if unclaimed:
        die("new files that no patch of patches/series.txt claims: " + " ".join(unclaimed))
    used = [h for p in patches for h in p.hooks]
    for h in used:
        if h not in hooks:
            die("hook %s is not in patches/series" % h)
    if sorted(used) != sorted(hooks):
        die("hook patches not applied exactly once: %s" %
            " ".join(sorted(set(hooks) ^ set(used)) or
                     [h for h in used if used.count(h) > 1]))
    # Hook patches touching the same file keep the order of patches/series.
    order = [h for h in used]
    if order != [h for h in hooks if h in order]:
        die("hooks must come in the order of patches/series")
    final_kconfig = open(os.path.join(src, GROWN_KCONFIG)).read()
    syms = [s for s, _ in kconfig_blocks(final_kconfig)[1]]
    introduced = [s for p in patches for s in p.kconfig]
    if sorted(syms) != sorted(introduced):
        die("Kconfig entries not added exactly once: %s" %
            " ".join(sorted(set(syms) ^ set(introduced))))

    # The work tree, at base: kept from the last run (resetting it rewrites
    # only what differs; a new one checks out the whole kernel).
    if os.path.exists(os.path.join(tree, ".git")):
        git(tree, "checkout", "-q", "-f", "--detach", "base")
        git(tree, "clean", "-q", "-fdx")
    else:
        shutil.rmtree(tree, ignore_errors=True)
        git(src, "worktree", "prune")
        git(src, "worktree", "add", "-q", "--detach", "--force", tree, "base")

    kconf = []
    for i, p in enumerate(patches):
        for h in p.hooks:
            r = subprocess.run(["git", "-C", tree, "apply", "--whitespace=nowarn",
                                os.path.join(top, "patches", h)],
                               capture_output=True, text=True)
            if r.returncode:
                die("patch %d: hook %s does not apply: %s" % (i + 1, h, r.stderr))
        for f in p.paths:
            dst = os.path.join(tree, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(src, f), dst)
        kconf += p.kconfig
        for f, grow in ((GROWN_MAKEFILE, lambda t: grow_makefile(t, tree)),
                        (GROWN_KCONFIG, lambda t: grow_kconfig(t, tree, kconf)),
                        (GROWN_INDEX, lambda t: grow_index(t, tree)),
                        (GROWN_PROGS, lambda t: grow_progs(t, tree))):
            if os.path.exists(os.path.join(tree, f)):
                with open(os.path.join(tree, f), "w") as fh:
                    fh.write(grow(open(os.path.join(src, f)).read()))
        if p.body:
            subject, body = p.subject, p.body
        elif len(p.hooks) == 1:
            subject, body = hook_message(os.path.join(top, "patches", p.hooks[0]))
            if subject != p.subject:
                die("patch %d: subject '%s' is not the hook's '%s'" %
                    (i + 1, p.subject, subject))
        else:
            die("patch %d (%s) needs a message" % (i + 1, p.subject))
        msg = "\n".join([subject, ""] + body + ["", SIGNOFF]) + "\n"
        git(tree, "add", "-A")
        # The base's .gitignore files may cover new files (assembly adds
        # them with -f too).
        if p.paths:
            git(tree, "add", "-f", "--", *p.paths)
        git(tree, "commit", "-q", "--allow-empty", "-F", "-", inp=msg)

    # The last patch leaves the assembled tree exactly.
    if git(tree, "diff", "--binary", "base", "HEAD") != git(src, "diff", "--binary", "base"):
        a = set(git(tree, "diff", "--name-only", "base", "HEAD").split())
        b = set(git(src, "diff", "--name-only", "base").split())
        die("the series does not reproduce the assembled tree: %s" %
            " ".join(sorted(a ^ b) or ["(same files, other contents)"]))

    # The patches and the cover letter.
    for f in os.listdir(out):
        if f.endswith(".patch"):
            os.remove(os.path.join(out, f))
    git(tree, "format-patch", "-q", "--cover-letter", "--no-signature",
        "--subject-prefix=PATCH", "-o", out, "base..HEAD")
    cover = [f for f in os.listdir(out) if f.startswith("0000-")][0]
    path = os.path.join(out, cover)
    text = open(path).read()
    tmpl = open(os.path.join(top, "patches/cover-letter.txt")).read()
    title, _, blurb = tmpl.partition("\n\n")
    blurb = blurb.replace("@FIGURES@", figures(top))
    base = ""
    bv = os.path.join(os.path.dirname(os.path.abspath(out)), "base-version")
    if os.path.exists(bv):
        kv = dict(l.split("=", 1) for l in open(bv).read().split("\n") if "=" in l)
        base = kv.get("package", "?")
    blurb = blurb.replace("@BASE@", base)
    text = text.replace("*** SUBJECT HERE ***", title.strip())
    text = text.replace("*** BLURB HERE ***", blurb.rstrip() + "\n\n" + SIGNOFF)
    open(path, "w").write(text)
    print("series: %d patches and a cover letter in %s" % (len(patches), out))


def figures(top):
    """The tested-with figures: README's Figures section and bench table."""
    readme = open(os.path.join(top, "README.md")).read()
    m = re.search(r"^## Figures\n(.*?)^## ", readme, re.S | re.M)
    figs = m.group(1).strip() if m else ""
    m = re.search(r"^Latest figures (.*?)```\n(.*?)```", readme, re.S | re.M)
    bench = ""
    if m:
        bench = "make bench, latest figures " + " ".join(m.group(1).split()) + "\n\n" + \
            "\n".join("  " + l for l in m.group(2).rstrip().split("\n"))
    return figs.replace("`", "") + "\n\n" + bench


if __name__ == "__main__":
    main()
