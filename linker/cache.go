package linker

// This file implements the content-addressed AOT cache. An entry is
//
//	offset  size  field
//	0       8     magic "FAASMAOT"
//	8       4     format version (little-endian uint32, cacheFormat)
//	12      4     reserved, zero
//	16      8     payload length (little-endian uint64)
//	24      32    sha256 of the payload
//	56      n     payload: the Compiler's artefact (wasmtime Module.Serialize)
//
// stored at dir/<key[:2]>/<key>.aot. An entry that fails any check is
// removed and rebuilt: a crash mid-write, a full disk or a stray edit cost a
// recompile, never a crash or a wrong artefact. Writers go through a temp
// file in the same directory, fsync and rename, so readers never see a
// partial entry; a per-key flock makes concurrent processes compile a key
// once, and rename alone would still keep them correct without it.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/faasm-go/faasm/hostabi"
)

// cacheFormat versions the entry layout and the key derivation; bump it to
// invalidate every existing entry.
const cacheFormat = 1

const headerSize = 56

var cacheMagic = [8]byte{'F', 'A', 'A', 'S', 'M', 'A', 'O', 'T'}

// Compiler turns a validated module into an engine-specific artefact
// (wasmtime's Module.Serialize). runtime/engine implements it; the linker
// stays free of cgo.
type Compiler interface {
	// Fingerprint identifies the engine: wasmtime version plus every engine
	// setting that changes generated code. It is part of the cache key.
	Fingerprint() string
	Precompile(wasm []byte) ([]byte, error)
}

// Cache is a directory of AOT artefacts keyed by Key. It is safe for
// concurrent use by goroutines and by several processes sharing dir.
type Cache struct {
	dir string
}

// Entry is one artefact.
type Entry struct {
	Key         string
	Path        string
	Artifact    []byte
	Hit         bool          // found in the cache rather than compiled now
	CompileTime time.Duration // zero on a hit
}

// OpenCache opens (creating if needed) a cache rooted at dir.
func OpenCache(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("linker: cache: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("linker: cache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

// Dir is the cache's root directory.
func (c *Cache) Dir() string { return c.dir }

// Key is the cache key of wasm compiled by comp: a hex sha256 over the
// module's hash, the engine fingerprint, the hostabi table version (a table
// change means the artefact was checked against another ABI) and the cache
// format.
func Key(wasm []byte, comp Compiler) string {
	mod := sha256.Sum256(wasm)
	h := sha256.New()
	fmt.Fprintf(h, "faasm-aot format=%d\x00wasm=%x\x00engine=%s\x00hostabi=%s\x00",
		cacheFormat, mod, comp.Fingerprint(), hostabi.Version())
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".aot")
}

func validKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}

// Get returns the artefact for wasm, compiling with comp and storing it on a
// miss. A corrupt entry is removed and rebuilt.
func (c *Cache) Get(wasm []byte, comp Compiler) (*Entry, error) {
	key := Key(wasm, comp)
	path := c.path(key)
	if art, err := readEntry(path); err == nil {
		return &Entry{Key: key, Path: path, Artifact: art, Hit: true}, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		// Corrupt or unreadable: drop it and fall through to a rebuild.
		_ = os.Remove(path)
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("linker: cache: %w", err)
	}
	unlock, err := lockKey(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("linker: cache: lock %s: %w", key[:16], err)
	}
	defer unlock()
	// Another process may have compiled it while we waited for the lock.
	if art, err := readEntry(path); err == nil {
		return &Entry{Key: key, Path: path, Artifact: art, Hit: true}, nil
	}

	start := time.Now()
	art, err := comp.Precompile(wasm)
	if err != nil {
		return nil, fmt.Errorf("linker: compile: %w", err)
	}
	elapsed := time.Since(start)
	if err := writeEntry(path, art); err != nil {
		return nil, fmt.Errorf("linker: cache: %w", err)
	}
	return &Entry{Key: key, Path: path, Artifact: art, CompileTime: elapsed}, nil
}

// Remove deletes the entry for key; the runtime calls it when the engine
// rejects an artefact that passed the checksum (e.g. a different wasmtime
// build with the same version string). Removing a missing entry is not an
// error.
func (c *Cache) Remove(key string) error {
	if !validKey(key) {
		return fmt.Errorf("linker: cache: remove: invalid key %q", key)
	}
	if err := os.Remove(c.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("linker: cache: %w", err)
	}
	return nil
}

// errBadEntry marks an entry that exists but fails its checks.
var errBadEntry = errors.New("bad cache entry")

func readEntry(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < headerSize {
		return nil, fmt.Errorf("%w: %s: truncated header", errBadEntry, path)
	}
	if !bytes.Equal(b[:8], cacheMagic[:]) {
		return nil, fmt.Errorf("%w: %s: bad magic", errBadEntry, path)
	}
	if v := binary.LittleEndian.Uint32(b[8:12]); v != cacheFormat {
		return nil, fmt.Errorf("%w: %s: format %d, want %d", errBadEntry, path, v, cacheFormat)
	}
	n := binary.LittleEndian.Uint64(b[16:24])
	payload := b[headerSize:]
	if n != uint64(len(payload)) {
		return nil, fmt.Errorf("%w: %s: payload %d bytes, header says %d", errBadEntry, path, len(payload), n)
	}
	if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], b[24:56]) {
		return nil, fmt.Errorf("%w: %s: checksum mismatch", errBadEntry, path)
	}
	return payload, nil
}

func encodeEntry(art []byte) []byte {
	b := make([]byte, headerSize, headerSize+len(art))
	copy(b, cacheMagic[:])
	binary.LittleEndian.PutUint32(b[8:12], cacheFormat)
	binary.LittleEndian.PutUint64(b[16:24], uint64(len(art)))
	sum := sha256.Sum256(art)
	copy(b[24:56], sum[:])
	return append(b, art...)
}

// writeEntry publishes art at path atomically: temp file in the same
// directory, fsync, rename, fsync of the directory.
func writeEntry(path string, art []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(encodeEntry(art)); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // durability of the rename; best effort
		d.Close()
	}
	return nil
}
