// Package omp is the host half of FaasMP, faasm's OpenMP runtime: the
// threads of a job (one Faaslet each, started once and parked between
// parallel regions), futex-style blocking for the guest's barriers and locks,
// and how a failure in any thread ends the job. It knows nothing of wasm:
// runtime/host/faasmp adapts guest calls to it and runtime/job wires it to
// the engine.
//
// Division of labour (see RATIONALE.md, "Why OpenMP runs in the guest"):
// libfaasmp implements the LLVM OpenMP ABI in C with wasm atomics on the
// team's shared memory. Forks, joins, barriers and uncontended locks never
// leave the guest; a thread that has spun for a while blocks in the host,
// and the thread that releases it calls in to wake it only when someone
// sleeps. With shared memory the sleep is the kernel's futex on the guest
// word itself (Futex.WaitWord/NotifyWord); private mode compares the host's
// copy of the word and sleeps on a channel (Futex.Wait/Notify).
package omp
