package engine

import "fmt"

// mapPrivate gives v a copy-on-write replica of the whole team memory.
func (t *TeamMemory) mapPrivate(v memView, end int64) error {
	return fmt.Errorf("team memory: private mode: not implemented")
}
