package hostabi

// Faasm is the serverless host interface every Faaslet has: call input and
// output, and the exits the guest libraries need.
var Faasm = Module{
	Name: "faasm",
	Doc:  "Calls into the Faaslet's host: call input/output and guest-initiated termination.",
	Funcs: []Func{
		{
			Name:    "read_call_input",
			Params:  []Param{Ptr("buf", "uint8_t *"), Uint32("buf_len")},
			Results: []Param{Int32("input_len")},
			Support: Full,
			Doc: "Copies up to buf_len bytes of the call's input (faasm run --input) into buf " +
				"and returns the input's full length, so a guest may call it once with buf_len 0 to size its buffer.",
		},
		{
			Name:    "write_call_output",
			Params:  []Param{Ptr("buf", "const uint8_t *"), Uint32("buf_len")},
			Support: Full,
			Doc:     "Appends buf_len bytes to the call's output (printed by faasm run --output, returned to a chained caller).",
		},
		{
			Name:     "fatal",
			Params:   []Param{Ptr("msg", "const char *"), Uint32("msg_len"), Int32("exit_code")},
			Support:  Full,
			NoReturn: true,
			Doc: "Ends the Faaslet at once with exit_code; the host prints msg as one line on stderr. " +
				"Guest libraries use it where native code would print and abort (an uncaught C++ exception).",
		},
	},
}
