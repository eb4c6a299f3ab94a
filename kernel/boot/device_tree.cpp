// Reads the machine description OpenSBI hands over (via libfdt).
#include <cstring>

extern "C" {
#include <libfdt.h>
}

#include "boot_info.hpp"

namespace rt {

BootInfo g_boot_info;

namespace {

uint64_t read_cells(const fdt32_t* p, int cells) {
    uint64_t v = 0;
    for (int i = 0; i < cells; ++i) v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

// The first (base, size) of a node's reg property, using the root's cell sizes.
bool node_reg(const void* fdt, int node, uint64_t& base, uint64_t& size) {
    int parent = fdt_parent_offset(fdt, node);
    int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
    int len;
    auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
    if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (ac + sc) * 4) return false;
    base = read_cells(reg, ac);
    size = read_cells(reg + ac, sc);
    return true;
}

uint32_t node_u32(const void* fdt, int node, const char* prop, uint32_t fallback) {
    int len;
    auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, prop, &len));
    return p && len >= 4 ? fdt32_to_cpu(*p) : fallback;
}

bool node_mmio(const void* fdt, int node, MmioDevice& dev) {
    if (!node_reg(fdt, node, dev.base, dev.size)) return false;
    dev.irq = node_u32(fdt, node, "interrupts", 0);
    return true;
}

bool string_list_has(const void* fdt, int node, const char* prop, const char* word) {
    int len;
    auto* p = static_cast<const char*>(fdt_getprop(fdt, node, prop, &len));
    for (int i = 0; p && i < len; i += strlen(p + i) + 1)
        if (strcmp(p + i, word) == 0) return true;
    return false;
}

bool isa_has_sstc(const void* fdt, int cpu) {
    if (string_list_has(fdt, cpu, "riscv,isa-extensions", "sstc")) return true;
    auto* isa = static_cast<const char*>(fdt_getprop(fdt, cpu, "riscv,isa", nullptr));
    for (const char* p = isa; p && (p = strchr(p, '_')); ++p)
        if (strncmp(p + 1, "sstc", 4) == 0 && (p[5] == 0 || p[5] == '_')) return true;
    return false;
}

const char* parse_cpus(const void* fdt, uint32_t boot_hartid, BootInfo& info) {
    int cpus = fdt_path_offset(fdt, "/cpus");
    if (cpus < 0) return "no /cpus node";
    info.timebase_hz = node_u32(fdt, cpus, "timebase-frequency", 0);
    if (!info.timebase_hz) return "no timebase-frequency";
    info.hart_ids[0] = boot_hartid;
    info.hart_count = 1;
    info.has_sstc = true;
    int node;
    fdt_for_each_subnode(node, fdt, cpus) {
        const char* type = static_cast<const char*>(fdt_getprop(fdt, node, "device_type", nullptr));
        if (!type || strcmp(type, "cpu") != 0) continue;
        const char* status = static_cast<const char*>(fdt_getprop(fdt, node, "status", nullptr));
        if (status && strcmp(status, "okay") != 0) continue;
        uint64_t id, unused;
        if (!node_reg(fdt, node, id, unused)) continue;
        info.has_sstc = info.has_sstc && isa_has_sstc(fdt, node);
        if (id == boot_hartid || info.hart_count == kMaxHarts) continue;
        info.hart_ids[info.hart_count++] = static_cast<uint32_t>(id);
    }
    return nullptr;
}

// The hart whose interrupt controller has this phandle, as a logical index; -1 if none.
int hart_of_intc(const void* fdt, uint32_t phandle, const BootInfo& info) {
    int intc = fdt_node_offset_by_phandle(fdt, phandle);
    if (intc < 0) return -1;
    uint64_t id, unused;
    if (!node_reg(fdt, fdt_parent_offset(fdt, intc), id, unused)) return -1;
    for (size_t i = 0; i < info.hart_count; ++i)
        if (info.hart_ids[i] == id) return static_cast<int>(i);
    return -1;
}

