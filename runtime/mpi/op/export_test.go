package op

import "math/big"

// f128FromFloat64 is exported to the black-box tests as binary128 bytes.
func F128FromFloat64(v float64) []byte {
	b := make([]byte, 16)
	roundF128(big.NewFloat(v)).store(b)
	return b
}
