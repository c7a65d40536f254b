# SPDX-License-Identifier: GPL-2.0
# Kexec HandOver (KHO) for Linux 6.12 LTS: build, run and test the series.
# Everything goes under build/ (git-ignored). See README.md.

VARIANT ?= test

.PHONY: help run check bench fuzz kernel initramfs tree base selftest matrix series series-check clean distclean

help:
	@echo "make run        build the KHO kernel and show a live KHO kexec in QEMU"
	@echo "make check      every test (KTAP, ends with 'N passed, N failed')"
	@echo "make bench      what a KHO kexec costs per GiB preserved (build/bench/: CSV, plot)"
	@echo "make fuzz       fuzz the KHO and LUO parsers in user space (FUZZ_TIME=600 seconds in all)"
	@echo "make kernel     build the test kernel (VARIANT=test|$(basename $(notdir $(wildcard harness/configs/*.config))))"
	@echo "make selftest T=kexec_basic.sh   one selftest"
	@echo "make tree       assemble build/src (base + patches + new files)"
	@echo "make series     the series as git patches and a cover letter, in build/series/"
	@echo "make series-check   apply, checkpatch, kernel-doc and build every patch; boot the last"
	@echo "make clean      remove builds and logs, keep the unpacked base"
	@echo "make distclean  remove build/ entirely"

run:
	@bash harness/run.sh

check:
	@bash harness/check.sh

bench:
	@bash harness/bench.sh

fuzz:
	@bash harness/fuzz.sh

selftest:
	@bash harness/check.sh $(T)

kernel:
	@bash harness/kernel.sh $(VARIANT)

initramfs: kernel
	@bash harness/initramfs.sh build/obj/$(VARIANT)/arch/x86/boot/bzImage build/initramfs-$(VARIANT).cpio

tree:
	@bash harness/assemble.sh

base:
	@bash harness/base.sh

series:
	@bash harness/series.sh

series-check:
	@bash harness/series-check.sh

clean:
	rm -rf build/obj build/logs build/bench build/fuzz build/initramfs-*.cpio build/series

distclean:
	rm -rf build
