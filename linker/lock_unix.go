//go:build unix

package linker

import (
	"os"
	"syscall"
)

// lockKey takes an exclusive flock on path, so concurrent processes (and
// separate Cache values in one process: flock locks belong to the open file)
// compile a key once. The lock file is left in place: deleting it would race
// with a process about to lock it.
func lockKey(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
