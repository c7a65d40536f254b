#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the serial log of a "make bench" guest: what a KHO kexec costs.

    bench.py [--out DIR] LOG LOADS      write DIR/bench.csv and DIR/bench.png
                                        (default DIR: build/bench), print a table
    bench.py --check LOG LOADS          the smoke test (kho_bench.sh): one line
                                        "check ok|fail DESC" per load verified
                                        and one for all figures; writes nothing

LOADS is the kho_bench.loads= of the run: the load hop H preserved, for each
hop, "none" or ORDER:PATTERN:SIZE (see guest/cases/bench.sh). The log holds
one kernel after another, each starting with "Linux version". Kernel h >= 1
(a "kernel B") gives one row, about load h-1:

  load                  the load string
  pattern, order        of the load (contig|sparse|none; 0..10|random|NA)
  preserved_kib         what test_kho of hop h-1 preserved ("KHO_TEST:
                        preserved <n> folios (<KiB> KiB)"; 0 for none)
  blocks, runs          preserved blocks, runs of them (KHO: revival line)
  radix_pages           radix table pages the blocks came from (KHO: revived)
  radix_limit           ceil(blocks / 32768): the leaf pages that one bit per
                        block needs; radix_ratio = radix_pages / radix_limit
  regions               memblock regions the blocks were reserved as
  reserved_before/after memblock.reserved regions before and after revival
  preserve_us, preserve_ns_per_block
                        test_kho's preserve step in hop h-1 (NA for none)
  kexec_load_ms         hop h-1's timed kexec -s -l
  walk_us, sort_us, reserve_us
                        the three phases of revival (KHO: revival line)
  revive_us             all of revival (KHO: revived line), and per block
                        and per run: revive_ns_per_block, revive_ns_per_run
  free_ms               from the revived line to "Memory: ...": struct page
                        init and freeing memory to the buddy allocator
  init_ms               printk time of "Run /init as init process"
  init_ratio            init_ms / the least init_ms of the "none" rows
  restore_us, restore_ns_per_block
                        test_kho's restore step in kernel h (NA for none)
  verified              PASS, FAIL, or none (test_kho had no data)

NA is a figure that does not apply or could not be found. A figure that
should be there and is not (no line, or times unknown because the clock was
not running yet) is reported, and the exit status is 1; so it is when a load
did not verify (PASS, or "none" for the load none).
"""

import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys

BANNER = re.compile(r'^\[\s*\d+\.\d+\] Linux version ')
STAMP = re.compile(r'^\[\s*(\d+\.\d+)\] (.*)$')
LOAD = re.compile(r'^(?:none|(10|[0-9]|r):(contig|sparse):[0-9]+[KMGTkmgt]?)$')
REVIVED = re.compile(r'^KHO: revived (\d+) preserved blocks \((\d+) KiB\) from (\d+) '
                     r'radix pages into (\d+) memblock regions in (\d+) us$')
REVIVAL = re.compile(r'^KHO: revival: (\d+) blocks in (\d+) runs: (?:walk (\d+) us, '
                     r'sort (\d+) us, reserve (\d+) us|times unknown \(clock not '
                     r'running yet\)); memblock\.reserved (\d+) -> (\d+) regions$')
MEMORY = re.compile(r'^Memory: \d+K/(\d+)K available')
INIT = re.compile(r'^Run /init as init process')
PRESERVED = re.compile(r'^KHO_TEST: preserved (\d+) folios \((\d+) KiB\), orders 0-(\d+), '
                       r'for the next kernel$')
TOOK = re.compile(r'^KHO_TEST: (preserve|restore) took (\d+) us for (\d+) blocks '
                  r'\((\d+) ns/block\)$')
VERDICT = re.compile(r'^KHO_TEST: (PASS|FAIL|no data)')
HOP = re.compile(r'^KHO-TEST: hop (\d+)/')
INFO = re.compile(r'^KHO-TEST: info (\S+) ?(.*)$')

BITS_PER_LEAF = 32768		# one bit per block in a 4 KiB leaf page

# Columns of the CSV, with the decimals of those that are not integers.
COLUMNS = ['load', 'pattern', 'order', 'preserved_kib', 'blocks', 'runs',
           'radix_pages', 'radix_limit', 'radix_ratio', 'regions',
           'reserved_before', 'reserved_after', 'preserve_us',
           'preserve_ns_per_block', 'kexec_load_ms', 'walk_us', 'sort_us',
           'reserve_us', 'revive_us', 'revive_ns_per_block',
           'revive_ns_per_run', 'free_ms', 'init_ms', 'init_ratio',
           'restore_us', 'restore_ns_per_block', 'verified']
DECIMALS = {'radix_ratio': 2, 'free_ms': 1, 'init_ms': 1, 'init_ratio': 3}
# Figures every row must have, and those of a load that is not "none".
ALWAYS = ['blocks', 'runs', 'radix_pages', 'regions', 'reserved_before',
          'reserved_after', 'kexec_load_ms', 'walk_us', 'sort_us',
          'reserve_us', 'revive_us', 'free_ms', 'init_ms']
LOADED = ['preserved_kib', 'preserve_us', 'preserve_ns_per_block',
          'restore_us', 'restore_ns_per_block']


def warn(msg):
    print(f'bench: {msg}', file=sys.stderr)


def kernels(path):
    """The lines of each kernel of the log, in boot order, as (time, text):
    time in seconds for printk lines, None for the others."""
    ks = []
    if not os.path.isfile(path):
        warn(f'{path}: no such log (the guest did not run?)')
        return ks
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n').replace('\r', '')
            if BANNER.match(line):
                ks.append([])
            if not ks:
                continue
            m = STAMP.match(line)
            ks[-1].append((float(m.group(1)), m.group(2)) if m else (None, line))
    return ks


def find(kernel, regex):
    """The time and match of the first line of kernel that matches regex."""
    for t, text in kernel:
        m = regex.match(text)
        if m:
            return t, m
    return None, None


def info(kernel, key):
    """What kernel's /init reported as "KHO-TEST: info <key> <value>"."""
    for _, text in kernel:
        m = INFO.match(text)
        if m and m.group(1) == key:
            return m.group(2)
    return None


def took(kernel, step):
    """us and ns/block of the line "KHO_TEST: <step> took ..." of kernel."""
    for _, text in kernel:
        m = TOOK.match(text)
        if m and m.group(1) == step:
            return int(m.group(2)), int(m.group(4))
    return None, None


def num(s):
    """s as an int; None when it is not a decimal number."""
    return int(s) if s is not None and s.isdigit() else None


def ratio(a, b, scale=1):
    """a * scale / b; None without a or b."""
    return None if a is None or not b else a * scale / b


def series(row):
    """The plot line of a row; None for the baseline."""
    if row['pattern'] == 'sparse':
        return 'sparse'
    if row['order'] == 'random':
        return 'random orders'
    if row['pattern'] == 'contig':
        return f'contig order {row["order"]}'
    return None


def measure(h, load, ks):
    """The row of kernel h, which revived load (preserved by kernel h-1), and
    the figures missing from it."""
    prev = ks[h - 1] if h - 1 < len(ks) else []
    k = ks[h] if h < len(ks) else []
    r = dict.fromkeys(COLUMNS)
    r['load'] = load
    if load == 'none':
        r['pattern'], r['order'], r['preserved_kib'] = 'none', 'NA', 0
    else:
        order, r['pattern'], _ = load.split(':')
        r['order'] = 'random' if order == 'r' else order

    said = info(prev, 'bench_load')
    if said is not None and said != load:
        warn(f'hop {h - 1} says it preserved "{said}", the load list says "{load}"')
        r['verified'] = 'mismatch'
    if load != 'none':
        _, m = find(prev, PRESERVED)
        if m:
            r['preserved_kib'] = int(m.group(2))
        r['preserve_us'], r['preserve_ns_per_block'] = took(prev, 'preserve')
    r['kexec_load_ms'] = num(info(prev, 'kexec_load_ms'))

    t_revived, m = find(k, REVIVED)
    if m:
        r['radix_pages'], r['regions'] = int(m.group(3)), int(m.group(4))
        r['revive_us'] = int(m.group(5))
    _, m = find(k, REVIVAL)
    if m:
        r['blocks'], r['runs'] = int(m.group(1)), int(m.group(2))
        r['reserved_before'], r['reserved_after'] = int(m.group(6)), int(m.group(7))
        if m.group(3) is None:
            warn(f'hop {h}: revival times unknown (clock not running yet; '
                 'tsc_early_khz= missing or not working?)')
            r['revive_us'] = None
            t_revived = None
        else:
            r['walk_us'], r['sort_us'], r['reserve_us'] = map(int, m.group(3, 4, 5))
    t_memory, _ = find(k, MEMORY)
    if t_revived is not None and t_memory is not None and t_revived > 0:
        r['free_ms'] = (t_memory - t_revived) * 1000
    t_init, _ = find(k, INIT)
    if t_init is not None:
        r['init_ms'] = t_init * 1000

    _, m = find(k, VERDICT)
    if m and r['verified'] is None:
        r['verified'] = 'none' if m.group(1) == 'no data' else m.group(1)
    if load != 'none':
        r['restore_us'], r['restore_ns_per_block'] = took(k, 'restore')

    if r['blocks'] is not None:
        r['radix_limit'] = math.ceil(r['blocks'] / BITS_PER_LEAF)
    r['radix_ratio'] = ratio(r['radix_pages'], r['radix_limit'])
    r['revive_ns_per_block'] = ratio(r['revive_us'], r['blocks'], 1000)
    r['revive_ns_per_run'] = ratio(r['revive_us'], r['runs'], 1000)

    missing = [c for c in ALWAYS + (LOADED if load != 'none' else []) if r[c] is None]
    return r, missing


def fmt(row, col):
    v = row[col]
    if v is None:
        return 'NA'
    if isinstance(v, float):
        return f'{v:.{DECIMALS.get(col, 0)}f}'
    return str(v)


def gib(row):
    return row['preserved_kib'] / 1048576 if row['preserved_kib'] is not None else None


def table(rows):
    head = ('load', 'GiB', 'blocks', 'runs', 'radix/limit', 'regions', 'revive_us',
            'ns/run', 'free_ms', 'init_ms', 'ratio', 'restore_ns/blk', 'verified')
    out = [head]
    for r in rows:
        g = gib(r)
        out.append((r['load'], 'NA' if g is None else f'{g:.2f}', fmt(r, 'blocks'),
                    fmt(r, 'runs'), f'{fmt(r, "radix_pages")}/{fmt(r, "radix_limit")}',
                    fmt(r, 'reserved_after'), fmt(r, 'revive_us'),
                    fmt(r, 'revive_ns_per_run'), fmt(r, 'free_ms'), fmt(r, 'init_ms'),
                    fmt(r, 'init_ratio'), fmt(r, 'restore_ns_per_block'),
                    fmt(r, 'verified')))
    width = [max(len(line[i]) for line in out) for i in range(len(head))]
    for line in out:
        print('  '.join(c.ljust(width[0]) if i == 0 else c.rjust(width[i])
                        for i, c in enumerate(line)).rstrip())


def plot(rows, png, title):
    """Two panels: revival time and boot-to-init ratio, against GiB."""
    gnuplot = shutil.which('gnuplot')
    if not gnuplot:
        warn(f'no gnuplot (apt-get install gnuplot-nox): {png} not written')
        return False
    # The baseline's point is that of the fastest boot without a load.
    nones = [r for r in rows if r['load'] == 'none' and r['init_ms'] is not None]
    base = min(nones, key=lambda r: r['init_ms']) if nones else None
    names = sorted({series(r) for r in rows} - {None},
                   key=lambda s: (s.startswith(('random', 'sparse')), s))
    # Revival spans milliseconds (runs of blocks) to hundreds (sparse):
    # a log scale shows both.
    panels = [('revive_us', 1 / 1000, 'revival (ms, log scale)',
               'kernel B: revival of the preserved memory', True),
              ('init_ratio', 1, 'boot to /init / that of load none',
               'kernel B: boot to /init, relative to no preservation', False)]
    terms = subprocess.run([gnuplot, '-e', 'print GPVAL_TERMINALS'],
                           capture_output=True, text=True).stderr.split()
    script = ['set terminal ' + ('pngcairo' if 'pngcairo' in terms else 'png')
              + ' size 1400,560',
              f'set output "{png}"',
              f'set multiplot layout 1,2 title "{title}"',
              'set xlabel "preserved (GiB)"', 'set key below', 'set grid',
              'set xrange [0:*]']
    for col, scale, ylabel, what, log in panels:
        script += (['set logscale y', 'set yrange [*:*]'] if log
                   else ['unset logscale y', 'set yrange [0:*]'])
        plots = []
        for i, name in enumerate(names):
            pts = [r for r in rows if series(r) == name] + ([base] if base else [])
            pts = sorted((gib(r), r[col] * scale) for r in pts
                         if gib(r) is not None and r[col] is not None)
            if not pts:
                continue
            script.append(f'${col}{i} << EOD')
            script += [f'{x:.4f} {y:.4f}' for x, y in pts]
            script.append('EOD')
            plots.append(f'${col}{i} using 1:2 with linespoints lw 2 pt 7 title "{name}"')
        script += [f'set title "{what}"', f'set ylabel "{ylabel}"']
        script.append('plot ' + (', '.join(plots) if plots
                                 else '[0:1] [0:1] 1/0 title "no figures"'))
    script.append('unset multiplot')
    p = subprocess.run([gnuplot], input='\n'.join(script) + '\n',
                       capture_output=True, text=True)
    if p.returncode == 0 and os.path.exists(png) and os.path.getsize(png) > 0:
        return True
    warn(f'gnuplot failed (exit {p.returncode}): {p.stderr.strip()}')
    return False


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true',
                    help='the smoke test: check lines, write nothing')
    ap.add_argument('--out', default=os.path.join(top, 'build', 'bench'),
                    help='where bench.csv and bench.png go (default build/bench)')
    ap.add_argument('log', help='serial log of the guest')
    ap.add_argument('loads', help='its kho_bench.loads=, comma separated')
    a = ap.parse_args()

    loads = a.loads.split(',')
    bad = [x for x in loads if not LOAD.match(x)]
    if bad:
        sys.exit(f'bench: bad load(s) {" ".join(bad)}: none or ORDER:PATTERN:SIZE')
    ks = kernels(a.log)
    if len(ks) != len(loads) + 1:
        warn(f'{a.log}: {len(ks)} kernels, {len(loads) + 1} expected')
    for h, k in enumerate(ks):
        _, m = find(k, HOP)
        if m and int(m.group(1)) != h:
            warn(f'kernel {h} of the log says it is hop {m.group(1)}')

    rows, missing = [], []
    for h, load in enumerate(loads, 1):
        r, miss = measure(h, load, ks)
        rows.append(r)
        if miss:
            missing.append(f'load {load} (hop {h - 1} -> {h}): {" ".join(miss)}')
    # The baseline is the fastest boot that revived nothing: with "none" at
    # both ends of the loads, a slow first kexec under TCG does not make
    # every later ratio look better than it is.
    bases = [r['init_ms'] for r in rows if r['load'] == 'none' and r['init_ms']]
    if not bases:
        warn('no load "none" with a boot time: no baseline, init_ratio is NA')
    for r in rows:
        r['init_ratio'] = ratio(r['init_ms'], min(bases) if bases else None)

    _, m = find(ks[0] if ks else [], MEMORY)
    mem = f'{int(m.group(1)) / 1048576:.1f} GiB guest' if m else 'guest of unknown size'
    tsc = info(ks[0], 'tsc_khz') if ks else None
    print(f'# KHO kexec benchmark: {mem}, TSC {tsc or "?"} kHz, log {a.log}')
    table(rows)

    unverified = [(h, r) for h, r in enumerate(rows, 1)
                  if r['verified'] != ('none' if r['load'] == 'none' else 'PASS')]
    if a.check:
        for h, r in enumerate(rows, 1):
            want = 'none' if r['load'] == 'none' else 'PASS'
            what = ('restore found nothing (load none)' if want == 'none'
                    else 'test_kho verified it')
            res = 'ok' if r['verified'] == want else 'fail'
            print(f'check {res} load {r["load"]} (hop {h - 1} -> {h}): {what}'
                  + ('' if res == 'ok' else f' (got {fmt(r, "verified")})'))
        print(f'check {"fail" if missing else "ok"} all figures present'
              + (f' (missing: {"; ".join(missing)})' if missing else ''))
    else:
        os.makedirs(a.out, exist_ok=True)
        path = os.path.join(a.out, 'bench.csv')
        with open(path, 'w', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(COLUMNS)
            w.writerows([fmt(r, c) for c in COLUMNS] for r in rows)
        png = os.path.join(a.out, 'bench.png')
        if os.path.exists(png):
            os.remove(png)
        if not plot(rows, png, f'KHO kexec: cost of preserved memory ({mem})'):
            missing.append(f'the plot {png}')
        print(f'# {path}' + (f', {png}' if os.path.exists(png) else ''))
    for h, r in unverified:
        warn(f'load {r["load"]} (hop {h - 1} -> {h}) not verified: {fmt(r, "verified")}')
    for m in missing:
        warn(f'missing figures: {m}')
    return 1 if missing or unverified else 0


if __name__ == '__main__':
    sys.exit(main())
