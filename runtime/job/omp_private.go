package job

import (
	"errors"

	"github.com/faasm-go/faasm/hostabi"
)

// privateSync implements --omp-memory=private synchronisation.
type privateSync struct {
	t *ompTeam
}

func newPrivateSync(t *ompTeam) *privateSync { return &privateSync{t: t} }

var errPrivateTODO = errors.New("--omp-memory=private is not implemented yet")

func (p *privateSync) Barrier(c hostabi.Caller, team uint32, n int) error { return errPrivateTODO }
func (p *privateSync) Lock(c hostabi.Caller, lock uint32) error           { return errPrivateTODO }
func (p *privateSync) Unlock(c hostabi.Caller, lock uint32) error         { return errPrivateTODO }
func (p *privateSync) ReduceRegion(c hostabi.Caller, addr, size uint32, typ, op int32) error {
	return errPrivateTODO
}
func (p *privateSync) Atomic(c hostabi.Caller, addr, size uint32, op int32, operand int64) (int64, error) {
	return 0, errPrivateTODO
}
func (p *privateSync) Cmpxchg(c hostabi.Caller, addr, size uint32, expected, desired int64) (int64, error) {
	return 0, errPrivateTODO
}
