// This file implements the private sysroot every compile uses. It is a
// directory in the faasm cache:
//
//	<cache>/sysroot-<key>/
//	  include/wasm32-wasi -> /usr/include/wasm32-wasi   (Debian's wasi-libc and libc++ headers)
//	  include/faasm/...                                 (our headers, embedded from sysroot/include)
//	  lib/wasm32-wasi/                                  (a real directory)
//	    crt1-command.o, libc.a, libc++.a, ... -> /usr/lib/wasm32-wasi/...
//	    libfaasm.a                                      (built from the embedded sources)
//	  share/cmake/faasm.cmake, share/cmake/Modules/Platform/WASI.cmake
//	  key.json                                          (what the key was computed from)
//
// Why not --sysroot=/usr: clang then also searches /usr/include, and a
// missing wasm header (pthread.h) silently resolves to glibc's.
//
// The key hashes everything the directory's content depends on: the
// toolchain version, the host ABI version, the embedded sources and flags,
// and a fingerprint (path, size, mtime) of clang and of Debian's files. It
// is computed from stat calls only, so each faasm-cc run stays cheap.
//
// The directory is assembled in a temporary directory and renamed into
// place under an exclusive flock, so many faasm-cc processes started by
// make -j on a cold cache build it once and never see half of it.
package toolchain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/internal/cachedir"
	"github.com/faasm-go/faasm/sysroot"
)

// Debian's wasm32-wasi sysroot (packages wasi-libc, libc++-19-dev-wasm32,
// libc++abi-19-dev-wasm32).
const (
	debianInclude = "/usr/include/wasm32-wasi"
	debianLib     = "/usr/lib/wasm32-wasi"
)

// Triple is the target every faasm module is built for.
const Triple = "wasm32-wasi"

// sysrootKeyInputs is hashed into the sysroot's directory name.
type sysrootKeyInputs struct {
	ToolchainVersion string
	HostABIVersion   string
	Clang            string            // path, size and mtime of the clang binary
	Debian           map[string]string // file name -> size and mtime (following links)
	Embedded         map[string]string // embedded file -> sha256
	Libraries        []libraryKey
}

type libraryKey struct {
	Name    string
	Sources []string
	Include string
	CFlags  []string
}

func statFingerprint(p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		return "missing"
	}
	return fmt.Sprintf("%d@%d", fi.Size(), fi.ModTime().UnixNano())
}

func hashFS(prefix string, fsys fs.FS, into map[string]string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		into[path.Join(prefix, p)] = hex.EncodeToString(sum[:])
		return nil
	})
}

// sysrootKey computes the key inputs and their hash.
func sysrootKey(clang string) (string, *sysrootKeyInputs, error) {
	in := &sysrootKeyInputs{
		ToolchainVersion: Version,
		HostABIVersion:   hostabi.Version(),
		Debian:           map[string]string{},
		Embedded:         map[string]string{},
	}
	real, err := filepath.EvalSymlinks(clang)
	if err != nil {
		real = clang
	}
	in.Clang = real + ":" + statFingerprint(real)
	entries, err := os.ReadDir(debianLib)
	if err != nil {
		return "", nil, fmt.Errorf("wasi-libc not installed (%v; install Debian packages: make deps)", err)
	}
	for _, e := range entries {
		in.Debian[e.Name()] = statFingerprint(filepath.Join(debianLib, e.Name()))
	}
	in.Debian["include"] = statFingerprint(debianInclude)
	in.Debian["include/c++/v1"] = statFingerprint(filepath.Join(debianInclude, "c++", "v1"))
	if err := hashFS("include", sysroot.Include, in.Embedded); err != nil {
		return "", nil, err
	}
	if err := hashFS("cmake", cmakeFiles, in.Embedded); err != nil {
		return "", nil, err
	}
	for _, l := range Libraries {
		in.Libraries = append(in.Libraries, libraryKey{l.Name, l.Sources, l.Include, l.CFlags})
		if err := hashFS("lib"+l.Name, l.Files, in.Embedded); err != nil {
			return "", nil, err
		}
	}
	data, err := json.Marshal(in)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16], in, nil
}

