# Riptide's front door. `make run` boots the kernel in QEMU; `make test` runs every host and
# guest test; `make bench` runs the benchmarks; `make clean` removes build/.
SMP ?= 2
MEM ?= 1G
BUILD := build
KERNEL := $(BUILD)/riscv/kernel/kernel.elf
INITRD := $(BUILD)/riscv/initramfs.cpio

.PHONY: all setup kernel host run test bench clean FORCE

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

host: setup $(BUILD)/host/build.ninja
	@ninja -C $(BUILD)/host -j2 --quiet

run: kernel
	@scripts/qemu.sh --smp $(SMP) --mem $(MEM) --timeout 0 --initrd $(INITRD) -- $(KERNEL)

test: kernel host
	@scripts/test.sh

bench: kernel
	@scripts/bench.sh --smp $(SMP) --mem $(MEM)

clean:
	rm -rf $(BUILD)
