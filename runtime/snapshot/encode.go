package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
	"slices"
)

// Batch wire format (version 1), all integers unsigned LEB128 varints
// unless sized:
//
//	magic    "FDIF"
//	version  1 byte (1)
//	flags    1 byte (0; reserved)
//	count    varint
//	count times, diffs sorted by offset:
//	  delta  varint   offset minus the previous diff's offset (first: offset)
//	  kind   1 byte   bit 7: payload is zero-run coded; bits 3-6: MergeOp;
//	                  bits 0-2: DataType
//	  length varint   len(Data)
//	  payload         length bytes of data, or for Patch (length+7)/8
//	                  bytes of mask (bit i%8 of byte i/8 set for each
//	                  byte i written; the bits past length are zero),
//	                  either as they are or
//	                  zero-run coded: varint size, then size bytes of tokens
//	                  {varint n, n literal bytes, varint z zero bytes}
//	                  (z <= 4096, or 448 in a mask; a token is never
//	                  empty) expanding to exactly the payload's length
//	  packed          Patch only: the written bytes of data, in order, one
//	                  per set bit of the mask
//	  base            length bytes, only for ops that need B0
//	crc32c   4 bytes, little endian, of everything before it
//
// Zero-run coding pays for Xor diffs and Patch masks: the unchanged bytes
// inside a diff coalesced across gaps are zero. The encoder uses it for a
// diff only when it saves at least an eighth of the payload. A Patch diff
// carries only the bytes it writes, so its unmasked Data bytes decode as
// zeros whatever they were.

