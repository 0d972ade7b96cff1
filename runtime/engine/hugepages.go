package engine

// Transparent huge pages for the memory a guest grows into.
//
// wasm programs get their arrays from memory.grow, so a kernel's table or
// grid lives in the part of the linear memory past its initial size. With
// 4 KiB pages the hardware prefetchers stop at every page boundary and a
// walk over tens of megabytes misses the TLB. On this project's reference
// machine (THP "madvise") MPI nstream and transpose at np 1 ran 14-20%
// faster with the advice (RATIONALE.md has the numbers); native glibc
// malloc gets no huge pages there unless asked (glibc.malloc.hugetlb).
//
// Only the growth region is advised: the initial memory holds the stack and
// static data, mostly small and sparsely touched, and part of it is
// wasmtime's copy-on-write image, which huge pages do not apply to. The
// kernel uses a huge page only for an aligned 2 MiB range that is wholly
// accessible, so a guest that grows by a few pages keeps 4 KiB pages and
// its footprint. The range starts exactly at the current size, where the
// accessible mapping already ends: rounding it up to 2 MiB would split the
// reservation's mapping once more, which made instantiation 3-5 us slower.
//
// A TeamMemory mapped over the reservation (OpenMP's shared mode) is a
// memfd, shmem, which replaces the anonymous mapping and its advice. Its
// mappings are advised again (adviseTeamHugePages), which the kernel
// follows where the host's shmem THP setting is "advise" or "always" (at
// "never", this project's reference machine's default, nothing changes).
// Each thread maps the memfd at its own address and so walks page tables
// of its own: 4 KiB pages cost a team more than one native process.
// RATIONALE.md has the measurements.

import (
	"syscall"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// wasm32Reservation is the address space wasmtime reserves for a 32-bit
// linear memory whose maximum is at most 4 GiB (its default
// memory_reservation, which this engine does not change): the memory never
// moves, and every address in [base, base+4GiB) belongs to it.
const wasm32Reservation = 4 << 30

// adviseHugePages asks the kernel for transparent huge pages over the
// part of the memory's reservation above its current size, up to its
// maximum. It is advice: a kernel without THP refuses it, and that is
// not an error for the guest.
func (f *Faaslet) adviseHugePages() {
	if f.memory == nil {
		return
	}
	ty := f.memory.Type(f.store)
	if ty.Is64() {
		return // a 64-bit memory's reservation is not wasm32Reservation
	}
	size, limit := f.memory.DataSize(f.store), memoryLimit(ty)
	if limit > size {
		base := uintptr(f.memory.Data(f.store))
		syscall.Syscall(syscall.SYS_MADVISE, base+size, limit-size, syscall.MADV_HUGEPAGE)
	}
}

// memoryLimit is how far a memory of type ty may grow: its declared
// maximum, within the 32-bit reservation.
func memoryLimit(ty *wasmtime.MemoryType) uintptr {
	limit := uint64(wasm32Reservation)
	if ok, max := ty.Maximum(); ok && max*65536 < limit {
		limit = max * 65536
	}
	return uintptr(limit)
}

// adviseTeamHugePages asks for huge pages over mem, the part of f's memory
// from offset off that was just mapped from a team's memfd, leaving out
// the memory f was instantiated with, as adviseHugePages does.
func (f *Faaslet) adviseTeamHugePages(mem []byte, off int64) {
	if !f.hugePages {
		return
	}
	if skip := f.initial - off; skip > 0 {
		if skip >= int64(len(mem)) {
			return
		}
		mem = mem[skip:]
	}
	if len(mem) > 0 {
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(unsafe.Pointer(unsafe.SliceData(mem))), uintptr(len(mem)), syscall.MADV_HUGEPAGE)
	}
}