// ensureSysroot returns the assembled sysroot directory, building it first
// when the cache has none for the current key.
func (c *Config) ensureSysroot() (string, error) {
	key, in, err := sysrootKey(c.Clang)
	if err != nil {
		return "", err
	}
	root, err := cachedir.Dir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	final := filepath.Join(root, "sysroot-"+key)
	if _, err := os.Stat(filepath.Join(final, "key.json")); err == nil {
		return final, nil
	}

	unlock, err := lockFile(final + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	// Another process may have built it while we waited for the lock.
	if _, err := os.Stat(filepath.Join(final, "key.json")); err == nil {
		return final, nil
	}
	tmp, err := os.MkdirTemp(root, "sysroot-"+key+".tmp-")
	if err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	if err := c.assembleSysroot(tmp, in); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("building sysroot: %w", err)
	}
	// A stale directory without key.json is a leftover of a crash.
	os.RemoveAll(final)
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("building sysroot: %w", err)
	}
	return final, nil
}

func lockFile(p string) (func(), error) {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sysroot lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("sysroot lock: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// assembleSysroot fills dir (a fresh temporary directory).
func (c *Config) assembleSysroot(dir string, in *sysrootKeyInputs) error {
	inc := filepath.Join(dir, "include")
	lib := filepath.Join(dir, "lib", Triple)
	if err := os.MkdirAll(lib, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(inc, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(debianInclude, filepath.Join(inc, Triple)); err != nil {
		return err
	}
	if err := copyFS(inc, sysroot.Include); err != nil {
		return err
	}
	// lib/wasm32-wasi is a real directory of links, so our archives sit
	// beside Debian's without ever writing into /usr.
	entries, err := os.ReadDir(debianLib)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Symlink(filepath.Join(debianLib, e.Name()), filepath.Join(lib, e.Name())); err != nil {
			return err
		}
	}
	if err := copyFS(filepath.Join(dir, "share", "cmake"), cmakeFiles); err != nil {
		return err
	}
	for _, l := range Libraries {
		if l.Include != "" {
			sub, err := fs.Sub(l.Files, l.Include)
			if err != nil {
				return err
			}
			if err := copyFS(inc, sub); err != nil {
				return err
			}
		}
	}
	for _, l := range Libraries {
		if err := c.buildLibrary(dir, l); err != nil {
			return fmt.Errorf("lib%s: %w", l.Name, err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "build")); err != nil {
		return err
	}
	data, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "key.json"), append(data, '\n'), 0o644)
}

// buildLibrary compiles a Library's sources against the sysroot being
// assembled and archives them into lib/wasm32-wasi/lib<Name>.a.
func (c *Config) buildLibrary(dir string, l *sysroot.Library) error {
	src := filepath.Join(dir, "build", l.Name, "src")
	obj := filepath.Join(dir, "build", l.Name, "obj")
	if err := copyFS(src, l.Files); err != nil {
		return err
	}
	if err := os.MkdirAll(obj, 0o755); err != nil {
		return err
	}
	objs := make([]string, len(l.Sources))
	errs := make([]error, len(l.Sources))
	sema := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, s := range l.Sources {
		objs[i] = filepath.Join(obj, fmt.Sprintf("%03d-%s.o", i, strings.ReplaceAll(s, "/", "_")))
		compiler := c.Clang
		switch filepath.Ext(s) {
		case ".cc", ".cpp", ".cxx", ".C":
			compiler = c.ClangXX
		}
		args := []string{"--target=" + Triple, "--sysroot=" + dir}
		args = append(args, defaultCFlags()...)
		args = append(args, "-I", src)
		args = append(args, l.CFlags...)
		args = append(args, "-c", filepath.Join(src, filepath.FromSlash(s)), "-o", objs[i])
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sema <- struct{}{}
			defer func() { <-sema }()
			errs[i] = c.runQuiet(compiler, args)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	ar := append([]string{"rcs", filepath.Join(dir, "lib", Triple, "lib"+l.Name+".a")}, objs...)
	return c.runQuiet(c.AR, ar)
}

// runQuiet runs a sysroot build command, returning its output in the error.
func (c *Config) runQuiet(prog string, args []string) error {
	c.printCommand(prog, args)
	out, err := exec.Command(prog, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", filepath.Base(prog), err, out)
	}
	return nil
}

// copyFS writes every file of fsys under dir.
func copyFS(dir string, fsys fs.FS) error {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, p := range files {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