void parse_plic(const void* fdt, int node, BootInfo& info) {
    node_mmio(fdt, node, info.plic);
    int len;
    auto* ie = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "interrupts-extended", &len));
    // Pairs (intc phandle, cause); the pair's position is the PLIC context number.
    for (int ctx = 0; ie && (ctx + 1) * 8 <= len; ++ctx) {
        uint32_t cause = fdt32_to_cpu(ie[2 * ctx + 1]);
        if (cause != 9) continue;  // S-mode external interrupt
        int hart = hart_of_intc(fdt, fdt32_to_cpu(ie[2 * ctx]), info);
        if (hart >= 0) info.plic_context[hart] = ctx;
    }
}

void parse_chosen(const void* fdt, BootInfo& info) {
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0) return;
    if (auto* args = static_cast<const char*>(fdt_getprop(fdt, chosen, "bootargs", nullptr)))
        info.bootargs = args;
    int len;
    if (auto* seed = static_cast<const uint8_t*>(fdt_getprop(fdt, chosen, "rng-seed", &len)); seed && len > 0) {
        info.rng_seed = seed;
        info.rng_seed_size = static_cast<size_t>(len);
    }
    auto* s = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-start", &len));
    auto* e = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-end", nullptr));
    if (s && e) {
        uint64_t start = read_cells(s, len / 4), end = read_cells(e, len / 4);
        if (end > start) info.initrd = {start, end - start};
    }
}

void parse_reserved(const void* fdt, BootInfo& info) {
    int rm = fdt_path_offset(fdt, "/reserved-memory");
    int node;
    if (rm >= 0) {
        fdt_for_each_subnode(node, fdt, rm) {
            MemRange r;
            if (info.reserved_count < kMaxReserved && node_reg(fdt, node, r.base, r.size))
                info.reserved[info.reserved_count++] = r;
        }
    }
    for (int i = 0; info.reserved_count < kMaxReserved; ++i) {
        uint64_t base, size;
        if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0 || size == 0) break;
        info.reserved[info.reserved_count++] = {base, size};
    }
}

}  // namespace

const char* parse_device_tree(const void* fdt, uint32_t boot_hartid, BootInfo& info) {
    if (fdt_check_header(fdt) != 0) return "bad device tree header";
    info.dtb_size = fdt_totalsize(fdt);
    for (auto& c : info.plic_context) c = -1;
    if (const char* err = parse_cpus(fdt, boot_hartid, info)) return err;

    int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof "memory");
    if (node < 0 || !node_reg(fdt, node, info.memory.base, info.memory.size)) return "no memory node";

    fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/soc")) {
        if (!fdt_node_check_compatible(fdt, node, "riscv,plic0") ||
            !fdt_node_check_compatible(fdt, node, "sifive,plic-1.0.0")) {
            parse_plic(fdt, node, info);
        } else if (!fdt_node_check_compatible(fdt, node, "ns16550a")) {
            if (!info.uart.base) {
                node_mmio(fdt, node, info.uart);
                info.uart_reg_shift = node_u32(fdt, node, "reg-shift", 0);
            }
        } else if (!fdt_node_check_compatible(fdt, node, "google,goldfish-rtc")) {
            node_mmio(fdt, node, info.rtc);
        } else if (!fdt_node_check_compatible(fdt, node, "sifive,test0")) {
            node_mmio(fdt, node, info.test_device);
        } else if (!fdt_node_check_compatible(fdt, node, "virtio,mmio")) {
            if (info.virtio_count < kMaxVirtio) node_mmio(fdt, node, info.virtio[info.virtio_count++]);
        }
    }
    if (!info.uart.base) return "no ns16550a UART";
    if (!info.plic.base) return "no PLIC";
    parse_chosen(fdt, info);
    parse_reserved(fdt, info);
    return nullptr;
}

}  // namespace rt
