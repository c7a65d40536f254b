#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Line coverage of the KHO and LUO parsers, from `llvm-cov show` on stdin.

For each parser file: the lines of the functions that read an incoming
handover (INCOMING below: what the fuzz targets can reach), and of the
whole file (its outgoing side too, which no target runs). A name ending
in * stands for every function it starts (helpers split out later). A
line counts when clang instrumented it; it is covered when its count is
not zero.

    llvm-cov show -instr-profile=P BIN... | coverage.py
"""
import fnmatch
import re
import sys

# The incoming side, file by file: revival and what owners call after it.
INCOMING = {
    "kexec_handover.c": "kho_name_ok kho_fdt_u64 kho_retrieve_subtree "
                        "kho_revival_failed kho_populate kho_revive "
                        "kho_memory_init kho_init",
    "kho_scratch.c": "kho_scratch_overlap kho_scratch_inherit kho_scratch_min "
                     "kho_scratch_activate kho_scratch_adopt "
                     "kho_scratch_use_inherited kho_scratch_print "
                     "kho_scratch_kind",
    "kho_radix.c": "kho_radix_index kho_radix_leaf kho_radix_take "
                   "kho_radix_put kho_radix_test kho_radix_walk_level "
                   "kho_radix_walk",
    "kho_restore.c": "kho_in_adopt kho_in_order kho_unreserve_block "
                     "kho_unrestore_page kho_phys_page kho_restore_folio "
                     "kho_range_revived kho_restore_pages kho_mem_claim "
                     "kho_range_ram_early kho_in_covers kho_mem_revived "
                     "kho_mem_range_revived kho_mem_get_stats "
                     "kho_restore_free",
    "kho_revive.c": "kho_revive_range_ok kho_revive_table "
                    "kho_revive_undo_table kho_revive_range_done "
                    "kho_revive_run kho_range_cmp kho_sort_ranges "
                    "kho_in_ranges kho_revive_cross_table kho_revive_flags "
                    "kho_us kho_revive_reserve kho_mem_revive",
    "kho_vmalloc.c": "kho_restore_vmalloc",
    "kho_metadata.c": "kho_release_printable kho_metadata_receive",
    "kho_reserve_mem.c": "kho_rmem_blob kho_rmem_free kho_reserve_mem_find "
                         "kho_rmem_pages kho_reserve_mem_init",
    # LUO: its initcalls, and what the userspace of the next kernel runs:
    # the device, RETRIEVE_SESSION, RETRIEVE_FD, FINISH, GET_NAME, debugfs.
    "luo_core.c": "luo_fdt_u64 luo_in_parse luo_init luo_late_report "
                  "luo_open luo_release luo_ioctl luo_ioctl_session "
                  "luo_debugfs_show",
    "luo_session.c": "luo_session_find luo_session_file luo_ucopy "
                     "luo_ucopy_out luo_session_fd luo_session_retrieve "
                     "luo_session_release luo_session_retrieve_fd "
                     "luo_session_finish* luo_session_get_name "
                     "luo_session_ioctl luo_session_name_ok "
                     "luo_session_in_files* luo_session_load* "
                     "luo_session_deserialize* "
                     "luo_session_count luo_session_show",
    "luo_file.c": "liveupdate_enabled liveupdate_register_file_handler "
                  "luo_compatible_ok luo_file_args luo_file_incoming "
                  "luo_handler_find luo_file_retrieve luo_file_finish",
    "luo_memfd.c": "memfd_luo_check* memfd_luo_load memfd_luo_in_get "
                   "memfd_luo_in_free memfd_luo_create memfd_luo_fill "
                   "memfd_luo_retrieve memfd_luo_finish memfd_luo_init",
}


def main():
    files = {}
    cur = None
    for line in sys.stdin:
        m = re.match(r"^(\S+\.[ch]):$", line.rstrip("\n"))
        if m:
            name = m.group(1).rsplit("/", 1)[-1]
            cur = files.setdefault(name, []) if name in INCOMING else None
            continue
        m = re.match(r"^ *(\d+)\|\s*([0-9.kMG]*)\|(.*)$", line.rstrip("\n"))
        if cur is not None and m:
            cur.append((m.group(2), m.group(3)))

    print("%-20s %24s %24s" % ("file", "incoming functions", "whole file"))
    for name, want in INCOMING.items():
        lines = files.get(name)
        if not lines:
            print("%-20s %24s" % (name, "not built"))
            continue
        want = want.split()
        fun = None
        inc = [0, 0]
        tot = [0, 0]
        for count, src in lines:
            m = re.match(r"^(?:static |VISIBLE_IF_KUNIT )?[a-z].*?\b(\w+)\(",
                         src)
            if m and not src.endswith(";"):
                fun = m.group(1)
            if count:
                tot[0] += 1
                tot[1] += count != "0"
                if fun and any(fnmatch.fnmatchcase(fun, w) for w in want):
                    inc[0] += 1
                    inc[1] += count != "0"
            if src.startswith("}"):
                fun = None

        def pct(c):
            return "%d/%d lines %5.1f%%" % (c[1], c[0], 100.0 * c[1] / max(c[0], 1))
        print("%-20s %24s %24s" % (name, pct(inc), pct(tot)))


if __name__ == "__main__":
    main()