const (
	batchMagic   = "FDIF"
	batchVersion = 1
	// maxZeroRun caps one token's zero run so that decoding can expand input
	// by at most ~1365x: a small hostile message cannot make the decoder
	// allocate gigabytes.
	maxZeroRun = 4096
	// maxMaskZeroRun is maxZeroRun for a Patch mask, each byte of which
	// stands for nine decoded bytes (itself and eight of data): a token of
	// at most three bytes then still expands to under 1366 times its size.
	maxMaskZeroRun = 448
	kindRLE        = 0x80
	headerLen      = len(batchMagic) + 2
	crcLen         = 4
	// minDiffLen is the fewest bytes a diff can encode to (delta, kind,
	// length); it bounds the count a message may claim.
	minDiffLen = 3
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Encode serialises a batch. Diffs are written sorted by offset (the input
// is not modified); every diff must be valid (Diff.Validate).
func Encode(b Batch) ([]byte, error) {
	order := make([]int, len(b))
	for i := range order {
		order[i] = i
	}
	if !slices.IsSortedFunc(b, func(x, y Diff) int { return cmpU64(x.Offset, y.Offset) }) {
		slices.SortStableFunc(order, func(i, j int) int { return cmpU64(b[i].Offset, b[j].Offset) })
	}
	size := headerLen + binary.MaxVarintLen64 + crcLen
	for i := range b {
		if err := b[i].Validate(); err != nil {
			return nil, err
		}
		size += 3*binary.MaxVarintLen64 + 1 + len(b[i].Data) + len(b[i].Base) + len(b[i].Mask)
	}
	out := make([]byte, 0, size)
	out = append(out, batchMagic...)
	out = append(out, batchVersion, 0)
	out = binary.AppendUvarint(out, uint64(len(b)))
	var prev uint64
	for _, i := range order {
		d := &b[i]
		out = binary.AppendUvarint(out, d.Offset-prev)
		prev = d.Offset
		kind := byte(d.Op)<<3 | byte(d.Type)
		payload, maxRun := d.Data, maxZeroRun
		if d.Op == Patch {
			payload, maxRun = d.Mask, maxMaskZeroRun
		}
		rleSize := zeroRunSize(payload, maxRun)
		useRLE := rleSize >= 0 && rleSize+binary.MaxVarintLen64 < len(payload)-len(payload)/8
		if useRLE {
			kind |= kindRLE
		}
		out = append(out, kind)
		out = binary.AppendUvarint(out, uint64(len(d.Data)))
		if useRLE {
			out = binary.AppendUvarint(out, uint64(rleSize))
			out = appendZeroRuns(out, payload, maxRun)
		} else {
			out = append(out, payload...)
		}
		if d.Op == Patch {
			out = appendMasked(out, d.Data, d.Mask)
		}
		out = append(out, d.Base...)
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli)), nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// minZeroRun is the shortest zero run worth a token boundary (a token costs
// two or three bytes).
const minZeroRun = 4

// appendMasked appends the bytes of data whose mask bit is set.
func appendMasked(out, data, mask []byte) []byte {
	for k, m := range mask {
		i := 8 * k
		if m == 0xff && i+8 <= len(data) {
			out = append(out, data[i:i+8]...)
			continue
		}
		for j := i; m != 0; j, m = j+1, m>>1 {
			if m&1 != 0 {
				out = append(out, data[j])
			}
		}
	}
	return out
}

// zeroRuns calls fn for each token (literal bytes, zero count) of data. It
// scans a word at a time: only runs of at least minZeroRun zeros split
// literals, and no token has more than maxRun zeros.
func zeroRuns(data []byte, maxRun int, fn func(lit []byte, zeros int)) {
	litStart := 0
	i := 0
	n := len(data)
	for i < n {
		if data[i] != 0 {
			// Skip non-zero words fast.
			if i+8 <= n && !hasZeroByte(binary.LittleEndian.Uint64(data[i:])) {
				i += 8
			} else {
				i++
			}
			continue
		}
		j := i
		for j+8 <= n && binary.LittleEndian.Uint64(data[j:]) == 0 {
			j += 8
		}
		for j < n && data[j] == 0 {
			j++
		}
		if j-i < minZeroRun && j < n {
			i = j
			continue
		}
		zeros := j - i
		lit := data[litStart:i]
		for zeros > maxRun {
			fn(lit, maxRun)
			lit = nil
			zeros -= maxRun
		}
		fn(lit, zeros)
		litStart, i = j, j
	}
	if litStart < n {
		fn(data[litStart:], 0)
	}
}

// zeroRunSize is the size of data's token stream.
func zeroRunSize(data []byte, maxRun int) int {
	if len(data) < 16 {
		return -1
	}
	size := 0
	zeroRuns(data, maxRun, func(lit []byte, zeros int) {
		size += uvarintLen(uint64(len(lit))) + len(lit) + uvarintLen(uint64(zeros))
	})
	return size
}

func appendZeroRuns(out, data []byte, maxRun int) []byte {
	zeroRuns(data, maxRun, func(lit []byte, zeros int) {
		out = binary.AppendUvarint(out, uint64(len(lit)))
		out = append(out, lit...)
		out = binary.AppendUvarint(out, uint64(zeros))
	})
	return out
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// ErrCorrupt wraps every decoding failure.
var ErrCorrupt = errors.New("snapshot: corrupt diff batch")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Decode parses a batch made by Encode. It never panics on hostile input
// and allocates at most a small constant times len(msg): a first pass
// checks the whole message (checksum, structure, every diff's shape) and
// sizes one buffer that all the diffs' Data and Base then share.
func Decode(msg []byte) (Batch, error) {
	if len(msg) < headerLen+1+crcLen {
		return nil, corrupt("%d bytes is too short", len(msg))
	}
	if string(msg[:4]) != batchMagic {
		return nil, corrupt("bad magic %q", msg[:4])
	}
	if msg[4] != batchVersion {
		return nil, corrupt("unsupported version %d", msg[4])
	}
	if msg[5] != 0 {
		return nil, corrupt("unknown flags %#x", msg[5])
	}
	body := msg[:len(msg)-crcLen]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(msg[len(body):]) {
		return nil, corrupt("checksum mismatch")
	}
	r := reader{buf: body, pos: headerLen}
	count, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if count > uint64(r.remaining()/minDiffLen) {
		return nil, corrupt("claims %d diffs in %d bytes", count, r.remaining())
	}
	start := r.pos
	total, err := decodeDiffs(&r, int(count), nil, nil)
	if err != nil {
		return nil, err
	}
	if r.remaining() != 0 {
		return nil, corrupt("%d trailing bytes", r.remaining())
	}
	out := make(Batch, count)
	store := make([]byte, total)
	r.pos = start
	if _, err := decodeDiffs(&r, int(count), out, store); err != nil {
		return nil, err // cannot happen: the first pass accepted the same bytes
	}
	return out, nil
}

// decodeDiffs walks count diffs. With out == nil it only validates and
// returns the bytes the payloads need; otherwise it fills out, carving Data
// and Base from store.
func decodeDiffs(r *reader, count int, out Batch, store []byte) (int, error) {
	total := 0
	var offset uint64
	for i := 0; i < count; i++ {
		delta, err := r.uvarint()
		if err != nil {
			return 0, err
		}
		if offset+delta < offset {
			return 0, corrupt("diff %d: offset overflows", i)
		}
		offset += delta
		kind, err := r.byte()
		if err != nil {
			return 0, err
		}
		length, err := r.uvarint()
		if err != nil {
			return 0, err
		}
		d := Diff{Offset: offset, Type: DataType(kind & 7), Op: MergeOp(kind >> 3 & 0xf)}
		if !validOp(d.Type, d.Op) || d.Op == Ignore {
			return 0, corrupt("diff %d: op %s on %s", i, d.Op, d.Type)
		}
		if length == 0 || length%uint64(d.Type.Size()) != 0 {
			return 0, corrupt("diff %d: bad length %d for %s", i, length, d.Type)
		}
		if offset+length < offset {
			return 0, corrupt("diff %d: end overflows", i)
		}
		// Every byte of a raw payload and of the base is in the message; a
		// zero-run payload expands by a bounded factor, checked token by
		// token. This coarser bound holds for both, and keeps n and pn from
		// overflowing an int.
		if length > uint64(r.remaining())*(maxZeroRun+1) {
			return 0, corrupt("diff %d: %d bytes cannot fit in %d", i, length, r.remaining())
		}
		n := int(length)
		// A Patch diff's payload is its mask (a sparse diff's mask is
		// mostly zeros); the bytes it writes follow, packed.
		pn, maxRun := n, maxZeroRun
		if d.Op == Patch {
			pn, maxRun = maskLen(n), maxMaskZeroRun
		}
		if kind&kindRLE == 0 && uint64(pn) > uint64(r.remaining()) {
			return 0, corrupt("diff %d: %d bytes past the end", i, pn)
		}
		var data, payload []byte
		if out != nil {
			data, store = store[:n:n], store[n:]
			payload = data
			if d.Op == Patch {
				d.Mask, store = store[:pn:pn], store[pn:]
				payload = d.Mask
			}
		}
		var last byte // the payload's last byte
		ones := 0     // its set bits, for a mask
		if kind&kindRLE != 0 {
			if last, ones, err = r.zeroRuns(pn, payload, maxRun); err != nil {
				return 0, fmt.Errorf("diff %d: %w", i, err)
			}
		} else {
			p, _ := r.take(pn)
			copy(payload, p)
			last = p[pn-1]
			if d.Op == Patch {
				ones = popCount(p)
			}
		}
		total += n
		if d.Op == Patch {
			total += pn
			if rem := n % 8; rem != 0 && last>>rem != 0 {
				return 0, corrupt("diff %d: mask has bits set past its %d bytes of data", i, n)
			}
			packed, err := r.take(ones)
			if err != nil {
				return 0, err
			}
			if out != nil {
				scatterMasked(data, d.Mask, packed)
			}
		}
		if d.Op.NeedsBase() {
			p, err := r.take(n)
			if err != nil {
				return 0, err
			}
			if out != nil {
				d.Base, store = store[:n:n], store[n:]
				copy(d.Base, p)
			}
			total += n
		}
		if out != nil {
			d.Data = data
			out[i] = d
		}
	}
	return total, nil
}

type reader struct {
	buf []byte
	pos int
}

func (r *reader) remaining() int { return len(r.buf) - r.pos }

func (r *reader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.buf[r.pos:])
	if n <= 0 {
		return 0, corrupt("bad varint at %d", r.pos)
	}
	r.pos += n
	return v, nil
}

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.buf) {
		return 0, corrupt("truncated at %d", r.pos)
	}
	r.pos++
	return r.buf[r.pos-1], nil
}

