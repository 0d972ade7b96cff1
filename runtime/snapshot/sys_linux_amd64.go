package snapshot

// The syscall package predates memfd_create and has no number for it; the
// raw number keeps this package free of golang.org/x/sys (and so of go.mod
// edits that other packages would have to agree on).
const sysMemfdCreate = 319

const sysUserfaultfd = 323
