package hostabi

// WASI is wasi_snapshot_preview1 as wasmtime provides it. The runtime does not
// implement these; the table exists so the linker can check a module's WASI
// imports and the docs can list them.
//
// The signatures are the core-wasm lowering of the preview1 witx, as
// wasi-libc's api.h declares its __imported_wasi_snapshot_preview1_* functions:
// every pointer and size is an i32, 64-bit quantities (timestamps, offsets,
// rights) are i64, and every function but proc_exit returns an errno as i32.
// Pointer parameters named retptr* are where the function writes its results.
//
// See https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/wasi_snapshot_preview1.witx
var WASI = Module{
	Name:     "wasi_snapshot_preview1",
	Doc:      "WASI preview 1, provided by wasmtime.",
	Provided: true,
	Funcs: []Func{
		wasi("args_get", "Reads command-line argument data.", wptr("argv"), wptr("argv_buf")),
		wasi("args_sizes_get", "Returns the number of arguments and the size of their string data.", wptr("retptr0"), wptr("retptr1")),
		wasi("environ_get", "Reads environment variable data.", wptr("environ"), wptr("environ_buf")),
		wasi("environ_sizes_get", "Returns the number of environment variables and the size of their string data.", wptr("retptr0"), wptr("retptr1")),
		wasi("clock_res_get", "Returns the resolution of a clock.", Uint32("id"), wptr("retptr0")),
		wasi("clock_time_get", "Returns the time value of a clock.", Uint32("id"), Uint64("precision"), wptr("retptr0")),
		wasi("fd_advise", "Provides file advisory information on a file descriptor.", Handle("fd"), Uint64("offset"), Uint64("len"), Uint32("advice")),
		wasi("fd_allocate", "Forces the allocation of space in a file.", Handle("fd"), Uint64("offset"), Uint64("len")),
		wasi("fd_close", "Closes a file descriptor.", Handle("fd")),
		wasi("fd_datasync", "Synchronizes the data of a file to disk.", Handle("fd")),
		wasi("fd_fdstat_get", "Gets the attributes of a file descriptor.", Handle("fd"), wptr("retptr0")),
		wasi("fd_fdstat_set_flags", "Adjusts the flags associated with a file descriptor.", Handle("fd"), Uint32("flags")),
		wasi("fd_fdstat_set_rights", "Adjusts the rights associated with a file descriptor.", Handle("fd"), Uint64("fs_rights_base"), Uint64("fs_rights_inheriting")),
		wasi("fd_filestat_get", "Returns the attributes of an open file.", Handle("fd"), wptr("retptr0")),
		wasi("fd_filestat_set_size", "Adjusts the size of an open file.", Handle("fd"), Uint64("size")),
		wasi("fd_filestat_set_times", "Adjusts the timestamps of an open file or directory.", Handle("fd"), Uint64("atim"), Uint64("mtim"), Uint32("fst_flags")),
		wasi("fd_pread", "Reads from a file descriptor without using and updating its offset.", Handle("fd"), wptr("iovs"), Uint32("iovs_len"), Uint64("offset"), wptr("retptr0")),
		wasi("fd_prestat_get", "Returns a description of the given preopened file descriptor.", Handle("fd"), wptr("retptr0")),
		wasi("fd_prestat_dir_name", "Returns the directory name of a preopened file descriptor.", Handle("fd"), wptr("path"), Uint32("path_len")),
		wasi("fd_pwrite", "Writes to a file descriptor without using and updating its offset.", Handle("fd"), wptr("iovs"), Uint32("iovs_len"), Uint64("offset"), wptr("retptr0")),
		wasi("fd_read", "Reads from a file descriptor.", Handle("fd"), wptr("iovs"), Uint32("iovs_len"), wptr("retptr0")),
		wasi("fd_readdir", "Reads directory entries from a directory.", Handle("fd"), wptr("buf"), Uint32("buf_len"), Uint64("cookie"), wptr("retptr0")),
		wasi("fd_renumber", "Atomically replaces a file descriptor by renumbering another one.", Handle("fd"), Handle("to")),
		wasi("fd_seek", "Moves the offset of a file descriptor.", Handle("fd"), Int64("offset"), Uint32("whence"), wptr("retptr0")),
		wasi("fd_sync", "Synchronizes the data and metadata of a file to disk.", Handle("fd")),
		wasi("fd_tell", "Returns the current offset of a file descriptor.", Handle("fd"), wptr("retptr0")),
		wasi("fd_write", "Writes to a file descriptor.", Handle("fd"), wptr("iovs"), Uint32("iovs_len"), wptr("retptr0")),
		wasi("path_create_directory", "Creates a directory.", Handle("fd"), wptr("path"), Uint32("path_len")),
		wasi("path_filestat_get", "Returns the attributes of a file or directory.", Handle("fd"), Uint32("flags"), wptr("path"), Uint32("path_len"), wptr("retptr0")),
		wasi("path_filestat_set_times", "Adjusts the timestamps of a file or directory.", Handle("fd"), Uint32("flags"), wptr("path"), Uint32("path_len"), Uint64("atim"), Uint64("mtim"), Uint32("fst_flags")),
		wasi("path_link", "Creates a hard link.", Handle("old_fd"), Uint32("old_flags"), wptr("old_path"), Uint32("old_path_len"), Handle("new_fd"), wptr("new_path"), Uint32("new_path_len")),
		wasi("path_open", "Opens a file or directory.", Handle("fd"), Uint32("dirflags"), wptr("path"), Uint32("path_len"), Uint32("oflags"), Uint64("fs_rights_base"), Uint64("fs_rights_inheriting"), Uint32("fdflags"), wptr("retptr0")),
		wasi("path_readlink", "Reads the contents of a symbolic link.", Handle("fd"), wptr("path"), Uint32("path_len"), wptr("buf"), Uint32("buf_len"), wptr("retptr0")),
		wasi("path_remove_directory", "Removes a directory.", Handle("fd"), wptr("path"), Uint32("path_len")),
		wasi("path_rename", "Renames a file or directory.", Handle("fd"), wptr("old_path"), Uint32("old_path_len"), Handle("new_fd"), wptr("new_path"), Uint32("new_path_len")),
		wasi("path_symlink", "Creates a symbolic link.", wptr("old_path"), Uint32("old_path_len"), Handle("fd"), wptr("new_path"), Uint32("new_path_len")),
		wasi("path_unlink_file", "Unlinks a file.", Handle("fd"), wptr("path"), Uint32("path_len")),
		wasi("poll_oneoff", "Concurrently polls for the occurrence of a set of events.", wptr("in"), wptr("out"), Uint32("nsubscriptions"), wptr("retptr0")),
		{
			Name:     "proc_exit",
			Params:   []Param{Uint32("rval")},
			Support:  Full,
			NoReturn: true,
			Doc:      "Terminates the process normally with the given exit code. faasm defines its own: wasmtime's refuses codes of 126 and up.",
		},
		func() Func {
			f := wasi("proc_raise", "Sends a signal to the process (deprecated in preview1; wasi-libc never imports it).", Uint32("sig"))
			f.Support = Stub
			f.Note = "wasmtime defines it but signals are not supported"
			return f
		}(),
		wasi("sched_yield", "Temporarily yields execution of the calling thread."),
		wasi("random_get", "Writes high-quality random data into a buffer.", wptr("buf"), Uint32("buf_len")),
		wasi("sock_accept", "Accepts a new incoming connection.", Handle("fd"), Uint32("flags"), wptr("retptr0")),
		wasi("sock_recv", "Receives a message from a socket.", Handle("fd"), wptr("ri_data"), Uint32("ri_data_len"), Uint32("ri_flags"), wptr("retptr0"), wptr("retptr1")),
		wasi("sock_send", "Sends a message on a socket.", Handle("fd"), wptr("si_data"), Uint32("si_data_len"), Uint32("si_flags"), wptr("retptr0")),
		wasi("sock_shutdown", "Shuts down socket send and receive channels.", Handle("fd"), Uint32("how")),
	},
}

// wasi builds a WASI entry returning an errno.
func wasi(name, doc string, params ...Param) Func {
	return Func{
		Name:    name,
		Params:  params,
		Results: []Param{Uint32("errno")},
		Support: Full,
		Doc:     doc,
	}
}

// wptr is a WASI pointer parameter. Its C type is opaque here: no header is
// generated for a Provided module.
func wptr(name string) Param { return Ptr(name, "void *") }