func (r *reader) take(n int) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, corrupt("truncated at %d: want %d bytes", r.pos, n)
	}
	r.pos += n
	return r.buf[r.pos-n : r.pos], nil
}

// zeroRuns decodes a token stream that must expand to exactly n bytes into
// dst (nil: validate only), and returns the last byte of the expansion.
func (r *reader) zeroRuns(n int, dst []byte, maxRun int) (last byte, ones int, err error) {
	size, err := r.uvarint()
	if err != nil {
		return 0, 0, err
	}
	if size > uint64(r.remaining()) {
		return 0, 0, corrupt("zero-run stream of %d bytes past the end", size)
	}
	tr := reader{buf: r.buf[:r.pos+int(size)], pos: r.pos}
	r.pos += int(size)
	got := 0
	for got < n {
		lit, err := tr.uvarint()
		if err != nil {
			return 0, 0, err
		}
		if lit > uint64(n-got) {
			return 0, 0, corrupt("literal overruns the diff")
		}
		p, err := tr.take(int(lit))
		if err != nil {
			return 0, 0, err
		}
		if dst != nil {
			copy(dst[got:], p)
		}
		if lit > 0 {
			last = p[lit-1]
			ones += popCount(p)
		}
		got += int(lit)
		z, err := tr.uvarint()
		if err != nil {
			return 0, 0, err
		}
		if z > uint64(maxRun) || z > uint64(n-got) {
			return 0, 0, corrupt("zero run of %d", z)
		}
		if lit == 0 && z == 0 {
			return 0, 0, corrupt("empty token")
		}
		if dst != nil {
			clear(dst[got : got+int(z)])
		}
		if z > 0 {
			last = 0
		}
		got += int(z)
	}
	if tr.remaining() != 0 {
		return 0, 0, corrupt("%d bytes left in a zero-run stream", tr.remaining())
	}
	return last, ones, nil
}

// popCount is the number of set bits in b.
func popCount(b []byte) int {
	n := 0
	for len(b) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return n
}

// scatterMasked stores packed's bytes, in order, at the set bits of mask
// in data (whose other bytes stay zero).
func scatterMasked(data, mask, packed []byte) {
	for k, m := range mask {
		i := 8 * k
		if m == 0xff && i+8 <= len(data) {
			copy(data[i:i+8], packed[:8])
			packed = packed[8:]
			continue
		}
		for j := i; m != 0; j, m = j+1, m>>1 {
			if m&1 != 0 {
				data[j] = packed[0]
				packed = packed[1:]
			}
		}
	}
}
