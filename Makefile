# Riptide's front door. `make run` boots the kernel in QEMU into busybox's shell; `make test`
# runs every host and guest test; `make bench` runs the benchmarks; `make busybox-tests` runs
# busybox's own test suite in the guest; `make clean` removes build/.
SMP ?= 2
MEM ?= 1G
# The kernel's command line in `make run`: busybox init (/etc/inittab starts the shell).
# APPEND= (empty) shows the kernel's demonstration instead.
APPEND ?= init=/sbin/init
# The kernel `make busybox-tests` boots: riptide, or linux (the baseline) for the goal figure.
ON ?= riptide
BUILD := build
KERNEL := $(BUILD)/riscv/kernel/kernel.elf
INITRD := $(BUILD)/riscv/initramfs.cpio
FULL_INITRD := $(BUILD)/riscv/initramfs-full.cpio

.PHONY: all setup kernel full-initramfs host run test bench busybox-tests clean FORCE

all: kernel

setup:
	@scripts/setup.sh

# Re-configured on every build so the banner's build id follows the commit.
$(BUILD)/riscv/build.ninja: FORCE | setup
	@cmake -S . -B $(BUILD)/riscv -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64.cmake \
	    -DRIPTIDE_BUILD_ID=$$(git describe --always --dirty 2>/dev/null || echo unknown) >/dev/null

$(BUILD)/host/build.ninja: | setup
	@cmake -S . -B $(BUILD)/host -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

kernel: setup $(BUILD)/riscv/build.ninja
	@ninja -C $(BUILD)/riscv -j2 --quiet

# The initramfs with Debian's programs and busybox's test suite besides the test programs and
# busybox: fetching Debian's packages is the one step that needs the network the first time.
full-initramfs: kernel
	@scripts/fetch-debian-userland.sh >/dev/null
	@ninja -C $(BUILD)/riscv -j2 --quiet initramfs-full

host: setup $(BUILD)/host/build.ninja
	@ninja -C $(BUILD)/host -j2 --quiet

run: full-initramfs
	@scripts/qemu.sh --smp $(SMP) --mem $(MEM) --timeout 0 --initrd $(FULL_INITRD) --append "$(APPEND)" \
	    -- $(KERNEL)

test: kernel host
	@scripts/test.sh

bench: kernel
	@scripts/bench.sh --smp $(SMP) --mem $(MEM)

busybox-tests: full-initramfs
	@scripts/busybox-tests.sh --kernel $(ON)

clean:
	rm -rf $(BUILD)
