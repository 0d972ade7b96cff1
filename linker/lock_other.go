//go:build !unix

package linker

// lockKey is a no-op where flock is unavailable: concurrent processes may
// then compile the same key twice, and the atomic rename keeps the result
// correct.
func lockKey(string) (func(), error) { return func() {}, nil }
