package engine

import "testing"

// prepare skips the bulk-memory rewrite if bulk.wat does not assemble, so a
// broken bulk.wat would only show as lost speed: fail here instead.
func TestBulkBodiesAssemble(t *testing.T) {
	b, err := bulkBodies()
	if err != nil || len(b[0]) == 0 || len(b[1]) == 0 {
		t.Fatalf("bulk.wat: %v (bodies %d, %d bytes)", err, len(b[0]), len(b[1]))
	}
}
