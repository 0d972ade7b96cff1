package op

import "testing"

// TestTablesCoverPredefined: the tables indexed by op id are sized by
// maxPredefinedID, which must follow the list of predefined ops, and hold
// exactly the kernels registered.
func TestTablesCoverPredefined(t *testing.T) {
	if len(Predefined) != maxPredefinedID || Predefined[len(Predefined)-1].ID() != maxPredefinedID {
		t.Fatalf("%d predefined ops, last id %d; maxPredefinedID is %d", len(Predefined), Predefined[len(Predefined)-1].ID(), maxPredefinedID)
	}
	n := 0
	for o := range kernelTab {
		for id := range kernelTab[o] {
			if kernelTab[o][id] != nil {
				n++
			}
		}
	}
	if n != len(kernels) {
		t.Fatalf("kernelTab holds %d kernels, the registry %d", n, len(kernels))
	}
	for o, kinds := range allowed {
		for _, k := range kinds {
			if allowedKinds[o.id]&(1<<k) == 0 {
				t.Errorf("%v on kind %d: allowed, but not in allowedKinds", o, k)
			}
		}
	}
}
